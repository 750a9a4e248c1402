package main

// genPathSGD emits the Path-SGD layer updates pathSGDNEONAsm and
// pathSGDMomentumNEONAsm (see pathsgd.go in package asm for the reference
// loops).
//
// Rows one at a time; in a row, 8 columns per step, then 4, then one at a
// time. The old weights are widened (fcvtl/fcvtl2), squared and multiply-
// added with x into four float64x2 accumulators before the float32 update,
// which multiplies and adds in separate instructions in the reference's
// order.
//
// Registers: R0 y, R1 rows left, R2 w row, R3 g row, R4 v row, R5 row
// stride in bytes, R6 rs, R7 cs, R9 x; in a row R10 w, R11 g, R12 v, R13 cs,
// R14 x column pointers and R15 the counter; R19 = cols/8, R21 = (cols%8)/4,
// R22 = cols%4. V0-V1 w, V2-V3 g and then the step t, V4-V5 cs, V6-V9 x,
// V10-V13 the widened weights, V16-V19 the row's accumulators, V24 (F24)
// the scalar tail's, V20-V21 v; V28 rs[r], V29 lr, V30 mu. The column-sum
// variants add R23 = z, R24 = &u[r], R25 the z column pointer and V31 =
// u[r]; z is loaded into V6-V9 once the sums are done with x.
func genPathSGD() *asmFile {
	f := newFile(`
Path-SGD layer updates (see pathsgd.go for the reference loops): y = (W∘W) x
on the old weights, accumulated in float64, and the float32 update of w (and
v) with products and sums rounded separately in the reference's order, so
w and v are the reference's bits. The argument checks are done by the Go
wrappers. A single tail element is loaded with FMOVS, which clears the other
lanes, and goes through the same vector instructions.`)
	genPathSGDKernel(f, false, false, true)
	genPathSGDKernel(f, true, false, true)
	genPathSGDKernel(f, false, true, true)
	genPathSGDKernel(f, true, true, true)
	genPathSGDKernel(f, false, false, false)
	genPathSGDKernel(f, true, false, false)
	genPathSumsKernel(f)
	return f
}

// genPathSumsKernel emits pathSumsNEONAsm: pathSGDColsNEONAsm's sums in its
// order without the update (no g, cs or rs). Registers as in the update
// kernels: R0 y, R1 rows left, R2 w row, R5 row stride in bytes, R8 cols,
// R9 x, R23 z, R24 &u[r]; in a row R10 w, R14 x and R25 z column pointers,
// R15 the counter.
func genPathSumsKernel(f *asmFile) {
	f.text("pathSumsNEONAsm", 128, `
func pathSumsNEONAsm(y, z []float64, w []float32, ld int, x, u []float64)`)
	f.in("MOVD y_base+0(FP), R0")
	f.in("MOVD y_len+8(FP), R1")
	f.in("MOVD z_base+24(FP), R23")
	f.in("MOVD w_base+48(FP), R2")
	f.in("MOVD ld+72(FP), R5")
	f.in("LSL $2, R5, R5")
	f.in("MOVD x_base+80(FP), R9")
	f.in("MOVD x_len+88(FP), R8")
	f.in("MOVD u_base+104(FP), R24")
	f.in("LSR $3, R8, R19")
	f.in("AND $7, R8, R20")
	f.in("LSR $2, R20, R21")
	f.in("AND $3, R8, R22")
	sums := func(n int) {
		emitRowSums(f, n)
		emitColSums(f, n)
	}
	f.label("row")
	f.in("CBZ R1, done")
	f.in("MOVD R2, R10")
	f.in("MOVD R9, R14")
	f.in("FMOVD.P 8(R24), F31")
	f.in("VDUP V31.D[0], V31.D2")
	f.in("MOVD R23, R25")
	f.zero(16, 4)
	f.zero(24, 1)
	f.in("MOVD R19, R15")
	f.in("CBZ R15, blk4")
	f.label("loop8")
	f.in("VLD1.P 32(R10), %s", vlist(0, 2, s4))
	f.in("VLD1.P 64(R14), %s", vlist(6, 4, d2))
	sums(2)
	f.in("SUBS $1, R15, R15")
	f.in("BNE loop8")
	f.label("blk4")
	f.in("CBZ R21, tail")
	f.in("VLD1.P 16(R10), %s", vlist(0, 1, s4))
	f.in("VLD1.P 32(R14), %s", vlist(6, 2, d2))
	sums(1)
	f.label("tail")
	f.in("MOVD R22, R15")
	f.in("CBZ R15, reduce")
	f.label("loop1")
	f.in("FMOVS.P 4(R10), F0")
	f.in("FMOVD.P 8(R14), F6")
	f.in("FCVTSD F0, F10")
	f.in("FMULD F10, F10, F10")
	f.in("FMADDD F6, F24, F10, F24")
	f.in("FMULD F31, F10, F10")
	f.in("FMOVD (R25), F6")
	f.in("FADDD F10, F6, F6")
	f.in("FMOVD.P F6, 8(R25)")
	f.in("SUBS $1, R15, R15")
	f.in("BNE loop1")
	f.label("reduce")
	f.w(fadd(d2, 16, 16, 17), fadd(d2, 18, 18, 19), fadd(d2, 16, 16, 18), faddpScalar(d2, 16, 16))
	f.in("FADDD F24, F16, F16")
	f.in("FMOVD.P F16, 8(R0)")
	f.in("ADD R5, R2, R2")
	f.in("SUB $1, R1, R1")
	f.in("B row")
	f.label("done")
	f.in("RET")
}

