package main

import (
	"fmt"
	"strings"
)

// The amd64 dot-product kernels (gemmdot_avx512_amd64.s, float32 and
// float64, and gemmdot_avx2_amd64.s, float32): unrolled loads and FMAs of
// a 4 x 4 (AVX2: 2 x 4) tile and the lane-reduction networks, written out
// by the functions below.

// lines accumulates assembly text.
type lines struct{ b strings.Builder }

func (l *lines) p(format string, args ...any) { fmt.Fprintf(&l.b, format+"\n", args...) }

// in writes one indented instruction.
func (l *lines) in(format string, args ...any) { l.p("\t"+format, args...) }

// rowPointers sets dst[1..] to base plus a stride (DX, bytes) per row while
// the row exists (count in CX), repeating the last row otherwise.
func (l *lines) rowPointers(regs []string, label string) {
	for n := 1; n < len(regs); n++ {
		l.in("MOVQ %s, %s", regs[n-1], regs[n])
		l.in("CMPQ CX, $%d", n)
		l.in("JLE  %s%d", label, n)
		l.in("ADDQ DX, %s", regs[n])
		l.p("%s%d:", label, n)
	}
}

// kmask sets mask register k to the low CX bits.
func (l *lines) kmask(k string) {
	l.in("MOVL $1, DX")
	l.in("SHLL CX, DX")
	l.in("DECL DX")
	l.in("KMOVW DX, %s", k)
}

const dot512Doc = `
// The fp32 dot-product kernel (see gemmdot.go): a tile of up to 4 x 4
// elements of C = alpha * A * B^T with the rows of A and of B both read in
// place along the depth, sixteen depths per step.
//
// Register plan:
//   Z0..Z15   accumulators: A row i against B row j in Z(4j+i), each lane
//             a partial sum over the depths of that lane
//   Z16..Z19  sixteen depths of A rows 0..3
//   Z20..Z23  sixteen depths of B rows 0..3
//   R8..R11   A rows 0..3, R12, R13, BX, SI  B rows 0..3 (rows or columns
//             past the last repeat it; their results are never stored)
//   AX = byte offset of the current depth step, CX = full steps left,
//   K1 = the last partial step's mask, K2 = the tile's columns
//
// Per step: 8 loads, 16 FMAs. The sixteen accumulators are then summed
// across lanes by a transpose-and-add network (4 levels, 45 instructions)
// into one register whose lane 4i+j is element (i, j) of the tile. The
// epilogue scales by alpha, then per row adds C (Accumulate), the bias
// (AddBias: bias[j] for column j) and applies the ReLU (x > 0 ? x : 0), as
// sgemmDotRef.
`

const dot512F64Doc = `
// The fp64 dot-product kernel (see gemmdot.go): a tile of up to 4 x 4
// elements of C = alpha * A * B^T (+ C, + bias, ReLU as flags say) with the
// rows of A and of B both read in place along the depth, eight depths per
// step.
//
// Register plan:
//   Z0..Z15   accumulators, each lane a partial sum over the depths of
//             that lane: A row i against B row j in the register that the
//             reduction below brings to lane 4(i%2)+j of its result (the
//             generator's perm)
//   Z16..Z19  eight depths of A rows 0..3, Z20..Z23 of B rows 0..3
//   R8..R11   A rows 0..3, R12, R13, BX, SI  B rows 0..3 (rows or columns
//             past the last repeat it; their results are never stored)
//   AX = byte offset of the current depth step, CX = full steps left,
//   K1 = the last partial step's mask, K2 = the tile's columns
//
// Per step: 8 loads, 16 FMAs. The sixteen accumulators are then summed
// across lanes by a transpose-and-add network (3 levels) into two
// registers: rows 0 and 1 of the tile in Z0 (four lanes each), rows 2 and
// 3 in Z1.
`

var (
	dotARegs = []string{"R8", "R9", "R10", "R11"}
	dotBRegs = []string{"R12", "R13", "BX", "SI"}
)

