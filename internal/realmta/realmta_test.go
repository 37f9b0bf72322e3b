package main

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ndrkit/ndrkit/internal/groundtruth"
	"github.com/ndrkit/ndrkit/internal/smtppeer"
)

func TestNXDomain(t *testing.T) {
	// A query for "a.example" type A, class IN, with RD set.
	q := []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1}
	tests := []struct {
		name  string
		in    []byte
		want  []byte
		reply bool
	}{
		{"query", q, append([]byte{0x12, 0x34, 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0}, q[12:]...), true},
		{"truncated question", q[:20], []byte{0x12, 0x34, 0x81, 0x81, 0, 0, 0, 0, 0, 0, 0, 0}, true},
		{"response is ignored", append([]byte{0x12, 0x34, 0x81}, q[3:]...), nil, false},
		{"too short", q[:5], nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := nxdomain(tt.in)
			if ok != tt.reply {
				t.Fatalf("reply = %v, want %v", ok, tt.reply)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer mismatch (-want +got):\n%s", diff)
			}
			if ok && binary.BigEndian.Uint16(got) != 0x1234 {
				t.Error("ID not kept")
			}
		})
	}
}

func TestReplyParts(t *testing.T) {
	tests := []struct {
		in           smtppeer.Reply
		code         int
		status, text string
	}{
		{smtppeer.Reply{"550 5.1.1 User unknown"}, 550, "5.1.1", "User unknown"},
		{smtppeer.Reply{"550-5.7.26 first", "550 5.7.26 last"}, 550, "5.7.26", "first"},
		{smtppeer.Reply{"451 4.7.650 The mail server"}, 451, "4.7.650", "The mail server"},
		{smtppeer.Reply{"554 no enhanced code"}, 554, "", "no enhanced code"},
		{nil, 0, "", ""},
	}
	for _, tt := range tests {
		code, status, text := replyParts(tt.in)
		if code != tt.code || status != tt.status || text != tt.text {
			t.Errorf("replyParts(%q) = %d, %q, %q; want %d, %q, %q", tt.in, code, status, text, tt.code, tt.status, tt.text)
		}
	}
}

const exim = `From: Mail Delivery System <Mailer-Daemon@mta.example.com>
To: sender@example.org
Subject: Mail delivery failed: returning message to sender
Content-Type: multipart/report; report-type=delivery-status; boundary=B

--B
Content-type: text/plain; charset=us-ascii

  rep@example.net
    host 127.0.0.1 [127.0.0.1]
    SMTP error from remote mail server after RCPT TO:<rep@example.net>:
    451 4.7.650 The mail server [127.0.0.1] has been temporarily rate limited (S775):
    retry timeout exceeded

--B
Content-type: message/delivery-status

Reporting-MTA: dns; mta.example.com

Action: failed
Final-Recipient: rfc822;rep@example.net
Status: 5.0.0
Diagnostic-Code: smtp; 451 4.7.650 The mail server [127.0.0.1] has been
 temporarily rate limited (S775): retry timeout exceeded

--B
Content-type: message/rfc822

To: rep@example.net, ok@example.net

--B--
`

const opensmtpd = `From: Mailer Daemon <MAILER-DAEMON@mta.example.com>
To: sender@example.org
Subject: Delivery status notification: delayed
Content-Type: multipart/mixed;boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

rep@example.net: Envelope expired

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mta.example.com

Final-Recipient: rfc822; rep@example.net
Action: delayed
Status: 4.4.7

--B--
`

func TestBuildTruth(t *testing.T) {
	s775 := smtppeer.Reply{"451 4.7.650 The mail server [127.0.0.1] has been temporarily rate limited (S775)"}
	c := &caseFile{
		Description: "S775",
		Kind:        "bounce",
		Peer: smtppeer.Script{Recipients: map[string]smtppeer.Recipient{
			"rep@example.net": {Rcpt: s775},
		}},
		Recipients: []caseRecipient{
			{Address: "rep@example.net", Reasons: []string{"badreputation"}},
			{Address: "ok@example.net", Delivered: true},
		},
	}
	entries := []smtppeer.Entry{
		{Conn: 1, Stage: smtppeer.StageConnect, Reply: smtppeer.Reply{"220 mx.example.net ESMTP"}},
		{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "rep@example.net", Reply: s775},
		{Conn: 1, Stage: smtppeer.StageRcpt, Recipient: "ok@example.net", Reply: smtppeer.Reply{"250 2.1.5 Ok"}},
		{Conn: 1, Stage: smtppeer.StageData, Recipient: "ok@example.net", Reply: smtppeer.Reply{"250 2.0.0 Ok"}},
	}
	tests := []struct {
		name   string
		bounce string
		want   *groundtruth.Truth
	}{
		{
			name:   "remote code kept in a generic DSN",
			bounce: exim,
			want: &groundtruth.Truth{
				MTA: "exim4", Case: "s775", Description: "S775", Kind: "bounce",
				Recipients: []groundtruth.Recipient{{
					Recipient: "rep@example.net", Stage: "RCPT", PeerEvent: "replied", PeerReply: s775,
					ReplyCode: 451, Status: "4.7.650", Temporary: true, Action: "failed",
					Reasons: []string{"badreputation"},
				}},
				NotFailed: []string{"ok@example.net"},
			},
		},
		{
			name:   "expired without the remote reply",
			bounce: opensmtpd,
			want: &groundtruth.Truth{
				MTA: "exim4", Case: "s775", Description: "S775", Kind: "bounce",
				Recipients: []groundtruth.Recipient{{
					Recipient: "rep@example.net", Stage: "RCPT", PeerEvent: "replied", PeerReply: s775,
					ReplyCode: 451, Status: "4.7.650", Temporary: true, Action: "failed",
					Reasons: []string{"badreputation", "expired"},
					Allow: groundtruth.Allow{
						ReplyCode: []int{0},
						Status:    []string{"", "4.4.7"},
						Action:    []string{"delayed"},
					},
					Notes: []string{
						"the bounce does not carry the remote reply code 451",
						"the bounce does not carry the remote status 4.7.650",
						"the bounce's own Status is 4.4.7",
						`the bounce's own Action is "delayed"`,
						"the bounce does not carry the remote reply text",
					},
				}},
				NotFailed: []string{"ok@example.net"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := buildTruth(c, "s775", "exim4", entries, []byte(tt.bounce), false)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("truth mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := buildTruth(c, "s775", "exim4", nil, []byte("Subject: x\n\nnothing here\n"), false); err == nil {
		t.Error("a bounce that names no recipient gave no error")
	}
}
