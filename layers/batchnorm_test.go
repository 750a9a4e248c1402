package layers

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
)

// bnRef is batch normalization in float64 on rows of x, from the
// definition: y = gamma (x - mean)/sqrt(var + eps) + beta, var biased.
func bnRef(x [][]float64, gamma, beta []float64, eps float64, relu bool) [][]float64 {
	n, f := len(x), len(gamma)
	y := make([][]float64, n)
	for i := range y {
		y[i] = make([]float64, f)
	}
	for j := range f {
		m, v := 0.0, 0.0
		for i := range n {
			m += x[i][j]
		}
		m /= float64(n)
		for i := range n {
			v += (x[i][j] - m) * (x[i][j] - m)
		}
		v /= float64(n)
		for i := range n {
			y[i][j] = gamma[j]*(x[i][j]-m)/math.Sqrt(v+eps) + beta[j]
			if relu {
				y[i][j] = math.Max(y[i][j], 0)
			}
		}
	}
	return y
}

func f64(s []float32) []float64 {
	d := make([]float64, len(s))
	for i, v := range s {
		d[i] = float64(v)
	}
	return d
}

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol*(1+math.Abs(want)) }

// TestBatchNormAgainstReference checks the training forward pass, the
// gradients (against central differences of the float64 definition, with
// the loss sum(y * g)), the running averages over two batches and the
// inference pass, with and without the fused ReLU, on a strided input.
func TestBatchNormAgainstReference(t *testing.T) {
	for _, relu := range []bool{false, true} {
		const rows, f, stride = 7, 5, 8
		r := newRand(1)
		l := NewBatchNorm(f, relu)
		for j := range f {
			l.Gamma[j] = float32(0.5 + r.Float64())
			l.Beta[j] = float32(r.NormFloat64())
		}
		l.reserve(rows, true)
		x := randMatrix(r, rows, f, stride)
		for i := range rows { // a mean far from 0 tests the centring
			for j := range f {
				x.Data[i*stride+j] = 3 + 2*x.Data[i*stride+j]
			}
		}
		xr := toRows(x)
		gamma, beta := f64(l.Gamma), f64(l.Beta)
		eps := float64(l.Eps)
		y := l.forward(x, true)
		want := bnRef(xr, gamma, beta, eps, relu)
		for i := range rows {
			for j := range f {
				if got := float64(y.Data[i*f+j]); !near(got, want[i][j], 1e-5) {
					t.Fatalf("relu=%v y[%d][%d] = %g, want %g", relu, i, j, got, want[i][j])
				}
			}
		}
		// Gradients.
		g := randMatrix(r, rows, f, f)
		gr := toRows(g)
		lossOf := func(x [][]float64, gamma, beta []float64) float64 {
			s := 0.0
			for i, row := range bnRef(x, gamma, beta, eps, relu) {
				for j, v := range row {
					s += v * gr[i][j]
				}
			}
			return s
		}
		dyBuf := append([]float32(nil), g.Data...)
		dx := l.backward(blas32.General{Rows: rows, Cols: f, Stride: f, Data: dyBuf}, true)
		const h = 1e-6
		fd := func(p *float64) float64 {
			p0 := *p
			*p = p0 + h
			lp := lossOf(xr, gamma, beta)
			*p = p0 - h
			lm := lossOf(xr, gamma, beta)
			*p = p0
			return (lp - lm) / (2 * h)
		}
		for i := range rows {
			for j := range f {
				if want := fd(&xr[i][j]); !near(float64(dx.Data[i*f+j]), want, 1e-4) {
					t.Errorf("relu=%v dx[%d][%d] = %g, finite difference %g", relu, i, j, dx.Data[i*f+j], want)
				}
			}
		}
		for j := range f {
			if want := fd(&gamma[j]); !near(float64(l.DGamma[j]), want, 1e-4) {
				t.Errorf("relu=%v dgamma[%d] = %g, finite difference %g", relu, j, l.DGamma[j], want)
			}
			if want := fd(&beta[j]); !near(float64(l.DBeta[j]), want, 1e-4) {
				t.Errorf("relu=%v dbeta[%d] = %g, finite difference %g", relu, j, l.DBeta[j], want)
			}
		}
		// Running averages (PyTorch's rule, unbiased variance) after a
		// second batch of 4 rows, then the inference pass on them.
		x2 := randMatrix(r, 4, f, f)
		l.forward(x2, true)
		for j := range f {
			rm, rv := 0.0, 1.0
			for _, b := range [][][]float64{xr, toRows(x2)} {
				m, v := 0.0, 0.0
				for _, row := range b {
					m += row[j]
				}
				m /= float64(len(b))
				for _, row := range b {
					v += (row[j] - m) * (row[j] - m)
				}
				v /= float64(len(b) - 1)
				rm, rv = 0.9*rm+0.1*m, 0.9*rv+0.1*v
			}
			if !near(float64(l.RunMean[j]), rm, 1e-6) || !near(float64(l.RunVar[j]), rv, 1e-6) {
				t.Errorf("running mean, var [%d] = %g, %g, want %g, %g", j, l.RunMean[j], l.RunVar[j], rm, rv)
			}
		}
		yi := l.forward(x, false)
		for i := range rows {
			for j := range f {
				w := gamma[j]*(xr[i][j]-float64(l.RunMean[j]))/math.Sqrt(float64(l.RunVar[j])+eps) + beta[j]
				if relu {
					w = math.Max(w, 0)
				}
				if got := float64(yi.Data[i*f+j]); !near(got, w, 1e-5) {
					t.Fatalf("relu=%v inference y[%d][%d] = %g, want %g", relu, i, j, got, w)
				}
			}
		}
	}
}

