package remedy

import "testing"

// The catalogue covers every cause of the project's remedy outline
// (sender authentication A1-A14, reputation and limits B1-B15, the
// recipient side C1-C9, the message D1-D7, submission and transport
// E1-E6): a bounce that shows the cause gets the cause's own entry first.
func TestOutlineCovered(t *testing.T) {
	tests := []struct {
		item  string
		facts Facts
		first string
	}{
		{"A1 no SPF", Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.23", Texts: []string{"550 5.7.23 The message was rejected because of Sender Policy Framework violation"}}, "spf-missing"},
		{"A2 two SPF records", Facts{Reason: "authfailure", ReplyCode: 550, Texts: []string{"550 5.7.1 rejected: example.co.jp has multiple SPF records"}}, "spf-duplicate"},
		{"A3 SPF lookups", Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.1", Texts: []string{"550 5.7.1 SPF check of example.co.jp failed: the record required too many lookups"}}, "spf-too-many-lookups"},
		{"A4 sender not in SPF", Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Texts: []string{"550 5.7.26 The domain example.co.jp has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks"}}, "spf-sender-not-listed"},
		{"A5 DKIM not enabled", Facts{Reason: "authfailure", Texts: []string{"Authentication-Results: spf=pass smtp.mailfrom=example.co.jp; dkim=none (message not signed) header.d=none"}}, "dkim-missing"},
		{"A6 DKIM CNAME", Facts{Texts: []string{"DKIM status for example.co.jp: CnameMissing"}}, "dkim-cname-registrar"},
		{"A7 no DMARC", Facts{Reason: "authfailure", ReplyCode: 550, Texts: []string{"550 5.7.1 no DMARC record found for example.co.jp"}}, "dmarc-missing"},
		{"A8 DMARC reject", Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.509", Texts: []string{"550 5.7.509 Access denied, sending domain example.co.jp does not pass DMARC verification and has a DMARC policy of reject."}}, "dmarc-policy-reject"},
		{"A9 free-mail From", Facts{Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Texts: []string{"550 5.7.26 Unauthenticated email from yahoo.co.jp is not accepted due to domain's DMARC policy"}}, "freemail-from-own-server"},
		{"A10 DNS not visible yet", Facts{Texts: []string{"DNS changes can take up to 72 hours to be visible everywhere"}}, "dns-propagation"},
		{"A11 sender DNS temporary", Facts{ReplyCode: 451, Status: "4.7.26", Temporary: true, Texts: []string{"451 4.7.26 Temporary DNS failures prevent authentication of this message"}}, "dns-tempfail-sender-domain"},
		{"A12 no PTR", Facts{Reason: "requireptr", ReplyCode: 550, Status: "5.7.25", Texts: []string{"550 5.7.25 The IP address sending this message does not have a PTR record setup"}}, "ptr-missing"},
		{"A13 bad HELO", Facts{ReplyCode: 550, Status: "5.7.506", Texts: []string{"550 5.7.506 Access Denied, Bad HELO"}}, "helo-invalid"},
		{"A14 sender domain", Facts{Reason: "rejected", ReplyCode: 553, Status: "5.1.8", Texts: []string{"553 5.1.8 <info@example.invalid>: Sender address rejected: Domain not found"}}, "sender-domain-unresolvable"},
		{"B1 S775", Facts{Reason: "badreputation", ReplyCode: 451, Status: "4.7.650", Temporary: true, Texts: []string{"451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation. (S775)"}}, "ms-s775-ip-reputation"},
		{"B2 Outlook.com block list", Facts{Reason: "blocked", ReplyCode: 550, Status: "5.7.1", Texts: []string{"550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."}}, "ms-outlook-blocklist"},
		{"B3 EOP banned IP", Facts{Reason: "blocked", ReplyCode: 550, Status: "5.7.606", Texts: []string{"550 5.7.606 Access denied, banned sending IP [192.0.2.1]"}}, "ms-eop-banned-ip"},
		{"B4 public block list", Facts{Reason: "blocked", ReplyCode: 554, Status: "5.7.1", Texts: []string{"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using b.barracudacentral.org"}}, "dnsbl-barracuda"},
		{"B5 Yahoo deferral", Facts{ReplyCode: 421, Status: "4.7.0", Temporary: true, Texts: []string{"421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints"}}, "yahoo-tss04-deferral"},
		{"B6 Yahoo permanent deferral", Facts{ReplyCode: 553, Status: "5.7.2", Texts: []string{"553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed."}}, "yahoo-permanent-deferral"},
		{"B7 Gmail rate", Facts{ReplyCode: 421, Status: "4.7.28", Temporary: true, Texts: []string{"421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address."}}, "gmail-reputation"},
		{"B8 recipient blocks sender", Facts{Reason: "blocked", ReplyCode: 550, Status: "5.7.513", Texts: []string{"550 5.7.513 Service unavailable, Client host [192.0.2.1] blocked by example.net using Customer Block list"}}, "recipient-org-blocks-sender"},
		{"B9 own account blocked", Facts{ReplyCode: 550, Status: "5.1.8", Texts: []string{"550 5.1.8 Access denied, bad outbound sender"}}, "sender-account-blocked"},
		{"B10 tenant blocked", Facts{ReplyCode: 550, Status: "5.7.705", Texts: []string{"550 5.7.705 Access denied, tenant has exceeded threshold"}}, "m365-tenant-blocked"},
		{"B11 unregistered domain", Facts{ReplyCode: 550, Status: "5.7.750", Texts: []string{"550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains"}}, "m365-unregistered-domain"},
		{"B12 sending limit", Facts{ReplyCode: 550, Status: "5.1.90", Texts: []string{"550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients"}}, "sending-quota-exceeded"},
		{"B13 receive rate", Facts{ReplyCode: 450, Status: "4.2.1", Temporary: true, Texts: []string{"450 4.2.1 The user you are trying to contact is receiving mail too quickly."}}, "receive-rate-limit"},
		{"B14 connections", Facts{ReplyCode: 421, Status: "4.7.652", Temporary: true, Texts: []string{"421 4.7.652 The mail server [192.0.2.1] has exceeded the maximum number of connections. (S3115)"}}, "too-many-connections"},
		{"B15 EOP throttling", Facts{ReplyCode: 451, Status: "4.7.500", Temporary: true, Texts: []string{"451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (AS761)"}}, "ms-eop-throttling"},
		{"C1 unknown user", Facts{Reason: "userunknown", ReplyCode: 550, Status: "5.1.1", Texts: []string{"550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table"}}, "reason-userunknown"},
		{"C2 carrier filter", Facts{Reason: "userunknown", ReplyCode: 550, Recipient: "user@docomo.ne.jp", Texts: []string{"550 Unknown user user@docomo.ne.jp"}}, "jp-carrier-reception-filter"},
		{"C3 mailbox full", Facts{Reason: "mailboxfull", ReplyCode: 452, Status: "4.2.2", Temporary: true, Texts: []string{"452 4.2.2 The email account that you tried to reach is over quota."}}, "mailbox-full-retry-later"},
		{"C4 mailbox disabled", Facts{Reason: "suspend", ReplyCode: 550, Status: "5.2.1", Texts: []string{"550 5.2.1 The email account that you tried to reach is disabled."}}, "mailbox-disabled"},
		{"C5 no such domain", Facts{Reason: "hostunknown", ReplyCode: 550, Status: "5.4.310", Texts: []string{"550 5.4.310 DNS domain example.invalid does not exist"}}, "recipient-domain-not-found"},
		{"C6 restricted recipient", Facts{ReplyCode: 550, Status: "5.7.124", Texts: []string{"550 5.7.124 Sender not in allowed-senders list"}}, "recipient-restricted"},
		{"C7 recipient MX", Facts{ReplyCode: 530, Status: "5.7.1", Texts: []string{"530 5.7.1 Client was not authenticated"}}, "recipient-mx-misconfigured"},
		{"C8 unreachable", Facts{Reason: "networkerror", ReplyCode: 451, Status: "4.4.316", Temporary: true, Texts: []string{"451 4.4.316 Connection refused [Message=Socket error code 10061]"}}, "remote-server-unreachable"},
		{"C9 recipient TLS", Facts{ReplyCode: 450, Status: "4.7.321", Temporary: true, Texts: []string{"450 4.7.321 starttls-not-supported: Destination mail server must support TLS to receive mail."}}, "recipient-tls-broken"},
		{"D1 too big", Facts{Reason: "mesgtoobig", ReplyCode: 552, Status: "5.3.4", Texts: []string{"552 5.3.4 Message size exceeds fixed maximum message size"}}, "message-too-big"},
		{"D2 content", Facts{Reason: "spamdetected", ReplyCode: 550, Status: "5.7.1", Texts: []string{"550 5.7.1 Our system has detected that this message is likely unsolicited mail."}}, "content-spam"},
		{"D3 attachment", Facts{ReplyCode: 552, Status: "5.7.0", Texts: []string{"552 5.7.0 This message was blocked because its content presents a potential security issue."}}, "forbidden-attachment"},
		{"D4 malformed", Facts{ReplyCode: 550, Status: "5.7.512", Texts: []string{"550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant and include a valid From address"}}, "malformed-message"},
		{"D5 TNEF", Facts{ReplyCode: 550, Status: "5.0.350", Texts: []string{"550 5.0.350 x-dg-ref header is too long"}}, "rtf-tnef-format"},
		{"D6 loop", Facts{ReplyCode: 554, Status: "5.4.6", Texts: []string{"554 5.4.6 Hop count exceeded - possible mail loop"}}, "mail-loop"},
		{"D7 same Message-ID", Facts{ReplyCode: 421, Status: "4.7.28", Temporary: true, Texts: []string{"421 4.7.28 Gmail has detected that this message exceeded its quota for sending messages with the same Message-ID"}}, "duplicate-message-id-flood"},
		{"E1 no SMTP login", Facts{ReplyCode: 530, Status: "5.7.57", Texts: []string{"530 5.7.57 Client not authenticated to send anonymous mail during MAIL FROM"}}, "m365-smtp-auth-required"},
		{"E2 TLS first", Facts{ReplyCode: 530, Status: "5.7.0", Texts: []string{"530 5.7.0 Must issue a STARTTLS command first."}}, "client-tls-or-auth-required"},
		{"E3 recipient requires TLS", Facts{ReplyCode: 421, Status: "4.7.0", Temporary: true, Texts: []string{"421 4.7.0 TLS required for RCPT domain, closing connection."}}, "recipient-requires-tls"},
		{"E4 IPv6", Facts{ReplyCode: 550, Status: "5.7.510", Texts: []string{"550 5.7.510 Access denied, example.net does not accept email over IPv6"}}, "m365-ipv6-policy"},
		{"E5 greylisting", Facts{ReplyCode: 450, Status: "4.2.0", Temporary: true, Texts: []string{"450 4.2.0 <user@example.net>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/"}}, "greylisting"},
		{"E6 relay refused", Facts{Reason: "norelaying", ReplyCode: 554, Status: "5.7.1", Texts: []string{"554 5.7.1 <user@example.net>: Relay access denied"}}, "relay-denied-submission"},
	}
	if len(tests) != 51 {
		t.Fatalf("%d outline items, want 51", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.item, func(t *testing.T) {
			checkMatch(t, tt.facts, tt.first, "", nil)
		})
	}
}
