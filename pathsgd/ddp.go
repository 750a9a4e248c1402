package pathsgd

import (
	"errors"
	"fmt"
	"io"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/internal/hugepage"
	"github.com/fastpath-go/fastpath/layers"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// DDPSGD is DDP-SGD (Neyshabur, Tomioka, Salakhutdinov and Srebro, 2016),
// a layers.Optimizer: steepest descent in the geometry of the
// data-dependent path norm gamma_net, approximated coordinate-wise,
//
//	without Momentum: w_e -= lr * (dL/dw_e) / kappa_e
//	with Momentum:    v_e = mu*v_e + (dL/dw_e) / kappa_e;  w_e -= lr * v_e
//
// with kappa_e = 1/2 d^2(gamma_net^2)/d(w_e)^2 computed exactly on the
// mini-batch of the last Network.Gradient call (Network.LastInput) for the
// current weights. The package documentation derives
//
//	kappa(W_i[v,u]) = alpha E[a_u^2 S_v] + (1-alpha) gamma_u^2 gt_i[v]
//	kappa(b_i[v])   = alpha E[S_v]       + (1-alpha) gt_i[v]
//
// where gt is the backward pass of the l2 path norm damped by (1-alpha) per
// layer and S_v(x) = sum over units y at or above v's layer j of
// gt_j[y] (dz_y/dz_v)^2. At Alpha = 0 this is Path-SGD's kappa, and Step
// then runs PathSGD's code (the same bits); at Alpha = 1 it is the diagonal
// Gauss-Newton preconditioner sum_o E[a_u^2 (dz_o/dz_v)^2].
//
// The statistics come from an inference-mode forward pass of the batch
// (no dropout masks), recomputed by Step. Unlike Path-SGD's, DDP-SGD's
// kappa is not rank one for Alpha > 0 (it is a sum of batch-many rank-one
// terms): Step forms it per layer with a GEMM in a buffer of the weights'
// size. Its cost is one forward pass, the GEMMs for kappa (about one
// backward pass), and for the squared Jacobians one backward pass of
// batch*h_j seeds through the layers below each layer j that is at least
// two layers above the first hidden one: for the thesis's two-hidden-layer
// networks only the h_d = 10 output seeds through W_2, about three times a
// batch's backward pass.
//
// Guard: kappa_e = 0 leaves the weight unchanged (as in PathSGD). Step
// allocates nothing after the first call for a given batch size.
type DDPSGD struct {
	// LR is the learning-rate schedule (required).
	LR layers.Schedule
	// Momentum is the momentum schedule; nil means none.
	Momentum layers.Schedule
	// Alpha in [0, 1] mixes the data-dependent second moments (1) and the
	// l2 path-norm recursion (0).
	Alpha float64

	epoch int
	path  pathState
	st    ddpState
	// general forces the general computation at Alpha = 0 (tests).
	general bool
}

// SetEpoch sets the number of completed epochs the schedules read.
func (o *DDPSGD) SetEpoch(completed int) { o.epoch = completed }

// Reset drops the velocity (it restarts at zero on the next Step).
func (o *DDPSGD) Reset() { o.path.vel, o.st.vel = nil, nil }

// Step applies one DDP-SGD update to net from the gradients and the
// mini-batch of the last Network.Gradient call. It panics if LR is nil,
// Alpha is outside [0, 1], net has no last batch or has normalization
// layers, or the optimizer's state
// belongs to a network of another shape.
func (o *DDPSGD) Step(net *layers.Network) {
	if o.LR == nil {
		panic(errNoLR)
	}
	if net == nil {
		panic(errNilNet)
	}
	if net.Normalized() {
		panic(errNormNet)
	}
	if !(o.Alpha >= 0 && o.Alpha <= 1) {
		panic(errAlpha)
	}
	lr := o.LR(o.epoch)
	var mu float32
	if o.Momentum != nil {
		mu = o.Momentum(o.epoch)
	}
	if o.Alpha == 0 && !o.general {
		o.path.step(net, lr, mu, o.Momentum != nil)
		return
	}
	o.Kappa(net)
	o.st.update(net, lr, mu, o.Momentum != nil)
}

// Kappa computes DDP-SGD's kappa for net's current weights on the batch of
// the last forward pass (Network.LastInput) without updating anything, and
// returns it: kw[k] has the shape of Dense()[k].W (row-major, stride In) and
// kb[k] that of its bias. The slices are owned by o and overwritten by the
// next Kappa or Step.
func (o *DDPSGD) Kappa(net *layers.Network) (kw, kb [][]float32) {
	if net == nil {
		panic(errNilNet)
	}
	if !(o.Alpha >= 0 && o.Alpha <= 1) {
		panic(errAlpha)
	}
	x := net.LastInput()
	if x.Rows == 0 {
		panic(errNoBatch)
	}
	s := &o.st
	s.prepare(net, x.Rows, o.Momentum != nil)
	s.kappa(net, x, o.Alpha)
	return s.kw, s.kb
}

// ddpState holds DDP-SGD's buffers; the comments use the thesis's layer
// index i = 1..d (dense layer i-1).
type ddpState struct {
	sizes []int
	rows  int
	a     []blas32.General // a[i]: input of layer i+1 (a[0] is the batch)
	z     []blas32.General // z[i]: pre-activations of layer i (i = 1..d)
	s     []blas32.General // s[i]: S of layer i per example
	sq    blas32.General   // squares of a layer's inputs
	ea2   []float64        // E[a_u^2] of the layer being processed
	ez2   [][]float64      // E[z_v^2]
	gam2  [][]float64      // gamma_u^2, i = 0..d
	gt    [][]float64      // damped backward vectors, i = 1..d
	q     [][]float64      // (W_(i+1)^2)^T gt_(i+1), i = 1..d-1
	jac   [2][]float32     // seed Jacobians
	kw    [][]float32
	kb    [][]float32
	vel   [][]float32
	upd   ddpUpdate
}

// maxSeedRows bounds the rows of a seed-Jacobian chunk.
const maxSeedRows = 4096

func (s *ddpState) prepare(net *layers.Network, rows int, momentum bool) {
	dense := net.Dense()
	d := len(dense)
	if s.sizes != nil {
		if len(s.sizes) != d+1 || s.sizes[0] != dense[0].InSize() {
			panic(errOptimNet)
		}
		for i, l := range dense {
			if s.sizes[i+1] != l.OutSize() || s.sizes[i] != l.InSize() {
				panic(errOptimNet)
			}
		}
	} else {
		s.sizes = make([]int, d+1)
		s.sizes[0] = dense[0].InSize()
		for i, l := range dense {
			s.sizes[i+1] = l.OutSize()
		}
		s.ez2, s.gam2 = make([][]float64, d+1), make([][]float64, d+1)
		s.gt, s.q = make([][]float64, d+1), make([][]float64, d+1)
		widest := 0
		for i, h := range s.sizes {
			s.ez2[i], s.gam2[i] = make([]float64, h), make([]float64, h)
			s.gt[i], s.q[i] = make([]float64, h), make([]float64, h)
			widest = max(widest, h)
		}
		s.ea2 = make([]float64, widest)
		s.kw, s.kb = make([][]float32, d), make([][]float32, d)
		for i, l := range dense {
			s.kw[i], s.kb[i] = hugepage.Float32s(len(l.W.Data)), make([]float32, len(l.B))
		}
	}
	if momentum && s.vel == nil {
		s.vel = make([][]float32, 2*d)
		for i, l := range dense {
			s.vel[2*i], s.vel[2*i+1] = hugepage.Float32s(len(l.W.Data)), make([]float32, len(l.B))
		}
	}
	if rows > s.rows {
		s.rows = rows
		s.a, s.z, s.s = make([]blas32.General, d+1), make([]blas32.General, d+1), make([]blas32.General, d+1)
		widest := 0
		for i, h := range s.sizes {
			widest = max(widest, h)
			if i > 0 {
				s.z[i] = matrix(rows, h)
				s.s[i] = matrix(rows, h)
				if i < d {
					s.a[i] = matrix(rows, h)
				}
			}
		}
		s.sq = matrix(rows, widest)
		n := 0
		for j := 3; j <= d; j++ {
			chunk := max(1, maxSeedRows/s.sizes[j])
			for l := 1; l < j; l++ {
				n = max(n, min(chunk, rows)*s.sizes[j]*s.sizes[l])
			}
		}
		s.jac[0], s.jac[1] = make([]float32, n), make([]float32, n)
	}
}

func matrix(rows, cols int) blas32.General {
	return blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: make([]float32, rows*cols)}
}

