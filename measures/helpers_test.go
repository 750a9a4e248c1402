package measures

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// newNet returns an MLP with the given sizes, Gaussian weights of standard
// deviation 1/sqrt(fan_in) and, when bias, Gaussian biases.
func newNet(t testing.TB, sizes []int, seed uint64, bias bool) *layers.Network {
	t.Helper()
	net, err := layers.NewMLP(sizes, layers.MLPOptions{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 99))
	for _, d := range net.Dense() {
		if bias {
			for v := range d.B {
				d.B[v] = float32(0.3 * r.NormFloat64())
			}
		}
	}
	return net
}

// setNet returns a network with the given weights (row-major, Out x In per
// layer) and biases (nil: zeros); sizes[0] is the input size.
func setNet(t testing.TB, sizes []int, w [][]float32, b [][]float32) *layers.Network {
	t.Helper()
	net, err := layers.NewMLP(sizes, layers.MLPOptions{Init: layers.InitZeros})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range net.Dense() {
		copy(d.W.Data, w[i])
		if b != nil {
			copy(d.B, b[i])
		}
	}
	return net
}

// brutePaths enumerates every path of net (from an input unit or from the
// bias source of a layer to an output unit) and returns the sum over paths
// of the product over edges of c_i |w|^p, in float64.
func brutePaths(net *layers.Network, p float64, c []float64) float64 {
	ds := net.Dense()
	ci := func(i int) float64 {
		if c == nil {
			return 1
		}
		return c[i]
	}
	// walk continues a path that has reached unit u of layer i's input
	// (i = 0: the network's input) with product prod.
	var walk func(i, u int, prod float64) float64
	walk = func(i, u int, prod float64) float64 {
		if i == len(ds) {
			return prod
		}
		d := ds[i]
		var s float64
		for v := range d.OutSize() {
			w := float64(d.W.Data[v*d.W.Stride+u])
			s += walk(i+1, v, prod*ci(i)*math.Pow(math.Abs(w), p))
		}
		return s
	}
	var s float64
	for u := range ds[0].InSize() {
		s += walk(0, u, 1)
	}
	for i, d := range ds {
		for v, b := range d.B {
			s += walk(i+1, v, ci(i)*math.Pow(math.Abs(float64(b)), p))
		}
	}
	return s
}

// rescaleNodes multiplies the incoming weights and bias of random hidden
// units by s = exp(N(0, 1)) * scale and divides their outgoing weights by
// s: the function is unchanged.
func rescaleNodes(net *layers.Network, seed uint64, scale float64) {
	r := rand.New(rand.NewPCG(seed, 7))
	ds := net.Dense()
	for i := 0; i < len(ds)-1; i++ {
		in, out := ds[i], ds[i+1]
		for v := range in.OutSize() {
			s := scale * math.Exp(r.NormFloat64())
			for u := range in.InSize() {
				in.W.Data[v*in.W.Stride+u] = float32(float64(in.W.Data[v*in.W.Stride+u]) * s)
			}
			in.B[v] = float32(float64(in.B[v]) * s)
			for k := range out.OutSize() {
				out.W.Data[k*out.W.Stride+v] = float32(float64(out.W.Data[k*out.W.Stride+v]) / s)
			}
		}
	}
}

// randData returns n examples of dim features and labels in [0, classes).
func randData(seed uint64, n, dim, classes int) layers.InMemory {
	r := rand.New(rand.NewPCG(seed, 3))
	x := blas32.General{Rows: n, Cols: dim, Stride: dim, Data: make([]float32, n*dim)}
	for i := range x.Data {
		x.Data[i] = float32(r.Float64())
	}
	y := make([]int, n)
	for i := range y {
		y[i] = r.IntN(classes)
	}
	return layers.InMemory{X: x, Y: y}
}

// labelByNet relabels d with net's predictions, so that every margin is
// non-negative.
func labelByNet(net *layers.Network, d layers.InMemory) layers.InMemory {
	y := make([]int, d.X.Rows)
	net.Predict(d.X, y)
	return layers.InMemory{X: d.X, Y: y}
}

func relErr(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if relErr(got, want) > tol || math.IsNaN(got) != math.IsNaN(want) {
		t.Errorf("%s = %.10g, want %.10g (rel. err. %.2g > %.2g)", what, got, want, relErr(got, want), tol)
	}
}
