//go:build race

package hostile_test

// raceEnabled is true when the race detector is on.
const raceEnabled = true
