package remedy

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Causes with their own entries: each bounce gets its entry first, with
// the party that acts first and the advice about sending again that the
// bounce's facts call for.
func TestCauses(t *testing.T) {
	tests := []struct {
		name  string
		facts Facts
		first string
		actor Actor
		retry RetryAdvice
		not   []string // entries that must not match
	}{
		{"password-protected attachment, custom rule text",
			Facts{ReplyCode: 550, Status: "5.7.1", Action: "failed", Texts: []string{"550 5.7.1 Password protected attachments are not accepted; please share the file by link"}},
			"password-protected-attachment", ActorSender, RetryAfterFix, []string{"forbidden-attachment"}},
		{"encrypted archive",
			Facts{ReplyCode: 554, Status: "5.7.0", Action: "failed", Texts: []string{"554 5.7.0 Reject: the attached archive is encrypted and cannot be scanned"}},
			"password-protected-attachment", ActorSender, RetryAfterFix, nil},
		{"password-protected attachment in Japanese",
			Facts{ReplyCode: 550, Status: "5.7.1", Action: "failed", Texts: []string{"パスワード付きZIPファイルが添付されているため、このメールは受信できません。"}},
			"password-protected-attachment", ActorSender, RetryAfterFix, nil},
		{"encrypted connection is not an encrypted attachment",
			Facts{ReplyCode: 530, Status: "5.7.0", Action: "failed", Texts: []string{"530 5.7.0 Must issue a STARTTLS command first; an encrypted connection is required"}},
			"", "", "", []string{"password-protected-attachment"}},
		{"a password that failed is not a protected file",
			Facts{ReplyCode: 535, Status: "5.7.8", Action: "failed", Texts: []string{"535 5.7.8 Error: authentication failed: wrong password for file server account"}},
			"", "", "", []string{"password-protected-attachment"}},
		{"send as 5.7.60",
			Facts{ReplyCode: 550, Status: "5.7.60", Action: "failed", Texts: []string{"550 5.7.60 SMTP; Client does not have permissions to send as this sender [TYCP286MB1234.JPNP286.PROD.OUTLOOK.COM]"}},
			"m365-send-as-denied", ActorSenderAdmin, RetryAfterFix, nil},
		{"send as exception",
			Facts{ReplyCode: 554, Status: "5.2.0", Action: "failed", Texts: []string{"554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception"}},
			"m365-send-as-denied", ActorSenderAdmin, RetryAfterFix, nil},
		{"postfix login mismatch",
			Facts{ReplyCode: 553, Status: "5.7.1", Action: "failed", Texts: []string{"553 5.7.1 <sales@example.co.jp>: Sender address rejected: not owned by user info@example.co.jp"}},
			"postfix-sender-login-mismatch", ActorSender, RetryAfterFix, []string{"relay-denied-submission"}},
		{"reject direct send",
			Facts{ReplyCode: 550, Status: "5.7.68", Action: "failed", Texts: []string{"550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"}},
			"m365-reject-direct-send", ActorSenderAdmin, RetryAfterFix, []string{"m365-connector-relay-misconfigured"}},
		{"too many recipients, postfix, still retrying",
			Facts{ReplyCode: 452, Status: "4.5.3", Temporary: true, Action: "delayed", Texts: []string{"452 4.5.3 Error: too many recipients"}},
			"too-many-recipients", ActorSender, RetryWait, nil},
		{"too many recipients, final",
			Facts{Reason: "exceedlimit", ReplyCode: 550, Status: "5.5.3", Action: "failed", Texts: []string{"550 5.5.3 Too many recipients"}},
			"too-many-recipients", ActorSender, RetryAfterFix, nil},
		{"client recipient rate is not the recipient count",
			Facts{ReplyCode: 450, Status: "4.7.1", Temporary: true, Texts: []string{"450 4.7.1 Error: too many recipients from [192.0.2.8]"}},
			"", "", "", []string{"too-many-recipients"}},
		{"tenant block list 5.7.703",
			Facts{ReplyCode: 550, Status: "5.7.703", Action: "failed", Texts: []string{"550 5.7.703 Your message can't be delivered because messages to partner@example.net are blocked by your organization using Tenant Allow Block List."}},
			"m365-tenant-blocks-recipient", ActorSender, RetryAfterFix, []string{"recipient-org-blocks-sender"}},
		{"directory-based edge blocking",
			Facts{Reason: "userunknown", ReplyCode: 550, Status: "5.4.1", Action: "failed", Texts: []string{"550 5.4.1 Recipient address rejected: Access denied. [TY1PEPF00001234.apcprd02.prod.protection.outlook.com]"}},
			"m365-dbeb-recipient-rejected", ActorSender, RetryNever, []string{"recipient-mx-misconfigured"}},
		{"5.4.1 relay access denied is not edge blocking",
			Facts{ReplyCode: 550, Status: "5.4.1", Action: "failed", Texts: []string{"550 5.4.1 Relay Access Denied"}},
			"", "", "", []string{"m365-dbeb-recipient-rejected"}},
		{"wrapper 5.7.350",
			Facts{Reason: "spamdetected", ReplyCode: 550, Status: "5.7.350", Action: "failed", Texts: []string{"550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Service unavailable; Client host [192.0.2.8] blocked"}},
			"m365-remote-rejection-wrapper", ActorSenderAdmin, RetryAfterFix, nil},
		{"gmail not authorized directly",
			Facts{Reason: "blocked", ReplyCode: 550, Status: "5.7.1", Action: "failed", Recipient: "user@gmail.com",
				Texts: []string{"550-5.7.1 [198.51.100.7] The IP you're using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead. - gsmtp"}},
			"direct-to-mx-not-authorized", ActorSender, RetryAfterFix, []string{"relay-denied-submission"}},
		{"gmail not authorized directly, 421",
			Facts{ReplyCode: 421, Status: "4.7.0", Temporary: true, Action: "delayed", Recipient: "user@gmail.com",
				Texts: []string{"421-4.7.0 [198.51.100.7] The IP you're using to send mail is not authorized to send email directly to our servers. - gsmtp"}},
			"direct-to-mx-not-authorized", ActorSender, RetryWait, nil},
		{"forwarded or relayed by Microsoft 365, 5.7.367",
			Facts{ReplyCode: 550, Status: "5.7.367", Action: "failed", Texts: []string{"550 5.7.367 Remote server returned not permitted to relay -> 554 5.7.1 Relaying denied"}},
			"m365-forward-relay-pool-rejected", ActorSenderAdmin, RetryAfterFix, []string{"relay-denied-submission"}},
		{"forwarded copy refused for DMARC at its destination",
			Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed", Recipient: "friend@gmail.com", OriginalRecipient: "info@example.jp", Texts: []string{
				"550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.",
				"<friend@gmail.com> (expanded from <info@example.jp>): host gmail-smtp-in.l.google.com[192.0.2.26] said: 550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. (in reply to end of DATA command)"}},
			"forwarded-copy-fails-authentication", ActorRecipientProvider, RetryAfterFix, nil},
		{"alias expansion without an authentication failure",
			Facts{Reason: "userunknown", ReplyCode: 550, Status: "5.1.1", Action: "failed", Recipient: "staff@example.net", OriginalRecipient: "info@example.jp", Texts: []string{
				"<staff@example.net> (expanded from <info@example.jp>): host mx.example.net[192.0.2.30] said: 550 5.1.1 <staff@example.net>: Recipient address rejected: User unknown in virtual mailbox table"}},
			"", "", "", []string{"forwarded-copy-fails-authentication"}},
		{"forwarded copy refused for a duplicate signature header",
			Facts{Reason: "notcompliantrfc", ReplyCode: 554, Action: "failed", Recipient: "list@example.org", OriginalRecipient: "info@example.jp", Texts: []string{
				"<list@example.org> (expanded from <info@example.jp>): host mx.example.org[192.0.2.31] said: 554 Transaction failed: Duplicate header 'DKIM-Signature'. (in reply to end of DATA command)"}},
			"", "", "", []string{"forwarded-copy-fails-authentication"}},
		{"forwarded copy failing SPF at Gmail",
			Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed", Recipient: "friend@gmail.com", OriginalRecipient: "info@example.jp", Texts: []string{
				"<friend@gmail.com> (expanded from <info@example.jp>): host gmail-smtp-in.l.google.com[192.0.2.26] said: 550-5.7.26 The MAIL FROM domain [example.com] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [192.0.2.9]."}},
			"forwarded-copy-fails-authentication", ActorRecipientProvider, RetryAfterFix, nil},
		// A DSN names the address the sender wrote in Original-Recipient;
		// its text need not mention the forwarding.
		{"forwarded copy refused, shown by the DSN's Original-Recipient",
			Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed", Recipient: "friend@gmail.com", OriginalRecipient: "info@example.jp", Texts: []string{
				"550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. Please contact the administrator of example.com domain if this was a legitimate mail. - gsmtp"}},
			"forwarded-copy-fails-authentication", ActorRecipientProvider, RetryAfterFix, nil},
		{"DMARC refusal of mail sent straight to the address",
			Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed", Recipient: "friend@gmail.com", OriginalRecipient: "friend@gmail.com", Texts: []string{
				"550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. - gsmtp"}},
			"dmarc-policy-reject", "", RetryAfterFix, []string{"forwarded-copy-fails-authentication"}},
		{"alias within the recipient's own domain, relayed on to another server",
			Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed", Recipient: "staff@mail.example.net", OriginalRecipient: "info@example.net", Texts: []string{
				"550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy"}},
			"forwarded-copy-fails-authentication", ActorRecipientProvider, RetryAfterFix, nil},
		{"routed on under its own name",
			Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed", Recipient: "info@mail.example.net", OriginalRecipient: "Info@example.net", Texts: []string{
				"550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy"}},
			"", "", "", []string{"forwarded-copy-fails-authentication"}},
		{"original recipient without a domain",
			Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed", Recipient: "friend@gmail.com", OriginalRecipient: "info", Texts: []string{
				"550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy"}},
			"", "", "", []string{"forwarded-copy-fails-authentication"}},
		{"forwarded copy refused for an unknown user",
			Facts{Reason: "userunknown", ReplyCode: 550, Status: "5.1.1", Action: "failed", Recipient: "old@example.net", OriginalRecipient: "info@example.jp", Texts: []string{
				"550 5.1.1 <old@example.net>: Recipient address rejected: User unknown"}},
			"", "", "", []string{"forwarded-copy-fails-authentication"}},
		{"too much mail from one client, still retrying",
			Facts{ReplyCode: 450, Status: "4.7.1", Temporary: true, Action: "delayed", Texts: []string{"450 4.7.1 Error: too much mail from 198.51.100.7"}},
			"client-rate-limit", ActorSender, RetryWait, []string{"too-many-recipients"}},
		{"recipient rate of one client, given up",
			Facts{ReplyCode: 450, Status: "4.7.1", Action: "failed", Texts: []string{"450 4.7.1 Error: too many recipients from 198.51.100.7"}},
			"client-rate-limit", ActorSender, RetryAfterFix, []string{"too-many-recipients"}},
		{"au drops the connection",
			Facts{Reason: "networkerror", Status: "4.4.2", Temporary: true, Action: "delayed", Recipient: "user@au.com",
				Texts: []string{"lost connection with lsean.ezweb.ne.jp[192.0.2.50] while receiving the initial server greeting"}},
			"jp-carrier-sender-restricted", ActorSenderAdmin, RetryWait, nil},
		{"uq mobile refuses the connection, given up",
			Facts{Reason: "networkerror", Status: "4.4.1", Action: "failed", Recipient: "user@uqmobile.jp",
				Texts: []string{"connect to mx.uqmobile.jp[192.0.2.51]:25: Connection refused"}},
			"jp-carrier-sender-restricted", ActorSenderAdmin, RetryAfterFix, nil},
		{"a dropped connection elsewhere is not a carrier block",
			Facts{Reason: "networkerror", Status: "4.4.2", Temporary: true, Action: "delayed", Recipient: "user@example.com",
				Texts: []string{"lost connection with mx.example.com[192.0.2.52] while receiving the initial server greeting"}},
			"", "", "", []string{"jp-carrier-sender-restricted"}},
		{"yahoo.co.jp refuses the connection",
			Facts{Reason: "networkerror", Status: "4.4.1", Action: "failed", Recipient: "user@yahoo.co.jp",
				Texts: []string{"connect to mx.mail.yahoo.co.jp[192.0.2.20]:25: Connection refused"}},
			"yahoo-japan-connection-refused", ActorHostingProvider, RetryAfterFix, []string{"yahoo-tss04-deferral", "yahoo-permanent-deferral", "jp-carrier-sender-restricted"}},
		{"yahoo.com is not Yahoo! JAPAN",
			Facts{Reason: "networkerror", Status: "4.4.1", Action: "failed", Recipient: "user@yahoo.com",
				Texts: []string{"connect to mta5.am0.yahoodns.net[192.0.2.21]:25: Connection refused"}},
			"", "", "", []string{"yahoo-japan-connection-refused"}},
		// The remote server's reply is quoted as it was sent inside a
		// Japanese-locale Outlook NDR, so the founding text trigger still
		// holds there.
		{"japanese-locale NDR to AOL",
			Facts{Reason: "systemerror", ReplyCode: 554, Action: "failed", Recipient: "user@aol.com",
				Texts: []string{"リモート サーバーから '554 Transaction failed' が返されました"}},
			"ms365-to-yahoo-aol-no-response", "", RetryAfterFix, nil},
		// Yahoo's TS deferrals: every step holds whether the server is
		// still retrying or has given up; the retry text carries the case.
		{"yahoo deferral given up",
			Facts{Reason: "rejected", ReplyCode: 421, Status: "4.7.0", Action: "failed", Recipient: "user@ymail.com",
				Texts: []string{"retry timeout exceeded", "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"}},
			"yahoo-tss04-deferral", ActorSender, RetryAfterFix, []string{"ms365-to-yahoo-aol-no-response"}},
		// Yahoo names the deferred IP address; Microsoft publishes the
		// ranges Exchange Online sends from (40.92.0.0/15, 40.107.0.0/16,
		// 52.100.0.0/14, 104.47.0.0/17, 2a01:111:f400::/48,
		// 2a01:111:f403::/48), and only Microsoft can act on them.
		{"yahoo defers Microsoft 365's IP, still retrying",
			Facts{Reason: "rejected", ReplyCode: 421, Status: "4.7.0", Temporary: true, Action: "delayed", Recipient: "user@aol.com",
				Texts: []string{"Remote Server at mx-aol.mail.gm0.yahoodns.net (67.195.204.75) returned '451 4.4.0 Primary target IP address responded with: \"421 4.7.0 [TSS04] Messages from 40.107.117.60 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes.\"'"}},
			"ms365-to-yahoo-aol-no-response", ActorSender, RetryWait, []string{"yahoo-tss04-deferral"}},
		{"yahoo defers Microsoft 365's IP, expired",
			Facts{Reason: "rejected", ReplyCode: 550, Status: "4.4.7", Action: "failed", Recipient: "user@yahoo.com", RemoteMTA: "dns;mta6.am0.yahoodns.net",
				Texts: []string{"550 4.4.7 QUEUE.Expired; message expired [Message=450 4.7.0 Proxy session setup failed on Frontend with '451 4.4.0 Primary target IP address responded with: \"421 4.7.0 [TSS04] Messages from 40.107.74.91 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes.\"'] [LastAttemptedServerName=mta6.am0.yahoodns.net]"}},
			"ms365-to-yahoo-aol-no-response", ActorSender, RetryAfterFix, []string{"yahoo-tss04-deferral", "remote-server-unreachable"}},
		{"yahoo defers an address in 104.47.0.0/17",
			Facts{Reason: "rejected", ReplyCode: 421, Status: "4.7.0", Temporary: true, Action: "delayed", Recipient: "user@sky.com",
				Texts: []string{"421 4.7.0 [TS01] Messages from 104.47.127.9 temporarily deferred due to user complaints - 4.16.55.1"}},
			"ms365-to-yahoo-aol-no-response", "", RetryWait, []string{"yahoo-tss04-deferral"}},
		{"Microsoft's IP deferred elsewhere than at Yahoo",
			Facts{Reason: "rejected", ReplyCode: 421, Status: "4.7.0", Temporary: true, Action: "delayed", Recipient: "user@example.com",
				Texts: []string{"421 4.7.0 Messages from 40.107.74.91 temporarily deferred"}},
			"", "", "", []string{"ms365-to-yahoo-aol-no-response"}},
		// Microsoft: 5.7.708 comes from low-reputation IP addresses used
		// by new (trial) tenants; 5.7.705 from spam sent by the tenant.
		{"5.7.708 new or trial tenant",
			Facts{Reason: "blocked", ReplyCode: 550, Status: "5.7.708", Action: "failed",
				Texts: []string{"550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653"}},
			"m365-new-tenant-ip-reputation", ActorSenderAdmin, RetryAfterFix, []string{"m365-tenant-blocked"}},
		{"5.7.705 tenant over the threshold",
			Facts{Reason: "blocked", ReplyCode: 550, Status: "5.7.705", Action: "failed",
				Texts: []string{"550 5.7.705 Access denied, tenant has exceeded threshold"}},
			"m365-tenant-blocked", ActorSenderAdmin, RetryAfterFix, []string{"m365-new-tenant-ip-reputation"}},
		// Outlook.com documents SC-001, SC-002 and SC-004; S3140 and S3150
		// are known only from the replies themselves.
		{"outlook.com SC-004",
			Facts{Reason: "blocked", ReplyCode: 550, Action: "failed", Recipient: "user@hotmail.com",
				Texts: []string{"550 SC-004 Mail rejected by Outlook.com for policy reasons. A block has been placed against your IP address because we have received complaints concerning mail coming from that IP address."}},
			"ms-outlook-blocklist", ActorHostingProvider, RetryAfterFix, nil},
		// Gmail's own notice about the sender's daily limit.
		{"gmail sending limit notice",
			Facts{Reason: "systemerror", ReplyCode: 550, Status: "5.4.5", Action: "failed", Recipient: "member@example.ne.jp",
				Texts: []string{"550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852 - gsmtp", "** You have reached a limit for sending mail **\n\nYour message was not sent."}},
			"sending-quota-exceeded", ActorSender, RetryAfterFix, nil},
		{"gmail sending limit heading in the current wording",
			Facts{Texts: []string{"You have reached a limit for sending email."}},
			"sending-quota-exceeded", ActorSender, RetryAfterFix, nil},
		{"X.4.5 congestion is not a sending limit",
			Facts{Reason: "systemerror", ReplyCode: 421, Status: "4.4.5", Temporary: true, Action: "delayed",
				Texts: []string{"421 4.4.5 Server busy, try again later."}},
			"", "", "", []string{"sending-quota-exceeded"}},
		// Gmail 451 4.7.26: the sending domain's DNS timed out during the
		// DMARC check.
		{"gmail DMARC check hit a DNS timeout",
			Facts{Reason: "authfailure", ReplyCode: 451, Status: "4.7.26", Temporary: true, Action: "delayed", Recipient: "user@gmail.com",
				Texts: []string{"host gmail-smtp-in.l.google.com[192.0.2.27] said:\n    451-4.7.26 Unauthenticated email from example.co.jp is not accepted due to\n    451-4.7.26 domain's DMARC policy, but temporary DNS failures prevent\n    451-4.7.26 authentication. Please contact the administrator of\n    451-4.7.26 example.co.jp domain if this was a legitimate mail."}},
			"dns-tempfail-sender-domain", ActorSenderAdmin, RetryWait, []string{"dmarc-policy-reject", "auth-spf-dkim-none", "recipient-dns-tempfail"}},
		// qmail-remote says the same for a refused and for a timed-out
		// connection, so Yahoo! JAPAN's refusal needs the refusal's words.
		{"yahoo.co.jp, no connection could be made",
			Facts{Reason: "networkerror", Status: "4.4.1", Action: "failed", Recipient: "user@yahoo.co.jp",
				Texts: []string{"Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)\nI'm not going to try again; this message has been in the queue too long."}},
			"remote-server-unreachable", "", RetryAfterFix, []string{"yahoo-japan-connection-refused"}},
		{"yahoo.co.jp refused to talk",
			Facts{Reason: "rejected", ReplyCode: 554, Status: "5.7.1", Action: "failed", Recipient: "user@yahoo.co.jp",
				Texts: []string{"host mx.mail.yahoo.co.jp[192.0.2.20] refused to talk to me: 554 5.7.1 Connection rejected"}},
			"yahoo-japan-connection-refused", ActorHostingProvider, RetryAfterFix, nil},
		// DKIM: the Microsoft 365 steps only when the bounce shows that
		// the sender uses Microsoft 365.
		{"DKIM missing, sender on Microsoft 365",
			Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.30", Action: "failed", Recipient: "user@gmail.com",
				Texts: []string{"550 5.7.30 This message was blocked because it didn't pass DKIM authentication. Gmail requires bulk email senders to authenticate their email with DKIM. Authentication results: DKIM = did not pass - gsmtp", "Generating server: TYCPR01MB1234.jpnprd01.prod.outlook.com"}},
			"dkim-m365-setup", ActorSenderAdmin, RetryAfterFix, []string{"dkim-missing"}},
		{"DKIM missing, onmicrosoft.com signature",
			Facts{Reason: "authfailure", Texts: []string{"Authentication-Results: spf=pass; dkim=none (message not signed) header.d=none; arc=none; dkim=pass header.d=contoso.onmicrosoft.com"}},
			"dkim-m365-setup", ActorSenderAdmin, RetryAfterFix, []string{"dkim-missing"}},
		{"DKIM missing, sender on a hosting server",
			Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.30", Action: "failed", Recipient: "user@gmail.com",
				Texts: []string{"550 5.7.30 This message was blocked because it didn't pass DKIM authentication. Gmail requires bulk email senders to authenticate their email with DKIM. Authentication results: DKIM = did not pass - gsmtp"}},
			"dkim-missing", ActorSenderAdmin, RetryAfterFix, []string{"dkim-m365-setup"}},
		{"DKIM missing, refused by a Microsoft 365 recipient",
			Facts{Reason: "authfailure", ReplyCode: 550, Action: "failed", Recipient: "user@contoso.example",
				Texts: []string{"550 5.7.1 dkim=none (message not signed) [BY2NAM01FT030.eop-nam01.prod.protection.outlook.com]"}},
			"dkim-missing", ActorSenderAdmin, RetryAfterFix, []string{"dkim-m365-setup"}},
		// UQ mobile publishes au's answer for unknown addresses (550) and
		// blocks networks that keep mailing them.
		{"uq mobile unknown user: the carrier answers so for an address that does not exist",
			Facts{Reason: "userunknown", ReplyCode: 550, Status: "5.1.1", Action: "failed", Recipient: "user@uqmobile.jp",
				Texts: []string{"550 5.1.1 <user@uqmobile.jp>: User unknown"}},
			"au-address-does-not-exist", ActorSender, RetryNever, nil},
		{"yahoo.ne.jp is not a carrier with a published filter",
			Facts{Reason: "userunknown", ReplyCode: 550, Status: "5.1.1", Action: "failed", Recipient: "user@yahoo.ne.jp",
				Texts: []string{"550 5.1.1 <user@yahoo.ne.jp>: User unknown"}},
			"", "", "", []string{"jp-carrier-reception-filter"}},
		{"iCloud local policy",
			Facts{Reason: "policyviolation", ReplyCode: 554, Status: "5.7.1", Action: "failed", Recipient: "user@icloud.com",
				Texts: []string{"554 5.7.1 [HM08] Message rejected due to local policy."}},
			"apple-local-policy", ActorSenderAdmin, RetryAfterFix, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := checkMatch(t, tt.facts, tt.first, tt.actor, tt.not)
			if tt.first == "" || len(ms) == 0 {
				return
			}
			for _, lang := range Languages {
				if x := ms[0].Render(lang); x.Retry != tt.retry {
					t.Errorf("%s: advice %s, want %s", lang, x.Retry, tt.retry)
				}
			}
		})
	}
}

