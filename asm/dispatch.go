package asm

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/klauspost/cpuid/v2"
)

// Impl is one implementation of every kernel in the package. A nil kernel
// field means "use the generic one"; register fills those in.
//
// The micro-kernel shapes (SMR x SNR for float32, DMR x DNR for float64)
// belong to the implementation: package blas packs A and B to match the
// selected implementation's shape.
type Impl struct {
	// Name is the registry key: "generic", "avx2", "avx512" or "neon".
	Name string
	// Available reports whether this CPU (and build) can run it.
	Available bool

	SMR, SNR int
	// Sgemm is the float32 micro-kernel; see sgemmMicroRef.
	Sgemm func(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags)
	// SgemmStrided is the SMR x SNR float32 micro-kernel that reads B in
	// place, rows ldb apart (sgemmStridedMicroRef); nil where the
	// implementation has none (package blas then packs B). Its first
	// min(pfRows, k) steps (the assembly kernels: rounded down to a
	// multiple of four) also prefetch into L2 one cache line each of the
	// rows pf[0], pf[ldb], ..., pf[(pfRows-1)*ldb] (the caller's next
	// slice of B, interleaved with the multiply-adds); pfRows = 0: none.
	// The prefetches never change the result.
	SgemmStrided func(k int, a, b []float32, ldb int, c []float32, ldc int, bias []float32, flags GemmFlags, pf []float32, pfRows int)
	// SMRAlt x SNR is an alternative float32 micro-kernel shape with fewer
	// rows, for products whose row count the main shape pads badly (the
	// AVX-512 kernels: 8 rows beside 10, for a batch of 16), with its
	// packed and in-place kernels; SMRAlt is 0 and both nil where the
	// implementation has none.
	SMRAlt   int
	SgemmAlt func(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags)
	// SgemmScaleC reports whether Sgemm and SgemmAlt take the ScaleC flag
	// (the AVX2, AVX-512 and NEON kernels); package blas scales C in a
	// separate pass before accumulating where they do not.
	SgemmScaleC bool
	// SgemmDescend is the SMR x SNR float32 micro-kernel followed by the
	// plain SGD step on a tile of W with the result as the gradient
	// (sgemmDescendRef): the update of SGD with momentum, its velocity
	// being C, rides in the product's epilogue. It takes ScaleC where
	// SgemmScaleC is set; nil where the implementation has none (package
	// blas then runs the step as a pass of its own).
	SgemmDescend func(k int, a, b, c []float32, ldc int, w, coef []float32, flags GemmFlags)
	// SgemmLow and SgemmStridedLow, where an implementation has them, are
	// the main float32 shape's low-row kernels (sgemmLowRef with mr = SMR,
	// nr = SNR, low = SLowMR): the first SLowMR rows of a tile, for a last
	// row panel of at most that many rows (AVX2: 4 of 6, so that 16 rows
	// run as 6 + 6 + 4 with no padded multiply-adds).
	// SgemmRows, where an implementation has it, is the row-reading float32
	// kernel (sgemmRowsRef with mr = SRowsMR, nr = SNR): the rows of A read
	// in place along the depth, for products with B transposed computed as
	// their transpose (gemmrows.go); SgemmRowsHalf the same with nr = SNR/2.
	// nil: none.
	SgemmRows, SgemmRowsHalf func(k int, a []float32, lda int, b, c []float32, ldc int, flags GemmFlags)
	SRowsMR                  int
	SgemmLow                 func(k int, a, b, c []float32, ldc int)
	SgemmStridedLow          func(k int, a, b []float32, ldb int, c []float32, ldc int, pf []float32, pfRows int)
	SLowMR                   int
	// SgemmHalf and SgemmHalfAlt, where an implementation has them, are
	// half-width edge kernels for the two float32 shapes (sgemmHalfRef):
	// the first SNR/2 columns of a tile, without epilogue, for a last
	// micro-panel of at most SNR/2 columns. nil: none.
	SgemmHalf, SgemmHalfAlt func(k int, a, b, c []float32, ldc int)
	// SgemmHalfMask and SgemmHalfMaskAlt are the same reading the first
	// cols (1..SNR/2) columns of B in place, rows ldb apart, through masked
	// loads (sgemmHalfMaskRef): the last micro-panel of a product whose B
	// is read in place then needs no packing. nil: none.
	SgemmHalfMask, SgemmHalfMaskAlt func(k int, a, b []float32, ldb int, c []float32, ldc, cols int)
	SgemmStridedAlt                 func(k int, a, b []float32, ldb int, c []float32, ldc int, bias []float32, flags GemmFlags, pf []float32, pfRows int)
	// SgemmDirect is the direct float32 kernel (sgemmDirectRef): any rows
	// (in tiles of DirectMR) x up to SDirectNR columns of C = alpha*A*B
	// (+ C with Accumulate)
	// with both operands read in place, for products too small to repay
	// packing. nil: none (the engine then packs).
	SgemmDirect func(rows, cols, k int, a []float32, ars, aks int, b []float32, ldb int, c []float32, ldc int, alpha float32, flags GemmFlags)
	// DgemmDirect is its float64 form (dgemmDirectRef), up to DDirectNR
	// columns.
	DgemmDirect func(rows, cols, k int, a []float64, ars, aks int, b []float64, ldb int, c []float64, ldc int, alpha float64, flags GemmFlags)
	// DirectMR, SDirectNR and DDirectNR are the direct kernels' row tile
	// and widest column panel (0 where there are none); DirectMaxK, if not 0, is the largest
	// depth for which the direct kernels beat the packed micro-kernels.
	DirectMR, SDirectNR, DDirectNR, DirectMaxK int
	// SgemmDot is the float32 dot-product kernel (sgemmDotRef): a tile of
	// up to DotMR x DotNR of C = alpha*A*B^T (+ C, + bias, ReLU as flags
	// say), A and B both read by rows along the depth. nil: none.
	SgemmDot func(rows, cols, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, bias []float32, alpha float32, flags GemmFlags)
	// DgemmDot is its float64 form (dgemmDotRef). nil: none.
	DgemmDot func(rows, cols, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int, bias []float64, alpha float64, flags GemmFlags)
	// DotMR x DotNR is the float32 dot kernel's tile, DDotMR x DDotNR the
	// float64 one's.
	DotMR, DotNR, DDotMR, DDotNR int
	DMR, DNR                     int
	// Dgemm is the float64 micro-kernel; see dgemmMicroRef.
	Dgemm func(k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags)
	// DgemmStrided is SgemmStrided for float64 (dgemmStridedMicroRef).
	DgemmStrided func(k int, a, b []float64, ldb int, c []float64, ldc int, bias []float64, flags GemmFlags, pf []float64, pfRows int)
	// DMRAlt x DNR is the alternative float64 shape, as SMRAlt (the
	// AVX-512 kernels: 8 rows beside 10, for LAPACK's 64-row panels), with
	// its packed and in-place kernels; 0 and nil where there is none.
	DMRAlt          int
	DgemmAlt        func(k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags)
	DgemmStridedAlt func(k int, a, b []float64, ldb int, c []float64, ldc int, bias []float64, flags GemmFlags, pf []float64, pfRows int)

	// Transpose is transposeGeneric's loop, used to pack transposed GEMM
	// operands (dst rows ldd apart).
	Transpose func(dst, src []float32, lds, rows, kc, ldd int)
	// PackPanels32 and PackPanels64 are packPanelsGeneric32's and
	// packPanelsGeneric64's loops, used to pack non-transposed operands.
	PackPanels32 func(dst, src []float32, lds, rows, nr, count int)
	PackPanels64 func(dst, src []float64, lds, rows, nr, count int)

	// Relu is reluGeneric's loop: dst[i] = relu(x[i]).
	Relu func(dst, x []float32)
	// ReluBackward is reluBackwardGeneric's loop.
	ReluBackward func(dx, dy, y []float32)
	// BiasRelu is biasReluGeneric's loop: dst[i] = relu(x[i] + bias[i]).
	BiasRelu func(dst, x, bias []float32)
	// ScaleShift is scaleShiftGeneric's loop: dst[i] = x[i]*scale[i] +
	// shift[i]; MulAdd is mulAddGeneric's: dst[i] += x[i]*y[i].
	ScaleShift func(dst, x, scale, shift []float32)
	MulAdd     func(dst, x, y []float32)

	// PathMV is pathMVGeneric's loop: y = (W∘W) x.
	PathMV func(y []float64, w []float32, ldw int, x []float64)
	// PathMTV is pathMTVGeneric's loop: y = (W∘W)^T x.
	PathMTV func(y []float64, w []float32, ldw int, x []float64)

	// SDot, DDot, SAxpy and DAxpy are the level-1 loops of blas1.go, used by
	// the GEMV routines.
	SDot  func(x, y []float32) float32
	DDot  func(x, y []float64) float64
	SAxpy func(alpha float32, x, y []float32)
	DAxpy func(alpha float64, x, y []float64)

	// IDamax and DDotInc are idamaxGeneric's and ddotIncGeneric's loops: the
	// index of the largest absolute value, and a strided dot product.
	IDamax  func(x []float64) int
	DDotInc func(n int, x []float64, incX int, y []float64, incY int) float64
	// DAxpyInc is daxpyIncGeneric's loop: a strided axpy.
	DAxpyInc func(n int, alpha float64, x []float64, incX int, y []float64, incY int)
	// DScalInc, DAsumInc and DSumSqInc are dscalIncGeneric's,
	// dasumIncGeneric's and dsumSqIncGeneric's loops (any increment >= 1).
	DScalInc  func(n int, alpha float64, x []float64, inc int)
	DAsumInc  func(n int, x []float64, inc int) float64
	DSumSqInc func(n int, x []float64, inc int) float64

	// SScal, SAsum, SSumSq and ISamax are the unit-stride float32 loops of
	// blas1f32.go (sscalGeneric, ...): scaling, sum of absolute values, sum
	// of squares widened to float64, index of the largest absolute value.
	SScal  func(alpha float32, x []float32)
	SAsum  func(x []float32) float32
	SSumSq func(x []float32) float64
	ISamax func(x []float32) int
	// SSwap, DSwap, SRot and DRot are the swaps and plane rotations of
	// rot.go (sswapGeneric, ...).
	SSwap func(x, y []float32)
	DSwap func(x, y []float64)
	SRot  func(x, y []float32, c, s float32)
	DRot  func(x, y []float64, c, s float64)

	// SGemvN4, DGemvN4, SGemvT4 and DGemvT4 are the four-row GEMV loops of
	// gemv.go (sgemvN4Generic, ...): four dot products with one vector, and
	// four scaled rows added to one vector.
	SGemvN4 func(n int, a []float32, lda int, x []float32, y *[4]float32)
	DGemvN4 func(n int, a []float64, lda int, x []float64, y *[4]float64)
	SGemvT4 func(n int, a []float32, lda int, alpha *[4]float32, y []float32)
	DGemvT4 func(n int, a []float64, lda int, alpha *[4]float64, y []float64)
	// SSymv4 and DSymv4 are the four-row symmetric loops of gemv.go
	// (ssymv4Generic, dsymv4Generic): a dot with x and an axpy into z per
	// row, in one pass.
	SSymv4 func(n int, a []float32, lda int, x, z []float32, alpha, dot *[4]float32)
	DSymv4 func(n int, a []float64, lda int, x, z []float64, alpha, dot *[4]float64)

	// SGD, SGDMomentum and AdaGrad are the optimizer updates of optim.go
	// (sgdGeneric, sgdMomentumGeneric, adaGradGeneric).
	SGD         func(w, g []float32, lr, wd float32)
	SGDMomentum func(w, g, v []float32, lr, mu, wd float32)
	AdaGrad     func(w, g, h []float32, lr, eps float32)

	// PathSGD and PathSGDMomentum are the Path-SGD layer updates of
	// pathsgd.go (pathSGDGeneric, pathSGDMomentumGeneric).
	PathSGD         func(y, z []float64, w, g []float32, ld int, rs, cs []float32, x, u []float64)
	PathSGDMomentum func(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, lr, mu float32)
	// PathSums is pathSumsGeneric's loop: the two sums of PathSGD without
	// the update.
	PathSums func(y, z []float64, w []float32, ld int, x, u []float64)

	// Peak32 and Peak64 run iters iterations of a loop of independent
	// multiply-adds in registers and return the number of flops executed:
	// timing them gives the machine's FMA peak.
	Peak32 func(iters int) int
	Peak64 func(iters int) int
}

