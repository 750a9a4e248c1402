package experiment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fastpath-go/fastpath/rnn/tasks"
)

// cancelAfter is a log writer that cancels a context once it has seen n
// evaluation lines.
type cancelAfter struct {
	n      int
	cancel context.CancelFunc
}

func (w *cancelAfter) Write(p []byte) (int, error) {
	w.n -= strings.Count(string(p), "  iter ")
	if w.n <= 0 {
		w.cancel()
	}
	return len(p), nil
}

// last returns the last run of rs.
func last(rs []*RNNRun) *RNNRun { return rs[len(rs)-1] }

// runSummary is a run's numbers without its timings.
func runSummary(rs []*RNNRun) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%s %s %s iters=%d final=%v best=%v solved=%d diverged=%v extra=%v\n", r.Task, r.Variant, r.Method, r.Iters,
			r.Final, r.Best, r.SolvedAt, r.Diverged, r.Extra)
		for _, p := range r.Points {
			fmt.Fprintf(&b, "  %d %d %v %v\n", p.Iter, p.Examples, p.TrainLoss, p.Metric)
		}
	}
	return b.String()
}

// TestRNNStudyResume: each task's study interrupted in the middle of a run
// (after a checkpoint at an evaluation and between iterations) and resumed
// gives the uninterrupted study's numbers exactly: model, momentum, the
// data stream (addition's generator, MNIST's shuffle, the text streams'
// carried state) all come back.
func TestRNNStudyResume(t *testing.T) {
	var corpus []byte
	for i := range 4000 {
		corpus = append(corpus, "the quick brown fox jumps over the lazy dog; "[i%45])
	}
	configs := map[string]RNNConfig{
		"addition": {Task: "addition", Steps: []int{6}, TestN: 40},
		"mnist":    {Task: "mnist", Variants: []string{"permuted"}, Side: 5, TrainN: 60, TestN: 20, MNIST: filepath.Join("..", "testdata", "mnist")},
		"text":     {Task: "text", Steps: []int{5}, CorpusName: "fox", Corpus: tasks.SplitText("fox", corpus), EvalChars: 300},
	}
	for name, c := range configs {
		c.Methods = []string{"rnn-path", "irnn"}
		c.Hidden, c.Batch, c.Iters, c.EvalEvery = 6, 4, 23, 4
		c.LRPath, c.LRIRNN, c.Momentum, c.Clip, c.ClipPath = 0.01, 0.01, 0.9, 10, 0
		c.PathInit, c.IRNNStd, c.Seed = "identity", 0.001, 3
		c.DecayAt, c.Decay = []float64{0.3, 0.7}, 0.5 // the schedule resumes with the run
		if name == "mnist" {
			c.Iters = 0
			c.Epochs = 2.3 // 2.3 passes of 15 batches: reshuffles in the middle
		}
		dir := t.TempDir()
		r, err := Open(dir, "rnn", c, c.Runs(), false)
		if err != nil {
			t.Fatal(err)
		}
		want, err := RNNStudy(t.Context(), c, r, io_discard{})
		if err != nil {
			t.Fatal(err)
		}
		for _, stop := range []int{3, 10} { // the first run (MNIST: mid-epoch), the second
			dir := t.TempDir()
			r, _ := Open(dir, "rnn", c, c.Runs(), false)
			ctx, cancel := context.WithCancel(t.Context())
			part, err := RNNStudy(ctx, c, r, &cancelAfter{n: stop, cancel: cancel})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s stop %d: %v, want context.Canceled", name, stop, err)
			}
			// The stopped run's table row carries its training time.
			if part == nil || len(part.Runs) == 0 || last(part.Runs).Iters == 0 || !(last(part.Runs).Seconds > 0) {
				t.Fatalf("%s stop %d: stopped study's runs %+v", name, stop, part)
			}
			if cells, _ := filepath.Glob(filepath.Join(dir, "cells", "*", "run.fpck")); len(cells) != 1 {
				t.Fatalf("%s stop %d: checkpoints %v", name, stop, cells)
			}
			r, err = Open(dir, "rnn", c, c.Runs(), true)
			if err != nil {
				t.Fatal(err)
			}
			got, err := RNNStudy(t.Context(), c, r, io_discard{})
			if err != nil {
				t.Fatal(err)
			}
			if g, w := runSummary(got.Runs), runSummary(want.Runs); g != w {
				t.Errorf("%s stop %d: resumed\n%s\nuninterrupted\n%s", name, stop, g, w)
			}
			if ck, _ := filepath.Glob(filepath.Join(dir, "cells", "*", "run.fpck")); len(ck) != 0 {
				t.Errorf("%s: checkpoints left after the study: %v", name, ck)
			}
		}
		if len(want.Runs) != 2 || want.Runs[0].Iters == 0 || math.IsNaN(want.Runs[0].Final) {
			t.Fatalf("%s: runs %s", name, runSummary(want.Runs))
		}
	}
	// A damaged checkpoint is refused with a way out.
	c := configs["addition"]
	c.Methods, c.Hidden, c.Batch, c.Iters, c.EvalEvery, c.LRPath, c.PathInit = []string{"rnn-path"}, 4, 4, 20, 5, 0.01, "identity"
	dir := t.TempDir()
	r, _ := Open(dir, "rnn", c, 1, false)
	ctx, cancel := context.WithCancel(t.Context())
	RNNStudy(ctx, c, r, &cancelAfter{n: 2, cancel: cancel})
	cancel()
	cks, _ := filepath.Glob(filepath.Join(dir, "cells", "*", "run.fpck"))
	if len(cks) != 1 {
		t.Fatalf("checkpoints %v", cks)
	}
	b, _ := os.ReadFile(cks[0])
	b[len(b)/2] ^= 1
	os.WriteFile(cks[0], b, 0o644)
	r, _ = Open(dir, "rnn", c, 1, true)
	if _, err := RNNStudy(t.Context(), c, r, io_discard{}); err == nil || !strings.Contains(err.Error(), "to restart the run") {
		t.Errorf("damaged checkpoint: %v", err)
	}
}

