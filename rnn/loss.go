package rnn

import "math"

// crossEntropy returns the mean softmax cross-entropy of the logits y
// (rows x k, row-major) against labels and, when dy is not nil, writes its
// gradient with respect to y:
//
//	lse_r = m_r + log sum_j exp(y[r][j] - m_r),  m_r = max_j y[r][j]
//	loss  = (1/rows) sum_r (lse_r - y[r][label_r])
//	dy[r][j] = (exp(y[r][j] - lse_r) - [j == label_r]) / rows
//
// Each row is reduced in float64.
func crossEntropy(y []float32, k int, labels []int, dy []float32) float64 {
	rows := len(labels)
	inv := 1 / float64(rows)
	var total float64
	for r, lab := range labels {
		yr := y[r*k : (r+1)*k]
		mx := math.Inf(-1)
		for _, v := range yr {
			mx = math.Max(mx, float64(v))
		}
		var s float64
		for _, v := range yr {
			s += math.Exp(float64(v) - mx)
		}
		lse := mx + math.Log(s)
		total += lse - float64(yr[lab])
		if dy == nil {
			continue
		}
		dr := dy[r*k : (r+1)*k]
		for j, v := range yr {
			p := math.Exp(float64(v) - lse)
			if j == lab {
				p--
			}
			dr[j] = float32(p * inv)
		}
	}
	return total * inv
}

// squaredLoss returns (1/rows) sum_i (y_i - t_i)^2 over the rows x k values
// and, when dy is not nil, writes dy_i = 2 (y_i - t_i) / rows.
func squaredLoss(y, targets, dy []float32, rows int) float64 {
	inv := 1 / float64(rows)
	var total float64
	for i, v := range y {
		e := float64(v) - float64(targets[i])
		total += e * e
		if dy != nil {
			dy[i] = float32(2 * e * inv)
		}
	}
	return total * inv
}
