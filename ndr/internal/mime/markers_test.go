package mime

import "testing"

var (
	testMarkerEarly = NewMarker("Mail Delivery Failed")
	testMarkerLate  = NewMarker("original message follows")
	testMarkerNone  = NewMarker("no such text anywhere")
)

func TestMarkers(t *testing.T) {
	m := &Message{Body: "MAIL DELIVERY FAILED for x@example.com\n\n------ This is a copy of the message, including all the headers. ------\noriginal message follows\n"}
	m.Prepare()
	tests := []struct {
		name           string
		mk             marker
		inBody, bounce bool
	}{
		{"case folded, in the bounce text", testMarkerEarly, true, true},
		{"after the returned copy only", testMarkerLate, true, false},
		{"absent", testMarkerNone, false, false},
	}
	for _, tt := range tests {
		if got := m.InBody(tt.mk); got != tt.inBody {
			t.Errorf("%s: inBody = %v, want %v", tt.name, got, tt.inBody)
		}
		if got := m.InBounce(tt.mk); got != tt.bounce {
			t.Errorf("%s: inBounce = %v, want %v", tt.name, got, tt.bounce)
		}
	}
	if !m.InBounceAny(testMarkerNone, testMarkerEarly) || m.InBodyAny(testMarkerNone) {
		t.Error("inBounceAny/inBodyAny disagree with inBounce/inBody")
	}
}
