package layers

import (
	"math"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Velocity-fused momentum (Network.TrainStep with SGD).
//
// SGD with momentum and no weight decay sets v = mu*v + g, then w -= lr*v.
// Unfused, the backward pass writes each Dense layer's weight gradient DW
// and the update then reads DW, v and w and writes v and w: five passes
// over memory the size of W. TrainStep instead computes each weight
// gradient into the velocity itself, V = mu*V + dZᵀX (blas.Gemm32 with
// beta = mu: the packed engine scales V in its kernels' epilogue,
// asm.ScaleC), and the update only reads V and W and writes W: three
// passes, and DW is never written. Zen 5, the product and the update of
// one layer, fused over unfused, paired medians of 31, two threads / one:
// 4000 x 4000 weights 0.84 / 0.90, 4000 x 784 0.87 / 0.94, 2000 x 2000
// 0.85 / 0.91, 1000 x 1000 0.94-0.99 / 0.93; whole 784-4000-4000-10
// steps (batch 100, both large layers fused, paired interleaved medians of
// 40) 0.968 / 0.973, 784-1000-1000-10 (no layer large enough:
// velocityMinWeights) level.
//
// The velocity's elements are those of the unfused step, float32(mu*v)
// + g, g being the gradient element as the unfused product computes it,
// whenever the product runs its whole depth (the batch) in one block
// (every product of a batch of up to 256 on Zen 5's AVX-512 kernels):
// then the parameters afterwards are bit for bit those of Gradient and
// Step, up to the sign of zeros (the update adds g and wd*w = 0 first),
// and a weight that is already NaN or infinite gives NaN either way.
// Deeper, the engine adds each depth block's partial sum to the scaled
// velocity in turn, instead of summing the blocks first: the same
// additions in another order, within the usual bound of the product's
// rounding (TestTrainStepVelocity).

// velocityMinWeights is the smallest Dense layer (weights) whose step
// TrainStep fuses into the velocity; smaller layers store DW and take the
// momentum update. Whole steps on Zen 5, paired interleaved medians of 40,
// fused over unfused with every layer fused, two threads / one:
// 784-4000-4000-10 0.968 / 0.970, but 784-1000-1000-10 1.028 / 0.974: its
// layers (0.8 and 1 Mi weights) fit in the caches, so the passes saved
// cost little, while their weight-gradient products leave the direct path
// for the engine (blas: betaInEngine) and the update without momentum
// lacks the momentum kernel's prefetch for ownership, which pays on two
// threads.
var velocityMinWeights = 2 << 20

// FuseVelocity switches the velocity-fused step of Network.TrainStep on
// for SGD with momentum and no weight decay (see the comment at the top of
// velocity.go): on by default. Set it before training, not while a step
// runs.
var FuseVelocity = true

// velocityTask is the update of a velocity-fused step: w -= lr*v for the
// Dense layers' weights, whose velocity the backward pass has set, and
// SGD's own update for every other parameter.
type velocityTask struct {
	o     *SGD
	ps    []Param
	fused []bool
}

func (t *velocityTask) RunPart(part, parts int) {
	for i, p := range t.ps {
		lo, hi := partRange(len(p.Value), part, parts)
		if lo >= hi {
			continue
		}
		if t.fused[i] {
			asm.SGD(p.Value[lo:hi], t.o.velocity[i][lo:hi], t.o.task.lr, 0)
		} else {
			t.o.update(i, lo, hi, p.Grad[lo:hi])
		}
	}
}

// velocityFusable reports whether TrainStep fuses o's step into the
// velocity: momentum on and not zero this epoch, no weight decay.
func velocityFusable(o *SGD) bool {
	return FuseVelocity && o.LR != nil && o.Momentum != nil && o.WeightDecay == 0 && o.Momentum(o.epoch) != 0
}

// velocityStep is TrainStep's velocity-fused path for o.
func (n *Network) velocityStep(x blas32.General, y []int, o *SGD) float64 {
	loss, dy := n.lossAndGradient(x, y)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss
	}
	o.begin(n)
	defer o.end()
	// A panic in the backward pass must not leave a layer writing its
	// velocity in a later Gradient.
	defer n.unfuse()
	fused := n.velFused
	clear(fused)
	for _, d := range n.dense {
		if len(d.W.Data) >= velocityMinWeights {
			i := n.wParam[d]
			d.vel, d.mu = o.velocity[i], o.task.mu
			fused[i] = true
		}
	}
	for i := len(n.layers) - 1; i >= n.firstDense; i-- {
		dy = n.layers[i].backward(dy, i > n.firstDense)
	}
	n.velTask = velocityTask{o: o, ps: n.params, fused: fused}
	runParallel(&n.velTask, n.NumParams())
	n.velTask = velocityTask{}
	return loss
}

// velocityGrad sets the layer's weight velocity V = mu*V + dyᵀx (its
// velocity-fused backward pass) instead of DW.
func (d *Dense) velocityGrad(dy blas32.General) {
	v := blas32.General{Rows: d.W.Rows, Cols: d.W.Cols, Stride: d.W.Cols, Data: d.vel}
	blas.Gemm32(gblas.Trans, gblas.NoTrans, 1, dy, d.x, d.mu, v)
}
