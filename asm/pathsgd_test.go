package asm

import (
	"fmt"
	"math"
	"testing"
)

// The Path-SGD kernels must return the generic loop's bits for w, v and the
// column sums z (NaN payloads aside) and the path-norm sums y within the
// float64 summation bound, on every shape, leading dimension and special
// value, without touching memory outside the operands.

var pathSGDShapes = [][2]int{{0, 0}, {0, 5}, {3, 0}, {1, 1}, {1, 7}, {2, 8}, {3, 9}, {4, 15}, {1, 16}, {2, 17}, {5, 31}, {3, 33}, {7, 64}, {2, 100}, {10, 129}, {33, 65}}

// pathSGDCase holds guarded operands of one call and the generic results.
type pathSGDCase struct {
	rows, cols, ld  int
	w, g, v         []float32
	rs, cs          []float32
	x, y            []float64
	z, u, z0        []float64 // column sums (nil without), their start
	wantW, wantV    []float32
	wantY, wantZ    []float64
	gCopy           []float32
	intact          []func() bool
	special, nonneg bool
}

// newPathSGDCase builds a case; plain: without the sums (y and x nil).
func newPathSGDCase(rows, cols, pad int, seed uint64, special, colSums, plain bool) *pathSGDCase {
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
	if colSums {
		c.z, ok = guarded64(cols)
		c.intact = append(c.intact, ok)
		c.u, ok = guarded64(rows)
		c.intact = append(c.intact, ok)
		for i := range c.z {
			c.z[i] = math.Abs(r.NormFloat64())
		}
		for i := range c.u {
			c.u[i] = math.Abs(r.NormFloat64())
		}
		c.z0 = append([]float64(nil), c.z...)
		c.wantZ = append([]float64(nil), c.z...)
	}
	c.wantW = append([]float32(nil), c.w...)
	c.wantV = append([]float32(nil), c.v...)
	c.gCopy = append([]float32(nil), c.g...)
	c.wantY = make([]float64, rows)
	if plain {
		c.x, c.y, c.wantY = nil, nil, nil
	}
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
	if c.y == nil {
		return
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
	if c.z == nil {
		return
	}
	// The column sums: the generic loop's bits, and the generic loop
	// against a compensated reference of z0 + (W∘W)^T u.
	for j := range c.z {
		if math.Float64bits(c.z[j]) != math.Float64bits(c.wantZ[j]) && !(math.IsNaN(c.z[j]) && math.IsNaN(c.wantZ[j])) {
			t.Fatalf("%s: z[%d] = %g, generic %g", what, j, c.z[j], c.wantZ[j])
		}
	}
	ref, mag = pathRef(w0, c.ld, c.rows, c.cols, c.u, true)
	for j, got := range c.wantZ {
		want := c.z0[j] + ref[j]
		plain := c.z0[j] // the compensation turns an infinite sum into NaN
		for i := 0; i < c.rows; i++ {
			f := float64(w0[i*c.ld+j])
			plain += f * f * c.u[i]
		}
		if math.IsNaN(plain) || math.IsInf(plain, 0) {
			if math.IsNaN(plain) != math.IsNaN(got) || math.IsInf(plain, 0) != math.IsInf(got, 0) {
				t.Fatalf("%s: generic z[%d] = %g, reference %g", what, j, got, plain)
			}
			continue
		}
		tol := 2*float64(c.rows+2)*0x1p-53*(mag[j]+c.z0[j]) + 1e-300
		if math.Abs(got-want) > tol {
			t.Fatalf("%s: generic z[%d] = %g, reference %g", what, j, got, want)
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
						for variant := range 3 {
							colSums, plain := variant == 1, variant == 2
							what := fmt.Sprintf("%dx%d ld+%d special=%v lr=%g mu=%g cols=%v plain=%v", sh[0], sh[1], pad, special, p[0], p[1], colSums, plain)

							c := newPathSGDCase(sh[0], sh[1], pad, seed, special, colSums, plain)
							w0 := append([]float32(nil), c.w...)
							pathSGDGeneric(c.wantY, c.wantZ, c.wantW, c.g, c.ld, c.rs, c.cs, c.x, c.u)
							impl.PathSGD(c.y, c.z, c.w, c.g, c.ld, c.rs, c.cs, c.x, c.u)
							c.check(t, "PathSGD "+what, false, w0)

							c = newPathSGDCase(sh[0], sh[1], pad, seed, special, colSums, plain)
							w0 = append([]float32(nil), c.w...)
							pathSGDMomentumGeneric(c.wantY, c.wantZ, c.wantW, c.g, c.wantV, c.ld, c.rs, c.cs, c.x, c.u, p[0], p[1])
							impl.PathSGDMomentum(c.y, c.z, c.w, c.g, c.v, c.ld, c.rs, c.cs, c.x, c.u, p[0], p[1])
							c.check(t, "PathSGDMomentum "+what, true, w0)
						}
					}
				}
			}
		}
	})
}

