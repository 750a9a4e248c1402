// Package asm holds fastpath's SIMD kernels and the run-time dispatch that
// chooses between them.
//
// Every kernel exists in a pure-Go form that is always compiled (the
// "generic" implementation, the specification and the test oracle) and, where
// the CPU allows, in hand-written Go assembly: AVX2+FMA on amd64, NEON on
// arm64, and on amd64 CPUs with AVX-512F an "avx512" implementation that is
// the AVX2 one with 512-bit GEMM micro-kernels (fp32 10x32 and 8x32, fp64
// 10x16), path-norm products and peak probes. The build tag purego (or noasm) builds no assembly
// at all.
//
// # Kernels
//
//   - GEMM micro-kernels (float32 and float64): an MR x NR tile of C from a
//     packed MR-row micro-panel of A and a packed NR-column micro-panel of B,
//     with an epilogue that accumulates into C, adds a bias row and applies
//     ReLU (see GemmFlags). Packing and blocking live in package blas.
//     Beside each, a kernel of the same shape that reads B in place, rows
//     ldb apart (sgemmStridedMicroRef; Impl.SgemmStrided, DgemmStrided),
//     for products whose B is used by few kernel calls, which also
//     prefetches a stream of rows into L2 one line per step (the caller's
//     next slice of B, instead of bursts of Prefetch32 between calls); and
//     where the
//     implementation has one, an alternative float32 shape with fewer rows
//     (Impl.SMRAlt; Impl.SgemmFor chooses between the two by the row count),
//     and half-width edge kernels computing the first NR/2 columns of a
//     tile for a last micro-panel that narrow (sgemmHalfRef;
//     Impl.SgemmHalf: AVX2 6x8, AVX-512 10x16 and 8x16; both also read
//     such a panel in place through masked loads, Impl.SgemmHalfMask);
//     and low-row kernels computing the first rows of a tile for a last
//     row panel that short (sgemmLowRef; Impl.SgemmLow, SgemmStridedLow:
//     AVX2 4 of 6 rows, so that 16 rows run as 6 + 6 + 4 without padded
//     multiply-adds).
//     And direct kernels that read neither operand packed
//     (sgemmDirectRef, dgemmDirectRef; Impl.SgemmDirect, DgemmDirect:
//     AVX-512 8 x 32 / 8 x 16, AVX2 6 x 16 / 6 x 8): a tile of C from A
//     addressed by a row and a depth stride (A or Aᵀ in place) and B rows
//     ldb apart, masked to the tile's rows and columns, for products too
//     small to repay packing. And dot-product kernels for C = A·Bᵀ with
//     both operands stored by rows along the depth (sgemmDotRef,
//     dgemmDotRef; Impl.SgemmDot, DgemmDot: AVX-512 4 x 4 tiles, sixteen
//     (float64: eight) depths a step, the lanes summed by a
//     transpose-and-add network at the end; AVX2 float32 2 x 4 tiles,
//     eight depths a step, horizontal adds), for a transposed B met by few
//     rows of A.
//   - ReLU forward, ReLU backward mask and fused bias+ReLU (float32).
//     ReLU(x) is defined as x > 0 ? x : 0, so NaN and -0 both map to +0;
//     every implementation is bit-identical.
//   - The normalization layers' elementwise kernels (float32): the
//     per-feature affine map dst = x*scale + shift and the multiply-
//     accumulate dst += x*y (the batch statistics). The assembly versions
//     fuse the multiply-add; the generic loops may round twice (within 2
//     ulps of the terms, tested).
//   - Optimizer updates (float32, in place, one pass): SGD with weight
//     decay, SGD with heavy-ball momentum and AdaGrad. Products and sums are
//     rounded separately (no FMA) in every implementation, so all of them
//     return the generic loop's bits on every build (NaN payloads aside).
//   - The path-norm kernels y = (W∘W) x and y = (W∘W)^T x, squaring float32
//     weights inside the kernel and accumulating in float64 (AVX2, AVX-512
//     and NEON: in cache they are bound by the widening to float64, which
//     zmm does eight weights at a time).
//   - Path-SGD layer updates (float32, in place): w -= step * g / kappa
//     with the rank-one scaling kappa[r][c] = g_r f_c passed as reciprocal
//     row and column factors (never materialized), with or without
//     momentum, fused with the next pass of the path-norm dynamic program
//     y = (W∘W) x on the old weights (float64), and where the two passes
//     meet with the other one's column sums z += (W∘W)^T u as well, or
//     (y = nil) with neither. The float32 update is rounded like the
//     generic loop in every implementation.
//   - BLAS Level 1 and the inner loops of Level 2, behind package blas's
//     gonum backend: dot and axpy (float32, float64; float64 also strided),
//     idamax, scal, asum and sum of squares (float64 any stride, NEON unit
//     stride; float32 unit stride, the sum of squares widened to float64),
//     swaps and plane rotations, and the four-row GEMV and symmetric SYMV
//     kernels (gemv.go), all in AVX2 and NEON.
//   - Peak kernels: independent multiply-adds in registers, timed by the
//     benchmarks to measure the machine's FMA peak.
//   - Prefetch32/Prefetch64: L2 cache hints for the GEMM engine's narrow
//     path (the next slice of B).
//
// # Dispatch
//
// CPU features are read once at package initialisation
// (golang.org/x/sys/cpu for the instruction sets, github.com/klauspost/cpuid/v2
// for cache sizes and the brand string). Implementations are kept in a
// registry, in order of preference; the best available one is selected.
// Use pins an implementation by name ("generic", "avx2", "avx512", "neon"),
// which tests and benchmarks use to run every implementation in one binary.
// The selection is deterministic (no timing at start-up), so results are
// reproducible from run to run; on CPUs that execute 512-bit operations in
// two halves (AMD Zen 4, some Intel parts at reduced clocks) the AVX-512
// kernels gain little, and GODEBUG=cpu.avx512f=off or Use("avx2") selects
// the AVX2 ones.
// Describe returns a one-line summary of the selection for logs and
// benchmark output.
//
// # Panics
//
// The exported wrappers check their arguments before any assembly runs and
// panic with the constant messages in errors.go on programmer errors
// (short slices, mismatched lengths, negative sizes).
package asm
