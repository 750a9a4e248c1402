package data

import (
	"math/bits"
	"math/rand/v2"
)

// Shuffling is specified exactly here rather than left to rand.Shuffle and
// rand.IntN, whose algorithms the standard library may change: a
// permutation depends on the seed only, so that an experiment's data order
// reproduces on every platform and Go release. The PCG generator's output
// (math/rand/v2.PCG, PCG-DXSM) is itself fixed by its definition.

// newRand returns the generator that a seed names: PCG seeded with (seed,
// seed), the project's convention.
func newRand(seed uint64) *rand.PCG {
	return rand.NewPCG(seed, seed)
}

// NewRand returns a math/rand/v2 generator on the PCG source that Shuffle,
// Permutation and RandomLabels use for seed, for callers that shuffle once
// per epoch from one stream: r := data.NewRand(seed), then
// data.Shuffle(idx, r) each epoch.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(newRand(seed))
}

// uniform returns a uniform integer in [0, n), n > 0, from src by Lemire's
// multiply-and-reject method (one 64x64->128-bit product per draw, a
// rejection only for the low words below 2^64 mod n).
func uniform(src rand.Source, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// Shuffle permutes idx in place by a Fisher-Yates shuffle drawing from r:
// for i from len(idx)-1 down to 1, swap idx[i] with idx[j], j uniform in
// [0, i]. It does not allocate.
func Shuffle(idx []int, r *rand.Rand) {
	for i := len(idx) - 1; i > 0; i-- {
		j := uniform(r, uint64(i+1))
		idx[i], idx[j] = idx[j], idx[i]
	}
}

// Permutation returns a random permutation of 0, 1, ..., n-1: the
// identity shuffled by Shuffle with the generator NewRand(seed). It panics
// if n < 0.
func Permutation(n int, seed uint64) []int {
	if n < 0 {
		panic(badPerm)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	Shuffle(idx, NewRand(seed))
	return idx
}
