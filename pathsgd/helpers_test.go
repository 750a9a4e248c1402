package pathsgd

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// newNet returns a ReLU MLP with balanced weights and, if bias, N(0, 0.1²)
// biases.
func newNet(t testing.TB, sizes []int, seed uint64, bias bool, dropout float32) *layers.Network {
	t.Helper()
	net, err := layers.NewMLP(sizes, layers.MLPOptions{Seed: seed, Dropout: dropout, MaxBatch: 16})
	if err != nil {
		t.Fatal(err)
	}
	if bias {
		r := newRand(seed + 1)
		for _, l := range net.Dense() {
			for i := range l.B {
				l.B[i] = float32(0.1 * r.NormFloat64())
			}
		}
	}
	return net
}

// randomScales returns unit scales 10^U(-m, m) for net's hidden layers.
func randomScales(net *layers.Network, r *rand.Rand, m float64) [][]float64 {
	dense := net.Dense()
	s := make([][]float64, len(dense)-1)
	for k := range s {
		s[k] = make([]float64, dense[k].OutSize())
		for v := range s[k] {
			s[k][v] = math.Pow(10, m*(2*r.Float64()-1))
		}
	}
	return s
}

func randMatrix(r *rand.Rand, rows, cols int) blas32.General {
	m := blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: make([]float32, rows*cols)}
	for i := range m.Data {
		m.Data[i] = float32(r.NormFloat64())
	}
	return m
}

func randLabels(r *rand.Rand, n, k int) []int {
	y := make([]int, n)
	for i := range y {
		y[i] = r.IntN(k)
	}
	return y
}

// relErr returns |a-b| / max(|a|, |b|, tiny).
func relErr(a, b float64) float64 {
	d := math.Abs(a - b)
	m := math.Max(math.Abs(a), math.Abs(b))
	if m == 0 {
		return d
	}
	return d / m
}

// forEachImpl runs f once per available asm implementation, selected.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, impl := range asm.AvailableImpls() {
		t.Run("impl="+impl.Name, func(t *testing.T) {
			prev, err := asm.Use(impl.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer asm.Restore(prev)
			f(t)
		})
	}
}
