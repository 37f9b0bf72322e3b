package remedy

// matchCases are representative facts from real bounces, shared by the
// match table test, the golden files and the benchmark.
var matchCases = []struct {
	name  string
	facts Facts
}{
	{"s775-shared-host", Facts{
		Reason: "badreputation", ReplyCode: 451, Status: "4.7.650", Temporary: true, Action: "delayed",
		Recipient: "user@hotmail.com", RemoteMTA: "hotmail-com.olc.protection.outlook.com",
		Texts: []string{"451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775) [Name=Protocol Filter Agent][AGT=PFA]"},
	}},
	{"yahoo-tss04", Facts{
		Reason: "speeding", ReplyCode: 421, Status: "4.7.0", Temporary: true, Action: "delayed",
		Recipient: "user@yahoo.com", RemoteMTA: "mta7.am0.yahoodns.net",
		Texts: []string{"421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"},
	}},
	{"m365-aol-no-response", Facts{
		Reason: "networkerror", Action: "failed",
		Recipient: "friend@aol.com",
		Texts: []string{
			"The server or service did not respond in time.",
			"Generating server: TYCPR01MB1234.jpnprd01.prod.outlook.com",
		},
	}},
	{"gmail-5.7.26-unauthenticated", Facts{
		Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed",
		Recipient: "user@gmail.com", RemoteMTA: "gmail-smtp-in.l.google.com",
		Texts: []string{"550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [example.jp] with ip: [192.0.2.25] = did not pass - gsmtp"},
	}},
	{"gmail-spf-hardfail", Facts{
		Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed",
		Recipient: "user@gmail.com",
		Texts:     []string{"550-5.7.26 The MAIL FROM domain [example.jp] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [192.0.2.25]. - gsmtp"},
	}},
	{"gmail-dmarc-reject", Facts{
		Reason: "authfailure", ReplyCode: 550, Status: "5.7.26", Action: "failed",
		Recipient: "user@gmail.com",
		Texts:     []string{"550-5.7.26 Unauthenticated email from example.jp is not accepted due to domain's DMARC policy. Please contact the administrator of example.jp domain. - gsmtp"},
	}},
	{"outlook-5.7.515", Facts{
		Reason: "authfailure", ReplyCode: 550, Status: "5.7.515", Action: "failed",
		Recipient: "user@outlook.com",
		Texts:     []string{"550 5.7.515 Access denied, sending domain example.jp does not meet the required authentication level."},
	}},
	{"m365-dkim-cname-missing", Facts{
		Texts: []string{"CNAME record does not exist for this config. Please publish the following two CNAME records first. Domain Name : example.jp Host Name : selector1._domainkey"},
	}},
	{"docomo-filter", Facts{
		Reason: "filtered", ReplyCode: 550, Status: "5.2.0", Action: "failed",
		Recipient: "user@docomo.ne.jp", RemoteMTA: "mfsmax.docomo.ne.jp",
		Texts: []string{"550 Unknown user user@docomo.ne.jp"},
	}},
}
