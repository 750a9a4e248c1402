package rnn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/fastpath-go/fastpath/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Loss is the loss applied at every output step.
type Loss int

const (
	// SoftmaxCrossEntropy reads the outputs as class logits: the mean over
	// output rows of -log softmax(y)[label].
	SoftmaxCrossEntropy Loss = iota
	// Squared is the mean over output rows of sum_k (y_k - target_k)^2; with
	// one output it is the mean squared error.
	Squared
)

var lossNames = [...]string{SoftmaxCrossEntropy: "softmax", Squared: "squared"}

// String returns "softmax" or "squared".
func (l Loss) String() string {
	if l >= 0 && int(l) < len(lossNames) {
		return lossNames[l]
	}
	return fmt.Sprintf("Loss(%d)", int(l))
}

// Config is a model's architecture and loss.
type Config struct {
	// In, Hidden and Out are the input, hidden-state and output sizes.
	In, Hidden, Out int
	// Loss is the loss at each output step.
	Loss Loss
}

// Limits on the sizes a Config (and a model file) may ask for.
const (
	maxUnits  = 1 << 20
	maxParams = 1 << 28
)

func (c Config) check() error {
	if c.In <= 0 || c.Hidden <= 0 || c.Out <= 0 || c.In > maxUnits || c.Hidden > maxUnits || c.Out > maxUnits {
		return fmt.Errorf("rnn: sizes in=%d hidden=%d out=%d outside [1, %d]", c.In, c.Hidden, c.Out, maxUnits)
	}
	if n := c.numParams(); n > maxParams {
		return fmt.Errorf("rnn: %d parameters (more than %d)", n, maxParams)
	}
	if c.Loss != SoftmaxCrossEntropy && c.Loss != Squared {
		return fmt.Errorf("rnn: unknown loss %d", int(c.Loss))
	}
	return nil
}

func (c Config) numParams() int {
	return c.Hidden*(c.In+c.Hidden) + c.Hidden + c.Out*c.Hidden + c.Out
}

// Model is a single-layer ReLU recurrent network
//
//	h_t = relu(W_in x_t + W_rec h_(t-1) + b),   y_t = W_out h_t + c
//
// trained on mini-batches of sequences by backpropagation through time.
//
// W_in and W_rec are stored side by side in W = [W_in | W_rec], a
// Hidden x (In+Hidden) row-major matrix: row v holds the weights of every
// edge into hidden unit v (PyTorch's weight_ih_l0 and weight_hh_l0, side by
// side). Win and Wrec are views of W's columns. Wout is Out x Hidden.
// The gradients DW (with views DWin, DWrec), DB, DWout and DC have the same
// shapes. The slices belong to the model: read and write them in place,
// never replace them.
//
// A Model is not safe for concurrent use: it owns the activations of one
// batch at a time, in buffers sized for the largest batch seen.
type Model struct {
	cfg Config

	W    blas32.General // Hidden x (In+Hidden): [W_in | W_rec]
	Win  blas32.General // view of W: Hidden x In
	Wrec blas32.General // view of W: Hidden x Hidden
	B    []float32      // Hidden
	Wout blas32.General // Out x Hidden
	C    []float32      // Out

	DW, DWin, DWrec blas32.General
	DB              []float32
	DWout           blas32.General
	DC              []float32

	params []Param

	// Activations of the last forward pass. st holds Steps+1 blocks of Rows
	// rows of K = In+Hidden columns: block t is [x_t | h_(t-1)] (h_(-1) = H0)
	// and block Steps holds h_(Steps-1) in its last Hidden columns, so each
	// step's GEMM reads block t and writes the state part of block t+1.
	st      []float32
	pw, pr  blas.PackedB32           // W^T and W_rec packed for the per-step products
	ws      []blas.PackedWorkspace32 // per-thread workspaces of the recurrence
	recur   recurTask                // the recurrence in flight
	y       []float32                // outputs, len(outputs)*Rows x Out
	dy      []float32                // loss gradient with respect to y
	d       []float32                // BPTT chunk: dL/dz for up to chunk steps, plus a carry block
	steps   int                      // Steps of the last forward
	rows    int                      // Rows of the last forward
	outputs []int                    // output steps of the last forward (a copy)

	// The steps and output steps of the last Gradient call, which the
	// gradients belong to (RNN-Path's kappa depends on them).
	gradSteps   int
	gradOutputs []int
}

