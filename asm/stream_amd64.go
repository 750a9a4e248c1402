//go:build !purego && !noasm

package asm

// streamSumAVX2Asm is streamSumGeneric's loop with eight ymm accumulators
// (VADDPS with a memory operand: two 32-byte loads and two additions per
// cycle at most):
//
//	var s float32
//	for _, v := range w { s += v }
//	return s
//
//go:noescape
func streamSumAVX2Asm(w []float32) float32

func init() {
	if hasAVX2FMA {
		streamSums["avx2"] = streamSumAVX2Asm
		streamSums["avx512"] = streamSumAVX2Asm
	}
}
