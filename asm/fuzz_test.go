package asm

import (
	"fmt"
	"math"
	"testing"
)

// Differential fuzzing of the SIMD kernels against their generic twins. The
// operands are decoded from the fuzz bytes as raw float bit patterns, so NaN
// payloads, infinities, denormals and huge values all occur.
//
// The kernels sum products in different orders and with or without fused
// multiply-adds, so results are compared through sumOracle rather than bit
// for bit: a float64 reference with Higham's k-scaled bound for finite sums,
// and an exact classification (NaN, +Inf, -Inf, finite) whenever no finite
// term can overflow. When finite terms can overflow, the classification
// itself depends on the evaluation order (fl(a*b) overflows where
// fma(a, b, s) may not), and only the NaNs that every order must produce are
// checked.

// sumOracle describes a sum of products evaluated in an unspecified order.
type sumOracle struct {
	n                int     // number of terms
	ref, comp        float64 // compensated sum of the finite terms
	mag              float64 // sum of the magnitudes of the finite terms
	nan, pInf, nInf  bool    // a NaN term (NaN operand or Inf*0), a +Inf term, a -Inf term
	u, tiny, maxSafe float64 // unit roundoff, underflow allowance per operation, overflow-free limit of mag
}

func newOracle32() sumOracle {
	return sumOracle{u: 0x1p-24, tiny: 0x1p-149, maxSafe: math.MaxFloat32 / 4}
}

func newOracle64() sumOracle {
	return sumOracle{u: 0x1p-53, tiny: 0x1p-1074, maxSafe: math.MaxFloat64 / 4}
}

// add adds the term a*b; float32 operands are passed widened, and their
// product is then exact.
func (o *sumOracle) add(a, b float64) {
	o.n++
	switch {
	case math.IsNaN(a) || math.IsNaN(b):
		o.nan = true
	case math.IsInf(a, 0) || math.IsInf(b, 0):
		switch {
		case a == 0 || b == 0:
			o.nan = true
		case (a > 0) == (b > 0):
			o.pInf = true
		default:
			o.nInf = true
		}
	default:
		p := a * b
		e := math.FMA(a, b, -p) // p + e is the exact product (when p is finite)
		for _, v := range [2]float64{p, e} {
			y := v - o.comp
			t := o.ref + y
			o.comp = (t - o.ref) - y
			o.ref = t
		}
		o.mag += math.Abs(p)
	}
}

// check reports why got is not an acceptable value of the sum (after
// max(0, ·) when relu is set), or "" if it is.
func (o *sumOracle) check(got float64, relu bool) string {
	mustNaN := o.nan || (o.pInf && o.nInf)
	safe := o.mag < o.maxSafe // no finite term or partial sum can overflow
	isPosZero := got == 0 && !math.Signbit(got)
	switch {
	case mustNaN && relu:
		if !isPosZero {
			return "want +0 (relu of NaN)"
		}
	case mustNaN:
		if !math.IsNaN(got) {
			return "want NaN"
		}
	case !safe:
		// Overflow possible: the result depends on the evaluation order.
	case o.pInf:
		if !math.IsInf(got, 1) {
			return "want +Inf"
		}
	case o.nInf && relu:
		if !isPosZero {
			return "want +0 (relu of -Inf)"
		}
	case o.nInf:
		if !math.IsInf(got, -1) {
			return "want -Inf"
		}
	default:
		tol := 2*float64(o.n+1)*o.u*o.mag + 2*float64(o.n+1)*o.tiny
		ref := o.ref
		switch {
		case math.IsNaN(got) || math.IsInf(got, 0):
			return fmt.Sprintf("want finite %g", ref)
		case relu && ref < -tol:
			if !isPosZero {
				return "want +0 (relu of a negative sum)"
			}
		case relu && ref <= tol:
			if math.Signbit(got) || got > ref+tol {
				return fmt.Sprintf("want a value in [+0, %g]", ref+tol)
			}
		case math.Abs(got-ref) > tol:
			return fmt.Sprintf("want %g ± %g", ref, tol)
		}
	}
	return ""
}

