package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	fmt.Println("asm:", Describe())
	os.Exit(m.Run())
}

// forEachImpl runs f once for every implementation this CPU can run, with
// that implementation selected.
func forEachImpl(t *testing.T, f func(t *testing.T, impl *Impl)) {
	t.Helper()
	for _, impl := range AvailableImpls() {
		t.Run("impl="+impl.Name, func(t *testing.T) {
			prev, err := Use(impl.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer Restore(prev)
			f(t, impl)
		})
	}
}

// guardWidth is the number of sentinel elements placed on each side of a
// guarded slice.
const guardWidth = 16

// sentinel32 and sentinel64 are values no kernel computes in the tests.
var (
	sentinel32 = float32(-7.77e33)
	sentinel64 = -7.77e303
)

// guarded32 returns a slice of length n inside a larger buffer whose
// surrounding elements hold a sentinel, and a function that reports whether
// any sentinel was overwritten.
func guarded32(n int) (s []float32, intact func() bool) {
	buf := make([]float32, n+2*guardWidth)
	for i := range buf {
		buf[i] = sentinel32
	}
	s = buf[guardWidth : guardWidth+n : guardWidth+n]
	return s, func() bool {
		for i := 0; i < guardWidth; i++ {
			if math.Float32bits(buf[i]) != math.Float32bits(sentinel32) ||
				math.Float32bits(buf[guardWidth+n+i]) != math.Float32bits(sentinel32) {
				return false
			}
		}
		return true
	}
}

// guarded64 is guarded32 for float64.
func guarded64(n int) (s []float64, intact func() bool) {
	buf := make([]float64, n+2*guardWidth)
	for i := range buf {
		buf[i] = sentinel64
	}
	s = buf[guardWidth : guardWidth+n : guardWidth+n]
	return s, func() bool {
		for i := 0; i < guardWidth; i++ {
			if math.Float64bits(buf[i]) != math.Float64bits(sentinel64) ||
				math.Float64bits(buf[guardWidth+n+i]) != math.Float64bits(sentinel64) {
				return false
			}
		}
		return true
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

func randSlice32(r *rand.Rand, s []float32) {
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
}

func randSlice64(r *rand.Rand, s []float64) {
	for i := range s {
		s[i] = r.NormFloat64()
	}
}

// special32 holds values every elementwise kernel must treat exactly like
// the generic loop.
var special32 = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
	math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, math.MaxFloat32, -math.MaxFloat32,
	math.Float32frombits(0x007fffff), math.Float32frombits(0x807fffff), // largest denormals
	math.Float32frombits(0xffc00001), // negative NaN with payload
}

// lengths straddles the vector widths and unrolling factors of every kernel.
var lengths = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 1031}
