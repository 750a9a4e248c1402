package blas

import "github.com/fastpath-go/fastpath/asm"

// blocking holds the cache block sizes of one GEMM call (BLIS notation).
type blocking struct {
	mr, nr     int // micro-kernel shape (from the selected asm implementation)
	mc, kc, nc int // A block rows, depth, B panel columns
}

// Fractions of each cache level the packed operands may fill. KC x NR of B
// in half of L1 leaves room for the A micro-panel and C; an MC x KC block
// of A in a third of L2 leaves room for the B micro-panels streaming past;
// the shared KC x NC panel of B takes at most a quarter of L3.
const (
	l1Share = 2
	l2Share = 3
	l3Share = 4
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
