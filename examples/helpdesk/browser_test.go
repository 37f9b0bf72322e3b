package main

import (
	"context"
	"encoding/json"
	"flag"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/ndrkit/ndrkit/internal/dnstest/checkopt"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
)

// screenshot is where TestBrowser writes a PNG of the page with the
// S775 case in Japanese (the README's screenshot):
//
//	go test ./examples/helpdesk -run TestBrowser -screenshot screenshot-ja.png
var screenshot = flag.String("screenshot", "", "write a PNG of the page with the S775 case in Japanese to `FILE`")

// chromium finds a Chromium or Chrome binary.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts the server on a loopback port and a headless Chromium
// with a fresh profile; both stop when the test ends. The test is
// skipped without a browser or with -short, unless NDRKIT_BROWSER_TEST=1
// (set by CI), which makes a skip a failure.
func browser(t *testing.T, dnsOpts ...dnscheck.Option) (context.Context, string) {
	t.Helper()
	required := os.Getenv("NDRKIT_BROWSER_TEST") == "1"
	skip := func(why string) {
		if required {
			t.Fatalf("NDRKIT_BROWSER_TEST=1 but %s", why)
		}
		t.Skip(why)
	}
	if testing.Short() {
		skip("-short: the browser test is skipped")
	}
	exe := chromium()
	if exe == "" {
		skip("no chromium binary found")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(newHandler(dnsOpts...))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 1400),
	)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	return bctx, "http://" + ln.Addr().String()
}

// readCards returns what the page shows for each recipient.
const readCards = `[...document.querySelectorAll("#results .card:not(.note)")].map(c => ({
  badge: c.querySelector(".badge").textContent,
  recipient: c.querySelector(".recipient").textContent,
  title: c.querySelector(".title")?.textContent ?? "",
  codes: [...c.querySelectorAll("dl.facts code")].map(e => e.textContent),
  actors: [...c.querySelectorAll(".actor h4")].map(e => e.textContent),
  retry: c.querySelector(".retry strong")?.textContent ?? "",
  user: c.querySelector(".usermsg").value,
  diagnostic: c.querySelector("details pre")?.textContent ?? "",
}))`

type card struct {
	Badge      string   `json:"badge"`
	Recipient  string   `json:"recipient"`
	Title      string   `json:"title"`
	Codes      []string `json:"codes"`
	Actors     []string `json:"actors"`
	Retry      string   `json:"retry"`
	User       string   `json:"user"`
	Diagnostic string   `json:"diagnostic"`
}

// waitTitle waits until the first card's title is want.
func waitTitle(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	expr := `document.querySelector("#results .card .title")?.textContent === ` + jsString(want)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#results")?.innerText + " / " + document.querySelector("#status")?.textContent`))
		t.Fatalf("waiting for the title %q: %v; page: %s", want, err, got)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func cards(t *testing.T, ctx context.Context) []card {
	t.Helper()
	cs, err := chromedp.Run(ctx, chromedp.Evaluate[[]card](readCards))
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// paste puts text into the text box and presses the explain button.
func paste(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#clear")),
		chromedp.SetValue(chromedp.CSS("#text"), text),
		chromedp.Click(chromedp.CSS("#explain")),
	); err != nil {
		t.Fatal(err)
	}
}

func upload(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#clear")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{abs}),
	); err != nil {
		t.Fatal(err)
	}
}

func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatal(err)
	}
}

