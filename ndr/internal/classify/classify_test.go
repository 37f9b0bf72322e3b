package classify

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/enhancedcode"
	"github.com/ndrkit/ndrkit/ndr/internal/mime"
	"github.com/ndrkit/ndrkit/ndr/internal/record"
)

// verdict is what classification decides for one recipient.
type verdict struct {
	Reason     record.Reason
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
	action    record.Action
	diagType  string
	detector  record.Reason // a reason the layout detector set, if any
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
			r := record.Recipient{Recipient: rcpt, Diagnostic: tc.diag, Command: tc.cmd, RemoteMTA: tc.remote, Action: tc.action, DiagnosticType: tc.diagType}
			if tc.detector != "" {
				r.Reason, r.Evidence = tc.detector, "layout"
			}
			if tc.status != "" {
				r.Status = enhancedcode.MustParse(tc.status)
			}
			Finish(&r, &mime.Message{})
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
			want: verdict{record.ReasonUserUnknown, "status 5.1.1", false, true},
		},
		{
			name: "5.1.1 whose text refuses the sender",
			diag: "550 5.1.1 <me@example.net>: Sender address rejected: not a local address", status: "5.1.1", cmd: "MAIL",
			want: verdict{record.ReasonRejected, `text "Sender address rejected"`, false, false},
		},
		{
			name: "5.2.2 mailbox full",
			diag: "552 5.2.2 <user@example.org>: Recipient address rejected: Mailbox full", status: "5.2.2",
			want: verdict{record.ReasonMailboxFull, `text "Mailbox full" and status 5.2.2`, false, false},
		},
		{
			name: "5.2.3 is a limit set by the sender's side",
			diag: "552 5.2.3 Message length exceeds administrative limit",
			want: verdict{record.ReasonExceedLimit, "status 5.2.3", false, false},
		},
		{
			name: "5.3.4 message too big",
			diag: "552 5.3.4 Message size exceeds fixed limit",
			want: verdict{record.ReasonMesgTooBig, "status 5.3.4", false, false},
		},
		{
			name: "relay denied beats 5.7.1",
			diag: "554 5.7.1 <user@example.org>: Relay access denied", cmd: "RCPT",
			want: verdict{record.ReasonNoRelaying, `text "Relay access denied"`, false, false},
		},
		{
			name: "DMARC refusal",
			diag: "550 5.7.1 Message rejected per DMARC policy for example.net",
			want: verdict{record.ReasonAuthFailure, `text "DMARC"`, false, false},
		},
		{
			name: "SMTP authentication required",
			diag: "550 Please enable SMTP authentication; anonymous relaying refused without authentication",
			want: verdict{record.ReasonSecurityError, `text "SMTP authentication"`, false, false},
		},
		{
			name: "reverse DNS",
			diag: "550 5.7.1 Reverse DNS of your server failed, refused", cmd: "MAIL",
			want: verdict{record.ReasonRequirePTR, `text "Reverse DNS"`, false, false},
		},
		{
			name: "client IP on a block list",
			diag: "554 5.7.1 Service unavailable; client [192.0.2.7] blocked using bl.example.net", cmd: "RCPT",
			want: verdict{record.ReasonBlocked, `text "blocked using"`, false, false},
		},
		{
			name: "spam verdict after DATA",
			diag: "554 5.7.1 This message has been scored as spam and refused", cmd: "DATA",
			want: verdict{record.ReasonSpamDetected, `text "scored as spam"`, false, false},
		},
		{
			name: "virus",
			diag: "550 Virus found in attachment; message refused", cmd: "DATA",
			want: verdict{record.ReasonVirusDetected, `text "Virus"`, false, false},
		},
		{
			name: "RFC 5322 breach",
			diag: "550 5.7.1 Messages with multiple addresses in From: are refused", cmd: "DATA",
			want: verdict{record.ReasonNotCompliantRFC, `text "multiple addresses in From"`, false, false},
		},
		{
			name: "local policy",
			diag: "550 5.7.0 Refused by local policy", cmd: "DATA",
			want: verdict{record.ReasonPolicyViolation, `text "local policy"`, false, false},
		},
		{
			name: "account disabled",
			diag: "550 5.2.1 The mailbox is disabled by its owner", cmd: "RCPT",
			want: verdict{record.ReasonSuspend, `text "mailbox is disabled" and status 5.2.1`, false, false},
		},
		{
			name: "moved",
			diag: "550 5.1.6 recipient no longer on server, ask them for a new address",
			want: verdict{record.ReasonHasMoved, `text "no longer on server" and status 5.1.6`, false, true},
		},
		{
			name: "null MX",
			diag: "The domain example.net does not accept mail (null MX)",
			want: verdict{record.ReasonNotAccept, `text "does not accept mail"`, false, true},
		},
		{
			name: "domain does not exist",
			diag: "Host or domain name not found. Name service error for name=example.invalid type=A",
			want: verdict{record.ReasonHostUnknown, `text "Host or domain name not found"`, false, true},
		},
		{
			name: "temporary DNS failure is a network error",
			diag: "Host not found, try again",
			want: verdict{record.ReasonNetworkError, `text "Host not found, try again"`, false, false},
		},
		{
			name: "nonexistent domain with a temporary status is a network error",
			diag: "DNS lookup of example.invalid answered NXDOMAIN", status: "4.0.0",
			want: verdict{record.ReasonNetworkError, `text "NXDOMAIN" with a temporary failure`, true, false},
		},
		{
			name: "a reverse lookup that finds no name is a missing PTR, not a missing domain",
			diag: "450 4.7.25 Client host rejected: cannot find your reverse hostname: lookup 25.2.0.192.in-addr.arpa: no such host", status: "4.7.25",
			want: verdict{record.ReasonRequirePTR, `text "in-addr.arpa: no such host" and status 4.7.25`, true, false},
		},
		{
			name: "no such host for a forward name is a missing domain",
			diag: "all MXs returned transient failures (last: Could not dial: dial tcp: lookup exmaple.net on 127.0.0.53:53: no such host)",
			want: verdict{record.ReasonHostUnknown, `text "no such host"`, false, true},
		},
		{
			name: "too many connections",
			diag: "421 4.7.0 Too many connections from your address, slow down", cmd: "MAIL",
			want: verdict{record.ReasonTooManyConn, `text "Too many connections"`, true, false},
		},
		{
			name: "rate limited",
			diag: "450 4.2.1 The recipient is receiving mail too quickly, later please", cmd: "RCPT",
			want: verdict{record.ReasonSpeeding, `text "receiving mail too quickly"`, true, false},
		},
		{
			name: "local mailer program",
			diag: "temporary failure", status: "4.3.0", diagType: "x-unix",
			want: verdict{record.ReasonMailerError, "diagnostic type x-unix", true, false},
		},
		{
			name: "remote disk full",
			diag: "452 4.3.1 Insufficient system storage",
			want: verdict{record.ReasonSystemFull, `text "Insufficient system storage" and status 4.3.1`, true, false},
		},
		{
			name: "syntax by reply code",
			diag: "503 Bad sequence, send RCPT first", cmd: "DATA",
			want: verdict{record.ReasonSyntaxError, `text "Bad sequence"`, false, false},
		},
		{
			name: "reply code 551 means moved",
			diag: "551 not here any more",
			want: verdict{record.ReasonHasMoved, "reply 551", false, true},
		},
	})
}