// checkMatch matches f against the default catalogue and checks that
// first (when given) is the first entry, that its first step is for actor
// (when given), and that none of the entries in not matches.
func checkMatch(t *testing.T, f Facts, first string, actor Actor, not []string) []Match {
	t.Helper()
	ms := Default().Match(f)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.Entry.ID)
	}
	for _, id := range not {
		if slices.Contains(ids, id) {
			t.Errorf("%s matched: %v", id, ids)
		}
	}
	if first == "" {
		return ms
	}
	if len(ms) == 0 {
		t.Fatalf("no match, want %s", first)
	}
	if diff := cmp.Diff(first, ids[0]); diff != "" {
		t.Errorf("first entry (-want +got):\n%s\nall: %v", diff, ids)
	}
	if actor != "" {
		if got := ms[0].Entry.Text["en"].Steps[0].Actor; got != actor {
			t.Errorf("first actor %s, want %s", got, actor)
		}
	}
	return ms
}

// Yahoo's TS deferrals name the deferred IP address. An address in the
// ranges that Microsoft publishes for Exchange Online (40.92.0.0/15,
// 40.107.0.0/16, 52.100.0.0/14, 104.47.0.0/17, 2a01:111:f400::/48,
// 2a01:111:f403::/48) leads to the Microsoft 365 entry; any other
// address, including ones that merely look alike, to Yahoo's own.
func TestYahooDefersMicrosoftIPs(t *testing.T) {
	tests := []struct {
		ip        string
		microsoft bool
	}{
		{"40.92.5.6", true},
		{"40.93.250.1", true},
		{"40.107.74.91", true},
		{"52.100.9.9", true},
		{"52.103.255.1", true},
		{"104.47.0.1", true},
		{"104.47.127.9", true},
		{"[40.107.1.2]", true},
		{"2a01:111:f400:7e1b::5", true},
		{"2a01:111:f403:c200::1", true},
		{"192.0.2.25", false},
		{"140.107.74.91", false},
		{"40.94.1.1", false},
		{"40.1071.2.3", false},
		{"52.99.1.1", false},
		{"52.104.1.9", false},
		{"104.47.128.9", false},
		{"104.470.1.2", false},
		{"40.107.1.2.3", false},
		{"2a01:111:f402::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			f := Facts{Reason: "rejected", ReplyCode: 421, Status: "4.7.0", Temporary: true, Action: "delayed", Recipient: "user@yahoo.com",
				Texts: []string{"421 4.7.0 [TSS04] Messages from " + tt.ip + " temporarily deferred due to unexpected volume or user complaints - 4.16.55.1"}}
			first, other := "yahoo-tss04-deferral", "ms365-to-yahoo-aol-no-response"
			if tt.microsoft {
				first, other = other, first
			}
			checkMatch(t, f, first, "", []string{other})
		})
	}
}
