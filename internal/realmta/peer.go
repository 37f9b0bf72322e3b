package main

import (
	"strings"

	"github.com/ndrkit/ndrkit/internal/smtppeer"
)

// answer is what the peer did to one recipient.
type answer struct {
	stage string
	event string
	reply smtppeer.Reply
}

// peerAnswer picks the answer that decided the recipient's fate: the last
// refusal (or drop) aimed at it, else the last connection-level failure,
// else what the script says it would have answered.
func peerAnswer(c *caseFile, addr string, entries []smtppeer.Entry) answer {
	var best *smtppeer.Entry
	for i := range entries {
		e := &entries[i]
		if !strings.EqualFold(e.Recipient, addr) {
			continue
		}
		if e.Dropped || e.NoAnswer || e.Reply.Code()/100 != 2 {
			best = e
		}
	}
	if best == nil {
		for i := range entries {
			e := &entries[i]
			if e.Stage == smtppeer.StageConnect && (e.Dropped || e.NoAnswer || e.Reply.Code() >= 400) {
				best = e
			}
		}
	}
	if best != nil {
		return entryAnswer(best)
	}
	for _, e := range entries {
		if e.Stage == smtppeer.StageRcpt {
			// The MTA reached RCPT for others, never for this one.
			return answer{stage: "RCPT", event: "not reached", reply: smtppeer.Reply{}}
		}
	}
	// Nothing recorded: fall back on the script.
	sc := c.Peer
	switch {
	case sc.Hang:
		return answer{stage: "connect", event: "no answer"}
	case sc.DropAfterGreeting:
		return answer{stage: "connect", event: "dropped"}
	case len(sc.Greeting) > 0 && sc.Greeting.Code() >= 400:
		return answer{stage: "connect", event: "replied", reply: sc.Greeting}
	}
	for k, rc := range sc.Recipients {
		if !strings.EqualFold(k, addr) {
			continue
		}
		switch {
		case rc.Drop:
			return answer{stage: "RCPT", event: "dropped"}
		case len(rc.Rcpt) > 0 && rc.Rcpt.Code()/100 != 2:
			return answer{stage: "RCPT", event: "replied", reply: rc.Rcpt}
		case len(rc.Data) > 0:
			return answer{stage: "DATA", event: "replied", reply: rc.Data}
		}
	}
	return answer{}
}

func entryAnswer(e *smtppeer.Entry) answer {
	a := answer{stage: string(e.Stage), event: "replied", reply: e.Reply}
	switch {
	case e.NoAnswer:
		a.event = "no answer"
	case e.Dropped && len(e.Reply) == 0:
		a.event = "dropped"
	}
	return a
}

// replyParts splits the first line of a reply into code, enhanced status
// and text.
func replyParts(r smtppeer.Reply) (code int, status, text string) {
	if len(r) == 0 {
		return 0, "", ""
	}
	code = r.Code()
	rest := strings.TrimSpace(r[0][min(4, len(r[0])):])
	if f, after, _ := strings.Cut(rest, " "); statusRE.MatchString(f) {
		status = f
		rest = strings.TrimSpace(after)
	}
	return code, status, rest
}

// deliveredTo reports whether the peer accepted the message data for addr.
func deliveredTo(addr string, entries []smtppeer.Entry) bool {
	for _, e := range entries {
		if e.Stage == smtppeer.StageData && strings.EqualFold(e.Recipient, addr) && e.Reply.Code()/100 == 2 {
			return true
		}
	}
	return false
}

// lastReply returns the last reply recorded for addr, or an empty reply.
func lastReply(addr string, entries []smtppeer.Entry) smtppeer.Reply {
	r := smtppeer.Reply{}
	for _, e := range entries {
		if strings.EqualFold(e.Recipient, addr) && len(e.Reply) > 0 {
			r = e.Reply
		}
	}
	return r
}
