package layers

import (
	"fmt"
	"math"

	"github.com/fastpath-go/fastpath/asm"
	"gonum.org/v1/gonum/blas/blas32"
)

// Default running-average factor and epsilon of the normalization layers
// (PyTorch's defaults for BatchNorm1d).
const (
	DefaultNormMomentum = 0.1
	DefaultBatchNormEps = 1e-5
)

// BatchNorm is batch normalization (Ioffe and Szegedy, 2015) of each
// feature over the rows of a mini-batch, optionally followed by a fused
// ReLU:
//
//	y = Gamma * (x - mean) / sqrt(var + Eps) + Beta
//
// In training mode mean and var (biased) are the batch's, the gradient
// flows through them, and the running averages are updated as PyTorch's
// BatchNorm1d does: run = (1-Momentum)*run + Momentum*batch, with the
// unbiased variance (RunMean starts at 0, RunVar at 1). In inference mode
// the running averages are used. Gamma and Beta are trained parameters
// (Network.Params names them "gamma" and "beta"). Every pass over the
// batch runs on the SIMD kernels asm.SAxpy, asm.ScaleShift and asm.MulAdd
// (the statistics accumulate in float32 across the rows, in float64 per
// feature after).
type BatchNorm struct {
	Gamma, Beta   []float32
	DGamma, DBeta []float32
	// RunMean and RunVar are the running averages used for inference.
	RunMean, RunVar []float32
	// Momentum is the running averages' factor in (0, 1], Eps the variance
	// offset (> 0).
	Momentum, Eps float32
	// ReLU applies max(0, y) to the output.
	ReLU bool

	size   int
	train  bool      // the last forward was in training mode
	xhat   []float32 // normalized input of the last training forward
	out    []float32
	dx     []float32
	invstd []float32 // 1/sqrt(var+eps) of the last forward, per feature
	scale  []float32 // per-feature scratch: the affine map of a pass
	shift  []float32
	sum    []float32 // per-feature accumulators
	sq     []float32
	ones   []float32 // constant vectors for ScaleShift
	zeros  []float32
}

// NewBatchNorm returns a batch normalization layer on size features with
// Gamma = 1, Beta = 0, RunMean = 0, RunVar = 1, the default momentum and
// eps; relu selects the fused ReLU. It panics unless size is positive.
func NewBatchNorm(size int, relu bool) *BatchNorm {
	if size <= 0 {
		panic(errSize)
	}
	if size > MaxFeatures {
		panic(errTooLarge)
	}
	l := &BatchNorm{
		Gamma: make([]float32, size), Beta: make([]float32, size),
		DGamma: make([]float32, size), DBeta: make([]float32, size),
		RunMean: make([]float32, size), RunVar: make([]float32, size),
		Momentum: DefaultNormMomentum, Eps: DefaultBatchNormEps, ReLU: relu, size: size,
		invstd: make([]float32, size), scale: make([]float32, size), shift: make([]float32, size),
		sum: make([]float32, size), sq: make([]float32, size), ones: make([]float32, size), zeros: make([]float32, size),
	}
	for i := range l.ones {
		l.ones[i] = 1
	}
	l.Reset()
	return l
}

// Reset sets Gamma to 1, Beta to 0 and the running averages to their
// starting values (mean 0, variance 1).
func (l *BatchNorm) Reset() {
	for i := range l.Gamma {
		l.Gamma[i], l.RunVar[i] = 1, 1
	}
	clear(l.Beta)
	clear(l.RunMean)
}

// InSize returns the number of features.
func (l *BatchNorm) InSize() int { return l.size }

// OutSize returns the number of features.
func (l *BatchNorm) OutSize() int { return l.size }

// String describes the layer.
func (l *BatchNorm) String() string {
	if l.ReLU {
		return fmt.Sprintf("batchnorm(%d, relu)", l.size)
	}
	return fmt.Sprintf("batchnorm(%d)", l.size)
}

func (l *BatchNorm) check() {
	if !(l.Momentum > 0 && l.Momentum <= 1) || !(l.Eps > 0 && l.Eps < float32(math.Inf(1))) {
		panic(errNormSettings)
	}
}

func (l *BatchNorm) reserve(rows int, needDX bool) {
	l.out = grow(l.out, rows*l.size)
	l.xhat = grow(l.xhat, rows*l.size)
	if needDX {
		l.dx = grow(l.dx, rows*l.size)
	}
}

