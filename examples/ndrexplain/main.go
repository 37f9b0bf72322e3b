// Command ndrexplain explains bounce messages: who did not get the mail,
// what the receiving server said, why, and what to do about it.
//
// Usage:
//
//	go run ./examples/ndrexplain [flags] [PATH ...]
//
// A PATH is a file, a directory (its files in name order; a maildir's
// cur/ and new/, never tmp/; the folders below only with -r) or "-" for
// standard input, which
// is also read when no PATH is given. A file may hold one message, an
// mbox of any number of messages (read one at a time), or bounce text
// pasted without a header.
//
// Flags:
//
//	-format text|jsonl|json|csv  output format (default text; -json is -format jsonl)
//	-r                           read the folders below a directory too
//	-lang ja|en                  language (default from $LC_ALL, $LC_MESSAGES, $LANG)
//	-only failed|delayed|hard    keep only these recipients
//	-summary                     counts instead of one entry per recipient (-format text or json)
//	-suppress FILE               write the hard-bounced addresses to FILE, one per line (see below)
//	-max-size BYTES              largest message read (default 16 MiB)
//	-check-dns                   check the sender's DNS that each bounce points at
//	-dns-server HOST:PORT        the resolver -check-dns asks (default: /etc/resolv.conf's)
//	-dns-timeout DURATION        time allowed for one DNS lookup (default 3s)
//
// Nothing is looked up in the DNS without -check-dns. With it, each
// recipient of the text, jsonl and json formats gets the findings of
// package ndr/dnscheck for its bounce: SPF, DKIM, DMARC and propagation
// for an authentication failure, reverse DNS and block lists for a
// blocked sending address, MX for a recipient domain that does not
// accept mail. A lookup that fails gives a finding of severity unknown.
//
// A bounce may name more recipients than are read (the first 1000; the
// report then carries a warning wrapping ndr.ErrLimit). The text output
// shows the warning; -summary marks its count of recipients as partial
// ("recipients_partial" and "partial_messages" in -format json); with
// -suppress each such bounce is named on standard error, as the list
// lacks the hard bounces among the recipients that were not read, and
// the exit status is 1. The list is still written, with the addresses
// that were read.
//
// A bounce that a person quoted in a reply or forwarded (a warning
// wrapping ndr.ErrQuoted) is explained, but its hard bounces are not
// added to the -suppress list: the failure may be old and dealt with.
// A note on standard error names it.
//
// An ordinary message is counted as "not a bounce", not as an error.
// Errors go to standard error (and, in the JSON and CSV formats, into the
// output as an entry with "error"). The exit status is 0 when every
// input was read, 1 when some input could not be read or explained (or,
// with -suppress, a bounce's recipients were not all read), and 2 on bad
// usage. When standard error is a terminal, a progress line shows the
// messages done, their rate and the time left.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
	"golang.org/x/text/language"

	"github.com/ndrkit/ndrkit/examples/internal/present"
	"github.com/ndrkit/ndrkit/ndr"
	"github.com/ndrkit/ndrkit/ndr/dnscheck"
	"github.com/ndrkit/ndrkit/remedy"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// isTerminal reports whether w is a terminal; progress is shown only
// there.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// config holds the parsed flags.
type config struct {
	format   string
	summary  bool
	only     string
	suppress string
	lang     language.Tag
	opts     []ndr.Option
	// recursive reads the folders below a directory too.
	recursive bool
	// checkDNS runs dnscheck.Check on every report with dnsOpts.
	checkDNS bool
	dnsOpts  []dnscheck.Option
}

// dnsCheckTime bounds the DNS check of one message.
const dnsCheckTime = 30 * time.Second

// extraDNSOptions are added to the options of every DNS check: where
// the name servers of test zones listen, and which block lists to ask.
var extraDNSOptions []dnscheck.Option

