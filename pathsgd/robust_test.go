package pathsgd

import (
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/layers"
)

func allFinite(net *layers.Network) bool {
	for _, p := range net.Params() {
		for _, v := range p.Value {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return false
			}
		}
	}
	return true
}

// TestPathSGDTinyWeights: on a deep network whose weights are scaled by
// 1e-10 (path sums far below float32's range, scaling factors far above
// it) a Path-SGD step keeps every parameter finite: the factors saturate
// instead of overflowing to Inf (and 0 * Inf to NaN where a gradient
// underflowed). The step is still enormous there (the exact one is beyond
// float32), so the next forward pass overflows: training reports that as a
// divergence; only the one step is checked.
func TestPathSGDTinyWeights(t *testing.T) {
	sizes := []int{10, 12, 12, 12, 12, 12, 4}
	r := newRand(9)
	x, y := randMatrix(r, 16, sizes[0]), randLabels(r, 16, sizes[len(sizes)-1])
	for _, momentum := range []bool{false, true} {
		net := newNet(t, sizes, 3, true, 0)
		for _, l := range net.Dense() {
			for i := range l.W.Data {
				l.W.Data[i] *= 1e-10
			}
		}
		opt := &PathSGD{LR: layers.Constant(1e-3)}
		if momentum {
			opt.Momentum = layers.Constant(0.9)
		}
		net.Gradient(x, y)
		opt.Step(net)
		if !allFinite(net) {
			t.Errorf("momentum=%v: a parameter is not finite after Path-SGD steps on tiny weights", momentum)
		}
	}
}

// TestDDPDeadUnit: a hidden unit with no outgoing weights (all zero) has
// kappa 0 on its incoming weights and zero gradients there; a DDP-SGD step
// leaves those weights unchanged instead of writing 0/0 = NaN, for alpha =
// 0 (the path-norm recursion, by the general code) and alpha > 0 (the
// data-dependent one). (The step gives the outgoing weights gradients, so
// only one step is checked.)
func TestDDPDeadUnit(t *testing.T) {
	r := newRand(4)
	x, y := randMatrix(r, 16, invSizes[0]), randLabels(r, 16, invSizes[len(invSizes)-1])
	for _, alpha := range []float64{0, 0.5, 1} {
		for _, momentum := range []bool{false, true} {
			net := newNet(t, invSizes, 6, true, 0)
			d := net.Dense()
			const dead = 3 // a unit of the first hidden layer
			for o := 0; o < d[1].W.Rows; o++ {
				d[1].W.Data[o*d[1].W.Stride+dead] = 0
			}
			before := append([]float32(nil), d[0].W.Data[dead*d[0].W.Stride:(dead+1)*d[0].W.Stride]...)
			opt := &DDPSGD{LR: layers.Constant(0.01), Alpha: alpha, general: alpha == 0}
			if momentum {
				opt.Momentum = layers.Constant(0.9)
			}
			net.Gradient(x, y)
			opt.Step(net)
			if !allFinite(net) {
				t.Errorf("alpha %v momentum %v: a parameter is not finite", alpha, momentum)
			}
			for i, v := range d[0].W.Data[dead*d[0].W.Stride : (dead+1)*d[0].W.Stride] {
				if v != before[i] {
					t.Errorf("alpha %v momentum %v: incoming weight %d of the dead unit changed from %v to %v", alpha, momentum, i, before[i], v)
					break
				}
			}
		}
	}
}
