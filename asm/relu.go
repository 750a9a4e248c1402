package asm

// reluGeneric is the reference ReLU:
//
//	for i, v := range x { if v > 0 { dst[i] = v } else { dst[i] = 0 } }
//
// NaN and -0 map to +0. dst and x must have the same length; they may be
// the same slice.
func reluGeneric(dst, x []float32) {
	checkRelu(dst, x)
	for i, v := range x {
		if v > 0 {
			dst[i] = v
		} else {
			dst[i] = 0
		}
	}
}

// reluBackwardGeneric is the reference ReLU backward mask:
//
//	for i, v := range y { if v > 0 { dx[i] = dy[i] } else { dx[i] = 0 } }
//
// y may be the layer's output or its input (they are positive at the same
// places). dx may alias dy.
func reluBackwardGeneric(dx, dy, y []float32) {
	checkReluBackward(dx, dy, y)
	for i, v := range y {
		if v > 0 {
			dx[i] = dy[i]
		} else {
			dx[i] = 0
		}
	}
}

// biasReluGeneric is the reference fused bias+ReLU:
//
//	for i := range x { s := x[i] + bias[i]; if s > 0 { dst[i] = s } else { dst[i] = 0 } }
//
// dst may alias x.
func biasReluGeneric(dst, x, bias []float32) {
	checkBiasRelu(dst, x, bias)
	for i := range x {
		s := x[i] + bias[i]
		if s > 0 {
			dst[i] = s
		} else {
			dst[i] = 0
		}
	}
}

// Relu sets dst[i] = relu(x[i]) with the selected implementation.
func Relu(dst, x []float32) { Current().Relu(dst, x) }

// ReluBackward sets dx[i] = dy[i] where y[i] > 0 and 0 elsewhere, with the
// selected implementation.
func ReluBackward(dx, dy, y []float32) { Current().ReluBackward(dx, dy, y) }

// BiasRelu sets dst[i] = relu(x[i] + bias[i]) with the selected
// implementation.
func BiasRelu(dst, x, bias []float32) { Current().BiasRelu(dst, x, bias) }

// checkRelu panics, before any work, on arguments that no implementation of
// relu accepts: the one check its generic and assembly versions share.
func checkRelu(dst, x []float32) {
	if len(dst) != len(x) {
		panic(errLength)
	}
}

// checkReluBackward panics, before any work, on arguments that no implementation of
// reluBackward accepts: the one check its generic and assembly versions share.
func checkReluBackward(dx, dy, y []float32) {
	if len(dx) != len(dy) || len(dx) != len(y) {
		panic(errLength)
	}
}

// checkBiasRelu panics, before any work, on arguments that no implementation of
// biasRelu accepts: the one check its generic and assembly versions share.
func checkBiasRelu(dst, x, bias []float32) {
	if len(dst) != len(x) || len(dst) != len(bias) {
		panic(errLength)
	}
}
