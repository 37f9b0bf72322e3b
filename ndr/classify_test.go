package ndr

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/enhancedcode"
)

// verdict is what classification decides for one recipient.
type verdict struct {
	Reason     Reason
	Evidence   string
	Temporary  bool
	HardBounce bool
}

// classifyCase is the input of one classification case: what a detector
// hands over.
type classifyCase struct {
	name      string
	rcpt      string
	diag      string
	status    string
	cmd       string
	remote    string
	action    Action
	diagType  string
	want      verdict
	wantCause string // the innermost reply's text, when checked
}

func runClassify(t *testing.T, cases []classifyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rcpt := tc.rcpt
			if rcpt == "" {
				rcpt = "user@example.org"
			}
			r := Recipient{Recipient: rcpt, Diagnostic: tc.diag, Command: tc.cmd, RemoteMTA: tc.remote, Action: tc.action, DiagnosticType: tc.diagType}
			if tc.status != "" {
				r.Status = enhancedcode.MustParse(tc.status)
			}
			finish(&r, &message{})
			got := verdict{r.Reason, r.Evidence, r.Temporary, r.HardBounce}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("verdict (-want +got):\n%s", diff)
			}
			if tc.wantCause != "" && r.Cause.Text != tc.wantCause {
				t.Errorf("cause = %q, want %q", r.Cause.Text, tc.wantCause)
			}
		})
	}
}