var (
	registry []*Impl
	current  atomic.Pointer[Impl]
)

// register adds impl to the registry, filling nil kernels from the generic
// implementation. Implementations registered later are preferred.
func register(impl *Impl) {
	g := genericImpl
	if impl.Sgemm == nil {
		impl.Sgemm, impl.SMR, impl.SNR = g.Sgemm, g.SMR, g.SNR
	}
	if impl.Dgemm == nil {
		impl.Dgemm, impl.DMR, impl.DNR = g.Dgemm, g.DMR, g.DNR
	}
	if impl.Transpose == nil {
		impl.Transpose = g.Transpose
	}
	if impl.PackPanels32 == nil {
		impl.PackPanels32 = g.PackPanels32
	}
	if impl.PackPanels64 == nil {
		impl.PackPanels64 = g.PackPanels64
	}
	if impl.Relu == nil {
		impl.Relu = g.Relu
	}
	if impl.ReluBackward == nil {
		impl.ReluBackward = g.ReluBackward
	}
	if impl.BiasRelu == nil {
		impl.BiasRelu = g.BiasRelu
	}
	if impl.ScaleShift == nil {
		impl.ScaleShift = g.ScaleShift
	}
	if impl.MulAdd == nil {
		impl.MulAdd = g.MulAdd
	}
	if impl.PathMV == nil {
		impl.PathMV = g.PathMV
	}
	if impl.PathMTV == nil {
		impl.PathMTV = g.PathMTV
	}
	if impl.SDot == nil {
		impl.SDot = g.SDot
	}
	if impl.DDot == nil {
		impl.DDot = g.DDot
	}
	if impl.SAxpy == nil {
		impl.SAxpy = g.SAxpy
	}
	if impl.DAxpy == nil {
		impl.DAxpy = g.DAxpy
	}
	if impl.IDamax == nil {
		impl.IDamax = g.IDamax
	}
	if impl.DDotInc == nil {
		impl.DDotInc = g.DDotInc
	}
	if impl.DAxpyInc == nil {
		impl.DAxpyInc = g.DAxpyInc
	}
	if impl.DScalInc == nil {
		impl.DScalInc = g.DScalInc
	}
	if impl.DAsumInc == nil {
		impl.DAsumInc = g.DAsumInc
	}
	if impl.DSumSqInc == nil {
		impl.DSumSqInc = g.DSumSqInc
	}
	if impl.SScal == nil {
		impl.SScal = g.SScal
	}
	if impl.SAsum == nil {
		impl.SAsum = g.SAsum
	}
	if impl.SSumSq == nil {
		impl.SSumSq = g.SSumSq
	}
	if impl.ISamax == nil {
		impl.ISamax = g.ISamax
	}
	if impl.SSwap == nil {
		impl.SSwap = g.SSwap
	}
	if impl.DSwap == nil {
		impl.DSwap = g.DSwap
	}
	if impl.SRot == nil {
		impl.SRot = g.SRot
	}
	if impl.DRot == nil {
		impl.DRot = g.DRot
	}
	if impl.SGemvN4 == nil {
		impl.SGemvN4 = g.SGemvN4
	}
	if impl.DGemvN4 == nil {
		impl.DGemvN4 = g.DGemvN4
	}
	if impl.SGemvT4 == nil {
		impl.SGemvT4 = g.SGemvT4
	}
	if impl.DGemvT4 == nil {
		impl.DGemvT4 = g.DGemvT4
	}
	if impl.SSymv4 == nil {
		impl.SSymv4 = g.SSymv4
	}
	if impl.DSymv4 == nil {
		impl.DSymv4 = g.DSymv4
	}
	if impl.SGD == nil {
		impl.SGD = g.SGD
	}
	if impl.SGDMomentum == nil {
		impl.SGDMomentum = g.SGDMomentum
	}
	if impl.AdaGrad == nil {
		impl.AdaGrad = g.AdaGrad
	}
	if impl.PathSGD == nil {
		impl.PathSGD = g.PathSGD
	}
	if impl.PathSGDMomentum == nil {
		impl.PathSGDMomentum = g.PathSGDMomentum
	}
	if impl.PathSums == nil {
		impl.PathSums = g.PathSums
	}
	if impl.Peak32 == nil {
		impl.Peak32 = g.Peak32
	}
	if impl.Peak64 == nil {
		impl.Peak64 = g.Peak64
	}
	registry = append(registry, impl)
	if impl.Available {
		current.Store(impl)
	}
}