func (l *BatchNorm) forward(x blas32.General, train bool) blas32.General {
	l.check()
	n := l.size
	out := view(l.out, x.Rows, n)
	l.train = train
	if train && x.Rows > 0 {
		// Two passes: the mean, then the centred second moment; the
		// centred rows are kept in xhat and scaled in place.
		sum, v := l.sum, l.sq
		clear(sum)
		clear(v)
		for r := 0; r < x.Rows; r++ {
			asm.SAxpy(1, x.Data[r*x.Stride:r*x.Stride+n], sum)
		}
		rows := float64(x.Rows)
		for j := range sum {
			l.shift[j] = float32(-float64(sum[j]) / rows) // -mean
		}
		for r := 0; r < x.Rows; r++ {
			xh := l.xhat[r*n : (r+1)*n]
			asm.ScaleShift(xh, x.Data[r*x.Stride:r*x.Stride+n], l.ones, l.shift)
			asm.MulAdd(v, xh, xh)
		}
		m := float64(l.Momentum)
		for j := range v {
			mean := -float64(l.shift[j])
			biased := float64(v[j]) / rows
			unbiased := biased
			if x.Rows > 1 {
				unbiased = float64(v[j]) / (rows - 1)
			}
			is := 1 / math.Sqrt(biased+float64(l.Eps))
			l.invstd[j] = float32(is)
			l.scale[j] = float32(float64(l.Gamma[j]) * is)
			l.shift[j] = float32(float64(l.Beta[j]) - mean*float64(l.Gamma[j])*is)
			l.RunMean[j] = float32((1-m)*float64(l.RunMean[j]) + m*mean)
			l.RunVar[j] = float32((1-m)*float64(l.RunVar[j]) + m*unbiased)
		}
		// xhat = (x - mean) * invstd for the backward pass, and
		// y = Gamma*xhat + Beta computed from x as x*scale + shift.
		for r := 0; r < x.Rows; r++ {
			xh := l.xhat[r*n : (r+1)*n]
			asm.ScaleShift(xh, xh, l.invstd, l.zeros)
			asm.ScaleShift(out.Data[r*n:(r+1)*n], x.Data[r*x.Stride:r*x.Stride+n], l.scale, l.shift)
		}
	} else {
		for j := range n {
			is := 1 / math.Sqrt(float64(l.RunVar[j])+float64(l.Eps))
			s := float64(l.Gamma[j]) * is
			l.scale[j] = float32(s)
			l.shift[j] = float32(float64(l.Beta[j]) - float64(l.RunMean[j])*s)
		}
		for r := 0; r < x.Rows; r++ {
			asm.ScaleShift(out.Data[r*n:(r+1)*n], x.Data[r*x.Stride:r*x.Stride+n], l.scale, l.shift)
		}
	}
	if l.ReLU && x.Rows > 0 {
		asm.Relu(out.Data, out.Data)
	}
	return out
}

func (l *BatchNorm) backward(dy blas32.General, needDX bool) blas32.General {
	n, rows := l.size, dy.Rows
	g := dy.Data[:rows*n]
	if l.ReLU {
		asm.ReluBackward(g, g, l.out[:len(g)])
	}
	clear(l.DBeta)
	clear(l.DGamma)
	for r := 0; r < rows; r++ {
		asm.SAxpy(1, g[r*n:(r+1)*n], l.DBeta)
	}
	if !l.train {
		// Inference-mode statistics are constants: y = scale*x + shift, so
		// dGamma = sum dy*(x - RunMean)/sqrt(RunVar + Eps), unknown here
		// (x is not kept in inference mode): only dBeta and dx.
		if !needDX {
			return blas32.General{}
		}
		dx := view(l.dx, rows, n)
		for r := 0; r < rows; r++ {
			asm.ScaleShift(dx.Data[r*n:(r+1)*n], g[r*n:(r+1)*n], l.scale, l.zeros)
		}
		return dx
	}
	// dBeta = sum dy, dGamma = sum dy*xhat, then
	// dx = c*dy - c*dBeta/N - xhat*c*dGamma/N with c = Gamma*invstd.
	for r := 0; r < rows; r++ {
		asm.MulAdd(l.DGamma, g[r*n:(r+1)*n], l.xhat[r*n:(r+1)*n])
	}
	if !needDX {
		return blas32.General{}
	}
	dx := view(l.dx, rows, n)
	inv := 1 / float64(max(rows, 1))
	for j := range n {
		c := float64(l.Gamma[j]) * float64(l.invstd[j])
		l.scale[j] = float32(c)
		l.shift[j] = float32(-c * float64(l.DBeta[j]) * inv)
		l.sq[j] = float32(-c * float64(l.DGamma[j]) * inv)
	}
	for r := 0; r < rows; r++ {
		d := dx.Data[r*n : (r+1)*n]
		asm.ScaleShift(d, g[r*n:(r+1)*n], l.scale, l.shift)
		asm.MulAdd(d, l.xhat[r*n:(r+1)*n], l.sq)
	}
	return dx
}
