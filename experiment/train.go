package experiment

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/fastpath-go/fastpath/layers"
)

// Training is the training run of one cell, for TrainCell.
type Training[R any] struct {
	// NewNet builds the cell's initial network (not called when the cell
	// resumes from its checkpoint).
	NewNet func() (*layers.Network, error)
	// NewOpt builds the cell's optimizer for net; its state comes back
	// from the checkpoint when the cell resumes.
	NewOpt func(net *layers.Network) layers.Optimizer
	// Data is the training set.
	Data layers.Examples
	// Config sets the epochs, batch size, seed and validation set;
	// TrainCell sets its Checkpoint, Resume and OnEpoch.
	Config layers.TrainConfig
	// OnEpoch, if not nil, makes the epoch's record (evaluations, timings)
	// from the network after the epoch; prev holds the records of the
	// epochs before (from earlier sittings too: cumulative times can
	// continue from the last). Records are kept in the cell's epochs.log,
	// so that a resumed cell returns those of the epochs trained before the
	// interruption too.
	OnEpoch func(net *layers.Network, st layers.EpochStats, prev []R) (R, error)
	// Stop, if not nil, ends training after the epoch whose record it
	// returns true for (early stopping on a training-error target); a
	// resumed cell whose last record says stop trains no further.
	Stop func(rec R) bool
}

// TrainCell trains a cell with layers.Train, checkpointing into c after
// every epoch (and on cancellation, in the middle of one) and resuming
// from there when the cell was interrupted: a resumed cell ends with the
// bits and the records of an uninterrupted one. It returns the final
// network, one record per epoch trained, and diverged = true (with a nil
// error) when training diverged: the records then end at the last epoch
// before the divergence.
func TrainCell[R any](ctx context.Context, c *Cell, t Training[R]) (net *layers.Network, records []R, diverged bool, err error) {
	cfg := t.Config
	ck, err := layers.LoadCheckpoint(c.Checkpoint)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if net, err = t.NewNet(); err != nil {
			return nil, nil, false, err
		}
	case err != nil:
		return nil, nil, false, fmt.Errorf("%w (delete %s to restart the cell)", err, c.Dir)
	default:
		net = ck.Net
		cfg.Resume = &ck.Progress
		if records, err = readRecords[R](c.Epochs); err != nil {
			return nil, nil, false, err
		}
		if len(records) < ck.Progress.Epoch {
			return nil, nil, false, fmt.Errorf("%s has %d records for a checkpoint after epoch %d (delete %s to restart the cell)", c.Epochs, len(records), ck.Progress.Epoch, c.Dir)
		}
	}
	// Records past the checkpoint belong to epochs a crash lost: they are
	// trained and recorded again.
	done := 0
	if cfg.Resume != nil {
		done = cfg.Resume.Epoch
	}
	records = records[:done]
	if err := writeRecords(c.Epochs, records); err != nil {
		return nil, nil, false, err
	}
	opt := t.NewOpt(net)
	if ck != nil {
		if err := ck.RestoreOptimizer(opt); err != nil {
			return nil, nil, false, err
		}
	}
	if done >= cfg.Epochs || (t.Stop != nil && done > 0 && t.Stop(records[done-1])) {
		return net, records, false, nil
	}
	cfg.Checkpoint = c.Checkpoint
	cfg.OnEpoch = func(st layers.EpochStats) error {
		var rec R
		if t.OnEpoch != nil {
			var err error
			if rec, err = t.OnEpoch(net, st, records); err != nil {
				return err
			}
		}
		records = append(records, rec)
		if err := appendRecord(c.Epochs, rec); err != nil {
			return err
		}
		if t.Stop != nil && t.Stop(rec) {
			return layers.ErrStop
		}
		return nil
	}
	err = layers.Train(ctx, net, opt, t.Data, cfg)
	var de *layers.DivergedError
	if errors.As(err, &de) {
		return net, records, true, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	return net, records, false, nil
}
