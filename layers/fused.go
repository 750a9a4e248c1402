package layers

import (
	"math"
	"sync/atomic"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Fused weight updates (Network.TrainStep).
//
// Unfused, a step writes each weight gradient DW (as large as W) to memory
// in the backward pass and reads it back in the optimizer's pass over W and
// its state: for 784-4000-4000-10 that is 77 MB written and read again
// every step. TrainStep instead computes each Dense layer's weight gradient
// in blocks of rows small enough to stay in the L2 cache (fusedRows), into a
// per-thread buffer, and applies the optimizer to the matching rows of W and
// of its state at once. The threads claim blocks from a shared counter, so
// while one multiplies (compute-bound) the other is usually updating
// (memory-bound). It does not pay on the machine it was built on, so it is
// off by default (FuseUpdates). Measured on whole steps (batch 100, SGD
// with momentum, interleaved runs on a Zen 5 core pair): first 2-3% faster
// than Gradient + Step for 784-4000-4000-10 on two threads (a noisy
// evening, 8 pairs); then, on a quiet machine, 1.3-3.6% slower in five of
// six comparisons of BenchmarkTrainStep (784-1000-1000-10 and
// 784-4000-4000-10, one and two threads; faster only for 784-4000-4000-10
// on one thread, by 1.9%) and level within 1.4% in fastpath bench -train. The
// update remains bound by reading and writing W and its state (16 bytes
// per weight with momentum) whether or not dW goes through memory, and the
// blocks' separate products and hand-offs cost more than the dW traffic
// saves. Prefetching the block's W and state during its product (tried: a
// share before each micro-kernel call) moved the stalls into the product.
// On Zen 4 (2026-12-03; one core streams ~27 GB/s from memory, the
// momentum update alone runs at 33-35 GB/s), paired interleaved medians of
// 784-4000-4000-10 steps, unfused time over fused: one thread 0.96, 1.00
// and 0.99 in three runs, two threads 1.06, 1.07 and 1.00, quartiles
// spanning 1 in four of the six: still not a gain to switch on by default.
// Tried on Zen 4 (2026-12-04) and not kept: the update applied to each
// micro-kernel tile of DW as the engine produced it (a 10 x 32 tile in
// L1, the next tile's rows of W and velocity prefetched before each
// kernel call, the tiles walked down the columns or along the rows with
// the packed B panel in L2). The 4000x4000 layer's product and update ran
// 42-52 ms on one thread and 25-28 ms on two, against 40-48 and 22-29 ms
// unfused (one early run had shown 37 and 19 ms, not reproduced), and
// whole steps did not gain: the update's misses stalled the tiles instead
// of overlapping them (its time reappeared as time in the update and in
// the prefetch instructions, 8.6 ms of a 2-thread step against the
// unfused update's 7 ms). A simulation of that schedule on one core (the
// 4000x4000 layer's 50000 tiles, each 2000 cycles of register FMAs, then
// the SGD-momentum update of its 10 x 32 weights) ran 33-35 ms against 28
// ms of FMAs alone whether the next tile's lines were prefetched in one
// burst or spread over the FMAs, into L1 or L2, for reading or writing,
// and with one update call per tile instead of one per row; the streaming
// update of the whole layer alone took 6-7 ms. So an update in the
// kernel's epilogue could save at most the DW write and read-back, about
// 4% of a step.
// Tried on Zen 5 (2026-12-04, steps of 784-4000-4000-10 on two threads
// timed alternately in one process, fused or not, medians of 30-40
// pairs; fused 2% slower than unfused on one and two threads) and not
// kept: (1) the blocks' products on a packed copy of X (blas.PackedB32,
// packed once per layer, A packed from dY's columns): the products ran at
// 0.92 of the peak instead of 0.74 on the direct path, but whole steps
// stayed level; (2) a token so that one thread at a time updates (a
// thread finding it taken computes its next block first): 2-5% slower;
// (3) one thread updating every block while the other multiplies: the
// updates took twice as long (9.2 ms a step for 19 Mi weights), since
// each block's gradient must cross from the other core's cache, at ~200
// ns a line between these two vCPUs; (4) unfused, the first layer's
// weight-gradient product on one thread while the other updates every
// other parameter (nothing there conflicts): level (unfused time over
// overlapped 1.000-1.014), the overlapped tail taking 9.5 ms against
// 1.9 ms of product and 3.9 ms of update unfused, the update running at
// 60% of its speed beside the product. A core updating and a core
// multiplying in cache do not slow each other (16 Mi weights updated in
// 4.9-5.2 ms beside a 100x4000x4000 product, 4.5-6.7 ms alone, the
// product level), but the training step's products stream their own
// operands and gradients through the same memory.
// Tried on Zen 5 (2026-12-04, tenth sitting) and not kept: each Dense
// layer's weight update run right after its unfused weight-gradient
// product, while W (just read by the input-gradient product) and DW (just
// written) might still be in cache, instead of in Step after the whole
// backward pass (bit for bit the same parameters): 784-1000-1000-10, whose
// layers fit in the caches, steps timed alternately in one process
// (medians of 200 pairs), 0.994-1.002 on two threads, 1.001 on one.
//
// Every element of a block is computed as in the whole-matrix product (the
// same chain of fused multiply-adds over the batch, depth block by depth
// block, whichever micro-kernel shape the engine picks for the block), and
// the update is elementwise, so the weights afterwards are bit for bit those
// of Gradient followed by Step (TestTrainStepFused, on every implementation).

// elementwiseOptimizer is an Optimizer whose update of a parameter element
// reads only that element's value, gradient and state (SGD, AdaGrad), so
// that it can be applied to a block of a tensor as soon as the block's
// gradient exists.
type elementwiseOptimizer interface {
	Optimizer
	// begin prepares one step on net: the step's schedule values and the
	// state buffers (it panics as Step does).
	begin(net *Network)
	// update applies the step to elements [lo, hi) of parameter i of
	// net.Params(), whose gradient is g (hi-lo values).
	update(i, lo, hi int, g []float32)
	// end drops the references begin took.
	end()
}

// FuseUpdates switches the fused path of Network.TrainStep on (see the
// comment at the top of fused.go): off by default, since Gradient followed
// by Step measured as fast or faster on Zen 5; a machine where a core's
// memory bandwidth is scarcer may gain from it. Either way the parameters
// after a step are bit for bit the same. Set it before training, not while
// a step runs.
var FuseUpdates = false

// fusedStep is the state of one TrainStep on the fused path: the optimizer
// and, while a Dense layer's blocks are in flight, that layer's operands.
type fusedStep struct {
	opt elementwiseOptimizer

	dy, x   blas32.General // the layer's output gradient and input
	param   int            // index of the layer's W in Network.Params
	rows    int            // rows of W per block
	claim   atomic.Int64   // blocks claimed so far
	scratch [][]float32    // per-thread gradient block, rows x In
}

// fusedRows is the number of rows of W per block for a layer with in
// inputs: a block of the gradient fills at most half of the L2 cache, in
// multiples of 16 rows, between 16 and 64 (measured at 2x 4000 units: 16
// rows 14.8 ms, 32 rows 13.2, 64 rows 12.8, 128 rows 13.3, against 16.1 ms
// unfused for the product and update of a 4000x4000 layer, in a test
// whose gain did not carry over to whole steps: see the comment at the top).
func fusedRows(in int) int {
	_, l2, _ := asm.CacheSizes()
	r := l2 / 2 / (4 * in) / 16 * 16
	return min(max(r, 16), 64)
}

// weightStep computes the weight gradient dy^T x of the Dense layer whose W
// is parameter param, block of rows by block of rows, and applies the
// optimizer to each block.
func (f *fusedStep) weightStep(dy, x blas32.General, param int) {
	out, in := dy.Cols, x.Cols
	f.dy, f.x, f.param = dy, x, param
	f.rows = fusedRows(in)
	f.claim.Store(0)
	blocks := (out + f.rows - 1) / f.rows
	parts := min(blas.ElementwiseParts(out*in), blocks)
	for len(f.scratch) < parts {
		f.scratch = append(f.scratch, nil)
	}
	for p := range parts {
		if cap(f.scratch[p]) < f.rows*in {
			f.scratch[p] = make([]float32, f.rows*in)
		}
	}
	blas.Run(f, parts)
	f.dy, f.x = blas32.General{}, blas32.General{}
}

// RunPart claims blocks until none is left (blas.Task). The products run
// on this thread alone: the region holds the worker pool, so the GEMM
// engine runs them serially.
func (f *fusedStep) RunPart(part, _ int) {
	s := f.scratch[part]
	out, in := f.dy.Cols, f.x.Cols
	for {
		r0 := int(f.claim.Add(1)-1) * f.rows
		if r0 >= out {
			return
		}
		r1 := min(r0+f.rows, out)
		a := blas32.General{Rows: f.dy.Rows, Cols: r1 - r0, Stride: f.dy.Stride, Data: f.dy.Data[r0:]}
		g := blas32.General{Rows: r1 - r0, Cols: in, Stride: in, Data: s[:(r1-r0)*in]}
		blas.Gemm32(gblas.Trans, gblas.NoTrans, 1, a, f.x, 0, g)
		f.opt.update(f.param, r0*in, r1*in, g.Data)
	}
}

// restTask applies the optimizer to the parameters whose update was not
// fused (biases, batch-normalization scales and shifts), split like Step.
type restTask struct {
	opt   elementwiseOptimizer
	ps    []Param
	fused []bool
}

func (t *restTask) RunPart(part, parts int) {
	for i, p := range t.ps {
		if t.fused[i] {
			continue
		}
		lo, hi := partRange(len(p.Value), part, parts)
		if lo < hi {
			t.opt.update(i, lo, hi, p.Grad[lo:hi])
		}
	}
}

// TrainStep runs one training step on the batch x with labels y: the
// training forward pass and loss, the backward pass and opt's update, as
// Gradient followed by opt.Step, and returns the loss. When the loss is not
// finite nothing is updated (the caller decides what a diverged step
// means). On a network without DDP-Normalization layers: for SGD with
// momentum and no weight decay (and FuseVelocity, the default), the
// weight gradients of the Dense layers of at least 2 Mi weights are
// computed into the velocity (see the comment at the top of velocity.go);
// for a ScaledSGD optimizer (Path-SGD), the large layers' steps ride in
// their weight-gradient products the same way, within a product's rounding
// of Gradient and Step (see the comment at the top of scaled.go); with
// FuseUpdates set, for SGD and AdaGrad, the weight updates are fused
// into the backward pass (see the comment at the top of fused.go). Either
// way but the ScaledSGD one the parameters afterwards are those of
// Gradient and Step (bit for bit, up to the sign of zeros where
// velocity.go says), but the fused
// layers' DW then do not hold the weight gradients (DB and the other
// parameters' gradients do). Otherwise it runs Gradient and Step. It
// panics as Gradient and Step do.
func (n *Network) TrainStep(x blas32.General, y []int, opt Optimizer) float64 {
	if s, ok := opt.(*SGD); ok && !FuseUpdates && len(n.ddp) == 0 && velocityFusable(s) {
		return n.velocityStep(x, y, s)
	}
	if s, ok := opt.(ScaledSGD); ok && FuseVelocity && len(n.ddp) == 0 {
		return n.scaledStep(x, y, s)
	}
	e, ok := opt.(elementwiseOptimizer)
	if !ok || !FuseUpdates || len(n.ddp) > 0 {
		loss := n.Gradient(x, y)
		if !math.IsNaN(loss) && !math.IsInf(loss, 0) {
			opt.Step(n)
		}
		return loss
	}
	loss, dy := n.lossAndGradient(x, y)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss
	}
	e.begin(n)
	n.fused.opt = e
	// A panic in the backward pass must not leave a layer fusing updates
	// into a later Gradient.
	defer n.unfuse()
	for i := len(n.layers) - 1; i >= n.firstDense; i-- {
		if d, ok := n.layers[i].(*Dense); ok {
			d.fused, d.fusedParam = &n.fused, n.wParam[d]
		}
		dy = n.layers[i].backward(dy, i > n.firstDense)
	}
	n.rest = restTask{opt: e, ps: n.params, fused: n.fusedParams}
	runParallel(&n.rest, n.NumParams()-n.NumWeights())
	n.rest = restTask{}
	e.end()
	return loss
}

// unfuse returns the Dense layers to unfused backward passes.
func (n *Network) unfuse() {
	for _, d := range n.dense {
		d.fused = nil
		d.descend, d.vel = false, nil
		d.rs, d.cs = nil, nil
	}
	n.fused.opt = nil
}
