package main

import "fmt"

func genPath() *asmFile {
	f := newFile(`
Path-norm kernels: matrix-vector products with the elementwise square of a
float32 matrix W (row-major, leading dimension ldw), accumulated in float64.
Each float32 is widened exactly (fcvtl/fcvtl2), squared exactly (fmul), and
multiply-added into float64 accumulators; see pathnorm.go for the reference
loops. The argument checks are done by the Go wrappers.`)
	genPathMV(f)
	genPathMTV(f)
	return f
}

// genPathMV emits pathMVNEONAsm: y[i] = sum_j w[i*ldw+j]^2 x[j].
//
// Rows go in blocks of four (then one at a time), each row with two float64x2
// accumulators; the four rows share each load of x. Columns go four at a time
// (one float32x4 load per row, widened to two float64x2), then one at a time
// in scalar registers after the vector accumulators have been reduced.
//
// Registers: R0 y, R1 rows left, R2 first row of the block, R3 ldw in bytes,
// R4 x, R5 len(x), R6-R9 row pointers, R10 x pointer, R11 counter, R12
// len(x)/4, R13 len(x)%4, R14 4*ldw in bytes. Row r of a block: loaded into
// V(2+3r), widened into V(3+3r) (low half) and V(4+3r) (high half),
// accumulated in V(16+2r) and V(17+2r); x in V0, V1.
func genPathMV(f *asmFile) {
	f.text("pathMVNEONAsm", 80, `
func pathMVNEONAsm(y []float64, w []float32, ldw int, x []float64)
W is len(y) x len(x).`)
	f.in("MOVD y_base+0(FP), R0")
	f.in("MOVD y_len+8(FP), R1")
	f.in("MOVD w_base+24(FP), R2")
	f.in("MOVD ldw+48(FP), R3")
	f.in("MOVD x_base+56(FP), R4")
	f.in("MOVD x_len+64(FP), R5")
	f.in("LSL $2, R3, R3")
	f.in("LSL $2, R3, R14")
	f.in("LSR $2, R5, R12")
	f.in("AND $3, R5, R13")
	f.in("CMP $4, R1")
	f.in("BLT rows1")

	block := func(nr int, sfx string) {
		f.in("MOVD R2, R6")
		for r := 1; r < nr; r++ {
			f.in("ADD R3, R%d, R%d", 5+r, 6+r)
		}
		f.in("MOVD R4, R10")
		f.zero(16, 2*nr)
		f.in("MOVD R12, R11")
		f.in("CBZ R11, reduce%s", sfx)
		f.label("vec" + sfx)
		f.in("VLD1.P 32(R10), [V0.D2, V1.D2]")
		for r := 0; r < nr; r++ {
			f.in("VLD1.P 16(R%d), [V%d.S4]", 6+r, 2+3*r)
		}
		for r := 0; r < nr; r++ {
			f.w(fcvtl(3+3*r, 2+3*r), fcvtl2(4+3*r, 2+3*r))
		}
		for r := 0; r < nr; r++ {
			f.w(fmul(d2, 3+3*r, 3+3*r, 3+3*r), fmul(d2, 4+3*r, 4+3*r, 4+3*r))
		}
		for r := 0; r < nr; r++ {
			f.in("VFMLA V%d.D2, V0.D2, V%d.D2", 3+3*r, 16+2*r)
			f.in("VFMLA V%d.D2, V1.D2, V%d.D2", 4+3*r, 17+2*r)
		}
		f.in("SUBS $1, R11, R11")
		f.in("BNE vec%s", sfx)

		f.label("reduce" + sfx)
		for r := 0; r < nr; r++ {
			f.w(fadd(d2, 16+2*r, 16+2*r, 17+2*r), faddpScalar(d2, 16+2*r, 16+2*r))
		}
		f.in("MOVD R13, R11")
		f.in("CBZ R11, store%s", sfx)
		f.label("scalar" + sfx)
		f.in("FMOVD.P 8(R10), F0")
		for r := 0; r < nr; r++ {
			t := 2 + 3*r
			f.in("FMOVS.P 4(R%d), F%d", 6+r, t)
			f.in("FCVTSD F%d, F%d", t, t)
			f.in("FMULD F%d, F%d, F%d", t, t, t)
			f.in("FMADDD F0, F%d, F%d, F%d", 16+2*r, t, 16+2*r)
		}
		f.in("SUBS $1, R11, R11")
		f.in("BNE scalar%s", sfx)
		f.label("store" + sfx)
		for r := 0; r < nr; r++ {
			f.in("FMOVD F%d, %d(R0)", 16+2*r, 8*r)
		}
		f.in("ADD $%d, R0, R0", 8*nr)
	}

	f.label("rows4")
	block(4, "4")
	f.in("ADD R14, R2, R2")
	f.in("SUB $4, R1, R1")
	f.in("CMP $4, R1")
	f.in("BGE rows4")
	f.label("rows1")
	f.in("CBZ R1, done")
	f.label("row1")
	block(1, "1")
	f.in("ADD R3, R2, R2")
	f.in("SUBS $1, R1, R1")
	f.in("BNE row1")
	f.label("done")
	f.in("RET")
}

