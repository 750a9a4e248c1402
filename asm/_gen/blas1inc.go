package main

func genBlas1Inc() *asmFile {
	f := newFile(`
Unit-stride level-1 kernels behind Impl.IDamax, DScalInc, DAsumInc and
DSumSqInc: see blas1.go for the reference loops (idamaxGeneric,
dscalIncGeneric, dasumIncGeneric, dsumSqIncGeneric with inc == 1). The Go
wrappers handle empty slices, a NaN x[0] (idamax) and increments other
than 1.`)
	genIdamax(f)
	genDscal(f)
	genDasum(f)
	genDsumSq(f)
	return f
}

// genIdamax emits idamaxNEONAsm in two passes, as the AVX2 kernel does: the
// largest absolute value M, then the first index whose absolute value
// equals M.
//
// Pass 1 keeps four running maxima in V16-V19, starting from |x[0]| (not
// NaN: the wrapper returns 0 for a NaN x[0]). Each vector of |x| first goes
// through fmaxnm with itself, which turns a signalling NaN into a quiet one
// and leaves everything else alone; fmaxnm against the running maximum then
// ignores the quiet NaN, so a NaN never becomes the maximum, as in the
// reference (where |v| > m is false for a NaN). The maxima never hold a NaN,
// so their reduction (fmaxnm, fmaxnmp) is exact. Single elements use the
// reference's comparison: fcmp and fcsel on GT (false when unordered).
//
// M is attained by some element, so pass 2 always finds one: eight elements
// at a time it compares |x| with M (fcmeq, false for NaN) and ORs the masks;
// the first block with a hit, and whatever is left after the blocks, is
// scanned element by element with fcmp (BEQ is not taken when unordered).
//
// Registers: R0 x, R1 n, R2 pointer, R3 index, R4 block counter; x in V0-V3,
// M in F16 and broadcast in V31.
func genIdamax(f *asmFile) {
	a := d2
	f.text("idamaxNEONAsm", 32, `
func idamaxNEONAsm(x []float64) int
len(x) > 0 and x[0] is not NaN.`)
	f.in("MOVD x_base+0(FP), R0")
	f.in("MOVD x_len+8(FP), R1")
	f.in("FMOVD (R0), F16")
	f.in("FABSD F16, F16")
	f.in("VDUP V16.D[0], V16.D2")
	for r := 17; r < 20; r++ {
		f.in("VORR V16.B16, V16.B16, V%d.B16", r)
	}
	f.in("MOVD R0, R2")
	f.in("LSR $3, R1, R4")
	f.in("CBZ R4, max1v")
	f.label("max4")
	f.in("VLD1.P 64(R2), %s", vlist(0, 4, a))
	for t := 0; t < 4; t++ {
		f.w(fabs(a, t, t))
	}
	for t := 0; t < 4; t++ {
		f.w(fmaxnm(a, t, t, t))
	}
	for t := 0; t < 4; t++ {
		f.w(fmaxnm(a, 16+t, 16+t, t))
	}
	f.in("SUBS $1, R4, R4")
	f.in("BNE max4")

	f.label("max1v")
	f.in("AND $7, R1, R4")
	f.in("LSR $1, R4, R4")
	f.in("CBZ R4, maxreduce")
	f.label("max1vloop")
	f.in("VLD1.P 16(R2), %s", vlist(0, 1, a))
	f.w(fabs(a, 0, 0), fmaxnm(a, 0, 0, 0), fmaxnm(a, 16, 16, 0))
	f.in("SUBS $1, R4, R4")
	f.in("BNE max1vloop")

	f.label("maxreduce")
	f.w(fmaxnm(a, 16, 16, 17), fmaxnm(a, 18, 18, 19), fmaxnm(a, 16, 16, 18), fmaxnmpScalar(a, 16, 16))
	f.in("TBZ $0, R1, find")
	f.in("FMOVD (R2), F0")
	f.in("FABSD F0, F0")
	f.in("FCMPD F16, F0")
	f.in("FCSELD GT, F0, F16, F16")

	f.label("find")
	f.in("VDUP V16.D[0], V31.D2")
	f.in("MOVD R0, R2")
	f.in("MOVD $0, R3")
	f.in("LSR $3, R1, R4")
	f.in("CBZ R4, find1")
	f.label("find4")
	f.in("VLD1 (R2), %s", vlist(0, 4, a))
	for t := 0; t < 4; t++ {
		f.w(fabs(a, t, t))
	}
	for t := 0; t < 4; t++ {
		f.w(fcmeq(a, t, t, 31))
	}
	f.in("VORR V1.B16, V0.B16, V0.B16")
	f.in("VORR V3.B16, V2.B16, V2.B16")
	f.in("VORR V2.B16, V0.B16, V0.B16")
	f.in("VMOV V0.D[0], R5")
	f.in("VMOV V0.D[1], R6")
	f.in("ORR R6, R5, R5")
	f.in("CBNZ R5, find1")
	f.in("ADD $64, R2, R2")
	f.in("ADD $8, R3, R3")
	f.in("SUBS $1, R4, R4")
	f.in("BNE find4")

	f.label("find1")
	f.in("CMP R1, R3")
	f.in("BGE none")
	f.in("FMOVD.P 8(R2), F0")
	f.in("FABSD F0, F0")
	f.in("FCMPD F16, F0")
	f.in("BEQ found")
	f.in("ADD $1, R3, R3")
	f.in("B find1")
	f.label("found")
	f.in("MOVD R3, ret+24(FP)")
	f.in("RET")
	f.label("none")
	f.comment("Not reached: M is some element's absolute value.")
	f.in("MOVD $0, ret+24(FP)")
	f.in("RET")
}

