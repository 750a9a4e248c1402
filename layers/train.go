package layers

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/fastpath-go/fastpath/asm"
	"gonum.org/v1/gonum/blas/blas32"
)

// TrainConfig configures Train.
type TrainConfig struct {
	// Epochs is the number of the last epoch to train: Train runs epochs
	// 1 to Epochs, or Resume.Epoch+1 to Epochs when resuming. It must be
	// at least 1 (and more than Resume.Epoch).
	Epochs int
	// Resume, if not nil, continues a run from the progress recorded in a
	// checkpoint (see LoadCheckpoint): schedules and epoch numbers go on
	// from Resume.Epoch and, in the middle of an epoch, the remaining
	// mini-batches of that epoch are trained in the order the interrupted
	// run would have used. Resumed with the checkpoint's network and
	// optimizer (Checkpoint.RestoreOptimizer), the run's result equals the
	// uninterrupted run's bit for bit. Resuming in the middle of an epoch
	// requires the same Seed, BatchSize, NoShuffle and number of examples
	// as the interrupted run; at an epoch boundary they may change.
	Resume *Progress
	// BatchSize is the number of examples per step (default 100). The last
	// batch of an epoch holds the remainder.
	BatchSize int
	// Seed seeds the shuffling of the examples.
	Seed uint64
	// NoShuffle visits the examples in order instead of shuffling them at
	// every epoch.
	NoShuffle bool
	// Validation, if not nil, is evaluated (inference mode) after every
	// epoch.
	Validation Examples
	// Checkpoint, if not empty, is a path a training checkpoint (see
	// SaveCheckpoint: the model, the optimizer's state, the progress) is
	// written to after every epoch whose parameters are all finite, in one
	// atomic step: a crash or a divergence leaves the last good checkpoint.
	// When ctx is cancelled in the middle of an epoch, the partial epoch is
	// saved too before Train returns, so that Resume continues from there.
	Checkpoint string
	// CheckpointMeta is stored in every checkpoint as the caller's record
	// (Checkpoint.Meta); nil for none.
	CheckpointMeta []byte
	// OnEpoch, if not nil, receives each epoch's statistics, before the
	// epoch's checkpoint is written (so a record it keeps is never behind
	// the checkpoint: after a crash, the records past the checkpoint's
	// Progress.Epoch are the ones to drop). Returning ErrStop ends training
	// without error after the checkpoint; another error ends it with that
	// error, also after the checkpoint.
	OnEpoch func(EpochStats) error
	// OnStep, if not nil, is called after every step's update with the
	// step's position and loss, for progress reports. It runs on the
	// training goroutine between steps, so it should be quick; Train
	// itself allocates nothing for it. To stop training, cancel ctx.
	OnStep func(StepStats)
	// Parallel, if not nil, trains data-parallel across processes.
	Parallel *DataParallel
}

// DataParallel makes Train one of Size processes that train the same
// network together: BatchSize is the global mini-batch, every process reads
// the same shuffled order (the same Seed) and takes its contiguous share of
// each batch (rows [rows*Rank/Size, rows*(Rank+1)/Size)), computes the
// gradient of the mean loss over its share, scales it by share/rows, and
// Reduce sums the scaled gradients (and the losses) over the processes, so
// that every process holds the global batch's mean gradient and applies the
// same update. The trajectory is single-process training's with the same
// global batch up to float32 rounding (the sums over the batch's rows are
// grouped differently). Networks with dropout or normalization layers,
// whose training forward pass depends on the whole batch or on a random
// stream, are refused; optimizers that read the mini-batch themselves
// (pathsgd.DDPSGD) are not supported. Only one process should write
// checkpoints (set Checkpoint on rank 0 alone).
type DataParallel struct {
	Rank, Size int
	// Reduce replaces buf by its elementwise sum over the processes, in
	// place (dist.Comm.AllreduceSum32).
	Reduce func(buf []float32) error
}

// StepStats reports one training step to TrainConfig.OnStep.
type StepStats struct {
	// Epoch counts from 1 (as in EpochStats); Step counts the epoch's
	// mini-batches from 1 to Steps, the number of steps in the epoch.
	Epoch, Step, Steps int
	// Examples is the number of examples of the epoch trained on so far,
	// this step's included.
	Examples int
	// Loss is the step's mean training loss, before its update.
	Loss float64
}

