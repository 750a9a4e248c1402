package measures

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// The hand-computed network: 2 inputs, 2 hidden ReLU units, 2 outputs, no
// biases,
//
//	W1 = [[1, -2], [3, 0.5]],  W2 = [[2, -1], [0.5, 4]].
//
// x = (1, 1): z1 = (-1, 3.5), a1 = (0, 3.5), f = (-3.5, 14); label 1,
// margin 17.5. x = (0, 1): z1 = (-2, 0.5), a1 = (0, 0.5), f = (-0.5, 2);
// label 1, margin 2.5.
func handNet(t *testing.T) (*layers.Network, layers.InMemory) {
	net := setNet(t, []int{2, 2, 2}, [][]float32{{1, -2, 3, 0.5}, {2, -1, 0.5, 4}}, nil)
	d := layers.InMemory{
		X: blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: []float32{1, 1, 0, 1}},
		Y: []int{1, 1},
	}
	return net, d
}

func TestHandComputed(t *testing.T) {
	net, d := handNet(t)
	r, err := Compute(context.Background(), net, d, Options{Power: PowerOptions{Tol: 1e-9}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Margins, []float64{17.5, 2.5}) {
		t.Errorf("margins %v, want [17.5 2.5]", r.Margins)
	}
	// 5th percentile of {2.5, 17.5}: 2.5 + 0.05 * 15.
	near(t, "gamma", r.Gamma, 3.25, 1e-15)
	if r.TrainError != 0 || r.MarginLoss != 0.5 {
		t.Errorf("train error %v, margin loss %v; want 0, 0.5", r.TrainError, r.MarginLoss)
	}
	near(t, "B", r.InputNorm, math.Sqrt2, 1e-7)
	// phi_1 = 1^T |W2| |W1| 1 = (2.5, 5) . (3, 3.5) = 25.
	near(t, "phi_1", r.PathNorm1, 25, 1e-15)
	// phi_2^2 = (4.25, 17) . (5, 9.25) = 178.5.
	near(t, "phi_2", r.PathNorm2, math.Sqrt(178.5), 1e-15)
	near(t, "l1-path", r.Raw.L1Path, (4*25)*(4*25), 1e-15)
	near(t, "l2-path", r.Raw.L2Path, 8*8*178.5, 1e-15)
	// ||W1||_F^2 = 14.25, ||W2||_F^2 = 21.25.
	near(t, "l2", r.Raw.L2, 16*14.25*21.25, 1e-15)
	// W1^T W1 = [[10, -0.5], [-0.5, 4.25]]: sigma^2 = (14.25 + sqrt(34.0625))/2;
	// W2^T W2 = diag(4.25, 17).
	s1 := (14.25 + math.Sqrt(34.0625)) / 2
	s2 := 17.0
	near(t, "||W1||_2", r.Layers[0].Spectral.Sigma, math.Sqrt(s1), 1e-6)
	near(t, "||W2||_2", r.Layers[1].Spectral.Sigma, math.Sqrt(s2), 1e-6)
	near(t, "spectral", r.Raw.Spectral, 2*2*s1*s2, 2e-6)
	r1 := math.Sqrt(5) + math.Sqrt(9.25)
	r2 := math.Sqrt(5) + math.Sqrt(16.25)
	near(t, "||W1^T||_2,1", r.Layers[0].RowNormSum, r1, 1e-7)
	a := math.Pow(r1/math.Sqrt(s1), 2.0/3) + math.Pow(r2/math.Sqrt(s2), 2.0/3)
	near(t, "bartlett", r.Raw.Bartlett, s1*s2*a*a*a, 2e-6)
	// B^2 d^2 h ln(d h) prod sigma^2 sum F^2/sigma^2, B^2 = 2, d = h = 2.
	near(t, "pac-bayes", r.Raw.PACBayes, 2*4*2*math.Log(4)*s1*s2*(14.25/s1+21.25/s2), 2e-6)
	g2 := 3.25 * 3.25
	near(t, "normalized l2", r.Normalized.L2, r.Raw.L2/g2, 1e-15)
	near(t, "normalized l2-path", r.Normalized.L2Path, r.Raw.L2Path/g2, 1e-15)
	if r.Bound.Augmented || r.Bound.Depth != 2 || r.Bound.Width != 2 || r.Bound.Examples != 2 {
		t.Errorf("bound %+v", r.Bound)
	}
}

func TestPathNormsBruteForce(t *testing.T) {
	for _, sizes := range [][]int{{3, 4, 3, 2}, {5, 2}, {2, 3, 1, 4, 3}, {1, 1, 1}} {
		for _, bias := range []bool{false, true} {
			net := newNet(t, sizes, 11, bias)
			for _, p := range []float64{1, 2, 1.5, 0.5} {
				got := PathNorm(net, p)
				want := math.Pow(brutePaths(net, p, nil), 1/p)
				near(t, "phi_p", got, want, 1e-13)
			}
			h := Widths(net)
			c1 := make([]float64, len(h)-1)
			c2 := make([]float64, len(h)-1)
			for i := range c1 {
				c1[i], c2[i] = 2, 4*float64(h[i+1])
			}
			l1 := brutePaths(net, 1, c1)
			near(t, "l1-path measure", L1PathMeasure(net), l1*l1, 1e-13)
			near(t, "l2-path measure", L2PathMeasure(net), brutePaths(net, 2, c2), 1e-13)
		}
	}
}

func TestPathNormMatrixForm(t *testing.T) {
	// Without biases, phi_2^2 = 1^T W2^2 W1^2 1 and every path has d edges.
	net := newNet(t, []int{6, 5, 4, 3}, 5, false)
	want := 0.0
	ds := net.Dense()
	for k := range 3 {
		for v := range 4 {
			for u := range 5 {
				for j := range 6 {
					a := float64(ds[2].W.Data[k*4+v]) * float64(ds[1].W.Data[v*5+u]) * float64(ds[0].W.Data[u*6+j])
					want += a * a
				}
			}
		}
	}
	near(t, "phi_2^2", math.Pow(PathNorm(net, 2), 2), want, 1e-13)
}

func TestDeepPathNormFinite(t *testing.T) {
	// Depth 10 with unit rescalings up to 1e3: float64 accumulation keeps
	// the value finite and invariant.
	sizes := []int{8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 3}
	net := newNet(t, sizes, 2, true)
	before := []float64{PathNorm(net, 1), PathNorm(net, 2), L2PathMeasure(net)}
	rescaleNodes(net, 3, 1e3)
	after := []float64{PathNorm(net, 1), PathNorm(net, 2), L2PathMeasure(net)}
	for i := range before {
		if math.IsInf(after[i], 0) || math.IsNaN(after[i]) {
			t.Fatalf("measure %d not finite: %v", i, after[i])
		}
		near(t, "deep path measure", after[i], before[i], 1e-4)
	}
}

// TestRescalingInvariance checks that node rescaling leaves the function,
// the margins, the path measures and every path-based margin-normalized
// measure unchanged, while the l2 (Frobenius) product changes.
func TestRescalingInvariance(t *testing.T) {
	ctx := context.Background()
	net := newNet(t, []int{10, 8, 6, 4}, 21, true)
	d := labelByNet(net, randData(4, 200, 10, 4))
	opt := Options{InputNorm: 4, Power: PowerOptions{Tol: 1e-9}}
	r0, err := Compute(ctx, net, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	rescaleNodes(net, 8, 1)
	r1, err := Compute(ctx, net, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	// float32 weights: the rescaled network differs by a few ulps.
	near(t, "gamma", r1.Gamma, r0.Gamma, 1e-5)
	near(t, "phi_1", r1.PathNorm1, r0.PathNorm1, 1e-6)
	near(t, "phi_2", r1.PathNorm2, r0.PathNorm2, 1e-6)
	near(t, "l1-path/gamma^2", r1.Normalized.L1Path, r0.Normalized.L1Path, 1e-4)
	near(t, "l2-path/gamma^2", r1.Normalized.L2Path, r0.Normalized.L2Path, 1e-4)
	for _, c := range []struct {
		name   string
		v0, v1 float64
	}{{"l2", r0.Raw.L2, r1.Raw.L2}, {"spectral", r0.Raw.Spectral, r1.Raw.Spectral}} {
		if relErr(c.v0, c.v1) < 0.1 {
			t.Errorf("%s product barely changed under node rescaling: %v -> %v", c.name, c.v0, c.v1)
		}
	}
}

// TestOutputScaleInvariance checks that every margin-normalized measure is
// unchanged when the outputs are scaled by c (last layer times c), and
// every matrix measure under layer scalings whose product is one.
func TestOutputScaleInvariance(t *testing.T) {
	ctx := context.Background()
	net := newNet(t, []int{7, 6, 5, 3}, 31, false)
	d := labelByNet(net, randData(5, 150, 7, 3))
	opt := Options{InputNorm: 3, Power: PowerOptions{Tol: 1e-10}}
	r0, err := Compute(ctx, net, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	last := net.Dense()[2]
	for i := range last.W.Data {
		last.W.Data[i] *= 8 // exact in float32
	}
	r1, err := Compute(ctx, net, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "gamma x 8", r1.Gamma, 8*r0.Gamma, 1e-12)
	names := r0.Normalized.Names()
	v0, v1 := r0.Normalized.Values(), r1.Normalized.Values()
	for i := range v0 {
		near(t, names[i]+"/gamma^2 under output scaling", v1[i], v0[i], 1e-5)
	}
	// Layer scalings 1/2, 4, 1/16 (product 1/8 undoes the 8): the network
	// is the original again, up to exact powers of two.
	for i, c := range []float32{0.5, 4, 0.0625} {
		for j := range net.Dense()[i].W.Data {
			net.Dense()[i].W.Data[j] *= c
		}
	}
	r2, err := Compute(ctx, net, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	v0, v2 := r0.Raw.Values(), r2.Raw.Values()
	for i := range v0 {
		near(t, names[i]+" under layer scaling", v2[i], v0[i], 1e-5)
	}
	near(t, "bound under layer scaling", r2.Bound.Value, r0.Bound.Value, 1e-5)
}

func TestMarginsAndPercentile(t *testing.T) {
	x := []float64{5, 1, 4, 2, 3}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {100, 5}, {50, 3}, {25, 2}, {10, 1.4}, {5, 1.2}} {
		near(t, "percentile", Percentile(x, c.q), c.want, 1e-15)
	}
	if !slices.Equal(x, []float64{5, 1, 4, 2, 3}) {
		t.Error("Percentile modified its input")
	}
	if Percentile([]float64{7}, 5) != 7 {
		t.Error("percentile of one value")
	}
	if got := MarginLoss([]float64{-1, 0, 0.5, 1, 2}, 0.5); got != 0.6 {
		t.Errorf("margin loss %v, want 0.6", got)
	}
	for _, bad := range []func(){
		func() { Percentile(nil, 5) },
		func() { Percentile(x, -1) },
		func() { Percentile(x, 101) },
		func() { Percentile(x, math.NaN()) },
	} {
		func() {
			defer func() {
				if recover() != errPercentile {
					t.Error("bad percentile did not panic with errPercentile")
				}
			}()
			bad()
		}()
	}
	// Margins on more examples than one batch match a direct loop.
	net := newNet(t, []int{4, 6, 3}, 1, true)
	d := randData(2, 3*defaultBatch+17, 4, 3)
	m, err := Margins(context.Background(), net, d)
	if err != nil {
		t.Fatal(err)
	}
	z := net.Forward(d.X)
	for i := range d.Y {
		row := z.Data[i*3 : i*3+3]
		o := math.Inf(-1)
		for j, v := range row {
			if j != d.Y[i] {
				o = math.Max(o, float64(v))
			}
		}
		if m[i] != float64(row[d.Y[i]])-o {
			t.Fatalf("margin %d = %v, want %v", i, m[i], float64(row[d.Y[i]])-o)
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	net := newNet(t, []int{4, 5, 3}, 1, false)
	good := randData(1, 20, 4, 3)
	badLabel := randData(1, 20, 4, 3)
	badLabel.Y[7] = 3
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, c := range []struct {
		name string
		err  func() error
	}{
		{"dim", func() error { _, err := Compute(ctx, net, randData(1, 5, 3, 3), Options{}); return err }},
		{"empty", func() error { _, err := Compute(ctx, net, randData(1, 0, 4, 3), Options{}); return err }},
		{"label", func() error { _, err := Margins(ctx, net, badLabel); return err }},
		{"percentile", func() error { _, err := Compute(ctx, net, good, Options{Percentile: 120}); return err }},
		{"delta", func() error { _, err := Compute(ctx, net, good, Options{Delta: 1}); return err }},
		{"input norm", func() error { _, err := Compute(ctx, net, good, Options{InputNorm: -1}); return err }},
		{"tol", func() error { _, err := SpectralNorm(net.Dense()[0].W, PowerOptions{Tol: -1}); return err }},
		{"bound m", func() error {
			_, err := SpectralBound(net, []float64{1}, 1, BoundOptions{InputNorm: 1})
			return err
		}},
		{"bound B", func() error { _, err := SpectralBound(net, []float64{1, 2}, 1, BoundOptions{}); return err }},
		{"sharpness alpha", func() error {
			_, err := WorstCaseSharpness(ctx, net, good, SharpnessOptions{Alpha: -1})
			return err
		}},
		{"sharpness label", func() error {
			_, err := WorstCaseSharpness(ctx, net, badLabel, SharpnessOptions{})
			return err
		}},
		{"expected sigma", func() error {
			_, err := ExpectedSharpness(ctx, net, good, ExpectedOptions{Sigma: -1})
			return err
		}},
	} {
		if err := c.err(); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := Compute(cancelled, net, good, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	one, _ := layers.NewMLP([]int{4, 1}, layers.MLPOptions{})
	if _, err := Margins(ctx, one, layers.InMemory{X: good.X, Y: make([]int, 20)}); err == nil {
		t.Error("margins of a one-output network: no error")
	}
	func() {
		defer func() {
			if recover() != errNilNetwork {
				t.Error("nil network did not panic with errNilNetwork")
			}
		}()
		PathNorm(nil, 2)
	}()
	func() {
		defer func() {
			if recover() != errPathP {
				t.Error("p = 0 did not panic with errPathP")
			}
		}()
		PathNorm(net, 0)
	}()
}

func TestZeroNetwork(t *testing.T) {
	net, _ := layers.NewMLP([]int{3, 4, 2}, layers.MLPOptions{Init: layers.InitZeros})
	d := randData(1, 10, 3, 2)
	r, err := Compute(context.Background(), net, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Gamma != 0 || r.TrainError != 1 || r.Raw.L2 != 0 || r.Raw.Bartlett != 0 || r.PathNorm2 != 0 {
		t.Errorf("zero network: %+v", r)
	}
	if !math.IsInf(r.Normalized.L2, 1) || !math.IsInf(r.Bound.Value, 1) {
		t.Errorf("zero margin should give +Inf normalized measures and bound: %v %v", r.Normalized.L2, r.Bound.Value)
	}
}
