package main

import "fmt"

func genGemv() *asmFile {
	f := newFile(`
Four-row GEMV and SYMV kernels: see gemv.go for the reference loops. The Go
wrappers have checked the arguments (four rows of n > 0 elements, lda apart,
and vectors of n elements).

Register use common to all six: R0 the elements left, R1 lda in bytes, R4-R7
the four row pointers (post-incremented), R8 the block counter. The main
loops take four vectors of each row per iteration (one 64-byte line), then
one vector at a time, then single elements in scalar registers (the low
lanes of the same V registers).`)
	genGemvN4(f, "sgemvN4NEONAsm", s4)
	genGemvN4(f, "dgemvN4NEONAsm", d2)
	genGemvT4(f, "sgemvT4NEONAsm", s4)
	genGemvT4(f, "dgemvT4NEONAsm", d2)
	genSymv4(f, "ssymv4NEONAsm", s4)
	genSymv4(f, "dsymv4NEONAsm", d2)
	return f
}

// gemvRows scales lda (R1) to bytes and points R5-R7 at rows 1-3 (row 0 is
// R4).
func gemvRows(f *asmFile, p precInfo) {
	f.in("LSL $%d, R1, R1", log2(p.esize))
	f.in("ADD R1, R4, R5")
	f.in("ADD R1, R5, R6")
	f.in("ADD R1, R6, R7")
}

// gemvAlphas loads the four alphas from (R) into V28-V31, broadcast (their
// low lanes are F28-F31 for the scalar tails).
func gemvAlphas(f *asmFile, p precInfo, a arr, r string) {
	for i := 0; i < 4; i++ {
		f.in("%s %d(%s), F%d", p.fmov, i*p.esize, r, 28+i)
		f.in("VDUP V%d.%s, %s", 28+i, p.lane0, v(28+i, a))
	}
}

// gemvReduce sums each row's accumulators acc(r)..acc(r)+count-1 (count 2 or
// 4) into the scalar register F(acc(r)), stage by stage across the rows.
func gemvReduce(f *asmFile, a arr, count int, acc func(r int) int) {
	if count == 4 {
		for r := 0; r < 4; r++ {
			b := acc(r)
			f.w(fadd(a, b, b, b+1), fadd(a, b+2, b+2, b+3))
		}
		for r := 0; r < 4; r++ {
			b := acc(r)
			f.w(fadd(a, b, b, b+2))
		}
	} else {
		for r := 0; r < 4; r++ {
			b := acc(r)
			f.w(fadd(a, b, b, b+1))
		}
	}
	if a == s4 {
		for r := 0; r < 4; r++ {
			b := acc(r)
			f.w(faddp(a, b, b, b))
		}
	}
	for r := 0; r < 4; r++ {
		b := acc(r)
		f.w(faddpScalar(a, b, b))
	}
}

// genGemvN4 emits y[r] = sum_j a[r*lda+j] * x[j] for four rows.
//
// x is in V0-V3; rows 0-2 are loaded into V4-V7, V8-V11, V12-V15 and row 3
// into V4-V7 again once row 0's multiply-adds have read them; row r
// accumulates in V(16+4r)..V(19+4r) (sixteen independent chains), reduced
// into F(16+4r) before the scalar tail.
func genGemvN4(f *asmFile, name string, a arr) {
	p := info(a)
	block := 4 * p.lanes
	f.text(name, 40, fmt.Sprintf(`
func %s(n int, a *%s, lda int, x *%s, y *[4]%s)
Sixteen accumulators (four per row), %d elements per iteration; R2 x, R3 y.`,
		name, p.goType, p.goType, p.goType, block))
	f.in("MOVD n+0(FP), R0")
	f.in("MOVD a+8(FP), R4")
	f.in("MOVD lda+16(FP), R1")
	f.in("MOVD x+24(FP), R2")
	f.in("MOVD y+32(FP), R3")
	gemvRows(f, p)
	f.zero(16, 16)
	f.in("LSR $%d, R0, R8", log2(block))
	f.in("CBZ R8, vec1")

	row := func(r, buf int) {
		for t := 0; t < 4; t++ {
			f.in("VFMLA %s, %s, %s", v(buf+t, a), v(t, a), v(16+4*r+t, a))
		}
	}
	f.label("loop4")
	f.in("VLD1.P 64(R2), %s", vlist(0, 4, a))
	f.in("VLD1.P 64(R4), %s", vlist(4, 4, a))
	f.in("VLD1.P 64(R5), %s", vlist(8, 4, a))
	f.in("VLD1.P 64(R6), %s", vlist(12, 4, a))
	row(0, 4)
	f.in("VLD1.P 64(R7), %s", vlist(4, 4, a))
	row(1, 8)
	row(2, 12)
	row(3, 4)
	f.in("SUBS $1, R8, R8")
	f.in("BNE loop4")

	f.label("vec1")
	f.in("AND $%d, R0, R0", block-1)
	f.in("LSR $%d, R0, R8", p.log)
	f.in("CBZ R8, reduce")
	f.label("loop1v")
	f.in("VLD1.P 16(R2), %s", vlist(0, 1, a))
	for r := 0; r < 4; r++ {
		f.in("VLD1.P 16(R%d), %s", 4+r, vlist(4+r, 1, a))
	}
	for r := 0; r < 4; r++ {
		f.in("VFMLA %s, %s, %s", v(4+r, a), v(0, a), v(16+4*r, a))
	}
	f.in("SUBS $1, R8, R8")
	f.in("BNE loop1v")

	f.label("reduce")
	gemvReduce(f, a, 4, func(r int) int { return 16 + 4*r })
	f.in("AND $%d, R0, R0", p.lanes-1)
	f.in("CBZ R0, store")
	f.label("scalar")
	f.in("%s.P %d(R2), F0", p.fmov, p.esize)
	for r := 0; r < 4; r++ {
		f.in("%s.P %d(R%d), F%d", p.fmov, p.esize, 4+r, 1+r)
	}
	for r := 0; r < 4; r++ {
		f.in("%s F0, F%d, F%d, F%d", p.fmadd, 16+4*r, 1+r, 16+4*r)
	}
	f.in("SUBS $1, R0, R0")
	f.in("BNE scalar")
	f.label("store")
	for r := 0; r < 4; r++ {
		f.in("%s F%d, %d(R3)", p.fmov, 16+4*r, r*p.esize)
	}
	f.in("RET")
}

