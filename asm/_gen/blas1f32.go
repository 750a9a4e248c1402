package main

func genBlas1F32() *asmFile {
	f := newFile(`
Unit-stride float32 Level-1 kernels behind Impl.SScal, SAsum, SSumSq and
ISamax: see blas1f32.go for the reference loops (sscalGeneric,
sasumGeneric, ssumSqGeneric, isamaxGeneric). The Go wrappers handle empty
slices and a NaN x[0] (isamax); every kernel here gets n > 0.`)
	genSscal(f)
	genSasum(f)
	genSsumSq(f)
	genIsamax(f)
	return f
}

// genSscal emits x[i] *= alpha: alpha broadcast in V31, x in V0-V3, sixteen
// elements per iteration, then four, then one. Plain multiplies: the
// reference's bits.
func genSscal(f *asmFile) {
	a := s4
	f.text("sscalNEONAsm", 24, `
func sscalNEONAsm(alpha float32, x *float32, n int)`)
	f.in("FMOVS alpha+0(FP), F31")
	f.in("VDUP V31.S[0], V31.S4")
	f.in("MOVD x+8(FP), R0")
	f.in("MOVD n+16(FP), R1")
	f.in("LSR $4, R1, R2")
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
	f.in("AND $15, R1, R2")
	f.in("LSR $2, R2, R2")
	f.in("CBZ R2, tail")
	f.label("loop1v")
	f.in("VLD1 (R0), %s", vlist(0, 1, a))
	f.w(fmul(a, 0, 0, 31))
	f.in("VST1.P %s, 16(R0)", vlist(0, 1, a))
	f.in("SUBS $1, R2, R2")
	f.in("BNE loop1v")
	f.label("tail")
	f.in("AND $3, R1, R2")
	f.in("CBZ R2, done")
	f.label("scalar")
	f.in("FMOVS (R0), F0")
	f.in("FMULS F31, F0, F0")
	f.in("FMOVS.P F0, 4(R0)")
	f.in("SUBS $1, R2, R2")
	f.in("BNE scalar")
	f.label("done")
	f.in("RET")
}

// reductionF32 emits a sum over n > 0 float32 elements with accs (4 or 8)
// vector accumulators V16.. of arrangement acc: sixteen elements per
// iteration (x in V0-V3; vec4(t) folds input vector t into the
// accumulators), then four at a time (vec4(0)), the pairwise reduction into
// F16, and up to three scalar elements (one() folds F0 into F16).
func reductionF32(f *asmFile, name string, args int, ret, doc string, acc arr, accs int, vec4 func(t int), one func()) {
	f.text(name, args, doc)
	f.in("MOVD x+0(FP), R0")
	f.in("MOVD n+8(FP), R1")
	f.zero(16, accs)
	f.in("LSR $4, R1, R2")
	f.in("CBZ R2, vec1")
	f.label("loop4")
	f.in("VLD1.P 64(R0), %s", vlist(0, 4, s4))
	for t := 0; t < 4; t++ {
		vec4(t)
	}
	f.in("SUBS $1, R2, R2")
	f.in("BNE loop4")
	f.label("vec1")
	f.in("AND $15, R1, R2")
	f.in("LSR $2, R2, R2")
	f.in("CBZ R2, reduce")
	f.label("loop1v")
	f.in("VLD1.P 16(R0), %s", vlist(0, 1, s4))
	vec4(0)
	f.in("SUBS $1, R2, R2")
	f.in("BNE loop1v")
	f.label("reduce")
	if accs == 8 {
		f.w(fadd(acc, 16, 16, 17), fadd(acc, 18, 18, 19), fadd(acc, 20, 20, 21), fadd(acc, 22, 22, 23))
		f.w(fadd(acc, 16, 16, 18), fadd(acc, 20, 20, 22), fadd(acc, 16, 16, 20))
	} else {
		f.w(fadd(acc, 16, 16, 17), fadd(acc, 18, 18, 19), fadd(acc, 16, 16, 18))
	}
	if acc == s4 {
		f.w(faddp(acc, 16, 16, 16))
	}
	f.w(faddpScalar(acc, 16, 16))
	f.in("AND $3, R1, R2")
	f.in("CBZ R2, done")
	f.label("scalar")
	f.in("FMOVS.P 4(R0), F0")
	one()
	f.in("SUBS $1, R2, R2")
	f.in("BNE scalar")
	f.label("done")
	f.in("%s F16, %s", info(acc).fmov, ret)
	f.in("RET")
}

// genSasum emits the float32 sum of |x[i]| (fabs, then fadd), input vector
// t of an iteration into accumulator V16+t.
func genSasum(f *asmFile) {
	reductionF32(f, "sasumNEONAsm", 20, "ret+16(FP)", `
func sasumNEONAsm(x *float32, n int) float32
Four float32 accumulators, 16 elements per iteration.`, s4, 4,
		func(t int) { f.w(fabs(s4, t, t), fadd(s4, 16+t, 16+t, t)) },
		func() {
			f.in("FABSS F0, F0")
			f.in("FADDS F0, F16, F16")
		})
}

