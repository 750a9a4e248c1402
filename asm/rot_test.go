package asm

import (
	"fmt"
	"math"
	"testing"
)

// TestSwapRot checks every implementation's swaps (exact, bit patterns
// included) and plane rotations (against a float64 reference, within two
// float32 or float64 roundings of |c||x|+|s||y|) on guarded vectors of
// lengths around every unrolling, and that mismatched lengths panic.
func TestSwapRot(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(71)
		for _, n := range blas1f32Lengths {
			what := fmt.Sprintf("%s n=%d", impl.Name, n)
			x32, okX32 := guarded32(n)
			y32, okY32 := guarded32(n)
			x64, okX64 := guarded64(n)
			y64, okY64 := guarded64(n)
			randSlice32(r, x32)
			randSlice32(r, y32)
			randSlice64(r, x64)
			randSlice64(r, y64)
			if n > 2 {
				x32[n-1], y64[n/2] = float32(math.NaN()), math.Inf(1)
			}
			ox32, oy32 := append([]float32(nil), x32...), append([]float32(nil), y32...)
			ox64, oy64 := append([]float64(nil), x64...), append([]float64(nil), y64...)
			impl.SSwap(x32, y32)
			impl.DSwap(x64, y64)
			for i := range n {
				if math.Float32bits(x32[i]) != math.Float32bits(oy32[i]) || math.Float32bits(y32[i]) != math.Float32bits(ox32[i]) {
					t.Fatalf("SSwap %s: element %d not swapped", what, i)
				}
				if math.Float64bits(x64[i]) != math.Float64bits(oy64[i]) || math.Float64bits(y64[i]) != math.Float64bits(ox64[i]) {
					t.Fatalf("DSwap %s: element %d not swapped", what, i)
				}
			}
			c, s := math.Cos(0.7), math.Sin(0.7)
			copy(x32, ox32)
			copy(y32, oy32)
			copy(x64, ox64)
			copy(y64, oy64)
			impl.SRot(x32, y32, float32(c), float32(s))
			impl.DRot(x64, y64, c, s)
			c32, s32 := float64(float32(c)), float64(float32(s))
			for i := range n {
				vx, vy := float64(ox32[i]), float64(oy32[i])
				checkRot(t, "SRot "+what, i, float64(x32[i]), float64(y32[i]), c32*vx+s32*vy, c32*vy-s32*vx,
					0x1p-22*(math.Abs(c32*vx)+math.Abs(s32*vy)), 0x1p-22*(math.Abs(c32*vy)+math.Abs(s32*vx)))
				vx, vy = ox64[i], oy64[i]
				checkRot(t, "DRot "+what, i, x64[i], y64[i], c*vx+s*vy, c*vy-s*vx,
					0x1p-51*(math.Abs(c*vx)+math.Abs(s*vy)), 0x1p-51*(math.Abs(c*vy)+math.Abs(s*vx)))
			}
			if !okX32() || !okY32() || !okX64() || !okY64() {
				t.Fatalf("%s: wrote outside the vectors", what)
			}
		}
		for name, f := range map[string]func(){
			"SSwap": func() { impl.SSwap(make([]float32, 3), make([]float32, 4)) },
			"DSwap": func() { impl.DSwap(make([]float64, 4), make([]float64, 3)) },
			"SRot":  func() { impl.SRot(make([]float32, 3), make([]float32, 4), 1, 0) },
			"DRot":  func() { impl.DRot(make([]float64, 4), make([]float64, 3), 1, 0) },
		} {
			func() {
				defer func() {
					if r := recover(); r != errLength {
						t.Errorf("%s %s: panic %v, want %q", impl.Name, name, r, errLength)
					}
				}()
				f()
			}()
		}
	})
}

// checkRot compares one rotated pair with its reference, NaN and infinities
// by class.
func checkRot(t *testing.T, what string, i int, gx, gy, wx, wy, tolX, tolY float64) {
	t.Helper()
	bad := func(g, w, tol float64) bool {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return !(math.IsNaN(g) && math.IsNaN(w)) && g != w
		}
		return !(math.Abs(g-w) <= tol)
	}
	if bad(gx, wx, tolX) || bad(gy, wy, tolY) {
		t.Fatalf("%s: element %d = (%v, %v), want (%v, %v)", what, i, gx, gy, wx, wy)
	}
}

// TestSwapSelf checks that swapping a vector with itself leaves it
// unchanged, as the reference loop does, for every implementation and
// lengths around every unrolling.
func TestSwapSelf(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(73)
		for _, n := range blas1f32Lengths {
			x32 := make([]float32, n)
			x64 := make([]float64, n)
			randSlice32(r, x32)
			randSlice64(r, x64)
			o32, o64 := append([]float32(nil), x32...), append([]float64(nil), x64...)
			impl.SSwap(x32, x32)
			impl.DSwap(x64, x64)
			for i := range n {
				if x32[i] != o32[i] || x64[i] != o64[i] {
					t.Fatalf("%s n=%d: swap with itself changed element %d", impl.Name, n, i)
				}
			}
		}
	})
}
