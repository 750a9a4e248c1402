package asm

import (
	"fmt"
	"math"
	"testing"
)

// The Path-SGD kernels must return the generic loop's bits for w and v (NaN
// payloads aside) and the path-norm sums y within the float64 summation
// bound, on every shape, leading dimension and special value, without
// touching memory outside the operands.

var pathSGDShapes = [][2]int{{0, 0}, {0, 5}, {3, 0}, {1, 1}, {1, 7}, {2, 8}, {3, 9}, {4, 15}, {1, 16}, {2, 17}, {5, 31}, {3, 33}, {7, 64}, {2, 100}, {10, 129}, {33, 65}}

// pathSGDCase holds guarded operands of one call and the generic results.
type pathSGDCase struct {
	rows, cols, ld  int
	w, g, v         []float32
	rs, cs          []float32
	x, y            []float64
	wantW, wantV    []float32
	wantY           []float64
	gCopy           []float32
	intact          []func() bool
	special, nonneg bool
}

func newPathSGDCase(rows, cols, pad int, seed uint64, special bool) *pathSGDCase {
	c := &pathSGDCase{rows: rows, cols: cols, ld: max(cols+pad, 1), special: special}
	n := 0
	if rows > 0 {
		n = (rows-1)*c.ld + cols
	}
	r := newRand(seed)
	fill := func(s []float32, k uint64) {
		if special {
			fillElementwise(seed+k, s)
		} else {
			randSlice32(r, s)
		}
	}
	var ok func() bool
	c.w, ok = guarded32(n)
	c.intact = append(c.intact, ok)
	c.g, ok = guarded32(n)
	c.intact = append(c.intact, ok)
	c.v, ok = guarded32(n)
	c.intact = append(c.intact, ok)
	c.rs, ok = guarded32(rows)
	c.intact = append(c.intact, ok)
	c.cs, ok = guarded32(cols)
	c.intact = append(c.intact, ok)
	c.x, ok = guarded64(cols)
	c.intact = append(c.intact, ok)
	c.y, ok = guarded64(rows)
	c.intact = append(c.intact, ok)
	fill(c.w, 1)
	fill(c.g, 2)
	fill(c.v, 3)
	fill(c.rs, 4)
	fill(c.cs, 5)
	for i := range c.x {
		c.x[i] = math.Abs(r.NormFloat64()) // path-norm vectors are non-negative
	}
	for i := range c.y {
		c.y[i] = math.NaN() // must be overwritten, never read
	}
	c.wantW = append([]float32(nil), c.w...)
	c.wantV = append([]float32(nil), c.v...)
	c.gCopy = append([]float32(nil), c.g...)
	c.wantY = make([]float64, rows)
	return c
}

func (c *pathSGDCase) check(t *testing.T, what string, momentum bool, w0 []float32) {
	t.Helper()
	for i, ok := range c.intact {
		if !ok() {
			t.Fatalf("%s: write outside operand %d", what, i)
		}
	}
	if i := sameUpToNaN(c.w, c.wantW); i >= 0 {
		t.Fatalf("%s: w[%d] = %g (bits %08x), want %g (bits %08x)", what, i, c.w[i], math.Float32bits(c.w[i]), c.wantW[i], math.Float32bits(c.wantW[i]))
	}
	if momentum {
		if i := sameUpToNaN(c.v, c.wantV); i >= 0 {
			t.Fatalf("%s: v[%d] = %g, want %g", what, i, c.v[i], c.wantV[i])
		}
	}
	if i := sameBits(c.g, c.gCopy); i >= 0 {
		t.Fatalf("%s: g[%d] modified", what, i)
	}
	// The sums of the old weights, against a compensated reference.
	ref, mag := pathRef(w0, c.ld, c.rows, c.cols, c.x, false)
	for i := range c.y {
		got, want := c.y[i], ref[i]
		var plain float64 // the compensation turns an infinite sum into NaN
		for j := 0; j < c.cols; j++ {
			f := float64(w0[i*c.ld+j])
			plain += f * f * c.x[j]
		}
		if math.IsNaN(plain) || math.IsInf(plain, 0) {
			want = plain
			if math.IsNaN(want) != math.IsNaN(got) || math.IsInf(want, 0) != math.IsInf(got, 0) {
				t.Fatalf("%s: y[%d] = %g, want %g", what, i, got, want)
			}
			continue
		}
		tol := 2*float64(c.cols+1)*0x1p-53*mag[i] + 1e-300
		if math.Abs(got-want) > tol || math.Abs(c.wantY[i]-want) > tol {
			t.Fatalf("%s: y[%d] = %g, generic %g, reference %g", what, i, got, c.wantY[i], want)
		}
	}
}

