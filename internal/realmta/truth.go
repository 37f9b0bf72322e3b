package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ndrkit/ndrkit/internal/groundtruth"
	"github.com/ndrkit/ndrkit/internal/smtppeer"
)

func runTruth(args []string) error {
	fs := flag.NewFlagSet("truth", flag.ExitOnError)
	casePath := fs.String("case", "", "case file")
	mta := fs.String("mta", "", "MTA name")
	record := fs.String("record", "", "peer record (JSON lines)")
	bounce := fs.String("bounce", "", "the bounce message")
	out := fs.String("out", "", "output file")
	partial := fs.Bool("partial", false, "the bounce is one of several: skip recipients it does not name")
	fs.Parse(args)
	if *casePath == "" || *mta == "" || *bounce == "" || *out == "" {
		return errors.New("truth needs -case, -mta, -bounce and -out")
	}
	c, err := loadCase(*casePath)
	if err != nil {
		return err
	}
	entries, err := readRecord(*record)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(*bounce)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(filepath.Base(*casePath), filepath.Ext(*casePath))
	t, err := buildTruth(c, name, *mta, entries, raw, *partial)
	if err != nil {
		return fmt.Errorf("%s: %w", *bounce, err)
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*out, append(b, '\n'), 0o644)
}

func readRecord(path string) ([]smtppeer.Entry, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []smtppeer.Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var e smtppeer.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

var (
	statusRE       = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}$`)
	spaceRE        = regexp.MustCompile(`\s+`)
	returnedRcptRE = regexp.MustCompile(`(?im)^(to|cc|bcc):.*(\n[ \t].*)*$`)
	diagRE         = regexp.MustCompile(`(?i)^\s*smtp\s*;\s*([245]\d\d)\b`)
	mtaCodeRE      = regexp.MustCompile(`(?:^|[^0-9.])([45]\d\d)[ -]([45]\.\d{1,3}\.\d{1,3})(?:$|[^0-9])`)
	failureWordsRE = regexp.MustCompile(`(?i)connect|timed? ?-?out|lost|reset|shut ?down|closed|read error|expired|giving up|retry|network|no answer|respond`)
)

func buildTruth(c *caseFile, name, mta string, entries []smtppeer.Entry, raw []byte, partial bool) (*groundtruth.Truth, error) {
	doc, err := readBounce(raw)
	if err != nil {
		return nil, err
	}
	t := &groundtruth.Truth{MTA: mta, Case: name, Description: c.Description, Kind: c.Kind}
	for _, cr := range c.Recipients {
		if cr.Delivered && deliveredTo(cr.Address, entries) {
			t.NotFailed = append(t.NotFailed, cr.Address)
			continue
		}
		if !strings.Contains(strings.ToLower(doc.named), strings.ToLower(cr.Address)) {
			if partial {
				continue
			}
			return nil, fmt.Errorf("recipient %s does not appear in the bounce", cr.Address)
		}
		a := peerAnswer(c, cr.Address, entries)
		abandoned := false
		if cr.Delivered {
			// Accepted at RCPT, yet the message never reached the peer for
			// it: the MTA gave up the whole transaction.
			abandoned = true
			a = answer{stage: "RCPT", event: "accepted", reply: lastReply(cr.Address, entries)}
		}
		if a.event == "" {
			return nil, fmt.Errorf("no answer to %s recorded or scripted", cr.Address)
		}
		code, status, text := replyParts(a.reply)
		if abandoned {
			code, status, text = 0, "", ""
		}
		tr := groundtruth.Recipient{
			Recipient: cr.Address,
			Stage:     a.stage,
			PeerEvent: a.event,
			PeerReply: a.reply,
			ReplyCode: code,
			Status:    status,
			Temporary: code == 0 || code/100 == 4,
			Action:    "failed",
			Reasons:   slices.Clone(cr.Reasons),
		}
		if a.event == "not reached" {
			tr.Temporary = false
			tr.Allow.Temporary = []bool{true}
			tr.Reasons = []string{"undefined", "onhold"}
			tr.Notes = append(tr.Notes, "the MTA never offered this recipient to the peer")
		}
		if abandoned {
			tr.Temporary = false
			tr.Allow.Temporary = []bool{true}
			tr.Reasons = []string{"undefined", "onhold"}
			tr.Notes = append(tr.Notes, "the peer accepted this recipient, but the MTA abandoned the whole transaction after another recipient was refused")
		}
		if c.Kind == "delay" {
			tr.Action = "delayed"
		}
		if tr.PeerReply == nil {
			tr.PeerReply = []string{}
		}
		dsn := doc.dsn[strings.ToLower(cr.Address)]
		codeKnown := code != 0 && doc.hasCode(code, status, text)
		statusKnown := status != "" && doc.hasToken(status)
		textKnown := text != "" && doc.hasText(text)

		if !codeKnown {
			tr.Allow.ReplyCode = append(tr.Allow.ReplyCode, 0)
			if m := diagRE.FindStringSubmatch(dsn.diagnostic); m != nil {
				if n, _ := strconv.Atoi(m[1]); n != code {
					tr.Allow.ReplyCode = appendNew(tr.Allow.ReplyCode, n)
				}
			}
			if code != 0 {
				tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce does not carry the remote reply code %d", code))
			}
		}
		if !statusKnown {
			if status != "" {
				tr.Allow.Status = append(tr.Allow.Status, "")
				tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce does not carry the remote status %s", status))
			}
			if dsn.status != "" && dsn.status != status {
				tr.Allow.Status = appendNew(tr.Allow.Status, dsn.status)
				tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce's own Status is %s", dsn.status))
			}
		}
		if !codeKnown {
			dsnTemp := strings.HasPrefix(dsn.status, "4.") || dsn.action == "delayed"
			if dsnTemp != tr.Temporary {
				tr.Allow.Temporary = append(tr.Allow.Temporary, !tr.Temporary)
				tr.Notes = append(tr.Notes, "without the remote code the bounce does not show whether the condition was temporary")
			}
		}
		if dsn.action != "" && dsn.action != tr.Action {
			tr.Allow.Action = append(tr.Allow.Action, dsn.action)
			tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce's own Action is %q", dsn.action))
		}
		for _, other := range c.Recipients {
			if other.Address == cr.Address {
				continue
			}
			oa := peerAnswer(c, other.Address, entries)
			ocode, ostatus, otext := replyParts(oa.reply)
			if otext == "" || ocode/100 == 2 || (text != "" && strings.Contains(collapse(dsn.diagnostic), firstWords(text, 5))) {
				continue
			}
			if !strings.Contains(strings.ToLower(collapse(dsn.diagnostic)), strings.ToLower(firstWords(otext, 5))) {
				continue
			}
			tr.Reasons = appendNew(tr.Reasons, other.Reasons...)
			tr.Allow.ReplyCode = appendNew(tr.Allow.ReplyCode, ocode)
			if ostatus != "" && ostatus != status {
				tr.Allow.Status = appendNew(tr.Allow.Status, ostatus)
			}
			tr.Notes = append(tr.Notes, fmt.Sprintf("the bounce gives this recipient the reply to %s", other.Address))
		}
		mtaTemp := strings.HasPrefix(dsn.status, "4.") || dsn.action == "delayed"
		if text != "" && !textKnown {
			if tr.Temporary || mtaTemp {
				tr.Reasons = appendNew(tr.Reasons, "expired")
			}
			if !tr.Temporary {
				tr.Reasons = appendNew(tr.Reasons, "undefined", "onhold")
			}
			tr.Notes = append(tr.Notes, "the bounce does not carry the remote reply text")
		}
		if code == 0 && a.event != "accepted" && a.event != "not reached" {
			// No remote reply: the codes in the bounce are the MTA's own.
			for _, m := range mtaCodeRE.FindAllStringSubmatch(doc.text, -1) {
				n, _ := strconv.Atoi(m[1])
				tr.Allow.ReplyCode = appendNew(tr.Allow.ReplyCode, n)
				tr.Allow.Status = appendNew(tr.Allow.Status, m[2])
			}
			if !failureWordsRE.MatchString(doc.text) {
				tr.Reasons = appendNew(tr.Reasons, "undefined", "onhold")
				tr.Notes = append(tr.Notes, "the bounce does not say what went wrong")
			}
		}
		t.Recipients = append(t.Recipients, tr)
	}
	if len(t.Recipients) == 0 {
		return nil, errors.New("the bounce names none of the recipients the case expects to fail")
	}
	return t, nil
}

func appendNew[T comparable](s []T, vs ...T) []T {
	for _, v := range vs {
		if !slices.Contains(s, v) {
			s = append(s, v)
		}
	}
	return s
}
