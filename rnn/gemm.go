package rnn

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
)

// The recurrent products multiply a different small left operand at every
// step (Rows x K) by the same weight matrix (K x N), hundreds of times per
// pass: the weights are packed once per pass (blas.PackedB32) and each
// step packs only its left operand. Threads do not split a step while each
// can stream all the weights from its L2 or the shared L3 (a hand-over per
// step costs more than it saves): they split the batch's sequences, each
// running all the steps of its rows (see recurTask); larger weights are
// split by columns at every step (PackedB32.MulSplit, where each thread
// reads the step's states in place with the direct kernel when the
// implementation has one: no serial packing before the split).

// fitsL2 reports whether the packed weights fit in a core's L2 cache,
// where threads can each stream all of them at every step.
func fitsL2(p *blas.PackedB32) bool {
	_, l2, _ := asm.CacheSizes()
	if weightCacheBytes > 0 {
		l2 = weightCacheBytes
	}
	return p.Bytes() <= l2
}

// sharedL3 reports whether threads threads can each stream all of the
// packed weights from the shared L3 at every step: threads copies fit in
// half of it. Weights beyond L2 but within that stay with a split by
// sequences (no hand-over per step, and each thread packs only its own
// states): measured on Zen 4 (1 MiB L2, 32 MiB L3), two threads, paired
// interleaved medians of whole forward and BPTT passes, hidden 1000 (4 MB
// of weights): batch 16 1.08 [1.02, 1.22], batch 128 1.11 [1.09, 1.12]
// against the column split (its time over the sequence split's, quartiles
// in brackets). With
// the 4 MiB L3 Zen 5 reported, the weights would go to memory twice: the
// column split stays.
func sharedL3(p *blas.PackedB32, threads int) bool {
	_, _, l3 := asm.CacheSizes()
	if weightCacheBytes > 0 {
		return fitsL2(p)
	}
	return p.Bytes()*threads <= l3/2
}

// weightCacheBytes, when positive, replaces the detected L2 size in
// fitsL2 and decides sharedL3 by it too (tests force the column split
// with it).
var weightCacheBytes int

// rowRange returns part's rows of rows, split in whole row panels of mr.
func rowRange(rows, mr, part, parts int) (r0, r1 int) {
	panels := (rows + mr - 1) / mr
	r0 = part * panels / parts * mr
	r1 = min((part+1)*panels/parts*mr, rows)
	return r0, r1
}