// bytesToFloat64 decodes little-endian float64 bit patterns.
func bytesToFloat64(data []byte) []float64 {
	x := make([]float64, len(data)/8)
	for i := range x {
		var b uint64
		for j := 7; j >= 0; j-- {
			b = b<<8 | uint64(data[8*i+j])
		}
		x[i] = math.Float64frombits(b)
	}
	return x
}

// cycler hands out the decoded values in turn, wrapping around (zeros if
// there are none).
type cycler[T float32 | float64] struct {
	vals []T
	i    int
}

func (c *cycler[T]) next() T {
	if len(c.vals) == 0 {
		return 0
	}
	v := c.vals[c.i%len(c.vals)]
	c.i++
	return v
}

func (c *cycler[T]) fill(s []T) {
	for i := range s {
		s[i] = c.next()
	}
}

func FuzzSgemmMicro(f *testing.F) {
	f.Add(uint8(3), uint8(0), []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0x7f, 1, 0, 0, 0})
	f.Add(uint8(17), uint8(7), []byte{0xff, 0xff, 0x7f, 0x7f, 0, 0, 0x80, 0xff, 0, 0, 0, 0x80, 0x33, 0x33, 0x33, 0x3f})
	f.Add(uint8(64), uint8(0x0e), []byte{0xcd, 0xcc, 0xcc, 0x3d, 0x00, 0x00, 0x20, 0xc1, 0x01, 0x00, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, kByte, flagsByte uint8, data []byte) {
		vals := bytesToFloat32(data)
		k := int(kByte)
		flags := GemmFlags(flagsByte & 7)
		for _, impl := range AvailableImpls() {
			mr, nr := impl.SMR, impl.SNR
			ldc := nr + int(flagsByte>>3)%3
			src := cycler[float32]{vals: vals}
			a, b, bias := make([]float32, k*mr), make([]float32, k*nr), make([]float32, nr)
			src.fill(a)
			src.fill(b)
			src.fill(bias)
			c0 := make([]float32, (mr-1)*ldc+nr)
			for i := range c0 {
				switch {
				case i%ldc >= nr:
					c0[i] = sentinel32 // gap between rows, never touched
				case flags&Accumulate != 0:
					c0[i] = src.next()
				default:
					c0[i] = float32(math.NaN()) // never read
				}
			}
			got := append([]float32(nil), c0...)
			twin := append([]float32(nil), c0...)
			impl.Sgemm(k, a, b, got, ldc, bias, flags)
			sgemmMicroRef(mr, nr, k, a, b, twin, ldc, bias, flags)
			for i := 0; i < mr; i++ {
				for j := 0; j < ldc; j++ {
					idx := i*ldc + j
					if j >= nr {
						if idx < len(got) && math.Float32bits(got[idx]) != math.Float32bits(sentinel32) {
							t.Fatalf("%s k=%d ldc=%d: gap C[%d][%d] overwritten", impl.Name, k, ldc, i, j)
						}
						continue
					}
					o := newOracle32()
					for p := 0; p < k; p++ {
						o.add(float64(a[p*mr+i]), float64(b[p*nr+j]))
					}
					if flags&Accumulate != 0 {
						o.add(float64(c0[idx]), 1)
					}
					if flags&AddBias != 0 {
						o.add(float64(bias[j]), 1)
					}
					relu := flags&ReLU != 0
					if why := o.check(float64(got[idx]), relu); why != "" {
						t.Fatalf("%s k=%d flags=%d: C[%d][%d] = %g (generic twin %g): %s", impl.Name, k, flags, i, j, got[idx], twin[idx], why)
					}
					if why := o.check(float64(twin[idx]), relu); why != "" {
						t.Fatalf("sgemmMicroRef k=%d flags=%d: C[%d][%d] = %g: %s", k, flags, i, j, twin[idx], why)
					}
				}
			}
		}
	})
}