// rowsOf returns the first rows rows of m.
func rowsOf(m blas32.General, rows int) blas32.General {
	m.Rows = rows
	m.Data = m.Data[:max(0, (rows-1)*m.Stride+m.Cols)]
	return m
}

// kappa fills kw and kb for the batch x.
func (s *ddpState) kappa(net *layers.Network, x blas32.General, alpha float64) {
	dense := net.Dense()
	d := len(dense)
	n := x.Rows
	// Forward pass (inference) and the second moments E[z_v^2].
	a := x
	for i := 1; i <= d; i++ {
		l := dense[i-1]
		z := rowsOf(s.z[i], n)
		blas.Affine32(gblas.NoTrans, gblas.Trans, a, l.W, l.B, false, z)
		meanSquares(s.ez2[i], z)
		if i < d {
			next := rowsOf(s.a[i], n)
			asm.Relu(next.Data, z.Data)
			a = next
		}
	}
	// gamma_i^2 = alpha E[z_i^2] + (1-alpha) ((W_i^2) gamma_(i-1)^2 + b_i^2).
	fill(s.gam2[0], 1)
	for i := 1; i < d; i++ {
		l := dense[i-1]
		asm.PathMV(s.gam2[i], l.W.Data, l.W.Stride, s.gam2[i-1])
		for v, b := range l.B {
			s.gam2[i][v] = alpha*s.ez2[i][v] + (1-alpha)*(s.gam2[i][v]+float64(b)*float64(b))
		}
	}
	// gt_d = 1, q_i = (W_(i+1)^2)^T gt_(i+1), gt_i = (1-alpha) q_i.
	fill(s.gt[d], 1)
	for i := d - 1; i >= 1; i-- {
		l := dense[i]
		asm.PathMTV(s.q[i], l.W.Data, l.W.Stride, s.gt[i+1])
		for v, q := range s.q[i] {
			s.gt[i][v] = (1 - alpha) * q
		}
	}
	// S_i = gt_i + m_i q_i (the layer above) + the seed Jacobians from
	// layers two or more above.
	for i := 1; i <= d; i++ {
		si := rowsOf(s.s[i], n)
		for r := 0; r < n; r++ {
			row := si.Data[r*si.Stride : r*si.Stride+si.Cols]
			for v := range row {
				t := s.gt[i][v]
				if i < d && s.z[i].Data[r*s.z[i].Stride+v] > 0 {
					t += s.q[i][v]
				}
				row[v] = float32(t)
			}
		}
	}
	for j := 3; j <= d; j++ {
		if allZero(s.gt[j]) {
			continue
		}
		s.seedJacobians(dense, j, n)
	}
	// kappa_i = alpha/n S_i^T (a_(i-1)∘a_(i-1)) + (1-alpha) gt_i gamma_(i-1)^2 ^T.
	a = x
	for i := 1; i <= d; i++ {
		l := dense[i-1]
		sq := blas32.General{Rows: n, Cols: l.InSize(), Stride: l.InSize(), Data: s.sq.Data[:n*l.InSize()]}
		for r := 0; r < n; r++ {
			src := a.Data[r*a.Stride : r*a.Stride+a.Cols]
			dst := sq.Data[r*sq.Stride : r*sq.Stride+sq.Cols]
			for u, v := range src {
				dst[u] = v * v
			}
		}
		kw := blas32.General{Rows: l.OutSize(), Cols: l.InSize(), Stride: l.InSize(), Data: s.kw[i-1]}
		si := rowsOf(s.s[i], n)
		if alpha > 0 {
			blas.Gemm32(gblas.Trans, gblas.NoTrans, float32(alpha/float64(n)), si, sq, 0, kw)
		} else {
			clear(kw.Data)
		}
		if alpha < 1 {
			for v := 0; v < kw.Rows; v++ {
				row := kw.Data[v*kw.Stride : v*kw.Stride+kw.Cols]
				c := (1 - alpha) * s.gt[i][v]
				for u := range row {
					row[u] += float32(c * s.gam2[i-1][u])
				}
			}
		}
		kb := s.kb[i-1]
		for v := range kb {
			m := 0.0
			for r := 0; r < n; r++ {
				m += float64(si.Data[r*si.Stride+v])
			}
			kb[v] = float32(alpha*m/float64(n) + (1-alpha)*s.gt[i][v])
		}
		if i < d {
			a = rowsOf(s.a[i], n)
		}
	}
}

