package layers

import (
	"fmt"
	"math"

	"github.com/fastpath-go/fastpath/asm"
	"gonum.org/v1/gonum/blas/blas32"
)

// DDPNorm is data-dependent path normalization (DDP-Normalization, the
// thesis's chapter on data-dependent path normalization; pathsgd.md
// section 5) of the outputs z of the Dense layer directly before it,
// optionally followed by a fused ReLU:
//
//	gamma_v^2 = Alpha * E[z_v^2] + (1-Alpha) * (||W[v,:]||^2 + b_v^2)
//	y_v = z_v / gamma_v          (0 where gamma_v = 0)
//
// where W and b are that Dense layer's. Every unit's inputs are normalized
// outputs of the layer before (or the network's inputs), whose own gamma is
// 1 by construction, so this is the plain network reparametrized so that
// every hidden unit has gamma_v = 1. Alpha = 0 divides each unit by the
// l2 norm of its incoming weights and bias (the path-normalized
// reparametrisation: Path-SGD's geometry); Alpha = 1 by the root of the
// uncentred batch second moment E[z_v^2] (batch normalization's statistic,
// without centring or affine parameters).
//
// In training mode E[z_v^2] is the mini-batch mean and the gradient flows
// through gamma into z and into the Dense layer's W and b, as in batch
// normalization; the running average of E[z_v^2] is updated (the first
// training batch sets it, later ones mix in with factor Momentum) and is
// used in inference mode. The layer has no trained parameters of its own;
// the normalized network's output is unchanged when a unit's incoming
// weights and bias are scaled by any c > 0 (and its running average by
// c^2), for every Alpha. pathsgd.DDPNet is its float64 reference. Every
// pass over the batch runs on the SIMD kernels asm.MulAdd, asm.ScaleShift
// and asm.SDot.
type DDPNorm struct {
	// Alpha in [0, 1] mixes the batch second moments and the weight norms.
	Alpha float32
	// Momentum is the running average's factor in (0, 1].
	Momentum float32
	// RunSq is the running average of E[z_v^2]; Tracked reports whether a
	// training batch has set it (before that, inference uses 0).
	RunSq   []float32
	Tracked bool
	// ReLU applies max(0, y) to the output.
	ReLU bool

	size  int
	dense *Dense // the layer whose outputs are normalized (set by NewNetwork)
	train bool
	z     blas32.General // input of the last forward
	gamma []float32      // per unit, of the last forward
	inv   []float32      // 1/gamma (0 where gamma = 0)
	wg    []float32      // per unit: the coefficient of (W[v,:], b_v) in their gradient
	coef  []float32      // per unit: the coefficient of z in dL/dz
	sum   []float32      // per-unit accumulator
	zeros []float32
	out   []float32
	acc   []float64
}

// NewDDPNorm returns a DDP-Normalization layer on size units with the
// given alpha and the default momentum; relu selects the fused ReLU. It
// must directly follow a Dense layer without ReLU of size outputs in a
// Network. It panics unless size is positive and alpha is in [0, 1].
func NewDDPNorm(size int, alpha float32, relu bool) *DDPNorm {
	if size <= 0 {
		panic(errSize)
	}
	if size > MaxFeatures {
		panic(errTooLarge)
	}
	if !(alpha >= 0 && alpha <= 1) {
		panic(errAlpha)
	}
	return &DDPNorm{
		Alpha: alpha, Momentum: DefaultNormMomentum, RunSq: make([]float32, size), ReLU: relu, size: size,
		gamma: make([]float32, size), inv: make([]float32, size), wg: make([]float32, size), coef: make([]float32, size),
		sum: make([]float32, size), zeros: make([]float32, size), acc: make([]float64, size),
	}
}

// InSize returns the number of units.
func (l *DDPNorm) InSize() int { return l.size }

// OutSize returns the number of units.
func (l *DDPNorm) OutSize() int { return l.size }

// String describes the layer.
func (l *DDPNorm) String() string {
	if l.ReLU {
		return fmt.Sprintf("ddpnorm(%d, alpha=%g, relu)", l.size, l.Alpha)
	}
	return fmt.Sprintf("ddpnorm(%d, alpha=%g)", l.size, l.Alpha)
}

// Reset forgets the running average.
func (l *DDPNorm) Reset() {
	clear(l.RunSq)
	l.Tracked = false
}

func (l *DDPNorm) reserve(rows int, _ bool) { l.out = grow(l.out, rows*l.size) }

