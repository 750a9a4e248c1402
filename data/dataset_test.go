package data

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
)

// seqDataset returns n examples of d features, feature j of example i
// being i*100+j, labelled i%classes, with the given stride (>= d); the
// last row ends at its last feature, as gonum allows.
func seqDataset(n, d, stride, classes int) *Dataset {
	x := blas32.General{Rows: n, Cols: d, Stride: stride, Data: make([]float32, max(0, (n-1)*stride+d))}
	for i := range x.Data {
		x.Data[i] = -1 // padding
	}
	y := make([]int, n)
	for i := range n {
		for j := range d {
			x.Data[i*stride+j] = float32(i*100 + j)
		}
		y[i] = i % classes
	}
	return &Dataset{X: x, Y: y, Classes: classes}
}

// checkRows fails t unless row r of got is example idx[r] of seqDataset.
func checkRows(t *testing.T, what string, x blas32.General, y []int, idx []int, classes int) {
	t.Helper()
	if x.Rows != len(idx) {
		t.Fatalf("%s: %d rows, want %d", what, x.Rows, len(idx))
	}
	for r, i := range idx {
		for j := range x.Cols {
			if got := x.Data[r*x.Stride+j]; got != float32(i*100+j) {
				t.Fatalf("%s: row %d feature %d = %v, want %v (example %d)", what, r, j, got, i*100+j, i)
			}
		}
		if y != nil && y[r] != i%classes {
			t.Fatalf("%s: label %d = %d, want %d", what, r, y[r], i%classes)
		}
	}
}

func TestSplit(t *testing.T) {
	for _, stride := range []int{3, 5} {
		d := seqDataset(10, 3, stride, 4)
		d.Height, d.Width = 1, 3
		for n := range 11 {
			head, tail := d.Split(n)
			what := fmt.Sprintf("stride %d, Split(%d)", stride, n)
			checkRows(t, what+" head", head.X, head.Y, seq(0, 10-n), 4)
			checkRows(t, what+" tail", tail.X, tail.Y, seq(10-n, 10), 4)
			for _, s := range []*Dataset{head, tail} {
				if s.Classes != 4 || s.Height != 1 || s.Width != 3 || s.X.Stride != stride || s.X.Cols != 3 {
					t.Fatalf("%s: fields %+v", what, s)
				}
				if s.Len() > 0 && len(s.X.Data) < (s.Len()-1)*stride+3 {
					t.Fatalf("%s: %d values for %d rows", what, len(s.X.Data), s.Len())
				}
			}
			// Appending to the head must not overwrite the tail.
			if n > 0 {
				_ = append(head.Y, -7)
				_ = append(head.X.Data, -7)
				if tail.Y[0] == -7 || tail.X.Data[0] == -7 {
					t.Fatalf("%s: appending to the head overwrote the tail", what)
				}
			}
		}
	}
	// The halves are views: writes show through.
	d := seqDataset(4, 2, 2, 3)
	head, tail := d.Split(1)
	tail.X.Data[0], head.Y[0] = 42, 2
	if d.X.Data[6] != 42 || d.Y[0] != 2 {
		t.Error("Split copied")
	}
	mustPanic(t, badSplit, func() { d.Split(-1) })
	mustPanic(t, badSplit, func() { d.Split(5) })
}

// seq returns lo, lo+1, ..., hi-1.
func seq(lo, hi int) []int {
	s := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		s = append(s, i)
	}
	return s
}

func TestSubset(t *testing.T) {
	d := seqDataset(6, 4, 7, 3)
	d.Height, d.Width = 2, 2
	idx := []int{5, 0, 0, 3}
	s := d.Subset(idx)
	checkRows(t, "Subset", s.X, s.Y, idx, 3)
	if s.X.Stride != 4 || len(s.X.Data) != 16 || s.Classes != 3 || s.Height != 2 || s.Width != 2 {
		t.Errorf("Subset fields: %+v", s)
	}
	s.X.Data[0], s.Y[0] = -5, -5
	if d.X.Data[5*7] == -5 || d.Y[5] == -5 {
		t.Error("Subset shares storage")
	}
	if e := d.Subset(nil); e.Len() != 0 || len(e.Y) != 0 {
		t.Errorf("empty Subset: %+v", e)
	}
	mustPanic(t, badIndex, func() { d.Subset([]int{1, 6}) })
	mustPanic(t, badIndex, func() { d.Subset([]int{-1}) })
}

func TestRow(t *testing.T) {
	d := seqDataset(3, 2, 5, 2)
	if r := d.Row(2); !slices.Equal(r, []float32{200, 201}) {
		t.Errorf("Row(2) = %v", r)
	}
	mustPanic(t, badIndex, func() { d.Row(3) })
	mustPanic(t, badIndex, func() { d.Row(-1) })
}

