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
	"github.com/fastpath-go/fastpath/rnn"
	"github.com/fastpath-go/fastpath/rnn/tasks"
)

// The kappa2 study measures what RNN-Path's approximation drops: for the
// recurrent weights, the diagonal of the path regularizer's Hessian is
// kappa1 + kappa2 (kappa2 from paths through two copies of the same
// weight; package rnn's doc.go), and the thesis keeps kappa1 alone for its
// cost. For initial models (IRNN, identity and normal initialisations) and
// for a model trained with RNN-Path on the addition problem, it reports
// over the sequence length T the distribution of kappa2/kappa1 over the
// entries of W_rec (median, 90th percentile, largest) and the ratio of
// their sums. Whether adding kappa2 changes training is measured by the rnn
// study's rnn-path2 method (fastpath experiment rnn addition -methods
// rnn-path,rnn-path2).

// Kappa2Config are the settings of the kappa2 study.
type Kappa2Config struct {
	Hidden int
	// Ts are the sequence lengths at which kappa1 and kappa2 are measured
	// (one output, at the last step).
	Ts []int
	// Inits are the initial models measured: irnn, identity, normal.
	Inits   []string
	IRNNStd float64
	// The trained model: RNN-Path from the normal initialisation on the
	// addition problem at TrainT, TrainIters iterations of Batch sequences.
	TrainT, TrainIters, Batch int
	LR, Momentum              float64
	Seed                      uint64
}

// DefaultKappa2Config returns hidden 100, T from 10 to 400, the three
// initialisations and 5000 iterations at T = 50 (lr 0.003, momentum 0.9,
// from the normal initialisation: the rnn study's RNN-Path settings).
func DefaultKappa2Config() Kappa2Config {
	return Kappa2Config{Hidden: 100, Ts: []int{10, 25, 50, 100, 200, 400}, Inits: []string{"irnn", "identity", "normal"}, IRNNStd: 0.001,
		TrainT: 50, TrainIters: 5000, Batch: 16, LR: 0.003, Momentum: 0.9, Seed: 1}
}

// Validate reports settings that cannot run.
func (c Kappa2Config) Validate() error {
	switch {
	case c.Hidden < 1 || c.Batch < 1 || c.TrainT < 2 || c.TrainIters < 0:
		return fmt.Errorf("hidden and batch must be positive, the training length at least 2, the iterations not negative")
	case len(c.Ts) == 0:
		return fmt.Errorf("no sequence length")
	case !(c.LR > 0) || !(c.Momentum >= 0 && c.Momentum < 1):
		return fmt.Errorf("lr must be positive, momentum in [0, 1)")
	}
	for _, T := range c.Ts {
		if T < 2 || T > 5000 {
			return fmt.Errorf("sequence length %d outside [2, 5000]", T)
		}
	}
	for _, s := range c.Inits {
		if s != "irnn" && s != "identity" && s != "normal" {
			return fmt.Errorf("unknown initialisation %q (want irnn, identity, normal)", s)
		}
	}
	return nil
}

// Kappa2Row is one model at one length.
type Kappa2Row struct {
	Model string
	T     int
	// Median, P90 and Max of kappa2/kappa1 over the W_rec entries with
	// kappa1 > 0; SumRatio is sum kappa2 / sum kappa1.
	Median, P90, Max, SumRatio float64
	Seconds                    float64
}

// Kappa2Result is the outcome of the kappa2 study.
type Kappa2Result struct {
	Config Kappa2Config
	Rows   []Kappa2Row
	// TrainedMSE is the trained model's test MSE on the addition problem
	// at TrainT (1/6 is the trivial answer's).
	TrainedMSE float64
	Kernels    string
}

type kappa2Cell struct {
	Rows []Kappa2Row
	MSE  float64
}

// kappa2Rows measures m at every length.
func kappa2Rows(ctx context.Context, m *rnn.Model, name string, ts []int) ([]Kappa2Row, error) {
	var rows []Kappa2Row
	var k rnn.Kappa
	for _, T := range ts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t0 := time.Now()
		out := rnn.LastStep(T)
		m.Kappa1(&k, T, out)
		k2 := m.Kappa2(T, out)
		var ratios []float64
		s1, s2 := 0.0, 0.0
		for i, k1 := range k.Rec {
			if k1 > 0 {
				ratios = append(ratios, k2[i]/k1)
			}
			s1 += k1
			s2 += k2[i]
		}
		row := Kappa2Row{Model: name, T: T, Median: math.NaN(), P90: math.NaN(), Max: math.NaN(), SumRatio: s2 / s1}
		if len(ratios) > 0 {
			slices.Sort(ratios)
			row.Median, row.P90, row.Max = ratios[len(ratios)/2], ratios[len(ratios)*9/10], ratios[len(ratios)-1]
		}
		row.Seconds = time.Since(t0).Seconds()
		rows = append(rows, row)
	}
	return rows, nil
}

