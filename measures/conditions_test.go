package measures

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/mat"
)

// refForward returns the float64 ReLU masks of every hidden layer of net
// at input x (weights w, or the network's own when nil).
func refMasks(net *layers.Network, x []float32, w [][]float64) [][]bool {
	ds := net.Dense()
	in := make([]float64, len(x))
	for i, v := range x {
		in[i] = float64(v)
	}
	var masks [][]bool
	for i, d := range ds {
		out := make([]float64, d.W.Rows)
		for j := range out {
			s := float64(d.B[j])
			for k := range d.W.Cols {
				wv := float64(d.W.Data[j*d.W.Stride+k])
				if w != nil {
					wv = w[i][j*d.W.Cols+k]
				}
				s += wv * in[k]
			}
			out[j] = s
		}
		if i < len(ds)-1 {
			m := make([]bool, len(out))
			for j, v := range out {
				m[j] = v > 0
				if !m[j] {
					out[j] = 0
				}
			}
			masks = append(masks, m)
		}
		in = out
	}
	return masks
}

// refJacobian forms J^(a,b) = D_b W_b ... D_(a+1) W_(a+1) explicitly.
func refJacobian(net *layers.Network, masks [][]bool, a, b int) *mat.Dense {
	ds := net.Dense()
	var j *mat.Dense
	for i := a + 1; i <= b; i++ {
		d := ds[i-1]
		w := mat.NewDense(d.W.Rows, d.W.Cols, nil)
		for r := range d.W.Rows {
			for c := range d.W.Cols {
				v := float64(d.W.Data[r*d.W.Stride+c])
				if i < len(ds) && !masks[i-1][r] {
					v = 0
				}
				w.Set(r, c, v)
			}
		}
		if j == nil {
			j = w
		} else {
			var p mat.Dense
			p.Mul(w, j)
			j = &p
		}
	}
	return j
}

func spec(m mat.Matrix) float64 {
	var s mat.SVD
	if !s.Factorize(m, mat.SVDNone) {
		panic("svd failed")
	}
	return s.Values(nil)[0]
}

// TestConditionsBruteForce compares C1 with the explicit Jacobian products'
// spectral norms (gonum's SVD in float64), C2 with a direct float64 count
// of the ReLU states that the same perturbations flip, and C3 with the row
// norms; mu never exceeds 1.
func TestConditionsBruteForce(t *testing.T) {
	sizes := []int{6, 5, 7, 4, 3}
	net := newNet(t, sizes, 3, true)
	data := randData(4, 9, sizes[0], 3)
	opt := ConditionOptions{Power: PowerOptions{Tol: 1e-7, MaxIter: 5000, Seed: 1}, Sigmas: []float64{0, 0.05, 0.5}, Draws: 2, Seed: 7, BatchSize: 4}
	r, err := Conditions(context.Background(), net, data, opt)
	if err != nil {
		t.Fatal(err)
	}
	nl := len(sizes) - 1
	ds := net.Dense()
	for i := range ds {
		w := mat.NewDense(ds[i].W.Rows, ds[i].W.Cols, nil)
		for rr := range ds[i].W.Rows {
			for c := range ds[i].W.Cols {
				w.Set(rr, c, float64(ds[i].W.Data[rr*ds[i].W.Stride+c]))
			}
		}
		if e := relErr(r.WeightNorms[i], spec(w)); e > 1e-5 {
			t.Fatalf("||W_%d||: %v, want %v", i+1, r.WeightNorms[i], spec(w))
		}
	}
	k := 0
	for e := range data.Len() {
		x := data.X.Data[e*data.X.Stride : e*data.X.Stride+data.X.Cols]
		masks := refMasks(net, x, nil)
		norm := func(a, b int) float64 {
			if a == b {
				return 1
			}
			return spec(refJacobian(net, masks, a, b))
		}
		for a := 0; a < nl; a++ {
			for b := a + 1; b <= nl; b++ {
				if got, want := r.JacobianNorms[e][a][b], norm(a, b); math.Abs(got-want) > 1e-4*want+1e-6 {
					t.Fatalf("example %d ||J^(%d,%d)||: %v, want %v", e, a, b, got, want)
				}
				for c := a; c <= b-1; c++ {
					s := r.Mu[k]
					k++
					want := norm(a, b) / (norm(c+1, b) * r.WeightNorms[c] * norm(a, c))
					if s.Example != e || s.A != a || s.C != c || s.B != b {
						t.Fatalf("sample %d is %+v, want example %d triple %d %d %d", k-1, s, e, a, c, b)
					}
					if math.Abs(s.Mu-want) > 1e-4*want+1e-6 || s.Mu > 1+1e-5 {
						t.Fatalf("mu(%d,%d,%d) example %d: %v, want %v", a, c, b, e, s.Mu, want)
					}
				}
			}
		}
	}
	if k != len(r.Mu) {
		t.Fatalf("%d mu samples, want %d", len(r.Mu), k)
	}

	// C2: the same perturbations, counted in float64.
	c := newCondState(ds)
	for si, sigma := range opt.Sigmas {
		flips := make([]float64, nl-1)
		for draw := range opt.Draws {
			c.perturb(sigma, rand.New(rand.NewPCG(opt.Seed, uint64(si)<<32|uint64(draw))))
			w := make([][]float64, nl)
			for i, p := range c.pert {
				for _, v := range p.Data {
					w[i] = append(w[i], float64(v))
				}
			}
			for e := range data.Len() {
				x := data.X.Data[e*data.X.Stride : e*data.X.Stride+data.X.Cols]
				m0, m1 := refMasks(net, x, nil), refMasks(net, x, w)
				for i := range m0 {
					for j := range m0[i] {
						if m0[i][j] != m1[i][j] {
							flips[i]++
						}
					}
				}
			}
		}
		for i := range flips {
			want := flips[i] / float64(data.Len()*sizes[i+1]*opt.Draws)
			got := r.Flips[si*(nl-1)+i]
			if got.Sigma != sigma || got.Layer != i+1 || math.Abs(got.Fraction-want) > 1e-12 {
				t.Fatalf("C2 sigma %v layer %d: %+v, want fraction %v", sigma, i+1, got, want)
			}
		}
		if sigma == 0 && r.FlipTotal[si] != 0 {
			t.Fatalf("C2 at sigma 0: %v", r.FlipTotal[si])
		}
	}
	if r.FlipTotal[2] <= r.FlipTotal[1] {
		t.Errorf("flip fraction did not grow with sigma: %v", r.FlipTotal)
	}

	// C3 by hand.
	for i := 0; i < nl-1; i++ {
		d := ds[i]
		var fro float64
		rows := make([]float64, d.W.Rows)
		for rr := range d.W.Rows {
			for cc := range d.W.Cols {
				v := float64(d.W.Data[rr*d.W.Stride+cc])
				rows[rr] += v * v
			}
			fro += rows[rr]
		}
		for rr := range rows {
			want := math.Sqrt(rows[rr]) / math.Sqrt(fro/float64(d.W.Rows))
			if math.Abs(r.RowRatios[i][rr]-want) > 1e-12 {
				t.Fatalf("C3 layer %d unit %d: %v, want %v", i+1, rr, r.RowRatios[i][rr], want)
			}
		}
	}
}

