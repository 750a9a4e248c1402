package layers

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/blas/blas32"
)

// Network is a sequential stack of layers whose last output is read as
// class logits by a softmax cross-entropy loss.
//
// A Network is not safe for concurrent use: it owns the activation and
// gradient buffers of one batch at a time. Buffers are sized for the largest
// batch seen (or Reserve'd); after that, Forward, Gradient and an
// optimizer's Step allocate nothing.
type Network struct {
	layers []Layer
	dense  []*Dense
	params []Param
	// firstDense is the index in layers of the first layer with
	// parameters (Dense or BatchNorm): layers before it need no backward
	// pass.
	firstDense int
	// ddp are the DDP-Normalization layers, whose gradient reaches the
	// Dense layer before them after that layer's backward pass.
	ddp []*DDPNorm

	// wParam maps each Dense layer to the index of its W in params, and
	// fusedParams marks those indices (TrainStep's fused updates).
	wParam      map[*Dense]int
	fusedParams []bool
	fused       fusedStep
	rest        restTask
	velFused    []bool // TrainStep's velocity-fused weights, by param index
	plan        []ScaledStep

	rows    int       // batch rows the buffers hold
	dlogits []float32 // gradient of the loss with respect to the logits
	lastX   blas32.General
}

// Param is one parameter tensor of a Network with its gradient: the weights
// or the biases of a Dense layer, or the scale or shift of a BatchNorm
// layer. Value and Grad alias the layer's storage.
type Param struct {
	// Layer is the index in Network.Dense of the Dense layer the tensor
	// belongs to (W, b) or follows (gamma, beta; -1 before any).
	Layer int
	// Name is "W" for weights and "b" for biases of a Dense layer,
	// "gamma" and "beta" for a BatchNorm's scale and shift.
	Name string
	// Rows and Cols are the shape (biases: Rows = 1).
	Rows, Cols int
	// Value and Grad hold Rows*Cols elements, row-major.
	Value, Grad []float32
}

// IsWeight reports whether p is a weight matrix (weight decay applies to
// weights, not to biases).
func (p Param) IsWeight() bool { return p.Name == "W" }