// seedJacobians adds to S_l, for every layer l <= j-2, the terms
// gt_j[y] (dz_(j,y)/dz_(l,v))^2 of every unit y of layer j, by
// backpropagating one seed per (example, y) pair in chunks of examples.
func (s *ddpState) seedJacobians(dense []*layers.Dense, j, n int) {
	hj := s.sizes[j]
	chunk := max(1, min(n, maxSeedRows/hj))
	wj := dense[j-1].W
	for r0 := 0; r0 < n; r0 += chunk {
		r1 := min(n, r0+chunk)
		rows := (r1 - r0) * hj
		// D = dz_j/dz_(j-1): row (r, y) is W_j[y, :] masked by example r's
		// ReLU pattern in layer j-1.
		h := s.sizes[j-1]
		cur := blas32.General{Rows: rows, Cols: h, Stride: h, Data: s.jac[0][:rows*h]}
		zj1 := s.z[j-1]
		for r := r0; r < r1; r++ {
			mask := zj1.Data[r*zj1.Stride : r*zj1.Stride+h]
			for y := 0; y < hj; y++ {
				dst := cur.Data[((r-r0)*hj+y)*h : ((r-r0)*hj+y+1)*h]
				src := wj.Data[y*wj.Stride : y*wj.Stride+h]
				for v := range dst {
					if mask[v] > 0 {
						dst[v] = src[v]
					} else {
						dst[v] = 0
					}
				}
			}
		}
		buf := 1
		for l := j - 2; l >= 1; l-- {
			hl := s.sizes[l]
			next := blas32.General{Rows: rows, Cols: hl, Stride: hl, Data: s.jac[buf][:rows*hl]}
			blas.Gemm32(gblas.NoTrans, gblas.NoTrans, 1, cur, dense[l].W, 0, next)
			zl, sl := s.z[l], s.s[l]
			for r := r0; r < r1; r++ {
				mask := zl.Data[r*zl.Stride : r*zl.Stride+hl]
				acc := sl.Data[r*sl.Stride : r*sl.Stride+hl]
				for y := 0; y < hj; y++ {
					row := next.Data[((r-r0)*hj+y)*hl : ((r-r0)*hj+y+1)*hl]
					g := float32(s.gt[j][y])
					for v := range row {
						if mask[v] > 0 {
							acc[v] += g * row[v] * row[v]
						} else {
							row[v] = 0
						}
					}
				}
			}
			cur, buf = next, 1-buf
		}
	}
}