func TestBatch(t *testing.T) {
	d := seqDataset(50, 6, 9, 7)
	r := NewRand(1)
	for _, stride := range []int{6, 8} {
		for _, b := range []int{0, 1, 5, 50, 64} {
			idx := make([]int, b)
			for i := range idx {
				idx[i] = int(uniform(r, 50))
			}
			x := blas32.General{Rows: b, Cols: 6, Stride: stride, Data: make([]float32, b*stride+3)}
			for i := range x.Data {
				x.Data[i] = math.Float32frombits(0x7fc0dead) // NaN guard
			}
			y := make([]int, b+1)
			y[b] = -9
			d.Batch(idx, x, y)
			what := fmt.Sprintf("batch %d, stride %d", b, stride)
			checkRows(t, what, x, y, idx, 7)
			for i, v := range x.Data {
				if i%stride >= 6 || i >= b*stride {
					if math.Float32bits(v) != 0x7fc0dead {
						t.Fatalf("%s: padding %d overwritten", what, i)
					}
				}
			}
			if y[b] != -9 {
				t.Fatalf("%s: label past the batch overwritten", what)
			}
			// nil labels: the features only.
			clear(x.Data)
			d.Batch(idx, x, nil)
			checkRows(t, what+", nil y", x, nil, idx, 7)
		}
	}

	idx := Permutation(50, 3)[:32]
	x := blas32.General{Rows: 32, Cols: 6, Stride: 6, Data: make([]float32, 32*6)}
	y := make([]int, 32)
	if a := testing.AllocsPerRun(100, func() { d.Batch(idx, x, y) }); a != 0 {
		t.Errorf("Batch allocates %v times per call", a)
	}

	// Panics, checked in order: a wrong row count comes before a bad index.
	bad := []int{0, 50}
	mustPanic(t, badBatchRows, func() { d.Batch(bad, blas32.General{Rows: 3, Cols: 6, Stride: 6, Data: make([]float32, 18)}, nil) })
	mustPanic(t, badBatchCols, func() { d.Batch(bad, blas32.General{Rows: 2, Cols: 5, Stride: 6, Data: make([]float32, 12)}, nil) })
	mustPanic(t, badStride, func() { d.Batch(bad, blas32.General{Rows: 2, Cols: 6, Stride: 5, Data: make([]float32, 12)}, nil) })
	mustPanic(t, shortBatchX, func() { d.Batch(bad, blas32.General{Rows: 2, Cols: 6, Stride: 7, Data: make([]float32, 12)}, nil) })
	mustPanic(t, shortBatchY, func() {
		d.Batch(bad, blas32.General{Rows: 2, Cols: 6, Stride: 6, Data: make([]float32, 12)}, make([]int, 1))
	})
	mustPanic(t, badIndex, func() {
		d.Batch(bad, blas32.General{Rows: 2, Cols: 6, Stride: 6, Data: make([]float32, 12)}, make([]int, 2))
	})
	mustPanic(t, badIndex, func() { d.Batch([]int{-1}, blas32.General{Rows: 1, Cols: 6, Stride: 6, Data: make([]float32, 6)}, nil) })
	// Nothing is copied before a panic.
	x = blas32.General{Rows: 2, Cols: 6, Stride: 6, Data: make([]float32, 12)}
	mustPanic(t, badIndex, func() { d.Batch([]int{1, 50}, x, nil) })
	if slices.ContainsFunc(x.Data, func(v float32) bool { return v != 0 }) {
		t.Error("Batch copied before panicking")
	}
}

func TestRandomLabels(t *testing.T) {
	d := seqDataset(20000, 1, 1, 10)
	orig := slices.Clone(d.Y)
	a, b, c := d.RandomLabels(7), d.RandomLabels(7), d.RandomLabels(8)
	if !slices.Equal(a.Y, b.Y) {
		t.Error("same seed, different labels")
	}
	if slices.Equal(a.Y, c.Y) {
		t.Error("different seeds, same labels")
	}
	if !slices.Equal(d.Y, orig) {
		t.Error("RandomLabels changed the receiver's labels")
	}
	if &a.X.Data[0] != &d.X.Data[0] || a.Classes != 10 || a.Len() != d.Len() {
		t.Error("RandomLabels: features not shared or fields changed")
	}
	counts := make([]int, 10)
	agree := 0
	for i, l := range a.Y {
		if l < 0 || l >= 10 {
			t.Fatalf("label %d", l)
		}
		counts[l]++
		if l == d.Y[i] {
			agree++
		}
	}
	if chi := chiSquare(counts); chi > 40 { // 9 degrees of freedom: p < 1e-5
		t.Errorf("label counts %v: chi-square %.1f", counts, chi)
	}
	if agree < 1600 || agree > 2400 { // about 1/10 agree by chance
		t.Errorf("%d of 20000 random labels equal the true ones", agree)
	}
	// Golden: the labels are fixed by the seed on every platform and Go
	// release.
	if got := a.Y[:12]; !slices.Equal(got, goldenLabels) {
		t.Errorf("RandomLabels(7) starts %v, want %v", got, goldenLabels)
	}
	mustPanic(t, badClasses, func() { (&Dataset{}).RandomLabels(1) })
}

