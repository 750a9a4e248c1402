package rnn

import (
	"fmt"
	"math"
	"testing"
)

func scratchInit(m *Model, init string) {
	switch init {
	case "irnn":
		m.InitIRNN(0.001, 1)
	case "irnnbal":
		m.InitNormal(1)
		for v := 0; v < m.cfg.Hidden; v++ {
			for u := 0; u < m.cfg.Hidden; u++ {
				w := float32(0)
				if u == v {
					w = 1
				}
				m.Wrec.Data[v*m.Wrec.Stride+u] = w
			}
		}
	default:
		m.InitNormal(1)
	}
}

func TestScratchLR(t *testing.T) {
	T := 30
	for _, opt := range []string{"path", "sgd"} {
	for _, init := range []string{"irnn", "irnnbal", "normal"} {
		for _, lr := range []float32{1e-4, 1e-3, 1e-2, 1e-1} {
			m, _ := New(Config{In: 2, Hidden: 32, Out: 1, Loss: Squared})
			scratchInit(m, init)
			test := addingBatch(5, T, 500)
			var o Optimizer = &PathSGD{LR: lr, Momentum: 0.9}
			if opt == "sgd" { o = &SGD{LR: lr, Momentum: 0.9} }
			for i := 0; i < 1000; i++ {
				m.Gradient(addingBatch(uint64(100+i), T, 16))
				m.ClipGradNorm(1)
				o.Step(m)
			}
			l := m.Loss(test)
			fmt.Printf("%s %s %g %.4f\n", opt, init, lr, math.Min(l, 99))
		}
	}
	}
}
