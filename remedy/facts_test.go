package remedy

import (
	"slices"
	"strings"
	"testing"
)

// Claims that the providers have withdrawn, or that only third parties
// make, must not appear in an entry's text in either language.
func TestWithdrawnClaims(t *testing.T) {
	bad := []struct {
		id, lang, text, why string
	}{
		// Microsoft replaced the March-April 2026 schedule on 27 January 2026.
		{"m365-smtp-basic-auth-off", "en", "April 2026", "superseded schedule"},
		{"m365-smtp-basic-auth-off", "en", "March 2026", "superseded schedule"},
		{"m365-smtp-basic-auth-off", "ja", "2026年4月", "superseded schedule"},
		{"m365-smtp-auth-required", "en", "April 2026", "superseded schedule"},
		{"m365-smtp-auth-required", "ja", "2026年4月", "superseded schedule"},
		// Google documents the Compliance status dashboard; the retirement
		// of the reputation charts is reported only by third parties.
		{"gmail-reputation", "en", "replaced the old reputation", "not on a Google page"},
		{"gmail-reputation", "ja", "評価ダッシュボードに代わる", "not on a Google page"},
		// Gmail's spam-rate thresholds are 0.10% and 0.30%.
		{"gmail-reputation", "en", "0.3 %", "wrong threshold"},
		// The carriers do not document the reply to mail their reception
		// settings refuse; a 5.2.0 status as its sign is folklore.
		{"jp-carrier-reception-filter", "en", "5.2.0", "no carrier page says so"},
		{"jp-carrier-reception-filter", "ja", "5.2.0", "no carrier page says so"},
	}
	for _, b := range bad {
		e, ok := Default().Lookup(b.id)
		if !ok {
			t.Fatalf("%s missing", b.id)
		}
		if x := e.Render(MatchLanguage(b.lang)).Text(); strings.Contains(x, b.text) {
			t.Errorf("%s/%s says %q (%s)", b.id, b.lang, b.text, b.why)
		}
	}
}

// The SMTP AUTH entry gives Microsoft's current schedule in both
// languages: unchanged until December 2026, off by default for existing
// tenants at its end, the final date announced in the second half of 2027.
func TestSMTPAuthSchedule(t *testing.T) {
	e, ok := Default().Lookup("m365-smtp-basic-auth-off")
	if !ok {
		t.Fatal("m365-smtp-basic-auth-off missing")
	}
	want := map[string][]string{
		"en": {"end of December 2026", "disabled by default for existing tenants", "turn it back on", "second half of 2027"},
		"ja": {"2026年末", "既定で無効", "再び有効にできます", "2027年後半"},
	}
	for lang, parts := range want {
		x := e.Render(MatchLanguage(lang)).Text()
		for _, p := range parts {
			if !strings.Contains(x, p) {
				t.Errorf("%s: %q missing", lang, p)
			}
		}
	}
	if !strings.Contains(strings.Join(e.References, " "), "/4489835") {
		t.Errorf("the update of 27 January 2026 is not cited: %v", e.References)
	}
}

// The entries about Japanese carriers and Yahoo! JAPAN Mail cite the
// providers' own pages for what they say.
func TestJapaneseProviderSources(t *testing.T) {
	cites := []struct{ id, url string }{
		{"jp-carrier-sender-restricted", "https://www.nttdocomo.co.jp/info/spam_mail/"},
		{"jp-carrier-sender-restricted", "https://www.uqwimax.jp/mobile/plan/option/mail/caution/"},
		{"jp-carrier-sender-restricted", "https://www.softbank.jp/mobile/support/antispam/wrestle/"},
		{"jp-carrier-sender-restricted", "https://www.au.com/mobile/service/attention/specification/"},
		{"jp-carrier-reception-filter", "https://www.au.com/mobile/service/attention/specification/"},
		{"auth-spf-dkim-none", "https://whatsnewmail.yahoo.co.jp/yahoo/20241211a.html"},
		{"sending-quota-exceeded", "https://lolipop.jp/terms/prohibition"},
	}
	for _, c := range cites {
		e, ok := Default().Lookup(c.id)
		if !ok {
			t.Fatalf("%s missing", c.id)
		}
		found := false
		for _, r := range e.References {
			found = found || r == c.url
		}
		if !found {
			t.Errorf("%s does not cite %s", c.id, c.url)
		}
	}
	// Yahoo! JAPAN Mail is LY Corporation's, not Yahoo Inc.'s.
	e, _ := Default().Lookup("auth-spf-dkim-none")
	for lang, want := range map[string]string{"en": "LY Corporation", "ja": "LINEヤフー"} {
		if x := e.Render(MatchLanguage(lang)).Text(); !strings.Contains(x, want) {
			t.Errorf("auth-spf-dkim-none/%s does not name %s", lang, want)
		}
	}
}

