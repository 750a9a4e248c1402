package hugepage

import "testing"

// TestAlignedRange checks the whole huge pages found inside a buffer.
func TestAlignedRange(t *testing.T) {
	const h = hugeBytes
	for _, c := range []struct {
		p      uintptr
		n      int
		lo, hi uintptr
	}{
		{0, 2 * h, 0, 2 * h},
		{1, 2 * h, h, 2 * h},
		{h - 1, h + 1, h, 2 * h},
		{h + 5, h, 2 * h, 2 * h},
		{3 * h, h - 1, 3 * h, 3 * h},
		{h + 1, 10, 2 * h, 2 * h},
	} {
		lo, hi := alignedRange(c.p, c.n)
		if lo != c.lo || hi != c.hi {
			t.Errorf("alignedRange(%#x, %#x) = [%#x, %#x), want [%#x, %#x)", c.p, c.n, lo, hi, c.lo, c.hi)
		}
	}
}

// TestFloats checks lengths and zero values, below and above MinBytes.
func TestFloats(t *testing.T) {
	for _, n := range []int{0, 1, 1000, MinBytes/4 - 1, MinBytes / 4, MinBytes/4 + 12345} {
		s := Float32s(n)
		if len(s) != n {
			t.Fatalf("Float32s(%d): length %d", n, len(s))
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("Float32s(%d)[%d] = %v", n, i, v)
			}
		}
	}
}