// genSsumSq emits the float64 sum of float64(x[i])^2: each vector of four
// singles is widened into two vectors of doubles (fcvtl, fcvtl2: exact),
// V4+2t and V5+2t, and squared into accumulators V16+2t and V17+2t with
// fused multiply-adds; single elements are widened with FCVTSD.
func genSsumSq(f *asmFile) {
	reductionF32(f, "ssumSqNEONAsm", 24, "ret+16(FP)", `
func ssumSqNEONAsm(x *float32, n int) float64
Eight float64 accumulators, 16 elements per iteration.`, d2, 8,
		func(t int) {
			lo, hi := 4+2*t, 5+2*t
			f.w(fcvtl(lo, t), fcvtl2(hi, t))
			f.in("VFMLA %s, %s, %s", v(lo, d2), v(lo, d2), v(16+2*t, d2))
			f.in("VFMLA %s, %s, %s", v(hi, d2), v(hi, d2), v(17+2*t, d2))
		},
		func() {
			f.in("FCVTSD F0, F0")
			f.in("FMADDD F0, F16, F0, F16")
		})
}

// genIsamax emits isamaxNEONAsm in two passes, as idamaxNEONAsm (blas1inc.go)
// does on float64: the largest absolute value M, then the first index whose
// absolute value equals M.
//
// Pass 1 keeps four running maxima in V16-V19, starting from |x[0]| (not
// NaN: the wrapper returns 0 for a NaN x[0]). Each vector of |x| first goes
// through fmaxnm with itself, which turns a signalling NaN into a quiet one
// and leaves everything else alone; fmaxnm against the running maximum then
// ignores the quiet NaN, so a NaN never becomes the maximum, as in the
// reference (where |v| > m is false for a NaN). The maxima never hold a NaN,
// so their reduction (fmaxnm, then fmaxnmv across the four lanes) is exact.
// The up to three single elements left use the reference's comparison:
// fcmp and fcsel on GT (false when unordered).
//
// M is attained by some element, so pass 2 always finds one: sixteen
// elements at a time it compares |x| with M (fcmeq, false for NaN) and ORs
// the masks; the first block with a hit, and whatever is left after the
// blocks, is scanned element by element with fcmp (BEQ is not taken when
// unordered).
//
// Registers: R0 x, R1 n, R2 pointer, R3 index, R4 counter; x in V0-V3, M in
// F16 and broadcast in V31.
func genIsamax(f *asmFile) {
	a := s4
	f.text("isamaxNEONAsm", 24, `
func isamaxNEONAsm(x *float32, n int) int
n > 0 and x[0] is not NaN.`)
	f.in("MOVD x+0(FP), R0")
	f.in("MOVD n+8(FP), R1")
	f.in("FMOVS (R0), F16")
	f.in("FABSS F16, F16")
	f.in("VDUP V16.S[0], V16.S4")
	for r := 17; r < 20; r++ {
		f.in("VORR V16.B16, V16.B16, V%d.B16", r)
	}
	f.in("MOVD R0, R2")
	f.in("LSR $4, R1, R4")
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
	f.in("AND $15, R1, R4")
	f.in("LSR $2, R4, R4")
	f.in("CBZ R4, maxreduce")
	f.label("max1vloop")
	f.in("VLD1.P 16(R2), %s", vlist(0, 1, a))
	f.w(fabs(a, 0, 0), fmaxnm(a, 0, 0, 0), fmaxnm(a, 16, 16, 0))
	f.in("SUBS $1, R4, R4")
	f.in("BNE max1vloop")

	f.label("maxreduce")
	f.w(fmaxnm(a, 16, 16, 17), fmaxnm(a, 18, 18, 19), fmaxnm(a, 16, 16, 18), fmaxnmv(16, 16))
	f.in("ANDS $3, R1, R4")
	f.in("BEQ find")
	f.label("max1")
	f.in("FMOVS.P 4(R2), F0")
	f.in("FABSS F0, F0")
	f.in("FCMPS F16, F0")
	f.in("FCSELS GT, F0, F16, F16")
	f.in("SUBS $1, R4, R4")
	f.in("BNE max1")

	f.label("find")
	f.in("VDUP V16.S[0], V31.S4")
	f.in("MOVD R0, R2")
	f.in("MOVD $0, R3")
	f.in("LSR $4, R1, R4")
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
	f.in("ADD $16, R3, R3")
	f.in("SUBS $1, R4, R4")
	f.in("BNE find4")

	f.label("find1")
	f.in("CMP R1, R3")
	f.in("BGE none")
	f.in("FMOVS.P 4(R2), F0")
	f.in("FABSS F0, F0")
	f.in("FCMPS F16, F0")
	f.in("BEQ found")
	f.in("ADD $1, R3, R3")
	f.in("B find1")
	f.label("found")
	f.in("MOVD R3, ret+16(FP)")
	f.in("RET")
	f.label("none")
	f.comment("Not reached: M is some element's absolute value.")
	f.in("MOVD $0, ret+16(FP)")
	f.in("RET")
}