// dotStep512 writes one depth step of the AVX-512 kernel of precision
// suffix s ("S" or "D"), masked by K1 or not; acc(i, j) is the
// accumulator of A row i against B row j.
func (l *lines) dotStep512(s string, masked bool, acc func(i, j int) int) {
	z, k := "", ""
	if masked {
		z, k = ".Z", ", K1"
	}
	for i, r := range dotARegs {
		l.in("VMOVUP%s%s (%s)(AX*1)%s, Z%d", s, z, r, k, 16+i)
	}
	for j, r := range dotBRegs {
		l.in("VMOVUP%s%s (%s)(AX*1)%s, Z%d", s, z, r, k, 20+j)
		for i := range 4 {
			l.in("VFMADD231P%s Z%d, Z%d, Z%d", s, 20+j, 16+i, acc(i, j))
		}
	}
}

// dotPrologue512 sets the row pointers, K2 and zero accumulators.
func (l *lines) dotPrologue512(shift int, prefix string) {
	l.in("MOVQ a+8(FP), R8")
	l.in("MOVQ lda+16(FP), DX")
	l.in("SHLQ $%d, DX", shift)
	l.in("MOVQ rows+24(FP), CX")
	l.rowPointers(dotARegs, prefix+"arow")
	l.in("MOVQ b+32(FP), R12")
	l.in("MOVQ ldb+40(FP), DX")
	l.in("SHLQ $%d, DX", shift)
	l.in("MOVQ cols+48(FP), CX")
	l.rowPointers(dotBRegs, prefix+"brow")
	l.in("// K2: the tile's columns")
	l.kmask("K2")
	for q := range 16 {
		if shift == 2 {
			l.in("VPXORD Z%d, Z%d, Z%d", q, q, q)
		} else {
			l.in("VPXORQ Z%d, Z%d, Z%d", q, q, q)
		}
	}
}

// dotLoop512 writes the full steps and the masked last one.
func (l *lines) dotLoop512(s string, lanes int, prefix string, acc func(i, j int) int) {
	shift := map[int]int{16: 4, 8: 3}[lanes]
	l.in("XORQ AX, AX")
	l.in("MOVQ k+0(FP), CX")
	l.in("SHRQ $%d, CX", shift)
	l.in("JEQ  %stail", prefix)
	l.p("")
	l.p("%sloop:", prefix)
	l.dotStep512(s, false, acc)
	l.in("ADDQ $64, AX")
	l.in("DECQ CX")
	l.in("JNE  %sloop", prefix)
	l.p("")
	l.p("%stail:", prefix)
	l.in("MOVQ k+0(FP), CX")
	l.in("ANDQ $%d, CX", lanes-1)
	l.in("JEQ  %sreduce", prefix)
	l.kmask("K1")
	l.dotStep512(s, true, acc)
	l.p("")
	l.p("%sreduce:", prefix)
}

// dotRow writes one row's epilogue: add C, the bias, the ReLU, store.
func (l *lines) dotRow(s, x, tmp, bias, zero, mask, label string, i int, avx2 bool) {
	load := func(dst string) string {
		if avx2 {
			return fmt.Sprintf("VMASKMOVP%s (DI), %s, %s", s, mask, dst)
		}
		return fmt.Sprintf("VMOVUP%s.Z (DI), %s, %s", s, mask, dst)
	}
	l.in("TESTQ $1, R8 // Accumulate")
	l.in("JEQ  %sbias%d", label, i)
	l.in("%s", load(tmp))
	l.in("VADDP%s %s, %s, %s", s, tmp, x, x)
	l.p("%sbias%d:", label, i)
	l.in("TESTQ $2, R8 // AddBias")
	l.in("JEQ  %srelu%d", label, i)
	l.in("VADDP%s %s, %s, %s", s, bias, x, x)
	l.p("%srelu%d:", label, i)
	l.in("TESTQ $4, R8 // ReLU")
	l.in("JEQ  %sstore%d", label, i)
	l.in("VMAXP%s %s, %s, %s", s, zero, x, x)
	l.p("%sstore%d:", label, i)
	if avx2 {
		l.in("VMASKMOVP%s %s, %s, (DI)", s, x, mask)
	} else {
		l.in("VMOVUP%s %s, %s, (DI)", s, x, mask)
	}
}

