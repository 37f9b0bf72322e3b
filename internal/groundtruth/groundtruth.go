// Package groundtruth describes the ground-truth files written next to
// the real-MTA bounces in testdata/realmta: what the scripted peer
// answered to each recipient and which values a reader of the bounce can
// still know. The generator writes them; ndr's tests read them.
package groundtruth

// Truth is the ground truth of one generated bounce, written next to it as
// <case>.json.
type Truth struct {
	// MTA is the Debian MTA that produced the bounce.
	MTA string `json:"mta"`
	// Case is the case name (the file name without extension).
	Case string `json:"case"`
	// Description says what the remote side did.
	Description string `json:"description"`
	// Kind is "bounce" (final report) or "delay" (delay warning).
	Kind string `json:"kind"`
	// Recipients lists every recipient the report is about.
	Recipients []Recipient `json:"recipients"`
	// NotFailed lists recipients the peer accepted; a reader must not
	// report them as failed or delayed.
	NotFailed []string `json:"not_failed,omitempty"`
}

// Recipient is what is known about one recipient. The plain fields
// give the true value; Allow lists further values a reader may give where
// the bounce no longer carries the true one.
type Recipient struct {
	Recipient string `json:"recipient"`
	// Stage is where the peer answered: "connect", "RCPT" or "DATA".
	Stage string `json:"stage"`
	// PeerEvent is "replied", "dropped" (connection closed without a
	// reply) or "no answer" (the peer never spoke).
	PeerEvent string `json:"peer_event"`
	// PeerReply is the peer's exact reply, one string per line.
	PeerReply []string `json:"peer_reply"`
	// ReplyCode is the peer's reply code, 0 if it gave none.
	ReplyCode int `json:"reply_code"`
	// Status is the enhanced status code in the peer's reply, "" if none.
	Status string `json:"status"`
	// Temporary is true when the remote condition was temporary (a 4xx
	// reply, a dropped connection or no answer).
	Temporary bool `json:"temporary"`
	// Action is "failed" for a non-delivery report, "delayed" for a delay
	// warning.
	Action string `json:"action"`
	// Reasons are the acceptable reasons (vocabulary of the corpus).
	Reasons []string `json:"reasons"`
	// Allow holds the additional acceptable values per field.
	Allow Allow `json:"allow"`
	// Notes explain each allowance.
	Notes []string `json:"notes,omitempty"`
}

// Allow lists acceptable values besides the true one. An empty Status or a
// zero ReplyCode in the lists means "unknown" is acceptable.
type Allow struct {
	ReplyCode []int    `json:"reply_code,omitempty"`
	Status    []string `json:"status,omitempty"`
	Temporary []bool   `json:"temporary,omitempty"`
	Action    []string `json:"action,omitempty"`
}