func FuzzDgemmMicro(f *testing.F) {
	f.Add(uint8(3), uint8(0), []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f})
	f.Add(uint8(9), uint8(7), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f, 1, 0, 0, 0, 0, 0, 0, 0x80})
	f.Fuzz(func(t *testing.T, kByte, flagsByte uint8, data []byte) {
		vals := bytesToFloat64(data)
		k := int(kByte)
		flags := GemmFlags(flagsByte & 7)
		for _, impl := range AvailableImpls() {
			mr, nr := impl.DMR, impl.DNR
			ldc := nr + int(flagsByte>>3)%3
			src := cycler[float64]{vals: vals}
			a, b, bias := make([]float64, k*mr), make([]float64, k*nr), make([]float64, nr)
			src.fill(a)
			src.fill(b)
			src.fill(bias)
			c0 := make([]float64, (mr-1)*ldc+nr)
			for i := range c0 {
				switch {
				case i%ldc >= nr:
					c0[i] = sentinel64
				case flags&Accumulate != 0:
					c0[i] = src.next()
				default:
					c0[i] = math.NaN()
				}
			}
			got := append([]float64(nil), c0...)
			twin := append([]float64(nil), c0...)
			impl.Dgemm(k, a, b, got, ldc, bias, flags)
			dgemmMicroRef(mr, nr, k, a, b, twin, ldc, bias, flags)
			for i := 0; i < mr; i++ {
				for j := 0; j < ldc; j++ {
					idx := i*ldc + j
					if j >= nr {
						if idx < len(got) && math.Float64bits(got[idx]) != math.Float64bits(sentinel64) {
							t.Fatalf("%s k=%d ldc=%d: gap C[%d][%d] overwritten", impl.Name, k, ldc, i, j)
						}
						continue
					}
					o := newOracle64()
					for p := 0; p < k; p++ {
						o.add(a[p*mr+i], b[p*nr+j])
					}
					if flags&Accumulate != 0 {
						o.add(c0[idx], 1)
					}
					if flags&AddBias != 0 {
						o.add(bias[j], 1)
					}
					relu := flags&ReLU != 0
					if why := o.check(got[idx], relu); why != "" {
						t.Fatalf("%s k=%d flags=%d: C[%d][%d] = %g (generic twin %g): %s", impl.Name, k, flags, i, j, got[idx], twin[idx], why)
					}
					if why := o.check(twin[idx], relu); why != "" {
						t.Fatalf("dgemmMicroRef k=%d flags=%d: C[%d][%d] = %g: %s", k, flags, i, j, twin[idx], why)
					}
				}
			}
		}
	})
}

func FuzzDot(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x80, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(make([]byte, 8*67))
	f.Fuzz(func(t *testing.T, data []byte) {
		xs := bytesToFloat32(data)
		n := len(xs) / 2
		x32, y32 := xs[:n], xs[n:2*n]
		xd := bytesToFloat64(data)
		m := len(xd) / 2
		x64, y64 := xd[:m], xd[m:2*m]
		o32, o64 := newOracle32(), newOracle64()
		for i := range x32 {
			o32.add(float64(x32[i]), float64(y32[i]))
		}
		for i := range x64 {
			o64.add(x64[i], y64[i])
		}
		s32, s64 := sdotGeneric(x32, y32), ddotGeneric(x64, y64)
		for _, impl := range AvailableImpls() {
			if got := impl.SDot(x32, y32); o32.check(float64(got), false) != "" || o32.check(float64(s32), false) != "" {
				t.Fatalf("%s SDot n=%d = %g, generic %g: %s / %s", impl.Name, n, got, s32,
					o32.check(float64(got), false), o32.check(float64(s32), false))
			}
			if got := impl.DDot(x64, y64); o64.check(got, false) != "" || o64.check(s64, false) != "" {
				t.Fatalf("%s DDot n=%d = %g, generic %g: %s / %s", impl.Name, m, got, s64,
					o64.check(got, false), o64.check(s64, false))
			}
		}
	})
}

