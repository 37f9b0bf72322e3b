package ndr_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/publicsuffix"

	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/remedy"
)

// probeCatalogue has one entry per constraint on the parties, each
// triggered by any reason, so that the entries an explanation lists show
// which constraints the facts of a recipient met.
func probeCatalogue(t *testing.T) *remedy.Catalogue {
	t.Helper()
	reasons := `"reasons": ["` + strings.Join(remedy.Reasons, `", "`) + `"]`
	text := `{"gist": "G", "title": "T", "summary": "S", "steps": [{"actor": "sender", "text": "Do it."}], "retry": {"delayed": "D", "expired": "E", "permanent": "P"}}`
	entry := func(id, constraint string) string {
		return `{"id": "` + id + `", "when": {` + reasons + `, ` + constraint + `}, "urgency": "low", "retry": "resend-after-fix", "checked": "2026-12-04", "text": {"en": ` + text + `, "ja": ` + text + `}}`
	}
	c, err := remedy.Load(fstest.MapFS{"probe.json": {Data: []byte(`{"entries": [` +
		entry("same", `"sameDomain": true`) + `, ` + entry("local", `"local": true`) + `, ` + entry("forwarded", `"forwarded": true`) + `]}`)}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// explainFile explains a test bounce, .txt files as pasted text, and
// returns the report, the file's bytes and Explain's error.
func explainFile(t *testing.T, file string, opts ...ndr.Option) (*ndr.Report, []byte, error) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rep *ndr.Report
	if strings.HasSuffix(file, ".txt") {
		rep, err = ndr.ExplainText(string(b), opts...)
	} else {
		rep, err = ndr.ExplainBytes(b, opts...)
	}
	return rep, b, err
}

// The facts Explain gives the catalogue about the parties: the sender of
// the returned message, the address the sender wrote when the bounce
// names another, and whether the reporting host decided the failure.
func TestPartyFacts(t *testing.T) {
	const postfixLocal = `From: MAILER-DAEMON@host.example.jp (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: root@host.example.jp
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system at host host.example.jp.

<kijitora@host.example.jp>: unknown user: "kijitora"

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; host.example.jp
X-Postfix-Sender: rfc822; root@host.example.jp

Final-Recipient: rfc822; kijitora@host.example.jp
Original-Recipient: rfc822;kijitora@host.example.jp
Action: failed
Status: 5.1.1
Diagnostic-Code: X-Postfix; unknown user: "kijitora"

--B--
`
	tests := []struct {
		name  string
		file  string // under ../testdata, or the message itself
		input string
		want  [][]string // per recipient, the probe entries that matched
	}{
		{"web form, local delivery on the old host", "explain/postfix-moved-domain-local.eml", "", [][]string{{"same", "local"}}},
		{"web form, content filter on loopback", "explain/postfix-moved-domain-filter.eml", "", [][]string{{"same", "local"}}},
		{"same domain, delivered to the new service", "explain/postfix-same-domain-remote-unknown.eml", "", [][]string{{"same"}}},
		{"DSN names the original recipient", "explain/dsn-forwarded-dmarc.eml", "", [][]string{{"forwarded"}}},
		{"Postfix notes the alias", "explain/postfix-forwarded-dmarc.txt", "", [][]string{{"forwarded"}}},
		{"Exim: an alias of the sender's own domain", "bounces/exim/alias-two-children-and-timeout.eml", "", [][]string{{"forwarded", "same"}, {"forwarded", "same"}, {"local"}}},
		{"Exim: an alias of the recipient's domain", "bounces/exim/alias-generated-from.eml", "", [][]string{{"forwarded"}}},
		{"pasted local failure: no sender", "explain/postfix-local-unknown-user.txt", "", [][]string{{"local"}}},
		{"Microsoft 365 NDR quotes a reply", "explain/m365-dbeb-5.4.1.txt", "", [][]string{nil}},
		{"peer on loopback, other domains", "realmta/postfix/multi.eml", "", [][]string{{"local"}, {"local"}}},
		{"sender only in X-Postfix-Sender", "", postfixLocal, [][]string{{"same", "local"}}},
		{"sender only in the returned Return-Path", "", strings.Replace(strings.Replace(postfixLocal, "X-Postfix-Sender: rfc822; root@host.example.jp\n", "", 1),
			"--B--\n", "--B\nContent-Type: text/rfc822-headers\n\nReturn-Path: <root@host.example.jp>\nSubject: test\n\n--B--\n", 1), [][]string{{"same", "local"}}},
		{"no sender at all", "", strings.Replace(postfixLocal, "X-Postfix-Sender: rfc822; root@host.example.jp\n", "", 1), [][]string{{"local"}}},
	}
	probe := probeCatalogue(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rep *ndr.Report
			var err error
			if tt.file != "" {
				rep, _, err = explainFile(t, filepath.Join("..", "testdata", tt.file), ndr.WithCatalogue(probe))
			} else {
				rep, err = ndr.ExplainBytes([]byte(tt.input), ndr.WithCatalogue(probe))
			}
			if err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for _, r := range rep.Recipients {
				var ids []string
				for _, x := range r.Explanations {
					ids = append(ids, x.ID)
				}
				slices.Sort(ids)
				got = append(got, ids)
			}
			want := make([][]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = slices.Sorted(slices.Values(w))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("constraints met (-want +got):\n%s", diff)
			}
		})
	}
}

