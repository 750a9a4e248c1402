package main

// operand is a slice argument of an elementwise kernel: its name and the
// frame offset of its base pointer.
type operand struct {
	name string
	off  int
}

// elementwise emits a float32 kernel over whole slices: a main loop of 16
// elements (four vectors per operand), a loop of 4, then single elements.
// The output pointer is R0, input i's pointer is R(1+i), the count (the
// output's length, the wrapper has checked the others) is R9. Input i is
// loaded into V(4i)..V(4i+3); op(count) must leave the result in
// V0..V(count-1) and may use V16-V31. A single element is loaded with FMOVS,
// which clears the other lanes, and goes through the same vector
// instructions as a block, so the tail computes exactly what the vector
// loop does. setup, if not nil, runs once before the loops.
func elementwise(f *asmFile, name string, args int, doc string, out operand, in []operand, setup func(), op func(count int)) {
	if len(in) > 2 {
		panic("too many inputs")
	}
	f.text(name, args, doc)
	f.in("MOVD %s_base+%d(FP), R0", out.name, out.off)
	f.in("MOVD %s_len+%d(FP), R9", out.name, out.off+8)
	for i, x := range in {
		f.in("MOVD %s_base+%d(FP), R%d", x.name, x.off, 1+i)
	}
	if setup != nil {
		setup()
	}
	f.in("LSR $4, R9, R10")
	f.in("CBZ R10, blk4")
	f.label("loop16")
	for i := range in {
		f.in("VLD1.P 64(R%d), %s", 1+i, vlist(4*i, 4, s4))
	}
	op(4)
	f.in("VST1.P %s, 64(R0)", vlist(0, 4, s4))
	f.in("SUBS $1, R10, R10")
	f.in("BNE loop16")

	f.label("blk4")
	f.in("AND $15, R9, R9")
	f.in("LSR $2, R9, R10")
	f.in("CBZ R10, tail")
	f.label("loop4")
	for i := range in {
		f.in("VLD1.P 16(R%d), %s", 1+i, vlist(4*i, 1, s4))
	}
	op(1)
	f.in("VST1.P %s, 16(R0)", vlist(0, 1, s4))
	f.in("SUBS $1, R10, R10")
	f.in("BNE loop4")

	f.label("tail")
	f.in("AND $3, R9, R9")
	f.in("CBZ R9, done")
	f.label("loop1")
	for i := range in {
		f.in("FMOVS.P 4(R%d), F%d", 1+i, 4*i)
	}
	op(1)
	f.in("FMOVS.P F0, 4(R0)")
	f.in("SUBS $1, R9, R9")
	f.in("BNE loop1")
	f.label("done")
	f.in("RET")
}

func genRelu() *asmFile {
	f := newFile(`
ReLU kernels on whole float32 slices (any length, any alignment): see
relu.go for the reference loops.`)

	elementwise(f, "reluNEONAsm", 48, `
func reluNEONAsm(dst, x []float32)
dst = x > 0 ? x : +0, as fcmgt #0.0 then and: exactly the reference for every
input. fmaxnm with zero is not: it returns a quiet NaN for a signaling-NaN
input (Arm FPMaxNum replaces only quiet NaNs), where the reference gives +0.`,
		operand{"dst", 0}, []operand{{"x", 24}}, nil, func(count int) {
			for t := 0; t < count; t++ {
				f.w(fcmgtz(s4, 16+t, t))
			}
			for t := 0; t < count; t++ {
				f.in("VAND V%d.B16, V%d.B16, V%d.B16", 16+t, t, t)
			}
		})

	elementwise(f, "reluBackwardNEONAsm", 72, `
func reluBackwardNEONAsm(dx, dy, y []float32)
dx = y > 0 ? dy : +0, as fcmgt #0.0 on y (V0-V3) then and with dy (V4-V7).`,
		operand{"dx", 0}, []operand{{"y", 48}, {"dy", 24}}, nil, func(count int) {
			for t := 0; t < count; t++ {
				f.w(fcmgtz(s4, t, t))
			}
			for t := 0; t < count; t++ {
				f.in("VAND V%d.B16, V%d.B16, V%d.B16", 4+t, t, t)
			}
		})

	elementwise(f, "biasReluNEONAsm", 72, `
func biasReluNEONAsm(dst, x, bias []float32)
dst = relu(x + bias): fadd, then fmaxnm with +0 (V31). fadd never returns a
signaling NaN, so fmaxnm maps every NaN and -0 to +0 like the reference.`,
		operand{"dst", 0}, []operand{{"x", 24}, {"bias", 48}},
		func() { f.zero(31, 1) },
		func(count int) {
			for t := 0; t < count; t++ {
				f.w(fadd(s4, t, t, 4+t))
			}
			for t := 0; t < count; t++ {
				f.w(fmaxnm(s4, t, t, 31))
			}
		})
	return f
}
