package layers

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/internal/hugepage"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Layer is one stage of a sequential Network: *Dense, *ReLU or *Dropout.
// The set is closed (the methods that do the work are unexported), so that a
// Network can fuse layers and serialize every model it runs.
//
// A layer owns the buffers of its outputs and input gradients, sized for the
// largest batch seen; the matrices a layer's methods return are views into
// them, valid until the next call.
type Layer interface {
	// InSize and OutSize are the number of input and output features.
	InSize() int
	OutSize() int
	// String describes the layer, e.g. "dense(784->1000, relu)".
	String() string

	// reserve sizes the buffers for batches of up to rows rows; needDX says
	// whether backward must produce the input gradient.
	reserve(rows int, needDX bool)
	// forward computes the output for the rows of x; train enables dropout.
	forward(x blas32.General, train bool) blas32.General
	// backward takes the gradient of the loss with respect to the last
	// forward's output (a contiguous buffer it may overwrite), accumulates
	// nothing, sets the parameter gradients and, when needDX, returns the
	// gradient with respect to the input.
	backward(dy blas32.General, needDX bool) blas32.General
}

// view returns rows x cols of the contiguous buffer buf.
func view(buf []float32, rows, cols int) blas32.General {
	return blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: buf[:rows*cols]}
}

// grow returns buf with length at least n, reallocating (and discarding the
// contents) only when its capacity is short.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// contiguous returns the rows of m as one slice when they are adjacent in
// memory, and ok = false otherwise.
func contiguous(m blas32.General) (s []float32, ok bool) {
	if m.Stride == m.Cols || m.Rows <= 1 {
		return m.Data[:m.Rows*m.Cols], true
	}
	return nil, false
}

// Dense is a fully connected layer z = x W^T + b on a batch x of rows,
// optionally followed by a ReLU fused into the GEMM's epilogue.
//
// W is Out x In, row-major, with Stride In: row v holds the weights of the
// edges into output unit v (W_i of the thesis's notation, z_i = W_i a_(i-1)
// + b_i for one column vector). DW and DB are the gradients of the last
// Network.Gradient call, with the shapes of W and B.
type Dense struct {
	W  blas32.General
	B  []float32
	DW blas32.General
	DB []float32
	// ReLU applies max(0, z) to the output.
	ReLU bool

	x blas32.General // input of the last forward (a view owned by the caller)
	// fused, during Network.TrainStep's fused backward pass, applies the
	// optimizer to W block by block (parameter fusedParam) instead of
	// storing DW.
	fused      *fusedStep
	fusedParam int
	// descend, during Network.TrainStep's velocity-fused backward pass,
	// says that W takes its SGD step in the weight-gradient product
	// (velocityGrad): with momentum, vel is the optimizer's velocity of
	// W, set to mu*vel + dW instead of storing DW, and W -= lr*vel; without
	// (vel nil), DW is stored and W -= lr*(DW + wd*W).
	descend    bool
	vel        []float32
	mu, lr, wd float32
	// rs and cs, in a ScaledSGD step (scaled.go), scale the gradient's
	// rows and columns; sx holds the scaled input, zero a vector of zeros
	// for asm.ScaleShift.
	rs, cs   []float32
	sx, zero []float32
	scale    scaleTask
	out      []float32 // outputs, capacity rows*Out
	dx       []float32 // input gradient, capacity rows*In
}

// NewDense returns a dense layer with in inputs and out outputs, zero
// weights and biases; relu selects the fused ReLU. It panics unless in and
// out are positive.
func NewDense(in, out int, relu bool) *Dense {
	if in <= 0 || out <= 0 {
		panic(errSize)
	}
	if in > MaxFeatures || out > MaxFeatures || in*out+out > MaxParams {
		panic(errTooLarge)
	}
	return &Dense{
		W:    blas32.General{Rows: out, Cols: in, Stride: in, Data: hugepage.Float32s(out * in)},
		B:    make([]float32, out),
		DW:   blas32.General{Rows: out, Cols: in, Stride: in, Data: hugepage.Float32s(out * in)},
		DB:   make([]float32, out),
		ReLU: relu,
	}
}

