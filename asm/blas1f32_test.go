package asm

import (
	"fmt"
	"math"
	"testing"
)

// blas1f32Lengths straddles every unrolling of the float32 Level-1 kernels
// (32, 16, 8 and 4 elements) and adds a few long vectors.
var blas1f32Lengths = func() []int {
	var ns []int
	for n := 0; n <= 80; n++ {
		ns = append(ns, n)
	}
	return append(ns, 127, 128, 129, 1000, 4099)
}()

// TestSScalAsumSumSq compares every implementation's SScal, SAsum and
// SSumSq with float64 references on guarded vectors: the scaling exactly
// (one rounded product per element), the absolute sum within float32's
// n-scaled bound, the sum of squares within float64's, including elements
// whose float32 squares would overflow or underflow.
func TestSScalAsumSumSq(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(61)
		for _, n := range blas1f32Lengths {
			for _, scale := range []float64{1, 1e30, 1e-30} {
				x, intact := guarded32(n)
				randSlice32(r, x)
				for i := range x {
					x[i] *= float32(scale)
				}
				var asum, sumsq float64
				for _, v := range x {
					asum += math.Abs(float64(v))
					sumsq += float64(v) * float64(v)
				}
				what := fmt.Sprintf("%s n=%d scale=%g", impl.Name, n, scale)
				if got := float64(impl.SAsum(x)); math.Abs(got-asum) > float64(n+1)*0x1p-23*asum {
					t.Fatalf("SAsum %s: %v, want %v", what, got, asum)
				}
				if got := impl.SSumSq(x); math.Abs(got-sumsq) > float64(n+1)*0x1p-52*sumsq {
					t.Fatalf("SSumSq %s: %v, want %v", what, got, sumsq)
				}
				want := make([]float32, n)
				for i, v := range x {
					want[i] = v * -0.75
				}
				impl.SScal(-0.75, x)
				for i := range x {
					if math.Float32bits(x[i]) != math.Float32bits(want[i]) {
						t.Fatalf("SScal %s: x[%d] = %v, want %v", what, i, x[i], want[i])
					}
				}
				if !intact() {
					t.Fatalf("%s: wrote outside the vector", what)
				}
			}
		}
		for _, n := range []int{3, 9, 40} {
			for _, special := range []float32{float32(math.NaN()), float32(math.Inf(-1))} {
				x := make([]float32, n)
				for i := range x {
					x[i] = 1
				}
				x[n-2] = special
				asum, sumsq := impl.SAsum(x), impl.SSumSq(x)
				if special != special {
					if asum == asum || sumsq == sumsq {
						t.Errorf("%s n=%d: NaN not propagated: asum %v, sumsq %v", impl.Name, n, asum, sumsq)
					}
				} else if !math.IsInf(float64(asum), 1) || !math.IsInf(sumsq, 1) {
					t.Errorf("%s n=%d: -Inf gave asum %v, sumsq %v, want +Inf", impl.Name, n, asum, sumsq)
				}
				impl.SScal(2, x)
				if got := x[n-2]; math.Float32bits(got) != math.Float32bits(2*special) && !(got != got && special != special) {
					t.Errorf("%s n=%d: SScal(2, %v) = %v", impl.Name, n, special, got)
				}
			}
		}
	})
}

// TestISamax compares every implementation's ISamax with the BLAS
// definition, written here in float64 (widening is exact), on lengths
// around the unrolling with ties, NaN elements, a NaN first element,
// infinities and negative zeros.
func TestISamax(t *testing.T) {
	ref := func(x []float32) int {
		if len(x) == 0 {
			return -1
		}
		idx, m := 0, math.Abs(float64(x[0]))
		for i, v := range x {
			if a := math.Abs(float64(v)); a > m {
				idx, m = i, a
			}
		}
		return idx
	}
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(67)
		if got := impl.ISamax(nil); got != -1 {
			t.Fatalf("%s: empty: %d, want -1", impl.Name, got)
		}
		for n := 1; n <= 90; n++ {
			for trial := range 12 {
				x := make([]float32, n)
				for i := range x {
					x[i] = float32(r.IntN(7) - 3)
					switch r.IntN(12) {
					case 0:
						x[i] = float32(math.NaN())
					case 1:
						x[i] = float32(math.Copysign(0, -1))
					case 2:
						if trial > 8 {
							x[i] = float32(math.Inf(1 - 2*r.IntN(2)))
						}
					}
				}
				if trial == 0 {
					x[0] = float32(math.NaN())
				}
				if got, want := impl.ISamax(x), ref(x); got != want {
					t.Fatalf("%s n=%d trial %d: %d, want %d (x=%v)", impl.Name, n, trial, got, want, x)
				}
			}
		}
	})
}

