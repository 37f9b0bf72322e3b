package remedy

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
)

func TestRegistrableDomain(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"user@example.co.jp", "example.co.jp"},
		{"user@tokyo.example.co.jp", "example.co.jp"},
		{"<User@Mail.Example.COM.>", "example.com"},
		{" info@www.example.com ", "example.com"},
		{"a@b@example.net", "example.net"},
		{"user@co.jp", "co.jp"}, // a public suffix: the whole domain
		{"user@localhost", "localhost"},
		{"user@", ""},
		{"user", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := registrableOf(recipientDomain(tt.addr)); got != tt.want {
			t.Errorf("registrableOf(recipientDomain(%q)) = %q, want %q", tt.addr, got, tt.want)
		}
		if got := refRegistrable(tt.addr); got != tt.want {
			t.Errorf("refRegistrable(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// The constraints on the parties hold exactly when the facts say so, add
// their trigger and score, and are checked like the other constraints:
// an entry whose constraint fails does not match at all.
func TestPartyConstraints(t *testing.T) {
	c, err := Load(fstest.MapFS{"a.json": {Data: []byte(`{"entries": [` +
		entryJSON("same", `"reasons": ["userunknown"], "sameDomain": true`) + `,` +
		entryJSON("local", `"reasons": ["userunknown"], "local": true`) + `,` +
		entryJSON("moved", `"reasons": ["userunknown"], "sameDomain": true, "local": true`) + `,` +
		entryJSON("fwd", `"reasons": ["userunknown"], "forwarded": true`) + `]}`)}})
	if err != nil {
		t.Fatal(err)
	}
	base := Facts{Reason: "userunknown", Recipient: "staff@example.co.jp"}
	tests := []struct {
		name string
		edit func(*Facts)
		want []string // "id: triggers"
	}{
		{"nothing known", func(*Facts) {}, nil},
		{"same domain", func(f *Facts) { f.Sender = "info@example.co.jp" },
			[]string{"same: reason userunknown; same domain example.co.jp"}},
		{"same registrable domain, other hosts", func(f *Facts) { f.Sender = "web@www.example.co.jp"; f.Recipient = "staff@tokyo.example.co.jp" },
			[]string{"same: reason userunknown; same domain example.co.jp"}},
		{"same domain, letter case and brackets", func(f *Facts) { f.Sender = "<Info@EXAMPLE.co.jp>" },
			[]string{"same: reason userunknown; same domain example.co.jp"}},
		{"other domain under the same suffix", func(f *Facts) { f.Sender = "info@example2.co.jp" }, nil},
		{"no recipient", func(f *Facts) { f.Sender = "info@example.co.jp"; f.Recipient = "" }, nil},
		{"local", func(f *Facts) { f.Local = true },
			[]string{"local: reason userunknown; failure decided by the reporting host"}},
		{"local and same domain", func(f *Facts) { f.Local = true; f.Sender = "info@example.co.jp" },
			[]string{
				"moved: reason userunknown; same domain example.co.jp; failure decided by the reporting host",
				"same: reason userunknown; same domain example.co.jp",
				"local: reason userunknown; failure decided by the reporting host",
			}},
		{"forwarded to another domain", func(f *Facts) { f.OriginalRecipient = "info@example.jp" },
			[]string{"fwd: reason userunknown; original recipient info@example.jp"}},
		{"alias in the same domain", func(f *Facts) { f.OriginalRecipient = "info@example.co.jp" },
			[]string{"fwd: reason userunknown; original recipient info@example.co.jp"}},
		{"alias in a subdomain", func(f *Facts) { f.OriginalRecipient = "info@lists.example.co.jp" },
			[]string{"fwd: reason userunknown; original recipient info@lists.example.co.jp"}},
		{"an alias of the sender's own domain forwarded elsewhere", func(f *Facts) {
			f.Sender, f.Recipient, f.OriginalRecipient = "sato@example.co.jp", "kenji@example.org", "support@example.co.jp"
		}, []string{
			"fwd: reason userunknown; original recipient support@example.co.jp",
			"same: reason userunknown; same domain example.co.jp",
		}},
		{"the recipient's own alias forwarded into the sender's domain", func(f *Facts) {
			f.Sender, f.Recipient, f.OriginalRecipient = "sato@example.co.jp", "taro@example.co.jp", "info@example.org"
		}, []string{"fwd: reason userunknown; original recipient info@example.org"}},
		{"routed on under its own name", func(f *Facts) { f.OriginalRecipient = "Staff@example.onmicrosoft.com" }, nil},
		{"the same name, quoted", func(f *Facts) { f.OriginalRecipient, f.Recipient = `"a..b"@example.co.jp`, "a..b@example.co.jp" }, nil},
		{"original recipient without a domain", func(f *Facts) { f.OriginalRecipient = "info" }, nil},
		{"the constraints do not trigger by themselves", func(f *Facts) {
			f.Reason = "mailboxfull"
			f.Local, f.Sender, f.OriginalRecipient = true, "info@example.co.jp", "x@example.net"
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base
			tt.edit(&f)
			var got []string
			for _, m := range c.Match(f) {
				got = append(got, m.Entry.ID+": "+strings.Join(m.Triggers, "; "))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
			checkSameAsReference(t, c, f)
		})
	}
}

// A local failure for an address of the sender's own domain is the
// domain whose mail moved while the old host still delivers it; an
// ordinary unknown user is not.
func TestMovedDomainEntry(t *testing.T) {
	const id = "domain-mail-still-local-on-old-host"
	local := Facts{Reason: "userunknown", Status: "5.1.1", Action: "failed", Local: true,
		Sender: "info@example.co.jp", Recipient: "tanaka@example.co.jp",
		Texts: []string{`unknown user: "tanaka@example.co.jp"`}}
	tests := []struct {
		name  string
		edit  func(*Facts)
		first string
	}{
		{"postfix virtual delivery", func(*Facts) {}, id},
		{"postfix local delivery, local part only", func(f *Facts) { f.Texts = []string{`unknown user: "tanaka"`} }, id},
		{"content filter on loopback hands back to smtpd", func(f *Facts) {
			f.ReplyCode, f.RemoteMTA = 550, "127.0.0.1"
			f.Texts = []string{"550 5.1.1 <tanaka@example.co.jp>: Recipient address rejected: User unknown in virtual mailbox table"}
		}, id},
		{"web form on a subdomain host", func(f *Facts) { f.Sender = "wordpress@www.example.co.jp" }, id},
		{"still being retried", func(f *Facts) { f.Temporary, f.Action, f.Status = true, "delayed", "4.1.1" }, id},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := local
			tt.edit(&f)
			ms := checkMatch(t, f, tt.first, ActorSenderAdmin, nil)
			if len(ms) == 0 || ms[0].Entry.ID != id {
				return
			}
			if !slices.ContainsFunc(ms, func(m Match) bool { return m.Entry.ID == "reason-userunknown" }) {
				t.Errorf("the generic entry should follow: %v", ms)
			}
			if f.Action == "failed" {
				for _, lang := range Languages {
					if x := ms[0].Render(lang); x.Retry != RetryAfterFix {
						t.Errorf("%s: advice %s, want %s", lang, x.Retry, RetryAfterFix)
					}
				}
			}
		})
	}
	negatives := []struct {
		name string
		edit func(*Facts)
	}{
		{"remote server answered", func(f *Facts) {
			f.Local, f.ReplyCode, f.RemoteMTA = false, 550, "example-co-jp.mail.protection.outlook.com"
			f.Texts = []string{"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"}
		}},
		{"another domain", func(f *Facts) { f.Sender = "info@example.net" }},
		{"another domain under the same suffix", func(f *Facts) { f.Sender = "info@example2.co.jp" }},
		{"sender unknown", func(f *Facts) { f.Sender = "" }},
		{"recipient unknown", func(f *Facts) { f.Recipient = "" }},
		{"mailbox full", func(f *Facts) {
			f.Reason, f.Status = "mailboxfull", "5.2.2"
			f.Texts = []string{"maildir delivery failed: Sorry, the user's maildir has overdrawn his diskspace quota"}
		}},
		{"unknown user phrase, other reason", func(f *Facts) { f.Reason = "filtered" }},
		{"no reason", func(f *Facts) { f.Reason = "" }},
	}
	for _, tt := range negatives {
		t.Run(tt.name, func(t *testing.T) {
			f := local
			tt.edit(&f)
			checkMatch(t, f, "", "", []string{id})
		})
	}
}

func TestShareTwoLabels(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"example.co.jp", "other.co.jp", true},
		{"example.co.jp", "mail.example.co.jp", true},
		{"example.com", "gmail.com", false},
		{"example.com", "example.com", true},
		{"a.example.com", "b.example.com", true},
		{"co.jp", "x.co.jp", true},
		{"jp", "x.jp", false},
		{"ample.com", "example.com", false},
		{"x.ample.com", "example.com", false},
		{"", "example.com", false},
	} {
		if got := shareTwoLabels(tt.a, tt.b); got != tt.want {
			t.Errorf("shareTwoLabels(%q, %q) = %t, want %t", tt.a, tt.b, got, tt.want)
		}
		// The claim that makes it a shortcut: registrable domains equal
		// only where the domains share two labels.
		if tt.a != tt.b && !shareTwoLabels(tt.a, tt.b) && tt.a != "" && registrableOf(tt.a) == registrableOf(tt.b) {
			t.Errorf("%q and %q share no two labels but have the registrable domain %q", tt.a, tt.b, registrableOf(tt.a))
		}
	}
}

