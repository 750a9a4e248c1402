package pathsgd

import (
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

type blasMatrix = blas32.General

// newBenchDDP is replaced when DDP-SGD exists.
func newBenchDDP(alpha float64) layers.Optimizer { return &layers.SGD{LR: layers.Constant(1e-6)} }
