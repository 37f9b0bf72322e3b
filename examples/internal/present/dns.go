package present

import (
	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/ndr/dnscheck"
)

// severityLabels name the severities of DNS findings.
var severityLabels = map[dnscheck.Severity][2]string{
	dnscheck.SeverityOK:      {"OK", "問題なし"},
	dnscheck.SeverityInfo:    {"info", "情報"},
	dnscheck.SeverityWarning: {"warning", "注意"},
	dnscheck.SeverityError:   {"problem", "問題あり"},
	dnscheck.SeverityUnknown: {"unknown", "不明"},
}

// checkLabels name the DNS checks.
var checkLabels = map[dnscheck.Kind][2]string{
	dnscheck.SPF:         {"SPF", "SPF"},
	dnscheck.DKIM:        {"DKIM", "DKIM"},
	dnscheck.DMARC:       {"DMARC", "DMARC"},
	dnscheck.Propagation: {"propagation", "DNS の反映"},
	dnscheck.MX:          {"MX", "MX"},
	dnscheck.PTR:         {"reverse DNS", "逆引き（PTR）"},
	dnscheck.DNSBL:       {"block lists", "ブロックリスト"},
}

// SeverityLabel names the severity of a DNS finding.
func SeverityLabel(s dnscheck.Severity, tag language.Tag) string {
	return labelOf(severityLabels, s, tag)
}

// CheckLabel names a DNS check.
func CheckLabel(k dnscheck.Kind, tag language.Tag) string {
	return labelOf(checkLabels, k, tag)
}

// labelOf returns the label of k in the language of tag, or k itself
// when labels lacks it.
func labelOf[K ~string](labels map[K][2]string, k K, tag language.Tag) string {
	if l, ok := labels[k]; ok {
		return Pick(tag, l[0], l[1])
	}
	return string(k)
}
