package layers

import (
	"gonum.org/v1/gonum/blas/blas32"
)

// Dataset is a labelled set of examples that Train and Evaluate read in
// mini-batches. Any type with these methods will do: the in-memory
// *data.Dataset of package data satisfies it, and so does InMemory.
type Dataset interface {
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

// InMemory is a Dataset held in memory: example i is row i of X, its label
// Y[i]. X and Y must describe the same number of examples.
type InMemory struct {
	X blas32.General
	Y []int
}

// Len returns the number of examples, X.Rows.
func (d InMemory) Len() int { return d.X.Rows }

// Dim returns X.Cols.
func (d InMemory) Dim() int { return d.X.Cols }

// Batch copies the examples idx into x and y. It panics if X and Y differ in
// length, if x or y do not have the shape Dataset.Batch promises or if an
// index is out of range, before copying anything.
func (d InMemory) Batch(idx []int, x blas32.General, y []int) {
	if len(d.Y) != d.X.Rows {
		panic(errDataLabels)
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
