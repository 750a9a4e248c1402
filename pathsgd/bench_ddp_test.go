package pathsgd

import (
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

type blasMatrix = blas32.General

func newBenchDDP(alpha float64) layers.Optimizer {
	return &DDPSGD{Alpha: alpha, LR: layers.Constant(1e-6)}
}