func init() {
	register(genericImpl)
	registerArch()
}

// Impls returns every registered implementation, available or not, in order
// of increasing preference. The slice must not be modified.
func Impls() []*Impl { return registry }

// AvailableImpls returns the implementations this CPU can run.
func AvailableImpls() []*Impl {
	var out []*Impl
	for _, impl := range registry {
		if impl.Available {
			out = append(out, impl)
		}
	}
	return out
}

// Current returns the selected implementation.
func Current() *Impl { return current.Load() }

// Lookup returns the registered implementation with the given name, or nil.
func Lookup(name string) *Impl {
	for _, impl := range registry {
		if impl.Name == name {
			return impl
		}
	}
	return nil
}

// knownNames are the implementations of every architecture, so that Use
// can tell a name of another architecture from a typo.
var knownNames = []string{"generic", "avx2", "avx512", "neon"}

// Use selects the implementation with the given name for all later calls
// and returns the previously selected one, so a caller can restore it.
// It returns an error if the name is unknown or the CPU cannot run it.
func Use(name string) (previous *Impl, err error) {
	impl := Lookup(name)
	if impl == nil {
		if slices.Contains(knownNames, name) {
			return Current(), fmt.Errorf("%s: %q (not built for %s)", errNotAvail, name, runtime.GOARCH)
		}
		return Current(), fmt.Errorf("%s: %q (want one of %s)", errUnknown, name, strings.Join(knownNames, ", "))
	}
	if !impl.Available {
		return Current(), fmt.Errorf("%s: %q", errNotAvail, name)
	}
	return current.Swap(impl), nil
}

