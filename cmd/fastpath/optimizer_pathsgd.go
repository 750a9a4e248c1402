package main

import (
	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/pathsgd"
)

// Path-SGD as a choice of "fastpath train -opt": steepest descent in the
// l2 path-regularizer geometry (package pathsgd). Its step sizes differ
// from SGD's: tune -lr on its own (the pathsgd experiment's grid search
// picked 0.01 for 784-1000-1000-10 on MNIST).
func init() {
	registerOptimizer(optimizerSpec{
		name:    "pathsgd",
		summary: "Path-SGD: the gradient divided by the path-norm geometry's kappa, optional momentum",
		uses:    []string{"momentum"},
		build: func(h hyper, _ *layers.Network) (layers.Optimizer, error) {
			return &pathsgd.PathSGD{LR: h.lrSchedule(), Momentum: h.momentumSchedule()}, nil
		},
	})
}