// EpochStats reports one epoch of training.
type EpochStats struct {
	// Epoch counts from 1 (FirstEpoch+1 for the first epoch of a resumed
	// run).
	Epoch int
	// Steps and Examples are the number of mini-batches and examples.
	Steps, Examples int
	// Loss is the mean training loss over the epoch's examples, measured
	// during training (with dropout, before each step's update).
	Loss float64
	// Duration is the time spent training (validation excluded), and
	// ExamplesPerSec is Examples / Duration.
	Duration       time.Duration
	ExamplesPerSec float64
	// ValLoss and ValAccuracy are the mean loss and the fraction of
	// correctly classified examples of TrainConfig.Validation; NaN without
	// one.
	ValLoss, ValAccuracy float64
}

// DivergedError reports a non-finite training loss (or, at the end of an
// epoch, non-finite parameters). The network's parameters are not usable
// any more; the last checkpoint was written before the divergence.
type DivergedError struct {
	// Epoch counts from 1; Step counts the epoch's mini-batches from 1.
	Epoch, Step int
	// Loss is the offending loss (NaN when the parameters diverged).
	Loss float64
}

// Error names the epoch, the step and the loss.
func (e *DivergedError) Error() string {
	return fmt.Sprintf("layers: training diverged at epoch %d, step %d: loss = %v", e.Epoch, e.Step, e.Loss)
}