func TestClassifyStatusAndText(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "status 5.1.1 decides",
			diag: "550 5.1.1 <user@example.org>: no mailbox by that name here", status: "5.1.1",
			want: verdict{ReasonUserUnknown, "status 5.1.1", false, true},
		},
		{
			name: "5.1.1 whose text refuses the sender",
			diag: "550 5.1.1 <me@example.net>: Sender address rejected: not a local address", status: "5.1.1", cmd: "MAIL",
			want: verdict{ReasonRejected, `text "sender address rejected"`, false, false},
		},
		{
			name: "5.2.2 mailbox full",
			diag: "552 5.2.2 <user@example.org>: Recipient address rejected: Mailbox full", status: "5.2.2",
			want: verdict{ReasonMailboxFull, "status 5.2.2", false, false},
		},
		{
			name: "5.2.3 is a limit set by the sender's side",
			diag: "552 5.2.3 Message length exceeds administrative limit",
			want: verdict{ReasonExceedLimit, "status 5.2.3", false, false},
		},
		{
			name: "5.3.4 message too big",
			diag: "552 5.3.4 Message size exceeds fixed limit",
			want: verdict{ReasonMesgTooBig, "status 5.3.4", false, false},
		},
		{
			name: "relay denied beats 5.7.1",
			diag: "554 5.7.1 <user@example.org>: Relay access denied", cmd: "RCPT",
			want: verdict{ReasonNoRelaying, `text "relay access denied"`, false, false},
		},
		{
			name: "DMARC refusal",
			diag: "550 5.7.1 Message rejected per DMARC policy for example.net",
			want: verdict{ReasonAuthFailure, `text "dmarc"`, false, false},
		},
		{
			name: "SMTP authentication required",
			diag: "550 Please enable SMTP authentication; anonymous relaying refused without authentication",
			want: verdict{ReasonSecurityError, `text "smtp authentication"`, false, false},
		},
		{
			name: "reverse DNS",
			diag: "550 5.7.1 Reverse DNS of your server failed, refused", cmd: "MAIL",
			want: verdict{ReasonRequirePTR, `text "reverse dns"`, false, false},
		},
		{
			name: "client IP on a block list",
			diag: "554 5.7.1 Service unavailable; client [192.0.2.7] blocked using bl.example.net", cmd: "RCPT",
			want: verdict{ReasonBlocked, `text "blocked using"`, false, false},
		},
		{
			name: "spam verdict after DATA",
			diag: "554 5.7.1 This message has been scored as spam and refused", cmd: "DATA",
			want: verdict{ReasonSpamDetected, `text "scored as spam"`, false, false},
		},
		{
			name: "virus",
			diag: "550 Virus found in attachment; message refused", cmd: "DATA",
			want: verdict{ReasonVirusDetected, `text "virus"`, false, false},
		},
		{
			name: "RFC 5322 breach",
			diag: "550 5.7.1 Messages with multiple addresses in From: are refused", cmd: "DATA",
			want: verdict{ReasonNotCompliantRFC, `text "multiple addresses in from"`, false, false},
		},
		{
			name: "local policy",
			diag: "550 5.7.0 Refused by local policy", cmd: "DATA",
			want: verdict{ReasonPolicyViolation, `text "local policy"`, false, false},
		},
		{
			name: "account disabled",
			diag: "550 5.2.1 The mailbox is disabled by its owner", cmd: "RCPT",
			want: verdict{ReasonSuspend, `text "mailbox is disabled"`, false, false},
		},
		{
			name: "moved",
			diag: "550 5.1.6 recipient no longer on server, ask them for a new address",
			want: verdict{ReasonHasMoved, "status 5.1.6", false, true},
		},
		{
			name: "null MX",
			diag: "The domain example.net does not accept mail (null MX)",
			want: verdict{ReasonNotAccept, `text "does not accept mail"`, false, true},
		},
		{
			name: "domain does not exist",
			diag: "Host or domain name not found. Name service error for name=example.invalid type=A",
			want: verdict{ReasonHostUnknown, `text "host or domain name not found"`, false, true},
		},
		{
			name: "temporary DNS failure is a network error",
			diag: "Host not found, try again",
			want: verdict{ReasonNetworkError, `text "host not found, try again"`, false, false},
		},
		{
			name: "nonexistent domain with a temporary status is a network error",
			diag: "DNS lookup of example.invalid answered NXDOMAIN", status: "4.0.0",
			want: verdict{ReasonNetworkError, `text "nxdomain" with a temporary failure`, true, false},
		},
		{
			name: "too many connections",
			diag: "421 4.7.0 Too many connections from your address, slow down", cmd: "MAIL",
			want: verdict{ReasonTooManyConn, `text "too many connections"`, true, false},
		},
		{
			name: "rate limited",
			diag: "450 4.2.1 The recipient is receiving mail too quickly, later please", cmd: "RCPT",
			want: verdict{ReasonSpeeding, `text "receiving mail too quickly"`, true, false},
		},
		{
			name: "local mailer program",
			diag: "temporary failure", status: "4.3.0", diagType: "x-unix",
			want: verdict{ReasonMailerError, "diagnostic type x-unix", true, false},
		},
		{
			name: "remote disk full",
			diag: "452 4.3.1 Insufficient system storage",
			want: verdict{ReasonSystemFull, `text "insufficient system storage"`, true, false},
		},
		{
			name: "syntax by reply code",
			diag: "503 Bad sequence, send RCPT first", cmd: "DATA",
			want: verdict{ReasonSyntaxError, `text "bad sequence"`, false, false},
		},
		{
			name: "reply code 551 means moved",
			diag: "551 not here any more",
			want: verdict{ReasonHasMoved, "reply 551", false, true},
		},
	})
}

