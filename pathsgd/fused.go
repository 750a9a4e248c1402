package pathsgd

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/layers"
)

// Path-SGD fused into the weight-gradient products (layers.ScaledSGD).
//
// PathSGD.Step, after Network.Gradient, reads each weight gradient DW back
// from memory with W and the velocity. Network.TrainStep instead asks
// PlanStep, after the forward pass, for every layer's factors (the whole
// dynamic program on the weights the step starts from), takes the large
// layers' steps in their weight-gradient products (see layers' scaled.go)
// and lets FinishStep step the rest. The dynamic program reads each layer
// as Step's does: the layers other than the meeting layer m twice (once
// per direction), layer m once, for both f_m and g_(m-1) (asm.PathSums, the
// sums of Step's fused update without the update). The weights afterwards
// agree with Gradient followed by Step within a float32 product's rounding
// (the preconditioned gradient is rounded term by term; see scaled.go),
// and the factors are Step's up to the summation order of the path sums
// of the layers other than m (TestTrainStepFused).

// PlanStep computes the step's factors for every Dense layer of net from
// its current weights and fills plan for Network.TrainStep
// (layers.ScaledSGD). It reports false, planning nothing (TrainStep then
// runs Gradient and Step), without momentum or when the momentum is zero
// this epoch (as TrainStep does for SGD). Without momentum Step's update
// pass reads W and DW and writes W, computing the dynamic program's sums
// on the way, and a fused step would write DW all the same and add a pass
// for the sums: measured on Zen 5 (784-4000-4000-10, batch 100, steps
// timed alternately in one process, over SGD's), fused 1.08-1.10x against
// 1.09-1.12x unfused on two threads but 1.08x against 1.05x on one. It
// also declines networks whose largest layer fits in the cache (fusable).
// It panics as Step does.
func (o *PathSGD) PlanStep(net *layers.Network, plan []layers.ScaledStep) bool {
	if o.LR == nil {
		panic(errNoLR)
	}
	if net == nil {
		panic(errNilNet)
	}
	if net.Normalized() {
		panic(errNormNet)
	}
	if o.Momentum == nil {
		return false
	}
	mu := o.Momentum(o.epoch)
	if mu == 0 || !fusable(net) {
		return false
	}
	o.st.plan(net, o.LR(o.epoch), mu, true, plan)
	return true
}

// FinishStep steps the parameters of net whose step the weight-gradient
// products did not take (fused[i] false for net.Params()[i]): the biases,
// and the weights of the layers too small to fuse, with the factors of the
// last PlanStep (layers.ScaledSGD).
func (o *PathSGD) FinishStep(net *layers.Network, fused []bool) {
	s := &o.st
	dense := net.Dense()
	for i, p := range net.Params() {
		if fused[i] {
			continue
		}
		k := p.Layer
		l := dense[k]
		switch p.Name {
		case "W":
			var vw []float32
			if s.momentum {
				vw = s.vel[2*k]
			}
			s.upd = updateTask{w: l.W, g: l.DW.Data, v: vw, rs: s.lrs[k], cs: s.lcs[k], lr: s.lr, mu: s.mu, momentum: s.momentum}
			blas.Run(&s.upd, blas.ElementwiseParts(len(l.W.Data)))
			s.upd = updateTask{}
		case "b":
			if s.momentum {
				asm.PathSGDMomentum(nil, nil, l.B, l.DB, s.vel[2*k+1], len(l.B), s.one[:], s.lbc[k], nil, nil, s.lr, s.mu)
			} else {
				asm.PathSGD(nil, nil, l.B, l.DB, len(l.B), s.one[:], s.lbc[k], nil, nil)
			}
		}
	}
}

