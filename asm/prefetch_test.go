package asm

import "testing"

// TestPrefetch checks the bounds Prefetch32/64 enforce before any assembly
// runs; prefetches themselves have no visible effect to compare.
func TestPrefetch(t *testing.T) {
	s32, s64 := make([]float32, 100), make([]float64, 100)
	Prefetch32(s32, 10, 10, 10) // the whole slice
	Prefetch64(s64, 10, 10, 10)
	Prefetch32(nil, 10, 0, 10) // empty blocks are fine
	Prefetch64(nil, 10, 3, 0)
	for name, f := range map[string]func(){
		"rows past the end":  func() { Prefetch32(s32, 10, 11, 10) },
		"ld below cols":      func() { Prefetch64(s64, 5, 2, 10) },
		"last row too short": func() { Prefetch64(s64[:95], 10, 10, 10) },
	} {
		func() {
			defer func() {
				if r := recover(); r != errShortW {
					t.Errorf("%s: panic = %v, want %q", name, r, errShortW)
				}
			}()
			f()
		}()
	}
}
