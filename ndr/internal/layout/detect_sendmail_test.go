package layout

import (
	"testing"

	"github.com/ndrkit/ndrkit/enhancedcode"
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
