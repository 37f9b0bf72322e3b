package dsn

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/internal/literal"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
	"github.com/ndrkit/ndrkit/ndr/internal/textutil"
)

// clientErrors, lower case, are the words of a program's own failure to
// hand a message to a mail server: JavaMail's "Could not connect to SMTP
// host: %s, port: %d" (SMTPTransport.openServer), PHPMailer's "SMTP
// connect() failed", the exceptions Java and Python raise for a refused
// or timed-out connection, and Thunderbird's messages that it could not
// reach its outgoing server (messenger/messengercompose.ftl
// send-error-smtp-request-refused, -interrupted, -timeout and
// -unknown-server, and their Japanese in composeMsgs.properties
// smtpSendRequestRefused, smtpSendInterrupted, smtpSendTimeout and
// smtpSendFailedUnknownServer), or that it could not log in to it
// (smtp-auth-failure, en and ja).
var clientErrors = []string{
	"could not connect to smtp host", "smtp connect() failed", "java.net.connectexception", "java.net.sockettimeoutexception", "connectionrefusederror",
	"because connecting to outgoing server (smtp)", "because the connection to outgoing server (smtp)", "is unknown. the server may be incorrectly configured",
	"に接続できなかったため、メッセージを送信できませんでした", "との接続がタイムアウトしたため、メッセージを送信できませんでした",
	"との接続が切断されたため、メッセージを送信できませんでした", "が見つかりません。サーバーの設定に誤りがある可能性があります",
	"unable to authenticate to outgoing server (smtp)", "の認証に失敗しました。パスワードを確認し",
}

// ClientFailureAt returns the offset in lower of the first words of a
// program's failed attempt to connect to a mail server (see
// ClientFailure), or -1.
func ClientFailureAt(lower string) int {
	at := textutil.IndexFirst(lower, clientErrors...)
	if t, ok := clientTask(lower); ok && (at < 0 || t.start < at) {
		at = t.start
	}
	return at
}

// ClientFailure reports whether lower, a lower-cased text, holds the
// words of a program's own failed attempt to connect to a mail server
// (clientErrors) or Outlook's report of a sending task that failed so
// (see ClientTaskReason): an application's log or a mail program's
// dialog, not a server's report, so no server retried the message.
func ClientFailure(lower string) bool {
	if textutil.ContainsAny(lower, clientErrors...) {
		return true
	}
	_, ok := clientTask(lower)
	return ok
}

// taskReport matches, in lower-cased text, Outlook's report of a task of
// its Send/Receive progress that failed: the task's name in quotes, then
// on the same line the error's code in parentheses. Microsoft quotes it
// as "Task 'user@example.com - Sending' reported error (0x8004210b) :
// 'The operation timed out waiting for a response from the sending
// (SMTP) server. ...'" (learn.microsoft.com, Outlook keeps trying to send
// a nonexistent message: MicrosoftDocs/OfficeDocs-Support
// Outlook/Client/synchronization/delete-nonexistent-messages.md) and
// "Task 'Main - Sending and Receiving' reported error (0x800CCC0F) : 'The
// connection to the server was interrupted. ...'" (support.microsoft.com
// KB 935400). The name of a task that sends is the account's and the
// task's ("<account> - Sending"); the account is the user's own, by
// default its address. The words between the name and the code are the
// dialog's language's and are not read. Group 1 is the name, group 2
// the code's hexadecimal digits.
var taskReport = regexp.MustCompile(`'([^'\r\n]{1,320})'[^'\r\n(]{1,48}\(0x([0-9a-f]{8})\)`)

// maxTaskReports bounds the task reports read in one text.
const maxTaskReports = 16

// taskCode is what the code of a task's error says: the reason, and
// what went wrong, as the evidence says it.
type taskCode struct {
	reason  record.Reason
	meaning string
}

