// Package blas is fastpath's GEMM engine: packed, cache-blocked, multi-core
// single- and double-precision matrix multiplication on the micro-kernels of
// package asm, the BLAS routines built on it, and a gonum BLAS backend.
//
// # Storage
//
// All matrices are row-major, as in gonum: element (i, j) of a matrix with
// leading dimension ld is data[i*ld+j]. Sgemm and Dgemm take gonum's
// arguments and follow BLAS semantics: C = alpha*op(A)*op(B) + beta*C, and
// when beta is zero C is written without being read.
//
// # Algorithm
//
// Five loops around a register-blocked micro-kernel (Goto; BLIS): loop 5
// walks n in blocks of NC, loop 4 walks k in blocks of KC and packs a
// KC x NC panel of B, loop 3 walks m in blocks of MC and packs an MC x KC
// block of A, loops 2 and 1 walk the micro-panels and call the micro-kernel.
// Packing absorbs transposes, strides and alpha, so one kernel serves all
// four transpose cases. Block sizes are derived from the detected caches.
//
// # Parallelism
//
// One worker pool (package internal/pool, shared with the optimizer updates)
// runs one parallel region per call; the calling goroutine is thread 0.
// Threads split the micro-tile grid rows-first (loop 3; loop 2 as well when
// m is small), never k, so every element of C is computed by the same
// sequence of operations whatever the thread count: results are
// bit-identical for any thread count. Each thread packs its own A blocks;
// the B panel is packed cooperatively into one of two shared buffers, with
// a spinning barrier once per depth block.
//
// When all of m fits in one A block (the batch-sized products of training,
// such as 100 x 784 x 4000) the narrow path runs instead (narrow.go): A is
// packed once, threads claim groups of B micro-panels and run each through
// the whole depth, so that C is written once and the only barrier follows
// the packing of A; a B that is not transposed is read in place by the
// micro-kernels that take a row stride (asm.Impl.SgemmStrided), not packed.
// Row counts that the main micro-kernel shape pads badly (16) use the
// implementation's alternative shape (asm.Impl.SgemmFor).
//
// A product with B not transposed whose op(A) or B fits in half of L2
// takes the direct path (direct.go) where the implementation has direct
// kernels (asm.Impl.SgemmDirect and DgemmDirect: AVX-512, and AVX2 up to
// k = 256): nothing is packed, the kernel reads op(A) and B in place,
// tiles of 8 x 32 (float32) or 8 x 16 (float64) on AVX-512 with masked
// edges, the operand that fits in L2
// re-read by the other's tiles in L1-sized depth blocks; threads split the
// column panels or the row tiles, so it too gives the same bits for any
// thread count. A row stride of B that is a multiple of 2048 bytes keeps
// all but the smallest products off it (L1 set conflicts). A transposed B
// small enough for the same share of L2 is first copied, transposed, into
// scratch space with a row stride chosen to avoid those conflicts
// (directStride), and the product runs on the direct path from the copy.
// A transposed B met by few rows of A not transposed (a dense layer's
// forward pass at a small batch: up to 8 rows, or 16 from depth 96, or 48
// from depth 512; on AVX2, fewer: see useDot) takes the dot path instead
// (dot.go; float64 too, up to 8 rows, 16 from depth 96, 24 from depth 512):
// the dot kernels compute tiles of dot products of rows of A and rows of B
// read in place, so B streams once with nothing copied. So does a product
// with few columns and many rows (a classifier layer; float32 up to 16
// columns, or 32 to 64 with a bias or ReLU, float64 up to 32 with a bias
// or ReLU: useDotFew), the threads then splitting the rows of A.
//
// The thread count is runtime.GOMAXPROCS(0) read at each call unless
// SetThreads fixed it. Small problems run serially, and a call that finds
// the pool busy (a concurrent GEMM) runs serially rather than waiting.
// Steady-state calls allocate nothing: packing buffers live in a free list
// of workspaces.
//
// # Level 3, 2 and 1
//
// The other Level 3 routines run almost all their flops in the GEMM
// engine: Xtrsm and Xtrmm split the triangle recursively (each level hands
// its off-diagonal block to GEMM; diagonal blocks of at most 32 rows are
// done by row operations on the asm axpy kernel, split across threads by
// column chunks, except right-side ones: TRMM multiplies them by GEMM
// against the expanded triangle, TRSM solves them on transposed chunks),
// Xsyrk and Xsyr2k split C recursively (diagonal blocks of 64 rows
// computed whole by GEMM into scratch space, their columns split across
// threads when deep), and Xsymm multiplies row panels of A expanded from
// the stored triangle. Of Level 2, Xgemv runs on four-row asm kernels,
// Xsymv on a four-row kernel doing each stored row's dot product and axpy
// in one pass, Xger, Xsyr and Xsyr2 are axpys per row, Xtrsv and Xtrmv a
// dot or an axpy per row; Xgemv, Xsymv and Xger split large matrices
// across threads. Of Level 1, Xdot and Xaxpy (unit or strided), Idamax,
// Dscal, Dasum and Dnrm2 (the plain sum of squares when it is safely in
// range, gonum's scaled loop otherwise) run on asm kernels.
//
// Each routine hands the calls it would not win to gonum's native code:
// small problems (whose fixed cost gonum's single assembly loops keep
// lower; the thresholds are measured and documented beside each routine),
// negative increments, and invalid arguments, so that a user never loses by
// switching and every panic is gonum's. Every other routine of gonum's
// interfaces is gonum's, through the embedding.
//
// # gonum
//
// Implementation satisfies gonum's blas.Float32 and blas.Float64; its zero
// value is ready to use: blas32.Use(blas.Implementation{}) and
// blas64.Use(blas.Implementation{}) route every gonum mat product, and
// gonum's LAPACK (mat.Cholesky, mat.LU, Dense.Solve, mat.QR, mat.SVD,
// mat.EigenSym, Dense.Inverse), here. The time gonum's LAPACK spends in its
// own code (for example Dlasr, the plane rotations that dominate SVD and
// EigenSym) is not BLAS and is unchanged.
//
// # Panics
//
// Argument errors panic with gonum's messages, checked in gonum's order,
// before any work is done.
package blas