func TestClassifyStage(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "no such user at RCPT",
			diag: "550 <user@example.org>: no such user here", cmd: "RCPT",
			want: verdict{record.ReasonUserUnknown, `text "no such user" at RCPT`, false, true},
		},
		{
			name: "no such user after DATA is a filter",
			diag: "550 Unknown user user@example.org", cmd: "DATA",
			want: verdict{record.ReasonFiltered, `text "Unknown user" after DATA`, false, false},
		},
		{
			name: "no such user of unknown stage from a remote server is a filter",
			diag: "550 <user@example.org>: User unknown",
			want: verdict{record.ReasonFiltered, `text "User unknown" in a remote reply of unknown stage`, false, false},
		},
		{
			name: "no such user said by the reporting MTA itself",
			diag: "Unknown user: user",
			want: verdict{record.ReasonUserUnknown, `text "Unknown user"`, false, true},
		},
		{
			name: "5.2.1 user unknown at RCPT",
			diag: "550 5.2.1 <user@example.org>... User Unknown", cmd: "RCPT",
			want: verdict{record.ReasonUserUnknown, `text "User Unknown" at RCPT`, false, true},
		},
		{
			name: "refusal at the greeting is a block",
			diag: "554 mx.example.org no SMTP service for you", cmd: "CONN",
			want: verdict{record.ReasonBlocked, "stage CONN: reply 554", false, false},
		},
		{
			name: "HELO name refused is a block, not an unknown host",
			diag: "501 5.0.0 Invalid domain name", cmd: "HELO",
			want: verdict{record.ReasonBlocked, `stage HELO: text "Invalid domain"`, false, false},
		},
		{
			name: "refusal at MAIL FROM is about the sender",
			diag: "550 5.7.1 Access denied", cmd: "MAIL",
			want: verdict{record.ReasonRejected, "stage MAIL: reply 550", false, false},
		},
		{
			name: "access denied of unknown stage falls back on the status",
			diag: "550 5.7.1 Access denied",
			want: verdict{record.ReasonSecurityError, "status 5.7.1", false, false},
		},
	})
}

