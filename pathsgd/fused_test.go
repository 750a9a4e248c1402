package pathsgd

import (
	"fmt"
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// fusedSizes are networks with a layer large enough for TrainStep to fuse
// its Path-SGD step (512 Ki weights with momentum on the AVX2 and AVX-512
// kernels, 2 Mi without or elsewhere), the meeting layer first or second.
// PlanStep declines them unless the tests lower fuseMinBytes (noFuseMin).

func fusedSizes(momentum bool) [][]int {
	if momentum {
		return [][]int{{784, 700, 10}, {64, 700, 800, 10}}
	}
	return [][]int{{1500, 1400, 10}, {64, 1500, 1400, 10}}
}

// plainFused is PathSGD without momentum with its step fused all the same
// (PlanStep declines it: see there), to test the plain path of the plan
// and of layers' ScaledSGD step.
type plainFused struct{ *PathSGD }

func (o plainFused) PlanStep(net *layers.Network, plan []layers.ScaledStep) bool {
	o.st.plan(net, o.LR(o.epoch), 0, false, plan)
	return true
}

// noFuseMin lowers PlanStep's cache bar so that the test networks fuse;
// call the returned function to restore it.
func noFuseMin() func() {
	old := fuseMinBytes
	fuseMinBytes = 0
	return func() { fuseMinBytes = old }
}

// params returns a copy of every parameter of net.
func params(net *layers.Network) [][]float32 {
	var all [][]float32
	for _, p := range net.Params() {
		all = append(all, append([]float32(nil), p.Value...))
	}
	return all
}

// TestTrainStepFused compares Path-SGD through Network.TrainStep (the
// large layers' steps in their weight-gradient products, planned by
// PlanStep; without momentum, by plainFused) with Gradient followed by Step, one step from the same state
// (after two identical warm-up steps, so that the velocity is not zero):
// every parameter's change agrees within 2e-5 of the tensor's largest
// change (measured 1e-7 to 2.5e-6 on Zen 5: the products round the
// preconditioned gradient term by term; a
// wrong factor, a transposed scaling or a lost step is off by O(1)), and
// the path norm the plan computed is Step's. Then both run five more
// steps, each its own way, and their logits stay within 1e-4.
func TestTrainStepFused(t *testing.T) {
	defer noFuseMin()()
	forEachImpl(t, func(t *testing.T) {
		for _, momentum := range []bool{false, true} {
			for _, sizes := range fusedSizes(momentum) {
				if testing.Short() && sizes[1] > 1000 {
					continue
				}
				name := fmt.Sprintf("%v momentum=%v", sizes, momentum)
				mk := func() *PathSGD {
					o := &PathSGD{LR: layers.Constant(0.01)}
					if momentum {
						o.LR, o.Momentum = layers.Constant(1e-3), layers.Constant(0.9)
					}
					return o
				}
				a := newNet(t, sizes, 31, true, 0)
				b := a.Clone()
				oa, ob := mk(), mk()
				var fa layers.Optimizer = oa
				if !momentum {
					fa = plainFused{oa}
				}
				r := newRand(32)
				out := sizes[len(sizes)-1]
				xs := make([]blas32.General, 8)
				ys := make([][]int, len(xs))
				for i := range xs {
					xs[i], ys[i] = randMatrix(r, 16, sizes[0]), randLabels(r, 16, out)
				}
				for i := range 2 {
					a.Gradient(xs[i], ys[i])
					oa.Step(a)
					b.Gradient(xs[i], ys[i])
					ob.Step(b)
				}
				start := params(a)
				la := a.TrainStep(xs[2], ys[2], fa)
				lb := b.Gradient(xs[2], ys[2])
				ob.Step(b)
				if la != lb {
					t.Fatalf("%s: loss %v, Gradient's %v", name, la, lb)
				}
				if d := relErr(oa.Phi(), ob.Phi()); d > 1e-12 {
					t.Errorf("%s: planned phi %v, Step's %v", name, oa.Phi(), ob.Phi())
				}
				pb := b.Params()
				for i, p := range a.Params() {
					var maxStep, maxDiff float64
					for j, v := range p.Value {
						maxStep = math.Max(maxStep, math.Abs(float64(pb[i].Value[j])-float64(start[i][j])))
						maxDiff = math.Max(maxDiff, math.Abs(float64(v)-float64(pb[i].Value[j])))
					}
					if maxStep == 0 {
						t.Fatalf("%s: parameter %d (%s of layer %d) did not move", name, i, p.Name, p.Layer)
					}
					if !(maxDiff <= 2e-5*maxStep) {
						t.Errorf("%s: parameter %d (%s of layer %d) differs from Step's by %g, its largest change %g",
							name, i, p.Name, p.Layer, maxDiff, maxStep)
					}
				}
				for i := 3; i < len(xs); i++ {
					a.TrainStep(xs[i], ys[i], fa)
					b.Gradient(xs[i], ys[i])
					ob.Step(b)
				}
				eval := randMatrix(newRand(33), 32, sizes[0])
				if d := maxRelDiff(logits32(a, eval), logits32(b, eval)); !(d <= 1e-4) {
					t.Errorf("%s: logits after %d steps differ by %g", name, len(xs), d)
				}
			}
		}
	})
}

// TestTrainStepDeclined checks that TrainStep runs Gradient and Step where
// PlanStep declines: without momentum, and with momentum when the largest
// layer is below the cache bar: the same bits.
func TestTrainStepDeclined(t *testing.T) {
	for _, momentum := range []bool{false, true} {
		testDeclined(t, momentum)
	}
}

func testDeclined(t *testing.T, momentum bool) {
	sizes := fusedSizes(true)[0]
	if momentum {
		old := fuseMinBytes
		fuseMinBytes = 4*sizes[0]*sizes[1] + 1
		defer func() { fuseMinBytes = old }()
	}
	a := newNet(t, sizes, 61, true, 0)
	b := a.Clone()
	oa, ob := &PathSGD{LR: layers.Constant(0.01)}, &PathSGD{LR: layers.Constant(0.01)}
	if momentum {
		oa.Momentum, ob.Momentum = layers.Constant(0.9), layers.Constant(0.9)
	}
	r := newRand(62)
	for range 3 {
		x, y := randMatrix(r, 16, sizes[0]), randLabels(r, 16, 10)
		a.TrainStep(x, y, oa)
		b.Gradient(x, y)
		ob.Step(b)
	}
	pa, pb := params(a), params(b)
	for i := range pa {
		for j := range pa[i] {
			if math.Float32bits(pa[i][j]) != math.Float32bits(pb[i][j]) {
				t.Fatalf("momentum=%v: parameter %d[%d] = %g, Gradient and Step's %g", momentum, i, j, pa[i][j], pb[i][j])
			}
		}
	}
}

// TestTrainStepFusedThreads checks that the fused step is the same bits on
// one, two and three threads (the products' sums do not depend on the
// thread count, nor do the dynamic program's chunks).
func TestTrainStepFusedThreads(t *testing.T) {
	defer noFuseMin()()
	sizes := fusedSizes(true)[1]
	var ref [][]float32
	for _, threads := range []int{1, 2, 3} {
		func() {
			defer blas.SetThreads(blas.SetThreads(threads))
			net := newNet(t, sizes, 41, true, 0)
			opt := &PathSGD{LR: layers.Constant(1e-3), Momentum: layers.Constant(0.9)}
			r := newRand(42)
			for range 3 {
				net.TrainStep(randMatrix(r, 16, sizes[0]), randLabels(r, 16, 10), opt)
			}
			all := params(net)
			if ref == nil {
				ref = all
				return
			}
			for i := range all {
				for j := range all[i] {
					if math.Float32bits(all[i][j]) != math.Float32bits(ref[i][j]) {
						t.Fatalf("%d threads: parameter %d[%d] = %g, 1 thread %g", threads, i, j, all[i][j], ref[i][j])
					}
				}
			}
		}()
	}
}

// TestTrainStepFusedInvariance is Path-SGD's node-rescaling invariance on
// the fused path: a network and a copy with its hidden units rescaled by
// 10^U(-1, 1), trained with TrainStep on the same batches, stay within the
// float32 tolerance of TestPathSGDInvariance32 (SGD's trajectories move
// apart by orders of magnitude more there).
func TestTrainStepFusedInvariance(t *testing.T) {
	defer noFuseMin()()
	if testing.Short() {
		t.Skip("20 steps of a 784-700-800-10 network")
	}
	sizes := fusedSizes(true)[1]
	a := newNet(t, sizes, 51, true, 0)
	b := a.Clone()
	Rescale(b, randomScales(b, newRand(52), 1))
	oa := &PathSGD{LR: layers.Constant(1e-3), Momentum: layers.Constant(0.9)}
	ob := &PathSGD{LR: layers.Constant(1e-3), Momentum: layers.Constant(0.9)}
	r := newRand(53)
	for range 20 {
		x, y := randMatrix(r, 16, sizes[0]), randLabels(r, 16, 10)
		a.TrainStep(x, y, oa)
		b.TrainStep(x, y, ob)
	}
	eval := randMatrix(newRand(54), 32, sizes[0])
	d := maxRelDiff(logits32(a, eval), logits32(b, eval))
	t.Logf("rescaled fused trajectory differs by %.3g", d)
	if !(d <= 1e-5) {
		t.Errorf("rescaled fused trajectory differs by %g > 1e-5", d)
	}
}

// TestTrainStepFusedAllocs: after the first step the fused step allocates
// nothing.
func TestTrainStepFusedAllocs(t *testing.T) {
	defer noFuseMin()()
	sizes := fusedSizes(true)[1]
	net := newNet(t, sizes, 71, true, 0)
	opt := &PathSGD{LR: layers.Constant(1e-3), Momentum: layers.Constant(0.9)}
	r := newRand(72)
	x, y := randMatrix(r, 16, sizes[0]), randLabels(r, 16, 10)
	net.TrainStep(x, y, opt)
	if n := testing.AllocsPerRun(3, func() { net.TrainStep(x, y, opt) }); n != 0 {
		t.Errorf("%v allocations per fused step", n)
	}
}

// TestTrainStepFusedGuard is TestPathSGDGuard on the fused path: a hidden
// unit with no input (f = 0: zero column factors above it) and one with no
// output (g = 0: zero row factors below it) in the fused layers. The
// weights into the dead unit stay zero, nothing becomes non-finite, the
// edges out of the unit with no input keep their values (their gradient
// and factor are zero, the velocity starts at zero), so do those into the
// unit with no output in the first step, and the run stays within 1e-4 of
// Gradient and Step.
func TestTrainStepFusedGuard(t *testing.T) {
	defer noFuseMin()()
	sizes := fusedSizes(true)[1] // 64-700-800-10: layer 2 (800x700) fused
	a := newNet(t, sizes, 81, true, 0)
	l0, l1, l2 := a.Dense()[0], a.Dense()[1], a.Dense()[2]
	for u := 0; u < l0.InSize(); u++ {
		l0.W.Data[3*l0.W.Stride+u] = 0 // unit 3 of hidden layer 1: no input
	}
	l0.B[3] = 0
	for y := 0; y < l2.OutSize(); y++ {
		l2.W.Data[y*l2.W.Stride+5] = 0 // unit 5 of hidden layer 2: no output
	}
	b := a.Clone()
	col3 := make([]float32, l1.OutSize())
	for v := range col3 {
		col3[v] = l1.W.Data[v*l1.W.Stride+3]
	}
	row5 := append([]float32(nil), l1.W.Data[5*l1.W.Stride:6*l1.W.Stride]...)
	oa := &PathSGD{LR: layers.Constant(1e-3), Momentum: layers.Constant(0.5)}
	ob := &PathSGD{LR: layers.Constant(1e-3), Momentum: layers.Constant(0.5)}
	r := newRand(82)
	for i := range 5 {
		x, y := randMatrix(r, 16, sizes[0]), randLabels(r, 16, 10)
		a.TrainStep(x, y, oa)
		b.Gradient(x, y)
		ob.Step(b)
		if i > 0 {
			continue
		}
		// After the first step only: the step gives the unit with no
		// output outgoing weights (their gradient and factor are not
		// zero), so later steps move the weights into it.
		for u, want := range row5 {
			if got := l1.W.Data[5*l1.W.Stride+u]; got != want {
				t.Fatalf("W2[5][%d], into the unit with no output, moved: %g -> %g", u, want, got)
			}
		}
	}
	for _, p := range a.Params() {
		for _, v := range p.Value {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("non-finite parameter in %s of layer %d", p.Name, p.Layer)
			}
		}
	}
	for u := 0; u < l0.InSize(); u++ {
		if l0.W.Data[3*l0.W.Stride+u] != 0 {
			t.Fatalf("weight into the dead unit moved")
		}
	}
	for v := range col3 {
		if got := l1.W.Data[v*l1.W.Stride+3]; got != col3[v] {
			t.Fatalf("W2[%d][3], out of the unit with no input, moved: %g -> %g", v, col3[v], got)
		}
	}
	eval := randMatrix(newRand(83), 16, sizes[0])
	if d := maxRelDiff(logits32(a, eval), logits32(b, eval)); !(d <= 1e-4) {
		t.Errorf("differs from Gradient and Step by %g", d)
	}
}
