package main

import "fmt"

// Encoders for the AdvSIMD instructions the Go arm64 assembler has no
// mnemonic for (checked with Go 1.26). Bit layouts are from the Arm
// Architecture Reference Manual (A64 "Advanced SIMD three same",
// "two-register miscellaneous", "scalar pairwise" and "vector x indexed
// element" classes); -verify checks every word against GNU as.
//
// Register fields: Rd bits 0-4, Rn bits 5-9, Rm bits 16-20; sz (bit 22)
// selects double precision.

// arr is a vector arrangement: four singles or two doubles.
type arr int

const (
	s4 arr = iota // 4s
	d2            // 2d
)

func (a arr) sz() uint32 {
	if a == d2 {
		return 1
	}
	return 0
}

// gnu is the arrangement's GNU spelling, "4s" or "2d".
func (a arr) gnu() string {
	if a == d2 {
		return "2d"
	}
	return "4s"
}

// golang is the arrangement's Go assembler spelling, "S4" or "D2".
func (a arr) golang() string {
	if a == d2 {
		return "D2"
	}
	return "S4"
}

// elem is the element letter, "s" or "d".
func (a arr) elem() string {
	if a == d2 {
		return "d"
	}
	return "s"
}

// inst is one encoded instruction and its GNU disassembly.
type inst struct {
	word uint32
	dis  string
}

func reg(r int) uint32 {
	if r < 0 || r > 31 {
		panic(fmt.Sprintf("register V%d out of range", r))
	}
	return uint32(r)
}

// three builds a "three same" floating-point vector instruction.
func three(base uint32, mnem string, a arr, d, n, m int) inst {
	w := base | a.sz()<<22 | reg(m)<<16 | reg(n)<<5 | reg(d)
	g := a.gnu()
	return inst{w, fmt.Sprintf("%s v%d.%s, v%d.%s, v%d.%s", mnem, d, g, n, g, m, g)}
}

// fadd is fadd vd, vn, vm.
func fadd(a arr, d, n, m int) inst { return three(0x4E20D400, "fadd", a, d, n, m) }

// fmul is fmul vd, vn, vm.
func fmul(a arr, d, n, m int) inst { return three(0x6E20DC00, "fmul", a, d, n, m) }

// fsub is fsub vd, vn, vm: vd = vn - vm.
func fsub(a arr, d, n, m int) inst { return three(0x4EA0D400, "fsub", a, d, n, m) }

// fdiv is fdiv vd, vn, vm: vd = vn / vm.
func fdiv(a arr, d, n, m int) inst { return three(0x6E20FC00, "fdiv", a, d, n, m) }

// fsqrt is the vector square root fsqrt vd, vn.
func fsqrt(a arr, d, n int) inst {
	w := 0x6EA1F800 | a.sz()<<22 | reg(n)<<5 | reg(d)
	g := a.gnu()
	return inst{w, fmt.Sprintf("fsqrt v%d.%s, v%d.%s", d, g, n, g)}
}

// fmaxnm is fmaxnm vd, vn, vm.
func fmaxnm(a arr, d, n, m int) inst { return three(0x4E20C400, "fmaxnm", a, d, n, m) }

// faddp is the vector pairwise add faddp vd, vn, vm.
func faddp(a arr, d, n, m int) inst { return three(0x6E20D400, "faddp", a, d, n, m) }

// fcmgtz is fcmgt vd, vn, #0.0: all ones where vn > 0, else all zeros
// (NaN compares false).
func fcmgtz(a arr, d, n int) inst {
	w := 0x4EA0C800 | a.sz()<<22 | reg(n)<<5 | reg(d)
	g := a.gnu()
	return inst{w, fmt.Sprintf("fcmgt v%d.%s, v%d.%s, #0.0", d, g, n, g)}
}

// fcvtl is fcvtl vd.2d, vn.2s: widen the low two singles.
func fcvtl(d, n int) inst {
	return inst{0x0E617800 | reg(n)<<5 | reg(d), fmt.Sprintf("fcvtl v%d.2d, v%d.2s", d, n)}
}

// fcvtl2 is fcvtl2 vd.2d, vn.4s: widen the high two singles.
func fcvtl2(d, n int) inst {
	return inst{0x4E617800 | reg(n)<<5 | reg(d), fmt.Sprintf("fcvtl2 v%d.2d, v%d.4s", d, n)}
}

// faddpScalar is faddp sd, vn.2s (a == s4) or faddp dd, vn.2d (a == d2):
// the sum of the two low elements into a scalar register.
func faddpScalar(a arr, d, n int) inst {
	w := 0x7E30D800 | a.sz()<<22 | reg(n)<<5 | reg(d)
	src := "2s"
	if a == d2 {
		src = "2d"
	}
	return inst{w, fmt.Sprintf("faddp %s%d, v%d.%s", a.elem(), d, n, src)}
}

// fmlaElem is fmla vd, vn, vm.<e>[idx]: vd += vn * vm[idx].
func fmlaElem(a arr, d, n, m, idx int) inst {
	w := 0x4F801000 | a.sz()<<22 | reg(m)<<16 | reg(n)<<5 | reg(d)
	switch a {
	case s4:
		if idx < 0 || idx > 3 {
			panic("fmla s index out of range")
		}
		w |= uint32(idx&1)<<21 | uint32(idx>>1)<<11 // L, H
	case d2:
		if idx < 0 || idx > 1 {
			panic("fmla d index out of range")
		}
		w |= uint32(idx) << 11 // H
	}
	g := a.gnu()
	return inst{w, fmt.Sprintf("fmla v%d.%s, v%d.%s, v%d.%s[%d]", d, g, n, g, m, a.elem(), idx)}
}

// fabs is the vector absolute value fabs vd, vn (clears the sign bits; a
// NaN stays a NaN of the same kind).
func fabs(a arr, d, n int) inst {
	w := 0x4EA0F800 | a.sz()<<22 | reg(n)<<5 | reg(d)
	g := a.gnu()
	return inst{w, fmt.Sprintf("fabs v%d.%s, v%d.%s", d, g, n, g)}
}

// fcmeq is fcmeq vd, vn, vm: all ones where vn == vm, else all zeros (NaN
// compares unequal, +0 equals -0).
func fcmeq(a arr, d, n, m int) inst { return three(0x4E20E400, "fcmeq", a, d, n, m) }

// fmaxnmpScalar is fmaxnmp sd, vn.2s (a == s4) or fmaxnmp dd, vn.2d (a ==
// d2): the larger of the two low elements into a scalar register.
func fmaxnmpScalar(a arr, d, n int) inst {
	w := 0x7E30C800 | a.sz()<<22 | reg(n)<<5 | reg(d)
	src := "2s"
	if a == d2 {
		src = "2d"
	}
	return inst{w, fmt.Sprintf("fmaxnmp %s%d, v%d.%s", a.elem(), d, n, src)}
}

// fmaxnmv is fmaxnmv sd, vn.4s: the largest of the four singles into a
// scalar register (NaN handled as fmaxnm).
func fmaxnmv(d, n int) inst {
	return inst{0x6E30C800 | reg(n)<<5 | reg(d), fmt.Sprintf("fmaxnmv s%d, v%d.4s", d, n)}
}
