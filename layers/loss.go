package layers

import (
	"math"

	"gonum.org/v1/gonum/blas/blas32"
)

// crossEntropy returns the mean softmax cross-entropy of the logits z
// (rows x classes) against the labels y and, when dz.Data is not nil, writes
// its gradient with respect to z into dz (same shape):
//
//	m_r = max_j z[r][j]
//	lse_r = m_r + log(sum_j exp(z[r][j] - m_r))
//	loss = (1/rows) sum_r (lse_r - z[r][y_r])
//	dz[r][j] = (exp(z[r][j] - lse_r) - [j == y_r]) / rows
//
// Subtracting the row maximum keeps every exponent at or below zero, so
// nothing overflows, and the sum is at least 1, so the logarithm is finite.
// Each row is reduced in float64. A NaN or infinite logit makes the loss
// NaN or infinite (which the training loop detects). It panics if a label is
// outside [0, classes).
func crossEntropy(z blas32.General, y []int, dz blas32.General) float64 {
	rows, k := z.Rows, z.Cols
	for _, c := range y[:rows] {
		if c < 0 || c >= k {
			panic(errLabelRange)
		}
	}
	if rows == 0 {
		return 0
	}
	inv := 1 / float64(rows)
	var total float64
	for r := 0; r < rows; r++ {
		zr := z.Data[r*z.Stride : r*z.Stride+k]
		m := math.Inf(-1)
		for _, v := range zr {
			m = math.Max(m, float64(v))
		}
		var s float64
		for _, v := range zr {
			s += math.Exp(float64(v) - m)
		}
		lse := m + math.Log(s)
		total += lse - float64(zr[y[r]])
		if dz.Data == nil {
			continue
		}
		dr := dz.Data[r*dz.Stride : r*dz.Stride+k]
		for j, v := range zr {
			p := math.Exp(float64(v) - lse)
			if j == y[r] {
				p--
			}
			dr[j] = float32(p * inv)
		}
	}
	return total * inv
}