// NewNetwork chains layers into a Network. Each layer's input size must
// equal the previous layer's output size. A ReLU directly after a Dense
// layer without ReLU is fused into it (the Dense layer's ReLU field is set
// and the ReLU layer dropped), so that the bias and the rectifier are
// applied in the GEMM's epilogue; a ReLU directly after a BatchNorm or
// DDPNorm without ReLU is fused into it likewise. A DDPNorm must directly
// follow a Dense layer without ReLU (whose outputs it normalizes). A layer
// may appear only once.
func NewNetwork(layers ...Layer) (*Network, error) {
	if len(layers) == 0 {
		return nil, fmt.Errorf("%s", errNoLayers)
	}
	seen := make(map[Layer]bool, len(layers))
	n := &Network{firstDense: -1}
	for i, l := range layers {
		switch l.(type) {
		case *Dense, *ReLU, *Dropout, *BatchNorm, *DDPNorm:
		default:
			return nil, fmt.Errorf("%s: %T", errUnknownLayer, l)
		}
		if seen[l] {
			return nil, fmt.Errorf("%s: %v", errLayerReused, l)
		}
		seen[l] = true
		if i > 0 && l.InSize() != layers[i-1].OutSize() {
			return nil, fmt.Errorf("%s: %v after %v", errChain, l, layers[i-1])
		}
		if _, ok := l.(*ReLU); ok && len(n.layers) > 0 {
			switch p := n.layers[len(n.layers)-1].(type) {
			case *Dense:
				if !p.ReLU {
					p.ReLU = true
					continue
				}
			case *BatchNorm:
				if !p.ReLU {
					p.ReLU = true
					continue
				}
			case *DDPNorm:
				if !p.ReLU {
					p.ReLU = true
					continue
				}
			}
		}
		if dn, ok := l.(*DDPNorm); ok {
			var d *Dense
			if len(n.layers) > 0 {
				d, _ = n.layers[len(n.layers)-1].(*Dense)
			}
			if d == nil || d.ReLU {
				return nil, fmt.Errorf("%s", errDDPPlace)
			}
			dn.dense = d
			n.ddp = append(n.ddp, dn)
		}
		n.layers = append(n.layers, l)
	}
	for i, l := range n.layers {
		switch l := l.(type) {
		case *Dense:
			if n.firstDense < 0 {
				n.firstDense = i
			}
			k := len(n.dense)
			n.dense = append(n.dense, l)
			if n.wParam == nil {
				n.wParam = make(map[*Dense]int)
			}
			n.wParam[l] = len(n.params)
			n.params = append(n.params,
				Param{Layer: k, Name: "W", Rows: l.W.Rows, Cols: l.W.Cols, Value: l.W.Data, Grad: l.DW.Data},
				Param{Layer: k, Name: "b", Rows: 1, Cols: len(l.B), Value: l.B, Grad: l.DB})
		case *BatchNorm:
			if n.firstDense < 0 {
				n.firstDense = i
			}
			k := len(n.dense) - 1
			n.params = append(n.params,
				Param{Layer: k, Name: "gamma", Rows: 1, Cols: l.size, Value: l.Gamma, Grad: l.DGamma},
				Param{Layer: k, Name: "beta", Rows: 1, Cols: l.size, Value: l.Beta, Grad: l.DBeta})
		}
	}
	if n.firstDense < 0 {
		n.firstDense = len(n.layers)
	}
	n.fusedParams = make([]bool, len(n.params))
	n.velFused = make([]bool, len(n.params))
	for _, i := range n.wParam {
		n.fusedParams[i] = true
	}
	if len(n.layers) > MaxLayers {
		return nil, fmt.Errorf("layers: %d layers, more than %d", len(n.layers), MaxLayers)
	}
	if p := n.NumParams(); p > MaxParams {
		return nil, fmt.Errorf("layers: %d parameters, more than %d (the most a model file holds)", p, MaxParams)
	}
	return n, nil
}

// MLPOptions configures NewMLP.
type MLPOptions struct {
	// Init is the weight initialisation (default InitBalanced); biases
	// start at zero.
	Init Init
	// Seed seeds the initialisation and the dropout masks.
	Seed uint64
	// Dropout is the probability of dropping a hidden unit in training;
	// 0 adds no dropout layers.
	Dropout float32
	// InputDropout is the probability of dropping an input feature; 0 adds
	// no input dropout layer.
	InputDropout float32
	// MaxBatch is the number of rows to preallocate buffers for (default
	// 100). Larger batches still work: buffers grow on first use.
	MaxBatch int
	// Norm normalizes every hidden layer's pre-activations: NormBatch puts
	// a BatchNorm, NormDDP a DDPNorm with Alpha between each hidden Dense
	// layer and its ReLU.
	Norm  Norm
	Alpha float32
}

// Norm selects the normalization of NewMLP's hidden layers.
type Norm int

const (
	// NormNone adds no normalization layers.
	NormNone Norm = iota
	// NormBatch adds batch normalization (BatchNorm).
	NormBatch
	// NormDDP adds DDP-Normalization (DDPNorm) with MLPOptions.Alpha.
	NormDDP
)

var normNames = [...]string{NormNone: "none", NormBatch: "batch", NormDDP: "ddp"}

// String returns the normalization's name: "none", "batch" or "ddp".
func (k Norm) String() string {
	if k >= 0 && int(k) < len(normNames) {
		return normNames[k]
	}
	return fmt.Sprintf("Norm(%d)", int(k))
}

// ParseNorm returns the normalization named s (as String spells it; ""
// is "none").
func ParseNorm(s string) (Norm, error) {
	if s == "" {
		return NormNone, nil
	}
	for i, name := range normNames {
		if s == name {
			return Norm(i), nil
		}
	}
	return 0, fmt.Errorf("layers: unknown normalization %q (want none, batch or ddp)", s)
}

