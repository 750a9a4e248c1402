package asm

import (
	"fmt"
	"math"
	"testing"
)

// dotRef returns the float64 dot product of x and y with a compensated sum,
// and the sum of the magnitudes of the products for Higham's bound.
func dotRef(x, y []float64) (s, mag float64) {
	var comp float64
	for i := range x {
		p := x[i] * y[i]
		e := math.FMA(x[i], y[i], -p) // p + e is the exact product
		for _, v := range [2]float64{p, e} {
			t := v - comp
			u := s + t
			comp = (u - s) - t
			s = u
		}
		mag += math.Abs(p)
	}
	return s, mag
}

func widen(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

func TestSDot(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			for _, off := range []int{0, 1} {
				r := newRand(uint64(n*3 + off))
				x, xok := guarded32(n + off)
				y, yok := guarded32(n)
				x = x[off:]
				randSlice32(r, x)
				randSlice32(r, y)
				got := impl.SDot(x, y)
				if !xok() || !yok() {
					t.Fatalf("n=%d: write outside the operands", n)
				}
				ref, mag := dotRef(widen(x), widen(y))
				tol := 2*float64(n+1)*0x1p-24*mag + 1e-30
				if d := math.Abs(float64(got) - ref); math.IsNaN(float64(got)) || d > tol {
					t.Fatalf("n=%d off=%d: dot = %g, reference %g (tol %g)", n, off, got, ref, tol)
				}
				twin := sdotGeneric(x, y)
				if d := math.Abs(float64(got) - float64(twin)); d > 2*tol {
					t.Fatalf("n=%d off=%d: dot = %g, generic %g", n, off, got, twin)
				}
			}
		}
	})
}

func TestDDot(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			for _, off := range []int{0, 1} {
				r := newRand(uint64(n*5 + off))
				x, xok := guarded64(n + off)
				y, yok := guarded64(n)
				x = x[off:]
				randSlice64(r, x)
				randSlice64(r, y)
				got := impl.DDot(x, y)
				if !xok() || !yok() {
					t.Fatalf("n=%d: write outside the operands", n)
				}
				ref, mag := dotRef(x, y)
				tol := 2*float64(n+1)*0x1p-53*mag + 1e-300
				if d := math.Abs(got - ref); math.IsNaN(got) || d > tol {
					t.Fatalf("n=%d off=%d: dot = %g, reference %g (tol %g)", n, off, got, ref, tol)
				}
				twin := ddotGeneric(x, y)
				if d := math.Abs(got - twin); d > 2*tol {
					t.Fatalf("n=%d off=%d: dot = %g, generic %g", n, off, got, twin)
				}
			}
		}
	})
}

func TestSAxpy(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			for _, alpha := range []float32{0, 1, -1, 0.5, 3.25} {
				r := newRand(uint64(n*11) + uint64(math.Float32bits(alpha)))
				x, xok := guarded32(n)
				y, yok := guarded32(n + 1)
				y = y[1:]
				randSlice32(r, x)
				randSlice32(r, y)
				y0 := append([]float32(nil), y...)
				twin := append([]float32(nil), y...)
				impl.SAxpy(alpha, x, y)
				saxpyGeneric(alpha, x, twin)
				if !xok() || !yok() {
					t.Fatalf("n=%d: write outside the operands", n)
				}
				for i := range y {
					ax := float64(alpha) * float64(x[i]) // exact
					ref := ax + float64(y0[i])
					tol := 2*0x1p-24*(math.Abs(ax)+math.Abs(float64(y0[i]))) + 1e-30
					if d := math.Abs(float64(y[i]) - ref); math.IsNaN(float64(y[i])) || d > tol {
						t.Fatalf("n=%d alpha=%g: y[%d] = %g, reference %g", n, alpha, i, y[i], ref)
					}
					if d := math.Abs(float64(y[i]) - float64(twin[i])); d > 2*tol {
						t.Fatalf("n=%d alpha=%g: y[%d] = %g, generic %g", n, alpha, i, y[i], twin[i])
					}
				}
				// x aliasing y: y += alpha*y.
				a := append([]float32(nil), y0...)
				b := append([]float32(nil), y0...)
				impl.SAxpy(alpha, a, a)
				saxpyGeneric(alpha, b, b)
				for i := range a {
					tol := 4 * 0x1p-24 * (1 + math.Abs(float64(alpha))) * math.Abs(float64(y0[i]))
					if d := math.Abs(float64(a[i]) - float64(b[i])); d > tol {
						t.Fatalf("n=%d alpha=%g in place: y[%d] = %g, generic %g", n, alpha, i, a[i], b[i])
					}
				}
			}
		}
	})
}