// fusable reports whether net's largest layer (the meeting layer) is at
// least twice the last-level cache: the fused step saves the traffic of
// DW to and from memory, at the price of a pass for the dynamic program's
// sums and of scaling the products' operands, and where the weights stay
// in cache the unfused update is cheaper. Measured on Zen 5 (4 MiB of L3
// reported), steps alternated in one process, over SGD-momentum's:
// 784-1000-1000-10 (4 MB meeting layer) on two threads fused 1.10-1.12x,
// unfused 0.98-1.02x, one thread 1.01-1.03x both; 784-4000-4000-10 (64 MB)
// on two threads fused 1.05-1.06x, unfused 1.09-1.10x, one thread 1.07x
// against 1.11x. Measured again for 784-1000-1000-10 (2026-12-05,
// seventeenth sitting, 300 rounds of the three steps in rotated order,
// medians): fused 1.03-1.04x against unfused 1.06-1.08x on one thread and
// level on two (1.08-1.11x), then, half an hour later, 1.035x against
// 1.028x and 1.084x against 1.040x: the host's drift exceeds the
// difference, so the bar stays.
func fusable(net *layers.Network) bool {
	dense := net.Dense()
	return 4*len(dense[meetingLayer(dense)-1].W.Data) >= fuseMinBytes
}

// fuseMinBytes is fusable's bar: twice the last-level cache (tests lower
// it).
var fuseMinBytes = func() int {
	_, _, l3 := asm.CacheSizes()
	return 2 * l3
}()

// plan runs the dynamic program on net's current weights: g_d..g_m and
// f_0..f_(m-1) by passes over the layers above and below the meeting layer
// m, f_m and g_(m-1) in one pass over layer m, then the other layers'
// remaining vectors; then it sets every layer's factors (as Step's
// updateLayer does) and its plan.
func (s *pathState) plan(net *layers.Network, lr, mu float32, momentum bool, plan []layers.ScaledStep) {
	dense := s.prepare(net, momentum)
	d := len(dense)
	m := meetingLayer(dense)
	s.lr, s.mu, s.momentum = lr, mu, momentum
	fill(s.g[d], 1)
	s.ge[d] = 0
	for i := d; i > m; i-- {
		s.dp.run(dpBackward, 2, dense[i-1].W, s.g[i-1], s.g[i])
		s.ge[i-1] = s.ge[i] + normalize(s.g[i-1])
	}
	fill(s.f[0], 1)
	s.fe[0] = 0
	for i := 1; i <= d; i++ {
		l := dense[i-1]
		switch {
		case i == m && m >= 2:
			s.upd = updateTask{w: l.W, x: s.f[m-1], y: s.f[m], u: s.g[m], part: s.colPart, sums: true}
			blas.Run(&s.upd, blas.ElementwiseParts(len(l.W.Data)))
			s.upd = updateTask{}
			s.sumColParts(s.g[m-1])
			s.ge[m-1] = s.ge[m] + normalize(s.g[m-1])
		default:
			s.dp.run(dpForward, 2, l.W, s.f[i], s.f[i-1])
		}
		addBias(s.f[i], l.B, 2, s.fe[i-1])
		s.fe[i] = s.fe[i-1] + normalize(s.f[i])
	}
	for i := m - 1; i >= 2; i-- {
		s.dp.run(dpBackward, 2, dense[i-1].W, s.g[i-1], s.g[i])
		s.ge[i-1] = s.ge[i] + normalize(s.g[i-1])
	}
	// As in step: without momentum the learning rate is folded into the
	// factors (and a fused product would step with rate 1).
	scale, rate := float64(lr), float32(1)
	if momentum {
		scale, rate = 1, lr
	}
	for i := 1; i <= d; i++ {
		k := i - 1
		weightFactors(s.lcs[k], s.lrs[k], s.f[i-1], s.g[i], scale, s.fe[i-1]+s.ge[i])
		biasFactors(s.lbc[k], s.g[i], scale, s.ge[i])
		plan[k] = layers.ScaledStep{RowScale: s.lrs[k], ColScale: s.lcs[k], LR: rate}
		if momentum {
			plan[k].Velocity, plan[k].Mu = s.vel[2*k], mu
		}
	}
}
