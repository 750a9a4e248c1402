package measures

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/mat"
)

// svdNorm returns the largest singular value of w by gonum's dense SVD in
// float64.
func svdNorm(t *testing.T, w blas32.General) float64 {
	t.Helper()
	a := mat.NewDense(w.Rows, w.Cols, nil)
	for r := range w.Rows {
		for c := range w.Cols {
			a.Set(r, c, float64(w.Data[r*w.Stride+c]))
		}
	}
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDNone) {
		t.Fatal("SVD failed")
	}
	return svd.Values(nil)[0]
}

func TestSpectralNormVsSVD(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gauss := func(rows, cols, stride int) blas32.General {
		w := blas32.General{Rows: rows, Cols: cols, Stride: stride, Data: make([]float32, (rows-1)*stride+cols)}
		for i := range w.Data {
			w.Data[i] = float32(r.NormFloat64())
		}
		return w
	}
	cases := map[string]blas32.General{
		"1x1":        {Rows: 1, Cols: 1, Stride: 1, Data: []float32{-3}},
		"1x7":        gauss(1, 7, 7),
		"7x1":        gauss(7, 1, 1),
		"5x3":        gauss(5, 3, 3),
		"3x5":        gauss(3, 5, 5),
		"17x33/s40":  gauss(17, 33, 40),
		"64x40":      gauss(64, 40, 40),
		"100x784":    gauss(100, 784, 784),
		"diag":       {Rows: 3, Cols: 3, Stride: 3, Data: []float32{1, 0, 0, 0, -5, 0, 0, 0, 2}},
		"orthogonal": {Rows: 2, Cols: 2, Stride: 2, Data: []float32{0.6, -0.8, 0.8, 0.6}},
	}
	// A rank-one matrix u v^T has norm ||u|| ||v||; a matrix whose top
	// singular vector is orthogonal to the all-ones vector still works
	// from a random start.
	rank1 := blas32.General{Rows: 6, Cols: 4, Stride: 4, Data: make([]float32, 24)}
	for i := range 6 {
		for j := range 4 {
			rank1.Data[i*4+j] = float32((i + 1) * (j%2*2 - 1))
		}
	}
	cases["rank1"] = rank1
	cases["large gap"] = blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: []float32{1, -1, 1, -1}}
	for name, w := range cases {
		got, err := SpectralNorm(w, PowerOptions{Tol: 1e-7, MaxIter: 5000, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		want := svdNorm(t, w)
		if relErr(got.Sigma, want) > 2e-5 {
			t.Errorf("%s: sigma = %.9g after %d iterations (converged %v), SVD %.9g", name, got.Sigma, got.Iters, got.Converged, want)
		}
		if got.Sigma > want*(1+1e-6) {
			t.Errorf("%s: estimate %.9g above sigma_max %.9g", name, got.Sigma, want)
		}
	}
}

func TestSpectralNormEdgeCases(t *testing.T) {
	zero := blas32.General{Rows: 3, Cols: 2, Stride: 2, Data: make([]float32, 6)}
	s, err := SpectralNorm(zero, PowerOptions{})
	if err != nil || s.Sigma != 0 || !s.Converged || s.Iters != 1 {
		t.Errorf("zero matrix: %+v, %v", s, err)
	}
	s, err = SpectralNorm(blas32.General{Stride: 1}, PowerOptions{})
	if err != nil || s.Sigma != 0 {
		t.Errorf("empty matrix: %+v, %v", s, err)
	}
	// Same seed, same result; MaxIter 1 is one iteration, not converged.
	w := blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: []float32{2, 1, 1, 2}}
	a, _ := SpectralNorm(w, PowerOptions{Seed: 9})
	b, _ := SpectralNorm(w, PowerOptions{Seed: 9})
	if a != b {
		t.Errorf("not reproducible: %+v %+v", a, b)
	}
	one, _ := SpectralNorm(w, PowerOptions{MaxIter: 1})
	if one.Iters != 1 || one.Converged || one.Sigma > 3 {
		t.Errorf("MaxIter 1: %+v", one)
	}
	if math.Abs(a.Sigma-3) > 1e-6 {
		t.Errorf("||[[2,1],[1,2]]|| = %v, want 3", a.Sigma)
	}
	defer func() {
		if recover() != errMatrix {
			t.Error("short matrix did not panic with errMatrix")
		}
	}()
	SpectralNorm(blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float32, 3)}, PowerOptions{})
}