func TestClassifyStage(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "no such user at RCPT",
			diag: "550 <user@example.org>: no such user here", cmd: "RCPT",
			want: verdict{ReasonUserUnknown, `text "no such user" at RCPT`, false, true},
		},
		{
			name: "no such user after DATA is a filter",
			diag: "550 Unknown user user@example.org", cmd: "DATA",
			want: verdict{ReasonFiltered, `text "unknown user" after DATA`, false, false},
		},
		{
			name: "no such user of unknown stage from a remote server is a filter",
			diag: "550 <user@example.org>: User unknown",
			want: verdict{ReasonFiltered, `text "user unknown" in a remote reply of unknown stage`, false, false},
		},
		{
			name: "no such user said by the reporting MTA itself",
			diag: "Unknown user: user",
			want: verdict{ReasonUserUnknown, `text "unknown user"`, false, true},
		},
		{
			name: "5.2.1 user unknown at RCPT",
			diag: "550 5.2.1 <user@example.org>... User Unknown", cmd: "RCPT",
			want: verdict{ReasonUserUnknown, `text "user unknown" at RCPT`, false, true},
		},
		{
			name: "refusal at the greeting is a block",
			diag: "554 mx.example.org no SMTP service for you", cmd: "CONN",
			want: verdict{ReasonBlocked, "stage CONN: reply 554", false, false},
		},
		{
			name: "HELO name refused is a block, not an unknown host",
			diag: "501 5.0.0 Invalid domain name", cmd: "HELO",
			want: verdict{ReasonBlocked, `stage HELO: text "invalid domain"`, false, false},
		},
		{
			name: "refusal at MAIL FROM is about the sender",
			diag: "550 5.7.1 Access denied", cmd: "MAIL",
			want: verdict{ReasonRejected, "stage MAIL: reply 550", false, false},
		},
		{
			name: "access denied of unknown stage falls back on the status",
			diag: "550 5.7.1 Access denied",
			want: verdict{ReasonSecurityError, "status 5.7.1", false, false},
		},
	})
}

func TestClassifyExpiry(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "delayed with nothing more",
			diag: "", status: "4.4.0", action: ActionDelayed,
			want: verdict{ReasonExpired, "action delayed", true, false},
		},
		{
			name: "connection timed out in a final report",
			diag: "connect to mx.example.org[192.0.2.9]:25: Connection timed out", status: "4.4.1", action: ActionFailed,
			want: verdict{ReasonExpired, `text "timed out"`, true, false},
		},
		{
			name: "expiry wrapping a connection failure",
			diag: "554 4.4.7 Message expired: unable to deliver in 900 minutes.<421 4.4.2 Connection dropped>",
			want: verdict{ReasonExpired, `text "message expired"`, true, false}, wantCause: "Connection dropped",
		},
		{
			name: "routing loop",
			diag: "554 5.4.6 Too many hops, a mail loop perhaps",
			want: verdict{ReasonNetworkError, `text "too many hops"`, false, false},
		},
		{
			name: "connection refused",
			diag: "Deferred: Connection refused by mx.example.org.",
			want: verdict{ReasonBlocked, `text "connection refused"`, false, false},
		},
		{
			name: "qmail's trailer does not make a full mailbox expire",
			diag: "192.0.2.1 does not like recipient. Remote host said: 552 mailbox quota exceeded Giving up on 192.0.2.1.",
			want: verdict{ReasonMailboxFull, `text "quota exceeded"`, false, false},
		},
		{
			name: "undefined without text",
			diag: "",
			want: verdict{ReasonUndefined, "no diagnostic text", false, false},
		},
		{
			name: "onhold when nothing matches",
			diag: "550 computer says no", cmd: "RCPT",
			want: verdict{ReasonOnHold, "no rule matched the reply", false, false},
		},
		{
			name: "delivered",
			diag: "250 2.0.0 Ok: queued", status: "2.0.0", action: ActionDelivered,
			want: verdict{ReasonDelivered, "action delivered", false, false},
		},
	})
}

