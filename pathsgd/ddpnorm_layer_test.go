package pathsgd

import (
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// ddpPair returns the float64 reference DDPNet and a float32
// layers.Network with DDPNorm layers holding the same (float32-rounded)
// parameters.
func ddpPair(t *testing.T, sizes []int, alpha float64, seed uint64) (*DDPNet, *layers.Network) {
	t.Helper()
	ref := newDDPNet(sizes, alpha, seed)
	net, err := layers.NewMLP(sizes, layers.MLPOptions{Norm: layers.NormDDP, Alpha: float32(alpha)})
	if err != nil {
		t.Fatal(err)
	}
	for k, d := range net.Dense() {
		for i := range d.W.Data {
			d.W.Data[i] = float32(ref.W[k][i])
			ref.W[k][i] = float64(d.W.Data[i])
		}
		for i := range d.B {
			d.B[i] = float32(ref.B[k][i])
			ref.B[k][i] = float64(d.B[i])
		}
	}
	return ref, net
}

func toMatrix(x [][]float64) blas32.General {
	m := blas32.General{Rows: len(x), Cols: len(x[0]), Stride: len(x[0]), Data: make([]float32, len(x)*len(x[0]))}
	for i, row := range x {
		for j, v := range row {
			m.Data[i*m.Cols+j] = float32(v)
		}
	}
	return m
}

func gradErr(got float32, want float64) float64 {
	return math.Abs(float64(got)-want) / (1e-3 + math.Abs(want))
}

// TestDDPNormLayerAgainstReference: the float32 DDPNorm layers in a
// layers.Network give the loss, every gradient (through the batch
// statistics and the weight norms), the running averages and the
// inference outputs of the float64 reference model pathsgd.DDPNet, whose
// gradient is checked against finite differences in TestDDPNormGradient.
func TestDDPNormLayerAgainstReference(t *testing.T) {
	for _, alpha := range []float64{0, 0.25, 0.6, 1} {
		ref, net := ddpPair(t, []int{5, 8, 7, 3}, alpha, 11)
		for step := range 3 {
			x := randRows(uint64(20+step), 9, 5)
			y := randLabels(newRand(uint64(30+step)), 9, 3)
			lr := ref.Gradient(x, y)
			lg := net.Gradient(toMatrix(x), y)
			if math.Abs(lg-lr) > 1e-5*(1+math.Abs(lr)) {
				t.Fatalf("alpha=%g step %d: loss %g, reference %g", alpha, step, lg, lr)
			}
			worst := 0.0
			for k, d := range net.Dense() {
				for i, g := range d.DW.Data {
					worst = math.Max(worst, gradErr(g, ref.DW[k][i]))
				}
				for i, g := range d.DB {
					worst = math.Max(worst, gradErr(g, ref.DB[k][i]))
				}
			}
			if worst > 1e-4 {
				t.Errorf("alpha=%g step %d: gradients differ from the reference by %g (relative)", alpha, step, worst)
			}
		}
		// The running averages (first batch sets them, then factor 0.1)
		// in inference mode.
		eval := randRows(40, 6, 5)
		want := ref.Forward(eval, false)
		got := net.Forward(toMatrix(eval))
		for i := range want {
			for j, w := range want[i] {
				if e := gradErr(got.Data[i*3+j], w); e > 1e-4 {
					t.Fatalf("alpha=%g: inference logit [%d][%d] = %g, reference %g", alpha, i, j, got.Data[i*3+j], w)
				}
			}
		}
	}
}

// TestDDPNormAlphaZeroIsPathNormalized: with alpha = 0 the DDP-normalized
// network computes the plain ReLU network whose hidden units' incoming
// weights and bias are divided by their l2 norm.
func TestDDPNormAlphaZeroIsPathNormalized(t *testing.T) {
	_, net := ddpPair(t, []int{6, 9, 8, 4}, 0, 12)
	plain, err := layers.NewMLP([]int{6, 9, 8, 4}, layers.MLPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nd, pd := net.Dense(), plain.Dense()
	for k, d := range nd {
		copy(pd[k].W.Data, d.W.Data)
		copy(pd[k].B, d.B)
		if k == len(nd)-1 {
			break
		}
		for v := range d.B {
			row := pd[k].W.Data[v*d.W.Cols : (v+1)*d.W.Cols]
			s := float64(d.B[v]) * float64(d.B[v])
			for _, w := range row {
				s += float64(w) * float64(w)
			}
			c := float32(1 / math.Sqrt(s))
			for u := range row {
				row[u] *= c
			}
			pd[k].B[v] *= c
		}
	}
	x := toMatrix(randRows(13, 10, 6))
	a := append([]float32(nil), net.Forward(x).Data...)
	b := plain.Forward(x).Data
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-5*(1+math.Abs(float64(b[i]))) {
			t.Fatalf("logit %d: DDP-normalized %g, path-normalized plain network %g", i, a[i], b[i])
		}
	}
}

// TestDDPNormLayerInvariance: scaling a hidden unit's incoming weights and
// bias by c > 0 leaves the training loss unchanged, and the inference
// outputs too once the running average is scaled by c^2, for every alpha.
func TestDDPNormLayerInvariance(t *testing.T) {
	for _, alpha := range []float64{0, 0.5, 1} {
		_, a := ddpPair(t, []int{5, 8, 7, 3}, alpha, 14)
		_, b := ddpPair(t, []int{5, 8, 7, 3}, alpha, 14)
		x := toMatrix(randRows(15, 12, 5))
		y := randLabels(newRand(16), 12, 3)
		a.Gradient(x, y)
		b.Gradient(x, y)
		r := newRand(17)
		var norms []*layers.DDPNorm
		for _, l := range b.Layers() {
			if l, ok := l.(*layers.DDPNorm); ok {
				norms = append(norms, l)
			}
		}
		for k, d := range b.Dense()[:2] {
			for v := range d.B {
				c := float32(math.Pow(2, float64(r.IntN(9)-4))) // exact in float32
				for u := range d.W.Cols {
					d.W.Data[v*d.W.Stride+u] *= c
				}
				d.B[v] *= c
				norms[k].RunSq[v] *= c * c
			}
		}
		xa := toMatrix(randRows(18, 7, 5))
		fa := append([]float32(nil), a.Forward(xa).Data...)
		fb := b.Forward(xa).Data
		for i := range fa {
			if math.Abs(float64(fa[i]-fb[i])) > 1e-5*(1+math.Abs(float64(fa[i]))) {
				t.Fatalf("alpha=%g: inference output %d: %g before rescaling, %g after", alpha, i, fa[i], fb[i])
			}
		}
		la, lb := a.Gradient(x, y), b.Gradient(x, y)
		if math.Abs(la-lb) > 1e-5 {
			t.Errorf("alpha=%g: training loss %g before rescaling, %g after", alpha, la, lb)
		}
	}
}

// TestNormalizedNetworkRefused: the path norm, Path-SGD and DDP-SGD refuse
// networks with normalization layers, whose function is not the plain
// ReLU network they are defined on.
func TestNormalizedNetworkRefused(t *testing.T) {
	net, err := layers.NewMLP([]int{4, 5, 3}, layers.MLPOptions{Norm: layers.NormBatch})
	if err != nil {
		t.Fatal(err)
	}
	net.Gradient(toMatrix(randRows(1, 4, 4)), []int{0, 1, 2, 0})
	for name, f := range map[string]func(){
		"Phi":     func() { Phi(net, 2) },
		"PathSGD": func() { (&PathSGD{LR: layers.Constant(0.1)}).Step(net) },
		"DDPSGD":  func() { (&DDPSGD{LR: layers.Constant(0.1), Alpha: 0.5}).Step(net) },
	} {
		func() {
			defer func() {
				if r := recover(); r != errNormNet {
					t.Errorf("%s: panic %v, want %q", name, r, errNormNet)
				}
			}()
			f()
		}()
	}
}