// genGemvT4 emits y[j] += alpha[r]*a[r*lda+j] for r = 0..3 in that order,
// one fused multiply-add per row and element.
//
// y is loaded into V0-V3 (without post-increment) and stored once per
// iteration; row r is in V(4+4r)..V(7+4r), alpha[r] broadcast in V(28+r).
func genGemvT4(f *asmFile, name string, a arr) {
	p := info(a)
	block := 4 * p.lanes
	f.text(name, 40, fmt.Sprintf(`
func %s(n int, a *%s, lda int, alpha *[4]%s, y *%s)
%d elements per iteration; R2 alpha, R3 y.`, name, p.goType, p.goType, p.goType, block))
	f.in("MOVD n+0(FP), R0")
	f.in("MOVD a+8(FP), R4")
	f.in("MOVD lda+16(FP), R1")
	f.in("MOVD alpha+24(FP), R2")
	f.in("MOVD y+32(FP), R3")
	gemvRows(f, p)
	gemvAlphas(f, p, a, "R2")
	f.in("LSR $%d, R0, R8", log2(block))
	f.in("CBZ R8, vec1")

	f.label("loop4")
	f.in("VLD1 (R3), %s", vlist(0, 4, a))
	for r := 0; r < 4; r++ {
		f.in("VLD1.P 64(R%d), %s", 4+r, vlist(4+4*r, 4, a))
	}
	for r := 0; r < 4; r++ {
		for t := 0; t < 4; t++ {
			f.in("VFMLA %s, %s, %s", v(4+4*r+t, a), v(28+r, a), v(t, a))
		}
	}
	f.in("VST1.P %s, 64(R3)", vlist(0, 4, a))
	f.in("SUBS $1, R8, R8")
	f.in("BNE loop4")

	f.label("vec1")
	f.in("AND $%d, R0, R0", block-1)
	f.in("LSR $%d, R0, R8", p.log)
	f.in("CBZ R8, tail")
	f.label("loop1v")
	f.in("VLD1 (R3), %s", vlist(0, 1, a))
	for r := 0; r < 4; r++ {
		f.in("VLD1.P 16(R%d), %s", 4+r, vlist(4+r, 1, a))
	}
	for r := 0; r < 4; r++ {
		f.in("VFMLA %s, %s, %s", v(4+r, a), v(28+r, a), v(0, a))
	}
	f.in("VST1.P %s, 16(R3)", vlist(0, 1, a))
	f.in("SUBS $1, R8, R8")
	f.in("BNE loop1v")

	f.label("tail")
	f.in("AND $%d, R0, R0", p.lanes-1)
	f.in("CBZ R0, done")
	f.label("scalar")
	f.in("%s (R3), F0", p.fmov)
	for r := 0; r < 4; r++ {
		f.in("%s.P %d(R%d), F%d", p.fmov, p.esize, 4+r, 4+r)
	}
	for r := 0; r < 4; r++ {
		f.in("%s F%d, F0, F%d, F0", p.fmadd, 4+r, 28+r)
	}
	f.in("%s.P F0, %d(R3)", p.fmov, p.esize)
	f.in("SUBS $1, R0, R0")
	f.in("BNE scalar")
	f.label("done")
	f.in("RET")
}

