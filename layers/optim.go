package layers

import (
	"errors"
	"fmt"
	"math"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/internal/hugepage"
)

// Optimizer updates a network's parameters from the gradients of the last
// Network.Gradient call. Implementations keep per-parameter state (velocity,
// accumulators) sized on the first Step and reused after, so Step allocates
// nothing in steady state.
//
// Step receives the whole network, not one tensor at a time: an optimizer
// may need every layer before updating any (Path-SGD computes its scaling
// from all the current weights), and reads the layers through
// Network.Dense (W_i, b_i, DW_i, DB_i by layer index) or Network.Params.
type Optimizer interface {
	// SetEpoch tells the optimizer how many epochs are complete (0 during
	// the first); learning-rate and momentum schedules read it. Train calls
	// it before each epoch.
	SetEpoch(completed int)
	// Step applies one update to net.
	Step(net *Network)
}

// Schedule gives a hyper-parameter's value during the epoch after
// `completed` complete epochs.
type Schedule func(completed int) float32

// Constant returns a schedule with the value v at every epoch.
func Constant(v float32) Schedule { return func(int) float32 { return v } }

// Exponential returns the schedule v0 * factor^completed (the thesis decays
// the learning rate with factor 0.99 per epoch). The power is evaluated in
// float64 rather than by repeated multiplication, so the value at an epoch
// does not depend on how training got there.
func Exponential(v0, factor float32) Schedule {
	return func(e int) float32 { return float32(float64(v0) * math.Pow(float64(factor), float64(e))) }
}

// Linear returns the schedule v0 + step*completed, stopping at limit (the
// thesis raises momentum from 0.5 by 0.02 per epoch up to 0.9:
// Linear(0.5, 0.02, 0.9)). A negative step decreases towards limit.
func Linear(v0, step, limit float32) Schedule {
	return func(e int) float32 {
		v := float64(v0) + float64(step)*float64(e)
		if step >= 0 {
			v = math.Min(v, float64(limit))
		} else {
			v = math.Max(v, float64(limit))
		}
		return float32(v)
	}
}

// SGD is stochastic gradient descent with optional heavy-ball momentum and
// L2 weight decay on the weights (not the biases). Per parameter w with
// gradient g and velocity v:
//
//	without Momentum: w -= lr * (g + wd*w)
//	with Momentum:    v = mu*v + g + wd*w;  w -= lr * v
//
// (wd = 0 for biases), with lr = LR(epoch) and mu = Momentum(epoch); the
// velocity starts at zero. The updates run on asm.SGD and asm.SGDMomentum,
// whose exact rounding is documented there.
type SGD struct {
	// LR is the learning-rate schedule (required).
	LR Schedule
	// Momentum is the momentum schedule; nil means plain SGD (no velocity
	// is kept).
	Momentum Schedule
	// WeightDecay is the L2 coefficient wd on weights.
	WeightDecay float32

	epoch    int
	velocity [][]float32
	task     sgdTask
}

// sgdTask is one SGD update, split into parts by runParallel.
type sgdTask struct {
	o      *SGD
	ps     []Param
	lr, mu float32
}

func (t *sgdTask) RunPart(part, parts int) {
	for i, p := range t.ps {
		lo, hi := partRange(len(p.Value), part, parts)
		if lo < hi {
			t.o.update(i, lo, hi, p.Grad[lo:hi])
		}
	}
}

// ThesisSGD returns the SGD settings of the thesis's experiments: learning
// rate lr decayed by 0.99 per epoch, momentum 0.5 rising by 0.02 per epoch
// up to 0.9, no weight decay.
func ThesisSGD(lr float32) *SGD {
	return &SGD{LR: Exponential(lr, 0.99), Momentum: Linear(0.5, 0.02, 0.9)}
}

// SetEpoch sets the number of completed epochs the schedules read.
func (o *SGD) SetEpoch(completed int) { o.epoch = completed }

// Reset drops the velocity (it restarts at zero on the next Step).
func (o *SGD) Reset() { o.velocity = nil }

// Validate reports a missing learning-rate schedule or a negative or
// non-finite weight decay (Train calls it before the first step).
func (o *SGD) Validate() error {
	if o.LR == nil {
		return errors.New("layers: SGD has no learning-rate schedule (LR is nil)")
	}
	if !(o.WeightDecay >= 0 && o.WeightDecay < float32(math.Inf(1))) {
		return fmt.Errorf("layers: SGD weight decay %v (want a finite value >= 0)", o.WeightDecay)
	}
	return nil
}

