package asm

import "testing"

// TestPeakFlops checks that the peak kernels return the flop count their
// documentation states: the generic kernels run 8 scalar multiply-adds per
// iteration (16 flops); the AVX2 ones 12 ymm FMAs (192 fp32 / 96 fp64 flops).
func TestPeakFlops(t *testing.T) {
	perIter := map[string][2]int{
		"generic": {16, 16},
		"avx2":    {12 * 8 * 2, 12 * 4 * 2},
		"avx512":  {12 * 16 * 2, 12 * 8 * 2},
		"neon":    {-1, -1}, // checked by TestNEONPeakFlops (neon_arm64_test.go)
	}
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		want, ok := perIter[impl.Name]
		if !ok || want[0] < 0 {
			t.Skipf("no documented count for %s", impl.Name)
		}
		for _, iters := range []int{0, 1, 2, 7, 1000} {
			if got := impl.Peak32(iters); got != want[0]*iters {
				t.Errorf("Peak32(%d) = %d, want %d", iters, got, want[0]*iters)
			}
			if got := impl.Peak64(iters); got != want[1]*iters {
				t.Errorf("Peak64(%d) = %d, want %d", iters, got, want[1]*iters)
			}
		}
	})
}