func TestClassifyExpiry(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "delayed with nothing more",
			diag: "", status: "4.4.0", action: record.ActionDelayed,
			want: verdict{record.ReasonExpired, "action delayed", true, false},
		},
		{
			name: "delayed with a bare reply code",
			diag: "421", status: "4.5.0", action: record.ActionDelayed,
			want: verdict{record.ReasonExpired, "action delayed", true, false},
		},
		{
			name: "delayed with a reply whose words match no phrase and no status",
			diag: "451 Temporary local problem, please come back later", cmd: "MAIL", action: record.ActionDelayed,
			want: verdict{record.ReasonExpired, "action delayed", true, false},
		},
		{
			// The same reply in the final report gets the same
			// reason: the delay has not been given up.
			name: "delayed with a reply that states a cause",
			diag: "421 4.7.1 Messages to user@example.org deferred due to excessive volume. Try again later", cmd: "RCPT", action: record.ActionDelayed,
			want: verdict{record.ReasonSpeeding, `text "deferred due to excessive volume"`, true, false},
		},
		{
			name: "failed with the same reply",
			diag: "421 4.7.1 Messages to user@example.org deferred due to excessive volume. Try again later", cmd: "RCPT", action: record.ActionFailed,
			want: verdict{record.ReasonSpeeding, `text "deferred due to excessive volume"`, true, false},
		},
		{
			name: "delayed with a reply that states a cause by its status",
			diag: "454 4.7.1 Service temporarily unavailable", cmd: "RCPT", action: record.ActionDelayed,
			want: verdict{record.ReasonSecurityError, "status 4.7.1", true, false},
		},
		{
			name: "connection timed out in a final report",
			diag: "connect to mx.example.org[192.0.2.9]:25: Connection timed out", status: "4.4.1", action: record.ActionFailed,
			want: verdict{record.ReasonExpired, `text "timed out" and status 4.4.1`, true, false},
		},
		{
			name: "expiry wrapping a connection failure",
			diag: "554 4.4.7 Message expired: unable to deliver in 900 minutes.<421 4.4.2 Connection dropped>",
			want: verdict{record.ReasonExpired, `text "Message expired"`, true, false}, wantCause: "Connection dropped",
		},
		{
			name: "routing loop",
			diag: "554 5.4.6 Too many hops, a mail loop perhaps",
			want: verdict{record.ReasonSystemError, `text "Too many hops"`, false, false},
		},
		{
			name: "connection refused",
			diag: "Deferred: Connection refused by mx.example.org.",
			want: verdict{record.ReasonExpired, `text "Connection refused"`, false, false},
		},
		{
			name: "qmail's trailer does not make a full mailbox expire",
			diag: "192.0.2.1 does not like recipient. Remote host said: 552 mailbox quota exceeded Giving up on 192.0.2.1.",
			want: verdict{record.ReasonMailboxFull, `text "quota exceeded"`, false, false},
		},
		{
			name: "undefined without text",
			diag: "",
			want: verdict{record.ReasonUndefined, "no diagnostic text", false, false},
		},
		{
			name: "onhold when nothing matches",
			diag: "550 computer says no", cmd: "RCPT",
			want: verdict{record.ReasonOnHold, "no rule matched the reply", false, false},
		},
		{
			name: "delivered",
			diag: "250 2.0.0 Ok: queued", status: "2.0.0", action: record.ActionDelivered,
			want: verdict{record.ReasonDelivered, "action delivered", false, false},
		},
	})
}