// TestBatchNormNetwork: in a network, Gradient's parameter gradients
// (including gamma and beta) match central differences of the float32
// training loss in float64 accumulation, and training on blobs lowers the
// loss.
func TestBatchNormNetwork(t *testing.T) {
	net, err := NewMLP([]int{6, 8, 7, 3}, MLPOptions{Seed: 5, Norm: NormBatch})
	if err != nil {
		t.Fatal(err)
	}
	if got := net.String(); got != "dense(6->8) -> batchnorm(8, relu) -> dense(8->7) -> batchnorm(7, relu) -> dense(7->3)" {
		t.Fatalf("network %s", got)
	}
	if !net.Normalized() || len(net.Params()) != 10 {
		t.Fatalf("Normalized %v, %d params", net.Normalized(), len(net.Params()))
	}
	r := newRand(6)
	x := randMatrix(r, 16, 6, 6)
	y := randLabels(r, 16, 3)
	saved := saveRunning(net)
	net.Gradient(x, y)
	grads := make([][]float32, len(net.Params()))
	for i, p := range net.Params() {
		grads[i] = append([]float32(nil), p.Grad...)
	}
	loss := func() float64 {
		restoreRunning(net, saved)
		return net.Gradient(x, y)
	}
	for i, p := range net.Params() {
		for _, j := range []int{0, len(p.Value) / 2, len(p.Value) - 1} {
			const h = 1e-2
			v0 := p.Value[j]
			p.Value[j] = v0 + h
			lp := loss()
			p.Value[j] = v0 - h
			lm := loss()
			p.Value[j] = v0
			fd := (lp - lm) / (2 * h)
			if math.Abs(fd-float64(grads[i][j])) > 2e-3+2e-2*math.Abs(fd) {
				t.Errorf("%s[%d] of layer %d: gradient %g, finite difference %g", p.Name, j, p.Layer, grads[i][j], fd)
			}
		}
	}
	// Training lowers the loss of the inference-mode network.
	d := blobs(7, 300, 6, 3)
	before, _, err := Evaluate(net, d, 50)
	if err != nil {
		t.Fatal(err)
	}
	if err := Train(t.Context(), net, &SGD{LR: Constant(0.1), Momentum: Constant(0.9)}, d, TrainConfig{Epochs: 5, BatchSize: 20, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	after, _, err := Evaluate(net, d, 50)
	if err != nil {
		t.Fatal(err)
	}
	if !(after < before/2) {
		t.Errorf("loss %g before training, %g after", before, after)
	}
}

func saveRunning(n *Network) [][]float32 {
	var s [][]float32
	for _, l := range n.Layers() {
		if b, ok := l.(*BatchNorm); ok {
			s = append(s, append([]float32(nil), b.RunMean...), append([]float32(nil), b.RunVar...))
		}
	}
	return s
}

func restoreRunning(n *Network, s [][]float32) {
	k := 0
	for _, l := range n.Layers() {
		if b, ok := l.(*BatchNorm); ok {
			copy(b.RunMean, s[k])
			copy(b.RunVar, s[k+1])
			k += 2
		}
	}
}

// TestNormStepAllocs: training steps and inference of normalized networks
// allocate nothing.
func TestNormStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, o := range []MLPOptions{{Seed: 1, Norm: NormBatch, Dropout: 0.5}, {Seed: 1, Norm: NormDDP, Alpha: 0.3}} {
		net, err := NewMLP([]int{50, 40, 30, 10}, o)
		if err != nil {
			t.Fatal(err)
		}
		r := newRand(1)
		x := randMatrix(r, 100, 50, 50)
		y := randLabels(r, 100, 10)
		opt := ThesisSGD(0.01)
		step := func() {
			net.Gradient(x, y)
			opt.Step(net)
		}
		step()
		if a := testing.AllocsPerRun(5, step); a != 0 {
			t.Errorf("%v: %v allocations per step", o.Norm, a)
		}
		if a := testing.AllocsPerRun(5, func() { net.Forward(x) }); a != 0 {
			t.Errorf("%v: Forward: %v allocations", o.Norm, a)
		}
	}
}

// TestSafetensorsNorm: a BatchNorm network exports PyTorch's BatchNorm1d
// names, shapes and values; a DDPNorm network is refused.
func TestSafetensorsNorm(t *testing.T) {
	nets := normNets(t)
	var buf bytes.Buffer
	if err := nets[0].WriteSafetensors(&buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	hlen := binary.LittleEndian.Uint64(b)
	var header map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+hlen], &header); err != nil {
		t.Fatal(err)
	}
	var meta map[string]string
	json.Unmarshal(header["__metadata__"], &meta)
	delete(header, "__metadata__")
	const modules = "Linear(7, 6), BatchNorm1d(6, eps=1e-05, momentum=0.1), ReLU(), Dropout(p=0.5), Linear(6, 5), BatchNorm1d(5, eps=1e-05, momentum=0.1), ReLU(), Dropout(p=0.5), Linear(5, 3)"
	if meta["torch_modules"] != modules {
		t.Errorf("modules %q", meta["torch_modules"])
	}
	body := b[8+hlen:]
	var bn *BatchNorm
	for _, l := range nets[0].Layers() {
		if l, ok := l.(*BatchNorm); ok {
			bn = l
			break
		}
	}
	for name, want := range map[string][]float32{"1.weight": bn.Gamma, "1.bias": bn.Beta, "1.running_mean": bn.RunMean, "1.running_var": bn.RunVar} {
		var e struct {
			Shape       []int
			DataOffsets []int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(header[name], &e); err != nil || len(e.Shape) != 1 || e.Shape[0] != 6 {
			t.Fatalf("%s: %s (%v)", name, header[name], err)
		}
		for j, v := range want {
			if got := binary.LittleEndian.Uint32(body[e.DataOffsets[0]+4*int64(j):]); got != math.Float32bits(v) {
				t.Fatalf("%s[%d] differs", name, j)
			}
		}
	}
	if len(header) != 3*2+2*4 {
		t.Errorf("%d tensors, want 14", len(header))
	}
	err := nets[1].WriteSafetensors(&buf)
	if err == nil || !strings.Contains(err.Error(), "no PyTorch module") {
		t.Errorf("DDPNorm network exported: %v", err)
	}
}

// TestNormErrors: bad settings are errors or constant panics.
func TestNormErrors(t *testing.T) {
	for _, a := range []float32{-0.1, 1.5, float32(math.NaN())} {
		if _, err := NewMLP([]int{3, 4, 2}, MLPOptions{Norm: NormDDP, Alpha: a}); err == nil {
			t.Errorf("alpha %g accepted", a)
		}
		func() {
			defer func() {
				if recover() != errAlpha {
					t.Errorf("NewDDPNorm(alpha %g) did not panic with errAlpha", a)
				}
			}()
			NewDDPNorm(4, a, true)
		}()
	}
	if _, err := NewNetwork(NewDense(3, 4, true), NewDDPNorm(4, 0, false)); err == nil {
		t.Error("DDPNorm after a Dense with ReLU accepted")
	}
	if _, err := NewNetwork(NewReLU(4), NewDDPNorm(4, 0, false)); err == nil {
		t.Error("DDPNorm after a ReLU accepted")
	}
	if _, err := ParseNorm("layer"); err == nil {
		t.Error("ParseNorm accepted an unknown name")
	}
	net, _ := NewMLP([]int{3, 4, 2}, MLPOptions{Norm: NormBatch})
	net.Layers()[1].(*BatchNorm).Momentum = 0
	func() {
		defer func() {
			if recover() != errNormSettings {
				t.Error("momentum 0 did not panic with errNormSettings")
			}
		}()
		net.Forward(randMatrix(newRand(1), 2, 3, 3))
	}()
}