var pathSGDScalars = [][2]float32{{0.1, 0.9}, {1, 0}, {0.01, 0.5}, {-0.3, 1.5}, {float32(math.Inf(1)), 0.9}, {0.1, float32(math.NaN())}}

func TestPathSGDKernel(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for si, sh := range pathSGDShapes {
			for _, pad := range []int{0, 3} {
				for _, special := range []bool{false, true} {
					for k, p := range pathSGDScalars {
						seed := uint64(1000*si + 100*pad + 10*k)
						if special {
							seed++
						}
						what := fmt.Sprintf("%dx%d ld+%d special=%v lr=%g mu=%g", sh[0], sh[1], pad, special, p[0], p[1])

						c := newPathSGDCase(sh[0], sh[1], pad, seed, special)
						w0 := append([]float32(nil), c.w...)
						pathSGDGeneric(c.wantY, c.wantW, c.g, c.ld, c.rs, c.cs, c.x)
						impl.PathSGD(c.y, c.w, c.g, c.ld, c.rs, c.cs, c.x)
						c.check(t, "PathSGD "+what, false, w0)

						c = newPathSGDCase(sh[0], sh[1], pad, seed, special)
						w0 = append([]float32(nil), c.w...)
						pathSGDMomentumGeneric(c.wantY, c.wantW, c.g, c.wantV, c.ld, c.rs, c.cs, c.x, p[0], p[1])
						impl.PathSGDMomentum(c.y, c.w, c.g, c.v, c.ld, c.rs, c.cs, c.x, p[0], p[1])
						c.check(t, "PathSGDMomentum "+what, true, w0)
					}
				}
			}
		}
	})
}

// TestPathSGDRounding pins the reference's rounding: each product is
// rounded to float32 before the next operation, so a fused multiply-add
// anywhere would change these bits.
func TestPathSGDRounding(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		w := []float32{1}
		g := []float32{1 + 0x1p-23}
		cs := []float32{1 + 0x1p-23}
		rs := []float32{1}
		y := make([]float64, 1)
		impl.PathSGD(y, w, g, 1, rs, cs, []float64{2})
		// g*cs = 1 + 2^-22 + 2^-46 rounds to 1 + 2^-22; 1 - that = -2^-22.
		if w[0] != -0x1p-22 || y[0] != 2 {
			t.Errorf("w = %g (want %g), y = %g (want 2)", w[0], -0x1p-22, y[0])
		}
	})
}

func TestPathSGDPanics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		s := func(n int) []float32 { return make([]float32, n) }
		d := func(n int) []float64 { return make([]float64, n) }
		for name, tc := range map[string]struct {
			want string
			f    func()
		}{
			"y length":  {errLength, func() { impl.PathSGD(d(1), s(6), s(6), 3, s(2), s(3), d(3)) }},
			"x length":  {errLength, func() { impl.PathSGD(d(2), s(6), s(6), 3, s(2), s(3), d(2)) }},
			"small ld":  {errLdw, func() { impl.PathSGD(d(2), s(6), s(6), 2, s(2), s(3), d(3)) }},
			"short w":   {errShortW, func() { impl.PathSGD(d(2), s(5), s(6), 3, s(2), s(3), d(3)) }},
			"short g":   {errShortG, func() { impl.PathSGD(d(2), s(6), s(5), 3, s(2), s(3), d(3)) }},
			"short v":   {errShortV, func() { impl.PathSGDMomentum(d(2), s(6), s(6), s(5), 3, s(2), s(3), d(3), 1, 0) }},
			"ld padded": {errShortW, func() { impl.PathSGD(d(2), s(6), s(7), 4, s(2), s(3), d(3)) }},
		} {
			func() {
				defer func() {
					if r := recover(); r != tc.want {
						t.Errorf("%s: panic = %v, want %q", name, r, tc.want)
					}
				}()
				tc.f()
			}()
		}
	})
}