func parseFlags(args []string, stderr io.Writer) (*config, []string, bool) {
	fl := flag.NewFlagSet("ndrexplain", flag.ContinueOnError)
	fl.SetOutput(stderr)
	asJSON := fl.Bool("json", false, "the same as -format jsonl")
	recursive := fl.Bool("r", false, "read the folders below a directory too (a maildir's cur/ and new/ are always read)")
	format := fl.String("format", "", "output format: text, jsonl, json or csv (with -summary: text or json)")
	lang := fl.String("lang", "", "language: ja or en (default: from $LC_ALL, $LC_MESSAGES or $LANG, else en)")
	only := fl.String("only", "", "keep only recipients that `failed`, are delayed or are hard bounces: failed, delayed or hard")
	summary := fl.Bool("summary", false, "print counts by kind, reason, receiver and who must act instead of the recipients")
	suppress := fl.String("suppress", "", "write the hard-bounced addresses to `FILE`, one per line, sorted; a bounce whose recipients were not all read is named on standard error and makes the exit status 1")
	maxSize := fl.Int("max-size", ndr.DefaultMaxSize, "largest message read, in `bytes`")
	checkDNS := fl.Bool("check-dns", false, "check the DNS records each bounce points at (SPF, DKIM, DMARC, MX, reverse DNS, block lists)")
	dnsServer := fl.String("dns-server", "", "the resolver -check-dns asks, as `host:port` (default: the first of /etc/resolv.conf)")
	dnsTimeout := fl.Duration("dns-timeout", dnscheck.DefaultTimeout, "time allowed for one DNS lookup of -check-dns")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: ndrexplain [-format text|jsonl|json|csv] [-lang ja|en] [-only failed|delayed|hard] [-summary] [-suppress FILE] [-check-dns [-dns-server HOST:PORT]] [PATH ...]")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return nil, nil, false
	}
	bad := func(format string, a ...any) (*config, []string, bool) {
		fmt.Fprintf(stderr, "ndrexplain: "+format+"\n", a...)
		return nil, nil, false
	}
	c := &config{format: *format, summary: *summary, only: *only, suppress: *suppress, recursive: *recursive}
	if *asJSON {
		if c.format != "" && c.format != "jsonl" {
			return bad("-json is -format jsonl; it cannot go with -format %s", c.format)
		}
		c.format = "jsonl"
	}
	if c.format == "" {
		c.format = "text"
	}
	switch {
	case c.summary && c.format != "text" && c.format != "json":
		return bad("-summary writes -format text or json, not %q", c.format)
	case c.format != "text" && c.format != "jsonl" && c.format != "json" && c.format != "csv":
		return bad("-format must be text, jsonl, json or csv, not %q", c.format)
	case c.only != "" && c.only != "failed" && c.only != "delayed" && c.only != "hard":
		return bad("-only must be failed, delayed or hard, not %q", c.only)
	case *lang != "" && *lang != "ja" && *lang != "en":
		return bad("-lang must be ja or en, not %q", *lang)
	case *maxSize <= 0:
		return bad("-max-size must be positive")
	case *checkDNS && (c.summary || c.format == "csv"):
		return bad("-check-dns adds findings to -format text, jsonl or json; not to -summary or csv")
	case !*checkDNS && *dnsServer != "":
		return bad("-dns-server is used only with -check-dns")
	case *dnsTimeout <= 0:
		return bad("-dns-timeout must be positive")
	}
	if *checkDNS {
		c.checkDNS = true
		c.dnsOpts = []dnscheck.Option{dnscheck.WithTimeout(*dnsTimeout)}
		if *dnsServer != "" {
			c.dnsOpts = append(c.dnsOpts, dnscheck.WithServer(*dnsServer))
		}
		c.dnsOpts = append(c.dnsOpts, extraDNSOptions...)
		// A report without recipients sends no query: this only checks
		// the options.
		if _, err := dnscheck.Check(context.Background(), &ndr.Report{}, c.dnsOpts...); err != nil {
			return bad("-dns-server: %v", err)
		}
	}
	pref := *lang
	if pref == "" {
		pref = localeLanguage(os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG"))
	}
	c.lang = remedy.MatchLanguage(pref)
	c.opts = []ndr.Option{ndr.WithLanguage(c.lang), ndr.WithLimits(*maxSize, 0, 0)}
	paths := fl.Args()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	return c, paths, true
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, paths, ok := parseFlags(args, stderr)
	if !ok {
		return 2
	}
	out := bufio.NewWriter(stdout)
	b := &batch{cfg: c, stdin: stdin, stderr: stderr, sum: newSummary()}
	if c.suppress != "" {
		b.hard = map[string]bool{}
	}
	if c.summary {
		b.out = discard{}
	} else {
		b.out = newEmitter(c.format, out, c.lang)
	}
	if isTerminal(stderr) {
		b.startProgress(paths)
	}
	for _, p := range paths {
		b.path(p)
	}
	b.out.close()
	b.stopProgress()
	if c.summary {
		if err := b.sum.write(out, c.format, c.lang); err != nil {
			b.fail("-", 0, err)
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "ndrexplain: %v\n", err)
		return 1
	}
	if c.suppress != "" {
		if err := writeSuppress(c.suppress, b.hard); err != nil {
			fmt.Fprintf(stderr, "ndrexplain: %v\n", err)
			return 1
		}
	}
	if b.failed || b.partial {
		return 1
	}
	return 0
}