// reduce128 writes the first two levels of the lane reduction, on 128-bit
// blocks (shuf: VSHUFF32X4 or VSHUFF64X2, add: VADDPS or VADDPD): Z0..Z15
// summed pairwise into Z16..Z23 (each register's 256-bit halves), then
// into Z0..Z3 (its 128-bit quarters).
func (l *lines) reduce128(shuf, add string) {
	for m := range 8 {
		l.in("%s $0x44, Z%d, Z%d, Z24", shuf, 2*m+1, 2*m)
		l.in("%s $0xEE, Z%d, Z%d, Z25", shuf, 2*m+1, 2*m)
		l.in("%s Z25, Z24, Z%d", add, 16+m)
	}
	for m := range 4 {
		l.in("%s $0x88, Z%d, Z%d, Z24", shuf, 17+2*m, 16+2*m)
		l.in("%s $0xDD, Z%d, Z%d, Z25", shuf, 17+2*m, 16+2*m)
		l.in("%s Z25, Z24, Z%d", add, m)
	}
}

func dot512F32() string {
	var l lines
	l.p("// func sgemmDotAVX512Asm(k int, a *float32, lda, rows int, b *float32, ldb, cols int, c *float32, ldc int, bias *float32, alpha float32, flags GemmFlags)")
	l.p("TEXT ·sgemmDotAVX512Asm(SB), NOSPLIT, $0-96")
	l.dotPrologue512(2, "")
	// Accumulator 4j+i: the reduction network below brings register q to
	// lane 4(q%4)+q/4, that is (i, j) to lane 4i+j.
	l.dotLoop512("S", 16, "", func(i, j int) int { return 4*j + i })
	l.reduce128("VSHUFF32X4", "VADDPS")
	for m := range 2 {
		l.in("VSHUFPS $0x44, Z%d, Z%d, Z24", 2*m+1, 2*m)
		l.in("VSHUFPS $0xEE, Z%d, Z%d, Z25", 2*m+1, 2*m)
		l.in("VADDPS Z25, Z24, Z%d", 16+m)
	}
	l.in("VSHUFPS $0x88, Z17, Z16, Z24")
	l.in("VSHUFPS $0xDD, Z17, Z16, Z25")
	l.in("VADDPS Z25, Z24, Z0")
	l.in("VBROADCASTSS alpha+80(FP), Z1")
	l.in("VMULPS Z1, Z0, Z0")
	l.p("")
	l.in("// Row i of the tile is 128-bit lane i of Z0.")
	l.in("MOVQ c+56(FP), DI")
	l.in("MOVQ ldc+64(FP), DX")
	l.in("SHLQ $2, DX")
	l.in("MOVQ rows+24(FP), CX")
	l.in("MOVQ flags+88(FP), R8")
	l.in("// X1 = bias[0..cols) (AddBias), X4 = 0 (ReLU)")
	l.in("TESTQ $2, R8 // AddBias")
	l.in("JEQ  nobias")
	l.in("MOVQ bias+72(FP), R9")
	l.in("VMOVUPS.Z (R9), K2, X1")
	l.p("nobias:")
	l.in("VXORPS X4, X4, X4")
	for i := range 4 {
		if i == 0 {
			l.in("VMOVAPS X0, X2")
		} else {
			l.in("VEXTRACTF32X4 $%d, Z0, X2", i)
		}
		l.dotRow("S", "X2", "X3", "X1", "X4", "K2", "", i, false)
		if i < 3 {
			l.in("CMPQ CX, $%d", i+2)
			l.in("JLT  done")
			l.in("ADDQ DX, DI")
		}
	}
	l.p("")
	l.p("done:")
	l.in("VZEROUPPER")
	l.in("RET")
	return l.b.String()
}

