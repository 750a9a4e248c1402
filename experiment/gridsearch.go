package experiment

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/layers"
)

// The optimization studies (pathsgd compare, ddp) share one protocol: for
// each configuration, every step size of a grid is trained for a few
// epochs and scored by its error on the validation split (a diverged
// candidate is recorded as diverged and never chosen); the chosen step size
// is then trained for the study's epochs, with the training loss and the
// test error measured after every epoch. This file owns that protocol.

// subset returns n examples of d drawn with seed (all of d when n is 0 or
// at least its length).
func subset(d *data.Dataset, n int, seed uint64) *data.Dataset {
	if n > 0 && n < d.Len() {
		return d.Subset(data.Permutation(d.Len(), seed)[:n])
	}
	return d
}

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

// tunedCell is one configuration of a study run under the protocol.
type tunedCell[K interface{ key() string }] struct {
	// Cell names the configuration: its String in the log, its key in
	// the cell keys grid-KEY-lr=LR and train-KEY.
	Cell K
	// Setup builds its network and optimizer.
	Setup setup
	// Fixed, when Tuned is false, is the step size used without a grid.
	Fixed float64
	Tuned bool
}

// protocol is what the protocol needs of a study: the grid and its
// training, the long runs' training, the data, and the width of the
// configuration column in the log.
type protocol struct {
	Grid                   []float64
	GridCfg, TrainCfg      layers.TrainConfig
	GridTrain, Val         layers.Examples
	Train, TrainEval, Test layers.Examples
	Width                  int
}

// gridScore is one grid candidate's score; a study's grid rows report
// theirs through a score method.
type gridScore struct {
	ValErr, ValLoss float64
	Diverged        bool
	Seconds         float64
}

// rowResult and rowsResult are the values the runner keeps per grid cell
// and per long-run cell (gob matches them by field name with the results
// of earlier versions, which named them per study).
type rowResult[G any] struct{ Row G }
type rowsResult[C any] struct{ Rows []C }

// tuneAndTrain runs the protocol on cells in r: the grid of every tuned
// cell first (all candidates of all cells, independent of each other, so
// that the table of chosen step sizes is complete early in a study spanning
// several sittings), then the long run of each cell's chosen step size.
// gridRow and curveRow make the study's rows of cell i; the grid rows come
// back in cell and grid order, the curve rows in cell and epoch order.
func tuneAndTrain[K interface {
	key() string
	String() string
}, G interface{ score() gridScore }, C any](ctx context.Context, r *Runner, log io.Writer, p protocol, cells []tunedCell[K],
	gridRow func(i int, lr float64, s gridScore) G, curveRow func(i int, lr float64, pt curvePoint) C) (grid []G, curves []C, err error) {
	// Work per cell for the estimate of time left: examples trained and
	// evaluated (an evaluation costing a third of a training example).
	gridWork := float64(p.GridCfg.Epochs*p.GridTrain.Len() + p.Val.Len()/3)
	trainWork := float64(p.TrainCfg.Epochs * (p.Train.Len() + (p.TrainEval.Len()+p.Test.Len())/3))
	total := 0.0
	for _, tc := range cells {
		if tc.Tuned {
			total += float64(len(p.Grid)) * gridWork
		}
		total += trainWork
	}
	r.SetWeights(func(key string) float64 {
		if strings.HasPrefix(key, "grid-") {
			return gridWork
		}
		return trainWork
	}, total)
	grids := make([][]rowResult[G], len(cells))
	var batch []BatchCell
	for i, tc := range cells {
		if !tc.Tuned {
			continue
		}
		grids[i] = make([]rowResult[G], len(p.Grid))
		for j, lr := range p.Grid {
			g := &grids[i][j]
			key := fmt.Sprintf("grid-%s-lr=%g", tc.Cell.key(), lr)
			batch = append(batch, BatchCell{Key: key, Result: g, Run: func(c *Cell) error {
				ve, vl, diverged, secs, err := scoreCandidate(ctx, c, tc.Setup, lr, p.GridTrain, p.Val, p.GridCfg)
				if err != nil {
					return err
				}
				g.Row = gridRow(i, lr, gridScore{ValErr: ve, ValLoss: vl, Diverged: diverged, Seconds: secs})
				fmt.Fprintf(log, "  grid %-*s lr=%-7g val error %.4f loss %.4f%s (%.1fs)\n", p.Width, tc.Cell, lr, ve, vl, divergedNote(diverged), secs)
				return nil
			}})
		}
	}
	if err := r.RunBatch(batch); err != nil {
		return nil, nil, err
	}
	// A grid cell finished in an earlier sitting comes back as its saved
	// row alone, so the scores are read from the rows.
	chosen := make([]float64, len(cells))
	for i, tc := range cells {
		if !tc.Tuned {
			chosen[i] = tc.Fixed
			continue
		}
		var errs []float64
		var div []bool
		for _, g := range grids[i] {
			grid = append(grid, g.Row)
			s := g.Row.score()
			errs, div = append(errs, s.ValErr), append(div, s.Diverged)
		}
		chosen[i] = bestStep(p.Grid, errs, div)
	}
	crs := make([]rowsResult[C], len(cells))
	batch = batch[:0]
	for i, tc := range cells {
		lr, cr := chosen[i], &crs[i]
		batch = append(batch, BatchCell{Key: "train-" + tc.Cell.key(), Result: cr, Run: func(c *Cell) error {
			pts, err := trainCurve(ctx, c, tc.Setup, lr, p.Train, p.TrainEval, p.Test, p.TrainCfg, func(pt curvePoint) {
				if pt.Diverged {
					fmt.Fprintf(log, "  %-*s lr=%-7g diverged\n", p.Width, tc.Cell, lr)
					return
				}
				fmt.Fprintf(log, "  %-*s lr=%-7g epoch %3d train loss %.4f test error %.4f (%.1fs)\n", p.Width, tc.Cell, lr, pt.Epoch, pt.TrainLoss, pt.TestErr, pt.Seconds)
			})
			if err != nil {
				return err
			}
			for _, pt := range pts {
				cr.Rows = append(cr.Rows, curveRow(i, lr, pt))
			}
			return nil
		}})
	}
	if err := r.RunBatch(batch); err != nil {
		return nil, nil, err
	}
	for _, cr := range crs {
		curves = append(curves, cr.Rows...)
	}
	return grid, curves, nil
}