// batch reads the inputs and hands what it finds to the output, the
// summary and the suppression list.
type batch struct {
	cfg    *config
	stdin  io.Reader
	stderr io.Writer
	out    emitter
	sum    *summary
	hard   map[string]bool // hard-bounced addresses, for -suppress
	failed bool
	// partial is set when a bounce's recipients were not all read and
	// the suppression list may miss some hard bounces.
	partial bool

	bar      *progressbar.ProgressBar
	started  time.Time
	messages int
}

// path reads standard input, a file, or a directory tree.
func (b *batch) path(p string) {
	if p == "-" {
		b.read("-", b.stdin)
		return
	}
	st, err := os.Stat(p)
	if err != nil {
		b.fail(p, 0, err)
		return
	}
	if !st.IsDir() {
		b.file(p)
		return
	}
	walk(p, b.cfg.recursive, b.file, func(dir string, err error) { b.fail(dir, 0, err) })
}

func (b *batch) file(name string) {
	f, err := os.Open(name)
	if err != nil {
		b.fail(name, 0, err)
		return
	}
	defer f.Close()
	b.read(name, f)
}

// read explains every message of r, one at a time.
func (b *batch) read(name string, r io.Reader) {
	if b.bar != nil {
		r = &countingReader{r: r, bar: b.bar}
	}
	present.Messages(r, b.cfg.opts, func(pos int, rep *ndr.Report, err error) {
		b.tick()
		switch {
		case errors.Is(err, ndr.ErrNotBounce):
			b.sum.message("not-bounce")
			b.out.notBounce(name, pos)
		case err != nil:
			b.sum.message("error")
			b.fail(name, pos, err)
		default:
			b.report(name, pos, rep)
		}
	})
}

// report hands the recipients that -only keeps to the output and counts
// them.
func (b *batch) report(name string, pos int, rep *ndr.Report) {
	b.sum.message(string(rep.Kind))
	if limit, cut := present.RecipientsCut(rep); cut {
		b.sum.partial(limit)
		if b.hard != nil {
			b.suppressPartial(name, pos, limit)
		}
	}
	quoted := quotedByPerson(rep)
	if quoted && b.hard != nil && slices.ContainsFunc(rep.Recipients, func(r ndr.Recipient) bool { return r.HardBounce }) {
		b.clearProgress()
		fmt.Fprintf(b.stderr, "ndrexplain: %s: note: the bounce is quoted in a reply or forward written by a person; its hard bounces are not added to %s\n",
			present.Visible(where(name, pos)), present.Visible(b.cfg.suppress))
	}
	var kept []ndr.Recipient
	var dns [][]dnscheck.Finding
	res := b.checkDNS(name, pos, rep)
	for i, r := range rep.Recipients {
		// The suppression list holds every hard bounce, whatever -only
		// keeps, except those of a bounce a person quoted or forwarded:
		// that failure may be old and dealt with already.
		if b.hard != nil && r.HardBounce && !r.Masked && !quoted {
			if a := suppressAddress(r.Recipient); a != "" {
				b.hard[a] = true
			}
		}
		if !b.keep(r) {
			continue
		}
		kept = append(kept, r)
		if res != nil {
			dns = append(dns, res.Recipients[i].Findings)
		}
		b.sum.recipient(r)
	}
	if len(kept) > 0 || b.cfg.only == "" {
		b.out.report(name, pos, rep, kept, dns)
	}
}