// Restore selects impl again (typically the value Use returned).
func Restore(impl *Impl) { current.Store(impl) }

// CacheSizes returns the detected per-core L1 data and L2 cache sizes and the
// L3 size in bytes. Sizes that could not be detected are reported as
// conservative defaults (32 KiB, 512 KiB, 4 MiB).
func CacheSizes() (l1d, l2, l3 int) {
	l1d, l2, l3 = cpuid.CPU.Cache.L1D, cpuid.CPU.Cache.L2, cpuid.CPU.Cache.L3
	if l1d <= 0 {
		l1d = 32 << 10
	}
	if l2 <= 0 {
		l2 = 512 << 10
	}
	if l3 <= 0 {
		l3 = 4 << 20
	}
	return l1d, l2, l3
}

// CPUName returns the processor's brand string (or "unknown").
func CPUName() string {
	if s := strings.TrimSpace(cpuid.CPU.BrandName); s != "" {
		return s
	}
	return "unknown"
}

// Describe returns a one-line description of the CPU and the selected
// kernels, for logs and benchmark output.
func Describe() string {
	impl := Current()
	l1, l2, l3 := CacheSizes()
	var avail []string
	for _, i := range AvailableImpls() {
		avail = append(avail, i.Name)
	}
	return fmt.Sprintf("kernels=%s (sgemm %dx%d, dgemm %dx%d) available=%s cpu=%q L1d=%dKiB L2=%dKiB L3=%dKiB",
		impl.Name, impl.SMR, impl.SNR, impl.DMR, impl.DNR, strings.Join(avail, ","), CPUName(), l1>>10, l2>>10, l3>>10)
}

