package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/fastpath-go/fastpath/layers"
)

// hyper holds the optimizer flags of "fastpath train": the values given
// (or defaulted) and which were given explicitly, so that an optimizer can
// reject a flag it does not use rather than ignore it.
type hyper struct {
	lr, momentum, wd float32
	// alpha mixes DDP-SGD's data-dependent scaling (1) and Path-SGD's (0).
	alpha float64
	// schedule is "constant" or "thesis".
	schedule string
	// set lists the flags given on the command line, by name without the
	// dash ("momentum").
	set map[string]bool
}

// lrSchedule is the learning rate per completed epoch: lr, or with the
// thesis schedule lr * 0.99^epochs.
func (h hyper) lrSchedule() layers.Schedule {
	if h.schedule == "thesis" {
		return layers.Exponential(h.lr, 0.99)
	}
	return layers.Constant(h.lr)
}

// momentumSchedule is the momentum per completed epoch: momentum, or with
// the thesis schedule momentum + 0.02 per epoch up to 0.9 (the thesis
// starts at 0.5). It is nil, plain SGD, when momentum is 0 with the
// constant schedule.
func (h hyper) momentumSchedule() layers.Schedule {
	if h.schedule == "thesis" {
		return layers.Linear(h.momentum, 0.02, max(h.momentum, 0.9))
	}
	if h.momentum == 0 {
		return nil
	}
	return layers.Constant(h.momentum)
}

// optimizerSpec is one optimizer that "fastpath train -opt NAME" can build.
type optimizerSpec struct {
	name    string
	summary string
	// uses lists the optional hyper-parameter flags the optimizer reads,
	// of "momentum", "wd" and "alpha"; giving another is a command-line
	// error.
	// -lr and -schedule apply to every optimizer.
	uses []string
	// build makes the optimizer for net. An error is a bad configuration
	// (reported with exit status 2).
	build func(h hyper, net *layers.Network) (layers.Optimizer, error)
}

var optimizers = map[string]optimizerSpec{}

// registerOptimizer adds an optimizer to the table that -opt picks from.
// Optimizers defined in other packages (Path-SGD) add themselves from an
// init function in their own file of this command, so that no shared list
// is edited. It panics on a duplicate name.
func registerOptimizer(s optimizerSpec) {
	if _, dup := optimizers[s.name]; dup {
		panic("fastpath: duplicate optimizer " + s.name)
	}
	optimizers[s.name] = s
}

func optimizerNames() []string {
	names := make([]string, 0, len(optimizers))
	for n := range optimizers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// uses reports whether the optimizer reads the flag.
func (s optimizerSpec) usesFlag(flag string) bool {
	for _, u := range s.uses {
		if u == flag {
			return true
		}
	}
	return false
}

// check rejects hyper-parameter flags the optimizer does not read and
// values outside their ranges.
func (s optimizerSpec) check(h hyper) error {
	for _, f := range []string{"momentum", "wd", "alpha"} {
		if h.set[f] && !s.usesFlag(f) {
			return fmt.Errorf("-%s does not apply to -opt %s", f, s.name)
		}
	}
	if !(h.lr > 0) || isInf32(h.lr) {
		return fmt.Errorf("-lr must be a positive number, not %v", h.lr)
	}
	if !(h.momentum >= 0 && h.momentum < 1) {
		return fmt.Errorf("-momentum must be in [0, 1), not %v", h.momentum)
	}
	if !(h.wd >= 0) || isInf32(h.wd) {
		return fmt.Errorf("-wd must be a non-negative number, not %v", h.wd)
	}
	if !(h.alpha >= 0 && h.alpha <= 1) {
		return fmt.Errorf("-alpha must be in [0, 1], not %v", h.alpha)
	}
	return nil
}

func isInf32(v float32) bool { return v > 3.4028235e38 || v < -3.4028235e38 }

// describe is the optimizer's settings as printed in train's header.
func (s optimizerSpec) describe(h hyper) string {
	parts := []string{s.name, fmt.Sprintf("lr=%g", h.lr)}
	if s.usesFlag("momentum") {
		parts = append(parts, fmt.Sprintf("momentum=%g", h.momentum))
	}
	if s.usesFlag("wd") {
		parts = append(parts, fmt.Sprintf("wd=%g", h.wd))
	}
	if s.usesFlag("alpha") {
		parts = append(parts, fmt.Sprintf("alpha=%g", h.alpha))
	}
	parts = append(parts, "schedule="+h.schedule)
	return strings.Join(parts, " ")
}

func init() {
	registerOptimizer(optimizerSpec{
		name:    "sgd",
		summary: "SGD with heavy-ball momentum and L2 weight decay on the weights",
		uses:    []string{"momentum", "wd"},
		build: func(h hyper, _ *layers.Network) (layers.Optimizer, error) {
			return &layers.SGD{LR: h.lrSchedule(), Momentum: h.momentumSchedule(), WeightDecay: h.wd}, nil
		},
	})
	registerOptimizer(optimizerSpec{
		name:    "adagrad",
		summary: "diagonal AdaGrad",
		build: func(h hyper, _ *layers.Network) (layers.Optimizer, error) {
			return &layers.AdaGrad{LR: h.lrSchedule()}, nil
		},
	})
}
