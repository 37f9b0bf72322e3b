package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/width"

	"github.com/ndrkit/ndrkit/examples/internal/present"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

// summary counts what a batch found. Its JSON form is the output of
// -summary -format json.
type summary struct {
	Messages    int            `json:"messages"`     // messages read, not-bounce and unreadable ones included
	Kinds       map[string]int `json:"kinds"`        // messages by kind, "not-bounce" and "error" included
	Recipients  int            `json:"recipients"`   // recipients counted
	Reasons     map[string]int `json:"reasons"`      // recipients by reason
	Receivers   map[string]int `json:"receivers"`    // recipients by receiver group
	Actors      map[string]int `json:"who_must_act"` // recipients by who must act (one recipient may count for several)
	HardBounces int            `json:"hard_bounces"` // recipients whose address is dead
	// RecipientsPartial is true when some bounce names more recipients
	// than were read: the counts of recipients leave the rest out.
	RecipientsPartial bool `json:"recipients_partial"`
	PartialMessages   int  `json:"partial_messages"`          // bounces whose recipients were not all read
	RecipientLimit    int  `json:"recipient_limit,omitempty"` // recipients read of such a bounce, when the recipient limit cut them
	// AddressCut counts the partial messages whose text was not all
	// scanned for recipients (the address limit), where RecipientLimit
	// does not say how many were read.
	AddressCut int `json:"-"`
}

func newSummary() *summary {
	return &summary{Kinds: map[string]int{}, Reasons: map[string]int{}, Receivers: map[string]int{}, Actors: map[string]int{}}
}

func (s *summary) message(kind string) {
	s.Messages++
	s.Kinds[kind]++
}

// partial counts a bounce whose recipients were not all read; limit is
// the recipient limit that cut them, 0 when the address limit did.
func (s *summary) partial(limit int) {
	s.RecipientsPartial = true
	s.PartialMessages++
	if limit > 0 {
		s.RecipientLimit = max(s.RecipientLimit, limit)
	} else {
		s.AddressCut++
	}
}

// partialNote says, after the count of recipients, that it leaves some
// out: "" when it does not.
func (s *summary) partialNote(tag language.Tag) string {
	p := func(en, ja string) string { return present.Pick(tag, en, ja) }
	n := s.PartialMessages
	switch {
	case n == 0:
		return ""
	case s.AddressCut > 0 && n == 1:
		return p(" (the bounce names more; not all were read)", "（不達通知にはさらに宛先があります。すべては読み取っていません）")
	case s.AddressCut > 0:
		return p(fmt.Sprintf(" (%d bounces name more; not all were read)", n),
			fmt.Sprintf("（%d 通の不達通知にはさらに宛先があります。すべては読み取っていません）", n))
	case n == 1:
		return p(fmt.Sprintf(" (the bounce names more; only the first %d were read)", s.RecipientLimit),
			fmt.Sprintf("（不達通知にはさらに宛先があります。最初の %d 件だけを読み取りました）", s.RecipientLimit))
	}
	return p(fmt.Sprintf(" (%d bounces name more; only the first %d of each were read)", n, s.RecipientLimit),
		fmt.Sprintf("（%d 通の不達通知にはさらに宛先があります。各通の最初の %d 件だけを読み取りました）", n, s.RecipientLimit))
}

func (s *summary) recipient(r ndr.Recipient) {
	s.Recipients++
	s.Reasons[string(r.Reason)]++
	s.Receivers[present.ReceiverGroup(r.Recipient, r.RemoteMTA)]++
	if r.HardBounce {
		s.HardBounces++
	}
	if len(r.Explanations) > 0 {
		seen := map[remedy.Actor]bool{}
		for _, a := range r.Explanations[0].Actions {
			if !seen[a.Actor] {
				seen[a.Actor] = true
				s.Actors[string(a.Actor)]++
			}
		}
	}
}

// maxReceiverRows is how many receivers the text table lists; the rest
// are added up in one row.
const maxReceiverRows = 20