func TestDAxpy(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			for _, alpha := range []float64{0, 1, -1, 0.5, 3.25} {
				r := newRand(uint64(n*13) + math.Float64bits(alpha))
				x, xok := guarded64(n)
				y, yok := guarded64(n + 1)
				y = y[1:]
				randSlice64(r, x)
				randSlice64(r, y)
				y0 := append([]float64(nil), y...)
				twin := append([]float64(nil), y...)
				impl.DAxpy(alpha, x, y)
				daxpyGeneric(alpha, x, twin)
				if !xok() || !yok() {
					t.Fatalf("n=%d: write outside the operands", n)
				}
				for i := range y {
					ref := math.FMA(alpha, x[i], y0[i]) // correctly rounded
					tol := 2*0x1p-53*(math.Abs(alpha*x[i])+math.Abs(y0[i])) + 1e-300
					if d := math.Abs(y[i] - ref); math.IsNaN(y[i]) || d > tol {
						t.Fatalf("n=%d alpha=%g: y[%d] = %g, reference %g", n, alpha, i, y[i], ref)
					}
					if d := math.Abs(y[i] - twin[i]); d > 2*tol {
						t.Fatalf("n=%d alpha=%g: y[%d] = %g, generic %g", n, alpha, i, y[i], twin[i])
					}
				}
			}
		}
	})
}

func TestBlas1Panics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		s4, s5 := make([]float32, 4), make([]float32, 5)
		d4, d5 := make([]float64, 4), make([]float64, 5)
		for name, f := range map[string]func(){
			"sdot":  func() { impl.SDot(s4, s5) },
			"ddot":  func() { impl.DDot(d5, d4) },
			"saxpy": func() { impl.SAxpy(1, s5, s4) },
			"daxpy": func() { impl.DAxpy(1, d4, d5) },
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
	})
}

// TestIDamax compares every implementation's IDamax with the generic loop
// (the BLAS definition) on lengths around the unrolling, with ties, NaN
// elements, a NaN first element, infinities and negative zeros.
func TestIDamax(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(41)
		if got := impl.IDamax(nil); got != -1 {
			t.Fatalf("%s: empty: %d, want -1", impl.Name, got)
		}
		// A NaN before the maximum, in the vector part and in the tail.
		for _, x := range [][]float64{{1, math.NaN(), 2}, {1, 1, 1, 1, 1, math.NaN(), 3}, {0, 1, 2, 3, 4, 5, 6, 7, math.NaN(), 1, 1, 1, 1, 1, 1, 1, 1, 9}} {
			if got, want := impl.IDamax(x), idamaxGeneric(x); got != want {
				t.Fatalf("%s %v: %d, want %d", impl.Name, x, got, want)
			}
		}
		for n := 1; n <= 70; n++ {
			for trial := range 12 {
				x := make([]float64, n)
				for i := range x {
					x[i] = float64(r.IntN(7) - 3)
					switch r.IntN(12) {
					case 0:
						x[i] = math.NaN()
					case 1:
						x[i] = math.Copysign(0, -1)
					case 2:
						if trial > 8 {
							x[i] = math.Inf(1 - 2*r.IntN(2))
						}
					}
				}
				if trial == 0 {
					x[0] = math.NaN()
				}
				if got, want := impl.IDamax(x), idamaxGeneric(x); got != want {
					t.Fatalf("%s n=%d trial %d: %d, want %d (x=%v)", impl.Name, n, trial, got, want, x)
				}
			}
		}
	})
}

