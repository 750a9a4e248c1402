package main

import (
	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/pathsgd"
)

// Path-SGD and DDP-SGD as choices of "fastpath train -opt": steepest
// descent in the l2 path-regularizer geometry, and its data-dependent
// version (package pathsgd). Their step sizes differ from SGD's: tune -lr
// on its own (the pathsgd experiment's grid search picked 0.01 for Path-SGD
// on 784-1000-1000-10 MNIST).
func init() {
	registerOptimizer(optimizerSpec{
		name:    "pathsgd",
		summary: "Path-SGD: the gradient divided by the path-norm geometry's kappa, optional momentum",
		uses:    []string{"momentum"},
		build: func(h hyper, _ *layers.Network) (layers.Optimizer, error) {
			return &pathsgd.PathSGD{LR: h.lrSchedule(), Momentum: h.momentumSchedule()}, nil
		},
	})
	registerOptimizer(optimizerSpec{
		name:    "ddp",
		summary: "DDP-SGD: data-dependent path normalization (-alpha 1) mixed with Path-SGD's (-alpha 0), optional momentum",
		uses:    []string{"momentum", "alpha"},
		build: func(h hyper, _ *layers.Network) (layers.Optimizer, error) {
			return &pathsgd.DDPSGD{LR: h.lrSchedule(), Momentum: h.momentumSchedule(), Alpha: h.alpha}, nil
		},
	})
}
