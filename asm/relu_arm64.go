//go:build !purego && !noasm

package asm

// reluNEONAsm is reluGeneric's loop without the length check:
//
//	for i, v := range x { if v > 0 { dst[i] = v } else { dst[i] = 0 } }
//
// It uses fcmgt #0.0 and a bitwise and rather than fmaxnm, which would turn
// a signaling NaN into a quiet NaN instead of +0.
//
//go:noescape
func reluNEONAsm(dst, x []float32)

// reluBackwardNEONAsm is reluBackwardGeneric's loop without the length checks:
//
//	for i, v := range y { if v > 0 { dx[i] = dy[i] } else { dx[i] = 0 } }
//
//go:noescape
func reluBackwardNEONAsm(dx, dy, y []float32)

// biasReluNEONAsm is biasReluGeneric's loop without the length checks:
//
//	for i := range x { s := x[i] + bias[i]; if s > 0 { dst[i] = s } else { dst[i] = 0 } }
//
//go:noescape
func biasReluNEONAsm(dst, x, bias []float32)

func reluNEON(dst, x []float32) {
	checkRelu(dst, x)
	reluNEONAsm(dst, x)
}

func reluBackwardNEON(dx, dy, y []float32) {
	checkReluBackward(dx, dy, y)
	reluBackwardNEONAsm(dx, dy, y)
}

func biasReluNEON(dst, x, bias []float32) {
	checkBiasRelu(dst, x, bias)
	biasReluNEONAsm(dst, x, bias)
}