// genSymv4 emits, in one pass over the four rows, x and z, dot[r] = sum_j
// a[r*lda+j]*x[j] and z[j] += alpha[r]*a[r*lda+j] (rows in order, fused).
//
// x is in V0-V3, z in V4-V7 (loaded without post-increment, stored once per
// iteration); rows 0 and 1 are loaded into V8-V11 and V12-V15, rows 2 and 3
// into the same registers after them; row r's dot product accumulates in
// V(16+2r) and V(17+2r), reduced into F(16+2r) before the scalar tail;
// alpha[r] is broadcast in V(28+r).
func genSymv4(f *asmFile, name string, a arr) {
	p := info(a)
	block := 4 * p.lanes
	f.text(name, 56, fmt.Sprintf(`
func %s(n int, a *%s, lda int, x, z *%s, alpha, dot *[4]%s)
Eight dot accumulators (two per row), %d elements per iteration; R2 x, R3 z,
R9 alpha, R10 dot.`, name, p.goType, p.goType, p.goType, block))
	f.in("MOVD n+0(FP), R0")
	f.in("MOVD a+8(FP), R4")
	f.in("MOVD lda+16(FP), R1")
	f.in("MOVD x+24(FP), R2")
	f.in("MOVD z+32(FP), R3")
	f.in("MOVD alpha+40(FP), R9")
	f.in("MOVD dot+48(FP), R10")
	gemvRows(f, p)
	gemvAlphas(f, p, a, "R9")
	f.zero(16, 8)
	f.in("LSR $%d, R0, R8", log2(block))
	f.in("CBZ R8, vec1")

	row := func(r, buf int) {
		for t := 0; t < 4; t++ {
			f.in("VFMLA %s, %s, %s", v(buf+t, a), v(t, a), v(16+2*r+t%2, a))
			f.in("VFMLA %s, %s, %s", v(buf+t, a), v(28+r, a), v(4+t, a))
		}
	}
	f.label("loop4")
	f.in("VLD1.P 64(R2), %s", vlist(0, 4, a))
	f.in("VLD1 (R3), %s", vlist(4, 4, a))
	f.in("VLD1.P 64(R4), %s", vlist(8, 4, a))
	f.in("VLD1.P 64(R5), %s", vlist(12, 4, a))
	row(0, 8)
	row(1, 12)
	f.in("VLD1.P 64(R6), %s", vlist(8, 4, a))
	f.in("VLD1.P 64(R7), %s", vlist(12, 4, a))
	row(2, 8)
	row(3, 12)
	f.in("VST1.P %s, 64(R3)", vlist(4, 4, a))
	f.in("SUBS $1, R8, R8")
	f.in("BNE loop4")

	f.label("vec1")
	f.in("AND $%d, R0, R0", block-1)
	f.in("LSR $%d, R0, R8", p.log)
	f.in("CBZ R8, reduce")
	f.label("loop1v")
	f.in("VLD1.P 16(R2), %s", vlist(0, 1, a))
	f.in("VLD1 (R3), %s", vlist(4, 1, a))
	for r := 0; r < 4; r++ {
		f.in("VLD1.P 16(R%d), %s", 4+r, vlist(8+r, 1, a))
	}
	for r := 0; r < 4; r++ {
		f.in("VFMLA %s, %s, %s", v(8+r, a), v(0, a), v(16+2*r, a))
		f.in("VFMLA %s, %s, %s", v(8+r, a), v(28+r, a), v(4, a))
	}
	f.in("VST1.P %s, 16(R3)", vlist(4, 1, a))
	f.in("SUBS $1, R8, R8")
	f.in("BNE loop1v")

	f.label("reduce")
	gemvReduce(f, a, 2, func(r int) int { return 16 + 2*r })
	f.in("AND $%d, R0, R0", p.lanes-1)
	f.in("CBZ R0, store")
	f.label("scalar")
	f.in("%s.P %d(R2), F0", p.fmov, p.esize)
	f.in("%s (R3), F4", p.fmov)
	for r := 0; r < 4; r++ {
		f.in("%s.P %d(R%d), F%d", p.fmov, p.esize, 4+r, 8+r)
	}
	for r := 0; r < 4; r++ {
		f.in("%s F0, F%d, F%d, F%d", p.fmadd, 16+2*r, 8+r, 16+2*r)
		f.in("%s F%d, F4, F%d, F4", p.fmadd, 8+r, 28+r)
	}
	f.in("%s.P F4, %d(R3)", p.fmov, p.esize)
	f.in("SUBS $1, R0, R0")
	f.in("BNE scalar")
	f.label("store")
	for r := 0; r < 4; r++ {
		f.in("%s F%d, %d(R10)", p.fmov, 16+2*r, r*p.esize)
	}
	f.in("RET")
}
