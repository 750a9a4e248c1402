//go:build !purego && !noasm

package asm

// scaleShiftNEONAsm is scaleShiftGeneric's loop without the length checks,
// fused (fmla):
//
//	for i := range dst { dst[i] = fma(x[i], scale[i], shift[i]) }
//
//go:noescape
func scaleShiftNEONAsm(dst, x, scale, shift []float32)

// mulAddNEONAsm is mulAddGeneric's loop without the length checks, fused:
//
//	for i := range dst { dst[i] = fma(x[i], y[i], dst[i]) }
//
//go:noescape
func mulAddNEONAsm(dst, x, y []float32)

func scaleShiftNEON(dst, x, scale, shift []float32) {
	checkScaleShift(dst, x, scale, shift)
	scaleShiftNEONAsm(dst, x, scale, shift)
}

func mulAddNEON(dst, x, y []float32) {
	checkMulAdd(dst, x, y)
	mulAddNEONAsm(dst, x, y)
}