func FuzzAxpy(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0x3f, 0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x80, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(make([]byte, 8*71))
	f.Fuzz(func(t *testing.T, data []byte) {
		xs := bytesToFloat32(data)
		xd := bytesToFloat64(data)
		for _, impl := range AvailableImpls() {
			if len(xs) > 0 {
				alpha, rest := xs[0], xs[1:]
				n := len(rest) / 2
				x, y0 := rest[:n], rest[n:2*n]
				got := append([]float32(nil), y0...)
				twin := append([]float32(nil), y0...)
				impl.SAxpy(alpha, x, got)
				saxpyGeneric(alpha, x, twin)
				for i := range got {
					o := newOracle32()
					o.add(float64(alpha), float64(x[i]))
					o.add(float64(y0[i]), 1)
					if why := o.check(float64(got[i]), false); why != "" {
						t.Fatalf("%s SAxpy(%g): %g + %g*%g = %g (generic %g): %s", impl.Name, alpha, y0[i], alpha, x[i], got[i], twin[i], why)
					}
					if why := o.check(float64(twin[i]), false); why != "" {
						t.Fatalf("saxpyGeneric(%g): %g + %g*%g = %g: %s", alpha, y0[i], alpha, x[i], twin[i], why)
					}
				}
			}
			if len(xd) > 0 {
				alpha, rest := xd[0], xd[1:]
				n := len(rest) / 2
				x, y0 := rest[:n], rest[n:2*n]
				got := append([]float64(nil), y0...)
				twin := append([]float64(nil), y0...)
				impl.DAxpy(alpha, x, got)
				daxpyGeneric(alpha, x, twin)
				for i := range got {
					o := newOracle64()
					o.add(alpha, x[i])
					o.add(y0[i], 1)
					if why := o.check(got[i], false); why != "" {
						t.Fatalf("%s DAxpy(%g): %g + %g*%g = %g (generic %g): %s", impl.Name, alpha, y0[i], alpha, x[i], got[i], twin[i], why)
					}
					if why := o.check(twin[i], false); why != "" {
						t.Fatalf("daxpyGeneric(%g): %g + %g*%g = %g: %s", alpha, y0[i], alpha, x[i], twin[i], why)
					}
				}
			}
		}
	})
}

// FuzzGemvN4 checks the four-row dot products of every implementation
// against the oracle: the fuzz bytes give four rows and x (float64), the
// row length being a fifth of the values.
func FuzzGemvN4(f *testing.F) {
	f.Add(make([]byte, 8*5*13))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f})
	f.Fuzz(func(t *testing.T, data []byte) {
		v := bytesToFloat64(data)
		n := len(v) / 5
		a, x := v[:4*n], v[4*n:5*n]
		for _, impl := range AvailableImpls() {
			var got [4]float64
			impl.DGemvN4(n, a, n, x, &got)
			for r := range 4 {
				o := newOracle64()
				for j := range n {
					o.add(a[r*n+j], x[j])
				}
				if why := o.check(got[r], false); why != "" {
					t.Fatalf("%s DGemvN4 n=%d row %d = %g: %s", impl.Name, n, r, got[r], why)
				}
			}
		}
	})
}

// FuzzIDamax checks every implementation's IDamax against the BLAS
// definition on raw float64 bit patterns (NaN payloads, infinities, -0,
// denormals).
func FuzzIDamax(f *testing.F) {
	f.Add(make([]byte, 8*21))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x40})
	f.Fuzz(func(t *testing.T, data []byte) {
		x := bytesToFloat64(data)
		want := idamaxGeneric(x)
		for _, impl := range AvailableImpls() {
			if got := impl.IDamax(x); got != want {
				t.Fatalf("%s IDamax(%v) = %d, want %d", impl.Name, x, got, want)
			}
		}
	})
}

