package classify

import "github.com/ndrkit/ndrkit/ndr/internal/record"

// googleReceiver is Gmail and Google Workspace, whose replies end in
// "- gsmtp". Its rules follow Google's "SMTP errors and codes" page for
// Workspace administrators (support.google.com/a/answer/3726730) and the
// bulk sender guidelines: Google gives 4.7.26/4.7.27/4.7.30-32 to SPF,
// DKIM and DMARC failures, 4.7.28 to rate limits and 4.7.29 to missing
// TLS, meanings that differ from the IANA registry's.
var googleReceiver = receiver{
	name:    "google",
	domains: []string{"gmail.com", "googlemail.com"},
	hosts:   []string{"google.com", "googlemail.com"},
	marker:  "- gsmtp",
	Rules: []vendorRule{
		{reason: record.ReasonSuspend, Re: re(`account that you tried to reach is (?:disabled|inactive)`)},
		{reason: record.ReasonSpeeding, Re: re(`receiving (?:e-?)?mail (?:too quickly|at a rate)|same message-id|daily sending quota|(?:daily|peak) smtp relay limit`)},
		// "550 5.4.5 Daily user sending limit exceeded": the sender's
		// own Gmail account reached its daily limit, not congestion
		// (support.google.com/a/answer/3726730, as of 2026-02-12).
		{reason: record.ReasonSpeeding, Re: re(`daily user sending limit`)},
		{reason: record.ReasonBadReputation, Re: re(`low reputation`)},
		// Google gives 4.7.23 (SPF in the registry) to a missing PTR.
		{reason: record.ReasonRequirePTR, Re: re(`(?:does not|doesn't) have a ptr record`)},
		{reason: record.ReasonSpamDetected, Re: re(`nature of the content or the links`)},
		{reason: record.ReasonSpeeding, subject: 7, details: [2]int{28, 28}},
		{reason: record.ReasonAuthFailure, subject: 7, details: [2]int{26, 27}},
		{reason: record.ReasonAuthFailure, subject: 7, details: [2]int{30, 32}},
		{reason: record.ReasonFailedSTARTTLS, subject: 7, details: [2]int{29, 29}},
		{reason: record.ReasonBlocked, Re: re(`not in whitelist`)},
		// "550 5.7.1 The IP you're using to send mail is not authorized
		// to send email directly to our servers. Please use the SMTP
		// relay at your service provider instead": a dynamic or
		// residential sending IP, refused as a client.
		{reason: record.ReasonBlocked, Re: re(`not authorized to send email directly to our servers`)},
		{reason: record.ReasonPolicyViolation, Re: re(`content presents a potential|has a policy that prohibited`)},
		// "421 4.7.0 Try again later, closing connection. This usually
		// indicates a Denial of Service (DoS) for the SMTP relay at the
		// HELO stage": the SMTP relay service (smtp-relay.gmail.com)
		// refuses a client that opens connections too fast, not its IP
		// address as such.
		{reason: record.ReasonTooManyConn, Re: re(`denial of service \(dos\) for the smtp relay`)},
	},
}