// Param is one parameter tensor of a Model with its gradient. Value and
// Grad alias the model's storage.
type Param struct {
	// Name is "W" ([W_in | W_rec]), "b", "Wout" or "c".
	Name string
	// Rows and Cols are the shape (vectors: Rows = 1).
	Rows, Cols int
	// Value and Grad hold Rows*Cols elements, row-major.
	Value, Grad []float32
}

// New returns a model with the given architecture and all parameters zero
// (initialise it with InitIRNN or InitNormal).
func New(cfg Config) (*Model, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	h, k, o := cfg.Hidden, cfg.In+cfg.Hidden, cfg.Out
	m := &Model{cfg: cfg}
	m.W = blas32.General{Rows: h, Cols: k, Stride: k, Data: make([]float32, h*k)}
	m.DW = blas32.General{Rows: h, Cols: k, Stride: k, Data: make([]float32, h*k)}
	m.Win, m.Wrec = splitW(m.W, cfg.In)
	m.DWin, m.DWrec = splitW(m.DW, cfg.In)
	m.B, m.DB = make([]float32, h), make([]float32, h)
	m.Wout = blas32.General{Rows: o, Cols: h, Stride: h, Data: make([]float32, o*h)}
	m.DWout = blas32.General{Rows: o, Cols: h, Stride: h, Data: make([]float32, o*h)}
	m.C, m.DC = make([]float32, o), make([]float32, o)
	m.params = []Param{
		{Name: "W", Rows: h, Cols: k, Value: m.W.Data, Grad: m.DW.Data},
		{Name: "b", Rows: 1, Cols: h, Value: m.B, Grad: m.DB},
		{Name: "Wout", Rows: o, Cols: h, Value: m.Wout.Data, Grad: m.DWout.Data},
		{Name: "c", Rows: 1, Cols: o, Value: m.C, Grad: m.DC},
	}
	return m, nil
}

// splitW returns the W_in and W_rec views of w = [W_in | W_rec].
func splitW(w blas32.General, in int) (win, wrec blas32.General) {
	h, k := w.Rows, w.Cols
	win = blas32.General{Rows: h, Cols: in, Stride: k, Data: w.Data[:(h-1)*k+in]}
	wrec = blas32.General{Rows: h, Cols: h, Stride: k, Data: w.Data[in:]}
	return win, wrec
}

// Config returns the model's architecture and loss.
func (m *Model) Config() Config { return m.cfg }

// Params returns the parameter tensors W, b, Wout and c. The slice must not
// be modified.
func (m *Model) Params() []Param { return m.params }

// NumParams returns the number of trainable parameters.
func (m *Model) NumParams() int { return m.cfg.numParams() }

// String describes the model, e.g. "rnn(in=1, hidden=100, out=10, softmax)".
func (m *Model) String() string {
	return fmt.Sprintf("rnn(in=%d, hidden=%d, out=%d, %v)", m.cfg.In, m.cfg.Hidden, m.cfg.Out, m.cfg.Loss)
}

// InitIRNN sets the IRNN initialisation of Le, Jaitly and Hinton (2015):
// W_rec = I, b = 0, c = 0 and W_in, W_out ~ N(0, std^2) (they use
// std = 0.001). Each tensor draws from its own PCG stream seeded with
// (seed, index), so the same seed gives the same bits.
func (m *Model) InitIRNN(std float64, seed uint64) {
	fillNormal(m.Win, std, seed, 0)
	clear(m.B)
	for v := 0; v < m.cfg.Hidden; v++ {
		row := m.Wrec.Data[v*m.Wrec.Stride : v*m.Wrec.Stride+m.cfg.Hidden]
		clear(row)
		row[v] = 1
	}
	fillNormal(m.Wout, std, seed, 2)
	clear(m.C)
}