// FuzzSgemmDirect compares the direct float32 kernels (both operands read in
// place) with the float64 oracle and with sgemmDirectRef on operands decoded
// from the fuzz bytes: the tile size, A's layout (A or Aᵀ) and Accumulate
// come from shape, alpha is 1 (so that the oracle's sum is the result).
func FuzzSgemmDirect(f *testing.F) {
	f.Add(uint8(3), uint8(0x25), []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0x7f, 1, 0, 0, 0})
	f.Add(uint8(17), uint8(0xf3), []byte{0xff, 0xff, 0x7f, 0x7f, 0, 0, 0x80, 0xff, 0, 0, 0, 0x80, 0x33, 0x33, 0x33, 0x3f})
	f.Add(uint8(64), uint8(0x8e), []byte{0xcd, 0xcc, 0xcc, 0x3d, 0x00, 0x00, 0x20, 0xc1, 0x01, 0x00, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, kByte, shape uint8, data []byte) {
		vals := bytesToFloat32(data)
		k := max(int(kByte), 1)
		flags := GemmFlags(shape & 1)
		trans := shape&2 != 0
		for _, impl := range AvailableImpls() {
			if impl.SgemmDirect == nil {
				continue
			}
			rows := 1 + int(shape>>2)%impl.DirectMR
			cols := 1 + int(shape>>2)*7%impl.SDirectNR
			ars, aks, la := k+1, 1, (rows-1)*(k+1)+k
			if trans {
				ars, aks, la = 1, rows+1, (k-1)*(rows+1)+rows
			}
			ldb, ldc := cols+3, cols+2
			src := cycler[float32]{vals: vals}
			a, b := make([]float32, la), make([]float32, (k-1)*ldb+cols)
			src.fill(a)
			src.fill(b)
			c0 := make([]float32, (rows-1)*ldc+cols)
			for i := range c0 {
				switch {
				case i%ldc >= cols:
					c0[i] = sentinel32 // gap between rows, never touched
				case flags&Accumulate != 0:
					c0[i] = src.next()
				default:
					c0[i] = float32(math.NaN()) // never read
				}
			}
			got := append([]float32(nil), c0...)
			twin := append([]float32(nil), c0...)
			impl.SgemmDirect(rows, cols, k, a, ars, aks, b, ldb, got, ldc, 1, flags)
			sgemmDirectRef(rows, cols, k, a, ars, aks, b, ldb, twin, ldc, 1, flags)
			for i := 0; i < rows; i++ {
				for j := 0; j < ldc && i*ldc+j < len(got); j++ {
					idx := i*ldc + j
					if j >= cols {
						if math.Float32bits(got[idx]) != math.Float32bits(sentinel32) {
							t.Fatalf("%s rows=%d cols=%d k=%d: gap C[%d][%d] overwritten", impl.Name, rows, cols, k, i, j)
						}
						continue
					}
					o := newOracle32()
					for p := 0; p < k; p++ {
						o.add(float64(a[i*ars+p*aks]), float64(b[p*ldb+j]))
					}
					if flags&Accumulate != 0 {
						o.add(float64(c0[idx]), 1)
					}
					if why := o.check(float64(got[idx]), false); why != "" {
						t.Fatalf("%s rows=%d cols=%d k=%d trans=%v flags=%d: C[%d][%d] = %g (reference loop %g): %s", impl.Name, rows, cols, k, trans, flags, i, j, got[idx], twin[idx], why)
					}
					if why := o.check(float64(twin[idx]), false); why != "" {
						t.Fatalf("sgemmDirectRef rows=%d cols=%d k=%d: C[%d][%d] = %g: %s", rows, cols, k, i, j, twin[idx], why)
					}
				}
			}
		}
	})
}