// TestDDotInc compares every implementation's strided dot product with a
// float64 reference and checks that short vectors and non-positive
// increments panic.
func TestDDotInc(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(43)
		for n := 0; n <= 40; n++ {
			for _, inc := range [][2]int{{1, 1}, {3, 1}, {1, 5}, {7, 2}} {
				x := make([]float64, max(n-1, 0)*inc[0]+1)
				y := make([]float64, max(n-1, 0)*inc[1]+1)
				randSlice64(r, x)
				randSlice64(r, y)
				var want float64
				for i := range n {
					want += x[i*inc[0]] * y[i*inc[1]]
				}
				if got := impl.DDotInc(n, x, inc[0], y, inc[1]); math.Abs(got-want) > 1e-14*float64(n+1) {
					t.Fatalf("%s n=%d inc=%v: %v, want %v", impl.Name, n, inc, got, want)
				}
			}
		}
		for name, f := range map[string]func(){
			"short x": func() { impl.DDotInc(3, make([]float64, 4), 2, make([]float64, 3), 1) },
			"inc 0":   func() { impl.DDotInc(3, make([]float64, 4), 0, make([]float64, 3), 1) },
			"n < 0":   func() { impl.DDotInc(-1, nil, 1, nil, 1) },
		} {
			func() {
				defer func() {
					if recover() != errShortInc {
						t.Errorf("%s %s: no %q panic", impl.Name, name, errShortInc)
					}
				}()
				f()
			}()
		}
	})
}

// TestDAxpyInc compares every implementation's strided axpy with a float64
// reference and checks that the elements between the strided ones stay.
func TestDAxpyInc(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(47)
		for n := 0; n <= 40; n++ {
			for _, inc := range [][2]int{{1, 1}, {3, 1}, {1, 5}, {7, 2}} {
				x := make([]float64, max(n-1, 0)*inc[0]+1)
				y := make([]float64, max(n-1, 0)*inc[1]+1)
				randSlice64(r, x)
				randSlice64(r, y)
				want := append([]float64(nil), y...)
				for i := range n {
					want[i*inc[1]] += -0.75 * x[i*inc[0]]
				}
				impl.DAxpyInc(n, -0.75, x, inc[0], y, inc[1])
				for i := range y {
					if math.Abs(y[i]-want[i]) > 1e-15 {
						t.Fatalf("%s n=%d inc=%v: y[%d] = %v, want %v", impl.Name, n, inc, i, y[i], want[i])
					}
				}
			}
		}
	})
}

// TestScalAsumSumSq compares every implementation's DScalInc, DAsumInc and
// DSumSqInc with float64 references on lengths around the unrolling, unit
// and strided, with the elements between strided ones unchanged and NaN
// and infinities propagated.
func TestScalAsumSumSq(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		r := newRand(53)
		for n := 0; n <= 40; n++ {
			for _, inc := range []int{1, 3} {
				x := make([]float64, max(n-1, 0)*inc+1)
				randSlice64(r, x)
				if n > 5 && r.IntN(4) == 0 {
					x[(n/2)*inc] = math.Inf(-1)
				}
				var asum, sumsq float64
				for i := range n {
					asum += math.Abs(x[i*inc])
					sumsq += x[i*inc] * x[i*inc]
				}
				what := fmt.Sprintf("%s n=%d inc=%d", impl.Name, n, inc)
				if got := impl.DAsumInc(n, x, inc); !(math.Abs(got-asum) <= 1e-14*(1+asum)) && !(math.IsInf(got, 1) && math.IsInf(asum, 1)) {
					t.Fatalf("DAsumInc %s: %v, want %v", what, got, asum)
				}
				if got := impl.DSumSqInc(n, x, inc); !(math.Abs(got-sumsq) <= 1e-14*(1+sumsq)) && !(math.IsInf(got, 1) && math.IsInf(sumsq, 1)) {
					t.Fatalf("DSumSqInc %s: %v, want %v", what, got, sumsq)
				}
				want := append([]float64(nil), x...)
				for i := range n {
					want[i*inc] *= -0.5
				}
				impl.DScalInc(n, -0.5, x, inc)
				for i := range x {
					if x[i] != want[i] {
						t.Fatalf("DScalInc %s: x[%d] = %v, want %v", what, i, x[i], want[i])
					}
				}
			}
		}
		nan := []float64{1, math.NaN(), 2}
		if !math.IsNaN(impl.DAsumInc(3, nan, 1)) || !math.IsNaN(impl.DSumSqInc(3, nan, 1)) {
			t.Errorf("%s: NaN not propagated", impl.Name)
		}
	})
}

