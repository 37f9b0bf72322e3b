package remedy

import (
	"strconv"
	"testing"
)

// gmailFacts is a reply from Gmail's inbound servers to a recipient at
// gmail.com, with the wire form's " - gsmtp" ending.
func gmailFacts(code int, status, text string) Facts {
	f := Facts{ReplyCode: code, Status: status, Recipient: "user@gmail.com", RemoteMTA: "gmail-smtp-in.l.google.com",
		Texts: []string{strconv.Itoa(code) + " " + status + " " + text + " - gsmtp"}, Action: "failed"}
	if code < 500 {
		f.Temporary, f.Action = true, "delayed"
	}
	return f
}

// Every reply of Google's "Gmail SMTP errors and codes" page (last updated
// 2026-02-12) about authentication, PTR records, sending rates, TLS,
// storage and attachments reaches the entry of its cause, with the party
// that has to act first.
func TestGmailCodes(t *testing.T) {
	tests := []struct {
		code   int
		status string
		text   string
		first  string
		actor  Actor
		not    []string
	}{
		{421, "4.7.27", "Your email has been rate limited because SPF authentication didn't pass for this message. Gmail requires all bulk email senders to authenticate their email with SPF. Authentication results: SPF example.jp with IP address: 192.0.2.1 = Did not pass.",
			"spf-missing", ActorSenderAdmin, nil},
		{550, "5.7.27", "This message was blocked because it didn't pass SPF authentication. Gmail requires bulk email senders to authenticate their email with SPF. Authentication results: SPF with 192.0.2.1 = did not pass",
			"spf-missing", ActorSenderAdmin, nil},
		{421, "4.7.30", "Your email has been rate limited because DKIM authentication didn't pass for this message. Gmail requires all email bulk senders to authenticate their email with DKIM. Authentication results: DKIM = Did not pass.",
			"dkim-missing", ActorSenderAdmin, []string{"dkim-m365-setup"}},
		{550, "5.7.30", "This message was blocked because it didn't pass DKIM authentication. Gmail requires bulk email senders to authenticate their email with DKIM. Authentication results: DKIM = did not pass",
			"dkim-missing", ActorSenderAdmin, []string{"m365-smtp-basic-auth-off", "dkim-m365-setup"}},
		{421, "4.7.40", "Your email has been rate limited because the sending domain doesn't have a DMARC record, or the DMARC record doesn't specify a DMARC policy. Gmail requires all bulk email senders to add a DMARC record to their sending domain.",
			"dmarc-missing", ActorSenderAdmin, []string{"dmarc-policy-reject"}},
		{421, "4.7.31", "Your email has been rate limited because the sending domain doesn't have a DMARC record, or the DMARC record doesn't specify a DMARC policy. Gmail requires all bulk email senders to add a DMARC record to their sending domain.",
			"dmarc-missing", ActorSenderAdmin, []string{"dmarc-policy-reject"}},
		{550, "5.7.40", "Your message was blocked because the sending domain doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy.",
			"dmarc-missing", ActorSenderAdmin, []string{"dmarc-policy-reject"}},
		{421, "4.7.32", "Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.",
			"dmarc-alignment", ActorSenderAdmin, nil},
		{550, "5.7.32", "Your email was blocked because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.",
			"dmarc-alignment", ActorSenderAdmin, nil},
		{550, "5.7.25", "This message was blocked because the sending IP address doesn't have a PTR record, or the forwarding DNS entry doesn't reference the sending IP address. Gmail requires that sending IP addresses have a PTR record.",
			"ptr-missing", ActorHostingProvider, nil},
		{451, "4.7.23", "192.0.2.1 The sending IP address for this message doesn't have a PTR record, or the PTR record's forward DNS entry doesn't match the sending IP address. To protect users from spam, your email has been temporarily rate limited.",
			"ptr-missing", ActorHostingProvider, []string{"spf-missing"}},
		{421, "4.7.0", "The IP address sending this message does not have a PTR record, or the corresponding forward DNS entry does not point to the sending IP. To protect our users from spam, email sent from your IP address has been temporarily rate limited.",
			"ptr-missing", ActorHostingProvider, nil},
		{421, "4.7.28", "Gmail has detected an unusual rate of email originating from your IP address 192.0.2.1. To protect our users from spam, email sent from your IP address has been temporarily rate limited.",
			"gmail-reputation", ActorSenderAdmin, nil},
		{421, "4.7.28", "Gmail has detected an unusual rate of email originating from your DKIM domain example.jp. To protect our users from spam, email sent from your DKIM domain has been temporarily rate limited.",
			"gmail-reputation", ActorSenderAdmin, nil},
		{550, "5.7.28", "There is an unusual rate of unsolicited email originating from your IP address. To protect our users from spam, email sent from your IP address has been blocked.",
			"gmail-reputation", ActorSenderAdmin, nil},
		{421, "4.7.29", "Your email has been rate limited because you're not using a TLS connection. Gmail requires all bulk email senders to use TLS/SSL for SMTP connections.",
			"recipient-requires-tls", ActorHostingProvider, nil},
		{550, "5.7.29", "This message was blocked because it wasn't sent over a TLS connection.",
			"recipient-requires-tls", ActorHostingProvider, nil},
		{550, "5.7.26", "This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [example.jp] with ip: [192.0.2.1] = did not pass.",
			"auth-spf-dkim-none", ActorSenderAdmin, nil},
		{421, "4.7.26", "This email has been rate limited because it is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF example.jp with ip: 192.0.2.1 = did not pass.",
			"auth-spf-dkim-none", ActorSenderAdmin, nil},
		{550, "5.7.26", "Unauthenticated email from example.jp is not accepted due to domain's DMARC policy. Contact the administrator of example.jp domain if this was legitimate email.",
			"dmarc-policy-reject", ActorSenderAdmin, nil},
		{550, "5.7.26", "The MAIL FROM domain [example.jp] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [192.0.2.1]. To best protect our users from spam and phishing, the message has been blocked.",
			"spf-sender-not-listed", ActorSenderAdmin, nil},
		{550, "5.7.1", "This message is likely suspicious due to the very low reputation of the sending domain. To best protect our users from spam, the message has been blocked.",
			"gmail-reputation", ActorSenderAdmin, nil},
		{421, "4.7.28", "Gmail has detected an unusual amount of unsolicited email originating from your IP address. To protect our users from spam, email sent from your IP address has been temporarily blocked.",
			"gmail-reputation", ActorSenderAdmin, nil},
		{452, "4.2.2", "The recipient's inbox is out of storage space. Please direct the recipient to Manage files in your Google Drive storage.",
			"gmail-storage-full", "", nil},
		{552, "5.2.2", "The recipient's inbox is out of storage space and inactive. Please direct the recipient to Manage files in your Google Drive storage.",
			"gmail-inbox-full-inactive", ActorSender, []string{"mailbox-full-retry-later", "gmail-storage-full"}},
		{550, "5.4.5", "Daily user sending limit exceeded. For more information on Gmail sending limits, go to Gmail sending limits.",
			"sending-quota-exceeded", ActorSender, []string{"reason-systemerror"}},
		{550, "5.4.5", "Daily SMTP relay limit exceeded for user. For more information on SMTP relay sending limits, contact your administrator or go to SMTP relay service error messages.",
			"sending-quota-exceeded", ActorSender, nil},
		{550, "5.7.1", "Daily SMTP relay sending limit exceeded for this customer. For more information on SMTP relay sending limits, contact your administrator or visit SMTP relay service error messages.",
			"sending-quota-exceeded", ActorSender, nil},
		{451, "4.7.26", "Unauthenticated email from example.jp is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. Please contact the administrator of example.jp domain if this was a legitimate email.",
			"dns-tempfail-sender-domain", ActorSenderAdmin, []string{"dmarc-policy-reject", "auth-spf-dkim-none", "recipient-dns-tempfail"}},
		{550, "5.7.1", "This message is likely unsolicited email. To reduce the amount of spam sent to Gmail, this message has been blocked.",
			"content-spam", "", nil},
		{450, "4.2.1", "The user you are trying to contact is receiving email too quickly. Please resend your message at a later time.",
			"receive-rate-limit", "", nil},
		{450, "4.2.1", "The user you are trying to contact is receiving email at a rate that prevents additional messages from being delivered.",
			"receive-rate-limit", "", nil},
		{550, "5.7.1", "The user or domain that you are sending to (or from) has a policy that prohibits the email that you sent. Contact your domain administrator for assistance.",
			"google-workspace-custom-rule", "", nil},
		{552, "5.7.0", "This message was blocked because its content presents a potential security issue. To review our message content and attachment content guidelines, go to File types blocked in Gmail.",
			"forbidden-attachment", ActorSender, nil},
		{550, "5.7.1", "The IP you're using to send email is not authorized to send email directly to our servers. Use the SMTP relay at your service provider instead.",
			"direct-to-mx-not-authorized", ActorSender, nil},
	}
	for _, tt := range tests {
		t.Run(tt.status+" "+tt.first, func(t *testing.T) {
			checkMatch(t, gmailFacts(tt.code, tt.status, tt.text), tt.first, tt.actor, tt.not)
		})
	}
}
