package experiment

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/layers"
)

// The censored study is the thesis's Figure 2 (pathsgd.md section 7): one
// hidden layer of H units on 10x10 MNIST with small training and
// validation sets (2000 images each), H from 4 up, under three label
// regimes:
//
//   - original: MNIST's labels, trained without and with weight decay (the
//     decay chosen per width and repetition by validation error from a
//     grid);
//   - censored: every label of the data (training, validation and test)
//     replaced by the prediction of a trained network with H0 = 4 hidden
//     units (the teacher, trained on all 60000 training images), a task a
//     4-unit network solves exactly;
//   - noisy: the censored labels with a fraction (5%) of the training and
//     validation labels changed to another class drawn at random; the test
//     labels stay censored.
//
// Each width is trained with the thesis's SGD schedule (experiment/width.go)
// in several repetitions, each with its own training and validation images
// (a seeded draw from the training set), label noise, initialisation and
// shuffling; the test set is MNIST's 10000 test images. The thesis's point:
// with censored labels, which a 4-unit network fits exactly, larger
// networks still generalize as well or better, with and without noise.

// CensoredConfig are the settings of the censored study.
type CensoredConfig struct {
	// MNIST is the MNIST directory ("" for the default of data.MNISTDir).
	MNIST string `json:"-"`
	// Train and Val are the training and validation set sizes per
	// repetition; Test the test images used (0: all).
	Train, Val, Test int
	Widths           []int
	// Teacher is H0, the censoring network's hidden units, trained for
	// TeacherEpochs on all training images.
	Teacher, TeacherEpochs int
	// Noise is the fraction of training and validation labels changed in
	// the noisy regime.
	Noise float64
	// Decays are the weight-decay candidates of the original regime.
	Decays []float64
	Epochs int
	Batch  int
	Reps   int
	Seed   uint64
}

// DefaultCensoredConfig returns the thesis's settings with 200 epochs per
// run and the decay grid 10^-4, 10^-3, 10^-2.
func DefaultCensoredConfig() CensoredConfig {
	return CensoredConfig{
		Train: 2000, Val: 2000, Widths: []int{4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096},
		Teacher: 4, TeacherEpochs: 20, Noise: 0.05, Decays: []float64{1e-4, 1e-3, 1e-2},
		Epochs: 200, Batch: 100, Reps: 5, Seed: 1,
	}
}

// Validate reports settings that cannot run.
func (c CensoredConfig) Validate() error {
	switch {
	case c.Train < 1 || c.Val < 1 || c.Test < 0:
		return fmt.Errorf("train and val must be positive, test not negative")
	case c.Epochs < 1 || c.Batch < 1 || c.Reps < 1 || c.Teacher < 1 || c.TeacherEpochs < 1:
		return fmt.Errorf("epochs, batch, reps, teacher and teacher epochs must be positive")
	case c.Batch > layers.MaxBatch:
		return fmt.Errorf("batch %d above %d", c.Batch, layers.MaxBatch)
	case !(c.Noise >= 0 && c.Noise <= 1):
		return fmt.Errorf("noise %v outside [0, 1]", c.Noise)
	case len(c.Widths) == 0:
		return fmt.Errorf("no widths")
	}
	for _, h := range c.Widths {
		if h < 1 || h > layers.MaxFeatures {
			return fmt.Errorf("width %d outside [1, %d]", h, layers.MaxFeatures)
		}
	}
	for _, d := range c.Decays {
		if !(d > 0) || math.IsInf(d, 0) {
			return fmt.Errorf("weight decay %v (want > 0)", d)
		}
	}
	return nil
}

// Cells returns the number of runner cells: the teacher and every
// (regime, decay, width, repetition) run.
func (c CensoredConfig) Cells() int { return 1 + len(c.Widths)*c.Reps*(3+len(c.Decays)) }

// The label regimes, in the order of the figure's panels.
const (
	RegimeOriginal   = "original"
	RegimeDecay      = "original+wd"
	RegimeCensored   = "censored"
	RegimeNoisy      = "noisy"
	regimeDecayTrial = "wd"
)

