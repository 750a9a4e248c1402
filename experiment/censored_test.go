package experiment

import (
	"slices"
	"testing"

	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

func labelled(n, classes int) *data.Dataset {
	x := make([]float32, n*3)
	y := make([]int, n)
	for i := range n {
		y[i] = i % classes
		x[i*3], x[i*3+1], x[i*3+2] = float32(i), float32(-i), 1
	}
	return &data.Dataset{X: blas32.General{Rows: n, Cols: 3, Stride: 3, Data: x}, Y: y, Classes: classes}
}

// TestNoisyLabels: exactly round(frac*n) labels change, each to another
// class, the same ones for the same seed, other ones for another seed;
// the inputs and the original labels are untouched.
func TestNoisyLabels(t *testing.T) {
	d := labelled(1000, 10)
	y0, x0 := slices.Clone(d.Y), slices.Clone(d.X.Data)
	a, b, c := NoisyLabels(d, 0.05, 7), NoisyLabels(d, 0.05, 7), NoisyLabels(d, 0.05, 8)
	changed := 0
	for i := range d.Y {
		if a.Y[i] != y0[i] {
			changed++
		}
		if a.Y[i] < 0 || a.Y[i] >= 10 {
			t.Fatalf("label %d out of range", a.Y[i])
		}
	}
	if changed != 50 {
		t.Errorf("%d labels changed, want 50", changed)
	}
	if !slices.Equal(a.Y, b.Y) || slices.Equal(a.Y, c.Y) {
		t.Error("noise not reproducible from its seed, or the same for another seed")
	}
	if !slices.Equal(d.Y, y0) || !slices.Equal(d.X.Data, x0) || &a.X.Data[0] != &d.X.Data[0] {
		t.Error("the original labels or inputs changed, or the inputs were copied")
	}
	if n := NoisyLabels(d, 0, 1); !slices.Equal(n.Y, y0) {
		t.Error("noise 0 changed labels")
	}
}

// TestCensorLabels: the censored labels are the network's predictions, row
// by row, across the 1000-row blocks; the inputs are shared.
func TestCensorLabels(t *testing.T) {
	d := labelled(2345, 3)
	net, err := layers.NewMLP([]int{3, 4, 3}, layers.MLPOptions{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := CensorLabels(d, net)
	want := make([]int, d.Len())
	net.Predict(d.X, want)
	if !slices.Equal(c.Y, want) || &c.X.Data[0] != &d.X.Data[0] || c.Classes != 3 {
		t.Error("censored labels differ from the predictions")
	}
}