// FuzzISamax checks every implementation's ISamax against the generic loop
// on raw float32 bit patterns (NaN payloads, infinities, -0, denormals).
func FuzzISamax(f *testing.F) {
	f.Add(make([]byte, 4*41))
	f.Add([]byte{0, 0, 0x80, 0x3f, 0, 0, 0xc0, 0x7f, 0, 0, 0, 0x40})
	f.Fuzz(func(t *testing.T, data []byte) {
		x := bytesToFloat32(data)
		want := isamaxGeneric(x)
		for _, impl := range AvailableImpls() {
			if got := impl.ISamax(x); got != want {
				t.Fatalf("%s ISamax(%v) = %d, want %d", impl.Name, x, got, want)
			}
		}
	})
}

// TestISamaxNaNPositions puts a quiet or signalling NaN of either sign at
// every position of vectors around the unrolling (16, 4 and 1 elements),
// with the largest magnitude before, at the end of, or just after the NaN,
// and compares every implementation's ISamax with isamaxGeneric. A kernel
// that let a NaN into its running maximum (a signalling NaN is not ignored
// by fmaxnm) would then find no element equal to it.
func TestISamaxNaNPositions(t *testing.T) {
	nans := []uint32{0x7fc00000, 0xffc00001, 0x7f800001, 0xff800001, 0x7fbfffff}
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for n := 1; n <= 40; n++ {
			for _, bits := range nans {
				nan := math.Float32frombits(bits)
				for p := 0; p < n; p++ {
					for _, m := range []int{0, p / 2, n - 1, (p + 1) % n} {
						x := make([]float32, n)
						for i := range x {
							x[i] = float32(i%5)*0.5 - 1
						}
						x[m] = -3
						x[p] = nan
						if got, want := impl.ISamax(x), isamaxGeneric(x); got != want {
							t.Fatalf("%s n=%d NaN %#08x at %d, -3 at %d: %d, want %d", impl.Name, n, bits, p, m, got, want)
						}
					}
				}
				// Every element but x[0] and x[k] a NaN.
				for k := 1; k < n; k++ {
					x := make([]float32, n)
					for i := range x {
						x[i] = nan
					}
					x[0], x[k] = 0.5, -2
					if got := impl.ISamax(x); got != k {
						t.Fatalf("%s n=%d NaN %#08x everywhere but 0 and %d: %d, want %d", impl.Name, n, bits, k, got, k)
					}
				}
			}
		}
	})
}

// FuzzSAsumSumSq checks every implementation's SAsum, SSumSq and SScal on
// raw float32 bit patterns (NaN payloads, infinities, -0, denormals, the
// extremes whose squares overflow float32) against float64 references:
// the sums within their n-scaled bounds, NaN and infinities by class, the
// scaling exactly.
func FuzzSAsumSumSq(f *testing.F) {
	f.Add(make([]byte, 4*37), float32(0.5))
	f.Add([]byte{0xff, 0xff, 0x7f, 0x7f, 1, 0, 0, 0, 0, 0, 0x80, 0x7f, 0, 0, 0xc0, 0x7f}, float32(-3))
	f.Fuzz(func(t *testing.T, data []byte, alpha float32) {
		x := bytesToFloat32(data)
		var asum, sumsq float64
		for _, v := range x {
			asum += math.Abs(float64(v))
			sumsq += float64(v) * float64(v)
		}
		n := float64(len(x) + 1)
		same := func(got, want, tol float64) bool {
			if math.IsNaN(want) || math.IsInf(want, 0) {
				return math.IsNaN(got) == math.IsNaN(want) && (math.IsNaN(want) || got == want)
			}
			return math.Abs(got-want) <= tol
		}
		for _, impl := range AvailableImpls() {
			if got := float64(impl.SAsum(x)); !same(got, asum, n*0x1p-23*asum) && !(math.IsInf(got, 1) && asum > math.MaxFloat32/2) {
				t.Fatalf("%s SAsum(%v) = %v, want %v", impl.Name, x, got, asum)
			}
			if got := impl.SSumSq(x); !same(got, sumsq, n*0x1p-52*sumsq) {
				t.Fatalf("%s SSumSq(%v) = %v, want %v", impl.Name, x, got, sumsq)
			}
			y := append([]float32(nil), x...)
			impl.SScal(alpha, y)
			for i, v := range x {
				w := v * alpha
				if math.Float32bits(y[i]) != math.Float32bits(w) && !(y[i] != y[i] && w != w) {
					t.Fatalf("%s SScal(%v, %v): y[%d] = %v, want %v", impl.Name, alpha, x, i, y[i], w)
				}
			}
		}
	})
}
