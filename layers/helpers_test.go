package layers

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	"gonum.org/v1/gonum/blas/blas32"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// randMatrix returns a rows x cols matrix with leading dimension stride
// (>= cols) of N(0, 1) values; the padding holds NaN, so reading it shows.
func randMatrix(r *rand.Rand, rows, cols, stride int) blas32.General {
	m := blas32.General{Rows: rows, Cols: cols, Stride: stride, Data: make([]float32, max(0, (rows-1)*stride+cols))}
	for i := range m.Data {
		if i%stride < cols {
			m.Data[i] = float32(r.NormFloat64())
		} else {
			m.Data[i] = float32(math.NaN())
		}
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

// blobs returns a separable classification problem: k Gaussian clusters in
// f dimensions (their centres drawn from seed), n examples.
func blobs(seed uint64, n, f, k int) InMemory { return blobSamples(seed, seed, n, f, k) }

// blobSamples is blobs with the examples drawn from their own seed, so that
// a validation set shares the clusters but not the examples.
func blobSamples(seed, sampleSeed uint64, n, f, k int) InMemory {
	r := newRand(seed)
	centers := make([][]float64, k)
	for c := range centers {
		centers[c] = make([]float64, f)
		for j := range centers[c] {
			centers[c][j] = 3 * r.NormFloat64()
		}
	}
	r = newRand(sampleSeed ^ 0xb10b)
	x := blas32.General{Rows: n, Cols: f, Stride: f, Data: make([]float32, n*f)}
	y := make([]int, n)
	for i := range y {
		c := r.IntN(k)
		y[i] = c
		for j := 0; j < f; j++ {
			x.Data[i*f+j] = float32(centers[c][j] + r.NormFloat64())
		}
	}
	return InMemory{X: x, Y: y}
}

func sameParams(a, b *Network) bool {
	pa, pb := a.Params(), b.Params()
	if len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		if len(pa[i].Value) != len(pb[i].Value) {
			return false
		}
		for j, v := range pa[i].Value {
			if math.Float32bits(v) != math.Float32bits(pb[i].Value[j]) {
				return false
			}
		}
	}
	return true
}