// FuzzPathSGD compares every implementation with the generic loops on
// arbitrary bit patterns for all operands.
func FuzzPathSGD(f *testing.F) {
	f.Add(uint8(3), uint8(1), []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0xc0, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(uint8(17), uint8(0), make([]byte, 300))
	f.Fuzz(func(t *testing.T, colsByte, padByte uint8, data []byte) {
		vals := bytesToFloat32(data)
		if len(vals) == 0 {
			return
		}
		cols := int(colsByte%40) + 1
		ld := cols + int(padByte%3)
		rows := max(1, len(vals)/(3*ld))
		n := (rows-1)*ld + cols
		src := cycler[float32]{vals: vals}
		w, g, v := make([]float32, n), make([]float32, n), make([]float32, n)
		rs, cs := make([]float32, rows), make([]float32, cols)
		src.fill(w)
		src.fill(g)
		src.fill(v)
		src.fill(rs)
		src.fill(cs)
		x := make([]float64, cols)
		for i := range x {
			x[i] = float64(i%5) + 0.25
		}
		lr, mu := vals[0], vals[len(vals)-1]
		wantW, wantV, wantY := append([]float32(nil), w...), append([]float32(nil), v...), make([]float64, rows)
		pathSGDMomentumGeneric(wantY, wantW, g, wantV, ld, rs, cs, x, lr, mu)
		wantW1, wantY1 := append([]float32(nil), w...), make([]float64, rows)
		pathSGDGeneric(wantY1, wantW1, g, ld, rs, cs, x)
		for _, impl := range AvailableImpls() {
			gw, gv, gy := append([]float32(nil), w...), append([]float32(nil), v...), make([]float64, rows)
			impl.PathSGDMomentum(gy, gw, g, gv, ld, rs, cs, x, lr, mu)
			if i := sameUpToNaN(gw, wantW); i >= 0 {
				t.Fatalf("%s momentum: w[%d] = %g, want %g", impl.Name, i, gw[i], wantW[i])
			}
			if i := sameUpToNaN(gv, wantV); i >= 0 {
				t.Fatalf("%s momentum: v[%d] = %g, want %g", impl.Name, i, gv[i], wantV[i])
			}
			checkSums(t, impl.Name, gy, wantY)
			gw, gy = append([]float32(nil), w...), make([]float64, rows)
			impl.PathSGD(gy, gw, g, ld, rs, cs, x)
			if i := sameUpToNaN(gw, wantW1); i >= 0 {
				t.Fatalf("%s: w[%d] = %g, want %g", impl.Name, i, gw[i], wantW1[i])
			}
			checkSums(t, impl.Name, gy, wantY1)
		}
	})
}

// checkSums compares path-norm sums of non-negative terms up to summation
// order.
func checkSums(t *testing.T, name string, got, want []float64) {
	t.Helper()
	for i := range got {
		g, e := got[i], want[i]
		if math.IsNaN(e) != math.IsNaN(g) || (!math.IsNaN(e) && !math.IsInf(e, 0) && math.Abs(g-e) > 1e-12*math.Abs(e)+1e-300) ||
			(math.IsInf(e, 0) && g != e) {
			t.Fatalf("%s: y[%d] = %g, generic %g", name, i, g, e)
		}
	}
}

// BenchmarkPathSGD reports the bytes streamed per update (w read and
// written, g read, and v read and written with momentum) on the thesis's
// largest layer (4000 x 4000, 64 MB of weights) and one in L2.
func BenchmarkPathSGD(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, sz := range pathSizes {
			rows, cols := sz[0], sz[1]
			for _, mom := range []bool{false, true} {
				b.Run(fmt.Sprintf("rows=%d/cols=%d/momentum=%v", rows, cols, mom), func(b *testing.B) {
					w, g, v := randBench32(rows*cols, 1), randBench32(rows*cols, 2), make([]float32, rows*cols)
					rs, cs := make([]float32, rows), make([]float32, cols)
					for i := range rs {
						rs[i] = 1e-7
					}
					for i := range cs {
						cs[i] = 1
					}
					x, y := randBench64(cols, 4), make([]float64, rows)
					bytes := 12 * rows * cols
					if mom {
						bytes += 8 * rows * cols
					}
					b.SetBytes(int64(bytes))
					b.ReportAllocs()
					for b.Loop() {
						if mom {
							impl.PathSGDMomentum(y, w, g, v, cols, rs, cs, x, 1e-7, 0.9)
						} else {
							impl.PathSGD(y, w, g, cols, rs, cs, x)
						}
					}
				})
			}
		}
	})
}
