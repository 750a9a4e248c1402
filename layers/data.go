package layers

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas32"
)

// Examples is a labelled set of examples that Train and Evaluate read in
// mini-batches. Any type with these methods will do: the in-memory
// *data.Dataset of package data satisfies it, and so does InMemory.
type Examples interface {
	// Len returns the number of examples.
	Len() int
	// Dim returns the number of features of an example.
	Dim() int
	// Batch copies example idx[i] into row i of x and its label (a class
	// index) into y[i], for every i, without keeping x or y. x has
	// len(idx) rows and Dim() columns, y has len(idx) elements, and every
	// index is in [0, Len()).
	Batch(idx []int, x blas32.General, y []int)
}

// InMemory is a Examples held in memory: example i is row i of X, its label
// Y[i]. X and Y must describe the same number of examples; NewInMemory
// checks that and X's shape, and Train and Evaluate check an InMemory
// again before using it (Validate).
type InMemory struct {
	X blas32.General
	Y []int
}

// NewInMemory returns the dataset of the rows of x labelled y, or an error
// when x's shape is inconsistent (no columns, a stride smaller than the
// columns, as left by a literal without Stride, or Data shorter than the
// rows need) or y does not hold one label per row. Labels are checked
// against the network's classes when training.
func NewInMemory(x blas32.General, y []int) (InMemory, error) {
	d := InMemory{X: x, Y: y}
	return d, d.Validate()
}

// Validate reports whether the dataset is consistent (see NewInMemory).
func (d InMemory) Validate() error {
	x := d.X
	switch {
	case x.Rows < 0 || x.Cols <= 0:
		return fmt.Errorf("layers: dataset matrix of %d x %d (want rows >= 0, columns > 0)", x.Rows, x.Cols)
	case x.Rows > 0 && x.Stride < x.Cols:
		return fmt.Errorf("layers: dataset matrix stride %d is smaller than its %d columns (set Stride: rows would overlap)", x.Stride, x.Cols)
	case x.Rows > 0 && len(x.Data) < (x.Rows-1)*x.Stride+x.Cols:
		return fmt.Errorf("layers: dataset matrix data holds %d values, %d rows of stride %d need %d", len(x.Data), x.Rows, x.Stride, (x.Rows-1)*x.Stride+x.Cols)
	case len(d.Y) != x.Rows:
		return fmt.Errorf("layers: dataset has %d rows and %d labels", x.Rows, len(d.Y))
	}
	return nil
}

// Len returns the number of examples, X.Rows.
func (d InMemory) Len() int { return d.X.Rows }

// Dim returns X.Cols.
func (d InMemory) Dim() int { return d.X.Cols }

// Batch copies the examples idx into x and y. It panics if X and Y differ in
// length, if x or y do not have the shape Examples.Batch promises or if an
// index is out of range, before copying anything.
func (d InMemory) Batch(idx []int, x blas32.General, y []int) {
	if d.Validate() != nil {
		panic(errDataShape)
	}
	c := d.X.Cols
	if x.Rows != len(idx) || len(y) != len(idx) || x.Cols != c || x.Stride < c ||
		len(idx) > 0 && len(x.Data) < (len(idx)-1)*x.Stride+c {
		panic(errBatchShape)
	}
	for _, k := range idx {
		if uint(k) >= uint(d.X.Rows) {
			panic(errBatchIndex)
		}
	}
	for i, k := range idx {
		copy(x.Data[i*x.Stride:i*x.Stride+c], d.X.Data[k*d.X.Stride:k*d.X.Stride+c])
		y[i] = d.Y[k]
	}
}
