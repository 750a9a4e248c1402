package layers

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas32"
)

// Dataset is a labelled set of examples that Train and Evaluate read in
// mini-batches. Any type with these methods will do (a data-loading package
// need not import this one).
type Dataset interface {
	// Len returns the number of examples.
	Len() int
	// Features returns the number of features of an example.
	Features() int
	// Batch copies example idx[i] into row i of x and its label into y[i],
	// for every i. x has len(idx) rows and Features() columns and y has
	// len(idx) elements; Batch must not keep them. A label is a class index.
	Batch(idx []int, x blas32.General, y []int) error
}

// InMemory is a Dataset held in memory: example i is row i of X, its label
// Y[i].
type InMemory struct {
	X blas32.General
	Y []int
}

// Len returns the number of examples, X.Rows.
func (d InMemory) Len() int { return d.X.Rows }

// Features returns X.Cols.
func (d InMemory) Features() int { return d.X.Cols }

// Batch copies the examples idx into x and y. It returns an error if an
// index is out of range, if X and Y disagree on the number of examples or
// if x and y do not have the shape Dataset.Batch promises.
func (d InMemory) Batch(idx []int, x blas32.General, y []int) error {
	if len(d.Y) != d.X.Rows {
		return fmt.Errorf("layers: in-memory dataset has %d rows but %d labels", d.X.Rows, len(d.Y))
	}
	if x.Rows != len(idx) || len(y) != len(idx) || x.Cols != d.X.Cols {
		return fmt.Errorf("layers: batch of %d examples into a %dx%d matrix and %d labels (want %d features)",
			len(idx), x.Rows, x.Cols, len(y), d.X.Cols)
	}
	c := d.X.Cols
	for i, k := range idx {
		if k < 0 || k >= d.X.Rows {
			return fmt.Errorf("layers: example index %d out of range [0, %d)", k, d.X.Rows)
		}
		copy(x.Data[i*x.Stride:i*x.Stride+c], d.X.Data[k*d.X.Stride:k*d.X.Stride+c])
		y[i] = d.Y[k]
	}
	return nil
}