// Kappa2Study runs the study in r's directory (one cell per model),
// logging progress to log.
func Kappa2Study(ctx context.Context, cfg Kappa2Config, r *Runner, log io.Writer) (*Kappa2Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	res := &Kappa2Result{Config: cfg, TrainedMSE: math.NaN(), Kernels: asm.Describe()}
	mcfg := rnn.Config{In: 2, Hidden: cfg.Hidden, Out: 1, Loss: rnn.Squared}
	models := append(slices.Clone(cfg.Inits), "trained")
	for _, name := range models {
		var kc kappa2Cell
		_, err := r.Run("kappa2-"+name, &kc, func(c *Cell) error {
			m, err := rnn.New(mcfg)
			if err != nil {
				return err
			}
			label := "init=" + name
			switch name {
			case "irnn":
				m.InitIRNN(cfg.IRNNStd, cfg.Seed)
			case "identity":
				m.InitIdentity(cfg.Seed)
			case "normal":
				m.InitNormal(cfg.Seed)
			default:
				m.InitNormal(cfg.Seed)
				task := tasks.NewAddition(cfg.TrainT, cfg.Batch, 1000, cfg.Seed)
				opt := &rnn.PathSGD{LR: float32(cfg.LR), Momentum: float32(cfg.Momentum)}
				for it := range cfg.TrainIters {
					if err := ctx.Err(); err != nil {
						return err
					}
					m.Gradient(task.Next(it, m))
					opt.Step(m)
				}
				kc.MSE = task.Evaluate(m)
				label = fmt.Sprintf("RNN-Path, %d iterations at T=%d (test MSE %.4g)", cfg.TrainIters, cfg.TrainT, kc.MSE)
				if math.IsNaN(kc.MSE) {
					label = fmt.Sprintf("RNN-Path, %d iterations at T=%d (diverged)", cfg.TrainIters, cfg.TrainT)
				}
			}
			kc.Rows, err = kappa2Rows(ctx, m, label, cfg.Ts)
			if err != nil {
				return err
			}
			for _, row := range kc.Rows {
				fmt.Fprintf(log, "  %-50s T=%-4d kappa2/kappa1: median %.3g, 90%% %.3g, max %.3g; sums %.3g (%.1fs)\n",
					row.Model, row.T, row.Median, row.P90, row.Max, row.SumRatio, row.Seconds)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, kc.Rows...)
		if name == "trained" {
			res.TrainedMSE = kc.MSE
		}
	}
	return res, nil
}

// WriteFiles writes kappa2.csv and kappa2.md to dir.
func (res *Kappa2Result) WriteFiles(dir string) error {
	rows := [][]string{{"model", "T", "median_ratio", "p90_ratio", "max_ratio", "sum_ratio", "seconds"}}
	for _, r := range res.Rows {
		rows = append(rows, []string{r.Model, fmt.Sprint(r.T), Ftoa(r.Median), Ftoa(r.P90), Ftoa(r.Max), Ftoa(r.SumRatio), Ftoa(r.Seconds)})
	}
	if err := WriteCSV(filepath.Join(dir, "kappa2.csv"), rows); err != nil {
		return err
	}
	return WriteText(filepath.Join(dir, "kappa2.md"), res.Markdown())
}

// Markdown is the study's table.
func (res *Kappa2Result) Markdown() string {
	c := res.Config
	var b strings.Builder
	fmt.Fprintf(&b, "## kappa2 next to kappa1 (RNN-Path's dropped term)\n\n")
	fmt.Fprintf(&b, "ReLU RNN, 2 inputs, %d hidden units, one output at the last step; kappa2/kappa1 over the entries of W_rec. Trained model: RNN-Path (lr %g, momentum %g) from the normal initialisation, %d iterations of batch %d on the addition problem at T = %d. %s.\n\n",
		c.Hidden, c.LR, c.Momentum, c.TrainIters, c.Batch, c.TrainT, res.Kernels)
	fmt.Fprintf(&b, "| model | T | median | 90th percentile | largest | sum kappa2 / sum kappa1 |\n|---|---|---|---|---|---|\n")
	for _, r := range res.Rows {
		fmt.Fprintf(&b, "| %s | %d | %.3g | %.3g | %.3g | %.3g |\n", r.Model, r.T, r.Median, r.P90, r.Max, r.SumRatio)
	}
	return b.String()
}
