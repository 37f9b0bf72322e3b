package mime

import (
	"sync"

	"github.com/ndrkit/ndrkit/internal/literal"
)

// A marker is a literal text by which a detector recognises its layout
// before it does anything else. Every marker is declared once, at package
// level, with NewMarker; the first time a message is asked about a
// marker, one pass of an automaton over the message's text finds all of
// them, so that the many detectors that do not apply cost a few table
// lookups each instead of a search of the text each.
type marker int32

// markerTexts are the markers' texts in lower case, by marker.
var markerTexts []string

// NewMarker declares a marker. It must only be called to initialise a
// package-level variable.
func NewMarker(text string) marker {
	if markersSealed {
		panic("ndr: newMarker called after the marker index was built")
	}
	markerTexts = append(markerTexts, literal.LowerASCII(text))
	return marker(len(markerTexts) - 1)
}

// NewMarkers declares several markers.
func NewMarkers(texts ...string) []marker {
	ms := make([]marker, len(texts))
	for i, t := range texts {
		ms[i] = NewMarker(t)
	}
	return ms
}

// markerIndex is the automaton over all markers, built on first use,
// after every package-level marker has been declared.
var markerIndex = sync.OnceValue(func() *literal.Automaton {
	markersSealed = true
	return literal.NewAutomaton(markerTexts)
})

// markersSealed is set once the index is built.
var markersSealed bool

// MarkerAt returns the start of the first occurrence of mk in the body,
// ASCII letters folded, or -1.
func (m *Message) MarkerAt(mk marker) int {
	if m.markers == nil {
		m.markers = make([]int32, len(markerTexts))
		markerIndex().FirstIndex(m.Body, m.markers)
	}
	return int(m.markers[mk])
}

// InBody reports whether the body contains the marker, ASCII letters
// folded.
func (m *Message) InBody(mk marker) bool {
	return m.MarkerAt(mk) >= 0
}

// InBounce reports whether the bounce text (the body before the returned
// message) contains the marker, ASCII letters folded.
func (m *Message) InBounce(mk marker) bool {
	k := m.MarkerAt(mk)
	return k >= 0 && k+len(markerTexts[mk]) <= len(m.BounceText())
}

// InBounceAny reports whether the bounce text contains one of the markers.
func (m *Message) InBounceAny(mks ...marker) bool {
	for _, mk := range mks {
		if m.InBounce(mk) {
			return true
		}
	}
	return false
}

// InBodyAny reports whether the body contains one of the markers.
func (m *Message) InBodyAny(mks ...marker) bool {
	for _, mk := range mks {
		if m.InBody(mk) {
			return true
		}
	}
	return false
}
