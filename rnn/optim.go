package rnn

import (
	"fmt"

	"github.com/fastpath-go/fastpath/asm"
)

// Optimizer updates a model's parameters from the gradients of its last
// Gradient call (possibly clipped). Implementations size their state on the
// first Step and allocate nothing after.
type Optimizer interface {
	Step(m *Model)
}

// SGD is stochastic gradient descent with optional heavy-ball momentum, on
// the update kernels of package asm. Per parameter w with gradient g and
// velocity v (starting at zero):
//
//	Momentum == 0: w -= LR * g
//	otherwise:     v = Momentum*v + g;  w -= LR * v
//
// LR and Momentum may be changed between steps.
type SGD struct {
	LR, Momentum float32

	vel [][]float32
}

// Step applies one update to m.
func (o *SGD) Step(m *Model) {
	if m == nil {
		panic(errNilModel)
	}
	ps := m.Params()
	if o.Momentum == 0 {
		for _, p := range ps {
			asm.SGD(p.Value, p.Grad, o.LR, 0)
		}
		return
	}
	o.vel = state(o.vel, ps)
	for i, p := range ps {
		asm.SGDMomentum(p.Value, p.Grad, o.vel[i], o.LR, o.Momentum, 0)
	}
}

// PathSGD is RNN-Path: steepest descent in the geometry of the path
// regularizer of the unrolled network, approximated by its diagonal kappa1
// (see doc.go). Per parameter w with gradient g:
//
//	s = g / kappa1(w)           (s = 0 where kappa1(w) = 0)
//	Momentum == 0: w -= LR * s
//	otherwise:     v = Momentum*v + s;  w -= LR * v
//
// kappa1 is recomputed from the current weights at every Step, for the
// sequence length and output steps of the model's last Gradient call, with
// Model.Kappa1 (O(steps * #params), independent of the batch size). The
// division is done in float64 and rounded once; the update then runs on
// asm.SGD or asm.SGDMomentum. Without gradient clipping the trajectory is
// invariant to node rescaling of the initial model: from m.Rescale(s) it is
// the rescaled trajectory, step by step.
type PathSGD struct {
	LR, Momentum float32
	// WithKappa2 adds kappa2 to kappa1 for W_rec (the full diagonal of the
	// path regularizer's Hessian, which the thesis drops for its cost):
	// Model.Kappa2 at every Step, O(T H^3 + T^2 H^2) and allocating, for
	// studying what the approximation loses at small T.
	WithKappa2 bool
	// Kappa holds the scaling used by the last Step (kappa1, plus kappa2
	// in Rec with WithKappa2).
	Kappa Kappa

	scaled [][]float32 // preconditioned gradients
	vel    [][]float32
}

// Step applies one RNN-Path update to m. It panics if m has no gradient
// yet.
func (o *PathSGD) Step(m *Model) {
	if m == nil {
		panic(errNilModel)
	}
	if m.gradSteps == 0 {
		panic(errNoGradient)
	}
	ps := m.Params()
	o.scaled = state(o.scaled, ps)
	m.Kappa1(&o.Kappa, m.gradSteps, m.gradOutputs)
	if o.WithKappa2 {
		for i, k2 := range m.Kappa2(m.gradSteps, m.gradOutputs) {
			o.Kappa.Rec[i] += k2
		}
	}
	o.precondition(m)
	if o.Momentum != 0 {
		o.vel = state(o.vel, ps)
	}
	for i, p := range ps {
		if o.Momentum == 0 {
			asm.SGD(p.Value, o.scaled[i], o.LR, 0)
		} else {
			asm.SGDMomentum(p.Value, o.scaled[i], o.vel[i], o.LR, o.Momentum, 0)
		}
	}
}

// div returns g/kappa rounded to float32, or 0 where kappa is 0 (a weight
// on no path, whose gradient is zero too).
func div(g float32, kappa float64) float32 {
	if kappa == 0 {
		return 0
	}
	return float32(float64(g) / kappa)
}

// precondition writes the gradients divided by kappa1 into o.scaled, in
// the order of m.Params (W, b, Wout, c).
func (o *PathSGD) precondition(m *Model) {
	c := m.cfg
	h, k := c.Hidden, c.In+c.Hidden
	kp := &o.Kappa
	dw, sw := m.DW.Data, o.scaled[0]
	for v := 0; v < h; v++ {
		in := kp.In[v]
		row, dst := dw[v*k:(v+1)*k], sw[v*k:(v+1)*k]
		for j, g := range row[:c.In] {
			dst[j] = div(g, in)
		}
		rec := kp.Rec[v*h : (v+1)*h]
		for u, g := range row[c.In:] {
			dst[c.In+u] = div(g, rec[u])
		}
	}
	for v, g := range m.DB {
		o.scaled[1][v] = div(g, kp.In[v])
	}
	for r := 0; r < c.Out; r++ {
		dst := o.scaled[2][r*h : (r+1)*h]
		for v, g := range m.DWout.Data[r*h : (r+1)*h] {
			dst[v] = div(g, kp.Out[v])
		}
	}
	for i, g := range m.DC {
		o.scaled[3][i] = div(g, kp.C)
	}
}

// state returns per-parameter buffers for ps, allocating zeros the first
// time and panicking if existing buffers do not match ps's shapes.
func state(s [][]float32, ps []Param) [][]float32 {
	if s == nil {
		s = make([][]float32, len(ps))
		for i, p := range ps {
			s[i] = make([]float32, len(p.Value))
		}
		return s
	}
	if len(s) != len(ps) {
		panic(errOptimizerNet)
	}
	for i, p := range ps {
		if len(s[i]) != len(p.Value) {
			panic(errOptimizerNet)
		}
	}
	return s
}

// Velocity returns the optimizer's momentum buffers, one per parameter of
// Model.Params (nil before the first Step with momentum, or without
// momentum): the state a checkpoint keeps.
func (o *SGD) Velocity() [][]float32 { return o.vel }

// SetVelocity restores momentum buffers saved with Velocity for m (nil:
// none yet), copying them. Buffers that do not fit m's parameters are an
// error.
func (o *SGD) SetVelocity(m *Model, v [][]float32) error {
	vel, err := copyState(m, v)
	if err == nil {
		o.vel = vel
	}
	return err
}

// Velocity returns the optimizer's momentum buffers (see SGD.Velocity).
func (o *PathSGD) Velocity() [][]float32 { return o.vel }

// SetVelocity restores momentum buffers saved with Velocity for m (see
// SGD.SetVelocity).
func (o *PathSGD) SetVelocity(m *Model, v [][]float32) error {
	vel, err := copyState(m, v)
	if err == nil {
		o.vel = vel
	}
	return err
}

// copyState copies v after checking it against m's parameter shapes.
func copyState(m *Model, v [][]float32) ([][]float32, error) {
	if v == nil {
		return nil, nil
	}
	ps := m.Params()
	if len(v) != len(ps) {
		return nil, fmt.Errorf("rnn: optimizer state for %d parameters, the model has %d", len(v), len(ps))
	}
	out := make([][]float32, len(v))
	for i, p := range ps {
		if len(v[i]) != len(p.Value) {
			return nil, fmt.Errorf("rnn: optimizer state of %d values for parameter %s of %d", len(v[i]), p.Name, len(p.Value))
		}
		out[i] = append([]float32(nil), v[i]...)
	}
	return out, nil
}
