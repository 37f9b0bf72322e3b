//go:build !race

package remedy

// raceEnabled is true when the race detector is on.
const raceEnabled = false