// InSize returns the number of inputs.
func (d *Dense) InSize() int { return d.W.Cols }

// OutSize returns the number of outputs.
func (d *Dense) OutSize() int { return d.W.Rows }

// String describes the layer.
func (d *Dense) String() string {
	if d.ReLU {
		return fmt.Sprintf("dense(%d->%d, relu)", d.W.Cols, d.W.Rows)
	}
	return fmt.Sprintf("dense(%d->%d)", d.W.Cols, d.W.Rows)
}

func (d *Dense) reserve(rows int, needDX bool) {
	d.out = grow(d.out, rows*d.W.Rows)
	if needDX {
		d.dx = grow(d.dx, rows*d.W.Cols)
	}
}

func (d *Dense) forward(x blas32.General, _ bool) blas32.General {
	d.x = x
	out := view(d.out, x.Rows, d.W.Rows)
	// Z = X W^T + 1 b^T, then ReLU, in one pass over Z.
	blas.Affine32(gblas.NoTrans, gblas.Trans, x, d.W, d.B, d.ReLU, out)
	return out
}

func (d *Dense) backward(dy blas32.General, needDX bool) blas32.General {
	rows := dy.Rows
	if d.ReLU {
		// dZ = dY where Y > 0 (Y is positive exactly where Z is).
		g := dy.Data[:rows*dy.Cols]
		asm.ReluBackward(g, g, d.out[:rows*dy.Cols])
	}
	// dW = dZ^T X, db = column sums of dZ, dX = dZ W.
	clear(d.DB)
	for r := 0; r < rows; r++ {
		asm.SAxpy(1, dy.Data[r*dy.Stride:r*dy.Stride+dy.Cols], d.DB)
	}
	var dx blas32.General
	if needDX {
		dx = view(d.dx, rows, d.W.Cols)
		// Before the fused update below changes W.
		blas.Gemm32(gblas.NoTrans, gblas.NoTrans, 1, dy, d.W, 0, dx)
	}
	if d.fused != nil {
		d.fused.weightStep(dy, d.x, d.fusedParam)
	} else if d.descend {
		d.velocityGrad(dy)
	} else {
		blas.Gemm32(gblas.Trans, gblas.NoTrans, 1, dy, d.x, 0, d.DW)
	}
	return dx
}

// ReLU is a standalone rectifier, y = max(0, x) with NaN and -0 mapped to
// +0. A ReLU directly after a Dense layer is fused into it by NewNetwork.
type ReLU struct {
	size int
	out  []float32
}

// NewReLU returns a ReLU layer on size features. It panics unless size is
// positive.
func NewReLU(size int) *ReLU {
	if size <= 0 {
		panic(errSize)
	}
	if size > MaxFeatures {
		panic(errTooLarge)
	}
	return &ReLU{size: size}
}

// InSize returns the number of features.
func (l *ReLU) InSize() int { return l.size }

// OutSize returns the number of features.
func (l *ReLU) OutSize() int { return l.size }

// String describes the layer.
func (l *ReLU) String() string { return fmt.Sprintf("relu(%d)", l.size) }

func (l *ReLU) reserve(rows int, _ bool) { l.out = grow(l.out, rows*l.size) }

func (l *ReLU) forward(x blas32.General, _ bool) blas32.General {
	out := view(l.out, x.Rows, l.size)
	if s, ok := contiguous(x); ok {
		asm.Relu(out.Data, s)
		return out
	}
	for r := 0; r < x.Rows; r++ {
		asm.Relu(out.Data[r*l.size:(r+1)*l.size], x.Data[r*x.Stride:r*x.Stride+l.size])
	}
	return out
}

func (l *ReLU) backward(dy blas32.General, _ bool) blas32.General {
	g := dy.Data[:dy.Rows*l.size]
	asm.ReluBackward(g, g, l.out[:len(g)])
	return dy
}

