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
	l1, l2, l3 := cacheSizes()
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

// packedBlocking is newBlocking for the packed engine. On a CPU whose L1
// holds 32 KiB or less, it takes the depth to maxKC (512) instead of the
// 128-170 that keep the B micro-panel in L1, and the A block to two thirds
// of L2 at that depth (MC = 340 float32 rows, 170 float64): the B
// micro-panel then streams from L2, which costs less than loading and
// storing the C tile every 128-170 steps and streaming the B panel from L3
// (shared with other cores) once per small A block. Measured on Zen 4 (EPYC,
// 32 KiB L1, one 512-bit FMA a cycle, so L2 supplies the 128 bytes of B a
// step with room to spare), one thread, paired ratios against newBlocking's
// sizes in interleaved runs (medians of 15-21 rounds on a noisy host):
// float32 1024³ 1.14, 2048³ 1.10, 1000³ 1.04; float64 (MC 170) 1024³
// 1.05-1.07, 2048³ 1.09-1.13; two threads, float32 1024³ 1.05, 2048³ 1.08; the AVX2
// kernels (6x16, KC 340 -> 512) 1024³ 1.03, 2048³ 1.02, 512³ 1.01.
// Smaller A blocks gained less (float32 MC 170: 1.11, 1.03-1.05, 1.05;
// float64 MC 80: 0.97-0.98), as did KC = 256 (1.09, 1.03, 1.02). The
// direct path keeps the L1 rule: 256x1024x256 and 128x512x512 measured
// 0.95 with the deep block. CPUs with a larger L1 (Zen 5: 48 KiB,
// KC = 256) keep newBlocking's sizes, which were measured there.
func packedBlocking(mr, nr, elemSize, k int) blocking {
	bl := newBlocking(mr, nr, elemSize, k)
	if blockingOverride != nil {
		return bl
	}
	if !smallL1() || k <= bl.kc {
		return bl
	}
	_, l2, l3 := cacheSizes()
	nblocks := (k + maxKC - 1) / maxKC
	bl.kc = (k + nblocks - 1) / nblocks
	bl.mc = max(l2*2/3/(bl.kc*elemSize)/mr, 1) * mr
	bl.nc = min(max(l3/l3Share/(bl.kc*elemSize)/nr, 1)*nr, maxNC/nr*nr)
	return bl
}

// deepKCMaxL1 is the largest L1 (bytes) on which packedBlocking deepens KC
// (and the direct and narrow paths take their small-L1 rules).
const deepKCMaxL1 = 32 << 10

// smallL1 reports whether the L1 holds at most deepKCMaxL1 bytes.
func smallL1() bool {
	l1, _, _ := cacheSizes()
	return l1 <= deepKCMaxL1
}

// blockingOverride, when set by a test, replaces the cache-derived block
// sizes so that small matrices exercise every blocking edge.
var blockingOverride func(mr, nr, elemSize, k int) blocking

// cacheSizes reports the L1d, L2 and L3 sizes the block sizes derive from
// (asm.CacheSizes; tests substitute other CPUs').
var cacheSizes = asm.CacheSizes
