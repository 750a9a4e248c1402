package pathsgd

import (
	"errors"
	"io"
	"math"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/internal/hugepage"
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// PathSGD is Path-SGD (Neyshabur, Salakhutdinov and Srebro, 2015) with
// p = 2, a layers.Optimizer: at every step each weight and bias moves by its
// gradient divided by kappa_e = pi_e, the sum over the paths through the
// edge of the product of the squares of the path's other weights:
//
//	without Momentum: w_e -= lr * (dL/dw_e) / kappa_e
//	with Momentum:    v_e = mu*v_e + (dL/dw_e) / kappa_e;  w_e -= lr * v_e
//
// kappa(W_i[v,u]) = g_i[v] f_(i-1)[u] and kappa(b_i[v]) = g_i[v] come from
// the dynamic program on the current weights (the whole network: dropout
// masks play no part in kappa, so PathSGD works unchanged with dropout
// layers, whose masks only enter the gradient). kappa is a rank-one outer
// product per layer and is never formed: asm.PathSGD divides by it through
// reciprocal row and column factors inside the update, and computes the
// next layer's f_i from the old weights in the same pass. The dynamic
// program meets at the largest layer m: f_1..f_(m-1) and g_(d-1)..g_m come
// from separate passes over the smaller layers, layer m's update yields both
// f_m and g_(m-1), the layers above m are updated in forward order (each
// fused with its f_i) and those below in backward order (each fused with
// its g_(i-1): the update kernel adds the column sums of the old weights
// it reads anyway). A step thus reads every weight once from memory
// plus the layers other than the largest once more, where SGD reads every
// weight once.
//
// PathSGD is also a layers.ScaledSGD: with momentum, on a network whose
// largest layer is at least twice the last-level cache, Network.TrainStep
// (and so layers.Train) plans the factors after the forward pass
// (PlanStep) and takes the large layers' steps in their weight-gradient
// products, as it does SGD's, so that the weight gradients never go
// through memory; the weights agree with Gradient and Step within a
// float32 product's rounding (see fused.go).
//
// Guard: kappa_e = 0 exactly when f_(i-1)[u] = 0 or g_i[v] = 0, that is
// when no non-zero path reaches the edge's source or leaves its target; the
// gradient of such an edge is exactly zero (see the package documentation),
// and PathSGD leaves the weight (and its velocity, apart from the decay
// mu*v) unchanged. This keeps the step exactly covariant under node
// rescaling, which maps zeros to zeros. Factors beyond the float32 range
// saturate at math.MaxFloat32.
//
// The velocity starts at zero; Step allocates nothing after the first call.
type PathSGD struct {
	// LR is the learning-rate schedule (required). Path-SGD's step sizes
	// differ from SGD's (kappa is about 1/h on balanced hidden layers):
	// tune them separately.
	LR layers.Schedule
	// Momentum is the momentum schedule; nil means none.
	Momentum layers.Schedule

	epoch int
	st    pathState
}

// SetEpoch sets the number of completed epochs the schedules read.
func (o *PathSGD) SetEpoch(completed int) { o.epoch = completed }

// Reset drops the velocity (it restarts at zero on the next Step).
func (o *PathSGD) Reset() { o.st.vel = nil }

// Phi returns the l2 path norm phi_2 of the weights before the last Step
// (computed by the step's dynamic program at no extra cost), or 0 before
// the first step.
func (o *PathSGD) Phi() float64 {
	if o.st.f == nil {
		return 0
	}
	d := len(o.st.f) - 1
	return math.Exp((math.Log(sumOf(o.st.f[d])) + float64(o.st.fe[d])*math.Ln2) / 2)
}

// Step applies one Path-SGD update to net from the gradients of the last
// Network.Gradient call. It panics if LR is nil or the optimizer's state
// belongs to a network of another shape.
func (o *PathSGD) Step(net *layers.Network) {
	if o.LR == nil {
		panic(errNoLR)
	}
	if net == nil {
		panic(errNilNet)
	}
	if net.Normalized() {
		panic(errNormNet)
	}
	lr := o.LR(o.epoch)
	var mu float32
	if o.Momentum != nil {
		mu = o.Momentum(o.epoch)
	}
	o.st.step(net, lr, mu, o.Momentum != nil)
}

// pathState is the dynamic program's vectors and the update's buffers.
type pathState struct {
	sizes  []int
	f, g   [][]float64
	fe, ge []int
	cs, rs []float32   // column and row factors of the layer being updated
	bc     []float32   // bias factors
	one    [1]float32  // the bias update's row factor
	vel    [][]float32 // velocity of W and b per layer, with momentum
	dp     dpTask
	upd    updateTask
	// colPart is, per row chunk, the partial column sums of a layer
	// updated at or below the meeting layer.
	colPart [][]float64
	fwd     []float64 // row sums not needed below the meeting layer

	// A fused step's factors per layer (PlanStep), kept for FinishStep
	// with the step's schedule values.
	lcs, lrs, lbc [][]float32
	lr, mu        float32
	momentum      bool
}

// prepare sizes the buffers for net (once) and panics if net's shape
// differs from the one they were sized for.
func (s *pathState) prepare(net *layers.Network, momentum bool) []*layers.Dense {
	dense := net.Dense()
	d := len(dense)
	if s.sizes == nil {
		s.sizes = make([]int, d+1)
		s.sizes[0] = dense[0].InSize()
		widest := s.sizes[0]
		for i, l := range dense {
			s.sizes[i+1] = l.OutSize()
			widest = max(widest, l.OutSize())
		}
		s.f, s.g = make([][]float64, d+1), make([][]float64, d+1)
		s.fe, s.ge = make([]int, d+1), make([]int, d+1)
		for i, h := range s.sizes {
			s.f[i], s.g[i] = make([]float64, h), make([]float64, h)
		}
		s.cs, s.rs, s.bc = make([]float32, widest), make([]float32, widest), make([]float32, widest)
		s.fwd = make([]float64, widest)
		s.colPart = make([][]float64, colChunks)
		for c := range s.colPart {
			s.colPart[c] = make([]float64, widest)
		}
		s.one[0] = 1
		s.lcs, s.lrs, s.lbc = make([][]float32, d), make([][]float32, d), make([][]float32, d)
		for i := range d {
			s.lcs[i] = make([]float32, s.sizes[i])
			s.lrs[i] = make([]float32, s.sizes[i+1])
			s.lbc[i] = make([]float32, s.sizes[i+1])
		}
	} else {
		if len(s.sizes) != d+1 || s.sizes[0] != dense[0].InSize() {
			panic(errOptimNet)
		}
		for i, l := range dense {
			if s.sizes[i+1] != l.OutSize() || l.InSize() != s.sizes[i] {
				panic(errOptimNet)
			}
		}
	}
	if momentum && s.vel == nil {
		s.vel = make([][]float32, 2*d)
		for i, l := range dense {
			s.vel[2*i] = hugepage.Float32s(len(l.W.Data))
			s.vel[2*i+1] = make([]float32, len(l.B))
		}
	}
	return dense
}

// meetingLayer returns the 1-based index of the layer with the most
// weights (the last one on ties): the dynamic program's two directions meet
// there, so that only the other layers need a separate pass.
func meetingLayer(dense []*layers.Dense) int {
	m := 1
	for i, l := range dense {
		if len(l.W.Data) >= len(dense[m-1].W.Data) {
			m = i + 1
		}
	}
	return m
}

// step computes g_(d-1)..g_m by backward passes and f_1..f_(m-1) by forward
// passes, then updates layer m (yielding f_m and g_(m-1)), the layers above
// m in forward order (each yielding the next f) and the layers below m in
// backward order (each yielding the next g).
func (s *pathState) step(net *layers.Network, lr, mu float32, momentum bool) {
	dense := s.prepare(net, momentum)
	d := len(dense)
	m := meetingLayer(dense)
	fill(s.g[d], 1)
	s.ge[d] = 0
	for i := d; i > m; i-- {
		s.dp.run(dpBackward, 2, dense[i-1].W, s.g[i-1], s.g[i])
		s.ge[i-1] = s.ge[i] + normalize(s.g[i-1])
	}
	fill(s.f[0], 1)
	s.fe[0] = 0
	for i := 1; i < m; i++ {
		s.dp.run(dpForward, 2, dense[i-1].W, s.f[i], s.f[i-1])
		addBias(s.f[i], dense[i-1].B, 2, s.fe[i-1])
		s.fe[i] = s.fe[i-1] + normalize(s.f[i])
	}
	// Without momentum the learning rate is folded into the factors; with
	// momentum they are 1/kappa alone.
	scale := float64(lr)
	if momentum {
		scale = 1
	}
	for i := m; i <= d; i++ {
		s.updateLayer(dense[i-1], i, m, scale, lr, mu, momentum)
	}
	for i := m - 1; i >= 1; i-- {
		s.updateLayer(dense[i-1], i, m, scale, lr, mu, momentum)
	}
}

// updateLayer updates layer i (1-based; l = Dense()[i-1]) and its biases
// from f_(i-1) and g_i, m being the meeting layer. At and above m it sets
// f_i from the old weights and biases; at and below m (from the second
// layer) it sets g_(i-1) from the old weights.
func (s *pathState) updateLayer(l *layers.Dense, i, m int, scale float64, lr, mu float32, momentum bool) {
	forward, backward := i >= m, i <= m && i >= 2
	in, out := s.f[i-1], s.g[i]
	cs, rs := s.cs[:len(in)], s.rs[:len(out)]
	weightFactors(cs, rs, in, out, scale, s.fe[i-1]+s.ge[i])
	var vw, vb []float32
	if momentum {
		vw, vb = s.vel[2*(i-1)], s.vel[2*(i-1)+1]
	}
	// Below the meeting layer the row sums are not needed: the kernel
	// then only updates (y nil), or, where it adds the column sums, puts
	// them in scratch (the kernels compute both sums or neither).
	var y []float64
	switch {
	case forward:
		y = s.f[i]
	case backward:
		y = s.fwd[:len(out)]
	}
	s.upd = updateTask{w: l.W, g: l.DW.Data, v: vw, rs: rs, cs: cs, x: in, y: y, lr: lr, mu: mu, momentum: momentum}
	if backward {
		s.upd.u, s.upd.part = out, s.colPart
	}
	blas.Run(&s.upd, blas.ElementwiseParts(len(l.W.Data)))
	s.upd = updateTask{}
	if backward {
		s.sumColParts(s.g[i-1])
		s.ge[i-1] = s.ge[i] + normalize(s.g[i-1])
	}
	// The bias paths of f_i, from the old biases, then the biases' update
	// with kappa(b_i[v]) = g_i[v].
	if forward {
		addBias(s.f[i], l.B, 2, s.fe[i-1])
	}
	bc := s.bc[:len(out)]
	biasFactors(bc, out, scale, s.ge[i])
	if momentum {
		asm.PathSGDMomentum(nil, nil, l.B, l.DB, vb, len(l.B), s.one[:], bc, nil, nil, lr, mu)
	} else {
		asm.PathSGD(nil, nil, l.B, l.DB, len(l.B), s.one[:], bc, nil, nil)
	}
	if forward {
		s.fe[i] = s.fe[i-1] + normalize(s.f[i])
	}
}

// sumColParts sets gp to the row chunks' partial column sums, added in
// chunk order (the same order for every thread count).
func (s *pathState) sumColParts(gp []float64) {
	copy(gp, s.colPart[0][:len(gp)])
	for c := 1; c < colChunks; c++ {
		asm.DAxpy(1, s.colPart[c][:len(gp)], gp)
	}
}

// weightFactors sets cs[u] * rs[v] = scale / kappa[v][u] with
// kappa[v][u] = f[u] * g[v] * 2^e, splitting the power of two between the
// two so that both stay in the float32 range; a zero f[u] or g[v] gives a
// zero factor (the guard).
func weightFactors(cs, rs []float32, f, g []float64, scale float64, e int) {
	// Largest reciprocals, as binary exponents (f and g are normalized:
	// their largest elements are in [0.5, 1)): those of the smallest
	// positive elements, the reciprocal and its exponent being monotone.
	ef, eg := math.MinInt32, math.MinInt32
	if v := minPositive(f); v > 0 {
		ef = math.Ilogb(1 / v)
	}
	if v := minPositive(g); v > 0 {
		eg = math.Ilogb(scale / v)
	}
	k := 0
	if ef > math.MinInt32 && eg > math.MinInt32 {
		// rs carries 2^(-e-k), cs 2^k: balance the exponents.
		k = (eg - e - ef) / 2
	}
	pc, pr := pow2(k), pow2(-e-k)
	for u, v := range f {
		cs[u] = factor(1/v, k, pc, v)
	}
	for r, v := range g {
		rs[r] = factor(scale/v, -e-k, pr, v)
	}
}

// minPositive returns the smallest positive element of x, or 0 if there is
// none.
func minPositive(x []float64) float64 {
	m := math.Inf(1)
	found := false
	for _, v := range x {
		if v > 0 && v <= m {
			m, found = v, true
		}
	}
	if !found {
		return 0
	}
	return m
}

// biasFactors sets bc[v] = scale / kappa(b[v]) with kappa = g[v] * 2^e.
func biasFactors(bc []float32, g []float64, scale float64, e int) {
	p := pow2(-e)
	for v, x := range g {
		bc[v] = factor(scale/x, -e, p, x)
	}
}

// pow2 returns 2^k when it is a normal float64, else 0.
func pow2(k int) float64 {
	if k < -1022 || k > 1023 {
		return 0
	}
	return math.Ldexp(1, k)
}

// factor returns r * 2^k (p = 2^k, or 0 when 2^k is not a normal float64)
// as a float32 saturated at MaxFloat32, or 0 when the path sum s it is the
// reciprocal of is zero (or not a number).
func factor(r float64, k int, p float64, s float64) float32 {
	if !(s > 0) {
		return 0
	}
	var x float64
	if p != 0 {
		x = r * p
	} else {
		x = math.Ldexp(r, k)
	}
	if x > math.MaxFloat32 {
		return math.MaxFloat32
	}
	return float32(x)
}

// colChunks is the fixed number of row chunks whose partial column sums a
// backward-fused update keeps: chunks, not threads, so that the sums (and
// the whole step) are the same for every thread count.
const colChunks = 8

// updateTask is one layer's fused update, split by rows for
// blas.Run. When u is set it also computes the column sums
// (W∘W)^T u of the old weights into part (one vector per row chunk).
type updateTask struct {
	w        blas32.General
	g, v     []float32
	rs, cs   []float32
	x, y     []float64
	lr, mu   float32
	momentum bool
	u        []float64
	part     [][]float64
	// sums computes y and the column sums alone (asm.PathSums): no g, v
	// or factors, no update.
	sums bool
}

// RunPart updates part part of parts of the layer's rows.
func (t *updateTask) RunPart(part, parts int) {
	if t.u != nil {
		// Whole chunks per part, in order.
		for c := part * colChunks / parts; c < (part+1)*colChunks/parts; c++ {
			lo, hi := t.w.Rows*c/colChunks, t.w.Rows*(c+1)/colChunks
			t.chunk(c, lo, hi)
		}
		return
	}
	lo, hi := split(t.w.Rows, part, parts)
	t.rows(lo, hi)
}

// chunk updates rows [lo, hi), the update kernel adding their column sums
// (row by row, in order) into t.part[c] from the old weights it reads
// anyway.
func (t *updateTask) chunk(c, lo, hi int) {
	z := t.part[c][:t.w.Cols]
	clear(z)
	t.update(lo, hi, z, t.u[lo:hi])
}

// rows applies the fused update to rows [lo, hi).
func (t *updateTask) rows(lo, hi int) { t.update(lo, hi, nil, nil) }

// update applies the fused update to rows [lo, hi), adding their column
// sums (W∘W)^T u to z when z is not nil.
func (t *updateTask) update(lo, hi int, z, u []float64) {
	if lo == hi {
		return
	}
	ld := t.w.Stride
	w := t.w.Data[lo*ld:]
	var g []float32
	if !t.sums {
		g = t.g[lo*ld:]
	}
	var y []float64
	if t.y != nil {
		y = t.y[lo:hi]
	}
	if t.sums {
		asm.PathSums(y, z, w, ld, t.x, u)
		return
	}
	if t.momentum {
		asm.PathSGDMomentum(y, z, w, g, t.v[lo*ld:], ld, t.rs[lo:hi], t.cs, t.x, u, t.lr, t.mu)
	} else {
		asm.PathSGD(y, z, w, g, ld, t.rs[lo:hi], t.cs, t.x, u)
	}
}

// SaveState writes the velocity (none without momentum or before the first
// Step) in the layers package's optimizer state format: PathSGD is a
// layers.StateSaver, so layers.Train saves it beside every checkpoint.
func (o *PathSGD) SaveState(w io.Writer) error {
	return layers.WriteOptimizerState(w, "pathsgd", o.st.vel)
}

// LoadState restores a velocity written by SaveState for a network of
// net's shape.
func (o *PathSGD) LoadState(r io.Reader, net *layers.Network) error {
	bufs, err := layers.ReadOptimizerState(r, "pathsgd", net)
	if err != nil {
		return err
	}
	o.st.vel = bufs
	return nil
}

// Validate reports a missing learning-rate schedule (layers.Train calls it
// before the first step).
func (o *PathSGD) Validate() error {
	if o.LR == nil {
		return errors.New("pathsgd: PathSGD has no learning-rate schedule (LR is nil)")
	}
	return nil
}
