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
// gradient into the velocity itself, V = mu*V + dZᵀX, and steps W -= lr*V
// in the same product (blas.Descent32 with beta = mu: the packed engine
// scales V in its kernels' epilogue, asm.ScaleC, and steps each tile of W
// right after the kernel stores the tile of V, asm.Impl.SgemmDescend):
// four passes' worth of traffic (V and W each read and written once) in
// one, and DW is never written. Where the kernels have no descent
// epilogue, a pass after the product steps W (three passes). Plain SGD
// (no momentum schedule) takes the same path with DW in place of V and
// beta = 0: DW is stored (it still holds the gradient afterwards) and W
// -= lr*(DW + wd*W) in the product's epilogue, for layers of at least
// velocityMinWeightsPass weights (below it the product, with beta = 0,
// takes the direct path, which has no epilogue): 784-4000-4000-10 steps
// 2.7% faster on two threads (old and new binaries alternated three
// times, each against Path-SGD in the same process).
//
// Zen 5 (2026-12-05), the product and step of one layer, the descent
// epilogue over the product followed by the pass, paired medians of 25,
// one thread / two: 4000 x 4000 weights 0.93-0.94 / 0.92, 4000 x 784
// 0.99 / 0.98; whole 784-4000-4000-10 steps (batch 100), old and new
// binaries alternated four times, 31.4-32.3 → 30.3-30.5 ms on two threads
// and 59.4-61.5 → 57.5-60.0 ms on one. The velocity fusion with the step
// as a pass of its own (2026-12-04) had measured, against Gradient and
// Step, 4000 x 4000 0.84 / 0.90, 4000 x 784 0.87 / 0.94, whole
// 784-4000-4000-10 steps 0.968 / 0.973.
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
// momentum update. With the step in a pass of its own (2026-12-04),
// whole 784-1000-1000-10 steps with its two large layers (0.8 and 1 Mi
// weights) fused had measured 1.028 / 0.974 on two threads / one against
// unfused (their weight-gradient products leave the direct path for the
// engine, blas: betaInEngine, and the pass lacked the momentum kernel's
// prefetch for ownership), so the bar was 2 Mi. With the step in the
// product's epilogue (2026-12-05), those layers fused over unfused,
// old/new binaries alternated: two threads median 0.99 (ten pairs,
// 0.96-1.02), one thread 0.87-0.95 (three pairs); the bar is now 512 Ki
// weights, below which the product fits the direct path and the step
// would run as a pass anyway. Implementations whose kernels lack the
// ScaleC or descent epilogue (pure Go) scale V and step W in passes of
// their own, as the 2 Mi bar was measured with: they keep it
// (velocityMinWeightsPass). The NEON kernels have both epilogues since
// the sixteenth sitting and take the 512 Ki bar, not measured on arm64
// hardware (none here; QEMU checks the results, not the speed). With AVX-512 masked, before the AVX2 kernels
// had either epilogue, the 512 Ki bar had made 784-1000-1000-10 steps on
// two threads 7.4-7.5 ms against 5.15-5.25.
var (
	velocityMinWeights     = 1 << 19
	velocityMinWeightsPass = 2 << 20
)

// velocityMin returns the fusing bar for the selected implementation.
func velocityMin() int {
	if impl := asm.Current(); impl.SgemmScaleC && impl.SgemmDescend != nil {
		return velocityMinWeights
	}
	return velocityMinWeightsPass
}

// FuseVelocity switches the velocity-fused step of Network.TrainStep on
// for SGD with momentum and no weight decay, and for plain SGD (with or
// without weight decay; see the comment at the top of velocity.go), and
// for ScaledSGD optimizers (scaled.go): on by default. Set it before
// training, not while a step runs.
var FuseVelocity = true

// velocityFusable reports whether TrainStep fuses o's step into the
// weight-gradient products: plain SGD (no momentum schedule; any weight
// decay), or momentum not zero this epoch and no weight decay.
func velocityFusable(o *SGD) bool {
	if !FuseVelocity || o.LR == nil {
		return false
	}
	if o.Momentum == nil {
		return true
	}
	return o.WeightDecay == 0 && o.Momentum(o.epoch) != 0
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
	minW := velocityMin()
	plain := o.Momentum == nil
	if plain {
		// Without momentum the product's beta is 0, and the products of
		// layers below 2 Mi weights take the direct path, which steps W
		// in a pass of its own: no gain there.
		minW = max(minW, velocityMinWeightsPass)
	}
	for _, d := range n.dense {
		if len(d.W.Data) >= minW {
			i := n.wParam[d]
			d.descend, d.lr = true, o.task.lr
			if plain {
				d.vel, d.mu, d.wd = nil, 0, o.WeightDecay
			} else {
				d.vel, d.mu, d.wd = o.velocity[i], o.task.mu, 0
			}
			fused[i] = true
		}
	}
	for i := len(n.layers) - 1; i >= n.firstDense; i-- {
		dy = n.layers[i].backward(dy, i > n.firstDense)
	}
	// Every other parameter takes SGD's update (the fused weights took
	// their step in the backward pass).
	n.rest = restTask{opt: o, ps: n.params, fused: fused}
	runParallel(&n.rest, n.NumParams())
	n.rest = restTask{}
	return loss
}

// velocityGrad sets the layer's weight velocity V = mu*V + dyᵀx (its
// velocity-fused backward pass) instead of DW, and steps W -= lr*V
// (blas.Descent32: in the product's epilogue where the kernels allow).
//
// With row and column factors (rs, cs: a ScaledSGD step, scaled.go) the
// gradient is that of the operands with their columns scaled: dy in place
// (the backward pass is done with it), x into a copy.
func (d *Dense) velocityGrad(dy blas32.General) {
	x := d.x
	if d.rs != nil {
		x = d.scaleOperands(dy)
	}
	if d.vel == nil {
		// Plain SGD: DW = dyᵀx, W -= lr*(DW + wd*W).
		blas.Descent32(gblas.Trans, gblas.NoTrans, 1, dy, x, 0, d.DW, d.W, d.lr, d.wd)
		return
	}
	v := blas32.General{Rows: d.W.Rows, Cols: d.W.Cols, Stride: d.W.Cols, Data: d.vel}
	blas.Descent32(gblas.Trans, gblas.NoTrans, 1, dy, x, d.mu, v, d.W, d.lr, d.wd)
}