// InitIdentity sets W_rec = I, b = 0, c = 0, and W_in and W_out to
// N(0, 1/fan_in) (fan_in is In for W_in, Hidden for W_out): the identity
// recurrence of IRNN with balanced input and output weights, so that no
// part of the network starts near zero. Seeded like InitIRNN.
func (m *Model) InitIdentity(seed uint64) {
	m.InitIRNN(0, seed)
	fillNormal(m.Win, math.Sqrt(1/float64(m.cfg.In)), seed, 0)
	fillNormal(m.Wout, math.Sqrt(1/float64(m.cfg.Hidden)), seed, 2)
}

// InitNormal sets every weight to N(0, 1/fan_in) (the thesis's balanced
// initialisation; fan_in is In for W_in, Hidden for W_rec and W_out) and
// the biases to zero, from PCG streams seeded like InitIRNN's.
func (m *Model) InitNormal(seed uint64) {
	fillNormal(m.Win, math.Sqrt(1/float64(m.cfg.In)), seed, 0)
	fillNormal(m.Wrec, math.Sqrt(1/float64(m.cfg.Hidden)), seed, 1)
	clear(m.B)
	fillNormal(m.Wout, math.Sqrt(1/float64(m.cfg.Hidden)), seed, 2)
	clear(m.C)
}

// InitHe is InitNormal with W_rec ~ N(0, 2/Hidden), the ReLU gain of He et
// al. (2015): at initialisation the state's second moment neither halves
// nor grows from one step to the next (half the units are off on average),
// where InitNormal's N(0, 1/Hidden) halves it at every step, so that a
// signal from T steps back starts 2^(-T/2) times weaker. W_in, b, W_out and
// c are as in InitNormal; seeded like InitIRNN.
func (m *Model) InitHe(seed uint64) {
	m.InitNormal(seed)
	fillNormal(m.Wrec, math.Sqrt(2/float64(m.cfg.Hidden)), seed, 1)
}

// fillNormal sets every element of w to N(0, std^2) from the PCG stream
// (seed, stream).
func fillNormal(w blas32.General, std float64, seed, stream uint64) {
	r := rand.New(rand.NewPCG(seed, stream))
	for i := 0; i < w.Rows; i++ {
		row := w.Data[i*w.Stride : i*w.Stride+w.Cols]
		for j := range row {
			row[j] = float32(r.NormFloat64() * std)
		}
	}
}

// Rescale applies the node rescaling with factors s (one positive finite
// factor per hidden unit): unit v's incoming weights (row v of W_in and
// W_rec) and bias b[v] are multiplied by s[v], and its outgoing weights
// (column v of W_rec and of W_out) divided by s[v], so W_rec[v,u] becomes
// W_rec[v,u]*s[v]/s[u]. Since relu(s z) = s relu(z) for s > 0, the rescaled
// model computes the same function (exactly, up to float32 rounding of the
// new weights; exactly when every factor is a power of two). Each new
// weight is computed in float64 and rounded once. It panics unless s has
// Hidden positive finite elements.
func (m *Model) Rescale(s []float64) {
	h := m.cfg.Hidden
	if len(s) != h {
		panic(errScales)
	}
	for _, v := range s {
		if !(v > 0) || math.IsInf(v, 0) {
			panic(errScales)
		}
	}
	for v := 0; v < h; v++ {
		win := m.Win.Data[v*m.Win.Stride : v*m.Win.Stride+m.cfg.In]
		for j, w := range win {
			win[j] = float32(float64(w) * s[v])
		}
		rec := m.Wrec.Data[v*m.Wrec.Stride : v*m.Wrec.Stride+h]
		for u, w := range rec {
			rec[u] = float32(float64(w) * s[v] / s[u])
		}
		m.B[v] = float32(float64(m.B[v]) * s[v])
	}
	for k := 0; k < m.cfg.Out; k++ {
		row := m.Wout.Data[k*h : (k+1)*h]
		for v, w := range row {
			row[v] = float32(float64(w) / s[v])
		}
	}
}

// CopyFrom sets m's parameters to src's. It panics unless the two models
// have the same sizes.
func (m *Model) CopyFrom(src *Model) {
	if m.cfg.In != src.cfg.In || m.cfg.Hidden != src.cfg.Hidden || m.cfg.Out != src.cfg.Out {
		panic(errModelSizes)
	}
	for i, p := range m.params {
		copy(p.Value, src.params[i].Value)
	}
}