func TestClassifyVendor(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "Outlook.com block list token",
			rcpt: "someone@hotmail.com", cmd: "RCPT",
			diag: "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
			want: verdict{ReasonBlocked, "vendor microsoft: token S3150", false, false},
		},
		{
			name: "Outlook.com reputation throttling",
			diag: "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation. (S775)",
			want: verdict{ReasonBadReputation, "vendor microsoft: token S775", true, false},
		},
		{
			name: "Microsoft banned sending IP range",
			diag: "550 5.7.606 Access denied, banned sending IP [192.0.2.1].",
			want: verdict{ReasonBlocked, "vendor microsoft: status 5.7.606", false, false},
		},
		{
			name: "Microsoft DMARC reject",
			diag: "550 5.7.509 Access denied, sending domain example.net does not pass DMARC verification",
			want: verdict{ReasonAuthFailure, "vendor microsoft: status 5.7.509", false, false},
		},
		{
			name: "Exchange directory lookup",
			diag: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
			want: verdict{ReasonUserUnknown, `vendor microsoft: text "resolver.adr.recipientnotfound"`, false, true},
		},
		{
			name:   "Exchange Online edge blocking",
			remote: "example-org.mail.protection.outlook.com", cmd: "RCPT",
			diag: "550 5.4.1 Recipient address rejected: Access denied",
			want: verdict{ReasonUserUnknown, "vendor microsoft: status 5.4.1", false, true},
		},
		{
			name: "Exchange submission quota is a rate, not a full mailbox",
			diag: "550 5.2.2 Submission quota exceeded",
			want: verdict{ReasonSpeeding, `vendor microsoft: text "submission quota"`, false, false},
		},
		{
			name:   "Yahoo deferral token",
			remote: "mta7.am0.yahoodns.net", cmd: "MAIL",
			diag: "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
			want: verdict{ReasonRejected, "vendor yahoo: token TSS04", true, false},
		},
		{
			name: "Yahoo DNSBL token",
			diag: "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1",
			want: verdict{ReasonBlocked, "vendor yahoo: token BL21", false, false},
		},
		{
			name: "Gmail disabled account",
			rcpt: "someone@gmail.com", status: "5.2.1",
			diag: "550-5.2.1 The email account that you tried to reach is disabled. - gsmtp",
			want: verdict{ReasonSuspend, `vendor google: text "account that you tried to reach is disabled"`, false, false},
		},
		{
			name:   "Gmail 5.7.27 means SPF for bulk senders, not a null MX sender",
			remote: "gmail-smtp-in.l.google.com",
			diag:   "550 5.7.27 Bulk senders must pass SPF alignment - gsmtp",
			want:   verdict{ReasonAuthFailure, "vendor google: status 5.7.27", false, false},
		},
		{
			name: "Orange code",
			diag: "550 5.5.0 Le compte du destinataire est bloque. OFR004_426",
			want: verdict{ReasonSuspend, "vendor orange: code OFR004_426", false, false},
		},
		{
			name: "Cox code",
			diag: "554 5.7.1 Connection refused by policy. AUP#CXDNS",
			want: verdict{ReasonRequirePTR, "vendor cox: token AUP#CXDNS", false, false},
		},
		{
			name: "Spectrum code",
			diag: "550 5.1.0 <bounce@example.net> sender rejected. AUP#In-1320",
			want: verdict{ReasonTooManyConn, "vendor spectrum: token AUP#In-1320", false, false},
		},
		{
			name: "docomo refusal after DATA refuses the sender",
			rcpt: "someone@docomo.ne.jp", cmd: "DATA",
			diag: "550 Unknown user someone@docomo.ne.jp",
			want: verdict{ReasonRejected, `vendor docomo: text "unknown user"`, false, false},
		},
	})
}

func TestInnermost(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"quoted inner reply", `550 5.0.0 relay said: "451 4.4.0 upstream busy"`, "upstream busy"},
		{"replies in sequence are not nested", "550 5.1.1 <a@example.org>... User unknown 421 4.4.2 Connection dropped while talking to mx", "<a@example.org>... User unknown 421 4.4.2 Connection dropped while talking to mx"},
		{"first failing reply of a transcript", "250 2.1.5 Ok 354 go ahead 451 4.3.0 Error: queue file write error 221 2.0.0 Bye", "Error: queue file write error 221 2.0.0 Bye"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := innermost(tc.text, enhancedcode.Find(tc.text))
			if got.Text != tc.want {
				t.Errorf("innermost = %q, want %q", got.Text, tc.want)
			}
		})
	}
}
