// Package blas is fastpath's GEMM engine: packed, cache-blocked, multi-core
// single- and double-precision matrix multiplication on the micro-kernels of
// package asm, and a gonum BLAS backend.
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
// A persistent worker pool runs one parallel region per call; the calling
// goroutine is thread 0. Threads split the micro-tile grid rows-first (loop
// 3; loop 2 as well when m is small), never k, so every element of C is
// computed by the same sequence of operations whatever the thread count:
// results are bit-identical for any thread count. Each thread packs its own
// A blocks; the B panel is packed cooperatively into one of two shared
// buffers, with a spinning barrier once per depth block. When all of m fits
// in one A block (training shapes such as 100 x 784 x 4000) threads split the
// columns instead and each packs the few B micro-panels it uses just before
// use, prefetching the next ones, with no barrier at all. The thread count is
// runtime.GOMAXPROCS(0) read at each call unless SetThreads fixed it. Small
// problems run serially, and a call that finds the pool busy (a concurrent
// GEMM) runs serially rather than waiting. Steady-state calls allocate
// nothing: packing buffers live in a free list of workspaces.
//
// # gonum
//
// Implementation satisfies gonum's blas.Float32 and blas.Float64; its zero
// value is ready to use: blas32.Use(blas.Implementation{}) and
// blas64.Use(blas.Implementation{}) route every gonum mat product here.
//
// # Panics
//
// Argument errors panic with gonum's messages, checked in gonum's order,
// before any work is done.
package blas