// taskCodes are the codes of Outlook's task errors that say the program
// could not talk to its outgoing server or log in to it. The IXP_E_
// codes are those of the Internet Mail transport that Outlook and
// Outlook Express share, declared in the Windows SDK's imnxport.h (as
// mirrored in Wine's include/imnxport.idl). 0x8004210B is "The operation
// timed out waiting for a response from the sending (SMTP) server"
// (taskReport's first source), 0x800CCC80 "None of the authentication
// methods supported by this client are supported by your server"
// (learn.microsoft.com, 0x800ccc80 error when sending mail from Outlook:
// OfficeDocs-Support Outlook/Client/profiles-and-accounts/
// 0x800ccc80-error-when-sending-mail-from-outlook.md).
var taskCodes = map[uint32]taskCode{
	0x800CCC0D: {record.ReasonNetworkError, "the server's name was not found"},                   // IXP_E_CANT_FIND_HOST
	0x800CCC0E: {record.ReasonNetworkError, "the connection to the server could not be made"},    // IXP_E_FAILED_TO_CONNECT
	0x800CCC0F: {record.ReasonNetworkError, "the connection to the server was dropped"},          // IXP_E_CONNECTION_DROPPED
	0x800CCC12: {record.ReasonNetworkError, "reading from the connection failed"},                // IXP_E_SOCKET_READ_ERROR
	0x800CCC13: {record.ReasonNetworkError, "writing to the connection failed"},                  // IXP_E_SOCKET_WRITE_ERROR
	0x800CCC15: {record.ReasonNetworkError, "the connection could not be opened"},                // IXP_E_SOCKET_CONNECT_ERROR
	0x800CCC18: {record.ReasonSecurityError, "the logon failed"},                                 // IXP_E_SICILY_LOGON_FAILED
	0x800CCC19: {record.ReasonNetworkError, "the server did not answer in time"},                 // IXP_E_TIMEOUT
	0x800CCC80: {record.ReasonSecurityError, "no authentication method is common to both sides"}, // Microsoft's page above
	0x8004210B: {record.ReasonNetworkError, "the sending (SMTP) server did not answer in time"},  // Microsoft's page above
}

// task is a task report found in a text.
type task struct {
	start int // the offset of the opening quote of its name
	code  uint32
}

// clientTask returns the first report in lower of a sending task whose
// code is one of taskCodes. A task sends when its English name says so
// ("- Sending", "- Sending and Receiving"); an English name without the
// word, such as a folder's synchronisation, sent nothing. A name in
// another script is taken as a sending one: its words are not read, and
// the code says the connection failed.
func clientTask(lower string) (task, bool) {
	if !strings.Contains(lower, "(0x") {
		return task{}, false
	}
	for _, m := range taskReport.FindAllStringSubmatchIndex(lower, maxTaskReports) {
		code, err := strconv.ParseUint(lower[m[4]:m[5]], 16, 32)
		if err != nil {
			continue
		}
		if _, ok := taskCodes[uint32(code)]; !ok {
			continue
		}
		if name := lower[m[2]:m[3]]; textutil.IsASCII(name) && !strings.Contains(name, "sending") {
			continue
		}
		return task{start: m[0], code: uint32(code)}, true
	}
	return task{}, false
}

// ClientTaskReason decides the failure that Outlook reports, in lower, for
// one of its sending tasks by the code of its error (taskCodes): the
// code is the same in every language the dialog is shown in. It reports
// false when lower holds no such report.
func ClientTaskReason(lower string) (record.Reason, string, bool) {
	t, ok := clientTask(lower)
	if !ok {
		return "", "", false
	}
	c := taskCodes[t.code]
	return c.reason, fmt.Sprintf("mail program error \"0x%08X\": %s", t.code, c.meaning), true
}

// taskAccountReach bounds how far before and after an address
// TaskAccount looks for the task report around it: a task's name, and
// the words and the code after it.
const taskAccountReach = 400

// TaskAccount reports whether the address at text[start:end] stands in
// the name of a task that Outlook reports as failed (taskReport): the
// account the task ran for, the user's own, which is no recipient. The
// look is bounded around the address, on its line.
func TaskAccount(text string, start, end int) bool {
	from := max(0, start-taskAccountReach)
	if k := strings.LastIndexByte(text[from:start], '\n'); k >= 0 {
		from += k + 1
	}
	to := min(len(text), end+taskAccountReach)
	if k := strings.IndexByte(text[end:to], '\n'); k >= 0 {
		to = end + k
	}
	if !strings.Contains(text[from:to], "(0") {
		return false // no code in parentheses on the line: no lower-cased copy
	}
	w := literal.LowerASCII(text[from:to])
	if !strings.Contains(w, "(0x") {
		return false
	}
	for _, m := range taskReport.FindAllStringSubmatchIndex(w, maxTaskReports) {
		// The address pattern may take the opening quote into the
		// local part.
		if from+m[2] <= start+1 && end <= from+m[3] {
			return true
		}
	}
	return false
}
