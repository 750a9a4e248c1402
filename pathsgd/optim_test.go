package pathsgd

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// invSizes is the network of the invariance tests: two hidden layers,
// biases, small enough for the float64 reference.
var invSizes = []int{10, 16, 12, 4}

// batches returns n mini-batches of rows examples for invSizes.
func batches(seed uint64, n, rows int) ([]blas32.General, [][]int) {
	r := newRand(seed)
	xs, ys := make([]blas32.General, n), make([][]int, n)
	for i := range xs {
		xs[i] = randMatrix(r, rows, invSizes[0])
		ys[i] = randLabels(r, rows, invSizes[len(invSizes)-1])
	}
	return xs, ys
}

// runRef trains r for len(xs) steps with the named optimizer.
func runRef(r *refNet, xs []blas32.General, ys [][]int, opt string, lr float64) {
	for i := range xs {
		r.gradient(batch64(xs[i]), ys[i])
		switch opt {
		case "pathsgd":
			r.pathSGDStep(lr, 0, false)
		case "pathsgd-momentum":
			r.pathSGDStep(lr, 0.9, true)
		case "sgd":
			r.sgdStep(lr)
		case "adagrad":
			r.adaGradStep(lr)
		}
	}
}

// TestRefPathSGDInvariance is the exact-invariance property in float64:
// Path-SGD on a randomly rescaled copy follows the rescaled trajectory for
// 50 steps (logits equal to 1e-9 relative), while SGD and AdaGrad, from
// the same two starts, end measurably apart.
func TestRefPathSGDInvariance(t *testing.T) {
	xs, ys := batches(1, 50, 8)
	eval := batch64(randMatrix(newRand(2), 32, invSizes[0]))
	for _, tc := range []struct {
		opt       string
		lr        float64
		invariant bool
	}{
		{"pathsgd", 0.05, true},
		{"pathsgd-momentum", 0.01, true},
		{"sgd", 0.05, false},
		{"adagrad", 0.01, false},
	} {
		net := newNet(t, invSizes, 3, true, 0)
		a := fromNet(net)
		b := a.clone()
		b.rescale(randomScales(net, newRand(4), 1))
		if d := maxRelDiff(a.logits(eval), b.logits(eval)); d > 1e-14 {
			t.Fatalf("rescaling changed the function: %g", d)
		}
		loss0 := a.gradient(batch64(xs[0]), ys[0])
		runRef(a, xs, ys, tc.opt, tc.lr)
		runRef(b, xs, ys, tc.opt, tc.lr)
		d := maxRelDiff(a.logits(eval), b.logits(eval))
		loss1 := a.gradient(batch64(xs[0]), ys[0])
		t.Logf("%s: logits of the rescaled run differ by %.3g (relative); loss %.4f -> %.4f", tc.opt, d, loss0, loss1)
		if math.IsNaN(d) || !(loss1 < loss0) {
			t.Errorf("%s: did not train (loss %g -> %g)", tc.opt, loss0, loss1)
		}
		if tc.invariant && d > 1e-9 {
			t.Errorf("%s: rescaled trajectory differs by %g > 1e-9", tc.opt, d)
		}
		if !tc.invariant && d < 1e-2 {
			t.Errorf("%s: rescaled trajectory differs by only %g (< 1e-2)", tc.opt, d)
		}
	}
}

// TestPathSGDMatchesReference checks the float32 optimizer (asm kernels,
// scaled dynamic program, factor split) against the float64 reference.
func TestPathSGDMatchesReference(t *testing.T) {
	xs, ys := batches(5, 20, 8)
	eval := randMatrix(newRand(6), 32, invSizes[0])
	forEachImpl(t, func(t *testing.T) {
		for _, momentum := range []bool{false, true} {
			net := newNet(t, invSizes, 7, true, 0)
			ref := fromNet(net)
			opt := &PathSGD{LR: layers.Constant(0.02)}
			if momentum {
				opt.Momentum = layers.Constant(0.9)
			}
			for i := range xs {
				net.Gradient(xs[i], ys[i])
				ref.gradient(batch64(xs[i]), ys[i])
				opt.Step(net)
				if momentum {
					ref.pathSGDStep(0.02, 0.9, true)
				} else {
					ref.pathSGDStep(0.02, 0, false)
				}
			}
			d := maxRelDiff(ref.logits(batch64(eval)), logits32(net, eval))
			t.Logf("momentum=%v: float32 logits differ from the float64 reference by %.3g after %d steps", momentum, d, len(xs))
			if d > 1e-4 {
				t.Errorf("momentum=%v: float32 Path-SGD differs from the reference by %g", momentum, d)
			}
		}
	})
}

