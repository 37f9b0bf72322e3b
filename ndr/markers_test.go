package ndr

import "testing"

var (
	testMarkerEarly = newMarker("Mail Delivery Failed")
	testMarkerLate  = newMarker("original message follows")
	testMarkerNone  = newMarker("no such text anywhere")
)

func TestMarkers(t *testing.T) {
	m := &message{body: "MAIL DELIVERY FAILED for x@example.com\n\n------ This is a copy of the message, including all the headers. ------\noriginal message follows\n"}
	m.prepare()
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
		if got := m.inBody(tt.mk); got != tt.inBody {
			t.Errorf("%s: inBody = %v, want %v", tt.name, got, tt.inBody)
		}
		if got := m.inBounce(tt.mk); got != tt.bounce {
			t.Errorf("%s: inBounce = %v, want %v", tt.name, got, tt.bounce)
		}
	}
	if !m.inBounceAny(testMarkerNone, testMarkerEarly) || m.inBodyAny(testMarkerNone) {
		t.Error("inBounceAny/inBodyAny disagree with inBounce/inBody")
	}
}