func dot512F64() string {
	var l lines
	// The network below brings register q to lane l of result q/8 with
	// q%8 = perm[l]; rows 0, 1 are lanes 0..3, 4..7 of the first result.
	perm := []int{0, 4, 1, 5, 2, 6, 3, 7}
	acc := func(i, j int) int { return 8*(i/2) + perm[4*(i%2)+j] }
	l.p("// func dgemmDotAVX512Asm(k int, a *float64, lda, rows int, b *float64, ldb, cols int, c *float64, ldc int, bias *float64, alpha float64, flags GemmFlags)")
	l.p("TEXT ·dgemmDotAVX512Asm(SB), NOSPLIT, $0-96")
	l.dotPrologue512(3, "d")
	l.dotLoop512("D", 8, "d", acc)
	l.reduce128("VSHUFF64X2", "VADDPD")
	for m := range 2 {
		l.in("VUNPCKLPD Z%d, Z%d, Z24", 2*m+1, 2*m)
		l.in("VUNPCKHPD Z%d, Z%d, Z25", 2*m+1, 2*m)
		l.in("VADDPD Z25, Z24, Z%d", 16+m)
	}
	l.in("VBROADCASTSD alpha+80(FP), Z2")
	l.in("VMULPD Z2, Z16, Z0")
	l.in("VMULPD Z2, Z17, Z1")
	l.p("")
	l.in("// Y1.. rows: row 0 = low half of Z0, row 1 = its high half, rows 2, 3 of Z1.")
	l.in("VEXTRACTF64X4 $1, Z0, Y5")
	l.in("VEXTRACTF64X4 $1, Z1, Y6")
	l.in("MOVQ c+56(FP), DI")
	l.in("MOVQ ldc+64(FP), DX")
	l.in("SHLQ $3, DX")
	l.in("MOVQ rows+24(FP), CX")
	l.in("MOVQ flags+88(FP), R8")
	l.in("// Y3 = bias[0..cols) (AddBias), Y4 = 0 (ReLU)")
	l.in("TESTQ $2, R8 // AddBias")
	l.in("JEQ  dnobias")
	l.in("MOVQ bias+72(FP), R9")
	l.in("VMOVUPD.Z (R9), K2, Y3")
	l.p("dnobias:")
	l.in("VXORPD Y4, Y4, Y4")
	for i, x := range []string{"Y0", "Y5", "Y1", "Y6"} {
		l.dotRow("D", x, "Y7", "Y3", "Y4", "K2", "d", i, false)
		if i < 3 {
			l.in("CMPQ CX, $%d", i+2)
			l.in("JLT  ddone")
			l.in("ADDQ DX, DI")
		}
	}
	l.p("")
	l.p("ddone:")
	l.in("VZEROUPPER")
	l.in("RET")
	return l.b.String()
}

func genDotAVX512() *asmFile {
	return rawFile(dot512Doc + "\n" + dot512F32() + dot512F64Doc + "\n" + dot512F64())
}

const dot2Doc = `
// The fp32 dot-product kernel on AVX2 (see gemmdot.go): a tile of up to
// 2 x 4 elements of C = alpha * A * B^T (+ C, + bias, ReLU as flags say)
// with the rows of A and of B both read in place along the depth, eight
// depths per step.
//
// Register plan:
//   Y0..Y7    accumulators: A row i against B row j in Y(4i+j), each lane
//             a partial sum over the depths of that lane
//   Y8, Y9    eight depths of A rows 0, 1; Y10 eight depths of a B row
//   Y11       the depth mask of the last, partial step (VMASKMOVPS: lanes
//             past the depth read as zero and touch no memory)
//   R8, R9    A rows 0, 1, R12, R13, BX, SI  B rows 0..3 (rows or columns
//             past the last repeat it; their results are never stored)
//   AX = byte offset of the current depth step, CX = full steps left
//
// Per step: 6 loads, 8 FMAs. Each row's four accumulators are then summed
// across lanes by two horizontal adds, a third, and the sum of the two
// 128-bit halves, into the row's four elements.

// diota holds 0..7 (int32), for the depth and column masks.
`

func dot2Step(l *lines, masked bool) {
	for i, r := range dotARegs[:2] {
		if masked {
			l.in("VMASKMOVPS (%s)(AX*1), Y11, Y%d", r, 8+i)
		} else {
			l.in("VMOVUPS (%s)(AX*1), Y%d", r, 8+i)
		}
	}
	for j, r := range dotBRegs {
		if masked {
			l.in("VMASKMOVPS (%s)(AX*1), Y11, Y10", r)
		} else {
			l.in("VMOVUPS (%s)(AX*1), Y10", r)
		}
		for i := range 2 {
			l.in("VFMADD231PS Y10, Y%d, Y%d", 8+i, 4*i+j)
		}
	}
}