// Train trains net with opt on data for cfg.Epochs epochs of mini-batches.
//
// At each epoch it calls opt.SetEpoch, shuffles the examples (seeded by
// cfg.Seed and the epoch), then for each mini-batch: checks ctx, reads the
// batch, computes the loss and gradient and, if the loss is finite, applies
// opt's update (Network.TrainStep: Network.Gradient then opt.Step, or the
// fused path with FuseUpdates; with cfg.Parallel, Network.Gradient, the
// gradient reduction, then opt.Step). After the epoch it evaluates
// cfg.Validation, saves cfg.Checkpoint and calls cfg.OnEpoch. cfg.OnStep,
// if set, is called after each update.
//
// It returns ctx's error (wrapped, naming the epoch and step) when ctx is
// done, a *DivergedError when the loss or the parameters stop being finite,
// and an error when the data is inconsistent (wrong feature count, a label
// outside [0, net.OutSize())). Steps perform no heap allocation.
func Train(ctx context.Context, net *Network, opt Optimizer, data Examples, cfg TrainConfig) error {
	if net == nil {
		panic(errNilNetwork)
	}
	if opt == nil {
		return errors.New("layers: Train needs an optimizer (opt is nil)")
	}
	if v, ok := opt.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	if cfg.Epochs <= 0 {
		return fmt.Errorf("layers: %d epochs (want at least 1)", cfg.Epochs)
	}
	bs := cfg.BatchSize
	if bs == 0 {
		bs = 100
	}
	if bs < 0 {
		return fmt.Errorf("layers: negative batch size %d", bs)
	}
	if err := checkData(net, data, "training"); err != nil {
		return err
	}
	if cfg.Validation != nil {
		if err := checkData(net, cfg.Validation, "validation"); err != nil {
			return err
		}
	}
	total := data.Len()
	if total == 0 {
		return errors.New("layers: empty training set")
	}
	bs = min(bs, total)
	start := Progress{Seed: cfg.Seed, BatchSize: bs, NoShuffle: cfg.NoShuffle, Examples: total}
	if r := cfg.Resume; r != nil {
		if r.Epoch < 0 || r.Step < 0 {
			return fmt.Errorf("layers: negative progress in Resume (epoch %d, step %d)", r.Epoch, r.Step)
		}
		if r.Step > 0 && (r.Seed != cfg.Seed || r.BatchSize != bs || r.NoShuffle != cfg.NoShuffle || r.Examples != total) {
			return fmt.Errorf("layers: cannot resume in the middle of epoch %d with other settings (seed %d, batch %d, no-shuffle %v, %d examples; the checkpoint has %d, %d, %v, %d)",
				r.Epoch+1, cfg.Seed, bs, cfg.NoShuffle, total, r.Seed, r.BatchSize, r.NoShuffle, r.Examples)
		}
		if r.Step > 0 && r.Step >= (total+bs-1)/bs {
			return fmt.Errorf("layers: Resume says step %d of an epoch of %d steps", r.Step, (total+bs-1)/bs)
		}
		start.Epoch, start.Step, start.LossSum = r.Epoch, r.Step, r.LossSum
	}
	if cfg.Epochs <= start.Epoch {
		return fmt.Errorf("layers: Epochs %d: the run has completed %d epochs already", cfg.Epochs, start.Epoch)
	}
	par := cfg.Parallel
	if par != nil {
		if par.Size < 1 || par.Rank < 0 || par.Rank >= par.Size || par.Reduce == nil {
			return fmt.Errorf("layers: data-parallel rank %d of %d (and a Reduce function) is not a valid process", par.Rank, par.Size)
		}
		for _, l := range net.layers {
			switch l.(type) {
			case *Dropout, *BatchNorm, *DDPNorm:
				return fmt.Errorf("layers: data-parallel training does not support %v (its training pass depends on the whole batch or a random stream)", l)
			}
		}
	}
	net.Reserve(bs)
	xbuf := make([]float32, bs*net.InSize())
	var lossBuf [1]float32
	ybuf := make([]int, bs)
	idx := make([]int, total)
	for i := range idx {
		idx[i] = i
	}
	pcg := rand.NewPCG(0, 0)
	shuffle := rand.New(pcg)
	steps := (total + bs - 1) / bs

	for e := start.Epoch; e < cfg.Epochs; e++ {
		epoch := e + 1
		opt.SetEpoch(e)
		if !cfg.NoShuffle {
			// Each epoch's order depends only on (Seed, epoch), so a
			// resumed run visits the examples as the uninterrupted run
			// would.
			for i := range idx {
				idx[i] = i
			}
			pcg.Seed(cfg.Seed, uint64(e))
			shuffle.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		}
		began := time.Now()
		var sum float64
		step, first := 0, 0
		if e == start.Epoch {
			step, sum = start.Step, start.LossSum
			first = step * bs
		}
		for lo := first; lo < total; lo += bs {
			if err := ctx.Err(); err != nil {
				err = fmt.Errorf("layers: training stopped before epoch %d, step %d: %w", epoch, step+1, err)
				if cfg.Checkpoint != "" && (e > start.Epoch || step > start.Step) && net.finite() {
					p := start
					p.Epoch, p.Step, p.LossSum = e, step, sum
					if serr := SaveCheckpoint(cfg.Checkpoint, net, opt, p, cfg.CheckpointMeta); serr != nil {
						return fmt.Errorf("%w; saving the checkpoint failed: %v", err, serr)
					}
				}
				return err
			}
			step++
			rows := min(bs, total-lo)
			x := view(xbuf, rows, net.InSize())
			y := ybuf[:rows]
			var loss float64
			if par == nil {
				if err := readBatch(net, data, idx[lo:lo+rows], x, y); err != nil {
					return fmt.Errorf("%w (epoch %d, step %d)", err, epoch, step)
				}
				// TrainStep updates nothing when the loss is not finite.
				loss = net.TrainStep(x, y, opt)
			} else {
				var err error
				if loss, err = parallelGradient(net, data, idx[lo:lo+rows], xbuf, ybuf, par, &lossBuf); err != nil {
					return fmt.Errorf("%w (epoch %d, step %d)", err, epoch, step)
				}
			}
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return &DivergedError{Epoch: epoch, Step: step, Loss: loss}
			}
			if par != nil {
				opt.Step(net)
			}
			sum += loss * float64(rows)
			if cfg.OnStep != nil {
				cfg.OnStep(StepStats{Epoch: epoch, Step: step, Steps: steps, Examples: lo + rows, Loss: loss})
			}
		}
		dur := time.Since(began)
		if !net.finite() {
			return &DivergedError{Epoch: epoch, Step: step, Loss: math.NaN()}
		}
		st := EpochStats{
			Epoch: epoch, Steps: step, Examples: total,
			Loss:           sum / float64(total),
			Duration:       dur,
			ExamplesPerSec: float64(total-first) / dur.Seconds(),
			ValLoss:        math.NaN(), ValAccuracy: math.NaN(),
		}
		if cfg.Validation != nil {
			var err error
			st.ValLoss, st.ValAccuracy, err = evaluate(net, cfg.Validation, bs, xbuf, ybuf)
			if err != nil {
				return err
			}
		}
		var cbErr error
		if cfg.OnEpoch != nil {
			cbErr = cfg.OnEpoch(st)
		}
		if cfg.Checkpoint != "" {
			p := start
			p.Epoch, p.Step, p.LossSum = epoch, 0, 0
			if err := SaveCheckpoint(cfg.Checkpoint, net, opt, p, cfg.CheckpointMeta); err != nil {
				return fmt.Errorf("layers: checkpoint after epoch %d: %w", epoch, err)
			}
		}
		if cbErr != nil {
			if errors.Is(cbErr, ErrStop) {
				return nil
			}
			return cbErr
		}
	}
	return nil
}

