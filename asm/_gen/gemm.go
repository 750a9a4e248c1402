package main

import "fmt"

// gemmShape describes one register-blocked micro-kernel.
type gemmShape struct {
	name   string // Go function name
	a      arr    // arrangement of the accumulators
	lanes  int    // elements per vector register
	esize  int    // bytes per element
	mr, nr int
}

var (
	sgemmShape = gemmShape{"sgemmNEONAsm", s4, 4, 4, 8, 12}
	dgemmShape = gemmShape{"dgemmNEONAsm", d2, 2, 8, 8, 6}
)

// The micro-kernel keeps the MR x NR tile of C in registers V8-V31, row i in
// the nr/lanes registers starting at V(8 + i*nr/lanes), so each row of C is
// one contiguous group of vectors: 24 accumulators for both shapes (8x12
// singles, 8x6 doubles). One k step loads MR values of the packed A panel into
// V0.. and NR values of the packed B panel into the next registers, then
// issues MR*NR/lanes fmla-by-element: accumulator row i += B vector * A[i].
//
// Arguments (ABI0, all on the stack):
//
//	k+0, a_base+8, b_base+32, c_base+56, ldc+80, bias_base+88, flags+112
//
// Registers: R0 k, R1 a, R2 b, R3 c, R4 ldc in bytes, R5 bias, R6 flags,
// R7 loop counter, R8 C row pointer for the Accumulate pass.
//
// scaleC (float32 only) adds the ScaleC flag (bit 3): C is scaled by beta =
// bias[0] as it is added, the product rounded before the sum. descend
// emits the descent kernel instead (sgemmDescendRef): the arguments
// k+0, a_base+8, b_base+32, c_base+56, ldc+80, w_base+88, coef_base+112,
// flags+136 (R9 = w, R5 = coef: beta, lr, wd), no AddBias or ReLU, and
// after C is stored each row of the tile of W takes w -= lr*(c + wd*w),
// every product and sum rounded in that order, from the accumulators.
func (s gemmShape) gen(f *asmFile, scaleC, descend bool) {
	nv := s.nr / s.lanes // vectors per row of C and per k step of B
	na := s.mr / s.lanes // vectors per k step of A
	if 8+s.mr*nv > 32 || na+nv > 8 {
		panic("gemm shape does not fit the register file")
	}
	acc := func(i, j int) int { return 8 + i*nv + j }
	a := s.a
	typ := map[arr]string{s4: "float32", d2: "float64"}[a]

	if descend {
		f.text("sgemmDescendNEONAsm", 144, fmt.Sprintf(`
func sgemmDescendNEONAsm(k int, a, b, c []float32, ldc int, w, coef []float32, flags GemmFlags)
%dx%d tile as %s's, then the SGD step on the tile of W.
`, s.mr, s.nr, s.name))
	} else {
		f.text(s.name, 120, fmt.Sprintf(`
func %s(k int, a, b, c []%s, ldc int, bias []%s, flags GemmFlags)
%dx%d tile: accumulators V8-V%d (row i of C in V%d+%d*i ...), A in V0-V%d, B in V%d-V%d.
`, s.name, typ, typ, s.mr, s.nr, acc(s.mr-1, nv-1), 8, nv, na-1, na, na+nv-1))
	}
	f.in("MOVD k+0(FP), R0")
	f.in("MOVD a_base+8(FP), R1")
	f.in("MOVD b_base+32(FP), R2")
	f.in("MOVD c_base+56(FP), R3")
	f.in("MOVD ldc+80(FP), R4")
	if descend {
		f.in("MOVD w_base+88(FP), R9")
		f.in("MOVD coef_base+112(FP), R5")
		f.in("MOVD flags+136(FP), R6")
	} else {
		f.in("MOVD bias_base+88(FP), R5")
		f.in("MOVD flags+112(FP), R6")
	}
	f.in("LSL $%d, R4, R4", map[int]int{4: 2, 8: 3}[s.esize])
	f.zero(8, s.mr*nv)

	step := func() {
		f.in("VLD1.P %d(R1), %s", s.mr*s.esize, vlist(0, na, a))
		f.in("VLD1.P %d(R2), %s", s.nr*s.esize, vlist(na, nv, a))
		for i := 0; i < s.mr; i++ {
			for j := 0; j < nv; j++ {
				f.w(fmlaElem(a, acc(i, j), na+j, i/s.lanes, i%s.lanes))
			}
		}
	}

	f.comment("k/4 steps unrolled by four, then k%%4 single steps.")
	f.in("LSR $2, R0, R7")
	f.in("CBZ R7, tail")
	f.label("loop4")
	for u := 0; u < 4; u++ {
		step()
	}
	f.in("SUBS $1, R7, R7")
	f.in("BNE loop4")
	f.label("tail")
	f.in("AND $3, R0, R7")
	f.in("CBZ R7, epilogue")
	f.label("loop1")
	step()
	f.in("SUBS $1, R7, R7")
	f.in("BNE loop1")

	f.label("epilogue")
	f.comment("Accumulate (flags bit 0): add C; otherwise C is never read.")
	f.in("TBZ $0, R6, addbias")
	f.in("MOVD R3, R8")
	if scaleC {
		f.comment("ScaleC (flags bit 3): add float32(beta*C), beta = bias[0].")
		f.in("TBZ $3, R6, addc")
		f.in("FMOVS (R5), F7")
		f.in("VDUP V7.S[0], V7.S4")
		for i := 0; i < s.mr; i++ {
			f.in("VLD1 (R8), %s", vlist(0, nv, a))
			for j := 0; j < nv; j++ {
				f.w(fmul(a, j, j, 7))
			}
			for j := 0; j < nv; j++ {
				f.w(fadd(a, acc(i, j), acc(i, j), j))
			}
			if i < s.mr-1 {
				f.in("ADD R4, R8, R8")
			}
		}
		f.in("B addbias")
		f.label("addc")
	}
	for i := 0; i < s.mr; i++ {
		f.in("VLD1 (R8), %s", vlist(0, nv, a))
		for j := 0; j < nv; j++ {
			f.w(fadd(a, acc(i, j), acc(i, j), j))
		}
		if i < s.mr-1 {
			f.in("ADD R4, R8, R8")
		}
	}
	f.label("addbias")
	if descend {
		s.descendEpilogue(f, nv, acc)
		return
	}
	f.comment("AddBias (flags bit 1): add bias[j] to column j.")
	f.in("TBZ $1, R6, applyrelu")
	f.in("VLD1 (R5), %s", vlist(0, nv, a))
	for i := 0; i < s.mr; i++ {
		for j := 0; j < nv; j++ {
			f.w(fadd(a, acc(i, j), acc(i, j), j))
		}
	}
	f.label("applyrelu")
	f.comment("ReLU (flags bit 2): fmaxnm with +0 maps NaN and -0 to +0. The")
	f.comment("accumulators are results of arithmetic, never signaling NaNs.")
	f.in("TBZ $2, R6, storec")
	f.zero(0, 1)
	for i := 0; i < s.mr; i++ {
		for j := 0; j < nv; j++ {
			f.w(fmaxnm(a, acc(i, j), acc(i, j), 0))
		}
	}
	f.label("storec")
	for i := 0; i < s.mr; i++ {
		f.in("VST1 %s, (R3)", vlist(acc(i, 0), nv, a))
		if i < s.mr-1 {
			f.in("ADD R4, R3, R3")
		}
	}
	f.in("RET")
}