// TestPathSGDInvariance32 is the invariance property on the float32 path:
// layers.Network, asm kernels, dropout. Each step rounds both copies'
// weights to float32 independently, so they drift apart by a few float32
// ulps per step; the documented tolerance after 50 steps is 1e-5 relative
// on the logits (measured: below 1e-6). SGD and AdaGrad move apart by
// orders of magnitude more. The deep case is a depth-10 net with unit
// scales up to 10^±3.
func TestPathSGDInvariance32(t *testing.T) {
	xs, ys := batches(8, 50, 8)
	eval := randMatrix(newRand(9), 32, invSizes[0])
	type optCase struct {
		name      string
		make      func() layers.Optimizer
		invariant bool
	}
	cases := []optCase{
		{"pathsgd", func() layers.Optimizer { return &PathSGD{LR: layers.Constant(0.05)} }, true},
		{"pathsgd-momentum", func() layers.Optimizer {
			return &PathSGD{LR: layers.Constant(0.01), Momentum: layers.Constant(0.9)}
		}, true},
		{"sgd", func() layers.Optimizer { return &layers.SGD{LR: layers.Constant(0.05)} }, false},
		{"adagrad", func() layers.Optimizer { return &layers.AdaGrad{LR: layers.Constant(0.01)} }, false},
	}
	for _, dropout := range []float32{0, 0.5} {
		for _, tc := range cases {
			a := newNet(t, invSizes, 10, true, dropout)
			b := a.Clone() // same dropout generator state: the same masks
			Rescale(b, randomScales(b, newRand(11), 1))
			oa, ob := tc.make(), tc.make()
			for i := range xs {
				a.Gradient(xs[i], ys[i])
				b.Gradient(xs[i], ys[i])
				oa.Step(a)
				ob.Step(b)
			}
			d := maxRelDiff(logits32(a, eval), logits32(b, eval))
			t.Logf("dropout=%g %s: rescaled float32 run differs by %.3g", dropout, tc.name, d)
			if tc.invariant && !(d <= 1e-5) {
				t.Errorf("dropout=%g %s: rescaled trajectory differs by %g > 1e-5", dropout, tc.name, d)
			}
			if !tc.invariant && d < 1e-2 {
				t.Errorf("dropout=%g %s: rescaled trajectory differs by only %g", dropout, tc.name, d)
			}
		}
	}
}

func TestPathSGDInvarianceDeep(t *testing.T) {
	sizes := []int{10, 12, 12, 12, 12, 12, 12, 12, 12, 12, 4}
	r := newRand(20)
	eval := randMatrix(r, 32, sizes[0])
	for _, mom := range []layers.Schedule{nil, layers.Constant(0.9)} {
		a := newNet(t, sizes, 21, true, 0)
		b := a.Clone()
		Rescale(b, randomScales(b, newRand(22), 3))
		oa, ob := &PathSGD{LR: layers.Constant(0.01), Momentum: mom}, &PathSGD{LR: layers.Constant(0.01), Momentum: mom}
		loss0 := a.Loss(eval, randLabels(newRand(23), 32, 4))
		for range 50 {
			x, y := randMatrix(r, 8, sizes[0]), randLabels(r, 8, 4)
			a.Gradient(x, y)
			b.Gradient(x, y)
			oa.Step(a)
			ob.Step(b)
		}
		d := maxRelDiff(logits32(a, eval), logits32(b, eval))
		t.Logf("depth 10, scales 10^±3, momentum=%v: rescaled run differs by %.3g; phi %g vs %g", mom != nil, d, oa.Phi(), ob.Phi())
		if !(d <= 1e-5) || relErr(oa.Phi(), ob.Phi()) > 1e-5 {
			t.Errorf("momentum=%v: rescaled trajectory differs by %g, phi %g vs %g", mom != nil, d, oa.Phi(), ob.Phi())
		}
		if loss := a.Loss(eval, randLabels(newRand(23), 32, 4)); math.IsNaN(loss) || loss == loss0 {
			t.Errorf("momentum=%v: loss %g -> %g", mom != nil, loss0, loss)
		}
	}
}