// CensoredRun is one trained network.
type CensoredRun struct {
	Regime string
	Decay  float64
	Rep    int
	WidthRow
}

// CensoredPoint summarises a regime at one width over the repetitions:
// the mean, smallest and largest of each error.
type CensoredPoint struct {
	Regime string
	H      int
	Reps   int
	// TestES is the test error at the early-stopping epoch, TrainFinal
	// and TestFinal the errors at the last epoch.
	TestES, TrainFinal, TestFinal Spread
	// Decays are the weight decays chosen (RegimeDecay), one per
	// repetition.
	Decays []float64
}

// Spread is the mean and range of a quantity over repetitions.
type Spread struct{ Mean, Min, Max float64 }

func spreadOf(v []float64) Spread {
	s := Spread{Min: math.Inf(1), Max: math.Inf(-1)}
	n := 0
	for _, x := range v {
		if math.IsNaN(x) {
			continue
		}
		s.Mean += x
		s.Min, s.Max = math.Min(s.Min, x), math.Max(s.Max, x)
		n++
	}
	if n == 0 {
		return Spread{math.NaN(), math.NaN(), math.NaN()}
	}
	s.Mean /= float64(n)
	return s
}

// CensoredResult is the outcome of the censored study.
type CensoredResult struct {
	Config CensoredConfig
	// TeacherTrainErr and TeacherTestErr are the teacher's errors against
	// MNIST's labels; Agreement the fraction of censored training-pool
	// labels equal to the original ones.
	TeacherTrainErr, TeacherTestErr, Agreement float64
	// TestImages is the number of test images the errors are measured on.
	TestImages int
	Runs       []CensoredRun
	Points     []CensoredPoint
	Kernels    string
	Seconds    float64
}

// teacherResult keeps the teacher's parameters (tiny) so that its labels
// can be recomputed when the study resumes.
type teacherResult struct {
	Params            [][]float32
	TrainErr, TestErr float64
}

// CensorLabels returns d with every label replaced by net's prediction
// (the inputs are shared, not copied).
func CensorLabels(d *data.Dataset, net *layers.Network) *data.Dataset {
	c := *d
	c.Y = make([]int, d.Len())
	for lo := 0; lo < d.Len(); lo += 1000 {
		hi := min(lo+1000, d.Len())
		x := d.X
		x.Rows, x.Data = hi-lo, d.X.Data[lo*d.X.Stride:]
		net.Predict(x, c.Y[lo:hi])
	}
	c.Classes = max(d.Classes, net.OutSize())
	return &c
}

// NoisyLabels returns d with round(frac * Len) labels, at positions drawn
// from seed, changed to another class drawn uniformly from the remaining
// Classes-1 (the inputs are shared, not copied). It panics unless frac is
// in [0, 1] and d has at least two classes.
func NoisyLabels(d *data.Dataset, frac float64, seed uint64) *data.Dataset {
	if !(frac >= 0 && frac <= 1) || d.Classes < 2 {
		panic("experiment: noise fraction outside [0, 1] or fewer than two classes")
	}
	c := *d
	c.Y = slices.Clone(d.Y)
	n := int(math.Round(frac * float64(d.Len())))
	r := data.NewRand(seed ^ 0x5eed0f1abe15)
	for _, i := range data.Permutation(d.Len(), seed)[:n] {
		k := r.IntN(d.Classes - 1)
		if k >= c.Y[i] {
			k++
		}
		c.Y[i] = k
	}
	return &c
}