// NewMLP returns a multilayer perceptron with the given layer sizes, input
// first: sizes {784, 1000, 1000, 10} gives Dense(784->1000)+ReLU,
// Dense(1000->1000)+ReLU, Dense(1000->10), with Dropout layers after the
// input and after each hidden layer as opts asks. The weights are
// initialised with opts.Init from opts.Seed.
func NewMLP(sizes []int, opts MLPOptions) (*Network, error) {
	if err := CheckSizes(sizes); err != nil {
		return nil, err
	}
	for _, p := range []float32{opts.Dropout, opts.InputDropout} {
		if !(p >= 0 && p < 1) {
			return nil, fmt.Errorf("layers: dropout probability %g outside [0, 1)", p)
		}
	}
	if opts.MaxBatch < 0 || opts.MaxBatch > MaxBatch {
		return nil, fmt.Errorf("layers: MaxBatch %d outside [0, %d]", opts.MaxBatch, MaxBatch)
	}
	if err := opts.Init.check(); err != nil {
		return nil, err
	}
	if opts.Norm < NormNone || opts.Norm > NormDDP {
		return nil, fmt.Errorf("layers: unknown normalization %d", int(opts.Norm))
	}
	if opts.Norm == NormDDP && !(opts.Alpha >= 0 && opts.Alpha <= 1) {
		return nil, fmt.Errorf("layers: DDP-Normalization alpha %g outside [0, 1]", opts.Alpha)
	}
	var ls []Layer
	if opts.InputDropout > 0 {
		ls = append(ls, NewDropout(sizes[0], opts.InputDropout, dropoutSeed(opts.Seed, 0)))
	}
	for i := 1; i < len(sizes); i++ {
		hidden := i < len(sizes)-1
		switch {
		case hidden && opts.Norm == NormBatch:
			ls = append(ls, NewDense(sizes[i-1], sizes[i], false), NewBatchNorm(sizes[i], true))
		case hidden && opts.Norm == NormDDP:
			ls = append(ls, NewDense(sizes[i-1], sizes[i], false), NewDDPNorm(sizes[i], opts.Alpha, true))
		default:
			ls = append(ls, NewDense(sizes[i-1], sizes[i], hidden))
		}
		if hidden && opts.Dropout > 0 {
			ls = append(ls, NewDropout(sizes[i], opts.Dropout, dropoutSeed(opts.Seed, i)))
		}
	}
	n, err := NewNetwork(ls...)
	if err != nil {
		return nil, err
	}
	n.Initialize(opts.Init, opts.Seed)
	mb := opts.MaxBatch
	if mb == 0 {
		mb = 100
	}
	n.Reserve(mb)
	return n, nil
}

// dropoutSeed derives the seed of the dropout layer after hidden layer i
// (0: the input) from the network's seed.
func dropoutSeed(seed uint64, i int) uint64 {
	return seed ^ (0x9e3779b97f4a7c15 * uint64(i+1))
}

// Normalized reports whether the network has normalization layers
// (BatchNorm or DDPNorm): its function is then not the plain ReLU network
// of its Dense layers, which the path norms and Path-SGD assume.
func (n *Network) Normalized() bool {
	for _, l := range n.layers {
		switch l.(type) {
		case *BatchNorm, *DDPNorm:
			return true
		}
	}
	return false
}

// Layers returns the layers in execution order (after fusion). The slice
// must not be modified.
func (n *Network) Layers() []Layer { return n.layers }

// Dense returns the dense layers in order: Dense()[i] holds W_(i+1) and
// b_(i+1) of the thesis's notation. The slice must not be modified.
func (n *Network) Dense() []*Dense { return n.dense }

// Params returns the parameter tensors in layer order: two per dense layer
// (weights, then biases) and two per BatchNorm layer (gamma, then beta). The slice must not be modified.
func (n *Network) Params() []Param { return n.params }

// InSize returns the number of input features.
func (n *Network) InSize() int { return n.layers[0].InSize() }

