package classify

import (
	"testing"

	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// TestClassifyNoReply covers failures that carry no reply from the remote
// server, as nullmailer, Courier and dma report them, and the cases that
// the rule must leave alone.
func TestClassifyNoReply(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "nullmailer: Remote-MTA and an empty Diagnostic-Code",
			diag: "", diagType: "smtp", status: "5.0.0", remote: "127.0.0.1", action: record.ActionFailed,
			want: verdict{record.ReasonNetworkError, `remote host "127.0.0.1": the remote server gave no reply`, false, false},
		},
		{
			name: "a remote host named with a trailing dot",
			diag: "  ", status: "5.0.0", remote: "MX.Example.NET.", action: record.ActionFailed,
			want: verdict{record.ReasonNetworkError, `remote host "mx.example.net": the remote server gave no reply`, false, false},
		},
		{
			name: "Courier: nothing recorded under the address",
			diag: "", status: "5.0.0", cmd: "CONN", action: record.ActionFailed,
			want: verdict{record.ReasonNetworkError, "stage CONN: the remote server gave no reply", false, false},
		},
		{
			name: "dma's stand-in text",
			diag: "unknown bounce reason", cmd: "HELO", action: record.ActionFailed,
			want: verdict{record.ReasonNetworkError, `text "unknown bounce reason": the MTA kept no reply from the remote server`, false, false},
		},
		{
			name: "dma's stand-in text pasted without its layout",
			diag: "Unknown bounce reason.",
			want: verdict{record.ReasonNetworkError, `text "Unknown bounce reason.": the MTA kept no reply from the remote server`, false, false},
		},
		{
			name: "expired when the layout read that the MTA gave up: a temporary condition",
			diag: "", status: "5.0.0", remote: "mx.example.net", action: record.ActionFailed, detector: record.ReasonExpired,
			want: verdict{record.ReasonExpired, "layout", true, false},
		},
		{
			name: "a temporary status without a reply is never a hard bounce",
			diag: "", status: "4.0.0", remote: "mx.example.net", action: record.ActionFailed,
			want: verdict{record.ReasonNetworkError, `remote host "mx.example.net": the remote server gave no reply`, true, false},
		},
		{
			name: "a specific status speaks for the reply",
			diag: "", status: "5.1.1", remote: "mx.example.net", action: record.ActionFailed,
			want: verdict{record.ReasonUserUnknown, "status 5.1.1", false, true},
		},
		{
			name: "a delay notice stays a delay",
			diag: "", status: "4.0.0", remote: "mx.example.net", action: record.ActionDelayed,
			want: verdict{record.ReasonExpired, "action delayed", true, false},
		},
		{
			name: "no remote host and no stage: nothing to go on",
			diag: "", status: "5.0.0", action: record.ActionFailed,
			want: verdict{record.ReasonOnHold, "no rule matched the reply", false, false},
		},
		{
			name: "the stand-in inside other text is not a stand-in",
			diag: "550 unknown bounce reason from a filter", cmd: "RCPT", action: record.ActionFailed,
			want: verdict{record.ReasonOnHold, "no rule matched the reply", false, false},
		},
		{
			name: "a reply with text is read as usual",
			diag: "Network connection shut down by the remote mail server", status: "5.0.0", remote: "127.0.0.1", action: record.ActionFailed,
			want: verdict{record.ReasonNetworkError, `text "connection shut down by the remote"`, false, false},
		},
	})
}