func TestClassifyVendor(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "Outlook.com block list token",
			rcpt: "someone@hotmail.com", cmd: "RCPT",
			diag: "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
			want: verdict{record.ReasonBlocked, "vendor microsoft: token S3150", false, false},
		},
		{
			name: "Outlook.com reputation throttling",
			diag: "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation. (S775)",
			want: verdict{record.ReasonBadReputation, "vendor microsoft: token S775", true, false},
		},
		{
			name: "Microsoft banned sending IP range",
			diag: "550 5.7.606 Access denied, banned sending IP [192.0.2.1].",
			want: verdict{record.ReasonBlocked, "vendor microsoft: status 5.7.606", false, false},
		},
		{
			name: "Microsoft DMARC reject",
			diag: "550 5.7.509 Access denied, sending domain example.net does not pass DMARC verification",
			want: verdict{record.ReasonAuthFailure, "vendor microsoft: status 5.7.509", false, false},
		},
		{
			name: "Exchange directory lookup",
			diag: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
			want: verdict{record.ReasonUserUnknown, `vendor microsoft: text "RESOLVER.ADR.RecipientNotFound"`, false, true},
		},
		{
			name: "Exchange Online's 5.1.10 with reply 550 and no words",
			diag: "Status code: 550 5.1.10",
			want: verdict{record.ReasonUserUnknown, "vendor microsoft: status 5.1.10", false, true},
		},
		{
			name: "RFC 7505's null MX with reply 556 and no words",
			diag: "556 5.1.10 mx.example.org", cmd: "RCPT",
			want: verdict{record.ReasonNotAccept, "status 5.1.10", false, true},
		},
		{
			name: "a null MX in words with reply 550 stays a null MX",
			diag: "550 5.1.10 <user@example.org>: Recipient address rejected: Domain example.org does not accept mail (nullMX)", cmd: "RCPT",
			want: verdict{record.ReasonNotAccept, `text "does not accept mail" and status 5.1.10`, false, true},
		},
		{
			name:   "Exchange Online edge blocking",
			remote: "example-org.mail.protection.outlook.com", cmd: "RCPT",
			diag: "550 5.4.1 Recipient address rejected: Access denied",
			want: verdict{record.ReasonUserUnknown, "vendor microsoft: status 5.4.1", false, true},
		},
		{
			// The form Exchange Online Protection sends, as quoted on
			// the netdev and qemu-devel lists.
			name:   "edge blocking with Microsoft's anti-spam rule number",
			remote: "example-org.mail.protection.outlook.com", cmd: "RCPT",
			diag: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DBAEUR03FT030.eop-EUR03.prod.protection.outlook.com]",
			want: verdict{record.ReasonUserUnknown, "vendor microsoft: status 5.4.1", false, true},
		},
		{
			name: "edge blocking identified by the server name in the reply",
			diag: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DBAEUR03FT030.eop-EUR03.prod.protection.outlook.com]",
			want: verdict{record.ReasonUserUnknown, "vendor microsoft: status 5.4.1", false, true},
		},
		{
			name: "5.7.504 recipient not valid, with a rule number",
			diag: "550 5.7.504 [user@example.org]: Recipient address rejected: Access denied. AS(201806281)",
			want: verdict{record.ReasonUserUnknown, "vendor microsoft: status 5.7.504", false, true},
		},
		{
			name:   "relay access denied under 5.4.1 stays a relaying refusal",
			remote: "example-org.mail.protection.outlook.com", cmd: "RCPT",
			diag: "550 5.4.1 Relay Access Denied",
			want: verdict{record.ReasonNoRelaying, `text "Relay Access Denied"`, false, false},
		},
		{
			name: "a rule number does not decide: forwarding refused",
			diag: "550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)",
			want: verdict{record.ReasonPolicyViolation, "vendor microsoft: status 5.7.520", false, false},
		},
		{
			name: "Gmail's daily sending limit is the sender's rate, not congestion",
			diag: "550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits, go to https://support.google.com/a/answer/166852 - gsmtp",
			want: verdict{record.ReasonSpeeding, `vendor google: text "Daily user sending limit"`, false, false},
		},
		{
			name: "Exchange submission quota is a rate, not a full mailbox",
			diag: "550 5.2.2 Submission quota exceeded",
			want: verdict{record.ReasonSpeeding, `vendor microsoft: text "Submission quota"`, false, false},
		},
		{
			name:   "Yahoo deferral token",
			remote: "mta7.am0.yahoodns.net", cmd: "MAIL",
			diag: "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
			want: verdict{record.ReasonRejected, "vendor yahoo: token TSS04", true, false},
		},
		{
			name:   "Yahoo deferral token relayed without a stage is the IP's reputation",
			remote: "mta7.am0.yahoodns.net",
			diag:   "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1",
			want:   verdict{record.ReasonBadReputation, "vendor yahoo: token TSS04", true, false},
		},
		{
			name: "Exchange SendAsDenied is a refused sender, not throttling",
			diag: "554 5.2.252 SendAsDenied; clerk@example.org not allowed to send as info@example.org; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied",
			want: verdict{record.ReasonRejected, `vendor microsoft: text "SendAsDenied"`, false, false},
		},
		{
			name: "Exchange 5.7.60 send-as permission",
			diag: "550 5.7.60 SMTP; Client does not have permissions to send as this sender",
			want: verdict{record.ReasonRejected, `vendor microsoft: text "permissions to send as"`, false, false},
		},
		{
			name: "Exchange throttling after repeated send-as refusals",
			diag: "550 5.2.252 Sender throttled due to continuous send as denied errors.",
			want: verdict{record.ReasonSpeeding, "vendor microsoft: status 5.2.252", false, false},
		},
		{
			name: "SMTP AUTH turned off in Microsoft 365",
			diag: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
			want: verdict{record.ReasonSecurityError, "vendor microsoft: status 5.7.139", false, false},
		},
		{
			name: "Exchange Online: the recipient's domain does not exist",
			diag: "550 5.4.310 DNS domain example.co.jpn does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName=example.co.jpn]",
			want: verdict{record.ReasonHostUnknown, "vendor microsoft: status 5.4.310", false, true},
		},
		{
			name: "Exchange's own sender size limit",
			diag: "550 5.2.3 RESOLVER.RST.SendSizeLimit.Sender; message too large for this sender",
			want: verdict{record.ReasonExceedLimit, `vendor microsoft: text "RESOLVER.RST.SendSizeLimit"`, false, false},
		},
		{
			name: "Exchange mail flow rule",
			diag: "550 5.7.1 TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy",
			want: verdict{record.ReasonPolicyViolation, `vendor microsoft: text "TRANSPORT.RULES.RejectMessage"`, false, false},
		},
		{
			name: "Gmail refuses a sending IP that should use its provider's relay",
			rcpt: "someone@gmail.com", status: "5.7.1",
			diag: "550-5.7.1 [192.0.2.7] The IP you're using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead. - gsmtp",
			want: verdict{record.ReasonBlocked, `vendor google: text "not authorized to send email directly to our servers"`, false, false},
		},
		{
			name: "a block list named for reputation is still a block list",
			diag: "554 5.7.1 Service unavailable; Client host [192.0.2.30] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.30", status: "5.7.1",
			want: verdict{record.ReasonBlocked, `text "blocked using"`, false, false},
		},
		{
			name: "Yahoo DNSBL token",
			diag: "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1",
			want: verdict{record.ReasonBlocked, "vendor yahoo: token BL21", false, false},
		},
		{
			name: "Gmail disabled account",
			rcpt: "someone@gmail.com", status: "5.2.1",
			diag: "550-5.2.1 The email account that you tried to reach is disabled. - gsmtp",
			want: verdict{record.ReasonSuspend, `vendor google: text "account that you tried to reach is disabled"`, false, false},
		},
		{
			name:   "Gmail 5.7.27 means SPF for bulk senders, not a null MX sender",
			remote: "gmail-smtp-in.l.google.com",
			diag:   "550 5.7.27 Bulk senders must pass SPF alignment - gsmtp",
			want:   verdict{record.ReasonAuthFailure, "vendor google: status 5.7.27", false, false},
		},
		{
			name: "Gmail's missing PTR under 4.7.23",
			rcpt: "someone@gmail.com", cmd: "MAIL",
			diag: "421-4.7.23 The sending IP 192.0.2.1 does not have a PTR record, or the corresponding forward DNS entry does not point to the sending IP.",
			want: verdict{record.ReasonRequirePTR, `vendor google: text "does not have a PTR record"`, true, false},
		},
		{
			name: "Gmail's content verdict",
			rcpt: "someone@gmail.com", cmd: "DATA",
			diag: "550-5.7.1 Our system has detected that this message is likely suspicious due to the nature of the content or the links within.",
			want: verdict{record.ReasonSpamDetected, `vendor google: text "nature of the content or the links"`, false, false},
		},
		{
			name: "Orange code",
			diag: "550 5.5.0 Le compte du destinataire est bloque. OFR004_426",
			want: verdict{record.ReasonSuspend, "vendor orange: code OFR004_426", false, false},
		},
		{
			name: "Cox code",
			diag: "554 5.7.1 Connection refused by policy. AUP#CXDNS",
			want: verdict{record.ReasonRequirePTR, "vendor cox: token AUP#CXDNS", false, false},
		},
		{
			name: "Spectrum code",
			diag: "550 5.1.0 <bounce@example.net> sender rejected. AUP#In-1320",
			want: verdict{record.ReasonTooManyConn, "vendor spectrum: token AUP#In-1320", false, false},
		},
		{
			name: "docomo refusal after DATA refuses the sender",
			rcpt: "someone@docomo.ne.jp", cmd: "DATA",
			diag: "550 Unknown user someone@docomo.ne.jp",
			want: verdict{record.ReasonRejected, `vendor docomo: text "Unknown user"`, false, false},
		},
		{
			name: "au refusal without an address is its reception filter",
			rcpt: "someone@ezweb.ne.jp", cmd: "DATA",
			diag: "550 : User unknown",
			want: verdict{record.ReasonFiltered, `vendor kddi: text "550 : User unknown"`, false, false},
		},
		{
			name:   "QQ Mail DMARC failure",
			remote: "mx2.qq.com", cmd: "DATA",
			diag: "550 DMARC check failed. See the help page.",
			want: verdict{record.ReasonAuthFailure, `vendor tencent: text "DMARC check failed"`, false, false},
		},
		{
			name:   "QQ Mail sender rate",
			remote: "mx1.qq.com", cmd: "MAIL",
			diag: "451 Domain frequency limited, retry later",
			want: verdict{record.ReasonSpeeding, `vendor tencent: text "Domain frequency limited"`, true, false},
		},
		{
			name:   "GoDaddy SPF code",
			remote: "smtp.secureserver.net", cmd: "MAIL",
			diag: "550 5.1.0 192.0.2.9 is not allowed to send from example.net per it's SPF Record. IB508",
			want: verdict{record.ReasonAuthFailure, "vendor godaddy: code IB508", false, false},
		},
		{
			name: "GoDaddy spam code",
			rcpt: "someone@secureserver.net", cmd: "DATA",
			diag: "552 5.2.0 This message has been rejected due to content judged to be spam. IB212",
			want: verdict{record.ReasonSpamDetected, "vendor godaddy: code IB212", false, false},
		},
		{
			name: "Facebook response code",
			rcpt: "someone@facebook.com", status: "5.1.1",
			diag: "550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes Recipient address does not exist",
			want: verdict{record.ReasonUserUnknown, "vendor facebook: code RCP-P1", false, true},
		},
		{
			name:   "I.UA frozen mailbox",
			remote: "mx1.email.ua", cmd: "RCPT",
			diag: "550 Mailbox is frozen. See http://mail.i.ua/err/3/",
			want: verdict{record.ReasonSuspend, `vendor i.ua: text "Mailbox is frozen"`, false, false},
		},
		{
			name:   "Mimecast network policy",
			remote: "eu-smtp-inbound-1.mimecast.com", cmd: "RCPT",
			diag: "554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554",
			want: verdict{record.ReasonPolicyViolation, `vendor mimecast: text "Host network not allowed"`, false, false},
		},
		{
			name:   "MessageLabs relay needs authentication",
			remote: "mail1.bemta1.messagelabs.com",
			diag:   "550 Please turn on SMTP Authentication in your mail client.",
			want:   verdict{record.ReasonSecurityError, `vendor messagelabs: text "turn on SMTP Authentication"`, false, false},
		},
		{
			name:   "Barracuda's own verdict on the message",
			remote: "d12345.ess.barracudanetworks.com", cmd: "DATA",
			diag: "550 permanent failure for one or more recipients (info@example.org:blocked)",
			want: verdict{record.ReasonFiltered, `vendor barracuda: text "permanent failure for one or more recipients (info@example.org:blocked)"`, false, false},
		},
		{
			name: "Barracuda's quarantine, the host unknown",
			diag: "550 permanent failure for one or more recipients (info@example.org:quarantined)",
			want: verdict{record.ReasonFiltered, `vendor barracuda: text "permanent failure for one or more recipients (info@example.org:quarantined)"`, false, false},
		},
		{
			name:   "Mimecast's unknown address, the stage unknown",
			remote: "jp-smtp-inbound-1.mimecast.com",
			diag:   "550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550",
			want:   verdict{record.ReasonUserUnknown, `vendor mimecast: text "Invalid Recipient"`, false, true},
		},
		{
			name:   "MessageLabs anti-spam, status after the text",
			remote: "cluster5.us.messagelabs.com", cmd: "DATA",
			diag: "553-Message filtered. Refer to the Troubleshooting page at 553-http://www.symanteccloud.com/troubleshooting for more 553 information. (#5.7.1)",
			want: verdict{record.ReasonSpamDetected, `vendor messagelabs: text "Message filtered"`, false, false},
		},
	})
}