// TestPathSums checks the sums without the update: w and the other
// operands untouched, z the generic loop's bits (and so PathSGD's column
// sums with the same operands), y within the summation bound of a
// compensated reference (summed in another order than PathSGD's on
// AVX-512).
func TestPathSums(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for si, sh := range pathSGDShapes {
			for _, pad := range []int{0, 3} {
				for _, special := range []bool{false, true} {
					seed := uint64(7000 + 10*si + pad)
					if special {
						seed += 5
					}
					what := fmt.Sprintf("PathSums %dx%d ld+%d special=%v", sh[0], sh[1], pad, special)
					c := newPathSGDCase(sh[0], sh[1], pad, seed, special, true, false)
					w0 := append([]float32(nil), c.w...)
					pathSumsGeneric(c.wantY, c.wantZ, c.wantW, c.ld, c.x, c.u)
					impl.PathSums(c.y, c.z, c.w, c.ld, c.x, c.u)
					c.check(t, what, false, w0)
					// The update kernel's column sums, bit for bit.
					d := newPathSGDCase(sh[0], sh[1], pad, seed, special, true, false)
					impl.PathSGD(d.y, d.z, d.w, d.g, d.ld, d.rs, d.cs, d.x, d.u)
					for j := range c.z {
						if math.Float64bits(c.z[j]) != math.Float64bits(d.z[j]) && !(math.IsNaN(c.z[j]) && math.IsNaN(d.z[j])) {
							t.Fatalf("%s: z[%d] = %g, PathSGD's %g", what, j, c.z[j], d.z[j])
						}
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
		impl.PathSGD(y, nil, w, g, 1, rs, cs, []float64{2}, nil)
		// g*cs = 1 + 2^-22 + 2^-46 rounds to 1 + 2^-22; 1 - that = -2^-22.
		if w[0] != -0x1p-22 || y[0] != 2 {
			t.Errorf("w = %g (want %g), y = %g (want 2)", w[0], -0x1p-22, y[0])
		}
		// The column sums round the product, then the sum: with
		// w² = (1+2^-23)² and u = 1 + 2^-23 the product (1+2^-23)³ =
		// 1 + 3*2^-23 + 3*2^-46 + 2^-69 loses its last term to rounding,
		// which a fused multiply-add onto z = -1 would keep.
		w = []float32{1 + 0x1p-23}
		z := []float64{-1}
		u := []float64{1 + 0x1p-23}
		impl.PathSGD(y, z, w, g, 1, rs, cs, []float64{0}, u)
		q := float64(float32(1+0x1p-23)) * float64(float32(1+0x1p-23))
		if want := float64(q*u[0]) - 1; z[0] != want || want == math.FMA(q, u[0], -1) {
			t.Errorf("z = %g, want %g (fused %g)", z[0], want, math.FMA(q, u[0], -1))
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
			"y length":   {errLength, func() { impl.PathSGD(d(1), nil, s(6), s(6), 3, s(2), s(3), d(3), nil) }},
			"x length":   {errLength, func() { impl.PathSGD(d(2), nil, s(6), s(6), 3, s(2), s(3), d(2), nil) }},
			"z length":   {errLength, func() { impl.PathSGD(d(2), d(2), s(6), s(6), 3, s(2), s(3), d(3), d(2)) }},
			"u length":   {errLength, func() { impl.PathSGD(d(2), d(3), s(6), s(6), 3, s(2), s(3), d(3), d(1)) }},
			"u alone":    {errLength, func() { impl.PathSGD(d(2), nil, s(6), s(6), 3, s(2), s(3), d(3), d(2)) }},
			"z alone":    {errLength, func() { impl.PathSGDMomentum(d(2), d(3), s(6), s(6), s(6), 3, s(2), s(3), d(3), nil, 1, 0) }},
			"nil y, z":   {errLength, func() { impl.PathSGD(nil, d(3), s(6), s(6), 3, s(2), s(3), nil, d(2)) }},
			"nil y, u":   {errLength, func() { impl.PathSGDMomentum(nil, nil, s(6), s(6), s(6), 3, s(2), s(3), nil, d(2), 1, 0) }},
			"nil y, ld":  {errLdw, func() { impl.PathSGD(nil, nil, s(6), s(6), 2, s(2), s(3), nil, nil) }},
			"nil y, w":   {errShortW, func() { impl.PathSGD(nil, nil, s(5), s(6), 3, s(2), s(3), nil, nil) }},
			"nil y, v":   {errShortV, func() { impl.PathSGDMomentum(nil, nil, s(6), s(6), s(5), 3, s(2), s(3), nil, nil, 1, 0) }},
			"small ld":   {errLdw, func() { impl.PathSGD(d(2), nil, s(6), s(6), 2, s(2), s(3), d(3), nil) }},
			"short w":    {errShortW, func() { impl.PathSGD(d(2), d(3), s(5), s(6), 3, s(2), s(3), d(3), d(2)) }},
			"short g":    {errShortG, func() { impl.PathSGD(d(2), nil, s(6), s(5), 3, s(2), s(3), d(3), nil) }},
			"short v":    {errShortV, func() { impl.PathSGDMomentum(d(2), nil, s(6), s(6), s(5), 3, s(2), s(3), d(3), nil, 1, 0) }},
			"ld padded":  {errShortW, func() { impl.PathSGD(d(2), nil, s(6), s(7), 4, s(2), s(3), d(3), nil) }},
			"sums u":     {errLength, func() { impl.PathSums(d(2), d(3), s(6), 3, d(3), d(1)) }},
			"sums z":     {errLength, func() { impl.PathSums(d(2), d(2), s(6), 3, d(3), d(2)) }},
			"sums ld":    {errLdw, func() { impl.PathSums(d(2), d(3), s(6), 2, d(3), d(2)) }},
			"sums w":     {errShortW, func() { impl.PathSums(d(2), d(3), s(6), 4, d(3), d(2)) }},
			"sums nil z": {errLength, func() { impl.PathSums(d(2), nil, s(6), 3, d(3), d(2)) }},
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
		pathSGDMomentumGeneric(wantY, nil, wantW, g, wantV, ld, rs, cs, x, nil, lr, mu)
		wantW1, wantY1 := append([]float32(nil), w...), make([]float64, rows)
		pathSGDGeneric(wantY1, nil, wantW1, g, ld, rs, cs, x, nil)
		// The column sums, with and without momentum.
		u := make([]float64, rows)
		for i := range u {
			u[i] = float64(i%3) + 0.5
		}
		wantW2, wantV2, wantY2, wantZ2 := append([]float32(nil), w...), append([]float32(nil), v...), make([]float64, rows), make([]float64, cols)
		pathSGDMomentumGeneric(wantY2, wantZ2, wantW2, g, wantV2, ld, rs, cs, x, u, lr, mu)
		wantW3, wantY3, wantZ3 := append([]float32(nil), w...), make([]float64, rows), make([]float64, cols)
		pathSGDGeneric(wantY3, wantZ3, wantW3, g, ld, rs, cs, x, u)
		sameZ := func(name string, got, want []float64) {
			for j := range got {
				if math.Float64bits(got[j]) != math.Float64bits(want[j]) && !(math.IsNaN(got[j]) && math.IsNaN(want[j])) {
					t.Fatalf("%s: z[%d] = %g, generic %g", name, j, got[j], want[j])
				}
			}
		}
		for _, impl := range AvailableImpls() {
			gw, gv, gy, gz := append([]float32(nil), w...), append([]float32(nil), v...), make([]float64, rows), make([]float64, cols)
			impl.PathSGDMomentum(gy, gz, gw, g, gv, ld, rs, cs, x, u, lr, mu)
			if i := sameUpToNaN(gw, wantW2); i >= 0 {
				t.Fatalf("%s momentum cols: w[%d] = %g, want %g", impl.Name, i, gw[i], wantW2[i])
			}
			if i := sameUpToNaN(gv, wantV2); i >= 0 {
				t.Fatalf("%s momentum cols: v[%d] = %g, want %g", impl.Name, i, gv[i], wantV2[i])
			}
			checkSums(t, impl.Name+" momentum cols", gy, wantY2)
			sameZ(impl.Name+" momentum", gz, wantZ2)
			gw, gy, gz = append([]float32(nil), w...), make([]float64, rows), make([]float64, cols)
			impl.PathSGD(gy, gz, gw, g, ld, rs, cs, x, u)
			if i := sameUpToNaN(gw, wantW3); i >= 0 {
				t.Fatalf("%s cols: w[%d] = %g, want %g", impl.Name, i, gw[i], wantW3[i])
			}
			checkSums(t, impl.Name+" cols", gy, wantY3)
			sameZ(impl.Name, gz, wantZ3)

			gw, gv, gy = append([]float32(nil), w...), append([]float32(nil), v...), make([]float64, rows)
			impl.PathSGDMomentum(gy, nil, gw, g, gv, ld, rs, cs, x, nil, lr, mu)
			if i := sameUpToNaN(gw, wantW); i >= 0 {
				t.Fatalf("%s momentum: w[%d] = %g, want %g", impl.Name, i, gw[i], wantW[i])
			}
			if i := sameUpToNaN(gv, wantV); i >= 0 {
				t.Fatalf("%s momentum: v[%d] = %g, want %g", impl.Name, i, gv[i], wantV[i])
			}
			checkSums(t, impl.Name, gy, wantY)
			gw, gy = append([]float32(nil), w...), make([]float64, rows)
			impl.PathSGD(gy, nil, gw, g, ld, rs, cs, x, nil)
			if i := sameUpToNaN(gw, wantW1); i >= 0 {
				t.Fatalf("%s: w[%d] = %g, want %g", impl.Name, i, gw[i], wantW1[i])
			}
			checkSums(t, impl.Name, gy, wantY1)

			// Without the sums: the same weights (and velocity).
			gw, gv = append([]float32(nil), w...), append([]float32(nil), v...)
			impl.PathSGDMomentum(nil, nil, gw, g, gv, ld, rs, cs, nil, nil, lr, mu)
			if i := sameUpToNaN(gw, wantW); i >= 0 {
				t.Fatalf("%s momentum plain: w[%d] = %g, want %g", impl.Name, i, gw[i], wantW[i])
			}
			if i := sameUpToNaN(gv, wantV); i >= 0 {
				t.Fatalf("%s momentum plain: v[%d] = %g, want %g", impl.Name, i, gv[i], wantV[i])
			}
			gw = append([]float32(nil), w...)
			impl.PathSGD(nil, nil, gw, g, ld, rs, cs, nil, nil)
			if i := sameUpToNaN(gw, wantW1); i >= 0 {
				t.Fatalf("%s plain: w[%d] = %g, want %g", impl.Name, i, gw[i], wantW1[i])
			}
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
// largest layer (4000 x 4000, 64 MB of weights) and one in L2, with and
// without the column sums (colsums=true: z += (W∘W)^T u as well; z is
// read and written once per row, from cache, and not counted), and the
// update alone (sums=none: y nil).
func BenchmarkPathSGD(b *testing.B) {
	benchImpls(b, func(b *testing.B, impl *Impl) {
		for _, sz := range pathSizes {
			rows, cols := sz[0], sz[1]
			for _, c := range [][3]bool{{false, false, false}, {true, false, false}, {false, true, false}, {true, true, false}, {false, false, true}, {true, false, true}} {
				mom, colSums, plain := c[0], c[1], c[2]
				name := fmt.Sprintf("rows=%d/cols=%d/momentum=%v/colsums=%v", rows, cols, mom, colSums)
				if plain {
					name = fmt.Sprintf("rows=%d/cols=%d/momentum=%v/sums=none", rows, cols, mom)
				}
				b.Run(name, func(b *testing.B) {
					w, g, v := randBench32(rows*cols, 1), randBench32(rows*cols, 2), make([]float32, rows*cols)
					rs, cs := make([]float32, rows), make([]float32, cols)
					for i := range rs {
						rs[i] = 1e-7
					}
					for i := range cs {
						cs[i] = 1
					}
					x, y := randBench64(cols, 4), make([]float64, rows)
					var z, u []float64
					if colSums {
						z, u = make([]float64, cols), randBench64(rows, 5)
					}
					if plain {
						x, y = nil, nil
					}
					bytes := 12 * rows * cols
					if mom {
						bytes += 8 * rows * cols
					}
					b.SetBytes(int64(bytes))
					b.ReportAllocs()
					for b.Loop() {
						if mom {
							impl.PathSGDMomentum(y, z, w, g, v, cols, rs, cs, x, u, 1e-7, 0.9)
						} else {
							impl.PathSGD(y, z, w, g, cols, rs, cs, x, u)
						}
					}
				})
			}
		}
	})
}