// genPathMTV emits pathMTVNEONAsm: y[j] = sum_i w[i*ldw+j]^2 x[i].
//
// Columns go in strips of 16 (one 64-byte line of each row: eight float64x2
// accumulators), then 4, then one at a time; each strip walks down all rows,
// broadcasting x[i] (ld1r) and adding x[i] * w[i][j]^2. y is only written.
//
// Registers: R0 y, R1 columns left, R2 top of the strip, R3 ldw in bytes,
// R4 x, R5 len(x), R6 row pointer, R10 x pointer, R11 counter. x[i] in V0,
// the strip's row in V1-V4, widened into V5-V12, accumulators V16-V23.
func genPathMTV(f *asmFile) {
	f.text("pathMTVNEONAsm", 80, `
func pathMTVNEONAsm(y []float64, w []float32, ldw int, x []float64)
W is len(x) x len(y).`)
	f.in("MOVD y_base+0(FP), R0")
	f.in("MOVD y_len+8(FP), R1")
	f.in("MOVD w_base+24(FP), R2")
	f.in("MOVD ldw+48(FP), R3")
	f.in("MOVD x_base+56(FP), R4")
	f.in("MOVD x_len+64(FP), R5")
	f.in("LSL $2, R3, R3")

	strip := func(width int, next string) {
		nq := width / 4 // float32x4 loads per row
		sfx := fmt.Sprint(width)
		f.label("cols" + sfx)
		f.in("CMP $%d, R1", width)
		f.in("BLT %s", next)
		f.zero(16, 2*nq)
		f.in("MOVD R2, R6")
		f.in("MOVD R4, R10")
		f.in("MOVD R5, R11")
		f.in("CBZ R11, store%s", sfx)
		f.label("rows" + sfx)
		f.in("VLD1R.P 8(R10), [V0.D2]")
		f.in("VLD1 (R6), %s", vlist(1, nq, s4))
		f.in("ADD R3, R6, R6")
		for q := 0; q < nq; q++ {
			f.w(fcvtl(5+2*q, 1+q), fcvtl2(6+2*q, 1+q))
		}
		for t := 0; t < 2*nq; t++ {
			f.w(fmul(d2, 5+t, 5+t, 5+t))
		}
		for t := 0; t < 2*nq; t++ {
			f.in("VFMLA V%d.D2, V0.D2, V%d.D2", 5+t, 16+t)
		}
		f.in("SUBS $1, R11, R11")
		f.in("BNE rows%s", sfx)
		f.label("store" + sfx)
		for t := 0; t < 2*nq; t += 4 {
			n := min(4, 2*nq-t)
			f.in("VST1.P %s, %d(R0)", vlist(16+t, n, d2), 16*n)
		}
		f.in("ADD $%d, R2, R2", 4*width)
		f.in("SUB $%d, R1, R1", width)
		f.in("B cols%s", sfx)
	}
	strip(16, "cols4")
	strip(4, "cols1")

	f.label("cols1")
	f.in("CBZ R1, done")
	f.zero(16, 1)
	f.in("MOVD R2, R6")
	f.in("MOVD R4, R10")
	f.in("MOVD R5, R11")
	f.in("CBZ R11, store1")
	f.label("rows1")
	f.in("FMOVS (R6), F1")
	f.in("ADD R3, R6, R6")
	f.in("FCVTSD F1, F1")
	f.in("FMULD F1, F1, F1")
	f.in("FMOVD.P 8(R10), F0")
	f.in("FMADDD F0, F16, F1, F16")
	f.in("SUBS $1, R11, R11")
	f.in("BNE rows1")
	f.label("store1")
	f.in("FMOVD.P F16, 8(R0)")
	f.in("ADD $4, R2, R2")
	f.in("SUB $1, R1, R1")
	f.in("B cols1")
	f.label("done")
	f.in("RET")
}
