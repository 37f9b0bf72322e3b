// Package dnscheck checks the DNS that a bounce's explanation points at:
// the sender domain's SPF (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489)
// records, whether a change has reached the resolvers (propagation), the
// recipient domain's MX (RFC 5321 section 5.1, RFC 7505), and the sending
// IP address's reverse DNS and DNS block list listings (RFC 5782).
//
// Check takes a report from ndr.Explain and, for each failed recipient,
// runs the checks that the bounce makes relevant: an authentication
// failure (SPF, DKIM or DMARC texts; status codes such as 5.7.26, 5.7.509,
// 5.7.515 or 5.7.23) leads to the SPF, DKIM, DMARC and propagation checks;
// a block or reputation bounce to the PTR and block list checks of the
// sending IP address; an unknown or non-accepting recipient domain to the
// MX check. CheckDomain runs checks on names and an address given
// directly. Targets shows what a report yields: the sender and From
// domains, the sending IP address named in the diagnostic, the sending
// service (Microsoft 365, Google or another provider, from the reporting
// MTA) and the recipient domain.
//
// Each Finding has a severity, a summary in English and Japanese, the DNS
// answers it relies on with the server that gave them, and the ID of the
// remedy catalogue entry it confirms or rules out. Localize turns findings
// into the JSON shape of a command-line front end.
//
// Nothing is looked up until Check or CheckDomain is called. Queries go to
// the resolver of /etc/resolv.conf unless WithServer names another; each
// has a timeout (WithTimeout), the context bounds the whole check, and the
// number of queries per call is limited (WithMaxLookups). An answer that
// could not be obtained gives a finding of severity unknown, never a
// missing record.
//
// Divergences and choices: the SPF lookup limit is counted over the whole
// record and everything it includes, as receivers reach it when no earlier
// term matches; macros that need the message (%{s}, %{l}, %{i} in exists)
// are expanded only when the sending IP address is evaluated, with
// postmaster as the local part. The organizational domain of DMARC comes
// from the public suffix list (golang.org/x/net/publicsuffix).
package dnscheck
