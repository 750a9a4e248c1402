package experiment

import (
	"context"
	"math"
	"time"

	"github.com/fastpath-go/fastpath/layers"
)

// The optimization studies (pathsgd compare, ddp) share one protocol: for
// each configuration, every step size of a grid is trained for a few
// epochs and scored by its error on the validation split (a diverged
// candidate is recorded as diverged and never chosen); the chosen step size
// is then trained for the study's epochs, with the training loss and the
// test error measured after every epoch. This file owns that protocol.

// setup builds one configuration's network and its optimizer for a step
// size.
type setup struct {
	NewNet func() (*layers.Network, error)
	NewOpt func(lr float64) layers.Optimizer
}

// scoreCandidate trains s with step size lr on data for cfg.Epochs epochs
// in cell c (resuming it if interrupted) and returns its validation error
// and loss (NaN when it diverged) and the time it took.
func scoreCandidate(ctx context.Context, c *Cell, s setup, lr float64, data, val layers.Examples, cfg layers.TrainConfig) (valErr, valLoss float64, diverged bool, secs float64, err error) {
	t0 := time.Now()
	net, _, diverged, err := TrainCell(ctx, c, Training[gridEpoch]{
		NewNet: s.NewNet,
		NewOpt: func(*layers.Network) layers.Optimizer { return s.NewOpt(lr) },
		Data:   data, Config: cfg,
	})
	if err != nil {
		return 0, 0, false, 0, err
	}
	valErr, valLoss = math.NaN(), math.NaN()
	if !diverged {
		vloss, vacc, err := layers.Evaluate(net, val, cfg.BatchSize)
		if err != nil {
			return 0, 0, false, 0, err
		}
		valErr, valLoss = 1-vacc, vloss
	}
	return valErr, valLoss, diverged, time.Since(t0).Seconds(), nil
}

// bestStep returns the candidate with the lowest validation error among
// those that did not diverge (the first on ties), or the smallest step
// size when all diverged.
func bestStep(lrs, valErrs []float64, diverged []bool) float64 {
	best, bestErr := math.NaN(), math.Inf(1)
	for i, lr := range lrs {
		if !diverged[i] && valErrs[i] < bestErr {
			best, bestErr = lr, valErrs[i]
		}
	}
	if math.IsNaN(best) {
		best = lrs[0]
		for _, lr := range lrs {
			best = math.Min(best, lr)
		}
	}
	return best
}

// curvePoint is the record of one epoch of a long run.
type curvePoint struct {
	Epoch int
	// TrainLoss is evaluated after the epoch (inference mode) on the
	// training-evaluation subset; RunLoss is the mean loss during the
	// epoch (training mode).
	TrainLoss, RunLoss, TestErr float64
	// Seconds is the cell's training and evaluation time so far, across
	// sittings; TrainSeconds its training time alone.
	Seconds, TrainSeconds float64
	// Steps is the number of optimizer steps so far.
	Steps int
	// Diverged marks the record trainCurve appends after the last finite
	// epoch of a run that diverged (losses and error NaN).
	Diverged bool
}

// trainCurve trains s with step size lr on train for cfg.Epochs epochs in
// cell c (resuming it if interrupted), evaluating the training loss on
// trainEval and the error on test after every epoch; each record is passed
// to report as it is made. A run that diverged ends with a Diverged record
// (NaN figures, the times and steps of the last finite epoch), also passed
// to report.
func trainCurve(ctx context.Context, c *Cell, s setup, lr float64, train, trainEval, test layers.Examples, cfg layers.TrainConfig, report func(curvePoint)) ([]curvePoint, error) {
	pts, diverged, err := trainEpochs(ctx, c, s, lr, train, trainEval, test, cfg, report)
	if err != nil || !diverged {
		return pts, err
	}
	p := curvePoint{Epoch: len(pts) + 1, TrainLoss: math.NaN(), RunLoss: math.NaN(), TestErr: math.NaN(), Diverged: true}
	if len(pts) > 0 {
		last := pts[len(pts)-1]
		p.Seconds, p.TrainSeconds, p.Steps = last.Seconds, last.TrainSeconds, last.Steps
	}
	if report != nil {
		report(p)
	}
	return append(pts, p), nil
}

// trainEpochs is trainCurve without the divergence record.
func trainEpochs(ctx context.Context, c *Cell, s setup, lr float64, train, trainEval, test layers.Examples, cfg layers.TrainConfig, report func(curvePoint)) ([]curvePoint, bool, error) {
	_, rows, diverged, err := TrainCell(ctx, c, Training[curvePoint]{
		NewNet: s.NewNet,
		NewOpt: func(*layers.Network) layers.Optimizer { return s.NewOpt(lr) },
		Data:   train, Config: cfg,
		OnEpoch: func(net *layers.Network, st layers.EpochStats, prev []curvePoint) (curvePoint, error) {
			te := time.Now()
			tl, _, err := layers.Evaluate(net, trainEval, cfg.BatchSize)
			if err != nil {
				return curvePoint{}, err
			}
			_, tacc, err := layers.Evaluate(net, test, cfg.BatchSize)
			if err != nil {
				return curvePoint{}, err
			}
			p := curvePoint{Epoch: st.Epoch, TrainLoss: tl, RunLoss: st.Loss, TestErr: 1 - tacc,
				Seconds: st.Duration.Seconds() + time.Since(te).Seconds(), TrainSeconds: st.Duration.Seconds(), Steps: st.Steps}
			if len(prev) > 0 {
				last := prev[len(prev)-1]
				p.Seconds += last.Seconds
				p.TrainSeconds += last.TrainSeconds
				p.Steps += last.Steps
			}
			if report != nil {
				report(p)
			}
			return p, nil
		},
	})
	return rows, diverged, err
}
