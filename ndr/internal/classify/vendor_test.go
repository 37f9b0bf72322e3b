package classify

import "testing"

// TestReceiverNames checks that the lookup of a domain's and a host's
// suffixes names the receivers that their lists of domains and hosts
// name, for names built from those lists and a few others.
func TestReceiverNames(t *testing.T) {
	names := []string{"", ".", "com", ".com", "example.com", "mx.example.com.", "xoutlook.com", "a..outlook.com"}
	for _, rc := range receivers {
		for _, d := range append(append([]string{}, rc.domains...), rc.hosts...) {
			names = append(names, d, "mx1."+d, "x"+d, d[1:], "a.b."+d, "."+d)
		}
	}
	for _, domain := range names {
		for _, remote := range []string{"", "mx.example.net", "mx1.protection.outlook.com", "mta7.am0.yahoodns.net", domain} {
			c := &clue{domain: domain, remote: remote}
			for i, rc := range receivers[:min(len(receivers), 64)] {
				if got, want := c.receiverNames()&(1<<i) != 0, rc.names(c); got != want {
					t.Errorf("receiver %s, domain %q, remote %q: named %v, want %v", rc.name, domain, remote, got, want)
				}
			}
		}
	}
}