// genDscal emits x[i] *= alpha: alpha broadcast in V31, x in V0-V3, eight
// elements per iteration, then two, then one. Plain multiplies: the
// reference's bits.
func genDscal(f *asmFile) {
	a := d2
	f.text("dscalNEONAsm", 32, `
func dscalNEONAsm(alpha float64, x []float64)`)
	f.in("FMOVD alpha+0(FP), F31")
	f.in("VDUP V31.D[0], V31.D2")
	f.in("MOVD x_base+8(FP), R0")
	f.in("MOVD x_len+16(FP), R1")
	f.in("LSR $3, R1, R2")
	f.in("CBZ R2, vec1")
	f.label("loop4")
	f.in("VLD1 (R0), %s", vlist(0, 4, a))
	for t := 0; t < 4; t++ {
		f.w(fmul(a, t, t, 31))
	}
	f.in("VST1.P %s, 64(R0)", vlist(0, 4, a))
	f.in("SUBS $1, R2, R2")
	f.in("BNE loop4")
	f.label("vec1")
	f.in("AND $7, R1, R2")
	f.in("LSR $1, R2, R2")
	f.in("CBZ R2, tail")
	f.label("loop1v")
	f.in("VLD1 (R0), %s", vlist(0, 1, a))
	f.w(fmul(a, 0, 0, 31))
	f.in("VST1.P %s, 16(R0)", vlist(0, 1, a))
	f.in("SUBS $1, R2, R2")
	f.in("BNE loop1v")
	f.label("tail")
	f.in("TBZ $0, R1, done")
	f.in("FMOVD (R0), F0")
	f.in("FMULD F31, F0, F0")
	f.in("FMOVD F0, (R0)")
	f.label("done")
	f.in("RET")
}

// reduction emits a sum over a float64 slice with eight vector accumulators
// (V16-V23), sixteen elements per iteration (x in V0-V7), then two at a time
// into V16, the pairwise reduction into F16 and one scalar element. vec(t)
// adds vector t into accumulator 16+t; one(t) adds F0 into F16.
func reduction(f *asmFile, name, doc string, vec func(t int), one func()) {
	a := d2
	f.text(name, 32, doc)
	f.in("MOVD x_base+0(FP), R0")
	f.in("MOVD x_len+8(FP), R1")
	f.zero(16, 8)
	f.in("LSR $4, R1, R2")
	f.in("CBZ R2, vec1")
	f.label("loop8")
	f.in("VLD1.P 64(R0), %s", vlist(0, 4, a))
	f.in("VLD1.P 64(R0), %s", vlist(4, 4, a))
	for t := 0; t < 8; t++ {
		vec(t)
	}
	f.in("SUBS $1, R2, R2")
	f.in("BNE loop8")
	f.label("vec1")
	f.in("AND $15, R1, R2")
	f.in("LSR $1, R2, R2")
	f.in("CBZ R2, reduce")
	f.label("loop1v")
	f.in("VLD1.P 16(R0), %s", vlist(0, 1, a))
	vec(0)
	f.in("SUBS $1, R2, R2")
	f.in("BNE loop1v")
	f.label("reduce")
	f.w(fadd(a, 16, 16, 17), fadd(a, 18, 18, 19), fadd(a, 20, 20, 21), fadd(a, 22, 22, 23))
	f.w(fadd(a, 16, 16, 18), fadd(a, 20, 20, 22), fadd(a, 16, 16, 20))
	f.w(faddpScalar(a, 16, 16))
	f.in("TBZ $0, R1, done")
	f.in("FMOVD (R0), F0")
	one()
	f.label("done")
	f.in("FMOVD F16, ret+24(FP)")
	f.in("RET")
}

// genDasum emits the sum of |x[i]| (fabs, then fadd).
func genDasum(f *asmFile) {
	reduction(f, "dasumNEONAsm", `
func dasumNEONAsm(x []float64) float64
Eight accumulators, 16 elements per iteration.`,
		func(t int) { f.w(fabs(d2, t, t), fadd(d2, 16+t, 16+t, t)) },
		func() {
			f.in("FABSD F0, F0")
			f.in("FADDD F0, F16, F16")
		})
}

// genDsumSq emits the sum of x[i]*x[i] (fused multiply-adds).
func genDsumSq(f *asmFile) {
	reduction(f, "dsumSqNEONAsm", `
func dsumSqNEONAsm(x []float64) float64
Eight accumulators, 16 elements per iteration.`,
		func(t int) { f.in("VFMLA %s, %s, %s", v(t, d2), v(t, d2), v(16+t, d2)) },
		func() { f.in("FMADDD F0, F16, F0, F16") })
}