// TestPathSGDGuard checks kappa = 0: a hidden unit with no incoming
// weights or bias, and one with no outgoing weights, stay finite and the
// rest of the network trains as the reference (which skips kappa = 0).
func TestPathSGDGuard(t *testing.T) {
	net := newNet(t, invSizes, 12, true, 0)
	l0, l1 := net.Dense()[0], net.Dense()[1]
	for u := 0; u < l0.InSize(); u++ {
		l0.W.Data[3*l0.W.Stride+u] = 0 // unit 3 of hidden layer 1: no input
	}
	l0.B[3] = 0
	for y := 0; y < l1.OutSize(); y++ {
		l1.W.Data[y*l1.W.Stride+5] = 0 // unit 5 of hidden layer 1: no output
	}
	ref := fromNet(net)
	xs, ys := batches(13, 5, 8)
	opt := &PathSGD{LR: layers.Constant(0.02), Momentum: layers.Constant(0.5)}
	for i := range xs {
		net.Gradient(xs[i], ys[i])
		ref.gradient(batch64(xs[i]), ys[i])
		opt.Step(net)
		ref.pathSGDStep(0.02, 0.5, true)
	}
	for _, p := range net.Params() {
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
	eval := randMatrix(newRand(14), 16, invSizes[0])
	if d := maxRelDiff(ref.logits(batch64(eval)), logits32(net, eval)); d > 1e-4 {
		t.Errorf("differs from the reference by %g", d)
	}
}

// TestPathSGDMeetingLayer checks the step's dynamic program where the two
// directions meet at a middle or deep layer and the layers at and below it
// are updated with their column sums (per row chunk, inside the update
// kernel): against the float64 reference, on nets whose largest layer is
// the second, the third and the first.
func TestPathSGDMeetingLayer(t *testing.T) {
	for _, sizes := range [][]int{{10, 16, 24, 4}, {6, 9, 12, 20, 3}, {30, 8, 6, 3}} {
		for _, momentum := range []bool{false, true} {
			net := newNet(t, sizes, 8, true, 0)
			ref := fromNet(net)
			opt := &PathSGD{LR: layers.Constant(0.02)}
			if momentum {
				opt.Momentum = layers.Constant(0.9)
			}
			r := newRand(9)
			for i := 0; i < 15; i++ {
				x, y := randMatrix(r, 8, sizes[0]), randLabels(r, 8, sizes[len(sizes)-1])
				net.Gradient(x, y)
				ref.gradient(batch64(x), y)
				opt.Step(net)
				if momentum {
					ref.pathSGDStep(0.02, 0.9, true)
				} else {
					ref.pathSGDStep(0.02, 0, false)
				}
			}
			eval := randMatrix(r, 16, sizes[0])
			if d := maxRelDiff(ref.logits(batch64(eval)), logits32(net, eval)); d > 1e-4 {
				t.Errorf("%v momentum=%v: float32 Path-SGD differs from the reference by %g", sizes, momentum, d)
			}
		}
	}
}

// TestPathSGDThreads checks that a step is bit-identical for any thread
// count, down to the dynamic program's float64 vectors: the column sums are
// kept per fixed row chunk and added in chunk order.
func TestPathSGDThreads(t *testing.T) {
	sizes := []int{100, 300, 400, 10} // meets at the 400x300 layer, above the parallel threshold
	var ref []float32
	var refG [][]float64
	for _, threads := range []int{1, 2, 3} {
		func() {
			defer blas.SetThreads(blas.SetThreads(threads))
			net := newNet(t, sizes, 3, true, 0)
			opt := &PathSGD{LR: layers.Constant(1e-3), Momentum: layers.Constant(0.9)}
			r := newRand(4)
			for i := 0; i < 3; i++ {
				net.Gradient(randMatrix(r, 16, sizes[0]), randLabels(r, 16, sizes[len(sizes)-1]))
				opt.Step(net)
			}
			var all []float32
			for _, l := range net.Dense() {
				all = append(append(all, l.W.Data...), l.B...)
			}
			if ref == nil {
				ref, refG = all, opt.st.g
				return
			}
			for k := range refG {
				for i := range refG[k] {
					if math.Float64bits(opt.st.g[k][i]) != math.Float64bits(refG[k][i]) {
						t.Fatalf("%d threads: g_%d[%d] = %v, 1 thread %v", threads, k, i, opt.st.g[k][i], refG[k][i])
					}
				}
			}
			for i := range all {
				if math.Float32bits(all[i]) != math.Float32bits(ref[i]) {
					t.Fatalf("%d threads: parameter %d = %g, 1 thread %g", threads, i, all[i], ref[i])
				}
			}
		}()
	}
}

func TestPathSGDAllocs(t *testing.T) {
	// Above the parallel threshold; the second net meets at its second
	// layer (column sums in the update).
	for _, sizes := range [][]int{{300, 256, 256, 10}, {100, 300, 400, 10}} {
		net := newNet(t, sizes, 1, true, 0)
		r := newRand(2)
		x, y := randMatrix(r, 16, sizes[0]), randLabels(r, 16, 10)
		for _, mom := range []layers.Schedule{nil, layers.Constant(0.9)} {
			opt := &PathSGD{LR: layers.Constant(1e-3), Momentum: mom}
			net.Gradient(x, y)
			opt.Step(net)
			if n := testing.AllocsPerRun(5, func() { opt.Step(net) }); n != 0 {
				t.Errorf("%v momentum=%v: %v allocations per step", sizes, mom != nil, n)
			}
		}
	}
}

func TestPathSGDPanics(t *testing.T) {
	net := newNet(t, []int{3, 4, 2}, 1, false, 0)
	other := newNet(t, []int{3, 5, 2}, 1, false, 0)
	used := &PathSGD{LR: layers.Constant(0.1)}
	used.Step(net)
	for name, tc := range map[string]struct {
		want string
		f    func()
	}{
		"no LR":       {errNoLR, func() { (&PathSGD{}).Step(net) }},
		"nil net":     {errNilNet, func() { (&PathSGD{LR: layers.Constant(1)}).Step(nil) }},
		"other shape": {errOptimNet, func() { used.Step(other) }},
	} {
		func() {
			defer func() {
				if r := recover(); r != tc.want {
					t.Errorf("%s: panic = %v, want %q", name, r, tc.want)
				}
			}()
			tc.f()
		}()
	}
}

// TestPathSGDState: Path-SGD with momentum restored from SaveState follows
// the uninterrupted run bit for bit; a fresh optimizer (velocity restarted)
// does not; a state of another optimizer kind is refused.
func TestPathSGDState(t *testing.T) {
	xs, ys := batches(12, 10, 8)
	run := func(net *layers.Network, opt *PathSGD, from, to int) {
		for i := from; i < to; i++ {
			net.Gradient(xs[i], ys[i])
			opt.Step(net)
		}
	}
	params := func(net *layers.Network) []float32 {
		var all []float32
		for _, l := range net.Dense() {
			all = append(append(all, l.W.Data...), l.B...)
		}
		return all
	}
	full := newNet(t, invSizes, 5, true, 0)
	run(full, &PathSGD{LR: layers.Constant(0.02), Momentum: layers.Constant(0.9)}, 0, 10)

	half := newNet(t, invSizes, 5, true, 0)
	opt := &PathSGD{LR: layers.Constant(0.02), Momentum: layers.Constant(0.9)}
	run(half, opt, 0, 5)
	var state bytes.Buffer
	if err := opt.SaveState(&state); err != nil {
		t.Fatal(err)
	}
	var model bytes.Buffer
	if err := half.Save(&model); err != nil {
		t.Fatal(err)
	}
	for _, restore := range []bool{true, false} {
		net, err := layers.Load(bytes.NewReader(model.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		o := &PathSGD{LR: layers.Constant(0.02), Momentum: layers.Constant(0.9)}
		if restore {
			if err := o.LoadState(bytes.NewReader(state.Bytes()), net); err != nil {
				t.Fatal(err)
			}
		}
		run(net, o, 5, 10)
		same := true
		for i, v := range params(net) {
			if math.Float32bits(v) != math.Float32bits(params(full)[i]) {
				same = false
				break
			}
		}
		if same != restore {
			t.Errorf("restored=%v: same as the uninterrupted run = %v", restore, same)
		}
	}
	if err := new(layers.SGD).LoadState(bytes.NewReader(state.Bytes()), half); !errors.Is(err, layers.ErrStateMismatch) {
		t.Errorf("Path-SGD state into SGD: %v, want ErrStateMismatch", err)
	}
}

// TestWeightFactorsExponent checks the largest reciprocal exponent that
// weightFactors takes from the smallest positive element against the
// maximum over every element, on vectors with zeros, subnormals,
// infinities and NaNs, for several scales.
func TestWeightFactorsExponent(t *testing.T) {
	r := newRand(21)
	specials := []float64{0, math.Inf(1), math.NaN(), 5e-324, 1e-310, -1, math.MaxFloat64}
	for trial := 0; trial < 2000; trial++ {
		x := make([]float64, 1+r.IntN(20))
		for i := range x {
			if r.IntN(4) == 0 {
				x[i] = specials[r.IntN(len(specials))]
			} else {
				x[i] = math.Ldexp(r.Float64(), -r.IntN(1100))
			}
		}
		for _, scale := range []float64{1, 0.01, 3e300, 1e-300, 0, -0.5, math.Inf(1), math.NaN()} {
			want := math.MinInt32
			for _, v := range x {
				if v > 0 {
					want = max(want, math.Ilogb(scale/v))
				}
			}
			got := math.MinInt32
			if v := minPositive(x); v > 0 {
				got = math.Ilogb(scale / v)
			}
			if got != want {
				t.Fatalf("x = %v, scale %g: exponent %d, want %d", x, scale, got, want)
			}
		}
	}
}