func TestInnermost(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"quoted inner reply", `550 5.0.0 relay said: "451 4.4.0 upstream busy"`, "upstream busy"},
		{"replies in sequence are not nested", "550 5.1.1 <a@example.org>... User unknown 421 4.4.2 Connection dropped while talking to mx", "<a@example.org>... User unknown 421 4.4.2 Connection dropped while talking to mx"},
		{"status quoted by a summary", "5.1.0 - Unknown address error 550 '5.7.1 <b@example.net>... Access denied' (delivery attempts: 0)", "<b@example.net>... Access denied"},
		{"first failing reply of a transcript", "250 2.1.5 Ok 354 go ahead 451 4.3.0 Error: queue file write error 221 2.0.0 Bye", "Error: queue file write error 221 2.0.0 Bye"},
		{"Exchange's arrow", "550 5.7.367 Remote server returned not permitted to relay -> 554 5.7.1 Relaying denied", "Relaying denied"},
		{"Exchange's arrow to a 4xx", `550 5.4.300 Message expired -> 451 4.4.397 Error encountered while communicating with primary target IP address: "Failed to connect."`, `Error encountered while communicating with primary target IP address: "Failed to connect."`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := innermost(tc.text, enhancedcode.Find(tc.text))
			if got.Text != tc.want {
				t.Errorf("innermost = %q, want %q", got.Text, tc.want)
			}
		})
	}
}

