// Package present turns ndr reports into what the example programs show:
// the JSON objects of ndrexplain -json and POST /api/explain (one
// function, so that both write the same keys), and the localized words
// around them (code meanings, reason names, the evidence line, receiver
// groups) in Japanese and English. It also makes bounce text safe to
// print on a terminal.
package present