// TestRNNStepSchedule: a run with DecayAt follows the constant-step run
// exactly up to the decay iteration and departs from it after; a factor of
// 1 changes nothing; the schedule itself is lr * Decay^(points passed).
func TestRNNStepSchedule(t *testing.T) {
	c := RNNConfig{Task: "addition", Steps: []int{8}, TestN: 40, Methods: []string{"rnn-path", "irnn"},
		Hidden: 6, Batch: 4, Iters: 40, EvalEvery: 4, LRPath: 0.01, LRIRNN: 0.01, Momentum: 0.9, Clip: 10,
		PathInit: "identity", IRNNStd: 0.001, Seed: 5}
	run := func(c RNNConfig) []*RNNRun { return studyRuns(t, c) }
	base := run(c)
	one := c
	one.DecayAt, one.Decay = []float64{0.5}, 1
	if g, w := runSummary(run(one)), runSummary(base); g != w {
		t.Errorf("decay factor 1:\n%s\nwant\n%s", g, w)
	}
	dec := c
	dec.DecayAt, dec.Decay = []float64{0.5}, 0.25 // from iteration 20 on
	for i, r := range run(dec) {
		if len(r.Points) != len(base[i].Points) || r.LR != base[i].LR {
			t.Fatalf("%s: %d points, lr %g; want %d, %g", r.Method, len(r.Points), r.LR, len(base[i].Points), base[i].LR)
		}
		for k, p := range r.Points {
			b := base[i].Points[k]
			if same := p.TrainLoss == b.TrainLoss && p.Metric == b.Metric; same != (p.Iter <= 20) {
				t.Errorf("%s iteration %d: loss %v metric %v, constant step %v %v", r.Method, p.Iter, p.TrainLoss, p.Metric, b.TrainLoss, b.Metric)
			}
		}
	}
	sched := RNNConfig{DecayAt: []float64{0.25, 0.5}, Decay: 0.1}
	for _, tc := range []struct {
		it   int
		want float64
	}{{0, 2}, {24, 2}, {25, 0.2}, {49, 0.2}, {50, 0.02}, {99, 0.02}} {
		if got := sched.stepSize(2, tc.it, 100); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("stepSize(2, %d, 100) = %v, want %v", tc.it, got, tc.want)
		}
	}
	for _, bad := range []RNNConfig{{DecayAt: []float64{0.5}, Decay: 0}, {DecayAt: []float64{0.5}, Decay: 1.5},
		{DecayAt: []float64{0.5}, Decay: math.NaN()}, {DecayAt: []float64{0.6, 0.4}, Decay: 0.1}, {DecayAt: []float64{1}, Decay: 0.1}} {
		b := c
		b.DecayAt, b.Decay = bad.DecayAt, bad.Decay
		if err := b.Validate(); err == nil {
			t.Errorf("decay %v x %v accepted", bad.DecayAt, bad.Decay)
		}
	}
}