func genGemm() *asmFile {
	f := newFile(`
GEMM micro-kernels: see sgemmMicroRef for the computation and the packed
layout. sgemmNEONAsm is 8x12 float32, dgemmNEONAsm is 8x6 float64, and
sgemmDescendNEONAsm is sgemmNEONAsm followed by the SGD step on a tile of W
(sgemmDescendRef).`)
	sgemmShape.gen(f, true, false)
	dgemmShape.gen(f, false, false)
	sgemmShape.gen(f, true, true)
	return f
}

// descendEpilogue stores the accumulators to C, then steps each row of the
// tile of W (R9, leading dimension R4): t = wd*w, t = c + t, t = lr*t,
// w = w - t (V0.. w, V3.. t, V6 lr, V7 wd).
func (s gemmShape) descendEpilogue(f *asmFile, nv int, acc func(i, j int) int) {
	a := s.a
	for i := 0; i < s.mr; i++ {
		f.in("VST1 %s, (R3)", vlist(acc(i, 0), nv, a))
		if i < s.mr-1 {
			f.in("ADD R4, R3, R3")
		}
	}
	f.comment("The SGD step on the tile of W: w -= lr*(c + wd*w).")
	f.in("FMOVS 4(R5), F6")
	f.in("VDUP V6.S[0], V6.S4")
	f.in("FMOVS 8(R5), F7")
	f.in("VDUP V7.S[0], V7.S4")
	for i := 0; i < s.mr; i++ {
		f.in("VLD1 (R9), %s", vlist(0, nv, a))
		for j := 0; j < nv; j++ {
			f.w(fmul(a, 3+j, j, 7))
		}
		for j := 0; j < nv; j++ {
			f.w(fadd(a, 3+j, acc(i, j), 3+j))
		}
		for j := 0; j < nv; j++ {
			f.w(fmul(a, 3+j, 3+j, 6))
		}
		for j := 0; j < nv; j++ {
			f.w(fsub(a, j, j, 3+j))
		}
		f.in("VST1 %s, (R9)", vlist(0, nv, a))
		if i < s.mr-1 {
			f.in("ADD R4, R9, R9")
		}
	}
	f.in("RET")
}
