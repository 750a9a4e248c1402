package data

import (
	"gonum.org/v1/gonum/blas/blas32"
)

// Dataset is a labelled classification dataset held in memory.
//
// X holds one example per row, row-major: X.Rows examples of X.Cols
// features, row i at X.Data[i*X.Stride : i*X.Stride+X.Cols]. Pixels are
// scaled to [0, 1] (byte value / 255). Y holds the X.Rows labels, each in
// [0, Classes). When the features are an image, Height and Width give its
// shape (Height*Width == X.Cols, pixels row by row); both are 0 otherwise.
//
// Datasets made by this package have X.Stride == X.Cols. Split and
// RandomLabels return datasets that share storage with their receiver;
// Subset and Downsample copy.
type Dataset struct {
	X       blas32.General
	Y       []int
	Classes int
	Height  int
	Width   int
}

// Len returns the number of examples.
func (d *Dataset) Len() int { return d.X.Rows }

// Dim returns the number of features of an example.
func (d *Dataset) Dim() int { return d.X.Cols }

// Row returns the features of example i (a slice of X.Data, not a copy).
func (d *Dataset) Row(i int) []float32 {
	if i < 0 || i >= d.X.Rows {
		panic(badIndex)
	}
	return d.X.Data[i*d.X.Stride : i*d.X.Stride+d.X.Cols]
}

// Split splits d into its first d.Len()-n examples and its last n, for a
// held-out validation set: train, val := full.Split(10000) keeps the last
// 10000 MNIST training images for validation, the usual choice. Nothing is
// shuffled or copied: both results are views sharing d's storage. Split
// panics unless 0 <= n <= d.Len().
func (d *Dataset) Split(n int) (head, tail *Dataset) {
	if n < 0 || n > d.X.Rows {
		panic(badSplit)
	}
	k := d.X.Rows - n
	head, tail = d.view(), d.view()
	head.X.Rows, tail.X.Rows = k, n
	end := min(k*d.X.Stride, len(d.X.Data)) // the last row may end before Stride
	head.X.Data = d.X.Data[:end:end]
	if n == 0 {
		tail.X.Data = d.X.Data[len(d.X.Data):]
	} else {
		tail.X.Data = d.X.Data[k*d.X.Stride:]
	}
	head.Y = d.Y[:k:k]
	tail.Y = d.Y[k:]
	return head, tail
}

// view returns a shallow copy of d.
func (d *Dataset) view() *Dataset {
	v := *d
	return &v
}

// Subset returns a new dataset holding copies of the examples indices[0],
// indices[1], ... of d, in that order (indices may repeat). It panics if
// an index is out of range.
func (d *Dataset) Subset(indices []int) *Dataset {
	checkIndices(indices, d.X.Rows)
	s := d.view()
	cols := d.X.Cols
	s.X = blas32.General{Rows: len(indices), Cols: cols, Stride: cols, Data: make([]float32, len(indices)*cols)}
	s.Y = make([]int, len(indices))
	d.Batch(indices, s.X, s.Y)
	return s
}

// Batch copies the examples indices[0], indices[1], ... of d into the rows
// of x and their labels into y: a mini-batch gathered into preallocated
// buffers, without allocating. x must be len(indices) x d.Dim() with
// x.Stride >= x.Cols; y must have at least len(indices) elements, or be
// nil to copy no labels. Batch panics on a wrong buffer size or an index
// out of range, checked in that order before anything is copied.
func (d *Dataset) Batch(indices []int, x blas32.General, y []int) {
	cols := d.X.Cols
	if x.Rows != len(indices) {
		panic(badBatchRows)
	}
	if x.Cols != cols {
		panic(badBatchCols)
	}
	if x.Stride < x.Cols {
		panic(badStride)
	}
	if len(indices) > 0 && len(x.Data) < (len(indices)-1)*x.Stride+cols {
		panic(shortBatchX)
	}
	if y != nil && len(y) < len(indices) {
		panic(shortBatchY)
	}
	checkIndices(indices, d.X.Rows)
	for r, i := range indices {
		copy(x.Data[r*x.Stride:r*x.Stride+cols], d.X.Data[i*d.X.Stride:i*d.X.Stride+cols])
	}
	if y != nil {
		for r, i := range indices {
			y[r] = d.Y[i]
		}
	}
}

// checkIndices panics unless every index is in [0, n).
func checkIndices(indices []int, n int) {
	for _, i := range indices {
		if uint(i) >= uint(n) {
			panic(badIndex)
		}
	}
}

// RandomLabels returns a dataset with d's features (shared, not copied)
// and new labels drawn independently and uniformly from [0, d.Classes) by
// a PCG generator seeded with (seed, seed): the random-label control of
// generalization studies (a network that fits these labels has memorized
// them). The labels depend on seed only, on every platform and Go release.
// It panics if d.Classes < 1.
func (d *Dataset) RandomLabels(seed uint64) *Dataset {
	if d.Classes < 1 {
		panic(badClasses)
	}
	r := newRand(seed)
	s := d.view()
	s.Y = make([]int, len(d.Y))
	for i := range s.Y {
		s.Y[i] = int(uniform(r, uint64(d.Classes)))
	}
	return s
}
