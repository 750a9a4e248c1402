package asm

import (
	"math"
	"testing"
)

func TestStreamSum(t *testing.T) {
	for name, f := range streamSums {
		t.Run("impl="+name, func(t *testing.T) {
			for _, n := range lengths {
				w, ok := guarded32(n)
				randSlice32(newRand(uint64(n)), w)
				got := f(w)
				if !ok() {
					t.Fatalf("n=%d: write outside w", n)
				}
				var ref, mag float64
				for _, v := range w {
					ref += float64(v)
					mag += math.Abs(float64(v))
				}
				if tol := 2*float64(n+1)*0x1p-24*mag + 1e-30; math.Abs(float64(got)-ref) > tol {
					t.Fatalf("n=%d: sum = %g, reference %g (tol %g)", n, got, ref, tol)
				}
			}
		})
	}
}