func TestClassifyMoreRules(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "a relay's summary yields to the reply it relays",
			diag: "550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Service unavailable; Client host [192.0.2.40] blocked using zen.spamhaus.org",
			want: verdict{record.ReasonBlocked, `text "blocked using"`, false, false},
		},
		{
			name: "a relay's summary stands when the relayed reply has no words of its own",
			diag: "550 5.7.350 Remote server returned message detected as spam -> 550 5.7.1",
			want: verdict{record.ReasonSpamDetected, `text "detected as spam"`, false, false},
		},
		{
			name: "the recipient's mail filter refused after DATA, despite 5.7.1",
			diag: "550 5.7.1 Delivery not authorized, message refused by the recipient's mail filter (in reply to end of DATA command)",
			want: verdict{record.ReasonFiltered, `text "recipient's mail filter"`, false, false},
		},
		{
			name: "blocked by a content filter is the filter's refusal",
			diag: "550 5.7.1 Message blocked by the recipient's content filter", cmd: "DATA",
			want: verdict{record.ReasonFiltered, `text "content filter"`, false, false},
		},
		{
			name: "Postfix's refusal before STARTTLS is a TLS failure",
			diag: "530 5.7.0 Must issue a STARTTLS command first",
			want: verdict{record.ReasonFailedSTARTTLS, `text "issue a STARTTLS"`, false, false},
		},
		{
			name: "a settings line that names STARTTLS is no TLS failure",
			diag: "Server: smtp.example.com:587 (STARTTLS, AUTH user@example.com) Error: 550 5.7.60 SMTP; Client does not have permissions to send as this sender",
			want: verdict{record.ReasonRejected, `vendor microsoft: text "permissions to send as"`, false, false},
		},
		{
			name: "qmail's relay refusal",
			diag: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", cmd: "RCPT",
			want: verdict{record.ReasonNoRelaying, `text "in my list of allowed rcpthosts"`, false, false},
		},
		{
			name: "an access rule's refusal is a policy",
			diag: "550 Administrative prohibition", cmd: "RCPT",
			want: verdict{record.ReasonPolicyViolation, `text "Administrative prohibition"`, false, false},
		},
		{
			name: "an attachment type not allowed",
			diag: "550 5.7.0 Message rejected: attachment type not allowed", cmd: "DATA",
			want: verdict{record.ReasonPolicyViolation, `text "attachment type not allowed"`, false, false},
		},
		{
			name: "Yahoo's own reply marks the receiver when the domain does not",
			diag: "554 delivery error: dd This user doesn't have a example.com account (someone@example.com) [0] - mta1.mail.example.com",
			want: verdict{record.ReasonUserUnknown, `vendor yahoo: text "doesn't have a example.com account"`, false, true},
		},
		{
			name: "a connection the remote server shut down",
			diag: "Network connection shut down by the remote mail server",
			want: verdict{record.ReasonNetworkError, `text "connection shut down by the remote"`, false, false},
		},
		{
			name: "mail that loops back to the sender's own server",
			diag: "mail for example.org loops back to myself",
			want: verdict{record.ReasonSystemError, `text "loops back to myself"`, false, false},
		},
		{
			name: "Exchange 5.6.11 bare line feeds",
			diag: "554 5.6.11 SMTPSEND.BareLinefeedsAreIllegal; message contains bare linefeeds, which cannot be sent via DATA", cmd: "DATA",
			want: verdict{record.ReasonNotCompliantRFC, "vendor microsoft: status 5.6.11", false, false},
		},
		{
			name: "bare line feeds without a status",
			diag: "550 message contains bare linefeeds", cmd: "DATA",
			want: verdict{record.ReasonContentError, `text "bare linefeed"`, false, false},
		},
		{
			name: "a per-connection message limit",
			diag: "421 Max message per connection reached, closing transmission channel", cmd: "DATA",
			want: verdict{record.ReasonTooManyConn, `text "message per connection"`, true, false},
		},
		{
			name: "a header error after DATA is a header filter",
			diag: "554 5.7.0 Header error (state 18).", cmd: "DATA",
			want: verdict{record.ReasonFiltered, `text "Header error"`, false, false},
		},
		{
			name: "malformed MIME is a content error, not spam",
			diag: "554 5.6.0 Message content rejected: invalid MIME structure (in reply to end of DATA command)",
			want: verdict{record.ReasonContentError, `text "invalid MIME" and status 5.6.0`, false, false},
		},
		{
			name: "content rejected without more is still spam",
			diag: "554 Message content rejected by the anti-abuse system", cmd: "DATA",
			want: verdict{record.ReasonSpamDetected, `text "content rejected"`, false, false},
		},
		{
			name: "the recipient's domain does not exist",
			rcpt: "user@mail.example.net",
			diag: "553 mail.example.net does not exist", cmd: "DATA",
			want: verdict{record.ReasonHostUnknown, `text "mail.example.net does not exist"`, false, true},
		},
		{
			name: "another domain that does not exist is the sender's",
			rcpt: "user@example.org",
			diag: "553 mail.example.net does not exist", cmd: "DATA",
			want: verdict{record.ReasonRejected, `text "mail.example.net does not exist"`, false, false},
		},
		{
			name: "a mailbox that does not exist is not a domain",
			diag: "550 <user@example.net> does not exist", cmd: "RCPT",
			want: verdict{record.ReasonOnHold, "no rule matched the reply", false, false},
		},
		{
			name: "unknown domain at MAIL FROM is the sender's",
			diag: "553 5.1.0 someone example.org does not exist", cmd: "MAIL",
			want: verdict{record.ReasonRejected, `stage MAIL: text "example.org does not exist"`, false, false},
		},
		{
			name: "a bare 553 to RCPT names the mailbox",
			diag: "553 Requested action not taken", cmd: "RCPT",
			want: verdict{record.ReasonUserUnknown, "reply 553", false, true},
		},
		{
			name: "a bare 553 to MAIL names the sender",
			diag: "553 Requested action not taken", cmd: "MAIL",
			want: verdict{record.ReasonRejected, "stage MAIL: reply 553", false, false},
		},
		{
			name: "a bare 553 after the data names no mailbox",
			diag: "553 Requested action not taken", cmd: "DATA",
			want: verdict{record.ReasonOnHold, "no rule matched the reply", false, false},
		},
		{
			name: "the From domain refused",
			diag: "550 5.2.0 <me@example.org> From: Domain is invalid. Please provide a valid From:", cmd: "DATA",
			want: verdict{record.ReasonRejected, `text "From: Domain is invalid"`, false, false},
		},
		{
			name: "a blacklisted sender address is not a blocked IP",
			diag: `"Sorry, you are sending to/from an address that has been blacklisted"`,
			want: verdict{record.ReasonRejected, `text "to/from an address that has been blacklisted"`, false, false},
		},
		{
			name: "unverifiable sending IPs of the sender domain",
			diag: "450 service permits 2 unverifyable sending IPs - example.org is not 192.0.2.4", cmd: "MAIL", action: record.ActionDelayed,
			want: verdict{record.ReasonRequirePTR, `text "unverifyable sending IPs"`, true, false},
		},
		{
			name: "unverified identity at a sending service",
			diag: "554 Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: me@example.org", cmd: "DATA",
			want: verdict{record.ReasonNoRelaying, `text "identities failed the check"`, false, false},
		},
		{
			name: "mailbox unavailable with a protocol status",
			diag: "550 5.5.0 Requested action not taken: mailbox unavailable", status: "5.5.0",
			want: verdict{record.ReasonUserUnknown, `text "mailbox unavailable" with protocol status 5.5.0`, false, true},
		},
		{
			name: "a quoted status behind a summary decides",
			diag: "5.1.0 - Unknown address error 550 '5.7.1 <b@example.net>... Access denied' (delivery attempts: 0)", status: "5.1.0",
			want: verdict{record.ReasonSecurityError, "status 5.7.1", false, false},
		},
	})
}