// genPathSGDKernel emits one kernel: with momentum or without, with the
// column sums z or without, and with the row sums y or (sums false: the
// update alone, no y, x, z or u arguments) without.
func genPathSGDKernel(f *asmFile, momentum, cols, sums bool) {
	switch {
	case !sums && momentum:
		f.text("pathSGDMomentumPlainNEONAsm", 136, `
func pathSGDMomentumPlainNEONAsm(w, g, v []float32, ld int, rs, cs []float32, lr, mu float32)`)
	case !sums:
		f.text("pathSGDPlainNEONAsm", 104, `
func pathSGDPlainNEONAsm(w, g []float32, ld int, rs, cs []float32)`)
	case momentum && cols:
		f.text("pathSGDMomentumColsNEONAsm", 232, `
func pathSGDMomentumColsNEONAsm(y, z []float64, w, g, v []float32, ld int, rs, cs []float32, x, u []float64, lr, mu float32)`)
	case momentum:
		f.text("pathSGDMomentumNEONAsm", 184, `
func pathSGDMomentumNEONAsm(y []float64, w, g, v []float32, ld int, rs, cs []float32, x []float64, lr, mu float32)`)
	case cols:
		f.text("pathSGDColsNEONAsm", 200, `
func pathSGDColsNEONAsm(y, z []float64, w, g []float32, ld int, rs, cs []float32, x, u []float64)`)
	default:
		f.text("pathSGDNEONAsm", 152, `
func pathSGDNEONAsm(y []float64, w, g []float32, ld int, rs, cs []float32, x []float64)`)
	}
	if cols && !sums {
		panic("column sums need the row sums' arguments")
	}
	// off shifts the arguments after y by z's slice header, after g by v's;
	// yoff is y's header (none without the sums).
	off, zoff, yoff := 0, 0, 0
	if cols {
		zoff = 24
	}
	if momentum {
		off = 24
	}
	if sums {
		yoff = 24
		f.in("MOVD y_base+0(FP), R0")
		f.in("MOVD y_len+8(FP), R1")
	} else {
		f.in("MOVD rs_len+%d(FP), R1", 64+off)
	}
	if cols {
		f.in("MOVD z_base+24(FP), R23")
	}
	f.in("MOVD w_base+%d(FP), R2", yoff+zoff)
	f.in("MOVD g_base+%d(FP), R3", yoff+24+zoff)
	if momentum {
		f.in("MOVD v_base+%d(FP), R4", yoff+48+zoff)
	}
	f.in("MOVD ld+%d(FP), R5", yoff+48+off+zoff)
	f.in("LSL $2, R5, R5")
	f.in("MOVD rs_base+%d(FP), R6", yoff+56+off+zoff)
	f.in("MOVD cs_base+%d(FP), R7", yoff+80+off+zoff)
	f.in("MOVD cs_len+%d(FP), R8", yoff+88+off+zoff)
	// The scalars follow cs, x (with the sums) and z (with the column sums).
	scal := yoff + 104 + off + zoff
	if sums {
		f.in("MOVD x_base+%d(FP), R9", 128+off+zoff)
		scal += 24
	}
	if cols {
		f.in("MOVD u_base+%d(FP), R24", 152+off+zoff)
		scal += 24
	}
	if momentum {
		f.in("FMOVS lr+%d(FP), F29", scal)
		f.in("VDUP V29.S[0], V29.S4")
		f.in("FMOVS mu+%d(FP), F30", scal+4)
		f.in("VDUP V30.S[0], V30.S4")
	}
	f.in("LSR $3, R8, R19")
	f.in("AND $7, R8, R20")
	f.in("LSR $2, R20, R21")
	f.in("AND $3, R8, R22")

	rowSums := func(n int) {
		if sums {
			emitRowSums(f, n)
		}
	}
	colSums := func(n int) {
		if cols {
			emitColSums(f, n)
		}
	}
	// update applies the step to n float32x4 registers: t = rs*(g*cs),
	// [v = mu*v + t, t = lr*v,] w = w - t.
	update := func(n int) {
		for q := 0; q < n; q++ {
			f.w(fmul(s4, 2+q, 2+q, 4+q))
		}
		for q := 0; q < n; q++ {
			f.w(fmul(s4, 2+q, 28, 2+q))
		}
		if momentum {
			for q := 0; q < n; q++ {
				f.w(fmul(s4, 20+q, 30, 20+q))
			}
			for q := 0; q < n; q++ {
				f.w(fadd(s4, 20+q, 20+q, 2+q))
			}
			for q := 0; q < n; q++ {
				f.w(fmul(s4, 2+q, 29, 20+q))
			}
		}
		for q := 0; q < n; q++ {
			f.w(fsub(s4, q, q, 2+q))
		}
	}

	f.label("row")
	f.in("CBZ R1, done")
	f.in("FMOVS.P 4(R6), F28")
	f.in("VDUP V28.S[0], V28.S4")
	f.in("MOVD R2, R10")
	f.in("MOVD R3, R11")
	if momentum {
		f.in("MOVD R4, R12")
	}
	f.in("MOVD R7, R13")
	if sums {
		f.in("MOVD R9, R14")
	}
	if cols {
		f.in("FMOVD.P 8(R24), F31")
		f.in("VDUP V31.D[0], V31.D2")
		f.in("MOVD R23, R25")
	}
	if sums {
		f.zero(16, 4)
		f.zero(24, 1)
	}
	f.in("MOVD R19, R15")
	f.in("CBZ R15, blk4")

	f.label("loop8")
	f.in("VLD1 (R10), %s", vlist(0, 2, s4))
	f.in("VLD1.P 32(R11), %s", vlist(2, 2, s4))
	f.in("VLD1.P 32(R13), %s", vlist(4, 2, s4))
	if sums {
		f.in("VLD1.P 64(R14), %s", vlist(6, 4, d2))
	}
	if momentum {
		f.in("VLD1 (R12), %s", vlist(20, 2, s4))
	}
	rowSums(2)
	colSums(2)
	update(2)
	if momentum {
		f.in("VST1.P %s, 32(R12)", vlist(20, 2, s4))
	}
	f.in("VST1.P %s, 32(R10)", vlist(0, 2, s4))
	f.in("SUBS $1, R15, R15")
	f.in("BNE loop8")

	f.label("blk4")
	f.in("CBZ R21, tail")
	f.in("VLD1 (R10), %s", vlist(0, 1, s4))
	f.in("VLD1.P 16(R11), %s", vlist(2, 1, s4))
	f.in("VLD1.P 16(R13), %s", vlist(4, 1, s4))
	if sums {
		f.in("VLD1.P 32(R14), %s", vlist(6, 2, d2))
	}
	if momentum {
		f.in("VLD1 (R12), %s", vlist(20, 1, s4))
	}
	rowSums(1)
	colSums(1)
	update(1)
	if momentum {
		f.in("VST1.P %s, 16(R12)", vlist(20, 1, s4))
	}
	f.in("VST1.P %s, 16(R10)", vlist(0, 1, s4))

	f.label("tail")
	f.in("MOVD R22, R15")
	f.in("CBZ R15, reduce")
	f.label("loop1")
	f.in("FMOVS (R10), F0")
	f.in("FMOVS.P 4(R11), F2")
	f.in("FMOVS.P 4(R13), F4")
	if sums {
		f.in("FMOVD.P 8(R14), F6")
	}
	if momentum {
		f.in("FMOVS (R12), F20")
	}
	if sums {
		f.in("FCVTSD F0, F10")
		f.in("FMULD F10, F10, F10")
		f.in("FMADDD F6, F24, F10, F24")
	}
	if cols {
		f.in("FMULD F31, F10, F10")
		f.in("FMOVD (R25), F6")
		f.in("FADDD F10, F6, F6")
		f.in("FMOVD.P F6, 8(R25)")
	}
	update(1)
	if momentum {
		f.in("FMOVS.P F20, 4(R12)")
	}
	f.in("FMOVS.P F0, 4(R10)")
	f.in("SUBS $1, R15, R15")
	f.in("BNE loop1")

	f.label("reduce")
	if sums {
		f.w(fadd(d2, 16, 16, 17), fadd(d2, 18, 18, 19), fadd(d2, 16, 16, 18), faddpScalar(d2, 16, 16))
		f.in("FADDD F24, F16, F16")
		f.in("FMOVD.P F16, 8(R0)")
	}
	f.in("ADD R5, R2, R2")
	f.in("ADD R5, R3, R3")
	if momentum {
		f.in("ADD R5, R4, R4")
	}
	f.in("SUB $1, R1, R1")
	f.in("B row")
	f.label("done")
	f.in("RET")
}

