package experiment

import (
	"context"
	"math"
	"time"

	"github.com/fastpath-go/fastpath/layers"
)

// The width studies (the thesis's Figures 1 and 2) share one run: a
// network with one hidden layer of H ReLU units trained with the thesis's
// SGD schedule (lr 0.1 decayed by 0.99 per epoch, momentum 0.5 rising by
// 0.02 per epoch to 0.9, optionally L2 weight decay), the training,
// validation and test errors measured after every epoch; the run is
// reported at its early-stopping epoch (the lowest validation error) and
// at its last epoch.

// WidthRow is one width of a width study: at the early-stopping epoch
// (BestEpoch) and at the last epoch trained.
type WidthRow struct {
	H, BestEpoch                         int
	TrainErr, ValErr, TestErr, TrainLoss float64
	Seconds                              float64
	Diverged                             bool
	// The last epoch's training and test errors (what the network ends
	// with, without early stopping).
	FinalEpoch                  int
	FinalTrainErr, FinalTestErr float64
}

// widthRun is one run of a width study.
type widthRun struct {
	Train, Val, Test layers.Examples
	H, Classes       int
	Epochs, Batch    int
	WeightDecay      float64
	Seed             uint64
}

// widthRecord is one epoch of a width run.
type widthRecord struct {
	Epoch                                int
	TrainErr, ValErr, TestErr, TrainLoss float64
	Seconds                              float64
}

// trainWidth trains w in cell c (resumable) and summarises it.
func trainWidth(ctx context.Context, c *Cell, w widthRun) (WidthRow, error) {
	t0 := time.Now()
	_, recs, diverged, err := TrainCell(ctx, c, Training[widthRecord]{
		NewNet: func() (*layers.Network, error) {
			return layers.NewMLP([]int{w.Train.Dim(), w.H, w.Classes}, layers.MLPOptions{Seed: w.Seed, MaxBatch: w.Batch})
		},
		NewOpt: func(*layers.Network) layers.Optimizer {
			o := layers.ThesisSGD(0.1)
			o.WeightDecay = float32(w.WeightDecay)
			return o
		},
		Data: w.Train, Config: layers.TrainConfig{Epochs: w.Epochs, BatchSize: w.Batch, Seed: w.Seed},
		OnEpoch: func(net *layers.Network, st layers.EpochStats, prev []widthRecord) (widthRecord, error) {
			te := time.Now()
			rec := widthRecord{Epoch: st.Epoch}
			_, vacc, err := layers.Evaluate(net, w.Val, 1000)
			if err != nil {
				return rec, err
			}
			tl, tacc, err := layers.Evaluate(net, w.Train, 1000)
			if err != nil {
				return rec, err
			}
			_, teacc, err := layers.Evaluate(net, w.Test, 1000)
			if err != nil {
				return rec, err
			}
			rec.TrainErr, rec.ValErr, rec.TestErr, rec.TrainLoss = 1-tacc, 1-vacc, 1-teacc, tl
			rec.Seconds = st.Duration.Seconds() + time.Since(te).Seconds()
			if len(prev) > 0 {
				rec.Seconds += prev[len(prev)-1].Seconds
			}
			return rec, nil
		},
	})
	if err != nil {
		return WidthRow{}, err
	}
	row := WidthRow{H: w.H, ValErr: math.Inf(1), Diverged: diverged, Seconds: time.Since(t0).Seconds(),
		FinalTrainErr: math.NaN(), FinalTestErr: math.NaN()}
	for _, rec := range recs {
		if rec.ValErr < row.ValErr {
			row.BestEpoch, row.TrainErr, row.ValErr, row.TestErr, row.TrainLoss = rec.Epoch, rec.TrainErr, rec.ValErr, rec.TestErr, rec.TrainLoss
		}
	}
	if len(recs) > 0 {
		last := recs[len(recs)-1]
		row.Seconds = last.Seconds
		if !diverged {
			row.FinalEpoch, row.FinalTrainErr, row.FinalTestErr = last.Epoch, last.TrainErr, last.TestErr
		}
	}
	if row.BestEpoch == 0 {
		row.TrainErr, row.ValErr, row.TestErr, row.TrainLoss = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	return row, nil
}
