package dnscheck_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/miekg/dns"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
	"golang.org/x/text/language"
)

// serveZone serves the records of a zone file on a loopback UDP port and
// returns the address and a function that stops the server.
func serveZone(zone string) (string, func()) {
	var rrs []dns.RR
	zp := dns.NewZoneParser(strings.NewReader(zone), "", "")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		rrs = append(rrs, rr)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Rcode = dns.RcodeNameError
		for _, rr := range rrs {
			if strings.EqualFold(rr.Header().Name, r.Question[0].Name) {
				m.Rcode = dns.RcodeSuccess
				if rr.Header().Rrtype == r.Question[0].Qtype {
					m.Answer = append(m.Answer, rr)
				}
			}
		}
		w.WriteMsg(m)
	})}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go srv.ActivateAndServe()
	<-started
	return pc.LocalAddr().String(), func() { srv.Shutdown() }
}

// A Gmail 5.7.26 bounce whose sender domain has two SPF records and no
// DMARC record, checked against a DNS server on loopback. A command-line
// front end does the same with the address given by -dns-server and
// prints Localize's output as JSON.
func ExampleCheck() {
	addr, stop := serveZone(`
$ORIGIN twospf.test.
@ 300 IN SOA ns.twospf.test. hostmaster.twospf.test. 1 3600 600 86400 300
@ 300 IN TXT "v=spf1 include:_spf.hosting.test ~all"
@ 300 IN TXT "v=spf1 include:spf.protection.outlook.com -all"
`)
	defer stop()

	b, err := os.ReadFile("../../testdata/dnscheck/bounces/gmail-5.7.26-twospf.eml")
	if err != nil {
		panic(err)
	}
	rep, err := ndr.ExplainBytes(b)
	if err != nil {
		panic(err)
	}
	res, err := dnscheck.Check(context.Background(), rep,
		dnscheck.WithServer(addr), dnscheck.WithChecks(dnscheck.SPF, dnscheck.DMARC))
	if err != nil {
		panic(err)
	}
	for i, r := range res.Recipients {
		fmt.Println(rep.Recipients[i].Recipient, rep.Recipients[i].Status)
		for _, f := range dnscheck.Localize(r.Findings, language.English) {
			fmt.Println(f.Check, f.Severity, f.RemedyID)
		}
		ja := dnscheck.Localize(r.Findings, language.Japanese)
		out, _ := json.Marshal(map[string]string{"summary": ja[0].Summary})
		fmt.Println(string(out))
	}
	// Output:
	// hanako.example@gmail.com 5.7.26
	// spf error spf-duplicate
	// dmarc error dmarc-missing
	// {"summary":"twospf.test に SPF レコードが 2 件あります。複数あると SPF はすべてのメールで失敗します（permerror、RFC 7208 4.5 節）。1 件にまとめてください。"}
}

// CheckDomain checks names given directly, without a bounce.
func ExampleCheckDomain() {
	addr, stop := serveZone(`
$ORIGIN example.test.
@ 300 IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 300
@ 300 IN MX 0 .
`)
	defer stop()

	findings, err := dnscheck.CheckDomain(context.Background(),
		dnscheck.Target{RecipientDomain: "example.test"}, dnscheck.WithServer(addr))
	if err != nil {
		panic(err)
	}
	for _, f := range findings {
		fmt.Println(f.Check, f.Severity, f.RemedyID)
		fmt.Println(f.Summary.EN)
	}
	// Output:
	// mx error reason-notaccept
	// example.test publishes a null MX (MX 0 .): the domain states that it accepts no mail (RFC 7505).
}