// emitRowSums widens, squares and accumulates n float32x4 registers of w
// (V0, V1) against the x registers V6.. into V16.. (the squares are left
// in V10..).
func emitRowSums(f *asmFile, n int) {
	for q := 0; q < n; q++ {
		f.w(fcvtl(10+2*q, q), fcvtl2(11+2*q, q))
	}
	for t := 0; t < 2*n; t++ {
		f.w(fmul(d2, 10+t, 10+t, 10+t))
	}
	for t := 0; t < 2*n; t++ {
		f.in("VFMLA V%d.D2, V%d.D2, V%d.D2", 10+t, 6+t, 16+t)
	}
}

// emitColSums adds the squares V10.. of n float32x4 registers of w, times
// u[r] (V31), to z at R25 (x's registers V6.. are free again): multiply,
// then add, the reference's rounding.
func emitColSums(f *asmFile, n int) {
	f.in("VLD1 (R25), %s", vlist(6, 2*n, d2))
	for t := 0; t < 2*n; t++ {
		f.w(fmul(d2, 10+t, 10+t, 31))
	}
	for t := 0; t < 2*n; t++ {
		f.w(fadd(d2, 6+t, 6+t, 10+t))
	}
	f.in("VST1.P %s, %d(R25)", vlist(6, 2*n, d2), 32*n)
}
