package layout

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// Under Sendmail's queue-timeout subject, only a recipient that failed
// without a permanent reply of its own is one the timeout returned; the
// DSN part's fields, when it has the recipient, decide.
func TestQueueTimedOut(t *testing.T) {
	code := func(s string) enhancedcode.Code {
		c, err := enhancedcode.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name string
		text record.Recipient // what the text part says
		dsn  *record.Recipient
		want bool
	}{
		{"text only, no reply", record.Recipient{}, nil, true},
		{"text only, temporary reply", record.Recipient{ReplyCode: 451}, nil, true},
		{"text only, permanent reply", record.Recipient{ReplyCode: 550}, nil, false},
		{"text only, delivered", record.Recipient{Action: record.ActionDelivered}, nil, false},
		{"DSN failed after a temporary reply", record.Recipient{},
			&record.Recipient{Action: record.ActionFailed, Status: code("4.3.0"), Diagnostic: "451 4.3.0 Temporary system failure"}, true},
		{"DSN failed with a delivery-time status", record.Recipient{},
			&record.Recipient{Action: record.ActionFailed, Status: code("4.4.7")}, true},
		{"DSN failed with its own permanent reply", record.Recipient{},
			&record.Recipient{Action: record.ActionFailed, Status: code("5.0.0"), Diagnostic: "550 user unknown"}, false},
		{"DSN failed with a permanent status and no reply", record.Recipient{},
			&record.Recipient{Action: record.ActionFailed, Status: code("5.1.1")}, false},
		{"DSN failed with a connection status", record.Recipient{},
			&record.Recipient{Action: record.ActionFailed, Status: code("5.4.4")}, true},
		{"DSN still delayed", record.Recipient{},
			&record.Recipient{Action: record.ActionDelayed, Status: code("4.4.1")}, false},
		{"DSN relayed", record.Recipient{},
			&record.Recipient{Action: record.ActionRelayed, Status: code("2.0.0")}, false},
	}
	for _, tt := range tests {
		var d record.Recipient
		if tt.dsn != nil {
			d = *tt.dsn
		}
		if got := queueTimedOut(tt.text, d, tt.dsn != nil); got != tt.want {
			t.Errorf("%s: queueTimedOut = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSendmailOwnReply checks that each recipient of a Sendmail report
// gets the reply of its own session: a reply to another address's RCPT
// command is never a recipient's, whether the transcript holds one
// failure reply or several.
func TestSendmailOwnReply(t *testing.T) {
	const head = "From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.com>\n" +
		"Subject: Warning: could not send message for past 4 hours\n\n" +
		"   ----- Transcript of session follows -----\n"
	tests := []struct {
		name, text string
		want       map[string]string // recipient -> diagnostic
	}{
		{"a timeout before another's refused RCPT",
			"<ichiro@example.org>... Deferred: Connection timed out with mx.example.org.\n" +
				"... while talking to mx.example.net.:\n>>> RCPT To:<jiro@example.net>\n<<< 452 4.2.2 over quota\n" +
				"<jiro@example.net>... Deferred: 452 4.2.2 over quota\n",
			map[string]string{
				"ichiro@example.org": "<ichiro@example.org>... Deferred: Connection timed out with mx.example.org.",
				"jiro@example.net":   "452 4.2.2 over quota",
			}},
		{"two refused RCPTs of a pipelined session, verdicts after both",
			"... while talking to mx.example.net.:\n>>> RCPT To:<a@example.net>\n<<< 452 4.2.2 mailbox over quota\n" +
				">>> RCPT To:<b@example.net>\n<<< 450 4.2.1 mailbox busy\n" +
				"<a@example.net>... Deferred\n<b@example.net>... Deferred\n",
			map[string]string{
				"a@example.net": "452 4.2.2 mailbox over quota",
				"b@example.net": "450 4.2.1 mailbox busy",
			}},
		{"a reply to DATA is every recipient's",
			"... while talking to mx.example.net.:\n>>> DATA\n<<< 451 4.3.0 try again later\n" +
				"<a@example.net>... Deferred\n<b@example.net>... Deferred\n",
			map[string]string{
				"a@example.net": "451 4.3.0 try again later",
				"b@example.net": "451 4.3.0 try again later",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFound(Options{}, nil)
			detectSendmail(mime.Pasted(head+tt.text), f)
			got := map[string]string{}
			for _, r := range f.rs {
				got[r.Recipient] = r.Diagnostic
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("recipient -> diagnostic (-want +got):\n%s", diff)
			}
		})
	}
}
