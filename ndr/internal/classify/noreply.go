package classify

import (
	"slices"
	"strings"

	"github.com/ndrkit/ndrkit/ndr/internal/dsn"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// Several MTAs report a failure that names the remote host but carries no
// reply from it when the server dropped the connection, hung or refused
// it before it answered:
//
//   - nullmailer 2.2 (bruceg/nullmailer) writes "Diagnostic-Code: SMTP; "
//     followed by nothing. protocols/smtp.cc smtp::docmd hands the text
//     read from the server to protocol_fail, and smtp::get returns an
//     empty text when the connection ends before a reply line; src/send.cc
//     (parse_output) makes the Diagnostic-Code of that output and the
//     status 5.0.0 when the output has none, and bounce_msg gives
//     nullmailer-dsn the remote host, which src/dsn.cc writes as
//     Remote-MTA. Such a failure is temporary to nullmailer (ERR_PROTO,
//     lib/errcodes.h), so send_all bounces it only once the message is
//     older than queuelifetime.
//   - Courier 1.x (svarshavchik/courier, git fe506cc) lists the recipient
//     with no host and no reply lines. courier/module.esmtp/libesmtp.C
//     esmtp_get_greeting returns before log_talking when no greeting
//     line arrives, and do_esmtp_connect then clears errno, so nothing is
//     recorded for the recipient; courier/module.dsn/dsn.C
//     (format_del_info) prints only what was recorded. The Courier layout
//     gives such a recipient the stage CONN.
//   - dma (corecode/dma, v0.13 and v0.14) starts its bounce text as
//     "unknown bounce reason" (dma.c, deliver) and keeps it when net.c
//     deliver_to_host fails at EHLO (perform_server_greeting) without
//     setting errmsg: read_remote failed (a connection reset or another
//     read error) or the answer to EHLO was not a well-formed 2xx
//     reply, which dma does not keep. The report names no host, and the
//     session ended before the envelope; the dma layout gives it the
//     stage HELO.

// noReplyTexts are the texts that a sending MTA writes in place of the
// remote server's reply when, by its source, the session failed before
// the server answered; see above. They are compared with the whole
// lower-cased diagnostic.
var noReplyTexts = []string{
	// dma v0.14 dma.c deliver() and net.c deliver_to_host().
	"unknown bounce reason",
}

// The evidence of noReply: the server gave no reply, or the MTA wrote
// a stand-in instead of any reply it had.
const (
	noReplyEvidence = "the remote server gave no reply"
	noKeptEvidence  = "the MTA kept no reply from the remote server"
)

// noReply decides a final failure that carries no reply from the remote
// server: no reply code, no status but a generic one, and either no text
// at all while the report names the remote host or the layout read that
// the session ended at the connection, or only a sending MTA's stand-in
// of noReplyTexts. The server dropped the connection, hung or refused it
// before it answered (or, behind a stand-in, the MTA did not keep what
// it said): networkerror, or expired when the layout read that the MTA
// retried until the message expired. Neither is a hard bounce.
func (c *clue) noReply() (record.Reason, string, bool) {
	if c.action != record.ActionFailed || c.code != 0 || !c.status.IsZero() && !dsn.IsGeneric(c.status) {
		return "", "", false
	}
	text := strings.TrimSpace(c.ldiag)
	var ev string
	switch {
	case text == "" && c.remote != "":
		ev = "remote host " + textutil.Quote(c.remote) + ": " + noReplyEvidence
	case text == "" && c.cmd == "CONN":
		ev = "stage CONN: " + noReplyEvidence
	case text != "" && isNoReplyText(text):
		ev = "text " + textutil.Quote(strings.TrimSpace(c.diag)) + ": " + noKeptEvidence
	default:
		return "", "", false
	}
	if c.expiring {
		return record.ReasonExpired, ev, true
	}
	return record.ReasonNetworkError, ev, true
}

// isNoReplyText reports whether a trimmed lower-cased diagnostic is one of
// noReplyTexts, with or without a closing full stop.
func isNoReplyText(text string) bool {
	return slices.Contains(noReplyTexts, strings.TrimSuffix(text, "."))
}