// CensoredStudy runs the study in r's directory (resumable: the teacher
// and every run are cells of r), logging progress to log.
func CensoredStudy(ctx context.Context, cfg CensoredConfig, r *Runner, log io.Writer) (*CensoredResult, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	full, test, err := Source{MNIST: cfg.MNIST}.Load()
	if err != nil {
		return nil, err
	}
	full, test = full.Downsample(10, 10), test.Downsample(10, 10)
	test = subset(test, cfg.Test, cfg.Seed+1)
	if cfg.Train+cfg.Val > full.Len() {
		return nil, fmt.Errorf("%d training and %d validation images: the training set has %d", cfg.Train, cfg.Val, full.Len())
	}
	res := &CensoredResult{Config: cfg, Kernels: asm.Describe(), TestImages: test.Len()}
	fmt.Fprintf(log, "censored: 10x10 MNIST, %d training and %d validation images per repetition, %d test images, %d repetitions, %d epochs; %s\n",
		cfg.Train, cfg.Val, test.Len(), cfg.Reps, cfg.Epochs, res.Kernels)
	// Work per cell for the estimate of time left: the hidden units.
	total := 1.0
	for _, h := range cfg.Widths {
		total += float64(h*cfg.Reps*(3+len(cfg.Decays))) + 1
	}
	r.SetWeights(func(key string) float64 {
		var h int
		if _, err := fmt.Sscanf(key[strings.Index(key, "H=")+2:], "%d", &h); err == nil {
			return float64(h) + 1
		}
		return 1
	}, total)

	// The teacher.
	var tr teacherResult
	_, err = r.Run("teacher", &tr, func(c *Cell) error {
		net, recs, diverged, err := TrainCell(ctx, c, Training[gridEpoch]{
			NewNet: func() (*layers.Network, error) {
				return layers.NewMLP([]int{full.Dim(), cfg.Teacher, 10}, layers.MLPOptions{Seed: cfg.Seed, MaxBatch: cfg.Batch})
			},
			NewOpt: func(*layers.Network) layers.Optimizer { return layers.ThesisSGD(0.1) },
			Data:   full, Config: layers.TrainConfig{Epochs: cfg.TeacherEpochs, BatchSize: cfg.Batch, Seed: cfg.Seed},
		})
		if err != nil {
			return err
		}
		if diverged {
			return fmt.Errorf("the teacher diverged after %d epochs", len(recs))
		}
		for _, p := range net.Params() {
			tr.Params = append(tr.Params, slices.Clone(p.Value))
		}
		_, tacc, err := layers.Evaluate(net, full, 1000)
		if err != nil {
			return err
		}
		_, teacc, err := layers.Evaluate(net, test, 1000)
		if err != nil {
			return err
		}
		tr.TrainErr, tr.TestErr = 1-tacc, 1-teacc
		fmt.Fprintf(log, "  teacher H0=%d: training error %.4f, test error %.4f\n", cfg.Teacher, tr.TrainErr, tr.TestErr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	teacher, err := layers.NewMLP([]int{full.Dim(), cfg.Teacher, 10}, layers.MLPOptions{})
	if err != nil {
		return nil, err
	}
	if len(tr.Params) != len(teacher.Params()) {
		return nil, fmt.Errorf("the teacher's saved parameters do not fit its network (delete %s to retrain it)", filepath.Join(r.Dir, "cells", "teacher"))
	}
	for i, p := range teacher.Params() {
		if len(tr.Params[i]) != len(p.Value) {
			return nil, fmt.Errorf("the teacher's saved parameters do not fit its network (delete %s to retrain it)", filepath.Join(r.Dir, "cells", "teacher"))
		}
		copy(p.Value, tr.Params[i])
	}
	res.TeacherTrainErr, res.TeacherTestErr = tr.TrainErr, tr.TestErr
	censFull, censTest := CensorLabels(full, teacher), CensorLabels(test, teacher)
	agree := 0
	for i, y := range censFull.Y {
		if y == full.Y[i] {
			agree++
		}
	}
	res.Agreement = float64(agree) / float64(full.Len())

	for rep := range cfg.Reps {
		perm := data.Permutation(full.Len(), cfg.Seed+100+uint64(rep))
		tIdx, vIdx := perm[:cfg.Train], perm[cfg.Train:cfg.Train+cfg.Val]
		orig := [3]*data.Dataset{full.Subset(tIdx), full.Subset(vIdx), test}
		cens := [3]*data.Dataset{censFull.Subset(tIdx), censFull.Subset(vIdx), censTest}
		noisy := [3]*data.Dataset{NoisyLabels(cens[0], cfg.Noise, cfg.Seed+200+uint64(rep)), NoisyLabels(cens[1], cfg.Noise, cfg.Seed+300+uint64(rep)), censTest}
		seed := cfg.Seed + uint64(rep)
		for _, h := range cfg.Widths {
			run := func(regime string, decay float64, d [3]*data.Dataset) (CensoredRun, error) {
				key := fmt.Sprintf("%s-H=%d-rep=%d", regime, h, rep)
				if regime == regimeDecayTrial {
					key = fmt.Sprintf("wd=%g-H=%d-rep=%d", decay, h, rep)
				}
				var cr CensoredRun
				_, err := r.Run(key, &cr, func(c *Cell) error {
					row, err := trainWidth(ctx, c, widthRun{Train: d[0], Val: d[1], Test: d[2], H: h, Classes: 10,
						Epochs: cfg.Epochs, Batch: cfg.Batch, WeightDecay: decay, Seed: seed})
					if err != nil {
						return err
					}
					cr = CensoredRun{Regime: regime, Decay: decay, Rep: rep, WidthRow: row}
					fmt.Fprintf(log, "  %-9s wd=%-6g H=%-5d rep %d: early stop %3d val %.4f test %.4f; last epoch train %.4f test %.4f%s (%.1fs)\n",
						regime, decay, h, rep, row.BestEpoch, row.ValErr, row.TestErr, row.FinalTrainErr, row.FinalTestErr, divergedNote(row.Diverged), row.Seconds)
					return nil
				})
				return cr, err
			}
			for _, reg := range []struct {
				name string
				d    [3]*data.Dataset
			}{{RegimeOriginal, orig}, {RegimeCensored, cens}, {RegimeNoisy, noisy}} {
				cr, err := run(reg.name, 0, reg.d)
				if err != nil {
					return nil, err
				}
				res.Runs = append(res.Runs, cr)
			}
			for _, decay := range cfg.Decays {
				cr, err := run(regimeDecayTrial, decay, orig)
				if err != nil {
					return nil, err
				}
				res.Runs = append(res.Runs, cr)
			}
		}
	}
	res.summarize()
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// summarize fills Points from Runs: per regime and width, the spread over
// repetitions; RegimeDecay takes, per repetition, the decay trial with the
// lowest validation error.
func (res *CensoredResult) summarize() {
	c := res.Config
	res.Points = nil
	for _, regime := range []string{RegimeOriginal, RegimeDecay, RegimeCensored, RegimeNoisy} {
		for _, h := range c.Widths {
			pt := CensoredPoint{Regime: regime, H: h}
			var es, trf, tef []float64
			for rep := range c.Reps {
				var pick *CensoredRun
				for i := range res.Runs {
					run := &res.Runs[i]
					if run.H != h || run.Rep != rep {
						continue
					}
					switch {
					case regime == RegimeDecay && run.Regime == regimeDecayTrial:
						if pick == nil || run.ValErr < pick.ValErr || math.IsNaN(pick.ValErr) {
							pick = run
						}
					case run.Regime == regime:
						pick = run
					}
				}
				if pick == nil {
					continue
				}
				pt.Reps++
				es, trf, tef = append(es, pick.TestErr), append(trf, pick.FinalTrainErr), append(tef, pick.FinalTestErr)
				if regime == RegimeDecay {
					pt.Decays = append(pt.Decays, pick.Decay)
				}
			}
			if pt.Reps == 0 {
				continue
			}
			pt.TestES, pt.TrainFinal, pt.TestFinal = spreadOf(es), spreadOf(trf), spreadOf(tef)
			res.Points = append(res.Points, pt)
		}
	}
}

// WriteFiles writes censored_runs.csv, censored.csv (the summary) and
// censored.md to dir.
func (res *CensoredResult) WriteFiles(dir string) error {
	runs := [][]string{{"regime", "weight_decay", "hidden", "rep", "best_epoch", "train_error", "val_error", "test_error", "final_epoch", "final_train_error", "final_test_error", "diverged", "seconds"}}
	for _, r := range res.Runs {
		runs = append(runs, []string{r.Regime, Ftoa(r.Decay), fmt.Sprint(r.H), fmt.Sprint(r.Rep), fmt.Sprint(r.BestEpoch), Ftoa(r.TrainErr), Ftoa(r.ValErr), Ftoa(r.TestErr),
			fmt.Sprint(r.FinalEpoch), Ftoa(r.FinalTrainErr), Ftoa(r.FinalTestErr), fmt.Sprint(r.Diverged), Ftoa(r.Seconds)})
	}
	sum := [][]string{{"regime", "hidden", "reps", "test_error_early_stop", "min", "max", "train_error_final", "min", "max", "test_error_final", "min", "max", "decays"}}
	for _, p := range res.Points {
		var ds []string
		for _, d := range p.Decays {
			ds = append(ds, Ftoa(d))
		}
		sum = append(sum, []string{p.Regime, fmt.Sprint(p.H), fmt.Sprint(p.Reps), Ftoa(p.TestES.Mean), Ftoa(p.TestES.Min), Ftoa(p.TestES.Max),
			Ftoa(p.TrainFinal.Mean), Ftoa(p.TrainFinal.Min), Ftoa(p.TrainFinal.Max), Ftoa(p.TestFinal.Mean), Ftoa(p.TestFinal.Min), Ftoa(p.TestFinal.Max), strings.Join(ds, " ")})
	}
	if err := WriteCSV(filepath.Join(dir, "censored_runs.csv"), runs); err != nil {
		return err
	}
	if err := WriteCSV(filepath.Join(dir, "censored.csv"), sum); err != nil {
		return err
	}
	return WriteText(filepath.Join(dir, "censored.md"), res.Markdown())
}

// Markdown summarises the study: per regime and width, the mean (and
// range) over repetitions of the errors.
func (res *CensoredResult) Markdown() string {
	c := res.Config
	runSeconds := 0.0
	for _, r := range res.Runs {
		runSeconds += r.Seconds
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Width with small data, weight decay and censored labels (the thesis's Figure 2)\n\n")
	fmt.Fprintf(&b, "10x10 MNIST, one hidden layer, %d training and %d validation images per repetition (%d repetitions), %d test images; SGD lr 0.1 x 0.99/epoch, momentum 0.5 + 0.02/epoch up to 0.9, batch %d, %s. "+
		"Weight decay chosen per width and repetition from %v by validation error. Censored labels: the predictions of a %d-unit network trained %s on all training images "+
		"(its error against MNIST's labels: %.4f training, %.4f test; it agrees with %.1f%% of the training labels); noisy: %.0f%% of the censored training and validation labels changed at random. %s. Training time summed over the %d runs: %.0f s.\n\n",
		c.Train, c.Val, c.Reps, res.TestImages, c.Batch, plural(c.Epochs, "epoch"), c.Decays, c.Teacher, plural(c.TeacherEpochs, "epoch"),
		res.TeacherTrainErr, res.TeacherTestErr, 100*res.Agreement, 100*c.Noise, res.Kernels, len(res.Runs), runSeconds)
	fmt.Fprintf(&b, "| regime | H | test error (early stopping) | train error (last epoch) | test error (last epoch) |\n|---|---|---|---|---|\n")
	cell := func(s Spread) string { return fmt.Sprintf("%.4f (%.4f–%.4f)", s.Mean, s.Min, s.Max) }
	for _, p := range res.Points {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s |\n", p.Regime, p.H, cell(p.TestES), cell(p.TrainFinal), cell(p.TestFinal))
	}
	return b.String()
}