// OutSize returns the number of outputs (classes).
func (n *Network) OutSize() int { return n.layers[len(n.layers)-1].OutSize() }

// NumParams returns the number of trainable parameters (weights, biases,
// and the BatchNorm layers' scales and shifts).
func (n *Network) NumParams() int {
	s := 0
	for _, p := range n.params {
		s += len(p.Value)
	}
	return s
}

// NumWeights returns the number of weights (biases excluded).
func (n *Network) NumWeights() int {
	s := 0
	for _, d := range n.dense {
		s += len(d.W.Data)
	}
	return s
}

// String describes the network, e.g.
// "dense(784->1000, relu) -> dense(1000->10)".
func (n *Network) String() string {
	s := make([]string, len(n.layers))
	for i, l := range n.layers {
		s[i] = l.String()
	}
	return strings.Join(s, " -> ")
}

// Reserve sizes every buffer for batches of up to rows rows. Forward and
// Gradient call it, so calling it is only needed to allocate up front.
func (n *Network) Reserve(rows int) {
	if rows < 0 {
		panic(errRows)
	}
	if rows <= n.rows {
		return
	}
	for i, l := range n.layers {
		l.reserve(rows, i > n.firstDense)
	}
	n.dlogits = grow(n.dlogits, rows*n.OutSize())
	n.rows = rows
}

func (n *Network) checkInput(x blas32.General) {
	if x.Cols != n.InSize() {
		panic(errInputCols)
	}
	if x.Rows < 0 {
		panic(errRows)
	}
	if x.Rows > 0 && (x.Stride < x.Cols || len(x.Data) < (x.Rows-1)*x.Stride+x.Cols) {
		panic(errInputShape)
	}
	n.Reserve(x.Rows)
}

func (n *Network) forward(x blas32.General, train bool) blas32.General {
	n.lastX = x
	for _, l := range n.layers {
		x = l.forward(x, train)
	}
	return x
}

// Forward returns the logits of the rows of x (batch x InSize) in inference
// mode (dropout off, normalization layers on their running averages). The result is a view into the network's buffers,
// valid until the next call.
func (n *Network) Forward(x blas32.General) blas32.General {
	n.checkInput(x)
	return n.forward(x, false)
}

// Loss returns the mean softmax cross-entropy of the rows of x against the
// labels y in inference mode (dropout off). It panics if a label is outside
// [0, OutSize()).
func (n *Network) Loss(x blas32.General, y []int) float64 {
	n.checkInput(x)
	if len(y) != x.Rows {
		panic(errLabelCount)
	}
	return crossEntropy(n.forward(x, false), y, blas32.General{})
}

// Gradient runs a training forward pass (dropout on, normalization layers
// on the batch's statistics, their running averages updated) on the rows
// of x, computes the mean softmax cross-entropy against the labels y and
// backpropagates it: afterwards every parameter's Grad (Params: Dense
// layers' DW and DB, BatchNorm layers' DGamma and DBeta) holds the
// gradient of the mean loss, which Gradient returns. The loss is computed
// before the backward pass; when it is not finite the gradients are still
// computed (and are not finite either). It panics if a label is outside
// [0, OutSize()).
func (n *Network) Gradient(x blas32.General, y []int) float64 {
	loss, dy := n.lossAndGradient(x, y)
	for i := len(n.layers) - 1; i >= n.firstDense; i-- {
		dy = n.layers[i].backward(dy, i > n.firstDense)
	}
	for _, l := range n.ddp {
		l.addWeightGrad()
	}
	return loss
}

// lossAndGradient runs the training forward pass and returns the mean loss
// and its gradient with respect to the logits.
func (n *Network) lossAndGradient(x blas32.General, y []int) (float64, blas32.General) {
	n.checkInput(x)
	if len(y) != x.Rows {
		panic(errLabelCount)
	}
	logits := n.forward(x, true)
	dy := view(n.dlogits, x.Rows, n.OutSize())
	return crossEntropy(logits, y, dy), dy
}