// SgemmHalfFor returns the half-width edge kernels, packed and masked in
// place, of the shape SgemmFor(m) chooses (nil where there are none).
func (impl *Impl) SgemmHalfFor(m int) (half func(k int, a, b, c []float32, ldc int), mask func(k int, a, b []float32, ldb int, c []float32, ldc, cols int)) {
	if mr, _, _ := impl.SgemmFor(m); mr == impl.SMRAlt && impl.SMRAlt > 0 {
		return impl.SgemmHalfAlt, impl.SgemmHalfMaskAlt
	}
	return impl.SgemmHalf, impl.SgemmHalfMask
}

// SgemmFor returns the float32 micro-kernel row count and the packed and
// in-place kernels (Sgemm, SgemmStrided, or their alternatives) for a
// product of m rows: the alternative shape where it pads m to fewer rows
// than the main shape (with the AVX-512 kernels, 8 rows rather than 10
// for m = 16, 24, 32, 48, 64, 96, 128, 1024, ...), the main shape
// otherwise (see useAlt).
func (impl *Impl) SgemmFor(m int) (mr int, kern func(k int, a, b, c []float32, ldc int, bias []float32, flags GemmFlags), strided func(k int, a, b []float32, ldb int, c []float32, ldc int, bias []float32, flags GemmFlags, pf []float32, pfRows int)) {
	if useAlt(m, impl.SMR, impl.SMRAlt) {
		return impl.SMRAlt, impl.SgemmAlt, impl.SgemmStridedAlt
	}
	return impl.SMR, impl.Sgemm, impl.SgemmStrided
}