// studyRuns runs the rnn study c in a fresh directory and returns its runs.
func studyRuns(t *testing.T, c RNNConfig) []*RNNRun {
	t.Helper()
	r, err := Open(t.TempDir(), "rnn", c, c.Runs(), false)
	if err != nil {
		t.Fatal(err)
	}
	res, err := RNNStudy(t.Context(), c, r, io_discard{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Runs
}

type io_discard struct{}

func (io_discard) Write(p []byte) (int, error) { return len(p), nil }

func TestBetterCandidate(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		higher                      bool
		score, loss, best, bestLoss float64
		want                        bool
	}{
		{true, 0.5, 1, nan, nan, true},            // the first candidate
		{true, 0.6, 2, 0.5, 1, true},              // higher accuracy wins whatever the loss
		{true, 0.4, 0.1, 0.5, 1, false},           // lower accuracy loses
		{false, 0.1, 5, 0.2, 1, true},             // lower MSE wins
		{false, 0.3, 0.1, 0.2, 1, false},          // higher MSE loses
		{true, 0.106, 2.301, 0.106, 2.315, true},  // a tie at chance: the lower training loss wins
		{true, 0.106, 2.315, 0.106, 2.301, false}, // and the higher one loses
		{true, 0.106, 2.301, 0.106, 2.301, false}, // a full tie keeps the earlier candidate
		{true, 0.106, 2.3, 0.106, nan, true},      // a loss beats no loss
	} {
		if got := betterCandidate(tc.higher, tc.score, tc.loss, tc.best, tc.bestLoss); got != tc.want {
			t.Errorf("betterCandidate(%v, %v, %v, %v, %v) = %v, want %v", tc.higher, tc.score, tc.loss, tc.best, tc.bestLoss, got, tc.want)
		}
	}
}

// TestRNNStudyJobs: with Runner.Jobs = 2 the grid candidates, and then the
// runs, train side by side (two goroutines, one thread each) and give the
// numbers of the study run one cell at a time, on every task, grids
// included; the log says which run each evaluation line belongs to.
func TestRNNStudyJobs(t *testing.T) {
	var corpus []byte
	for i := range 3000 {
		corpus = append(corpus, "the quick brown fox jumps over the lazy dog; "[i%45])
	}
	configs := map[string]RNNConfig{
		"addition": {Task: "addition", Steps: []int{5, 7}, TestN: 40},
		"mnist":    {Task: "mnist", Variants: []string{"plain", "permuted"}, Side: 5, TrainN: 60, TestN: 20, ValN: 20, MNIST: filepath.Join("..", "testdata", "mnist")},
		"text":     {Task: "text", Steps: []int{5}, CorpusName: "fox", Corpus: tasks.SplitText("fox", corpus), EvalChars: 300},
	}
	for name, c := range configs {
		c.Methods = []string{"rnn-path", "irnn"}
		c.Hidden, c.Batch, c.Iters, c.EvalEvery = 6, 4, 12, 4
		c.LRPath, c.LRIRNN, c.Momentum, c.Clip = 0.01, 0.01, 0.9, 10
		c.PathInit, c.IRNNStd, c.Seed = "identity", 0.001, 3
		c.GridIRNN, c.GridIters = []float64{0.001, 0.01}, 6
		if name == "mnist" {
			c.Iters, c.Epochs = 0, 1
		}
		var logs [2]strings.Builder
		var runs [2]string
		for i, jobs := range []int{1, 2} {
			r, err := Open(t.TempDir(), "rnn", c, c.Runs(), false)
			if err != nil {
				t.Fatal(err)
			}
			r.Jobs = jobs
			res, err := RNNStudy(t.Context(), c, r, &logs[i])
			if err != nil {
				t.Fatalf("%s jobs=%d: %v", name, jobs, err)
			}
			runs[i] = runSummary(res.Runs)
			// Each run with a grid trains its best candidate's step.
			for _, run := range res.Runs {
				if run.Phase == PhaseGrid {
					continue
				}
				best, bestLoss, bestLR := math.NaN(), math.NaN(), 0.0
				for _, g := range res.Runs {
					if g.Phase != PhaseGrid || g.Variant != run.Variant || g.Method != run.Method || g.Diverged {
						continue
					}
					loss := g.Points[len(g.Points)-1].TrainLoss
					if betterCandidate(name == "mnist", g.Final, loss, best, bestLoss) {
						best, bestLoss, bestLR = g.Final, loss, g.LR
					}
				}
				if !math.IsNaN(best) && run.LR != bestLR {
					t.Errorf("%s %s %s: trained lr %g, best candidate %g", name, run.Variant, run.Method, run.LR, bestLR)
				}
			}
		}
		if runs[0] != runs[1] {
			t.Errorf("%s: two jobs\n%s\none job\n%s", name, runs[1], runs[0])
		}
		if strings.Count(runs[0], "\n  ") == 0 || !strings.Contains(logs[1].String(), "  [") || strings.Contains(logs[0].String(), "  [") {
			t.Errorf("%s: logs\n%s\n%s", name, logs[0].String(), logs[1].String())
		}
	}
}

// TestRNNEvaluationDoesNotPerturb: how often a run is evaluated changes
// nothing in its trajectory: the metrics at common iterations agree
// exactly between EvalEvery 4 and 8, on the addition and mnist tasks.
func TestRNNEvaluationDoesNotPerturb(t *testing.T) {
	for _, c := range []RNNConfig{
		{Task: "addition", Steps: []int{6}, TestN: 40},
		{Task: "mnist", Variants: []string{"plain"}, Side: 5, TrainN: 60, TestN: 20, MNIST: filepath.Join("..", "testdata", "mnist")},
	} {
		c.Methods = []string{"rnn-path", "irnn"}
		c.Hidden, c.Batch, c.Iters = 6, 4, 24
		c.LRPath, c.LRIRNN, c.Momentum, c.Clip = 0.01, 0.01, 0.9, 10
		c.PathInit, c.IRNNStd, c.Seed = "identity", 0.001, 3
		metrics := map[int]map[string]float64{}
		for _, every := range []int{4, 8} {
			c.EvalEvery = every
			metrics[every] = map[string]float64{}
			for _, run := range studyRuns(t, c) {
				for _, p := range run.Points {
					metrics[every][run.Method+"@"+strconv.Itoa(p.Iter)] = p.Metric
				}
			}
		}
		n := 0
		for k, v := range metrics[8] {
			if w, ok := metrics[4][k]; !ok || w != v {
				t.Errorf("%s %s: every 8: %v, every 4: %v", c.Task, k, v, w)
			}
			n++
		}
		if n < 6 {
			t.Errorf("%s: %d common points", c.Task, n)
		}
	}
}

// TestRNNStopSolved: with StopSolved an addition run ends at the first
// evaluation below 0.01 and its points are the full run's up to there.
func TestRNNStopSolved(t *testing.T) {
	c := RNNConfig{Task: "addition", Steps: []int{2}, TestN: 100, Methods: []string{"irnn"},
		Hidden: 6, Batch: 16, Iters: 3000, EvalEvery: 50, LRIRNN: 0.01, Momentum: 0.9, Clip: 1,
		PathInit: "normal", IRNNStd: 0.001, Seed: 2}
	run := func(c RNNConfig) *RNNRun { return studyRuns(t, c)[0] }
	full := run(c)
	if full.SolvedAt < 0 || full.SolvedAt == c.Iters {
		t.Fatalf("the full run solved at %d of %d: want a run solved early (points %v)", full.SolvedAt, c.Iters, full.Points)
	}
	c.StopSolved = true
	stop := run(c)
	last := stop.Points[len(stop.Points)-1]
	if stop.Iters != full.SolvedAt || last.Iter != full.SolvedAt || stop.SolvedAt != full.SolvedAt {
		t.Errorf("stopped run: %d iterations, last point %d, solved at %d; want all %d", stop.Iters, last.Iter, stop.SolvedAt, full.SolvedAt)
	}
	for k, p := range stop.Points {
		if q := full.Points[k]; p.Iter != q.Iter || p.Metric != q.Metric || p.TrainLoss != q.TrainLoss {
			t.Errorf("point %d: %+v, full run %+v", k, p, q)
		}
	}
	c.Task, c.Steps, c.Variants, c.Side = "mnist", nil, []string{"plain"}, 5
	if err := c.Validate(); err == nil {
		t.Error("stop-solved accepted on mnist")
	}
}
