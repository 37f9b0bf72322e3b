package layout

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sesDecodeInTwoSteps decodes the envelope, then the notification from
// its Message or, when that is empty, from raw again.
func sesDecodeInTwoSteps(raw string) (sesNotification, bool) {
	var env sesEnvelope
	if json.Unmarshal([]byte(raw), &env) != nil {
		return sesNotification{}, false
	}
	if env.Message != "" {
		raw = env.Message
	}
	var n sesNotification
	if json.Unmarshal([]byte(raw), &n) != nil {
		return sesNotification{}, false
	}
	return n, true
}

func TestSESDecode(t *testing.T) {
	bounce := `{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"user@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 unknown"}],"reportingMTA":"dsn; a.example.org"}}`
	quoted, err := json.Marshal(bounce)
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{
		bounce,
		`{"Type":"Notification","Message":` + string(quoted) + `}`,
		`{"Type":"Notification","Message":` + string(quoted) + `,"bounce":"not an object"}`,
		`{"Type":"Notification","Message":"not json"}`,
		`{"Type":"Notification","Message":""}`,
		`{"Type":1,"Message":` + string(quoted) + `}`,
		`{"eventType":"Delivery","delivery":{"recipients":["a@example.net"],"smtpResponse":"250 ok"}}`,
		`{"notificationType":"Bounce","bounce":"not an object"}`,
		`{"notificationType":"Bounce"`,
		`{"Message":null,"notificationType":"Complaint"}`,
		`[]`,
		``,
	}
	for _, doc := range docs {
		wantN, wantOK := sesDecodeInTwoSteps(doc)
		gotN, gotOK := sesDecode(doc)
		if diff := cmp.Diff(wantN, gotN); diff != "" || gotOK != wantOK {
			t.Errorf("sesDecode(%.60q) = _, %v, want _, %v (-two steps +got):\n%s", doc, gotOK, wantOK, diff)
		}
	}
}