// SgemmLowFor returns the low-row kernels for a product whose kernel has
// mr rows (from SgemmFor): low = SLowMR and the packed and in-place
// kernels, or low = 0 and nil where the implementation has none for that
// shape.
func (impl *Impl) SgemmLowFor(mr int) (low int, packed func(k int, a, b, c []float32, ldc int), strided func(k int, a, b []float32, ldb int, c []float32, ldc int, pf []float32, pfRows int)) {
	if impl.SgemmLow == nil || impl.SgemmStridedLow == nil || mr != impl.SMR {
		return 0, nil, nil
	}
	return impl.SLowMR, impl.SgemmLow, impl.SgemmStridedLow
}

// DgemmFor is SgemmFor for float64: the alternative shape DMRAlt where it
// pads m to fewer rows than the main shape (at 64 x 2000 x 2000, one
// thread: 65 -> 72 GFLOP/s, the 60-row product's rate), the main shape
// otherwise.
func (impl *Impl) DgemmFor(m int) (mr int, kern func(k int, a, b, c []float64, ldc int, bias []float64, flags GemmFlags), strided func(k int, a, b []float64, ldb int, c []float64, ldc int, bias []float64, flags GemmFlags, pf []float64, pfRows int)) {
	if useAlt(m, impl.DMR, impl.DMRAlt) {
		return impl.DMRAlt, impl.DgemmAlt, impl.DgemmStridedAlt
	}
	return impl.DMR, impl.Dgemm, impl.DgemmStrided
}

// useAlt reports whether a product of m rows runs on the alternative
// micro-kernel shape of alt rows rather than the main one of mr rows:
// where the alternative pads fewer rows. On Zen 5 the 8x32 kernel also
// runs faster in L1 (BenchmarkSgemmStridedMicro: 217 against 207 GFLOP/s
// at k = 256), but taking it where both shapes pad alike measured mixed on
// whole products (2026-12-04, paired medians, one thread: 1000³ 1.01,
// 2000³ 1.01, 4000x100x4000 1.00-1.01; two threads 1000x100x1000:TN 1.05-
// 1.08 but 1000³:TN 0.98, 200x1000x1000 0.94-0.95), so the rule stayed.
// Zen 5 set an older rule (only
// where the main shape padded more than a sixteenth of m: 16, 24, 32, 64
// rows); on Zen 4 the 8-row AVX-512 kernels won wherever they pad less,
// by more than the padding: one thread, paired interleaved medians of the
// 8-row over the 10-row kernels' speed (two runs, the second with 15 ms
// per timing), float32 128x1000x1000 1.02 (1.06 on a pre-packed B,
// blas.PackedB32: the RNN's step), 96x1000x1000 1.04, 48x1000x1000 1.05
// (1.08), 128x784x4000 1.04, 512³ 1.01-1.03, 1024³ 1.01-1.04, 2048³ 1.01,
// 1024x100x1024 1.02; float64 128x1000x1000 1.02, 96x1000x1000 1.02-1.04,
// 48x1000x1000 1.06, 256³ 1.02, 512³ 1.03, 1024³ 1.00-1.01; two threads
// float32 1.02-1.06, float64 1.02-1.06; level (within 1%) at 256³,
// 136x500x500 and 48x100x100 (the direct kernels). Where both pad alike
// (m = 40, 200, 1000) the two are level too and the main shape stays.
func useAlt(m, mr, alt int) bool {
	pad := func(r int) int { return (m+r-1)/r*r - m }
	return alt > 0 && m > 0 && pad(alt) < pad(mr)
}
