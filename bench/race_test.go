//go:build race

package bench

// raceEnabled reports whether the race detector is on. The generic peak
// kernels of package asm store their result in a shared package variable,
// which the detector reports when they run on several goroutines at once,
// so tests measure multi-thread peaks only without it.
const raceEnabled = true