// TestConditionsLayerRescaling: W_i times c_i (biases times c_1 ... c_i)
// keeps every ReLU state, scales J^(a,b) by c_(a+1) ... c_b and ||W_i|| by
// c_i, so mu is unchanged; C2 and C3 are relative and unchanged too.
func TestConditionsLayerRescaling(t *testing.T) {
	sizes := []int{8, 6, 6, 6, 4}
	net := newNet(t, sizes, 5, true)
	data := randData(6, 7, sizes[0], 4)
	opt := ConditionOptions{Power: PowerOptions{Tol: 1e-7, MaxIter: 5000, Seed: 2}, Sigmas: []float64{0.1}, Draws: 1, Seed: 3}
	r0, err := Conditions(context.Background(), net, data, opt)
	if err != nil {
		t.Fatal(err)
	}
	scale := []float32{2, 0.5, 4, 0.25}
	cum := float32(1)
	for i, d := range net.Dense() {
		cum *= scale[i]
		for k := range d.W.Data {
			d.W.Data[k] *= scale[i]
		}
		for k := range d.B {
			d.B[k] *= cum
		}
	}
	r1, err := Conditions(context.Background(), net, data, opt)
	if err != nil {
		t.Fatal(err)
	}
	for k := range r0.Mu {
		if math.Abs(r0.Mu[k].Mu-r1.Mu[k].Mu) > 1e-4 {
			t.Fatalf("mu %+v changed to %v", r0.Mu[k], r1.Mu[k].Mu)
		}
	}
	if math.Abs(r0.FlipTotal[0]-r1.FlipTotal[0]) > 1e-12 {
		t.Errorf("C2 changed: %v -> %v", r0.FlipTotal, r1.FlipTotal)
	}
	for i := range r0.RowRatios {
		for j := range r0.RowRatios[i] {
			if math.Abs(r0.RowRatios[i][j]-r1.RowRatios[i][j]) > 1e-6 {
				t.Fatalf("C3 layer %d unit %d changed", i+1, j)
			}
		}
	}
}

// TestConditionsErrors: networks the conditions do not cover, and bad
// options, are errors.
func TestConditionsErrors(t *testing.T) {
	ctx := context.Background()
	net := newNet(t, []int{4, 3, 2}, 1, false)
	data := randData(1, 5, 4, 2)
	if _, err := Conditions(ctx, net, data, ConditionOptions{Sigmas: []float64{-1}}); err == nil {
		t.Error("negative sigma accepted")
	}
	if _, err := Conditions(ctx, net, randData(1, 5, 3, 2), ConditionOptions{}); err == nil {
		t.Error("wrong feature count accepted")
	}
	bn, err := layers.NewMLP([]int{4, 3, 2}, layers.MLPOptions{Norm: layers.NormBatch})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Conditions(ctx, bn, data, ConditionOptions{}); err == nil {
		t.Error("batch-normalized network accepted")
	}
	if _, err := Conditions(ctx, newNet(t, []int{4, 2}, 1, false), data, ConditionOptions{}); err == nil {
		t.Error("network without a hidden layer accepted")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Conditions(cancelled, net, data, ConditionOptions{}); err == nil {
		t.Error("cancelled context ignored")
	}
}
