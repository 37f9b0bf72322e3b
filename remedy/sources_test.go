package remedy

import (
	"bufio"
	"net/url"
	"os"
	"strings"
	"testing"
)

// referenceHosts reads data/reference-hosts.txt: the hosts whose pages
// the catalogue may cite (primary sources only).
func referenceHosts(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("data/reference-hosts.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hosts := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			hosts[l] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return hosts
}

// Every entry cites at least one source, every source is on a host of
// the allowlist, over https, and DMARC is cited by its current RFC.
func TestReferencesPrimary(t *testing.T) {
	hosts := referenceHosts(t)
	for _, e := range Default().Entries() {
		if len(e.References) == 0 {
			t.Errorf("%s: no reference", e.ID)
		}
		for _, r := range e.References {
			u, err := url.Parse(r)
			if err != nil || u.Scheme != "https" {
				t.Errorf("%s: %q is not an https URL", e.ID, r)
				continue
			}
			if !hosts[u.Hostname()] {
				t.Errorf("%s: %s is not on data/reference-hosts.txt", e.ID, r)
			}
			if strings.Contains(r, "rfc7489") {
				t.Errorf("%s: RFC 7489 is obsoleted by RFC 9989", e.ID)
			}
		}
	}
}