// parallelGradient computes this process's share of the batch idx and
// sums the scaled gradients and losses over the processes: afterwards the
// network's gradients are the batch's mean gradient, and the returned loss
// its mean loss.
func parallelGradient(net *Network, data Examples, idx []int, xbuf []float32, ybuf []int, par *DataParallel, lossBuf *[1]float32) (float64, error) {
	rows := len(idx)
	lo, hi := rows*par.Rank/par.Size, rows*(par.Rank+1)/par.Size
	share := hi - lo
	lossBuf[0] = 0
	if share > 0 {
		x := view(xbuf, share, net.InSize())
		y := ybuf[:share]
		if err := readBatch(net, data, idx[lo:hi], x, y); err != nil {
			return 0, err
		}
		loss := net.Gradient(x, y)
		// g *= share/rows as g += (share/rows - 1) g, on the SIMD axpy.
		scale := float32(share) / float32(rows)
		for _, p := range net.params {
			asm.SAxpy(scale-1, p.Grad, p.Grad)
		}
		lossBuf[0] = float32(loss * float64(share) / float64(rows))
	} else {
		for _, p := range net.params {
			clear(p.Grad)
		}
	}
	for _, p := range net.params {
		if err := par.Reduce(p.Grad); err != nil {
			return 0, fmt.Errorf("layers: data-parallel gradient sum: %w", err)
		}
	}
	if err := par.Reduce(lossBuf[:]); err != nil {
		return 0, fmt.Errorf("layers: data-parallel loss sum: %w", err)
	}
	return float64(lossBuf[0]), nil
}

// checkData checks that a dataset is consistent (when it can say: a
// Validate method) and that its examples fit the network.
func checkData(net *Network, d Examples, what string) error {
	if d == nil {
		return fmt.Errorf("layers: nil %s set", what)
	}
	if v, ok := d.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("%s set: %w", what, err)
		}
	}
	if f := d.Dim(); f != net.InSize() {
		return fmt.Errorf("layers: %s set has %d features, the network takes %d", what, f, net.InSize())
	}
	return nil
}

// readBatch reads the examples idx into x and y and checks the labels and
// the features: a NaN or infinite feature would be hidden by the ReLUs
// (which map NaN to 0) and surface steps later as NaN weights.
func readBatch(net *Network, d Examples, idx []int, x blas32.General, y []int) error {
	d.Batch(idx, x, y)
	k := net.OutSize()
	for i, c := range y {
		if c < 0 || c >= k {
			return fmt.Errorf("layers: example %d has label %d, outside [0, %d)", idx[i], c, k)
		}
	}
	for r := 0; r < x.Rows; r++ {
		for j, v := range x.Data[r*x.Stride : r*x.Stride+x.Cols] {
			if v-v != 0 { // NaN or ±Inf
				return fmt.Errorf("layers: example %d has a non-finite feature %d (%v)", idx[r], j, v)
			}
		}
	}
	return nil
}

// Evaluate returns the mean softmax cross-entropy and the classification
// accuracy of net on d, in inference mode (dropout off), reading batches of
// batchSize examples (0 means 100).
func Evaluate(net *Network, d Examples, batchSize int) (loss, accuracy float64, err error) {
	if batchSize == 0 {
		batchSize = 100
	}
	if batchSize < 0 {
		return 0, 0, fmt.Errorf("layers: negative batch size %d", batchSize)
	}
	if err := checkData(net, d, "evaluation"); err != nil {
		return 0, 0, err
	}
	bs := max(1, min(batchSize, d.Len()))
	return evaluate(net, d, bs, make([]float32, bs*net.InSize()), make([]int, bs))
}

func evaluate(net *Network, d Examples, bs int, xbuf []float32, ybuf []int) (loss, accuracy float64, err error) {
	total := d.Len()
	if total == 0 {
		return math.NaN(), math.NaN(), nil
	}
	idx := make([]int, bs)
	var sum float64
	correct := 0
	for lo := 0; lo < total; lo += bs {
		rows := min(bs, total-lo)
		for i := range rows {
			idx[i] = lo + i
		}
		x := view(xbuf, rows, net.InSize())
		y := ybuf[:rows]
		if err := readBatch(net, d, idx[:rows], x, y); err != nil {
			return 0, 0, err
		}
		z := net.Forward(x)
		sum += crossEntropy(z, y, blas32.General{}) * float64(rows)
		for r := 0; r < rows; r++ {
			if argmax(z.Data[r*z.Stride:r*z.Stride+z.Cols]) == y[r] {
				correct++
			}
		}
	}
	return sum / float64(total), float64(correct) / float64(total), nil
}