// Dropout is inverted dropout: in training each feature is zeroed with
// probability P and the survivors are scaled by 1/(1-P), so that inference
// is the identity. Masks come from the layer's own PCG generator, seeded by
// NewDropout or Seed, so a run is reproducible. Inputs are multiplied by the
// mask, so a dropped infinite or NaN input gives NaN (as in PyTorch).
type Dropout struct {
	// P is the probability of dropping a feature, in [0, 1).
	P    float32
	size int
	pcg  rand.PCG
	mask []float32 // 0 or 1/(1-P) per element of the last training batch
	out  []float32
	// masked reports whether the last forward applied a mask.
	masked bool
}

// NewDropout returns a dropout layer on size features with drop probability
// p, its masks drawn from a PCG generator seeded with seed. It panics unless
// size is positive and p is in [0, 1).
func NewDropout(size int, p float32, seed uint64) *Dropout {
	if size <= 0 {
		panic(errSize)
	}
	if size > MaxFeatures {
		panic(errTooLarge)
	}
	if !(p >= 0 && p < 1) {
		panic(errDropoutP)
	}
	l := &Dropout{P: p, size: size}
	l.Seed(seed)
	return l
}

// Seed restarts the mask generator from seed.
func (l *Dropout) Seed(seed uint64) { l.pcg.Seed(seed, seed^0x6a09e667f3bcc909) }

// InSize returns the number of features.
func (l *Dropout) InSize() int { return l.size }

// OutSize returns the number of features.
func (l *Dropout) OutSize() int { return l.size }

// String describes the layer.
func (l *Dropout) String() string { return fmt.Sprintf("dropout(%d, p=%g)", l.size, l.P) }

func (l *Dropout) reserve(rows int, _ bool) {
	l.out = grow(l.out, rows*l.size)
	l.mask = grow(l.mask, rows*l.size)
}

func (l *Dropout) forward(x blas32.General, train bool) blas32.General {
	if !train || l.P == 0 {
		l.masked = false
		return x
	}
	if !(l.P > 0 && l.P < 1) {
		panic(errDropoutP)
	}
	l.masked = true
	n := x.Rows * l.size
	mask := l.mask[:n]
	// An element is kept when a uniform 32-bit draw is at least
	// threshold = floor(P * 2^32), i.e. with probability 1 - P (to within
	// 2^-32); each 64-bit draw decides two elements.
	threshold := uint64(min(float64(l.P)*(1<<32), 1<<32-1))
	scale := math.Float32bits(float32(1 / (1 - float64(l.P))))
	i := 0
	for ; i+1 < n; i += 2 {
		u := l.pcg.Uint64()
		mask[i] = keep(u&0xffffffff, threshold, scale)
		mask[i+1] = keep(u>>32, threshold, scale)
	}
	if i < n {
		mask[i] = keep(l.pcg.Uint64()&0xffffffff, threshold, scale)
	}
	out := view(l.out, x.Rows, l.size)
	for r := 0; r < x.Rows; r++ {
		o := out.Data[r*l.size : (r+1)*l.size]
		m := mask[r*l.size : (r+1)*l.size]
		in := x.Data[r*x.Stride : r*x.Stride+l.size]
		for j, v := range in {
			o[j] = v * m[j]
		}
	}
	return out
}

// keep returns the float32 with bits scale if u >= threshold and +0
// otherwise, without a branch (the outcome is a coin flip, which a branch
// predictor cannot learn). u and threshold are below 2^32.
func keep(u, threshold uint64, scale uint32) float32 {
	drop := uint32((u - threshold) >> 63) // 1 when u < threshold
	return math.Float32frombits(scale &^ -drop)
}

func (l *Dropout) backward(dy blas32.General, _ bool) blas32.General {
	if !l.masked {
		return dy
	}
	g := dy.Data[:dy.Rows*l.size]
	m := l.mask[:len(g)]
	for i, v := range g {
		g[i] = v * m[i]
	}
	return dy
}
