//go:build !purego && !noasm

package asm

import (
	"math"
	"testing"
)

// NEON-specific checks: the documented flop counts of the peak loops, and
// the level-1 kernels against float64 references on guarded, misaligned
// slices (including x aliasing y for axpy).

func TestNEONPeakFlops(t *testing.T) {
	for _, iters := range []int{-3, 0, 1, 2, 7, 1000} {
		want32, want64 := 192*iters, 96*iters
		if iters < 0 {
			want32, want64 = 0, 0
		}
		if got := peak32NEONAsm(iters); got != want32 {
			t.Errorf("peak32NEONAsm(%d) = %d, want %d", iters, got, want32)
		}
		if got := peak64NEONAsm(iters); got != want64 {
			t.Errorf("peak64NEONAsm(%d) = %d, want %d", iters, got, want64)
		}
	}
}

func TestNEONDot(t *testing.T) {
	for _, n := range lengths {
		for _, off := range []int{0, 1, 3} {
			r := newRand(uint64(1000*n + off))
			x32, x32ok := guarded32(n + off)
			y32, y32ok := guarded32(n)
			x32 = x32[off:]
			randSlice32(r, x32)
			randSlice32(r, y32)
			x64, x64ok := guarded64(n + off)
			y64, y64ok := guarded64(n)
			x64 = x64[off:]
			randSlice64(r, x64)
			randSlice64(r, y64)

			var ref32, mag32, ref64, mag64 float64
			for i := 0; i < n; i++ {
				p := float64(x32[i]) * float64(y32[i]) // exact
				ref32 += p
				mag32 += math.Abs(p)
				ref64 += x64[i] * y64[i]
				mag64 += math.Abs(x64[i] * y64[i])
			}
			got32 := sdotNEON(x32, y32)
			got64 := ddotNEON(x64, y64)
			if !x32ok() || !y32ok() || !x64ok() || !y64ok() {
				t.Fatalf("n=%d: write outside the operands", n)
			}
			if tol := 2*float64(n+1)*0x1p-24*mag32 + 1e-30; math.Abs(float64(got32)-ref32) > tol {
				t.Fatalf("n=%d off=%d: sdot = %g, reference %g", n, off, got32, ref32)
			}
			// ref64 itself rounds: allow for both.
			if tol := 4*float64(n+1)*0x1p-53*mag64 + 1e-300; math.Abs(got64-ref64) > tol {
				t.Fatalf("n=%d off=%d: ddot = %g, reference %g", n, off, got64, ref64)
			}
		}
	}
}

func TestNEONAxpy(t *testing.T) {
	for _, n := range lengths {
		for _, alpha := range []float64{0, 1, -0.5, 3.25} {
			r := newRand(uint64(77*n) + math.Float64bits(alpha))
			x32, x32ok := guarded32(n)
			y32, y32ok := guarded32(n + 1)
			y32 = y32[1:]
			randSlice32(r, x32)
			randSlice32(r, y32)
			x64, x64ok := guarded64(n)
			y64, y64ok := guarded64(n + 1)
			y64 = y64[1:]
			randSlice64(r, x64)
			randSlice64(r, y64)
			old32 := append([]float32(nil), y32...)
			old64 := append([]float64(nil), y64...)
			saxpyNEON(float32(alpha), x32, y32)
			daxpyNEON(alpha, x64, y64)
			if !x32ok() || !y32ok() || !x64ok() || !y64ok() {
				t.Fatalf("n=%d: write outside the operands", n)
			}
			for i := 0; i < n; i++ {
				// One fused or unfused multiply-add: at most two roundings.
				ax := alpha * float64(x32[i])
				if ref, tol := ax+float64(old32[i]), 2*0x1p-24*(math.Abs(ax)+math.Abs(float64(old32[i]))); math.Abs(float64(y32[i])-ref) > tol {
					t.Fatalf("n=%d alpha=%g: saxpy y[%d] = %g, reference %g", n, alpha, i, y32[i], ref)
				}
				want := math.FMA(alpha, x64[i], old64[i])
				if tol := 2 * 0x1p-53 * (math.Abs(alpha*x64[i]) + math.Abs(old64[i])); math.Abs(y64[i]-want) > tol {
					t.Fatalf("n=%d alpha=%g: daxpy y[%d] = %g, reference %g", n, alpha, i, y64[i], want)
				}
			}
			// x aliasing y: y += alpha*y, element by element.
			same := append([]float64(nil), old64...)
			daxpyNEON(alpha, same, same)
			for i, v := range old64 {
				if want := math.FMA(alpha, v, v); same[i] != want {
					t.Fatalf("n=%d alpha=%g: aliased daxpy y[%d] = %g, want %g", n, alpha, i, same[i], want)
				}
			}
		}
	}
}

func TestNEONLevel1Panics(t *testing.T) {
	a, b := make([]float32, 3), make([]float32, 4)
	c, d := make([]float64, 3), make([]float64, 4)
	for name, f := range map[string]func(){
		"sdot":  func() { sdotNEON(a, b) },
		"ddot":  func() { ddotNEON(c, d) },
		"saxpy": func() { saxpyNEON(1, a, b) },
		"daxpy": func() { daxpyNEON(1, c, d) },
	} {
		func() {
			defer func() {
				if r := recover(); r != errLength {
					t.Errorf("%s: panic = %v, want %q", name, r, errLength)
				}
			}()
			f()
		}()
	}
}
