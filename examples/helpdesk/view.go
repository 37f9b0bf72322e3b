package main

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/examples/internal/present"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

// viewItem is one entry of POST /api/view, the page's own endpoint: the
// object of POST /api/explain (Line) with what the page shows next to it
// (Display), or a Problem for a message that gives no recipient.
type viewItem struct {
	Line    *present.Line    `json:"line,omitempty"`    // the recipient, as /api/explain gives it
	Display *display         `json:"display,omitempty"` // the words around it, in the request's language
	Problem *present.Problem `json:"problem,omitempty"` // a message that is not a bounce or could not be read
}

// display is what the page shows for one recipient, in one language.
type display struct {
	Message       int        `json:"message,omitempty"`  // position in an mbox
	State         string     `json:"state"`              // failed, delayed or the kind of report
	StateLabel    string     `json:"state_label"`        // State in words
	StatusMeaning string     `json:"status_meaning"`     // the enhanced code's registry name
	StatusDetail  string     `json:"status_detail"`      // the registry's description
	ReplyMeaning  string     `json:"reply_meaning"`      // the reply code's meaning
	ReasonTitle   string     `json:"reason_title"`       // the reason in words
	Evidence      string     `json:"evidence"`           // the evidence line, localized
	Gist          string     `json:"gist"`               // the explanation's one-line gist, shown first
	Groups        []group    `json:"groups"`             // the actions, grouped by who must act
	RetryLabel    string     `json:"retry_label"`        // whether to resend, in words
	UrgencyLabel  string     `json:"urgency_label"`      // the urgency, in words
	References    []string   `json:"references"`         // the explanation's http(s) references
	SeeAlso       []seeAlso  `json:"see_also"`           // the other matching entries
	UserMessage   string     `json:"user_message"`       // a message for the user who sent the mail
	Original      *original  `json:"original,omitempty"` // the returned message, when known
	Facts         []labelled `json:"facts"`              // further facts: command, reporting server, dates
}

// group is the steps for one actor.
type group struct {
	Actor string   `json:"actor"` // remedy.Actor
	Label string   `json:"label"` // its name in the request's language
	Steps []string `json:"steps"` // what they do, in order
}

// seeAlso names another matching catalogue entry.
type seeAlso struct {
	ID    string `json:"id"`    // the entry
	Title string `json:"title"` // its title
}

// original is the returned message as the page shows it.
type original struct {
	Subject   string `json:"subject"`    // Subject
	MessageID string `json:"message_id"` // Message-ID
}

// labelled is one fact with its label.
type labelled struct {
	Label string `json:"label"` // what it is
	Value string `json:"value"` // the value
}

func newViewItem(file string, pos int, rep *ndr.Report, r ndr.Recipient, tag language.Tag) viewItem {
	l := present.NewLine(file, rep, r)
	d := &display{
		Message:       pos,
		State:         string(rep.Kind),
		StatusMeaning: present.StatusMeaningOf(&r, tag),
		StatusDetail:  present.StatusDescriptionOf(&r, tag),
		ReplyMeaning:  present.ReplyMeaningOf(&r, tag),
		ReasonTitle:   present.ReasonTitleOf(&r, tag),
		Evidence:      present.Evidence(r.Evidence, tag),
		Groups:        []group{},
		References:    []string{},
		SeeAlso:       []seeAlso{},
		Facts:         []labelled{},
	}
	switch r.Action {
	case ndr.ActionFailed, ndr.ActionDelayed:
		d.State = string(r.Action)
		d.StateLabel = present.ActionLabel(r.Action, tag)
	default:
		d.StateLabel = present.KindLabel(string(rep.Kind), tag)
	}
	if len(r.Explanations) > 0 {
		x := r.Explanations[0]
		d.Gist = x.Gist
		d.Groups = groups(x.Actions, tag)
		d.RetryLabel = x.RetryLabel
		d.UrgencyLabel = x.Urgency.Label(tag)
		d.References = webLinks(x.References)
		for _, o := range present.SeeAlso(r.Explanations) {
			d.SeeAlso = append(d.SeeAlso, seeAlso{ID: o.ID, Title: o.Title})
		}
	}
	if rep.Original.Subject != "" || rep.Original.MessageID != "" {
		d.Original = &original{Subject: rep.Original.Subject, MessageID: rep.Original.MessageID}
	}
	fact := func(en, ja, v string) {
		if v != "" {
			d.Facts = append(d.Facts, labelled{present.Pick(tag, en, ja), v})
		}
	}
	fact("Command", "SMTP コマンド", r.Command)
	fact("Reporting server", "通知を書いたサーバー", r.ReportingMTA)
	fact("Last attempt", "最終試行", present.TimeString(r.LastAttempt))
	fact("Read by", "読み取り", r.DecodedBy)
	d.UserMessage = userMessage(rep, r, tag)
	return viewItem{Line: &l, Display: d}
}

// groups gathers the steps by actor, in the order of remedy.Actors.
func groups(actions []remedy.Action, tag language.Tag) []group {
	var out []group
	for _, actor := range remedy.Actors {
		var g *group
		for _, a := range actions {
			if a.Actor != actor {
				continue
			}
			if g == nil {
				out = append(out, group{Actor: string(actor), Label: actor.Label(tag)})
				g = &out[len(out)-1]
			}
			g.Steps = append(g.Steps, a.Text)
		}
	}
	if out == nil {
		out = []group{}
	}
	return out
}