// FuzzSgemmDot and FuzzDgemmDot run every dot-product kernel on fuzzed
// values (NaN, Inf, huge and tiny included) against the oracle of the
// exact sum: tile sizes and depths from the shape bytes, Accumulate,
// AddBias and ReLU from the flags; NaN in C without Accumulate and
// sentinels in the gaps of C must not leak.
func FuzzSgemmDot(f *testing.F) {
	dotFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, kByte, shape uint8, data []byte) {
		for _, impl := range AvailableImpls() {
			if impl.SgemmDot != nil {
				fuzzDot(t, impl.Name, impl.DotMR, impl.DotNR, kByte, shape, bytesToFloat32(data), sentinel32, newOracle32, impl.SgemmDot)
			}
		}
	})
}

func FuzzDgemmDot(f *testing.F) {
	dotFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, kByte, shape uint8, data []byte) {
		for _, impl := range AvailableImpls() {
			if impl.DgemmDot != nil {
				fuzzDot(t, impl.Name, impl.DDotMR, impl.DDotNR, kByte, shape, bytesToFloat64(data), sentinel64, newOracle64, impl.DgemmDot)
			}
		}
	})
}

func dotFuzzSeeds(f *testing.F) {
	f.Add(uint8(3), uint8(0x25), []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0x7f, 1, 0, 0, 0})
	f.Add(uint8(17), uint8(0xf3), []byte{0xff, 0xff, 0x7f, 0x7f, 0, 0, 0x80, 0xff, 0, 0, 0, 0x80, 0x33, 0x33, 0x33, 0x3f})
	f.Add(uint8(100), uint8(0x8e), []byte{0xcd, 0xcc, 0xcc, 0x3d, 0x00, 0x00, 0x20, 0xc1, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f})
}

func fuzzDot[T float32 | float64](t *testing.T, name string, mr, nr int, kByte, shape uint8, vals []T, sentinel T, oracle func() sumOracle,
	kern func(rows, cols, k int, a []T, lda int, b []T, ldb int, c []T, ldc int, bias []T, alpha T, flags GemmFlags)) {
	k := max(int(kByte), 1)
	flags := GemmFlags(shape & 7)
	rows := 1 + int(shape>>3)%mr
	cols := 1 + int(shape>>5)%nr
	lda, ldb, ldc := k+1, k+3, cols+2
	src := cycler[T]{vals: vals}
	a, b, bias := make([]T, (rows-1)*lda+k), make([]T, (cols-1)*ldb+k), make([]T, cols)
	src.fill(a)
	src.fill(b)
	src.fill(bias)
	c0 := make([]T, (rows-1)*ldc+cols)
	for i := range c0 {
		switch {
		case i%ldc >= cols:
			c0[i] = sentinel
		case flags&Accumulate != 0:
			c0[i] = src.next()
		default:
			c0[i] = T(math.NaN())
		}
	}
	got := append([]T(nil), c0...)
	kern(rows, cols, k, a, lda, b, ldb, got, ldc, bias, 1, flags)
	same := func(x, y T) bool { return x == y || x != x && y != y }
	for i := 0; i < rows; i++ {
		for j := 0; j < ldc && i*ldc+j < len(got); j++ {
			idx := i*ldc + j
			if j >= cols {
				if !same(got[idx], sentinel) {
					t.Fatalf("%s rows=%d cols=%d k=%d: gap C[%d][%d] overwritten", name, rows, cols, k, i, j)
				}
				continue
			}
			o := oracle()
			for p := 0; p < k; p++ {
				o.add(float64(a[i*lda+p]), float64(b[j*ldb+p]))
			}
			if flags&Accumulate != 0 {
				o.add(float64(c0[idx]), 1)
			}
			if flags&AddBias != 0 {
				o.add(float64(bias[j]), 1)
			}
			if why := o.check(float64(got[idx]), flags&ReLU != 0); why != "" {
				t.Fatalf("%s rows=%d cols=%d k=%d flags=%d: C[%d][%d] = %g: %s", name, rows, cols, k, flags, i, j, float64(got[idx]), why)
			}
		}
	}
}
