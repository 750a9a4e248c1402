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
// (Network.Params names them "gamma" and "beta"); the statistics are
// accumulated in float64.
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
	scale  []float32 // per-feature scale and shift of the last forward
	shift  []float32
	acc    []float64 // per-feature accumulators
	acc2   []float64
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
		acc: make([]float64, size), acc2: make([]float64, size),
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

// columnMeans sets acc to the column means of the rows of x (float64).
func columnMeans(acc []float64, x blas32.General) {
	clear(acc)
	for r := 0; r < x.Rows; r++ {
		row := x.Data[r*x.Stride : r*x.Stride+len(acc)]
		for j, v := range row {
			acc[j] += float64(v)
		}
	}
	if x.Rows > 0 {
		inv := 1 / float64(x.Rows)
		for j := range acc {
			acc[j] *= inv
		}
	}
}

func (l *BatchNorm) forward(x blas32.General, train bool) blas32.General {
	l.check()
	n := l.size
	out := view(l.out, x.Rows, n)
	l.train = train
	if train && x.Rows > 0 {
		// Two passes in float64: the mean, then the centred second moment.
		mean, v := l.acc, l.acc2
		columnMeans(mean, x)
		clear(v)
		for r := 0; r < x.Rows; r++ {
			row := x.Data[r*x.Stride : r*x.Stride+n]
			for j, xv := range row {
				d := float64(xv) - mean[j]
				v[j] += d * d
			}
		}
		rows := float64(x.Rows)
		m := float64(l.Momentum)
		for j := range v {
			biased := v[j] / rows
			unbiased := biased
			if x.Rows > 1 {
				unbiased = v[j] / (rows - 1)
			}
			is := 1 / math.Sqrt(biased+float64(l.Eps))
			l.invstd[j] = float32(is)
			l.scale[j] = float32(float64(l.Gamma[j]) * is)
			l.shift[j] = float32(float64(l.Beta[j]) - mean[j]*float64(l.Gamma[j])*is)
			l.RunMean[j] = float32((1-m)*float64(l.RunMean[j]) + m*mean[j])
			l.RunVar[j] = float32((1-m)*float64(l.RunVar[j]) + m*unbiased)
		}
		// xhat for the backward pass, and y = Gamma*xhat + Beta.
		for r := 0; r < x.Rows; r++ {
			row := x.Data[r*x.Stride : r*x.Stride+n]
			xh := l.xhat[r*n : (r+1)*n]
			o := out.Data[r*n : (r+1)*n]
			for j, xv := range row {
				h := float32((float64(xv) - mean[j]) * float64(l.invstd[j]))
				xh[j] = h
				o[j] = l.Gamma[j]*h + l.Beta[j]
			}
		}
	} else {
		for j := range n {
			is := 1 / math.Sqrt(float64(l.RunVar[j])+float64(l.Eps))
			s := float64(l.Gamma[j]) * is
			l.scale[j] = float32(s)
			l.shift[j] = float32(float64(l.Beta[j]) - float64(l.RunMean[j])*s)
		}
		for r := 0; r < x.Rows; r++ {
			row := x.Data[r*x.Stride : r*x.Stride+n]
			o := out.Data[r*n : (r+1)*n]
			for j, xv := range row {
				o[j] = xv*l.scale[j] + l.shift[j]
			}
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
	if !l.train {
		// Inference-mode statistics are constants: y = scale*x + shift.
		clear(l.DBeta)
		clear(l.DGamma)
		for r := 0; r < rows; r++ {
			gr := g[r*n : (r+1)*n]
			for j, v := range gr {
				l.DBeta[j] += v
			}
		}
		if !needDX {
			return blas32.General{}
		}
		dx := view(l.dx, rows, n)
		for r := 0; r < rows; r++ {
			gr, d := g[r*n:(r+1)*n], dx.Data[r*n:(r+1)*n]
			for j, v := range gr {
				d[j] = v * l.scale[j]
			}
		}
		return dx
	}
	// dBeta = sum dy, dGamma = sum dy*xhat (float64), then
	// dx = Gamma*invstd * (dy - dBeta/N - xhat*dGamma/N).
	sb, sg := l.acc, l.acc2
	clear(sb)
	clear(sg)
	for r := 0; r < rows; r++ {
		gr, xh := g[r*n:(r+1)*n], l.xhat[r*n:(r+1)*n]
		for j, v := range gr {
			sb[j] += float64(v)
			sg[j] += float64(v) * float64(xh[j])
		}
	}
	for j := range n {
		l.DBeta[j], l.DGamma[j] = float32(sb[j]), float32(sg[j])
	}
	if !needDX {
		return blas32.General{}
	}
	dx := view(l.dx, rows, n)
	inv := 1 / float64(max(rows, 1))
	for j := range n {
		// Reuse the accumulators as per-feature coefficients:
		// dx = c*dy - c*mean(dy) - c*xhat*mean(dy*xhat).
		c := float64(l.Gamma[j]) * float64(l.invstd[j])
		l.scale[j] = float32(c)
		sb[j] *= inv * c
		sg[j] *= inv * c
	}
	for r := 0; r < rows; r++ {
		gr, xh, d := g[r*n:(r+1)*n], l.xhat[r*n:(r+1)*n], dx.Data[r*n:(r+1)*n]
		for j, v := range gr {
			d[j] = float32(float64(v)*float64(l.scale[j]) - sb[j] - float64(xh[j])*sg[j])
		}
	}
	return dx
}
