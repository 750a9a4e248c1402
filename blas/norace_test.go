//go:build !race

package blas_test

// raceEnabled reports whether the race detector is on.
const raceEnabled = false
