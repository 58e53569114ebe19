//go:build race

package routes_test

// raceEnabled is true under -race, whose instrumentation slows some code
// paths far more than others, so timing comparisons are run without it
// (`make parity`, and CI).
const raceEnabled = true
