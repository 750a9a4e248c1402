//go:build !purego && !noasm

package asm

// scaleShiftAVX2Asm is scaleShiftGeneric's loop over len(dst) elements,
// fused:
//
//	for i := range dst { dst[i] = fma(x[i], scale[i], shift[i]) }
//
//go:noescape
func scaleShiftAVX2Asm(dst, x, scale, shift []float32)

// mulAddAVX2Asm is mulAddGeneric's loop over len(dst) elements, fused:
//
//	for i := range dst { dst[i] = fma(x[i], y[i], dst[i]) }
//
//go:noescape
func mulAddAVX2Asm(dst, x, y []float32)

func scaleShiftAVX2(dst, x, scale, shift []float32) {
	checkScaleShift(dst, x, scale, shift)
	scaleShiftAVX2Asm(dst, x, scale, shift)
}

func mulAddAVX2(dst, x, y []float32) {
	checkMulAdd(dst, x, y)
	mulAddAVX2Asm(dst, x, y)
}