// Microsoft 365's .350 wrapper carries the recipient server's reply after
// "->": a cause named there ranks above the wrapper, which still explains
// who rejected the message.
func TestRemoteReplyAfterWrapper(t *testing.T) {
	f := Facts{Reason: "blocked", ReplyCode: 550, Status: "5.7.350", Recipient: "buyer@example.org", Texts: []string{
		"Remote server returned '550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Service unavailable; Client host [192.0.2.40] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.40'"}}
	ms := checkMatch(t, f, "", "", nil)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.Entry.ID)
	}
	wrapper, listed := slices.Index(ids, "m365-remote-rejection-wrapper"), slices.IndexFunc(ids, func(id string) bool { return strings.HasPrefix(id, "spamhaus") || id == "dnsbl-listed" })
	if wrapper < 0 || listed < 0 || listed > wrapper {
		t.Errorf("want the block-list entry before the wrapper: %v", ids)
	}
	// Without a remote reply, the wrapper's own words still find it.
	checkMatch(t, Facts{Texts: []string{"Remote server returned '550 5.7.350 Remote server returned message detected as spam'"}},
		"m365-remote-rejection-wrapper", "", nil)
	e, _ := Default().Lookup("m365-remote-rejection-wrapper")
	for _, lang := range []string{"en", "ja"} {
		if x := e.Render(MatchLanguage(lang)).Text(); !strings.Contains(x, "->") {
			t.Errorf("%s: the wrapper does not say where the remote reply is", lang)
		}
	}
}

// Reject Direct Send looks at the envelope sender, not the From header
// (Set-OrganizationConfig -RejectDirectSend; Exchange Team blog of 28
// April 2025).
func TestRejectDirectSendEnvelope(t *testing.T) {
	e, _ := Default().Lookup("m365-reject-direct-send")
	for lang, want := range map[string]string{"en": "envelope sender (MAIL FROM), not the From header", "ja": "エンベロープ送信者（MAIL FROM）で、From ヘッダーではありません"} {
		if x := e.Render(MatchLanguage(lang)).Text(); !strings.Contains(x, want) {
			t.Errorf("%s: %q missing", lang, want)
		}
	}
}

// Gmail's storage replies are explained in both languages: 452 4.2.2 "The
// recipient's inbox is out of storage space" by its storage entry,
// 552 5.2.2 "... out of storage space and inactive" by its own entry,
// which does not tell the sender to keep the address.
func TestGmailStorageReplies(t *testing.T) {
	for id, wants := range map[string][]string{
		"gmail-storage-full":        {"452 4.2.2", "Google"},
		"gmail-inbox-full-inactive": {"552 5.2.2", "Google"},
	} {
		e, ok := Default().Lookup(id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		for _, lang := range []string{"en", "ja"} {
			x := e.Render(MatchLanguage(lang)).Text()
			for _, want := range wants {
				if !strings.Contains(x, want) {
					t.Errorf("%s/%s: %q missing", id, lang, want)
				}
			}
		}
	}
	e, _ := Default().Lookup("gmail-inbox-full-inactive")
	for lang, keep := range map[string]string{"en": "keep the address", "ja": "削除する必要はありません"} {
		if x := e.Render(MatchLanguage(lang)).Text(); strings.Contains(x, keep) {
			t.Errorf("%s: an inactive inbox is not a reason to keep the address: %q", lang, keep)
		}
	}
}

// Steps are shown for a delay notice and for a final failure alike, so no
// step may say that the sending server is still retrying or that the
// message will arrive by itself; the retry texts carry the difference.
func TestStepsHoldInEveryRetryCase(t *testing.T) {
	claims := map[string][]string{
		"en": {"server retries", "next attempts", "let the retries run", "resend once a few hours later"},
		"ja": {"再試行します", "再試行で配送", "再試行に任せ", "数時間後に一度だけ送り直"},
	}
	for _, e := range Default().Entries() {
		for lang, bad := range claims {
			for _, s := range e.Text[lang].Steps {
				for _, b := range bad {
					if strings.Contains(strings.ToLower(s.Text), b) {
						t.Errorf("%s/%s: step %q asserts a delivery state (%q)", e.ID, lang, s.Text, b)
					}
				}
			}
		}
	}
}

// The texts that the providers' own pages support: Yahoo's 5.7.9 is
// usually, not always, an authentication failure (its list of permanent
// errors also names content); Microsoft does not document S3140 and S3150;
// Apple names its postmaster address and what to send it.
func TestProviderWording(t *testing.T) {
	tests := []struct {
		id      string
		lang    string
		want    []string
		mustNot []string
	}{
		{"yahoo-5.7.9-authentication", "en", []string{"usually an authentication"}, []string{"not a content problem", "not about the wording"}},
		{"yahoo-5.7.9-authentication", "ja", []string{"多くは認証"}, []string{"本文の問題ではありません"}},
		{"ms-outlook-blocklist", "en", []string{"does not explain S3140 and S3150", "SC-004", "sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx"}, nil},
		{"ms-outlook-blocklist", "ja", []string{"S3140・S3150 は Microsoft の postmaster ページに説明がなく", "SC-004"}, nil},
		{"apple-local-policy", "en", []string{"icloudadmin@apple.com", "does not publish what each code means"}, nil},
		{"apple-local-policy", "ja", []string{"icloudadmin@apple.com", "意味を公開していません"}, nil},
		{"yahoo-tss04-deferral", "ja", []string{"48時間"}, []string{"数時間おき"}},
	}
	for _, tt := range tests {
		e, ok := Default().Lookup(tt.id)
		if !ok {
			t.Fatalf("%s missing", tt.id)
		}
		r := e.Text[tt.lang].Retry
		x := e.Render(MatchLanguage(tt.lang)).Text() + r.Delayed + r.Expired + r.Permanent
		for _, w := range tt.want {
			if !strings.Contains(x, w) {
				t.Errorf("%s/%s: %q missing", tt.id, tt.lang, w)
			}
		}
		for _, w := range tt.mustNot {
			if strings.Contains(x, w) {
				t.Errorf("%s/%s: %q", tt.id, tt.lang, w)
			}
		}
	}
}