// chiSquare returns Pearson's statistic of counts against a uniform
// distribution.
func chiSquare(counts []int) float64 {
	total := 0
	for _, c := range counts {
		total += c
	}
	e := float64(total) / float64(len(counts))
	var chi float64
	for _, c := range counts {
		chi += (float64(c) - e) * (float64(c) - e) / e
	}
	return chi
}

// Golden outputs, recorded once: they must never change.
var (
	goldenLabels = []int{9, 0, 7, 1, 2, 3, 8, 1, 4, 5, 5, 3}
	goldenPerm   = []int{10, 3, 5, 7, 0, 4, 6, 2, 9, 8, 1, 11}
)

func TestPermutation(t *testing.T) {
	for _, n := range []int{0, 1, 2, 10, 1000} {
		p := Permutation(n, 5)
		s := slices.Sorted(slices.Values(p))
		if !slices.Equal(s, seq(0, n)) {
			t.Fatalf("Permutation(%d) = %v is not a permutation", n, p)
		}
		if !slices.Equal(p, Permutation(n, 5)) {
			t.Fatalf("Permutation(%d, 5) differs between calls", n)
		}
		if n >= 10 && slices.Equal(p, Permutation(n, 6)) {
			t.Fatalf("Permutation(%d) equal for seeds 5 and 6", n)
		}
	}
	if got := Permutation(12, 1); !slices.Equal(got, goldenPerm) {
		t.Errorf("Permutation(12, 1) = %v, want %v", got, goldenPerm)
	}
	mustPanic(t, badPerm, func() { Permutation(-1, 0) })
}

// TestShuffleUniform checks that every permutation of 4 items is equally
// likely, and that successive shuffles from one generator continue its
// stream.
func TestShuffleUniform(t *testing.T) {
	r := NewRand(11)
	counts := make(map[[4]int]int)
	idx := make([]int, 4)
	const trials = 48000
	for range trials {
		for i := range idx {
			idx[i] = i
		}
		Shuffle(idx, r)
		counts[[4]int(idx)]++
	}
	if len(counts) != 24 {
		t.Fatalf("%d distinct permutations of 4, want 24", len(counts))
	}
	c := make([]int, 0, 24)
	for _, n := range counts {
		c = append(c, n)
	}
	if chi := chiSquare(c); chi > 65 { // 23 degrees of freedom: p < 1e-5
		t.Errorf("permutation counts %v: chi-square %.1f", c, chi)
	}
	if a := testing.AllocsPerRun(100, func() { Shuffle(idx, r) }); a != 0 {
		t.Errorf("Shuffle allocates %v times", a)
	}
}

// seqSource returns its values in turn.
type seqSource []uint64

func (s *seqSource) Uint64() uint64 {
	v := (*s)[0]
	*s = (*s)[1:]
	return v
}

// TestUniform checks Lemire's method on chosen generator outputs: the top
// word of x*n, and the rejection of the low words below 2^64 mod n.
func TestUniform(t *testing.T) {
	for _, c := range []struct {
		n    uint64
		src  []uint64
		want uint64
		left int // outputs not consumed
	}{
		{1, []uint64{12345, 9}, 0, 1},
		{10, []uint64{1<<63 + 1, 9}, 5, 1},
		// x = 2^63 gives 5*2^64: low word 0 < 2^64 mod 10 = 6, rejected.
		{10, []uint64{1 << 63, 9}, 0, 0},
		{10, []uint64{math.MaxUint64, 9}, 9, 1},
		// 2^64 mod 3 = 1: x = 0 gives low word 0 < 1 and is rejected.
		{3, []uint64{0, math.MaxUint64, 9}, 2, 1},
		// x = 1 gives low word 6, not below n: kept without computing 2^64 mod n.
		{6, []uint64{1, 9}, 0, 1},
		// 2^64 mod 6 = 4: x = 0 and x = 2^63 give low word 0, rejected.
		{6, []uint64{0, 1 << 63, 1 << 62, 9}, 1, 1},
	} {
		s := seqSource(slices.Clone(c.src))
		if got := uniform(&s, c.n); got != c.want || len(s) != c.left {
			t.Errorf("uniform(%v, %d) = %d leaving %d outputs, want %d leaving %d", c.src, c.n, got, len(s), c.want, c.left)
		}
	}
}
