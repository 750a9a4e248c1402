package rnn

import (
	"math"
	"sort"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Batch is a mini-batch of Rows sequences of Steps steps, stored time-major:
// the input of sequence r at step t is X[(t*Rows+r)*In : (t*Rows+r+1)*In].
// Outputs lists the steps (0-based, strictly increasing) at which the model
// emits y_t = W_out h_t + c and the loss is taken; output row o*Rows+r is
// sequence r at step Outputs[o]. Labels (softmax loss) or Targets (squared
// loss) follow the same row order.
type Batch struct {
	Steps, Rows int
	X           []float32
	// H0 is the initial state h_(-1), Rows x Hidden (any stride); the zero
	// value means zeros. FinalState of the previous batch carries the state
	// across the chunks of a long sequence (no gradient flows into H0).
	H0 blas32.General
	// Outputs are the output steps, strictly increasing within [0, Steps).
	Outputs []int
	// Labels holds len(Outputs)*Rows class indices for the softmax loss.
	Labels []int
	// Targets holds len(Outputs)*Rows*Out values for the squared loss.
	Targets []float32
	// Truncate > 0 truncates backpropagation through time: no gradient
	// flows from step t to step t-1 when t is a multiple of Truncate, which
	// is the gradient of running the chunks [0, Truncate), [Truncate,
	// 2*Truncate), ... one after the other with the state carried forward.
	// 0 means full BPTT.
	Truncate int
}

// LastStep returns the output steps {steps-1}: one output at the end of
// each sequence (sequence classification and regression).
func LastStep(steps int) []int { return []int{steps - 1} }

// EveryStep returns the output steps {0, 1, ..., steps-1} (sequence
// labelling, language modelling).
func EveryStep(steps int) []int {
	s := make([]int, steps)
	for i := range s {
		s[i] = i
	}
	return s
}

// checkBatch panics on a malformed batch; withLoss also checks the labels or
// targets.
func (m *Model) checkBatch(b *Batch, withLoss bool) {
	c := m.cfg
	if b.Steps <= 0 || b.Rows <= 0 {
		panic(errSteps)
	}
	if len(b.X) != b.Steps*b.Rows*c.In {
		panic(errXLen)
	}
	if b.H0.Data != nil && (b.H0.Rows != b.Rows || b.H0.Cols != c.Hidden || b.H0.Stride < c.Hidden ||
		len(b.H0.Data) < (b.Rows-1)*b.H0.Stride+c.Hidden) {
		panic(errH0Shape)
	}
	if len(b.Outputs) == 0 {
		panic(errNoOutputs)
	}
	prev := -1
	for _, s := range b.Outputs {
		if s <= prev || s >= b.Steps {
			panic(errOutputs)
		}
		prev = s
	}
	if b.Truncate < 0 {
		panic(errTruncate)
	}
	if !withLoss {
		return
	}
	n := len(b.Outputs) * b.Rows
	switch c.Loss {
	case SoftmaxCrossEntropy:
		if len(b.Labels) != n {
			panic(errLabelLen)
		}
		for _, y := range b.Labels {
			if y < 0 || y >= c.Out {
				panic(errLabelRange)
			}
		}
	case Squared:
		if len(b.Targets) != n*c.Out {
			panic(errTargetLen)
		}
	default:
		panic(errUnknownLoss)
	}
}

// grow returns buf with length n, reallocating only when its capacity is
// short.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// Reserve sizes the activation buffers for batches of up to steps x rows
// with up to outputs output steps, so that later calls allocate nothing.
func (m *Model) Reserve(steps, rows, outputs int) {
	k, h, o := m.cfg.In+m.cfg.Hidden, m.cfg.Hidden, m.cfg.Out
	outputs = min(outputs, steps)
	m.st = grow(m.st, (steps+1)*rows*k)
	m.y = grow(m.y, outputs*rows*o)
	m.dy = grow(m.dy, outputs*rows*o)
	m.d = grow(m.d, (chunkSteps(steps, rows)+1)*rows*h)
	if cap(m.outputs) < outputs {
		m.outputs = make([]int, 0, outputs)
	}
	if cap(m.gradOutputs) < outputs {
		// Keep the last Gradient's steps: an optimizer reads them later.
		m.gradOutputs = append(make([]int, 0, outputs), m.gradOutputs...)
	}
}

// bpttChunkRows is the number of (step, sequence) rows of dL/dz that BPTT
// keeps at once: the weight gradient is accumulated once per chunk by one
// GEMM of that depth, which bounds the memory of long sequences without
// making the GEMMs small.
var bpttChunkRows = 4096

func chunkSteps(steps, rows int) int { return max(1, min(steps, bpttChunkRows/rows)) }

// Forward runs the model on b and returns the outputs, len(b.Outputs)*Rows
// rows of Out values (logits for the softmax loss), row o*Rows+r being
// sequence r at step b.Outputs[o]. The matrix is a view into the model's
// buffers, valid until the next call. Labels and Targets are not read. It
// panics on a malformed batch.
func (m *Model) Forward(b *Batch) blas32.General {
	m.checkBatch(b, false)
	m.forward(b)
	return m.outputView()
}

// Loss runs the model on b and returns the mean loss over the output rows,
// without computing gradients.
func (m *Model) Loss(b *Batch) float64 {
	m.checkBatch(b, true)
	m.forward(b)
	return m.loss(b, false)
}

// Gradient runs the model on b, backpropagates the mean loss over the
// output rows through time (truncated as b.Truncate says) and sets DW, DB,
// DWout and DC. It returns the loss. After the first call with the largest
// batch it allocates nothing.
func (m *Model) Gradient(b *Batch) float64 {
	m.checkBatch(b, true)
	m.forward(b)
	l := m.loss(b, true)
	m.backward(b.Truncate)
	m.gradSteps = b.Steps
	m.gradOutputs = append(m.gradOutputs[:0], b.Outputs...)
	return l
}

// FinalState returns h at the last step of the last forward pass, Rows x
// Hidden (stride In+Hidden), a view valid until the next call: pass it as
// the next batch's H0 to carry the state.
func (m *Model) FinalState() blas32.General {
	k := m.cfg.In + m.cfg.Hidden
	off := m.steps*m.rows*k + m.cfg.In
	return blas32.General{Rows: m.rows, Cols: m.cfg.Hidden, Stride: k, Data: m.st[off : off+(m.rows-1)*k+m.cfg.Hidden]}
}

// stateRows returns the hidden states of steps [t0, t1) as a strided view.
func (m *Model) stateRows(t0, t1 int) blas32.General {
	k := m.cfg.In + m.cfg.Hidden
	n := (t1 - t0) * m.rows
	off := (t0+1)*m.rows*k + m.cfg.In
	return blas32.General{Rows: n, Cols: m.cfg.Hidden, Stride: k, Data: m.st[off : off+(n-1)*k+m.cfg.Hidden]}
}

func (m *Model) outputView() blas32.General {
	n := len(m.outputs) * m.rows
	return blas32.General{Rows: n, Cols: m.cfg.Out, Stride: m.cfg.Out, Data: m.y[:n*m.cfg.Out]}
}

// forward fills the state blocks and the outputs.
func (m *Model) forward(b *Batch) {
	c := m.cfg
	k, h, rows, steps := c.In+c.Hidden, c.Hidden, b.Rows, b.Steps
	m.Reserve(steps, rows, len(b.Outputs))
	// H0 first: it may be a view of this buffer's last block (FinalState),
	// which the recurrence below overwrites.
	for r := 0; r < rows; r++ {
		dst := m.st[r*k+c.In : r*k+k]
		if b.H0.Data == nil {
			clear(dst)
		} else {
			copy(dst, b.H0.Data[r*b.H0.Stride:r*b.H0.Stride+h])
		}
	}
	m.steps, m.rows = steps, rows
	m.outputs = append(m.outputs[:0], b.Outputs...)
	// h_t = relu([x_t | h_(t-1)] [W_in | W_rec]^T + b): one product per
	// step with W^T packed once for the pass, bias and ReLU in the
	// micro-kernel's epilogue; threads split the sequences.
	m.pw.Pack(gblas.Trans, k, h, m.W.Data, k, m.rows)
	m.recur = recurTask{m: m, x: b.X}
	m.runRecur()
	// y = h W_out^T + c, one GEMM per run of consecutive output steps.
	for o0 := 0; o0 < len(m.outputs); {
		o1 := runEnd(m.outputs, o0)
		hs := m.stateRows(m.outputs[o0], m.outputs[o1-1]+1)
		blas.Affine32(gblas.NoTrans, gblas.Trans, hs, m.Wout, m.C, false, m.yRows(m.y, o0, o1))
		o0 = o1
	}
}

// runEnd returns the end (exclusive) of the run of consecutive steps of
// outputs that starts at index o0.
func runEnd(outputs []int, o0 int) int {
	o1 := o0 + 1
	for o1 < len(outputs) && outputs[o1] == outputs[o1-1]+1 {
		o1++
	}
	return o1
}

// yRows returns output rows of indices [o0, o1) of buf (y or dy).
func (m *Model) yRows(buf []float32, o0, o1 int) blas32.General {
	o := m.cfg.Out
	return blas32.General{Rows: (o1 - o0) * m.rows, Cols: o, Stride: o, Data: buf[o0*m.rows*o : o1*m.rows*o]}
}

// loss returns the mean loss of the outputs and, when grad is set, writes
// its gradient with respect to the outputs into dy.
func (m *Model) loss(b *Batch, grad bool) float64 {
	n := len(m.outputs) * m.rows
	y := m.y[:n*m.cfg.Out]
	var dy []float32
	if grad {
		dy = m.dy[:n*m.cfg.Out]
	}
	if m.cfg.Loss == Squared {
		return squaredLoss(y, b.Targets, dy, n)
	}
	return crossEntropy(y, m.cfg.Out, b.Labels, dy)
}

// backward computes the parameter gradients from dy by BPTT, in chunks of
// steps from the last to the first (see doc.go).
func (m *Model) backward(truncate int) {
	c := m.cfg
	k, h, rows, steps := c.In+c.Hidden, c.Hidden, m.rows, m.steps
	chunk := chunkSteps(steps, rows)
	blockLen := rows * h
	carry := m.d[chunk*blockLen : (chunk+1)*blockLen]
	// W_rec packed once for the pass: dL/dh_t += dL/dz_(t+1) W_rec.
	m.pr.Pack(gblas.NoTrans, h, h, m.W.Data[c.In:], k, m.rows)
	for t1 := steps; t1 > 0; {
		t0 := max(0, t1-chunk)
		m.outputGradient(t0, t1, truncate)
		m.recur = recurTask{m: m, backward: true, t0: t0, t1: t1, truncate: truncate}
		m.runRecur()
		// [dW_in | dW_rec] += dZ^T [X | H_prev] over the chunk's steps, and
		// db += column sums of dZ.
		n := (t1 - t0) * rows
		beta := float32(1)
		if t1 == steps {
			beta = 0
			clear(m.DB)
		}
		prev := blas32.General{Rows: n, Cols: k, Stride: k, Data: m.st[t0*rows*k : t1*rows*k]}
		dz := blas32.General{Rows: n, Cols: h, Stride: h, Data: m.d[:n*h]}
		blas.Gemm32(gblas.Trans, gblas.NoTrans, 1, dz, prev, beta, m.DW)
		for r := 0; r < n; r++ {
			asm.SAxpy(1, m.d[r*h:(r+1)*h], m.DB)
		}
		if t0 > 0 {
			copy(carry, m.d[:blockLen])
		}
		t1 = t0
	}
	// dW_out = dY^T H over the output steps, dc = column sums of dY.
	for o0 := 0; o0 < len(m.outputs); {
		o1 := runEnd(m.outputs, o0)
		beta := float32(1)
		if o0 == 0 {
			beta = 0
		}
		hs := m.stateRows(m.outputs[o0], m.outputs[o1-1]+1)
		blas.Gemm32(gblas.Trans, gblas.NoTrans, 1, m.yRows(m.dy, o0, o1), hs, beta, m.DWout)
		o0 = o1
	}
	clear(m.DC)
	o := c.Out
	for r := 0; r < len(m.outputs)*rows; r++ {
		asm.SAxpy(1, m.dy[r*o:(r+1)*o], m.DC)
	}
}

// recurTask is the recurrence of one pass, split by sequences: forward,
// every step; backward, the steps [t0, t1) of one BPTT chunk.
type recurTask struct {
	m        *Model
	x        []float32 // forward: the inputs, Batch.X
	backward bool
	t0, t1   int
	truncate int
	cols     bool // split each step's columns across threads
}

// runRecur runs m.recur on the worker pool. Sequences are independent, so
// while every thread can stream all the packed weights from its L2 or the
// shared L3 (sharedL3), threads split the rows and run all the steps with
// no synchronisation; larger weights, and batches too small for a row
// panel per thread, are split by columns at each step instead, so that
// each thread streams only its share of the weights.
func (m *Model) runRecur() {
	threads := blas.Threads()
	for len(m.ws) < threads {
		m.ws = append(m.ws, blas.PackedWorkspace32{})
	}
	switch {
	case threads > 1 && (!sharedL3(&m.pw, threads) || (m.rows < 2*m.pw.PanelRows() && 2*m.rows*m.cfg.Hidden*m.cfg.Hidden >= colSplitMinFlops)):
		m.recur.cols = true
		m.recur.RunPart(0, 1)
	case m.rows >= 2*m.pw.PanelRows() && threads > 1:
		// At least two row panels: worth a thread each.
		blas.Run(&m.recur, threads)
	default:
		m.recur.RunPart(0, 1)
	}
	m.recur = recurTask{}
}

// colSplitMinFlops is the per-step product size from which a batch too
// small to give each thread a row panel (fewer than 2 x MR sequences) has
// each step's columns split across threads instead. The split costs a
// hand-over to the workers and the packing of the step's input on one
// thread at every step: measured with two threads at batch 16, 500 hidden
// units (8 MFLOP a step) gain 16%, 250 (2 MFLOP) lose 7%.
const colSplitMinFlops = 4 << 20

// RunPart runs the recurrence for part part of parts of the sequences
// (blas.Task), in whole row panels of the micro-kernel.
func (r *recurTask) RunPart(part, parts int) {
	m := r.m
	r0, r1 := rowRange(m.rows, m.pw.PanelRows(), part, parts)
	if r0 >= r1 {
		return
	}
	if r.backward {
		m.backwardRows(&m.ws[part], r0, r1, r.t0, r.t1, r.truncate)
	} else {
		m.forwardRows(&m.ws[part], r0, r1)
	}
}

// forwardRows runs every step for sequences [r0, r1).
func (m *Model) forwardRows(ws *blas.PackedWorkspace32, r0, r1 int) {
	in1, k, rows := m.cfg.In, m.cfg.In+m.cfg.Hidden, m.rows
	x := m.recur.x
	for t := 0; t < m.steps; t++ {
		// x_t goes into the rows' state just before the step reads them:
		// written for all steps up front, it took a cache (and TLB) miss
		// per row of a state buffer hundreds of megabytes long, 5% of a
		// hidden-1000 batch-128 pass; here its line is the one the last
		// step's output h_(t-1) went to.
		if in1 == 1 {
			for i := t*rows + r0; i < t*rows+r1; i++ {
				m.st[i*k] = x[i]
			}
		} else {
			for i := t*rows + r0; i < t*rows+r1; i++ {
				copy(m.st[i*k:i*k+in1], x[i*in1:(i+1)*in1])
			}
		}
		in := m.st[(t*rows+r0)*k:]
		out := m.st[((t+1)*rows+r0)*k+m.cfg.In:]
		if m.recur.cols {
			m.pw.MulSplit(m.ws, r1-r0, in, k, out, k, m.B, true, false)
		} else {
			m.pw.Mul(ws, r1-r0, in, k, out, k, m.B, true, false)
		}
	}
}

// backwardRows runs BPTT through the steps [t0, t1) of one chunk for
// sequences [r0, r1): block t-t0 of m.d holds dL/dh_t from the outputs on
// entry and dL/dz_t on return; the carry block holds dL/dz_t1.
func (m *Model) backwardRows(ws *blas.PackedWorkspace32, r0, r1, t0, t1, truncate int) {
	c := m.cfg
	k, h, rows := c.In+c.Hidden, c.Hidden, m.rows
	blockLen := rows * h
	chunk := chunkSteps(m.steps, rows)
	carry := m.d[chunk*blockLen : (chunk+1)*blockLen]
	for t := t1 - 1; t >= t0; t-- {
		dt := m.d[(t-t0)*blockLen+r0*h : (t-t0)*blockLen+r1*h]
		if recurs(t, m.steps, truncate) {
			// dL/dh_t = [dL/dh_t from the outputs +] dL/dz_(t+1) W_rec:
			// at a step without an output the product writes the block
			// (outputGradient left it as it was), with no pass to clear it
			// and no read of zeros.
			next := carry[r0*h : r1*h]
			if t+1 < t1 {
				next = m.d[(t+1-t0)*blockLen+r0*h : (t+1-t0)*blockLen+r1*h]
			}
			acc := m.hasOutput(t)
			if m.recur.cols {
				m.pr.MulSplit(m.ws, r1-r0, next, h, dt, h, nil, false, acc)
			} else {
				m.pr.Mul(ws, r1-r0, next, h, dt, h, nil, false, acc)
			}
		}
		// dL/dz_t = dL/dh_t where h_t > 0.
		hoff := ((t+1)*rows+r0)*k + c.In
		for r := 0; r < r1-r0; r++ {
			g := dt[r*h : (r+1)*h]
			asm.ReluBackward(g, g, m.st[hoff+r*k:hoff+r*k+h])
		}
	}
}

// recurs reports whether BPTT carries the gradient from step t+1 back to
// step t (through W_rec): not from the last step, nor across a truncation
// boundary.
func recurs(t, steps, truncate int) bool {
	return t+1 < steps && (truncate == 0 || (t+1)%truncate != 0)
}

// hasOutput reports whether step t has an output.
func (m *Model) hasOutput(t int) bool {
	i := sort.SearchInts(m.outputs, t)
	return i < len(m.outputs) && m.outputs[i] == t
}

// outputGradient sets the BPTT chunk's blocks for steps [t0, t1) to the
// gradient arriving from the outputs, dL/dh_t = dL/dy_t W_out, or, at
// steps without an output, to zero where no recurrent product will write
// them (see backwardRows).
func (m *Model) outputGradient(t0, t1, truncate int) {
	h, rows := m.cfg.Hidden, m.rows
	blockLen := rows * h
	zero := func(a, b int) { // steps [a, b) without an output
		for s := a; s < b; s++ {
			if !recurs(s, m.steps, truncate) {
				clear(m.d[(s-t0)*blockLen : (s-t0+1)*blockLen])
			}
		}
	}
	o0 := sort.SearchInts(m.outputs, t0)
	t := t0
	for t < t1 {
		if o0 >= len(m.outputs) || m.outputs[o0] >= t1 {
			zero(t, t1)
			return
		}
		s := m.outputs[o0]
		zero(t, s)
		o1 := o0 + 1
		for o1 < len(m.outputs) && m.outputs[o1] == m.outputs[o1-1]+1 && m.outputs[o1] < t1 {
			o1++
		}
		e := s + (o1 - o0)
		d := blas32.General{Rows: (e - s) * rows, Cols: h, Stride: h, Data: m.d[(s-t0)*blockLen : (e-t0)*blockLen]}
		blas.Gemm32(gblas.NoTrans, gblas.NoTrans, 1, m.yRows(m.dy, o0, o1), m.Wout, 0, d)
		t, o0 = e, o1
	}
}

// GradNorm returns the Euclidean norm of all the gradients (DW, DB, DWout,
// DC together), accumulated in float64.
func (m *Model) GradNorm() float64 {
	var s float64
	for _, p := range m.params {
		for _, g := range p.Grad {
			s += float64(g) * float64(g)
		}
	}
	return math.Sqrt(s)
}

// ClipGradNorm rescales all the gradients by maxNorm/norm when their joint
// norm exceeds maxNorm > 0, and returns the norm before clipping. Clipping
// is not invariant to node rescaling (see doc.go).
func (m *Model) ClipGradNorm(maxNorm float64) float64 {
	norm := m.GradNorm()
	if maxNorm > 0 && norm > maxNorm {
		f := float32(maxNorm / norm)
		for _, p := range m.params {
			for i := range p.Grad {
				p.Grad[i] *= f
			}
		}
	}
	return norm
}
