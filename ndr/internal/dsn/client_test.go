package dsn

import (
	"strings"
	"testing"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// TestClientTaskReason checks that the code of Outlook's task error
// decides the failure of a sending task, whatever the words around it,
// and that a task that sends nothing, a code of another kind and a
// quoted string that is no task report are no client failure.
func TestClientTaskReason(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       record.Reason // "": not a client failure
	}{
		{"connection dropped", "Task 'sato@example.org - Sending' reported error (0x800CCC0F) : 'The connection to the server was interrupted. If this problem continues, contact your server administrator or Internet service provider (ISP).'", record.ReasonNetworkError},
		{"send and receive", "Task 'Main - Sending and Receiving' reported error (0x800CCC0F) : 'The connection to the server was interrupted.'", record.ReasonNetworkError},
		{"smtp timeout, lower-case code", "Task 'sato@example.org - Sending' reported error (0x8004210b) : 'The operation timed out waiting for a response from the sending (SMTP) server.'", record.ReasonNetworkError},
		{"cannot connect", "Task 'Office - Sending' reported error (0x800CCC0E) : 'Cannot connect to the server.'", record.ReasonNetworkError},
		{"no authentication method in common", "Task 'sato@example.org - Sending' reported error (0x800CCC80) : 'None of the authentication methods supported by this client are supported by your server.'", record.ReasonSecurityError},
		// The words of another language are not read: the code is.
		{"a dialog in another script", "タスク 'sato@example.co.jp - 送信中' がエラー (0x800CCC0F) を報告しました: '…'", record.ReasonNetworkError},
		{"a receiving task", "Task 'sato@example.org - Receiving' reported error (0x800CCC0F) : 'The connection to the server was interrupted.'", ""},
		{"a folder synchronisation", "Task 'Synchronizing subscribed folders for sato@example.org.' reported error (0x800CCC0E) : 'Cannot connect to the server.'", ""},
		{"a code of another kind", "Task 'SharePoint' reported error (0x80040102) : 'Outlook cannot connect to the SharePoint List.'", ""},
		{"no code", "Task 'sato@example.org - Sending' reported error : 'The connection to the server was interrupted.'", ""},
		{"a code on the next line", "Task 'sato@example.org - Sending' reported error\n(0x800CCC0F)", ""},
	} {
		lower := literal.LowerASCII(tc.text)
		reason, ev, ok := ClientTaskReason(lower)
		if ok != (tc.want != "") || reason != tc.want {
			t.Errorf("%s: ClientTaskReason = %q, %q, %v; want %q", tc.name, reason, ev, ok, tc.want)
		}
		if got := ClientFailure(lower); got != ok {
			t.Errorf("%s: ClientFailure = %v, want %v", tc.name, got, ok)
		}
		if at := ClientFailureAt(lower); ok && at != strings.IndexByte(lower, '\'') || !ok && at >= 0 {
			t.Errorf("%s: ClientFailureAt = %d", tc.name, at)
		}
	}
}

// TestTaskAccount checks that an address in the name of a failed task is
// the task's account, and one elsewhere on the line is not.
func TestTaskAccount(t *testing.T) {
	for _, tc := range []struct {
		text, addr string
		want       bool
	}{
		{"Task 'sato@example.org - Sending' reported error (0x800CCC0F) : 'The connection to the server was interrupted.'", "sato@example.org", true},
		{"Task 'andrew@example.net- Sending' reported error (0x800CCC7F): 'The server responded: 454 Throttling failure'", "andrew@example.net", true},
		{"Task 'Synchronizing subscribed folders for sato@example.org.' reported error (0x800CCC0E) : 'Cannot connect to the server.'", "sato@example.org", true},
		{"Task 'sato@example.org - Sending' reported error (0x800CCC79) : 'The server responded: 550 5.1.1 <kato@example.net>: User unknown'", "kato@example.net", false},
		{"Task 'sato@example.org - Sending' reported error : 'no code'", "sato@example.org", false},
		{"I wrote to 'kato@example.net' yesterday.", "kato@example.net", false},
	} {
		start := strings.Index(tc.text, tc.addr)
		if got := TaskAccount(tc.text, start, start+len(tc.addr)); got != tc.want {
			t.Errorf("TaskAccount(%q, %q) = %v, want %v", tc.text, tc.addr, got, tc.want)
		}
	}
	// The look stays on the address's line and within its reach.
	long := "Task 'x - Sending' reported error (0x800CCC0F)\n" + strings.Repeat("a", 1000) + " sato@example.org"
	start := strings.Index(long, "sato@")
	if TaskAccount(long, start, len(long)) {
		t.Error("TaskAccount took an address on another line")
	}
}