// registrable is the registrable domain of an address, as the catalogue
// compares domains.
func registrable(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	d := strings.ToLower(strings.Trim(addr[i+1:], "<> ."))
	if r, err := publicsuffix.EffectiveTLDPlusOne(d); err == nil {
		return r
	}
	return d
}

// postfixSender finds Postfix's envelope sender field in a bounce.
var postfixSender = regexp.MustCompile(`(?mi)^X-Postfix-Sender:\s*rfc822;\s*(\S+@\S+)`)

// Over every test bounce, the entry for a domain whose mail moved while
// the old host still delivers it appears only for an unknown user whose
// failure no remote server reported, in a bounce whose returned message
// comes from the recipient's own domain; and the entry for a forwarded
// copy only where the bounce names an original recipient at another
// domain.
func TestPartyEntriesOverTestBounces(t *testing.T) {
	var files []string
	for _, dir := range []string{"bounces", "explain", "realmta", "unseen"} {
		err := filepath.WalkDir(filepath.Join("..", "testdata", dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".eml") || strings.HasSuffix(p, ".txt")) {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 100 {
		t.Fatalf("only %d test bounces", len(files))
	}
	moved, forwarded := 0, 0
	for _, file := range files {
		rep, b, err := explainFile(t, file)
		if err != nil {
			continue // not a bounce, or beyond a limit: other tests look at these
		}
		from := rep.Original.From
		if i := strings.LastIndexByte(from, '<'); i >= 0 {
			from = from[i:]
		}
		for _, r := range rep.Recipients {
			for _, x := range r.Explanations {
				switch x.ID {
				case "domain-mail-still-local-on-old-host":
					moved++
					remote := r.RemoteMTA != "" && !strings.Contains(r.RemoteMTA, "127.0.0.1") && !strings.Contains(r.RemoteMTA, "localhost")
					envelope := ""
					if m := postfixSender.FindSubmatch(b); m != nil {
						envelope = string(m[1])
					}
					if r.Reason != ndr.ReasonUserUnknown || remote || registrable(r.Recipient) == "" ||
						registrable(r.Recipient) != registrable(from) && registrable(r.Recipient) != registrable(rep.Original.Get("Return-Path")) &&
							registrable(r.Recipient) != registrable(envelope) {
						t.Errorf("%s: %s: moved-domain entry for reason %s, remote %q, sender %q", file, r.Recipient, r.Reason, r.RemoteMTA, rep.Original.From)
					}
				case "forwarded-copy-fails-authentication":
					forwarded++
					o := r.OriginalRecipient
					if strings.EqualFold(o, r.Recipient) || o == "" {
						o = ""
						if _, after, ok := strings.Cut(string(b), "<"+r.Recipient+"> (expanded from <"); ok {
							o, _, _ = strings.Cut(after, ">")
						}
					}
					if o == "" || registrable(o) == registrable(r.Recipient) {
						t.Errorf("%s: %s: forwarded-copy entry without an original recipient at another domain (%q)", file, r.Recipient, o)
					}
				}
			}
		}
	}
	if moved == 0 || forwarded == 0 {
		t.Errorf("the test bounces show %d moved domains and %d forwarded copies; each entry should be exercised", moved, forwarded)
	}
}

// A returned message that was itself an automatic response is known by
// its null reverse-path, its Auto-Submitted keyword or its report type;
// a message an automatic process wrote on its own is not a response.
func TestOriginalAutoResponse(t *testing.T) {
	for _, c := range []struct {
		name, field, value string
		want               bool
	}{
		{"null reverse-path", "Return-Path", " <> ", true},
		{"Sendmail's null sender", "Return-Path", "<mailer-daemon>", true},
		{"a sender's reverse-path", "Return-Path", "<info@example.com>", false},
		{"a daemon's address with a domain", "Return-Path", "<MAILER-DAEMON@example.com>", false},
		{"automatic reply", "Auto-Submitted", "auto-replied", true},
		{"automatic reply with a comment", "Auto-Submitted", "Auto-Replied (vacation)", true},
		{"automatic reply with a parameter", "Auto-Submitted", "auto-replied; owner-email=\"a@example.com\"", true},
		{"generated, not a response", "Auto-Submitted", "auto-generated", false},
		{"not automatic", "Auto-Submitted", "no", false},
		{"delivery status notification", "Content-Type", "multipart/report; report-type=\"delivery-status\"; boundary=b", true},
		{"read receipt", "Content-Type", "Multipart/Report; Report-Type=Disposition-Notification; boundary=b", true},
		{"feedback report", "Content-Type", "multipart/report; report-type=feedback-report; boundary=b", false},
		{"ordinary message", "Content-Type", "multipart/mixed; boundary=b", false},
		{"unreadable type", "Content-Type", "multipart/report; report-type=", false},
	} {
		o := ndr.Original{Header: []ndr.Field{{Name: "Subject", Value: "x"}, {Name: c.field, Value: c.value}}}
		if got := o.AutoResponse(); got != c.want {
			t.Errorf("%s: AutoResponse() = %v for %s: %q, want %v", c.name, got, c.field, c.value, c.want)
		}
	}
	if (ndr.Original{}).AutoResponse() {
		t.Error("AutoResponse() = true for no returned header")
	}
}

// The explanation of a failed automatic response says so first: a bounce
// of a bounce to the postmaster, Sendmail's postmaster notice, and an
// automatic reply that was returned.
func TestAutoResponseExplained(t *testing.T) {
	for _, file := range []string{
		"postfix/double-bounce-postmaster-copy.eml",
		"sendmail/postmaster-notify-double-bounce.eml",
		"exim/vacation-reply-returned.eml",
	} {
		rep, _, err := explainFile(t, filepath.Join("..", "testdata", "bounces", file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if len(rep.Recipients) != 1 {
			t.Fatalf("%s: %d recipients, want the failed response's one", file, len(rep.Recipients))
		}
		r := rep.Recipients[0]
		if !rep.Original.AutoResponse() || len(r.Explanations) == 0 || r.Explanations[0].ID != "auto-response-undeliverable" || r.Explanations[0].Retry != remedy.RetryNever {
			t.Errorf("%s: %s first explained by %v", file, r.Recipient, explanationIDs(r))
		}
	}
}

// explanationIDs returns the IDs of r's explanations, most specific
// first.
func explanationIDs(r ndr.Recipient) []string {
	ids := make([]string, len(r.Explanations))
	for i, x := range r.Explanations {
		ids[i] = x.ID
	}
	return ids
}

// A returned message is a list's copy when it carries the fields a list
// adds (RFC 2919, RFC 2369).
func TestOriginalListMessage(t *testing.T) {
	for _, c := range []struct {
		field string
		want  bool
	}{
		{"List-Id", true},
		{"list-post", true},
		{"List-Unsubscribe", false}, // bulk senders add it too
		{"X-Mailing-List", false},
	} {
		o := ndr.Original{Header: []ndr.Field{{Name: c.field, Value: "<devel.example.com>"}}}
		if got := o.ListMessage(); got != c.want {
			t.Errorf("ListMessage() = %v with %s, want %v", got, c.field, c.want)
		}
	}
}