func readBounce(t *testing.T, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"..", "..", "testdata", "bounces"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBrowser drives the page in headless Chromium: the founding pasted
// texts, a raw DSN uploaded through the file input, the language switch,
// and a hostile bounce that must run no script.
func TestBrowser(t *testing.T) {
	ctx, base := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?lang=ja"), chromedp.WaitVisible(chromedp.CSS("#text"))); err != nil {
		t.Fatal(err)
	}

	// The S775 notice, in Japanese.
	paste(t, ctx, readBounce(t, "pasted", "postfix-s775-masked.txt"))
	waitTitle(t, ctx, "Outlook.com が評価を理由に送信サーバーのIPアドレスからの受信を制限しています")
	got := cards(t, ctx)
	if len(got) != 1 {
		t.Fatalf("%d cards", len(got))
	}
	c := got[0]
	if diff := cmp.Diff([]string{"失敗", "example@outlook.jp", "451", "4.7.650", "S775", "badreputation"},
		append([]string{c.Badge, c.Recipient}, c.Codes...)); diff != "" {
		t.Errorf("S775 ja (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"送信者", "送信側のメール・DNS管理者", "送信サーバーの運用者（サーバー会社・メールサービス・社内の管理者）"}, c.Actors); diff != "" {
		t.Errorf("S775 ja actors (-want +got):\n%s", diff)
	}
	if !strings.Contains(c.User, "example@outlook.jp 宛てにお送りいただいたメール") {
		t.Errorf("S775 ja user message:\n%s", c.User)
	}
	if *screenshot != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The same in English, after the switch.
	click(t, ctx, "#lang-en")
	waitTitle(t, ctx, "Outlook.com is throttling the sending server's IP address because of its reputation")
	c = cards(t, ctx)[0]
	if diff := cmp.Diff([]string{"Sender", "Sender's mail/DNS administrator", "Operator of the sending server (hosting provider, mail service, or your own IT staff)"}, c.Actors); diff != "" {
		t.Errorf("S775 en actors (-want +got):\n%s", diff)
	}

	// The Microsoft 365 notice for AOL, in English: no code in the text,
	// so the status shown is marked inferred.
	paste(t, ctx, readBounce(t, "pasted", "m365-aol-no-response.txt"))
	waitTitle(t, ctx, "Microsoft 365 cannot get mail through to Yahoo, AOL, Sky or cs.com")
	c = cards(t, ctx)[0]
	if diff := cmp.Diff([]string{"failed", "xxxx@aol.com", "5.0.947", "expired"}, append([]string{c.Badge, c.Recipient}, c.Codes...)); diff != "" {
		t.Errorf("M365 en (-want +got):\n%s", diff)
	}
	inferred, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#results .inferred")?.textContent ?? ""`))
	if err != nil || inferred != "(inferred)" {
		t.Errorf("inferred marker %q, %v", inferred, err)
	}

	// A raw DSN through the file input, then in Japanese.
	upload(t, ctx, filepath.Join("..", "..", "testdata", "bounces", "dsn", "postfix-userunknown.eml"))
	waitTitle(t, ctx, "The recipient's address does not exist")
	c = cards(t, ctx)[0]
	if diff := cmp.Diff([]string{"failed", "nobody@example.net", "550", "5.1.1", "userunknown"}, append([]string{c.Badge, c.Recipient}, c.Codes...)); diff != "" {
		t.Errorf("DSN en (-want +got):\n%s", diff)
	}
	click(t, ctx, "#lang-ja")
	waitTitle(t, ctx, "宛先のメールアドレスが存在しません")
	c = cards(t, ctx)[0]
	if diff := cmp.Diff([]string{"送信者"}, c.Actors); diff != "" {
		t.Errorf("DSN ja actors (-want +got):\n%s", diff)
	}
	if c.Retry != "送り直さない" {
		t.Errorf("DSN ja retry %q", c.Retry)
	}
}

// TestBrowserHostile uploads a bounce with <script>, <img onerror>, <svg
// onload> and javascript: links in its header fields and diagnostic: the
// page shows them as text and none of them runs.
func TestBrowserHostile(t *testing.T) {
	ctx, base := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?lang=en"), chromedp.WaitVisible(chromedp.CSS("#text"))); err != nil {
		t.Fatal(err)
	}
	hostile, err := os.ReadFile(filepath.Join("testdata", "hostile.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, input := range []string{"upload", "paste"} {
		if input == "upload" {
			upload(t, ctx, filepath.Join("testdata", "hostile.eml"))
		} else {
			paste(t, ctx, string(hostile))
		}
		waitTitle(t, ctx, "The recipient's address does not exist")
		// Give an injected handler (an image error, say) time to run.
		if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		type state struct {
			Pwned      bool   `json:"pwned"`
			Scripts    int    `json:"scripts"`
			Images     int    `json:"images"`
			SVGs       int    `json:"svgs"`
			JSLinks    int    `json:"jsLinks"`
			Text       string `json:"text"`
			Diagnostic string `json:"diagnostic"`
		}
		s, err := chromedp.Run(ctx, chromedp.Evaluate[state](`({
  pwned: window.__pwned !== undefined,
  scripts: document.querySelectorAll("#results script").length,
  images: document.querySelectorAll("#results img").length,
  svgs: document.querySelectorAll("#results svg").length,
  jsLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
  text: document.querySelector("#results").textContent,
  diagnostic: document.querySelector("#results details pre").textContent,
})`))
		if err != nil {
			t.Fatal(err)
		}
		if s.Pwned || s.Scripts+s.Images+s.SVGs+s.JSLinks != 0 {
			t.Errorf("%s: injected markup became elements or ran: %+v", input, s)
		}
		want := "550 5.1.1 <script>window.__pwned=8</script> <img src=x onerror=window.__pwned=9> javascript:window.__pwned=10 User unknown"
		if s.Diagnostic != want {
			t.Errorf("%s: diagnostic shown as %q, want %q", input, s.Diagnostic, want)
		}
		if !strings.Contains(s.Text, `<script>window.__pwned=11</script> <a href="javascript:window.__pwned=12">link</a>`) {
			t.Errorf("%s: the original subject is not shown as text: %q", input, s.Text)
		}
	}
}

// TestBrowserDNSCheck pastes a Gmail 5.7.26 bounce whose sender has two
// SPF records and no DMARC record, presses the card's DNS button, and
// reads the findings the page shows, with the server asking a DNS server
// on loopback.
func TestBrowserDNSCheck(t *testing.T) {
	w := startDNS(t)
	ctx, base := browser(t, checkopt.Options(w)...)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/?lang=ja"), chromedp.WaitVisible(chromedp.CSS("#text"))); err != nil {
		t.Fatal(err)
	}
	paste(t, ctx, dnsBounce(t, "gmail-5.7.26-twospf.eml"))
	waitTitle(t, ctx, "SPFまたはDKIMによる認証が必要ですが、どちらも合格していません")
	before := w.Resolver.Queries()
	if before != 0 {
		t.Errorf("%d DNS queries before the button was pressed", before)
	}
	click(t, ctx, "#results .card .dnscheck")
	const read = `[...document.querySelectorAll("#results .card .findings .finding.sev-error")].map(f => f.querySelector("strong").textContent + " " + f.querySelector("code").textContent)`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#results .card .findings .finding").length > 0`,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#results .dns")?.innerText`))
		t.Fatalf("waiting for the findings: %v; shown: %q", err, got)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](read))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"[問題あり] SPF spf-duplicate", "[問題あり] DMARC dmarc-missing"}, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if w.Resolver.Queries() == 0 {
		t.Error("the resolver was not asked")
	}
}
