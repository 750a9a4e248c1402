package asm

import (
	"math"
	"testing"
)

// TestSgemmLow checks every implementation's low-row kernels (packed and
// in place) against their pure-Go specification (sgemmLowRef, to
// rounding: it does not fuse the multiply-adds), against the full kernel
// of the same shape bit for bit (the
// engine relies on that: a tile's values must not depend on which kernel
// computed it) and against sgemmLowRef's definition in float64: depths
// around the unrolling, NaN in the A panel's rows past low (never read),
// in B past the columns (in place) and in C before the call, a prefetch
// stream, guards around C; short operands panic.
func TestSgemmLow(t *testing.T) {
	for _, impl := range AvailableImpls() {
		low, packed, strided := impl.SgemmLowFor(impl.SMR)
		if packed == nil {
			if impl.Name == "avx2" {
				t.Fatal("avx2: no low-row kernels")
			}
			continue
		}
		mr, nr := impl.SMR, impl.SNR
		if got, _, _ := impl.SgemmLowFor(impl.SMR + 1); got != 0 {
			t.Fatalf("%s: low-row kernels offered for another kernel shape", impl.Name)
		}
		r := newRand(uint64(91 + mr))
		for _, k := range []int{0, 1, 3, 4, 5, 8, 9, 17, 64, 203} {
			a := make([]float32, k*mr)
			for p := range k {
				for i := range mr {
					a[p*mr+i] = float32(math.NaN())
					if i < low {
						a[p*mr+i] = float32(r.NormFloat64())
					}
				}
			}
			ldb := nr + 5
			bs := make([]float32, max(k*ldb, 1))
			bp := make([]float32, k*nr)
			for p := range k {
				for j := range ldb {
					bs[p*ldb+j] = float32(math.NaN())
					if j < nr {
						x := float32(r.NormFloat64())
						bs[p*ldb+j], bp[p*nr+j] = x, x
					}
				}
			}
			// The full kernel's tile, rows past low zeroed in A.
			a0 := append([]float32(nil), a...)
			for p := range k {
				for i := low; i < mr; i++ {
					a0[p*mr+i] = 0
				}
			}
			full := make([]float32, mr*nr)
			impl.Sgemm(k, a0, bp, full, nr, nil, 0)
			// The pure-Go specification, the oracle beside the float64 sums.
			ref := make([]float32, low*nr)
			sgemmLowRef(mr, nr, low, k, a, bp, nr, ref, nr)
			ldc := nr + 3
			for _, inPlace := range []bool{false, true} {
				c, intact := guarded32((low-1)*ldc + nr)
				for i := range c {
					c[i] = float32(math.NaN())
					if i%ldc >= nr {
						c[i] = sentinel32
					}
				}
				if inPlace {
					pf := make([]float32, 40*ldb)
					strided(k, a, bs[:max((k-1)*ldb+nr, 0)], ldb, c, ldc, pf, 40)
				} else {
					packed(k, a, bp, c, ldc)
				}
				if !intact() {
					t.Fatalf("%s k=%d inPlace=%v: wrote outside C", impl.Name, k, inPlace)
				}
				for i := range low {
					for j := range ldc {
						idx := i*ldc + j
						if idx >= len(c) {
							continue
						}
						if j >= nr {
							if c[idx] != sentinel32 {
								t.Fatalf("%s k=%d: C[%d][%d] past the tile written", impl.Name, k, i, j)
							}
							continue
						}
						if math.Float32bits(c[idx]) != math.Float32bits(full[i*nr+j]) {
							t.Fatalf("%s k=%d inPlace=%v: C[%d][%d] = %v, the full kernel %v", impl.Name, k, inPlace, i, j, c[idx], full[i*nr+j])
						}
						var s, mag float64
						for p := range k {
							x := float64(a[p*mr+i]) * float64(bp[p*nr+j])
							s += x
							mag += math.Abs(x)
						}
						if got := float64(c[idx]); math.IsNaN(got) || math.Abs(got-s) > float64(k+2)*0x1p-23*mag+1e-30 {
							t.Fatalf("%s k=%d inPlace=%v: C[%d][%d] = %v, want %v", impl.Name, k, inPlace, i, j, got, s)
						}
						if got, want := float64(c[idx]), float64(ref[i*nr+j]); math.Abs(got-want) > 2*float64(k+2)*0x1p-23*mag+1e-30 {
							t.Fatalf("%s k=%d inPlace=%v: C[%d][%d] = %v, sgemmLowRef %v", impl.Name, k, inPlace, i, j, got, want)
						}
					}
				}
			}
		}
		for name, f := range map[string]func(){
			"short a": func() { packed(3, make([]float32, 3*mr-1), make([]float32, 3*nr), make([]float32, low*nr), nr) },
			"short b": func() { packed(3, make([]float32, 3*mr), make([]float32, 3*nr-1), make([]float32, low*nr), nr) },
			"short c": func() { packed(3, make([]float32, 3*mr), make([]float32, 3*nr), make([]float32, low*nr-1), nr) },
			"small ldb": func() {
				strided(3, make([]float32, 3*mr), make([]float32, 3*nr), nr-1, make([]float32, low*nr), nr, nil, 0)
			},
			"prefetch": func() {
				strided(3, make([]float32, 3*mr), make([]float32, 3*nr), nr, make([]float32, low*nr), nr, make([]float32, nr), 2)
			},
		} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s: %s did not panic", impl.Name, name)
					}
				}()
				f()
			}()
		}
	}
	// The specification against the full kernel's: its rows are the first
	// low rows of sgemmMicroRef's.
	r := newRand(6)
	a, b := make([]float32, 7*6), make([]float32, 7*8)
	randSlice32(r, a)
	randSlice32(r, b)
	full, lowc := make([]float32, 6*8), make([]float32, 4*8)
	sgemmMicroRef(6, 8, 7, a, b, full, 8, nil, 0)
	sgemmLowRef(6, 8, 4, 7, a, b, 8, lowc, 8)
	for i := range 4 {
		for j := range 8 {
			if lowc[i*8+j] != full[i*8+j] {
				t.Fatalf("sgemmLowRef[%d][%d] = %v, sgemmMicroRef %v", i, j, lowc[i*8+j], full[i*8+j])
			}
		}
	}
}
