package rnn

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
)

// The recurrent products multiply a different small left operand at every
// step (Rows x K) by the same weight matrix (K x N), hundreds of times per
// pass: the weights are packed once per pass (blas.PackedB32) and each
// step packs only its left operand. Threads do not split a step while the
// weights fit in a core's L2 (a hand-over per step costs more than the
// step): they split the batch's sequences, each running all the steps of
// its rows (see recurTask); larger weights are split by columns at every
// step (PackedB32.MulSplit).

// fitsL2 reports whether the packed weights fit in a core's L2 cache,
// where threads can each stream all of them at every step.
func fitsL2(p *blas.PackedB32) bool {
	_, l2, _ := asm.CacheSizes()
	if weightCacheBytes > 0 {
		l2 = weightCacheBytes
	}
	return p.Bytes() <= l2
}

// weightCacheBytes, when positive, replaces the detected L2 size in
// fitsL2 (tests force the column split with it).
var weightCacheBytes int

// rowRange returns part's rows of rows, split in whole row panels of mr.
func rowRange(rows, mr, part, parts int) (r0, r1 int) {
	panels := (rows + mr - 1) / mr
	r0 = part * panels / parts * mr
	r1 = min((part+1)*panels/parts*mr, rows)
	return r0, r1
}