func (s *summary) write(w io.Writer, format string, tag language.Tag) error {
	if format == "json" {
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	p := func(en, ja string) string { return present.Pick(tag, en, ja) }
	sep := p(": ", "：")
	fmt.Fprintf(w, "%s%s%d  %s%s%d%s  %s%s%d\n\n", p("messages", "メッセージ"), sep, s.Messages,
		p("recipients", "宛先"), sep, s.Recipients, s.partialNote(tag), p("hard bounces", "ハードバウンス"), sep, s.HardBounces)
	table(w, p("kind", "種類"), p("messages", "件数"), rows(s.Kinds, 0, func(k string) string {
		return present.KindLabel(k, tag)
	}, tag))
	table(w, p("reason", "理由"), p("recipients", "件数"), rows(s.Reasons, 0, func(k string) string {
		if ndr.Reason(k) == ndr.ReasonExpired {
			// Delay notices count here too (the vocabulary gives them
			// expired), so the title cannot say that every one gave up.
			return k + " " + p("Delivery expired, or delayed and still being retried", "再試行の期限切れ、または配送遅延中")
		}
		return k + " " + present.ReasonTitle(ndr.Reason(k), tag)
	}, tag))
	table(w, p("receiver", "受信側"), p("recipients", "件数"), rows(s.Receivers, maxReceiverRows, present.Visible, tag))
	table(w, p("who must act", "対応する人"), p("recipients", "件数"), rows(s.Actors, 0, func(k string) string {
		return remedy.Actor(k).Label(tag)
	}, tag))
	return nil
}

type row struct {
	label string
	n     int
}

// rows sorts counts, largest first (then by key), labels them and folds
// those after the first max (0: no limit) into one row.
func rows(m map[string]int, max int, label func(string) string, tag language.Tag) []row {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var out []row
	other := 0
	for i, k := range keys {
		if max > 0 && i >= max {
			other += m[k]
			continue
		}
		out = append(out, row{label(k), m[k]})
	}
	if other > 0 {
		out = append(out, row{present.Pick(tag, "(others)", "（その他）"), other})
	}
	return out
}

// table writes a two-column table, aligned by display width so that
// Japanese labels (two columns per character) line up.
func table(w io.Writer, head, count string, rs []row) {
	wd := displayWidth(head)
	for _, r := range rs {
		wd = max(wd, displayWidth(r.label))
	}
	line := func(label, n string) {
		fmt.Fprintf(w, "  %s%s  %s%s\n", label, strings.Repeat(" ", wd-displayWidth(label)), strings.Repeat(" ", max(0, 8-displayWidth(n))), n)
	}
	line(head, count)
	line(strings.Repeat("-", wd), "--------")
	for _, r := range rs {
		line(r.label, fmt.Sprint(r.n))
	}
	fmt.Fprintln(w)
}

// displayWidth is the number of terminal columns s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// writeSuppress writes the suppression list: one address a line, sorted.
func writeSuppress(name string, set map[string]bool) error {
	list := make([]string, 0, len(set))
	for a := range set {
		list = append(list, a)
	}
	sort.Strings(list)
	var b strings.Builder
	for _, a := range list {
		b.WriteString(a)
		b.WriteByte('\n')
	}
	return os.WriteFile(name, []byte(b.String()), 0o644)
}

// countingReader moves the progress bar as input is read.
type countingReader struct {
	r   io.Reader
	bar *progressbar.ProgressBar
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.bar.Add64(int64(n))
	return n, err
}

// startProgress sizes the input (standard input is of unknown size) and
// starts the progress line.
func (b *batch) startProgress(paths []string) {
	var total int64
	for _, p := range paths {
		if p == "-" {
			total = -1
			break
		}
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		if !st.IsDir() {
			total += st.Size()
			continue
		}
		walk(p, b.cfg.recursive, func(name string) {
			if st, err := os.Stat(name); err == nil {
				total += st.Size()
			}
		}, func(string, error) {})
	}
	b.started = time.Now()
	b.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(b.stderr),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription(present.Pick(b.cfg.lang, "0 messages", "0 通")),
	)
}

// tick counts one message on the progress line.
func (b *batch) tick() {
	b.messages++
	if b.bar == nil {
		return
	}
	rate := float64(b.messages) / max(time.Since(b.started).Seconds(), 0.001)
	b.bar.Describe(present.Pick(b.cfg.lang,
		fmt.Sprintf("%d messages, %.0f/s", b.messages, rate),
		fmt.Sprintf("%d 通, %.0f 通/秒", b.messages, rate)))
}

// clearProgress clears the progress line before an error is written.
func (b *batch) clearProgress() {
	if b.bar != nil {
		b.bar.Clear()
	}
}

func (b *batch) stopProgress() {
	if b.bar != nil {
		b.bar.Finish()
		fmt.Fprintln(b.stderr)
	}
}
