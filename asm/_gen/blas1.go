package main

import "fmt"

func genBlas1() *asmFile {
	f := newFile(`
Level-1 kernels (dot, axpy) on whole slices: see blas1.go for the reference
loops. The wrappers have checked that len(x) == len(y).`)
	genDot(f, "sdotNEONAsm", s4)
	genDot(f, "ddotNEONAsm", d2)
	genAxpy(f, "saxpyNEONAsm", s4)
	genAxpy(f, "daxpyNEONAsm", d2)
	return f
}

type precInfo struct {
	goType  string // float32 or float64
	lanes   int
	log     int    // log2(lanes)
	esize   int    // bytes
	fmov    string // FMOVS or FMOVD
	fmadd   string // FMADDS or FMADDD
	lane0   string // "S[0]" or "D[0]"
	retSize int
}

func info(a arr) precInfo {
	if a == d2 {
		return precInfo{"float64", 2, 1, 8, "FMOVD", "FMADDD", "D[0]", 8}
	}
	return precInfo{"float32", 4, 2, 4, "FMOVS", "FMADDS", "S[0]", 4}
}

func log2(n int) int {
	l := 0
	for 1<<l < n {
		l++
	}
	if 1<<l != n {
		panic("not a power of two")
	}
	return l
}

// genDot emits a dot product with eight vector accumulators (V16-V23): x in
// V0-V7 and y in V8-V15, eight vectors of each per iteration, then one vector
// at a time into V16, then a pairwise reduction and a scalar tail in F16.
func genDot(f *asmFile, name string, a arr) {
	p := info(a)
	block := 8 * p.lanes
	f.text(name, 48+p.retSize, fmt.Sprintf(`
func %s(x, y []%s) %s
Eight accumulators, %d elements per iteration.`, name, p.goType, p.goType, block))
	f.in("MOVD x_base+0(FP), R0")
	f.in("MOVD x_len+8(FP), R2")
	f.in("MOVD y_base+24(FP), R1")
	f.zero(16, 8)
	f.in("LSR $%d, R2, R3", log2(block))
	f.in("CBZ R3, vec1")
	f.label("loop8")
	f.in("VLD1.P 64(R0), %s", vlist(0, 4, a))
	f.in("VLD1.P 64(R0), %s", vlist(4, 4, a))
	f.in("VLD1.P 64(R1), %s", vlist(8, 4, a))
	f.in("VLD1.P 64(R1), %s", vlist(12, 4, a))
	for t := 0; t < 8; t++ {
		f.in("VFMLA %s, %s, %s", v(8+t, a), v(t, a), v(16+t, a))
	}
	f.in("SUBS $1, R3, R3")
	f.in("BNE loop8")

	f.label("vec1")
	f.in("AND $%d, R2, R2", block-1)
	f.in("LSR $%d, R2, R3", p.log)
	f.in("CBZ R3, reduce")
	f.label("loop1v")
	f.in("VLD1.P 16(R0), %s", vlist(0, 1, a))
	f.in("VLD1.P 16(R1), %s", vlist(8, 1, a))
	f.in("VFMLA %s, %s, %s", v(8, a), v(0, a), v(16, a))
	f.in("SUBS $1, R3, R3")
	f.in("BNE loop1v")

	f.label("reduce")
	f.w(fadd(a, 16, 16, 17), fadd(a, 18, 18, 19), fadd(a, 20, 20, 21), fadd(a, 22, 22, 23))
	f.w(fadd(a, 16, 16, 18), fadd(a, 20, 20, 22), fadd(a, 16, 16, 20))
	if a == s4 {
		f.w(faddp(a, 16, 16, 16))
	}
	f.w(faddpScalar(a, 16, 16))
	f.in("AND $%d, R2, R2", p.lanes-1)
	f.in("CBZ R2, done")
	f.label("scalar")
	f.in("%s.P %d(R0), F0", p.fmov, p.esize)
	f.in("%s.P %d(R1), F1", p.fmov, p.esize)
	f.in("%s F1, F16, F0, F16", p.fmadd)
	f.in("SUBS $1, R2, R2")
	f.in("BNE scalar")
	f.label("done")
	f.in("%s F16, ret+48(FP)", p.fmov)
	f.in("RET")
}

// genAxpy emits y += alpha*x: alpha broadcast in V31, x in V0-V3, y in
// V4-V7, four vectors per iteration, then one vector, then scalars.
func genAxpy(f *asmFile, name string, a arr) {
	p := info(a)
	block := 4 * p.lanes
	f.text(name, 56, fmt.Sprintf(`
func %s(alpha %s, x, y []%s)`, name, p.goType, p.goType))
	f.in("%s alpha+0(FP), F31", p.fmov)
	f.in("VDUP V31.%s, %s", p.lane0, v(31, a))
	f.in("MOVD x_base+8(FP), R0")
	f.in("MOVD x_len+16(FP), R2")
	f.in("MOVD y_base+32(FP), R1")
	f.in("LSR $%d, R2, R3", log2(block))
	f.in("CBZ R3, vec1")
	f.label("loop4")
	f.in("VLD1.P 64(R0), %s", vlist(0, 4, a))
	f.in("VLD1 (R1), %s", vlist(4, 4, a))
	for t := 0; t < 4; t++ {
		f.in("VFMLA %s, %s, %s", v(t, a), v(31, a), v(4+t, a))
	}
	f.in("VST1.P %s, 64(R1)", vlist(4, 4, a))
	f.in("SUBS $1, R3, R3")
	f.in("BNE loop4")

	f.label("vec1")
	f.in("AND $%d, R2, R2", block-1)
	f.in("LSR $%d, R2, R3", p.log)
	f.in("CBZ R3, tail")
	f.label("loop1v")
	f.in("VLD1.P 16(R0), %s", vlist(0, 1, a))
	f.in("VLD1 (R1), %s", vlist(4, 1, a))
	f.in("VFMLA %s, %s, %s", v(0, a), v(31, a), v(4, a))
	f.in("VST1.P %s, 16(R1)", vlist(4, 1, a))
	f.in("SUBS $1, R3, R3")
	f.in("BNE loop1v")

	f.label("tail")
	f.in("AND $%d, R2, R2", p.lanes-1)
	f.in("CBZ R2, done")
	f.label("scalar")
	f.in("%s.P %d(R0), F0", p.fmov, p.esize)
	f.in("%s (R1), F1", p.fmov)
	f.in("%s F0, F1, F31, F1", p.fmadd)
	f.in("%s.P F1, %d(R1)", p.fmov, p.esize)
	f.in("SUBS $1, R2, R2")
	f.in("BNE scalar")
	f.label("done")
	f.in("RET")
}