// A bounce that a mail service wrote about a recipient beyond it names
// the service (Match.SentBy), and the explanation leaves out the steps
// for a server of the sender's own; a bounce that the service wrote for
// a mailbox it hosts, or that anyone else wrote, keeps them.
func TestSentBy(t *testing.T) {
	base := Facts{
		Reason: "networkerror", Status: "4.4.1", Action: "delayed", Temporary: true,
		Texts:     []string{"The recipient server did not accept our requests to connect."},
		Recipient: "info@example.co.jp",
	}
	tests := []struct {
		name string
		edit func(*Facts)
		want string
	}{
		{"nothing known", func(*Facts) {}, ""},
		{"Gmail's daemon", func(f *Facts) { f.ReportedBy = "mailer-daemon@googlemail.com" }, "google"},
		{"Gmail's Reporting-MTA", func(f *Facts) { f.ReportingMTA = "dns; googlemail.com" }, "google"},
		{"Microsoft 365 tenant's notice", func(f *Facts) {
			f.ReportedBy = "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com"
			f.ReportingMTA = "dns;TYCPR01MB1234.jpnprd01.prod.outlook.com"
		}, "microsoft"},
		{"the recipient's tenant wrote it", func(f *Facts) {
			f.ReportedBy = "postmaster@example.co.jp"
			f.ReportingMTA = "dns;TYCPR01MB1234.jpnprd01.prod.outlook.com"
		}, ""},
		{"recipient at the service", func(f *Facts) {
			f.ReportedBy = "mailer-daemon@googlemail.com"
			f.Recipient = "someone@gmail.com"
		}, ""},
		{"remote server at the service", func(f *Facts) {
			f.ReportedBy = "mailer-daemon@googlemail.com"
			f.RemoteMTA = "gmr-smtp-in.l.google.com"
		}, ""},
		{"decided by the service itself", func(f *Facts) {
			f.ReportedBy = "mailer-daemon@googlemail.com"
			f.Local = true
		}, ""},
		{"a server that is no service", func(f *Facts) { f.ReportedBy = "MAILER-DAEMON@mail.example.net" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base
			tt.edit(&f)
			xs := Default().Explain(f, language.English)
			if len(xs) == 0 || xs[0].ID != "remote-server-unreachable" {
				t.Fatalf("explained as %d entries, want remote-server-unreachable first", len(xs))
			}
			x := xs[0]
			if x.SentBy != tt.want {
				t.Errorf("SentBy = %q, want %q", x.SentBy, tt.want)
			}
			e, _ := Default().Lookup(x.ID)
			var want []string
			for _, s := range e.Text["en"].Steps {
				if !s.OwnServer || tt.want == "" {
					want = append(want, s.Text)
				}
			}
			var got []string
			for _, a := range x.Actions {
				got = append(got, a.Text)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
			if m, ok := Default().Best(f); !ok || m.SentBy != tt.want || m.Render(language.English).SentBy != tt.want {
				t.Errorf("Best: SentBy %q (ok %v), want %q", m.SentBy, ok, tt.want)
			}
		})
	}
}