func TestClassifyCauseBehindExpiry(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "refused connections behind an expiry", detector: record.ReasonExpired, status: "4.4.7",
			diag: "<user@example.org>... Deferred: Connection refused by mx.example.org.",
			want: verdict{record.ReasonExpired, "layout", true, false},
		},
		{
			name: "a full disk behind an expiry", detector: record.ReasonExpired,
			diag: "452 4.4.5 Insufficient disk space; try again later",
			want: verdict{record.ReasonSystemFull, `text "Insufficient disk space"; layout`, true, false},
		},
		{
			name: "an expiry with nothing more stays", detector: record.ReasonExpired, status: "4.4.7",
			diag: "Message could not be delivered for 5 days",
			want: verdict{record.ReasonExpired, "layout", true, false},
		},
		{
			name: "a bare reply code does not override an expiry", detector: record.ReasonExpired,
			diag: "421 Service not available, closing channel",
			want: verdict{record.ReasonExpired, "layout", true, false},
		},
		// Greylisting servers answer "451 4.7.1 Please try again later":
		// the status alone names no cause behind the expiry.
		{
			name: "a bare 4.7.1 does not override an expiry", detector: record.ReasonExpired, status: "4.4.7", action: record.ActionFailed,
			diag: "451 4.7.1 Please try again later",
			want: verdict{record.ReasonExpired, "layout", true, false},
		},
		{
			name: "a 4.7.1 with words of its own does", detector: record.ReasonExpired, status: "4.4.7", action: record.ActionFailed,
			diag: "451 4.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
			want: verdict{record.ReasonBlocked, `text "blocked using"; layout`, true, false},
		},
	})
}

func TestRemoteOf(t *testing.T) {
	for _, tc := range []struct{ diag, want string }{
		{"host mx.example.net[192.0.2.10] said: 550 5.1.1 unknown", "mx.example.net"},
		{"host apc.olc.protection.outlook.com[×××.×××.×××.×××] said: 451 4.7.650", "apc.olc.protection.outlook.com"},
		{"host MX.Example.NET[xxx.xxx.xxx.xxx] said: 550 no", "mx.example.net"},
		{"host mx.example.net[IPv6:2001:db8::1] said: 550 no", "mx.example.net"},
		{"while talking to mail.example.org.: >>> RCPT", "mail.example.org"},
		{"no host here [user unknown]", ""},
	} {
		if got := remoteOf(strings.ToLower(tc.diag)); got != tc.want {
			t.Errorf("remoteOf(%q) = %q, want %q", tc.diag, got, tc.want)
		}
	}
}