// checkDNS runs the DNS check of rep when -check-dns asks for it; nil
// when it does not or the check could not run.
func (b *batch) checkDNS(name string, pos int, rep *ndr.Report) *dnscheck.Result {
	if !b.cfg.checkDNS {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), dnsCheckTime)
	defer cancel()
	res, err := dnscheck.Check(ctx, rep, b.cfg.dnsOpts...)
	if err != nil || len(res.Recipients) != len(rep.Recipients) {
		if err == nil {
			err = errors.New("dnscheck: result does not match the report")
		}
		b.fail(name, pos, err)
		return nil
	}
	return res
}

func (b *batch) keep(r ndr.Recipient) bool {
	switch b.cfg.only {
	case "failed":
		return r.Action == ndr.ActionFailed
	case "delayed":
		return r.Action == ndr.ActionDelayed
	case "hard":
		return r.HardBounce
	}
	return true
}

// quotedByPerson reports whether rep was read from a bounce that a
// person quoted or forwarded (a warning wrapping ndr.ErrQuoted).
func quotedByPerson(rep *ndr.Report) bool {
	for _, w := range rep.Warnings {
		if errors.Is(w, ndr.ErrQuoted) {
			return true
		}
	}
	return false
}

// suppressPartial warns that the suppression list misses the hard
// bounces among the recipients of a bounce that were not read; the exit
// status becomes 1.
func (b *batch) suppressPartial(name string, pos int, limit int) {
	b.partial = true
	b.clearProgress()
	what := "not all of its text was scanned for recipients"
	if limit > 0 {
		what = fmt.Sprintf("it names more than %d recipients and only the first %d were read", limit, limit)
	}
	fmt.Fprintf(b.stderr, "ndrexplain: %s: warning: %s; the hard bounces among the rest are not in %s\n",
		present.Visible(where(name, pos)), what, present.Visible(b.cfg.suppress))
}

// fail reports an input that could not be read or explained.
func (b *batch) fail(name string, pos int, err error) {
	b.failed = true
	b.clearProgress()
	fmt.Fprintf(b.stderr, "ndrexplain: %s: %s\n", present.Visible(where(name, pos)), present.Visible(err.Error()))
	b.out.problem(name, pos, err)
}

// where names a file and, in an mbox, the message's position.
func where(name string, pos int) string {
	if pos > 0 {
		return fmt.Sprintf("%s:message %d", name, pos)
	}
	return name
}

// walk calls file for every regular file of root, in name order, and of
// the folders below it when recursive. In a maildir (a directory with two
// of cur/, new/ and tmp/) its messages are read: cur/ and new/, whatever
// recursive says, never tmp/, which holds messages still being written;
// the files at its top are the mail program's own.
func walk(root string, recursive bool, file func(string), fail func(string, error)) {
	entries, err := os.ReadDir(root)
	if err != nil {
		fail(root, err)
		return
	}
	maildir := hasDir(entries, "cur")+hasDir(entries, "new")+hasDir(entries, "tmp") >= 2
	for _, e := range entries {
		p := filepath.Join(root, e.Name())
		switch {
		case e.IsDir() && maildir && (e.Name() == "cur" || e.Name() == "new"):
			walk(p, false, file, fail)
		case e.IsDir():
			if recursive && !(maildir && e.Name() == "tmp") {
				walk(p, true, file, fail)
			}
		case e.Type().IsRegular() && !maildir:
			file(p)
		}
	}
}

// hasDir returns 1 when entries hold a directory called name, else 0.
func hasDir(entries []fs.DirEntry, name string) int {
	for _, e := range entries {
		if e.IsDir() && e.Name() == name {
			return 1
		}
	}
	return 0
}

// suppressAddress is the address as a suppression list holds it:
// without brackets, with its domain in lower case.
func suppressAddress(a string) string {
	a = strings.Trim(strings.TrimSpace(a), "<>")
	k := strings.LastIndexByte(a, '@')
	if k <= 0 || strings.ContainsAny(a, " \t\r\n") {
		return ""
	}
	return a[:k] + strings.ToLower(a[k:])
}

// localeLanguage turns POSIX locale settings (ja_JP.UTF-8) into a
// language preference; the first non-empty one wins.
func localeLanguage(settings ...string) string {
	for _, s := range settings {
		if s == "" || s == "C" || s == "POSIX" {
			continue
		}
		if k := strings.IndexAny(s, ".@"); k >= 0 {
			s = s[:k]
		}
		return strings.ReplaceAll(s, "_", "-")
	}
	return ""
}