// webLinks keeps the absolute http and https URLs: the page makes links
// of these only.
func webLinks(refs []string) []string {
	out := []string{}
	for _, s := range refs {
		u, err := url.Parse(s)
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			out = append(out, u.String())
		}
	}
	return out
}

// userMessage is a polite message, without technical terms, that the
// helpdesk can send to the user whose mail bounced.
func userMessage(rep *ndr.Report, r ndr.Recipient, tag language.Tag) string {
	ja := present.Japanese(tag)
	about := fmt.Sprintf("Your message to %s", r.Recipient)
	if ja {
		about = fmt.Sprintf("%s 宛てにお送りいただいたメール", r.Recipient)
	}
	if r.Recipient == "" {
		about = present.Pick(tag, "Your message", "お送りいただいたメール")
	}
	if s := strings.TrimSpace(rep.Original.Subject); s != "" {
		about += present.Pick(tag, fmt.Sprintf(" (subject: \"%s\")", s), fmt.Sprintf("（件名：「%s」）", s))
	}
	var what, todo string
	retry := remedy.RetryAdvice("")
	if len(r.Explanations) > 0 {
		retry = r.Explanations[0].Retry
	}
	switch {
	case r.Action == ndr.ActionDelayed:
		what = present.Pick(tag, "is taking longer than usual to be delivered. The mail system is still trying to deliver it.",
			"は、配送に通常より時間がかかっています。メールシステムが引き続き配送を試みています。")
		todo = present.Pick(tag, "There is nothing you need to do for now; we will let you know if it cannot be delivered in the end.",
			"現時点でお客様の対応は不要です。最終的に届かなかった場合は、あらためてご連絡いたします。")
	case r.HardBounce:
		what = present.Pick(tag, "could not be delivered: the recipient's mail server reports that this address does not exist.",
			"は、相手先に届きませんでした。相手先のメールサーバーから、このメールアドレスは存在しないとの連絡がありました。")
		todo = present.Pick(tag, "Please check the address for typing mistakes, or confirm the current address with the recipient by phone or another channel, and send the message again to the correct address.",
			"お手数ですが、アドレスに入力の誤りがないかご確認いただくか、お電話など別の方法で相手の方に現在のアドレスをご確認のうえ、正しいアドレスへ送り直してください。")
	case r.Reason == ndr.ReasonMailboxFull:
		what = present.Pick(tag, "could not be delivered because the recipient's mailbox is full.",
			"は、相手の方のメールボックスの容量がいっぱいのため、届きませんでした。")
		todo = present.Pick(tag, "If you can, please let the recipient know by phone or another channel, and send the message again later.",
			"可能でしたら、お電話など別の方法で相手の方にお知らせいただき、しばらくしてから送り直してください。")
	case r.Reason == ndr.ReasonMesgTooBig || r.Reason == ndr.ReasonExceedLimit:
		what = present.Pick(tag, "could not be delivered because it is larger than the recipient's system accepts.",
			"は、メールのサイズが大きすぎるため、届きませんでした。")
		todo = present.Pick(tag, "Please make the attachments smaller or share them as a download link, and send the message again.",
			"お手数ですが、添付ファイルを小さくするか、共有リンクでお送りいただくなどして、送り直してください。")
	case retry == remedy.RetryWait:
		what = present.Pick(tag, "has not been delivered yet because of a temporary problem between the mail systems. The mail system keeps trying to deliver it automatically.",
			"は、メールシステム間の一時的な問題により、まだ届いていません。メールシステムが自動的に配送を試み続けています。")
		todo = present.Pick(tag, "There is no need to send it again for now; we will let you know if it cannot be delivered in the end. If it is urgent, please contact the recipient by phone or another channel.",
			"現時点で送り直していただく必要はありません。最終的に届かなかった場合は、あらためてご連絡いたします。お急ぎの場合は、お電話など別の方法で相手の方にご連絡ください。")
	case r.Temporary:
		what = present.Pick(tag, "could not be delivered for the time being because of a temporary problem between the mail systems.",
			"は、メールシステム間の一時的な問題により、現時点では届いていません。")
		todo = present.Pick(tag, "Please wait a few hours and send it again. If it is urgent, please contact the recipient by phone or another channel.",
			"数時間ほど時間をおいてから、もう一度送ってみてください。お急ぎの場合は、お電話など別の方法で相手の方にご連絡ください。")
	default:
		what = present.Pick(tag, "could not be delivered: the recipient's mail system did not accept it.",
			"は、相手先のメールシステムに受け付けられず、届きませんでした。")
		todo = present.Pick(tag, "We are looking into the cause and will contact you again. Until then, please do not send the same message again; if it is urgent, please contact the recipient by phone or another channel.",
			"現在、原因を確認しております。確認でき次第あらためてご連絡いたしますので、それまでは同じメールの送り直しはお控えください。お急ぎの場合は、お電話など別の方法で相手の方にご連絡ください。")
	}
	if ja {
		return "お問い合わせいただいた件についてご連絡いたします。\n\n" + about + what + "\n" + todo + "\n\nご不明な点がございましたら、お気軽にお問い合わせください。"
	}
	return "Thank you for contacting us about this.\n\n" + about + " " + what + "\n" + todo + "\n\nIf you have any questions, please let us know."
}
