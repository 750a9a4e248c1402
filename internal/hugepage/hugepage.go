// Package hugepage allocates large float buffers with a hint to the
// operating system to back them with huge pages (2 MiB on x86-64 Linux),
// where it takes such hints.
//
// A dense layer's weights, their gradient and the optimizer's state are
// tens of megabytes read in strides (a GEMM's micro-panels of B are rows
// of the weights 16 KB apart, each on its own 4 KiB page) or streamed
// once per step (the update), so with 4 KiB pages the walk misses the TLB
// on almost every row. On Linux with transparent huge pages in "madvise"
// mode (the default of many distributions) memory is backed by huge pages
// only where the program asks for it. Measured on Zen 5 (2026-12-04):
// single GEMMs streaming a 4000x4000 float32 operand, paired runs with
// and without the hint, one thread / two, 100x4000x4000:NT 1.02-1.04 /
// 1.03-1.05, 4000x100x4000:TN 0.98-1.01 / 1.03-1.05, 100x4000x4000
// 1.00-1.02 / 1.01-1.02; the 784-4000-4000-10 training step (batch 100)
// of two networks in one process, one allocated each way, stepped
// alternately (medians of 60 steps): 1.005-1.010 on two threads (three
// runs), 1.013 on one.
package hugepage

import "unsafe"

// MinBytes is the size from which Float32s gives the hint:
// smaller buffers span few pages, and the hint covers only the whole huge
// pages inside a buffer.
const MinBytes = 4 << 20

// hugeBytes is the huge page size the hint aligns to.
const hugeBytes = 2 << 20

// Float32s returns a zeroed slice of n float32 values, advised to huge
// pages when it holds at least MinBytes.
func Float32s(n int) []float32 {
	s := make([]float32, n)
	if 4*n >= MinBytes {
		advise(unsafe.Pointer(unsafe.SliceData(s)), 4*n)
	}
	return s
}

// alignedRange returns the whole huge pages [lo, hi) inside the n bytes
// at p (lo == hi: none).
func alignedRange(p uintptr, n int) (lo, hi uintptr) {
	lo = (p + hugeBytes - 1) &^ (hugeBytes - 1)
	hi = (p + uintptr(n)) &^ (hugeBytes - 1)
	if hi < lo {
		hi = lo
	}
	return lo, hi
}