// Step applies one SGD update to net. It panics if LR is nil or if the
// optimizer's state was sized for a network of another shape.
func (o *SGD) Step(net *Network) {
	o.begin(net)
	runParallel(&o.task, net.NumParams())
	o.end()
}

func (o *SGD) begin(net *Network) {
	if o.LR == nil {
		panic(errNoLR)
	}
	ps := net.Params()
	o.task = sgdTask{o: o, ps: ps, lr: o.LR(o.epoch)}
	if o.Momentum != nil {
		o.velocity = state(o.velocity, ps)
		o.task.mu = o.Momentum(o.epoch)
	}
}

func (o *SGD) update(i, lo, hi int, g []float32) {
	p := o.task.ps[i]
	if o.Momentum == nil {
		asm.SGD(p.Value[lo:hi], g, o.task.lr, o.decay(p))
	} else {
		asm.SGDMomentum(p.Value[lo:hi], g, o.velocity[i][lo:hi], o.task.lr, o.task.mu, o.decay(p))
	}
}

func (o *SGD) end() { o.task = sgdTask{} }

func (o *SGD) decay(p Param) float32 {
	if p.IsWeight() {
		return o.WeightDecay
	}
	return 0
}

// AdaGrad is the diagonal AdaGrad method (Duchi, Hazan and Singer, 2011).
// Per parameter w with gradient g and accumulator h (starting at zero):
//
//	h += g*g;  w -= lr * g / (sqrt(h) + eps)
//
// with lr = LR(epoch), on asm.AdaGrad.
type AdaGrad struct {
	// LR is the learning-rate schedule (required).
	LR Schedule
	// Eps keeps the step finite where h is zero; 0 means 1e-8.
	Eps float32

	epoch int
	accum [][]float32
	task  adaGradTask
}

// adaGradTask is one AdaGrad update, split into parts by runParallel.
type adaGradTask struct {
	ps      []Param
	accum   [][]float32
	lr, eps float32
}

func (t *adaGradTask) RunPart(part, parts int) {
	for i, p := range t.ps {
		lo, hi := partRange(len(p.Value), part, parts)
		if lo < hi {
			t.update(i, lo, hi, p.Grad[lo:hi])
		}
	}
}

func (t *adaGradTask) update(i, lo, hi int, g []float32) {
	asm.AdaGrad(t.ps[i].Value[lo:hi], g, t.accum[i][lo:hi], t.lr, t.eps)
}

// SetEpoch sets the number of completed epochs the schedule reads.
func (o *AdaGrad) SetEpoch(completed int) { o.epoch = completed }

// Reset drops the accumulators (they restart at zero on the next Step).
func (o *AdaGrad) Reset() { o.accum = nil }

// Validate reports a missing learning-rate schedule or a negative Eps
// (Train calls it before the first step).
func (o *AdaGrad) Validate() error {
	if o.LR == nil {
		return errors.New("layers: AdaGrad has no learning-rate schedule (LR is nil)")
	}
	if !(o.Eps >= 0) {
		return fmt.Errorf("layers: AdaGrad Eps %v (want >= 0)", o.Eps)
	}
	return nil
}

// Step applies one AdaGrad update to net. It panics if LR is nil or if the
// optimizer's state was sized for a network of another shape.
func (o *AdaGrad) Step(net *Network) {
	o.begin(net)
	runParallel(&o.task, net.NumParams())
	o.end()
}

func (o *AdaGrad) begin(net *Network) {
	if o.LR == nil {
		panic(errNoLR)
	}
	ps := net.Params()
	o.accum = state(o.accum, ps)
	eps := o.Eps
	if eps == 0 {
		eps = 1e-8
	}
	o.task = adaGradTask{ps: ps, accum: o.accum, lr: o.LR(o.epoch), eps: eps}
}

func (o *AdaGrad) update(i, lo, hi int, g []float32) { o.task.update(i, lo, hi, g) }

func (o *AdaGrad) end() { o.task = adaGradTask{} }

// state returns per-parameter state buffers for ps, allocating zeros the
// first time and panicking if existing buffers do not match ps's shapes.
func state(s [][]float32, ps []Param) [][]float32 {
	if s == nil {
		s = make([][]float32, len(ps))
		for i, p := range ps {
			s[i] = hugepage.Float32s(len(p.Value))
		}
		return s
	}
	if len(s) != len(ps) {
		panic(errOptimizerNet)
	}
	for i, p := range ps {
		if len(s[i]) != len(p.Value) {
			panic(errOptimizerNet)
		}
	}
	return s
}