func (l *DDPNorm) forward(x blas32.General, train bool) blas32.General {
	if !(l.Alpha >= 0 && l.Alpha <= 1) {
		panic(errAlpha)
	}
	if !(l.Momentum > 0 && l.Momentum <= 1) {
		panic(errNormSettings)
	}
	n := l.size
	l.z, l.train = x, train
	alpha := float64(l.Alpha)
	sq := l.acc
	if train && x.Rows > 0 {
		clear(l.sum)
		for r := 0; r < x.Rows; r++ {
			row := x.Data[r*x.Stride : r*x.Stride+n]
			asm.MulAdd(l.sum, row, row)
		}
		inv, m := 1/float64(x.Rows), float64(l.Momentum)
		for j := range sq {
			sq[j] = float64(l.sum[j]) * inv
			if l.Tracked {
				l.RunSq[j] = float32((1-m)*float64(l.RunSq[j]) + m*sq[j])
			} else {
				l.RunSq[j] = float32(sq[j])
			}
		}
		l.Tracked = true
	} else {
		for j := range sq {
			sq[j] = float64(l.RunSq[j])
		}
	}
	w := l.dense.W
	for v := range n {
		p := 0.0
		if alpha < 1 {
			wr := w.Data[v*w.Stride : v*w.Stride+w.Cols]
			p = float64(asm.SDot(wr, wr)) + float64(l.dense.B[v])*float64(l.dense.B[v])
		}
		g := math.Sqrt(alpha*sq[v] + (1-alpha)*p)
		l.gamma[v] = float32(g)
		l.inv[v] = 0
		if g > 0 {
			l.inv[v] = float32(1 / g)
		}
	}
	out := view(l.out, x.Rows, n)
	for r := 0; r < x.Rows; r++ {
		asm.ScaleShift(out.Data[r*n:(r+1)*n], x.Data[r*x.Stride:r*x.Stride+n], l.inv, l.zeros)
	}
	if l.ReLU && x.Rows > 0 {
		asm.Relu(out.Data, out.Data)
	}
	return out
}

// backward sets dL/dz from dL/dy and leaves in wg the coefficient of the
// weight-norm term, applied to the Dense layer's gradient by
// addWeightGrad once that layer's backward pass has set it.
func (l *DDPNorm) backward(dy blas32.General, needDX bool) blas32.General {
	n, rows := l.size, dy.Rows
	g := dy.Data[:rows*n]
	if l.ReLU {
		asm.ReluBackward(g, g, l.out[:len(g)])
	}
	alpha := float64(l.Alpha)
	if !l.train {
		alpha = 0 // the running average is a constant
	}
	// dgamma_v = -sum_e dy z / gamma^2.
	clear(l.sum)
	for r := 0; r < rows; r++ {
		asm.MulAdd(l.sum, g[r*n:(r+1)*n], l.z.Data[r*l.z.Stride:r*l.z.Stride+n])
	}
	inv := 1 / float64(max(rows, 1))
	for j := range n {
		gm := float64(l.gamma[j])
		if !(gm > 0) {
			l.wg[j], l.coef[j] = 0, 0
			continue
		}
		dg := -float64(l.sum[j]) / (gm * gm)
		l.wg[j] = float32(dg * (1 - float64(l.Alpha)) / gm)
		// dz = dy/gamma + dgamma * alpha * z / (N gamma).
		l.coef[j] = float32(dg * alpha * inv / gm)
	}
	// The Dense layer before needs dL/dz as its dy: written in place.
	for r := 0; r < rows; r++ {
		gr := g[r*n : (r+1)*n]
		asm.ScaleShift(gr, gr, l.inv, l.zeros)
		if alpha > 0 {
			asm.MulAdd(gr, l.z.Data[r*l.z.Stride:r*l.z.Stride+n], l.coef)
		}
	}
	return dy
}

// addWeightGrad adds the weight-norm term of gamma's gradient to the
// Dense layer's DW and DB: gamma_v depends on (W[v,:], b_v) through
// (1-Alpha) (||W[v,:]||^2 + b_v^2), which contributes
// dL/dgamma_v (1-Alpha)/gamma_v (W[v,:], b_v) = wg_v (W[v,:], b_v).
func (l *DDPNorm) addWeightGrad() {
	if l.Alpha == 1 {
		return
	}
	d := l.dense
	for v, c := range l.wg {
		if c == 0 {
			continue
		}
		asm.SAxpy(c, d.W.Data[v*d.W.Stride:v*d.W.Stride+d.W.Cols], d.DW.Data[v*d.DW.Stride:v*d.DW.Stride+d.DW.Cols])
		d.DB[v] += c * d.B[v]
	}
}