// LastInput returns the input batch of the last Forward, Loss, Gradient or
// Predict call (the caller's matrix, not a copy: valid while the caller
// keeps it unchanged), or an empty matrix before the first call. Optimizers
// whose scaling depends on the data, such as package pathsgd's DDP-SGD, read
// the mini-batch of the last Gradient call through it.
func (n *Network) LastInput() blas32.General { return n.lastX }

// Predict writes the index of the largest logit of each row of x to dst
// (inference mode). It panics if dst is shorter than x.Rows.
func (n *Network) Predict(x blas32.General, dst []int) {
	if len(dst) < x.Rows {
		panic(errPredictLen)
	}
	z := n.Forward(x)
	for r := 0; r < z.Rows; r++ {
		dst[r] = argmax(z.Data[r*z.Stride : r*z.Stride+z.Cols])
	}
}

// Probabilities writes the class probabilities of the rows of x — the
// softmax of the logits, computed in float64 with the maximum subtracted —
// to the rows of dst (x.Rows x OutSize(), any stride), in inference mode.
// A row whose logits are not all finite gets NaN probabilities. It panics
// if dst does not have that shape.
func (n *Network) Probabilities(x, dst blas32.General) {
	k := n.OutSize()
	if dst.Rows != x.Rows || dst.Cols != k || (x.Rows > 0 && (dst.Stride < k || len(dst.Data) < (x.Rows-1)*dst.Stride+k)) {
		panic(errProbShape)
	}
	z := n.Forward(x)
	for r := 0; r < z.Rows; r++ {
		zr := z.Data[r*z.Stride : r*z.Stride+k]
		pr := dst.Data[r*dst.Stride : r*dst.Stride+k]
		m := math.Inf(-1)
		for _, v := range zr {
			m = math.Max(m, float64(v))
		}
		var sum float64
		for _, v := range zr {
			sum += math.Exp(float64(v) - m)
		}
		for j, v := range zr {
			pr[j] = float32(math.Exp(float64(v)-m) / sum)
		}
	}
}

// argmax returns the index of the largest element; NaN never wins unless
// every element is NaN (then 0).
func argmax(z []float32) int {
	best := 0
	for j, v := range z {
		if v > z[best] || (z[best] != z[best] && v == v) {
			best = j
		}
	}
	return best
}

// finite reports whether every parameter is finite.
func (n *Network) finite() bool {
	for _, p := range n.params {
		for _, v := range p.Value {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return false
			}
		}
	}
	return true
}

// Clone returns a deep copy of the network: same layers, parameters and
// options, fresh buffers and gradients (zero). Dropout generators restart
// from their seeds' state at the time of the copy.
func (n *Network) Clone() *Network {
	ls := make([]Layer, len(n.layers))
	for i, l := range n.layers {
		switch l := l.(type) {
		case *Dense:
			d := NewDense(l.InSize(), l.OutSize(), l.ReLU)
			copy(d.W.Data, l.W.Data)
			copy(d.B, l.B)
			ls[i] = d
		case *ReLU:
			ls[i] = NewReLU(l.size)
		case *Dropout:
			c := &Dropout{P: l.P, size: l.size, pcg: l.pcg}
			ls[i] = c
		case *BatchNorm:
			c := NewBatchNorm(l.size, l.ReLU)
			c.Momentum, c.Eps = l.Momentum, l.Eps
			copy(c.Gamma, l.Gamma)
			copy(c.Beta, l.Beta)
			copy(c.RunMean, l.RunMean)
			copy(c.RunVar, l.RunVar)
			ls[i] = c
		case *DDPNorm:
			c := NewDDPNorm(l.size, l.Alpha, l.ReLU)
			c.Momentum, c.Tracked = l.Momentum, l.Tracked
			copy(c.RunSq, l.RunSq)
			ls[i] = c
		}
	}
	c, err := NewNetwork(ls...)
	if err != nil {
		panic(err) // unreachable: n was valid
	}
	c.Reserve(n.rows)
	return c
}
