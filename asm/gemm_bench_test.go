package asm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkSgemmMicro times the float32 micro-kernel on packed panels that
// stay in L1 (k = 256), the inner loop of the blocked GEMM; epilogue=scalec
// is the ScaleC epilogue (C scaled by beta as it is accumulated) where the
// implementation has it.
func BenchmarkSgemmMicro(b *testing.B) {
	for _, impl := range AvailableImpls() {
		for _, k := range []int{64, 256} {
			for _, ep := range []string{"acc", "scalec", "descend"} {
				if ep == "scalec" && !impl.SgemmScaleC || ep == "descend" && impl.SgemmDescend == nil {
					continue
				}
				name := fmt.Sprintf("impl=%s/k=%d", impl.Name, k)
				if ep != "acc" {
					name += "/epilogue=" + ep
				}
				b.Run(name, func(b *testing.B) {
					mr, nr := impl.SMR, impl.SNR
					r := newRand(1)
					pa, pb := make([]float32, k*mr), make([]float32, k*nr)
					randSlice32(r, pa)
					randSlice32(r, pb)
					c := make([]float32, mr*nr)
					flags, beta := Accumulate, []float32(nil)
					if ep == "scalec" {
						// beta = 1 keeps C bounded over the iterations.
						flags, beta = Accumulate|ScaleC, []float32{1}
					}
					// descend: the step on a W tile beside C, lr = 0 so
					// that W stays bounded over the iterations.
					w, coef := make([]float32, mr*nr), []float32{1, 0, 0}
					if ep == "descend" && impl.SgemmScaleC {
						flags = Accumulate | ScaleC
					}
					b.ReportAllocs()
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if ep == "descend" {
							impl.SgemmDescend(k, pa, pb, c, nr, w, coef, flags)
							continue
						}
						impl.Sgemm(k, pa, pb, c, nr, beta, flags)
					}
					b.ReportMetric(float64(2*mr*nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkDgemmMicro is BenchmarkSgemmMicro for float64.
func BenchmarkDgemmMicro(b *testing.B) {
	for _, impl := range AvailableImpls() {
		for _, k := range []int{64, 256} {
			b.Run(fmt.Sprintf("impl=%s/k=%d", impl.Name, k), func(b *testing.B) {
				mr, nr := impl.DMR, impl.DNR
				r := newRand(1)
				pa, pb := make([]float64, k*mr), make([]float64, k*nr)
				randSlice64(r, pa)
				randSlice64(r, pb)
				c := make([]float64, mr*nr)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					impl.Dgemm(k, pa, pb, c, nr, nil, Accumulate)
				}
				b.ReportMetric(float64(2*mr*nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkSgemmStridedMicro times the float32 micro-kernels that read B in
// place (kernel=strided, B rows 4000 values apart as in a 784x4000 weight
// matrix; the panel stays in L1 after the first call) and the alternative
// 8-row shape (kernel=alt, alt-strided), k = 256, beside the packed kernel
// (kernel=packed) in one run.
func BenchmarkSgemmStridedMicro(b *testing.B) {
	for _, impl := range AvailableImpls() {
		vs := []microVariant[float32]{{"packed", impl.SMR, impl.Sgemm, nil, false}, {"strided", impl.SMR, nil, impl.SgemmStrided, false}, {"strided-pf", impl.SMR, nil, impl.SgemmStrided, true}}
		if impl.SMRAlt > 0 {
			vs = append(vs, microVariant[float32]{"alt", impl.SMRAlt, impl.SgemmAlt, nil, false}, microVariant[float32]{"alt-strided", impl.SMRAlt, nil, impl.SgemmStridedAlt, false})
		}
		benchStridedMicro(b, impl.Name, impl.SNR, vs, randSlice32)
	}
}

// BenchmarkDgemmStridedMicro is BenchmarkSgemmStridedMicro for the float64
// kernels (the alternative shape: 8x16 beside 10x16 with AVX-512).
func BenchmarkDgemmStridedMicro(b *testing.B) {
	for _, impl := range AvailableImpls() {
		vs := []microVariant[float64]{{"packed", impl.DMR, impl.Dgemm, nil, false}, {"strided", impl.DMR, nil, impl.DgemmStrided, false}, {"strided-pf", impl.DMR, nil, impl.DgemmStrided, true}}
		if impl.DMRAlt > 0 {
			vs = append(vs, microVariant[float64]{"alt", impl.DMRAlt, impl.DgemmAlt, nil, false}, microVariant[float64]{"alt-strided", impl.DMRAlt, nil, impl.DgemmStridedAlt, false})
		}
		benchStridedMicro(b, impl.Name, impl.DNR, vs, randSlice64)
	}
}

// microVariant is one micro-kernel under BenchmarkSgemmStridedMicro or
// BenchmarkDgemmStridedMicro: packed, or (stride not nil) reading B in
// place; pf: the in-place kernel also prefetches a stream of k rows (the
// same rows of B, 64 bytes to the right: lines already in cache, so
// kernel=strided-pf shows what the prefetch instructions cost).
type microVariant[T float32 | float64] struct {
	name   string
	mr     int
	packed func(k int, a, b, c []T, ldc int, bias []T, flags GemmFlags)
	stride func(k int, a, b []T, ldb int, c []T, ldc int, bias []T, flags GemmFlags, pf []T, pfRows int)
	pf     bool
}

// benchStridedMicro runs the variants of one implementation, k = 256, B
// rows 4000 values apart for the in-place kernels.
func benchStridedMicro[T float32 | float64](b *testing.B, impl string, nr int, vs []microVariant[T], fill func(*rand.Rand, []T)) {
	const k, ldb = 256, 4000
	for _, v := range vs {
		if v.packed == nil && v.stride == nil {
			continue
		}
		b.Run(fmt.Sprintf("impl=%s/kernel=%s/k=%d", impl, v.name, k), func(b *testing.B) {
			mr := v.mr
			r := newRand(1)
			pa, pb, sb := make([]T, k*mr), make([]T, k*nr), make([]T, (k-1)*ldb+nr)
			fill(r, pa)
			fill(r, pb)
			fill(r, sb)
			c := make([]T, mr*nr)
			pf, pfRows := sb[nr/2:], 0
			if v.pf {
				pfRows = k
			}
			b.ReportAllocs()
			for b.Loop() {
				if v.packed != nil {
					v.packed(k, pa, pb, c, nr, nil, Accumulate)
				} else {
					v.stride(k, pa, sb, ldb, c, nr, nil, Accumulate, pf, pfRows)
				}
			}
			b.ReportMetric(float64(2*mr*nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkSgemmHalfMicro times the half-width edge kernels in L1 beside
// the full kernel of the same shape, in GFLOP/s of the columns each
// computes (the half kernel's 16 of 32):
//
//	go test -run NONE -bench SgemmHalfMicro ./asm
func BenchmarkSgemmHalfMicro(b *testing.B) {
	const k = 256
	for _, impl := range AvailableImpls() {
		for _, v := range []struct {
			name string
			mr   int
			half func(k int, a, b, c []float32, ldc int)
			full func(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags)
		}{{"main", impl.SMR, impl.SgemmHalf, impl.Sgemm}, {"alt", impl.SMRAlt, impl.SgemmHalfAlt, impl.SgemmAlt}} {
			if v.half == nil {
				continue
			}
			for _, which := range []string{"half", "full"} {
				b.Run(fmt.Sprintf("impl=%s/shape=%s/kernel=%s/k=%d", impl.Name, v.name, which, k), func(b *testing.B) {
					mr, nr := v.mr, impl.SNR
					r := newRand(2)
					pa, pb, c := make([]float32, k*mr), make([]float32, k*nr), make([]float32, mr*nr)
					randSlice32(r, pa)
					randSlice32(r, pb)
					cols := nr
					for b.Loop() {
						if which == "half" {
							v.half(k, pa, pb, c, nr)
							cols = nr / 2
						} else {
							v.full(k, pa, pb, c, nr, nil, 0)
						}
					}
					b.ReportMetric(float64(2*mr*cols*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkSgemmLowMicro times the low-row kernels in L1, packed and
// reading B in place (rows ldb = 100 apart), beside the full kernel of the
// same shape, in GFLOP/s of the rows each computes (the low kernel's 4 of
// 6 on AVX2):
//
//	go test -run NONE -bench SgemmLowMicro ./asm
func BenchmarkSgemmLowMicro(b *testing.B) {
	const k, ldb = 256, 100
	for _, impl := range AvailableImpls() {
		low, packed, strided := impl.SgemmLowFor(impl.SMR)
		if packed == nil {
			continue
		}
		for _, which := range []string{"low", "low-strided", "full"} {
			b.Run(fmt.Sprintf("impl=%s/kernel=%s/k=%d", impl.Name, which, k), func(b *testing.B) {
				mr, nr := impl.SMR, impl.SNR
				r := newRand(3)
				pa, pb, bs, c := make([]float32, k*mr), make([]float32, k*nr), make([]float32, k*ldb), make([]float32, mr*nr)
				randSlice32(r, pa)
				randSlice32(r, pb)
				randSlice32(r, bs)
				rows := mr
				for b.Loop() {
					switch which {
					case "low":
						packed(k, pa, pb, c, nr)
						rows = low
					case "low-strided":
						strided(k, pa, bs, ldb, c, nr, nil, 0)
						rows = low
					default:
						impl.Sgemm(k, pa, pb, c, nr, nil, 0)
					}
				}
				b.ReportMetric(float64(2*rows*nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkSgemmHalfMaskMicro times the masked in-place half-width kernels
// in L1 (B rows ldb = 100 apart, as the last panel of a 100-column product),
// in GFLOP/s of the columns they compute:
//
//	go test -run NONE -bench SgemmHalfMaskMicro ./asm
func BenchmarkSgemmHalfMaskMicro(b *testing.B) {
	const k, ldb = 256, 100
	for _, impl := range AvailableImpls() {
		for _, v := range []struct {
			name string
			mr   int
			kern func(k int, a, b []float32, ldb int, c []float32, ldc, cols int)
		}{{"main", impl.SMR, impl.SgemmHalfMask}, {"alt", impl.SMRAlt, impl.SgemmHalfMaskAlt}} {
			if v.kern == nil {
				continue
			}
			for _, cols := range []int{4, impl.SNR / 2} {
				b.Run(fmt.Sprintf("impl=%s/shape=%s/cols=%d/k=%d", impl.Name, v.name, cols, k), func(b *testing.B) {
					h := impl.SNR / 2
					r := newRand(3)
					pa, pb, c := make([]float32, k*v.mr), make([]float32, k*ldb), make([]float32, v.mr*h)
					randSlice32(r, pa)
					randSlice32(r, pb)
					for b.Loop() {
						v.kern(k, pa, pb, ldb, c, h, cols)
					}
					b.ReportMetric(float64(2*v.mr*cols*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkGemmDirectMicro times the direct kernels (both operands read in
// place) on a full tile in L1 and on one a quarter as wide (a last column
// panel: 8 float32 or 4 float64 columns take the AVX-512 kernels' 256-bit
// steps, 1.65-1.7x the 512-bit ones on Zen 4, 870-910 -> 524-570 ns for
// 8x8), k = 256, A read by rows (lda = k), B rows 4000 values apart,
// beside the reference loop they are tested against (impl=ref), in
// GFLOP/s:
//
//	go test -run NONE -bench GemmDirectMicro ./asm
func BenchmarkGemmDirectMicro(b *testing.B) {
	const k, ldb = 256, 4000
	type variant struct {
		name, prec string
		mr, nr     int
		s          func(rows, cols, k int, a []float32, ars, aks int, b []float32, ldb int, c []float32, ldc int, alpha float32, flags GemmFlags)
		d          func(rows, cols, k int, a []float64, ars, aks int, b []float64, ldb int, c []float64, ldc int, alpha float64, flags GemmFlags)
	}
	var vs []variant
	for _, impl := range AvailableImpls() {
		if impl.SgemmDirect != nil {
			vs = append(vs, variant{impl.Name, "s", impl.DirectMR, impl.SDirectNR, impl.SgemmDirect, nil})
		}
		if impl.DgemmDirect != nil {
			vs = append(vs, variant{impl.Name, "d", impl.DirectMR, impl.DDirectNR, nil, impl.DgemmDirect})
		}
	}
	vs = append(vs, variant{"ref", "s", 8, 32, sgemmDirectRef, nil}, variant{"ref", "d", 8, 16, nil, dgemmDirectRef})
	for _, v := range vs {
		// The full tile, and a last column panel of a quarter of it (the
		// AVX-512 kernels' 256-bit steps).
		for _, nr := range []int{v.nr, v.nr / 4} {
			b.Run(fmt.Sprintf("impl=%s/prec=%s/tile=%dx%d/k=%d", v.name, v.prec, v.mr, nr, k), func(b *testing.B) {
				r := newRand(1)
				if v.s != nil {
					a, bb, c := make([]float32, v.mr*k), make([]float32, (k-1)*ldb+nr), make([]float32, v.mr*nr)
					randSlice32(r, a)
					randSlice32(r, bb)
					for b.Loop() {
						v.s(v.mr, nr, k, a, k, 1, bb, ldb, c, nr, 1, Accumulate)
					}
				} else {
					a, bb, c := make([]float64, v.mr*k), make([]float64, (k-1)*ldb+nr), make([]float64, v.mr*nr)
					randSlice64(r, a)
					randSlice64(r, bb)
					for b.Loop() {
						v.d(v.mr, nr, k, a, k, 1, bb, ldb, c, nr, 1, Accumulate)
					}
				}
				b.ReportMetric(float64(2*v.mr*nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkGemmDotMicro times one dot-kernel tile (the largest of each
// implementation) at depth 784, beside the reference loop they are tested
// against (impl=ref), in GFLOP/s. The float32 operands (2 x 12.5 KB) stay
// in L1; the float64 ones (2 x 25 KB) do not, and a step's eight loads of
// 64 bytes per 16 FMAs then meet the L2 bandwidth (about half the float64
// peak on Zen 5), as on the dot path, where B streams from memory:
//
//	go test -run NONE -bench GemmDotMicro ./asm
func BenchmarkGemmDotMicro(b *testing.B) {
	const k = 784
	type variant struct {
		name, prec string
		mr, nr     int
		s          func(rows, cols, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, bias []float32, alpha float32, flags GemmFlags)
		d          func(rows, cols, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, bias []float64, alpha float64, flags GemmFlags)
	}
	var vs []variant
	for _, impl := range AvailableImpls() {
		if impl.SgemmDot != nil {
			vs = append(vs, variant{impl.Name, "s", impl.DotMR, impl.DotNR, impl.SgemmDot, nil})
		}
		if impl.DgemmDot != nil {
			vs = append(vs, variant{impl.Name, "d", impl.DDotMR, impl.DDotNR, nil, impl.DgemmDot})
		}
	}
	vs = append(vs, variant{"ref", "s", 4, 4, sgemmDotRef, nil}, variant{"ref", "d", 4, 4, nil, dgemmDotRef})
	for _, v := range vs {
		b.Run(fmt.Sprintf("impl=%s/prec=%s/tile=%dx%d/k=%d", v.name, v.prec, v.mr, v.nr, k), func(b *testing.B) {
			r := newRand(1)
			if v.s != nil {
				a, bb, c := make([]float32, v.mr*k), make([]float32, v.nr*k), make([]float32, v.mr*v.nr)
				randSlice32(r, a)
				randSlice32(r, bb)
				for b.Loop() {
					v.s(v.mr, v.nr, k, a, k, bb, k, c, v.nr, nil, 1, 0)
				}
			} else {
				a, bb, c := make([]float64, v.mr*k), make([]float64, v.nr*k), make([]float64, v.mr*v.nr)
				randSlice64(r, a)
				randSlice64(r, bb)
				for b.Loop() {
					v.d(v.mr, v.nr, k, a, k, bb, k, c, v.nr, nil, 1, 0)
				}
			}
			b.ReportMetric(float64(2*v.mr*v.nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkSgemmRows times the row-reading kernels on the forward product
// of a dense layer computed as Cᵀ = W·Xᵀ: W (n x k) read in place, ten
// rows a call, against four packed panels of 32 columns of Xᵀ (a batch of
// up to 128; kernel=half: one panel of 16, the half-width kernel), the
// whole depth per call. n = 10 keeps W in L1; n = 4000 streams it from
// memory once (k = 4000: 64 MB).
func BenchmarkSgemmRows(b *testing.B) {
	for _, impl := range AvailableImpls() {
		if impl.SgemmRows == nil {
			continue
		}
		mr := impl.SRowsMR
		for _, kv := range []struct {
			name       string
			nr, panels int
			kern       func(k int, a []float32, lda int, b, c []float32, ldc int, flags GemmFlags)
		}{{"full", impl.SNR, 4, impl.SgemmRows}, {"half", impl.SNR / 2, 1, impl.SgemmRowsHalf}} {
			for _, k := range []int{256, 4000} {
				for _, n := range []int{mr, 4000 / mr * mr} {
					b.Run(fmt.Sprintf("impl=%s/kernel=%s/k=%d/n=%d", impl.Name, kv.name, k, n), func(b *testing.B) {
						nr, panels := kv.nr, kv.panels
						r := newRand(1)
						w := make([]float32, n*k)
						randSlice32(r, w)
						x := make([]float32, panels*k*nr)
						randSlice32(r, x)
						c := make([]float32, n*panels*nr)
						b.ResetTimer()
						for range b.N {
							for j := 0; j < n; j += mr {
								for p := range panels {
									kv.kern(k, w[j*k:(j+mr)*k], k, x[p*k*nr:(p+1)*k*nr], c[j*panels*nr+p*nr:], panels*nr, 0)
								}
							}
						}
						b.ReportMetric(2*float64(n)*float64(panels*nr)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					})
				}
			}
		}
	}
}