// TestClassifyPublishedWordings covers conditions as the MTAs and the
// providers word them in their sources and published error lists.
func TestClassifyPublishedWordings(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "Postfix HELO restriction",
			diag: "450 4.7.1 <mail.example.org>: Helo command rejected: Host not found",
			want: verdict{record.ReasonBlocked, `text "Helo command rejected"`, true, false},
		},
		{
			name: "Sendmail temporary AUTH failure",
			diag: "454 4.5.4 Temporary authentication failure",
			want: verdict{record.ReasonSecurityError, `text "authentication failure"`, true, false},
		},
		{
			name: "X.4.5 is congestion, not a full disk",
			diag: "421 4.4.5 Server busy, try again later. - gsmtp",
			want: verdict{record.ReasonSystemError, "status 4.4.5", true, false},
		},
		{
			name: "a busy server without a status",
			diag: "450 busy--Please try again later",
			want: verdict{record.ReasonSystemError, `text "busy"`, true, false},
		},
		{
			name: "Gmail relay limit",
			diag: "450 4.2.1 Peak SMTP relay limit exceeded for customer. - gsmtp",
			want: verdict{record.ReasonSpeeding, `vendor google: text "Peak SMTP relay limit"`, true, false},
		},
		{
			name: "Exchange reserved domain",
			diag: "550 5.1.4 Recipient address reserved by RFC 2606",
			want: verdict{record.ReasonHostUnknown, `text "Recipient address reserved by RFC 2606"`, false, true},
		},
		{
			name: "Exchange single-label domain, not a moved mailbox",
			diag: "501 5.1.6 Recipient addresses in single label domains not accepted",
			want: verdict{record.ReasonHostUnknown, `text "single label domains not accepted"`, false, true},
		},
		{
			name: "Exchange mail flow rule",
			diag: "550 5.7.1 Delivery not authorized, message refused",
			want: verdict{record.ReasonPolicyViolation, `text "Delivery not authorized"`, false, false},
		},
		{
			name: "Exchange Online IP throttling",
			diag: "451 4.7.500 Access denied, please try again later",
			want: verdict{record.ReasonBadReputation, "vendor microsoft: status 4.7.500", true, false},
		},
		{
			name: "Exchange Online ban stays blocked",
			diag: "550 5.7.606 Access denied, banned sending IP [192.0.2.1]",
			want: verdict{record.ReasonBlocked, "vendor microsoft: status 5.7.606", false, false},
		},
		{
			name: "Exchange Online DANE failure",
			diag: "550 5.7.323 tlsa-invalid: The domain failed DANE validation.",
			want: verdict{record.ReasonSecurityError, "vendor microsoft: status 5.7.323", false, false},
		},
		{
			name: "a greeting saying the host accepts no mail",
			diag: "521 mx.example.com does not accept mail", cmd: "CONN",
			want: verdict{record.ReasonNotAccept, `text "does not accept mail"`, false, true},
		},
		{
			name: "a greeting refusing the client is still blocked",
			diag: "554 mx.example.com User unknown", cmd: "CONN",
			want: verdict{record.ReasonBlocked, `stage CONN: text "User unknown"`, false, false},
		},
		{
			name: "Courier: an MX naming an IP address",
			diag: "This domain's DNS violates RFC 1035.",
			want: verdict{record.ReasonNetworkError, `text "violates RFC 1035"`, false, false},
		},
		{
			name: "Exim's default ACL against harvesting",
			diag: "550 Rejected for too many bad recipients", cmd: "RCPT",
			want: verdict{record.ReasonPolicyViolation, `text "too many bad recipients"`, false, false},
		},
		{
			name: "hMailServer: an IP range that does not allow the relay",
			diag: "550 Delivery is not allowed to this address.", cmd: "RCPT",
			want: verdict{record.ReasonNoRelaying, `text "Delivery is not allowed to this address"`, false, false},
		},
		{
			name: "hMailServer: an inactive account",
			diag: "550 Account is not active.", cmd: "RCPT",
			want: verdict{record.ReasonSuspend, `text "Account is not active"`, false, false},
		},
		{
			name: "hMailServer: bare LFs",
			diag: "554 Rejected - Message containing bare LF's.", cmd: "DATA",
			want: verdict{record.ReasonContentError, `text "bare LF's"`, false, false},
		},
		{
			name: "Exchange Online journaling",
			diag: "550 5.3.190 Journaling on-premises messages to Microsoft 365 or Office 365 not supported when Journaling Archive is disabled",
			want: verdict{record.ReasonPolicyViolation, "vendor microsoft: status 5.3.190", false, false},
		},
	})
}

// TestClassifyCauseFirst checks that the sending MTA's words around a
// quoted reply do not outrank the reply's own statement of the cause.
func TestClassifyCauseFirst(t *testing.T) {
	runClassify(t, []classifyCase{
		{
			name: "qmail-remote: a size refusal at MAIL FROM",
			diag: "Connected to 192.0.2.25 but sender was rejected. Remote host said: 552 sorry, that message size exceeds my databytes limit (#5.3.4)", cmd: "MAIL",
			want: verdict{record.ReasonMesgTooBig, `text "exceeds my databytes limit" and status 5.3.4`, false, false},
		},
		{
			name: "qmail-remote: a refusal that names no cause stays the sender's",
			diag: "Connected to 192.0.2.25 but sender was rejected. Remote host said: 550 5.7.1 <root@example.org>... Access denied", cmd: "MAIL",
			want: verdict{record.ReasonRejected, `text "sender was rejected"`, false, false},
		},
	})
}