// meanSquares sets m[v] to the mean over the rows of z of z[.][v]^2.
func meanSquares(m []float64, z blas32.General) {
	clear(m)
	for r := 0; r < z.Rows; r++ {
		for v, x := range z.Data[r*z.Stride : r*z.Stride+z.Cols] {
			m[v] += float64(x) * float64(x)
		}
	}
	for v := range m {
		m[v] /= float64(z.Rows)
	}
}

func allZero(x []float64) bool {
	for _, v := range x {
		if v != 0 {
			return false
		}
	}
	return true
}

// update divides the gradients by kappa (0 where kappa = 0) and steps.
func (s *ddpState) update(net *layers.Network, lr, mu float32, momentum bool) {
	for i, p := range net.Params() {
		var v []float32
		if momentum {
			v = s.vel[i]
		}
		k := s.kw[p.Layer]
		if p.Name == "b" {
			k = s.kb[p.Layer]
		}
		s.upd = ddpUpdate{w: p.Value, g: p.Grad, k: k, v: v, lr: lr, mu: mu}
		blas.Run(&s.upd, blas.ElementwiseParts(len(p.Value)))
		s.upd = ddpUpdate{}
	}
}

// ddpUpdate is one tensor's DDP-SGD update, split for blas.Run.
type ddpUpdate struct {
	w, g, k, v []float32
	lr, mu     float32
}

// RunPart updates part part of parts of the tensor.
func (t *ddpUpdate) RunPart(part, parts int) {
	lo, hi := split(len(t.w), part, parts)
	w, g, k := t.w[lo:hi], t.g[lo:hi], t.k[lo:hi]
	if t.v == nil {
		for i := range w {
			if k[i] > 0 {
				w[i] -= t.lr * (g[i] / k[i])
			}
		}
		return
	}
	v := t.v[lo:hi]
	for i := range w {
		var step float32
		if k[i] > 0 {
			step = g[i] / k[i]
		}
		v[i] = t.mu*v[i] + step
		w[i] -= t.lr * v[i]
	}
}

// vel returns the velocity buffers of the update rule Alpha selects.
func (o *DDPSGD) vel() *[][]float32 {
	if o.Alpha == 0 && !o.general {
		return &o.path.vel
	}
	return &o.st.vel
}

// SaveState writes the velocity (none without momentum or before the first
// Step) in the layers package's optimizer state format, so that
// layers.Train saves it in every checkpoint.
func (o *DDPSGD) SaveState(w io.Writer) error {
	return layers.WriteOptimizerState(w, "ddpsgd", *o.vel())
}

// LoadState restores a velocity written by SaveState for a network of
// net's shape (with the same Alpha: 0 or not).
func (o *DDPSGD) LoadState(r io.Reader, net *layers.Network) error {
	bufs, err := layers.ReadOptimizerState(r, "ddpsgd", net)
	if err != nil {
		return err
	}
	*o.vel() = bufs
	return nil
}

// Validate reports a missing learning-rate schedule or an Alpha outside
// [0, 1] (layers.Train calls it before the first step).
func (o *DDPSGD) Validate() error {
	if o.LR == nil {
		return errors.New("pathsgd: DDPSGD has no learning-rate schedule (LR is nil)")
	}
	if !(o.Alpha >= 0 && o.Alpha <= 1) {
		return fmt.Errorf("pathsgd: DDPSGD Alpha %v outside [0, 1]", o.Alpha)
	}
	return nil
}
