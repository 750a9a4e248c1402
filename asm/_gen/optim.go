package main

// optimKernel describes one optimizer update for the NEON generator. The
// parameters w are at R0 (loaded without post-increment, stored with it), the
// gradient g at R1, the optional state (v or h) at R2; R9 counts elements.
// Block t (0..3) of w is in V(t), of g in V(4+t), of the state in V(8+t);
// V12-V19 are temporaries, V28-V30 the broadcast scalars.
type optimKernel struct {
	name   string
	args   int
	doc    string
	state  string   // name of the state slice, "" for none
	scalar []string // scalar argument names, broadcast into V28, V29, ...
	soff   int      // frame offset of the first scalar
	op     func(f *asmFile, count int)
}

func genOptim() *asmFile {
	f := newFile(`
Optimizer updates on whole float32 slices (any length, any alignment): see
optim.go for the reference loops. Products and sums are separate, rounded
instructions in the reference's order (no fused multiply-add), so the
results are the reference's bits. A single tail element is loaded with FMOVS,
which clears the other lanes, and goes through the same vector instructions.`)

	// t = wd*w; t = g + t; t = lr*t; w = w - t
	sgd := optimKernel{
		name: "sgdNEONAsm", args: 56, soff: 48, scalar: []string{"lr", "wd"},
		doc: `
func sgdNEONAsm(w, g []float32, lr, wd float32)
w = w - lr*(g + wd*w), lr in V28, wd in V29, t in V12-V15.`,
		op: func(f *asmFile, n int) {
			for t := 0; t < n; t++ {
				f.w(fmul(s4, 12+t, 29, t))
			}
			for t := 0; t < n; t++ {
				f.w(fadd(s4, 12+t, 4+t, 12+t))
			}
			for t := 0; t < n; t++ {
				f.w(fmul(s4, 12+t, 28, 12+t))
			}
			for t := 0; t < n; t++ {
				f.w(fsub(s4, t, t, 12+t))
			}
		},
	}
	// t = wd*w; t = g + t; v = mu*v; v = v + t; t = lr*v; w = w - t
	mom := optimKernel{
		name: "sgdMomentumNEONAsm", args: 84, soff: 72, state: "v", scalar: []string{"lr", "mu", "wd"},
		doc: `
func sgdMomentumNEONAsm(w, g, v []float32, lr, mu, wd float32)
v = mu*v + (g + wd*w), then w = w - lr*v; lr, mu, wd in V28-V30, t in V12-V15.`,
		op: func(f *asmFile, n int) {
			for t := 0; t < n; t++ {
				f.w(fmul(s4, 12+t, 30, t))
			}
			for t := 0; t < n; t++ {
				f.w(fadd(s4, 12+t, 4+t, 12+t))
			}
			for t := 0; t < n; t++ {
				f.w(fmul(s4, 8+t, 29, 8+t))
			}
			for t := 0; t < n; t++ {
				f.w(fadd(s4, 8+t, 8+t, 12+t))
			}
			for t := 0; t < n; t++ {
				f.w(fmul(s4, 12+t, 28, 8+t))
			}
			for t := 0; t < n; t++ {
				f.w(fsub(s4, t, t, 12+t))
			}
		},
	}
	// t = g*g; h = h + t; s = sqrt(h); s = s + eps; u = lr*g; u = u/s; w = w - u
	ada := optimKernel{
		name: "adaGradNEONAsm", args: 80, soff: 72, state: "h", scalar: []string{"lr", "eps"},
		doc: `
func adaGradNEONAsm(w, g, h []float32, lr, eps float32)
h = h + g*g, then w = w - (lr*g)/(sqrt(h) + eps); lr, eps in V28, V29, the
square root in V12-V15, the step in V16-V19.`,
		op: func(f *asmFile, n int) {
			for t := 0; t < n; t++ {
				f.w(fmul(s4, 12+t, 4+t, 4+t))
			}
			for t := 0; t < n; t++ {
				f.w(fadd(s4, 8+t, 8+t, 12+t))
			}
			for t := 0; t < n; t++ {
				f.w(fsqrt(s4, 12+t, 8+t))
			}
			for t := 0; t < n; t++ {
				f.w(fadd(s4, 12+t, 12+t, 29))
			}
			for t := 0; t < n; t++ {
				f.w(fmul(s4, 16+t, 28, 4+t))
			}
			for t := 0; t < n; t++ {
				f.w(fdiv(s4, 16+t, 16+t, 12+t))
			}
			for t := 0; t < n; t++ {
				f.w(fsub(s4, t, t, 16+t))
			}
		},
	}
	for _, k := range []optimKernel{sgd, mom, ada} {
		k.gen(f)
	}
	return f
}

// gen emits the kernel: 16 elements per iteration, then 4, then one.
func (k optimKernel) gen(f *asmFile) {
	f.text(k.name, k.args, k.doc)
	f.in("MOVD w_base+0(FP), R0")
	f.in("MOVD w_len+8(FP), R9")
	f.in("MOVD g_base+24(FP), R1")
	if k.state != "" {
		f.in("MOVD %s_base+48(FP), R2", k.state)
	}
	for i, name := range k.scalar {
		f.in("FMOVS %s+%d(FP), F%d", name, k.soff+4*i, 28+i)
		f.in("VDUP V%d.S[0], V%d.S4", 28+i, 28+i)
	}
	f.in("LSR $4, R9, R10")
	f.in("CBZ R10, blk4")

	f.label("loop16")
	f.in("VLD1 (R0), %s", vlist(0, 4, s4))
	f.in("VLD1.P 64(R1), %s", vlist(4, 4, s4))
	if k.state != "" {
		f.in("VLD1 (R2), %s", vlist(8, 4, s4))
	}
	k.op(f, 4)
	if k.state != "" {
		f.in("VST1.P %s, 64(R2)", vlist(8, 4, s4))
	}
	f.in("VST1.P %s, 64(R0)", vlist(0, 4, s4))
	f.in("SUBS $1, R10, R10")
	f.in("BNE loop16")

	f.label("blk4")
	f.in("AND $15, R9, R9")
	f.in("LSR $2, R9, R10")
	f.in("CBZ R10, tail")
	f.label("loop4")
	f.in("VLD1 (R0), %s", vlist(0, 1, s4))
	f.in("VLD1.P 16(R1), %s", vlist(4, 1, s4))
	if k.state != "" {
		f.in("VLD1 (R2), %s", vlist(8, 1, s4))
	}
	k.op(f, 1)
	if k.state != "" {
		f.in("VST1.P %s, 16(R2)", vlist(8, 1, s4))
	}
	f.in("VST1.P %s, 16(R0)", vlist(0, 1, s4))
	f.in("SUBS $1, R10, R10")
	f.in("BNE loop4")

	f.label("tail")
	f.in("AND $3, R9, R9")
	f.in("CBZ R9, done")
	f.label("loop1")
	f.in("FMOVS (R0), F0")
	f.in("FMOVS.P 4(R1), F4")
	if k.state != "" {
		f.in("FMOVS (R2), F8")
	}
	k.op(f, 1)
	if k.state != "" {
		f.in("FMOVS.P F8, 4(R2)")
	}
	f.in("FMOVS.P F0, 4(R0)")
	f.in("SUBS $1, R9, R9")
	f.in("BNE loop1")
	f.label("done")
	f.in("RET")
}
