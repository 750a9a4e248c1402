package blas

import "github.com/fastpath-go/fastpath/asm"

// blocking holds the cache block sizes of one GEMM call (BLIS notation).
type blocking struct {
	mr, nr     int // micro-kernel shape (from the selected asm implementation)
	mc, kc, nc int // A block rows, depth, B panel columns
}

// Fractions of each cache level the packed operands may fill. KC x NR of B
// in half of L1 (float64) or two thirds (float32) leaves room for the A
// micro-panel and C; an MC x KC block of A in a third of L2 leaves room for
// the B micro-panels streaming past; the shared KC x NC panel of B may
// fill the L3 the CPU reports (4 MiB here, NC = 4096 floats at KC = 256):
// a wider panel packs each A block once for more columns. Measured on
// Zen 5 against a quarter of L3 (NC = 1024), interleaved medians, float32
// one thread / two: 2048³ +4% / +7%, 3000³ +4% / +3%, 4000³ +3% / +4%,
// 4096x1024x4096 +3% / +4%, 2000x500x4000 +2% / +3%; float64 2048³ +3% /
// +4%, 1000³ +4% / +2%; AVX2 2048³ +2% / +2%, 1000³ +4% / 0%. Half of L3
// (NC = 2048): 2048³ +1% / +7-10%, 3000³ +2% / +2%: as good on two threads
// at 2048³, less on one thread and at 3000³.
// Two thirds of L1 for float32 (KC = 256 for the
// AVX-512 kernels on a 48 KiB L1, 512 for the AVX2 ones) measured 0.5-4%
// faster than half on every shape tried on Zen 5 (squares of 1024 and
// 2048, the batch-100 training shapes; 1 and 2 threads; AVX-512 and AVX2),
// interleaved medians of 3-5; for float64 it was mixed (-10% to +6%), so
// float64 keeps half.
const (
	l1Share = 2
	l2Share = 3
	l3Share = 1
	maxKC   = 512
	minKC   = 64
	maxNC   = 4096
)

// newBlocking derives block sizes for elements of elemSize bytes from the
// detected caches, then shrinks KC so that the k blocks are of equal size
// (a short last block wastes the per-block packing and C traffic).
func newBlocking(mr, nr, elemSize, k int) blocking {
	if blockingOverride != nil {
		return blockingOverride(mr, nr, elemSize, k)
	}
	l1, l2, l3 := asm.CacheSizes()
	kc := l1 / l1Share / (nr * elemSize)
	if elemSize == 4 {
		kc = l1 * 2 / 3 / (nr * elemSize)
	}
	kc = min(max(kc, minKC), maxKC)
	kc &^= 3
	if k > 0 && k > kc {
		nblocks := (k + kc - 1) / kc
		kc = (k + nblocks - 1) / nblocks
	} else if k > 0 {
		kc = k
	}
	kcMem := max(kc, minKC)
	mc := l2 / l2Share / (kcMem * elemSize)
	mc = max(mc/mr, 1) * mr
	nc := l3 / l3Share / (kcMem * elemSize)
	nc = min(max(nc/nr, 1)*nr, maxNC/nr*nr)
	return blocking{mr: mr, nr: nr, mc: mc, kc: max(kc, 1), nc: nc}
}

// blockingOverride, when set by a test, replaces the cache-derived block
// sizes so that small matrices exercise every blocking edge.
var blockingOverride func(mr, nr, elemSize, k int) blocking