func genDotAVX2() *asmFile {
	var l lines
	for i := range 8 {
		l.p("DATA diota<>+%d(SB)/4, $%d", 4*i, i)
	}
	l.p("GLOBL diota<>(SB), RODATA|NOPTR, $32")
	l.p("")
	l.p("// func sgemmDotAVX2Asm(k int, a *float32, lda, rows int, b *float32, ldb, cols int, c *float32, ldc int, bias *float32, alpha float32, flags GemmFlags)")
	l.p("TEXT ·sgemmDotAVX2Asm(SB), NOSPLIT, $0-96")
	l.in("MOVQ a+8(FP), R8")
	l.in("MOVQ R8, R9")
	l.in("CMPQ rows+24(FP), $1")
	l.in("JLE  arow1")
	l.in("MOVQ lda+16(FP), DX")
	l.in("LEAQ (R8)(DX*4), R9")
	l.p("arow1:")
	l.in("MOVQ b+32(FP), R12")
	l.in("MOVQ ldb+40(FP), DX")
	l.in("SHLQ $2, DX")
	l.in("MOVQ cols+48(FP), CX")
	l.rowPointers(dotBRegs, "brow")
	for q := range 8 {
		l.in("VXORPS Y%d, Y%d, Y%d", q, q, q)
	}
	l.in("XORQ AX, AX")
	l.in("MOVQ k+0(FP), CX")
	l.in("SHRQ $3, CX")
	l.in("JEQ  tail")
	l.p("")
	l.p("loop:")
	dot2Step(&l, false)
	l.in("ADDQ $32, AX")
	l.in("DECQ CX")
	l.in("JNE  loop")
	l.p("")
	l.p("tail:")
	l.in("MOVQ k+0(FP), CX")
	l.in("ANDQ $7, CX")
	l.in("JEQ  reduce")
	l.in("MOVQ CX, X11")
	l.in("VPBROADCASTD X11, Y11")
	l.in("VMOVDQU diota<>(SB), Y10")
	l.in("VPCMPGTD Y10, Y11, Y11")
	dot2Step(&l, true)
	l.p("")
	l.p("reduce:")
	l.in("// Row i's sums into X(4i): hadd(Y4i, Y4i+1), hadd(Y4i+2, Y4i+3), their")
	l.in("// hadd, then the two 128-bit halves added.")
	for i := range 2 {
		b := 4 * i
		l.in("VHADDPS Y%d, Y%d, Y%d", b+1, b, b)
		l.in("VHADDPS Y%d, Y%d, Y%d", b+3, b+2, b+2)
		l.in("VHADDPS Y%d, Y%d, Y%d", b+2, b, b)
		l.in("VEXTRACTF128 $1, Y%d, X%d", b, b+1)
		l.in("VADDPS X%d, X%d, X%d", b+1, b, b)
	}
	l.in("VBROADCASTSS alpha+80(FP), X8")
	l.in("VMULPS X8, X0, X0")
	l.in("VMULPS X8, X4, X4")
	l.p("")
	l.in("// X11 = the tile's columns (mask), X9 = bias (AddBias), X10 = 0 (ReLU)")
	l.in("MOVQ cols+48(FP), CX")
	l.in("MOVQ CX, X11")
	l.in("VPBROADCASTD X11, X11")
	l.in("VMOVDQU diota<>(SB), X10")
	l.in("VPCMPGTD X10, X11, X11")
	l.in("MOVQ flags+88(FP), R8")
	l.in("TESTQ $2, R8 // AddBias")
	l.in("JEQ  nobias")
	l.in("MOVQ bias+72(FP), R9")
	l.in("VMASKMOVPS (R9), X11, X9")
	l.p("nobias:")
	l.in("VXORPS X10, X10, X10")
	l.in("MOVQ c+56(FP), DI")
	l.in("MOVQ ldc+64(FP), DX")
	l.in("SHLQ $2, DX")
	for i := range 2 {
		l.dotRow("S", fmt.Sprintf("X%d", 4*i), "X3", "X9", "X10", "X11", "", i, true)
		if i == 0 {
			l.in("CMPQ rows+24(FP), $2")
			l.in("JLT  done")
			l.in("ADDQ DX, DI")
		}
	}
	l.p("")
	l.p("done:")
	l.in("VZEROUPPER")
	l.in("RET")
	return rawFile(dot2Doc + l.b.String())
}
