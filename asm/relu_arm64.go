//go:build !purego && !noasm

package asm

// reluNEON is reluGeneric's loop without the length check:
//
//	for i, v := range x { if v > 0 { dst[i] = v } else { dst[i] = 0 } }
//
// It uses fcmgt #0.0 and a bitwise and rather than fmaxnm, which would turn
// a signaling NaN into a quiet NaN instead of +0.
//
//go:noescape
func reluNEON(dst, x []float32)

// reluBackwardNEON is reluBackwardGeneric's loop without the length checks:
//
//	for i, v := range y { if v > 0 { dx[i] = dy[i] } else { dx[i] = 0 } }
//
//go:noescape
func reluBackwardNEON(dx, dy, y []float32)

// biasReluNEON is biasReluGeneric's loop without the length checks:
//
//	for i := range x { s := x[i] + bias[i]; if s > 0 { dst[i] = s } else { dst[i] = 0 } }
//
//go:noescape
func biasReluNEON(dst, x, bias []float32)

func reluNEONChecked(dst, x []float32) {
	if len(dst) != len(x) {
		panic(errLength)
	}
	reluNEON(dst, x)
}

func reluBackwardNEONChecked(dx, dy, y []float32) {
	if len(dx) != len(dy) || len(dx) != len(y) {
		panic(errLength)
	}
	reluBackwardNEON(dx, dy, y)
}

func biasReluNEONChecked(dst, x, bias []float32) {
	if len(dst) != len(x) || len(dst) != len(bias) {
		panic(errLength)
	}
	biasReluNEON(dst, x, bias)
}