// TestIDamaxPositions moves the maximum (then a tie after it) and one NaN of
// each kind (quiet and signalling, either sign) through every position of
// lengths around the vector blocks of every implementation, so each lands in
// a block, a pair and a single tail element of both passes; signalling NaNs
// must be skipped like quiet ones. It also checks vectors that are all NaN
// after x[0] and all zeros of either sign.
func TestIDamaxPositions(t *testing.T) {
	nans := []float64{
		math.NaN(),
		math.Float64frombits(0xfff8000000000000),
		math.Float64frombits(0x7ff0000000000001), // signalling
		math.Float64frombits(0xfff4000000000000), // signalling, negative
	}
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		check := func(x []float64, what string) {
			t.Helper()
			if got, want := impl.IDamax(x), idamaxGeneric(x); got != want {
				t.Fatalf("%s n=%d %s: %d, want %d", impl.Name, len(x), what, got, want)
			}
		}
		for n := 1; n <= 70; n++ {
			if n > 40 && n != 63 && n != 64 && n != 65 && n != 70 {
				continue
			}
			x := make([]float64, n)
			for p := range n {
				for i := range x {
					x[i] = float64(i%5)*0.25 - 0.5
				}
				x[p] = -3
				check(x, fmt.Sprintf("max at %d", p))
				for q := range n {
					if q == p {
						continue
					}
					old := x[q]
					for _, nan := range nans {
						x[q] = nan
						check(x, fmt.Sprintf("max at %d, NaN %x at %d", p, math.Float64bits(nan), q))
					}
					x[q] = old
				}
				if p+1 < n {
					x[n-1] = 3
					check(x, fmt.Sprintf("max at %d, tie at %d", p, n-1))
				}
			}
			for _, nan := range nans {
				for i := range x {
					x[i] = nan
				}
				x[0] = -0.5
				check(x, "NaN after x[0]")
			}
			for i := range x {
				x[i] = math.Copysign(0, float64(i%2)-0.5)
			}
			check(x, "zeros")
		}
	})
}

// TestScalAsumSumSqPositions puts a NaN, then an infinity, at every position
// of unit and strided vectors of lengths 1..40: the sums must be NaN and
// +Inf, and scaling must change that element alone.
func TestScalAsumSumSqPositions(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for n := 1; n <= 40; n++ {
			for _, inc := range []int{1, 3} {
				x := make([]float64, (n-1)*inc+1)
				for p := range n {
					for _, special := range []float64{math.NaN(), math.Inf(-1)} {
						for i := range x {
							x[i] = 0.5
						}
						x[p*inc] = special
						what := fmt.Sprintf("%s n=%d inc=%d %v at %d", impl.Name, n, inc, special, p)
						asum, sumsq := impl.DAsumInc(n, x, inc), impl.DSumSqInc(n, x, inc)
						if math.IsNaN(special) && (!math.IsNaN(asum) || !math.IsNaN(sumsq)) {
							t.Fatalf("%s: asum %v, sumsq %v, want NaN", what, asum, sumsq)
						}
						if math.IsInf(special, 0) && (!math.IsInf(asum, 1) || !math.IsInf(sumsq, 1)) {
							t.Fatalf("%s: asum %v, sumsq %v, want +Inf", what, asum, sumsq)
						}
						impl.DScalInc(n, 2, x, inc)
						for i, v := range x {
							switch {
							case i == p*inc:
								if !math.IsNaN(v) && v != 2*special {
									t.Fatalf("DScalInc %s: x[%d] = %v, want %v", what, i, v, 2*special)
								}
							case i%inc == 0 && v != 1, i%inc != 0 && v != 0.5:
								t.Fatalf("DScalInc %s: x[%d] = %v", what, i, v)
							}
						}
					}
				}
			}
		}
	})
}
