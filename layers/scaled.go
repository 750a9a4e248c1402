package layers

import (
	"math"

	"github.com/fastpath-go/fastpath/asm"
	"gonum.org/v1/gonum/blas/blas32"
)

// Rank-one preconditioned SGD fused into the weight-gradient products
// (Network.TrainStep with a ScaledSGD optimizer: package pathsgd's
// Path-SGD).
//
// Path-SGD divides each weight's gradient by kappa[v][u] = g[v] f[u], a
// rank-one outer product fixed by the weights before the step. Its
// reciprocal splits into a row factor rs[v] and a column factor cs[u], and
// since the weight gradient is dZᵀX,
//
//	rs[v] G[v][u] cs[u] = sum over the batch of (rs[v] dZ[b][v]) (X[b][u] cs[u]),
//
// the preconditioned gradient is the product of the two operands with
// their columns scaled (dZ in place, once the input gradient and the bias
// gradient have read it; X into a copy, a 40th of a 4000 x 4000 layer at
// batch 100). So the step is SGD's on that product, and TrainStep takes it
// as it takes SGD's (velocity.go): the velocity V = mu*V + G' in the
// product's ScaleC epilogue and W -= lr*V in its descent epilogue, where
// Gradient followed by Step writes DW, reads it back with W and V and
// writes both. The optimizer computes the
// factors after the forward pass, before any weight changes
// (ScaledSGD.PlanStep), and steps the parameters the products did not
// (ScaledSGD.FinishStep: the biases, and the layers too small to fuse).
//
// The preconditioned gradient is then rounded differently: each term
// float32(rs*dZ)·float32(X*cs) is rounded before the batch sum instead of
// the sum being scaled afterwards as float32(rs*float32(G*cs)). The two
// agree within the usual bound of a float32 product (a few units in the
// last place of the sum of the terms' magnitudes; package pathsgd's
// TestTrainStepFused), and the step is otherwise the same arithmetic as
// Gradient and Step.

// ScaledSGD is an Optimizer whose step on each Dense layer's weights is SGD,
// plain or with momentum, on the gradient scaled elementwise by a rank-one
// factor computed from the weights before the step:
// G'[v][u] = RowScale[v] * G[v][u] * ColScale[u]. Network.TrainStep then
// takes the step of the large layers in their weight-gradient products
// (see the comment at the top of scaled.go); Step alone (after Gradient)
// must take the same step. package pathsgd's PathSGD is one.
type ScaledSGD interface {
	Optimizer
	// PlanStep is called by TrainStep after the forward pass and before the
	// backward pass, the parameters still those the step starts from. It
	// fills plan[k] for the Dense layer k of net.Dense() and reports true,
	// or reports false, planning nothing, when this step is not to be fused
	// (TrainStep then runs the backward pass and Step).
	PlanStep(net *Network, plan []ScaledStep) bool
	// FinishStep is called after the backward pass of a planned step. It
	// takes the step of every parameter i of net.Params() with fused[i]
	// false, from its gradient in Params()[i].Grad; the others have taken
	// theirs (their Grad does not hold the gradient).
	FinishStep(net *Network, fused []bool)
}

// ScaledStep is the step a ScaledSGD optimizer plans for the weights of one
// Dense layer: with Velocity nil, W -= LR * G'; otherwise Velocity =
// Mu*Velocity + G' and W -= LR * Velocity, with G' the gradient scaled by
// RowScale[v] * ColScale[u]. The slices belong to the optimizer and must
// stay unchanged until FinishStep returns.
type ScaledStep struct {
	// RowScale has the layer's OutSize factors, ColScale its InSize.
	RowScale, ColScale []float32
	// Velocity is the layer's velocity (OutSize x InSize, row-major), or
	// nil for plain SGD.
	Velocity []float32
	LR, Mu   float32
}

// scaledStep is TrainStep's path for a ScaledSGD optimizer.
func (n *Network) scaledStep(x blas32.General, y []int, o ScaledSGD) float64 {
	loss, dy := n.lossAndGradient(x, y)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss
	}
	if len(n.plan) != len(n.dense) {
		n.plan = make([]ScaledStep, len(n.dense))
	}
	clear(n.plan)
	if !o.PlanStep(n, n.plan) {
		for i := len(n.layers) - 1; i >= n.firstDense; i-- {
			dy = n.layers[i].backward(dy, i > n.firstDense)
		}
		o.Step(n)
		return loss
	}
	// A panic in the backward pass must not leave a layer fused into a
	// later Gradient.
	defer n.unfuse()
	fused := n.velFused
	clear(fused)
	for k, d := range n.dense {
		p := &n.plan[k]
		if len(p.RowScale) != d.W.Rows || len(p.ColScale) != d.W.Cols ||
			(p.Velocity != nil && len(p.Velocity) != len(d.W.Data)) {
			panic(errScaledPlan)
		}
		// The bars of SGD's fusion (velocity.go): plain steps store DW
		// with beta = 0, which below 2 Mi weights takes the direct path
		// with no epilogue.
		minW := velocityMin()
		if p.Velocity == nil {
			minW = max(minW, velocityMinWeightsPass)
		}
		if len(d.W.Data) < minW {
			continue
		}
		d.descend, d.lr, d.wd = true, p.LR, 0
		d.vel, d.mu = p.Velocity, p.Mu
		d.rs, d.cs = p.RowScale, p.ColScale
		fused[n.wParam[d]] = true
	}
	for i := len(n.layers) - 1; i >= n.firstDense; i-- {
		dy = n.layers[i].backward(dy, i > n.firstDense)
	}
	o.FinishStep(n, fused)
	return loss
}

// scaleOperands scales column v of dy by d.rs[v] in place and returns a
// copy of the layer's input with column u scaled by d.cs[u] (in the
// layer's scratch): the product of dy's transpose and the copy is then the
// weight gradient scaled by rs[v]*cs[u]. The rows are split between the
// threads.
func (d *Dense) scaleOperands(dy blas32.General) blas32.General {
	rows, in := dy.Rows, d.x.Cols
	d.sx = grow(d.sx, rows*in)
	if len(d.zero) < max(dy.Cols, in) {
		d.zero = make([]float32, max(dy.Cols, in))
	}
	d.scale = scaleTask{d: d, dy: dy}
	runParallel(&d.scale, rows*(dy.Cols+in))
	d.scale = scaleTask{}
	return view(d.sx, rows, in)
}

// scaleTask is scaleOperands' work, split by rows.
type scaleTask struct {
	d  *Dense
	dy blas32.General
}

func (t *scaleTask) RunPart(part, parts int) {
	d, dy := t.d, t.dy
	out, in := dy.Cols, d.x.Cols
	lo, hi := dy.Rows*part/parts, dy.Rows*(part+1)/parts
	for r := lo; r < hi; r++ {
		g := dy.Data[r*dy.Stride : r*dy.Stride+out]
		asm.ScaleShift(g, g, d.rs, d.zero[:out])
		asm.ScaleShift(d.sx[r*in:(r+1)*in], d.x.Data[r*d.x.Stride:r*d.x.Stride+in], d.cs, d.zero[:in])
	}
}
