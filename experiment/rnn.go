package experiment

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/checkpoint"
	"github.com/fastpath-go/fastpath/rnn"
	"github.com/fastpath-go/fastpath/rnn/tasks"
)

// The rnn study trains ReLU RNNs with RNN-Path (path-normalized SGD,
// package rnn), IRNN (identity recurrent weights, SGD) and plain SGD on one
// of the thesis's recurrent tasks (package rnn/tasks): the addition
// problem at several lengths, sequential pixel MNIST (plain and permuted),
// or a character-level language model. Every run (task variant x method)
// is a cell of a Runner: it checkpoints (model, optimizer velocity, the
// task's data stream, progress) after every evaluation and when
// interrupted, and continues from there bit for bit when resumed.

// RNNConfig are the settings of the rnn study.
type RNNConfig struct {
	// Task is addition, mnist or text.
	Task string
	// Methods are rnn-path, rnn-path2 (RNN-Path with kappa1 + kappa2, for
	// small T), irnn and sgd.
	Methods []string
	Hidden  int
	Batch   int
	// Iters is the number of training iterations per run (mnist: 0 means
	// Epochs passes over the training set); Budget, if positive, stops a
	// run after that much training time.
	Iters     int
	Epochs    float64
	Budget    time.Duration
	EvalEvery int
	// Step sizes of the three methods, their momentum, the gradient-norm
	// clipping of the SGD methods and of RNN-Path (before its scaling).
	LRPath, LRIRNN, LRSGD float64
	Momentum              float64
	Clip, ClipPath        float64
	// DecayAt, if not empty, lists fractions of a run's iterations, strictly
	// increasing within (0, 1), at which its step size is multiplied by
	// Decay (in (0, 1]): a step schedule for the long runs. Grid candidates
	// train at their constant step size. The schedule depends only on the
	// iteration, so a resumed run follows it exactly.
	DecayAt []float64 `json:",omitempty"`
	Decay   float64   `json:",omitempty"`
	// StopSolved ends an addition run at the evaluation that finds it
	// solved (test MSE below 0.01), instead of at Iters.
	StopSolved bool `json:",omitempty"`
	// GridPath, GridIRNN and GridSGD, if not empty, are step-size
	// candidates of the three methods: each candidate trains GridIters
	// iterations (a cell of its own) and is scored on the task's validation
	// set (the addition problem's validation sequences, ValN training
	// images held out for mnist, the text's validation part); the best
	// candidate that did not diverge then trains the run. Empty: the run
	// uses LRPath, LRIRNN or LRSGD.
	GridPath, GridIRNN, GridSGD []float64 `json:",omitempty"`
	GridIters                   int       `json:",omitempty"`
	// ValN is the number of training images mnist holds out for
	// validation when a grid is set (for the grid and the run).
	ValN int `json:",omitempty"`
	// PathInit is RNN-Path's initialisation: normal, he, identity or irnn;
	// IRNNStd the standard deviation of IRNN's input and output weights.
	PathInit string
	IRNNStd  float64
	Seed     uint64
	// Steps: the addition problem's sequence lengths, or the text task's
	// one BPTT chunk length.
	Steps []int
	// TestN: test sequences (addition) or images (mnist).
	TestN int
	// mnist: the variants (plain, permuted), the image side after
	// downsampling (28: none), the training images (0: all), the MNIST
	// directory ("" for the default).
	Variants []string
	Side     int
	TrainN   int
	MNIST    string `json:"-"`
	// text: the corpus (already split) and its name and split, and the
	// characters of the validation and test parts evaluated (0: all).
	CorpusName  string
	CorpusSplit string
	Corpus      tasks.Corpus `json:"-"`
	EvalChars   int
}

// Validate reports settings that cannot run.
func (c RNNConfig) Validate() error {
	switch c.Task {
	case "addition", "mnist", "text":
	default:
		return fmt.Errorf("unknown task %q (want addition, mnist or text)", c.Task)
	}
	if len(c.Methods) == 0 {
		return fmt.Errorf("no method")
	}
	for _, m := range c.Methods {
		if m != "rnn-path" && m != "rnn-path2" && m != "irnn" && m != "sgd" {
			return fmt.Errorf("unknown method %q (want rnn-path, rnn-path2, irnn, sgd)", m)
		}
	}
	switch {
	case c.Hidden < 1 || c.Batch < 1 || c.EvalEvery < 1:
		return fmt.Errorf("hidden, batch and eval-every must be positive")
	case c.Iters < 0 || c.Epochs < 0 || c.Budget < 0:
		return fmt.Errorf("iters, epochs and budget must not be negative")
	case c.PathInit != "identity" && c.PathInit != "irnn" && c.PathInit != "normal" && c.PathInit != "he":
		return fmt.Errorf("unknown RNN-Path initialisation %q (want normal, he, identity or irnn)", c.PathInit)
	case c.Task != "mnist" && len(c.Steps) == 0:
		return fmt.Errorf("no sequence length")
	}
	for _, T := range c.Steps {
		if T < 1 {
			return fmt.Errorf("sequence length %d", T)
		}
	}
	for _, v := range c.Variants {
		if v != "plain" && v != "permuted" {
			return fmt.Errorf("unknown variant %q (want plain, permuted)", v)
		}
	}
	for i, f := range c.DecayAt {
		if !(f > 0 && f < 1) || (i > 0 && !(f > c.DecayAt[i-1])) {
			return fmt.Errorf("decay points %v: want fractions of the run, strictly increasing within (0, 1)", c.DecayAt)
		}
	}
	gridded := false
	for _, g := range [][]float64{c.GridPath, c.GridIRNN, c.GridSGD} {
		for _, lr := range g {
			if !(lr > 0) || math.IsInf(lr, 0) {
				return fmt.Errorf("grid step size %v is not positive and finite", lr)
			}
			gridded = true
		}
	}
	switch {
	case c.StopSolved && c.Task != "addition":
		return fmt.Errorf("stop-solved is for the addition task")
	case len(c.DecayAt) > 0 && !(c.Decay > 0 && c.Decay <= 1):
		return fmt.Errorf("step-size decay factor %v outside (0, 1]", c.Decay)
	case gridded && c.GridIters < 1:
		return fmt.Errorf("a step-size grid needs grid iterations (at least 1)")
	case gridded && c.Task == "mnist" && c.ValN < 1:
		return fmt.Errorf("a step-size grid on mnist needs validation images held out of training")
	}
	return nil
}

// grid returns method's step-size candidates (none: no grid).
func (c RNNConfig) grid(method string) []float64 {
	switch method {
	case "rnn-path", "rnn-path2":
		return c.GridPath
	case "irnn":
		return c.GridIRNN
	}
	return c.GridSGD
}

// stepSize returns the step size at iteration it (counted from 0) of a
// run of iters iterations that starts at lr: lr times Decay for every
// decay point round(DecayAt[i] * iters) at or before it.
func (c RNNConfig) stepSize(lr float64, it, iters int) float64 {
	for _, f := range c.DecayAt {
		if it >= int(math.Round(f*float64(iters))) {
			lr *= c.Decay
		}
	}
	return lr
}

// setStepSize sets the step size of the rnn optimizers used here.
func setStepSize(opt rnn.Optimizer, lr float64) {
	switch o := opt.(type) {
	case *rnn.SGD:
		o.LR = float32(lr)
	case *rnn.PathSGD:
		o.LR = float32(lr)
	default:
		panic("experiment: step schedule on an unknown optimizer")
	}
}

// PhaseGrid marks the runs of a step-size grid (RNNRun.Phase).
const PhaseGrid = "grid"

// RNNResult is the outcome of the rnn study: one run per method and task
// variant.
type RNNResult struct {
	Config RNNConfig
	Runs   []*RNNRun
	// TrainImages and TestImages are the MNIST sizes used (mnist).
	TrainImages, TestImages int
	Kernels                 string
}

// Runs returns the number of runs (Runner cells) of the study.
func (c RNNConfig) Runs() int {
	perVariant := 0
	for _, m := range c.Methods {
		perVariant += 1 + len(c.grid(m))
	}
	switch c.Task {
	case "addition":
		return len(c.Steps) * perVariant
	case "mnist":
		return len(c.Variants) * perVariant
	}
	return perVariant
}

// RNNStudy runs the study in r's directory (each run a cell, resumable),
// logging progress to log. When interrupted (ctx done) it returns the runs
// so far, the interrupted one included, with the error, so that their
// tables can still be written.
func RNNStudy(ctx context.Context, c RNNConfig, r *Runner, log io.Writer) (*RNNResult, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	e := &rnnStudy{task: c.Task, c: c, methods: c.Methods, stderr: log, ctx: ctx, runner: r}
	fmt.Fprintf(log, "%s\n", asm.Describe())
	if r.Jobs > 1 {
		// Runs side by side, each on one thread, their lines whole.
		defer blas.SetThreads(blas.SetThreads(1))
		e.stderr = &lockedWriter{w: log}
	}
	var err error
	switch c.Task {
	case "addition":
		err = e.addition()
	case "mnist":
		err = e.mnist()
	case "text":
		err = e.text()
	}
	// Runs queued but not started (after an interruption or a failure)
	// have no task yet and are left out.
	runs := slices.DeleteFunc(e.results, func(r *RNNRun) bool { return r.Task == "" })
	res := &RNNResult{Config: c, Runs: runs, TrainImages: e.trainImages, TestImages: e.testImages, Kernels: asm.Current().Name}
	return res, err
}

// MetricName names the held-out metric of the task.
func (res *RNNResult) MetricName() string { return metricName(res.Config.Task) }

func metricName(task string) string {
	switch task {
	case "addition":
		return "test MSE"
	case "mnist":
		return "test accuracy"
	}
	return "validation bits/char"
}

// WriteFiles writes rnn_TASK.csv (every evaluation of every run) and
// rnn_TASK.md to dir.
func (res *RNNResult) WriteFiles(dir string) error {
	rows := [][]string{{"task", "variant", "method", "lr", "iter", "examples", "train_seconds", "train_loss", "metric", "value", "phase"}}
	for _, r := range res.Runs {
		metric := res.MetricName()
		if r.Phase == PhaseGrid {
			metric = "validation " + strings.TrimPrefix(strings.TrimPrefix(metric, "test "), "validation ")
		}
		for _, p := range r.Points {
			rows = append(rows, []string{r.Task, r.Variant, r.Method, Ftoa(r.LR), strconv.Itoa(p.Iter), strconv.Itoa(p.Examples),
				Ftoa(p.Seconds), Ftoa(p.TrainLoss), metric, Ftoa(p.Metric), r.Phase})
		}
	}
	base := filepath.Join(dir, "rnn_"+res.Config.Task)
	if err := WriteCSV(base+".csv", rows); err != nil {
		return err
	}
	return WriteText(base+".md", res.Markdown())
}

// Markdown is the study's table.
func (res *RNNResult) Markdown() string {
	e := &rnnStudy{task: res.Config.Task, c: res.Config, results: res.Runs, trainImages: res.TrainImages, testImages: res.TestImages}
	var b strings.Builder
	e.markdown(&b)
	return b.String()
}

// RNNPoint is one evaluation during a run.
type RNNPoint struct {
	Iter      int
	Examples  int
	Seconds   float64 // training time so far (evaluations excluded)
	TrainLoss float64 // mean training loss since the previous point
	Metric    float64
}

// RNNRun is one training run: a method on a task variant.
type RNNRun struct {
	Task, Variant, Method string
	LR                    float64
	Points                []RNNPoint
	Iters                 int
	Seconds               float64
	Final                 float64 // last metric
	Best                  float64
	SolvedAt              int // addition: first evaluated iteration with MSE < 0.01, or -1
	Diverged              bool
	Extra                 float64 // text: test bits per character
	// Phase is PhaseGrid for a candidate of a step-size grid, whose
	// metric is the validation set's, and "" for a run.
	Phase string
}

// rnnStudy is one "fastpath experiment rnn" invocation.
type rnnStudy struct {
	task    string
	c       RNNConfig
	methods []string
	stderr  io.Writer
	ctx     context.Context
	runner  *Runner
	results []*RNNRun

	trainImages, testImages int // mnist: the sizes used
}

func (e *rnnStudy) addition() error {
	var jobs []rnnJob
	for _, T := range e.c.Steps {
		if T < 2 {
			return fmt.Errorf("-T %d: the addition problem needs at least 2 steps", T)
		}
		for _, m := range e.methods {
			newTask := func() (tasks.Task, error) { return tasks.NewAddition(T, e.c.Batch, e.c.TestN, e.c.Seed), nil }
			jobs = append(jobs, rnnJob{newTask, fmt.Sprintf("T=%d", T), m, e.c.Iters})
		}
	}
	return e.runJobs(jobs)
}

func (e *rnnStudy) mnist() error {
	var jobs []rnnJob
	for _, v := range e.c.Variants {
		if v != "plain" && v != "permuted" {
			return fmt.Errorf("unknown variant %q in -variants (want plain, permuted)", v)
		}
		for _, m := range e.methods {
			if e.c.Side < 2 || e.c.Side > 28 {
				return fmt.Errorf("-side %d outside [2, 28]", e.c.Side)
			}
			hold := 0
			if len(e.c.grid(m)) > 0 {
				hold = e.c.ValN
			}
			newTask := func() (*tasks.SeqMNIST, error) {
				task, err := tasks.NewSeqMNIST(e.c.MNIST, e.c.TrainN, e.c.TestN, e.c.Batch, e.c.Side, v == "permuted", e.c.Seed)
				if err == nil && hold > 0 {
					err = task.HoldOut(hold)
				}
				return task, err
			}
			task, err := newTask()
			if err != nil {
				return err
			}
			e.trainImages, e.testImages = task.Sizes()
			if task.EpochSteps() == 0 {
				return fmt.Errorf("%d training images are fewer than one batch of %d", e.trainImages, e.c.Batch)
			}
			iters := e.c.Iters
			if iters == 0 {
				iters = max(1, int(math.Round(e.c.Epochs*float64(task.EpochSteps()))))
			}
			jobs = append(jobs, rnnJob{func() (tasks.Task, error) { return newTask() }, v, m, iters})
		}
	}
	return e.runJobs(jobs)
}

func (e *rnnStudy) text() error {
	if len(e.c.Steps) != 1 {
		return fmt.Errorf("the text task takes one chunk length, not %v", e.c.Steps)
	}
	steps, c := e.c.Steps[0], e.c.Corpus
	name := c.Name
	var jobs []rnnJob
	for _, m := range e.methods {
		newTask := func() (tasks.Task, error) { return tasks.NewTextCorpus(c, steps, e.c.Batch, e.c.EvalChars) }
		task, err := tasks.NewTextCorpus(c, steps, e.c.Batch, e.c.EvalChars)
		if err != nil {
			return err
		}
		if m == e.methods[0] {
			vocab, tr, va, te := task.Sizes()
			fmt.Fprintf(e.stderr, "corpus %s: %d bytes, %d symbols, split %s; train %d, validation %d, test %d\n",
				name, c.Len(), vocab, c.Split, tr, va, te)
		}
		jobs = append(jobs, rnnJob{newTask, name, m, e.c.Iters})
	}
	return e.runJobs(jobs)
}

// newMethod returns a model initialised and an optimizer configured for
// method (with step size lr, or the configured one when lr is 0), the
// clipping norm and the step size.
func (e *rnnStudy) newMethod(cfg rnn.Config, method string, lr float64) (*rnn.Model, rnn.Optimizer, float64, float64, error) {
	m, err := rnn.New(cfg)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	mu := float32(e.c.Momentum)
	pick := func(def float64) float64 {
		if lr > 0 {
			return lr
		}
		return def
	}
	switch method {
	case "rnn-path", "rnn-path2":
		switch e.c.PathInit {
		case "identity":
			m.InitIdentity(e.c.Seed)
		case "irnn":
			m.InitIRNN(e.c.IRNNStd, e.c.Seed)
		case "he":
			m.InitHe(e.c.Seed)
		default:
			m.InitNormal(e.c.Seed)
		}
		lr := pick(e.c.LRPath)
		return m, &rnn.PathSGD{LR: float32(lr), Momentum: mu, WithKappa2: method == "rnn-path2"}, e.c.ClipPath, lr, nil
	case "irnn":
		m.InitIRNN(e.c.IRNNStd, e.c.Seed)
		lr := pick(e.c.LRIRNN)
		return m, &rnn.SGD{LR: float32(lr), Momentum: mu}, e.c.Clip, lr, nil
	default:
		m.InitNormal(e.c.Seed)
		lr := pick(e.c.LRSGD)
		return m, &rnn.SGD{LR: float32(lr), Momentum: mu}, e.c.Clip, lr, nil
	}
}

// rnnProgress is a run's state between iterations, kept in its checkpoint.
type rnnProgress struct {
	Iter         int // iterations done
	TrainSeconds float64
	LossSum      float64
	LossN        int
	Examples     int
	Run          RNNRun
	HasVelocity  bool
	Velocity     [][]float32
}

// Checkpoint sections of a run.
const (
	rnnSectionModel    = "model"
	rnnSectionStream   = "stream"
	rnnSectionProgress = "progress"
)

// velocityOpt is an rnn optimizer whose momentum a checkpoint keeps.
type velocityOpt interface {
	rnn.Optimizer
	Velocity() [][]float32
	SetVelocity(m *rnn.Model, v [][]float32) error
}

// runKey names a run's cell: letters, digits and ._=+- only.
func runKey(task, variant, method string) string {
	k := []byte(task + "-" + variant + "-" + method)
	for i, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._=+-", c) >= 0) {
			k[i] = '_'
		}
	}
	return string(k)
}

// betterCandidate reports whether a grid candidate with validation metric
// score and last training loss loss beats the best so far (metric best,
// loss bestLoss; best NaN: none yet). Higher metrics win when higher is
// better (accuracy), lower ones otherwise; equal metrics are decided by
// the lower training loss: candidates that all sit at chance accuracy
// (sequential MNIST before it starts to learn predicts one class, the same
// accuracy for every step size) are then ranked by how far their training
// has got, not by their order in the grid.
func betterCandidate(higherBetter bool, score, loss, best, bestLoss float64) bool {
	switch {
	case math.IsNaN(best):
		return true
	case score == best:
		return loss < bestLoss || math.IsNaN(bestLoss) && !math.IsNaN(loss)
	case higherBetter:
		return score > best
	default:
		return score < best
	}
}

// lockedWriter serializes the writes of runs side by side.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// rnnJob is one method on one task variant: its runs train on fresh tasks
// from newTask for iters iterations.
type rnnJob struct {
	newTask         func() (tasks.Task, error)
	variant, method string
	iters           int
}

// runJobs runs the jobs as cells of the study's runner (a finished run is
// read back, an interrupted one continues from its checkpoint): first the
// step-size grid of every job that has one (each candidate on a fresh task
// for GridIters iterations, scored on the validation set), then every
// job's run, with the best candidate that did not diverge or with the
// configured step size. The candidates, and then the runs, are independent
// of each other: with Runner.Jobs above 1 they run side by side.
func (e *rnnStudy) runJobs(jobs []rnnJob) error {
	newRun := func() *RNNRun {
		r := &RNNRun{}
		e.results = append(e.results, r)
		return r
	}
	cell := func(key string, j rnnJob, iters int, lr float64, grid bool, r *RNNRun) BatchCell {
		return BatchCell{Key: key, Result: r, Run: func(c *Cell) error {
			task, err := j.newTask()
			if err != nil {
				return err
			}
			if _, ok := task.(tasks.Validator); grid && !ok {
				return fmt.Errorf("the %s task has no validation set for a step-size grid", e.task)
			}
			return e.train(c, task, j.variant, j.method, iters, lr, grid, r)
		}}
	}
	grids := make([][]*RNNRun, len(jobs))
	var batch []BatchCell
	for i, j := range jobs {
		for _, lr := range e.c.grid(j.method) {
			r := newRun()
			grids[i] = append(grids[i], r)
			batch = append(batch, cell(runKey(e.task, j.variant, j.method)+"-grid-lr="+Ftoa(lr), j, e.c.GridIters, lr, true, r))
		}
	}
	if err := e.runner.RunBatch(batch); err != nil {
		return err
	}
	batch = batch[:0]
	for i, j := range jobs {
		key, lr := runKey(e.task, j.variant, j.method), 0.0
		if grid := e.c.grid(j.method); len(grid) > 0 {
			best, bestLoss := math.NaN(), math.NaN()
			for k, r := range grids[i] {
				score := r.Final
				if r.Diverged || math.IsNaN(score) {
					continue
				}
				loss := math.NaN()
				if n := len(r.Points); n > 0 {
					loss = r.Points[n-1].TrainLoss
				}
				if betterCandidate(e.task == "mnist", score, loss, best, bestLoss) {
					best, bestLoss, lr = score, loss, grid[k]
				}
			}
			if math.IsNaN(best) {
				return fmt.Errorf("%s %s %s: every step size of the grid %v diverged", e.task, j.variant, j.method, grid)
			}
			fmt.Fprintf(e.stderr, "%s %s %s: step size %g chosen on the validation set (%s %.4g after %d iterations)\n",
				e.task, j.variant, j.method, lr, e.metricName(), best, e.c.GridIters)
			key += "-lr=" + Ftoa(lr)
		}
		batch = append(batch, cell(key, j, j.iters, lr, false, newRun()))
	}
	return e.runner.RunBatch(batch)
}

// train is run's cell: it fills r.
func (e *rnnStudy) train(c *Cell, task tasks.Task, variant, method string, iters int, lrSet float64, grid bool, r *RNNRun) error {
	m, opt, clip, lr, err := e.newMethod(task.Config(e.c.Hidden), method, lrSet)
	if err != nil {
		return err
	}
	eval, phase := task.Evaluate, ""
	if grid {
		eval, phase = task.(tasks.Validator).Validate, PhaseGrid
	}
	*r = RNNRun{Task: e.task, Variant: variant, Method: method, LR: lr, SolvedAt: -1, Best: math.NaN(), Extra: math.NaN(), Phase: phase}
	var pr rnnProgress
	resumed := false
	if ck, err := checkpoint.Open(c.Checkpoint); err == nil {
		err = e.restore(ck, task, m, opt, &pr)
		ck.Close()
		if err != nil {
			return fmt.Errorf("%w (delete %s to restart the run)", err, c.Dir)
		}
		*r = pr.Run
		resumed = true
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w (delete %s to restart the run)", err, c.Dir)
	}
	if resumed {
		fmt.Fprintf(e.stderr, "%s %s %s: resuming after iteration %d\n", e.task, variant, method, pr.Iter)
	} else {
		fmt.Fprintf(e.stderr, "%s %s %s: %v, lr %g, momentum %g, clip %g, %d iterations of batch %d\n",
			e.task, variant, method, m, lr, e.c.Momentum, clip, iters, e.c.Batch)
	}
	// Side by side with other runs, each line of this one says which it is.
	label := ""
	if e.runner.Jobs > 1 {
		label = fmt.Sprintf("[%s %s lr=%g] ", variant, method, lr)
	}
	train := time.Duration(pr.TrainSeconds * float64(time.Second))
	save := func() error {
		// The run's time so far, in the checkpoint and in the table of a
		// study that stops here.
		r.Seconds = train.Seconds()
		pr.TrainSeconds, pr.Run = r.Seconds, *r
		return e.save(c.Checkpoint, task, m, opt, &pr)
	}
	evaluate := func(it int) {
		metric := eval(m)
		p := RNNPoint{Iter: it, Examples: pr.Examples, Seconds: train.Seconds(), TrainLoss: pr.LossSum / float64(max(pr.LossN, 1)), Metric: metric}
		pr.LossSum, pr.LossN = 0, 0
		r.Points = append(r.Points, p)
		r.Final = metric
		if e.task == "mnist" {
			if !(metric <= r.Best) {
				r.Best = metric
			}
		} else if !(metric >= r.Best) {
			r.Best = metric
		}
		if e.task == "addition" && r.SolvedAt < 0 && metric < 0.01 && !grid {
			r.SolvedAt = it
		}
		fmt.Fprintf(e.stderr, "  %siter %6d  %7.1fs  train loss %.4g  %s %.4g\n", label, it, p.Seconds, p.TrainLoss, e.metricName(), metric)
	}
	if !resumed {
		r.Points = append(r.Points, RNNPoint{Metric: eval(m)})
	}
	for it := pr.Iter; it < iters && !r.Diverged; it++ {
		if e.ctx.Err() != nil {
			if err := save(); err != nil {
				return err
			}
			return fmt.Errorf("interrupted: %w", e.ctx.Err())
		}
		if e.c.Budget > 0 && train >= e.c.Budget {
			break
		}
		if e.c.StopSolved && r.SolvedAt >= 0 {
			break
		}
		if !grid && len(e.c.DecayAt) > 0 {
			setStepSize(opt, e.c.stepSize(lr, it, iters))
		}
		t0 := time.Now()
		b := task.Next(it, m)
		loss := m.Gradient(b)
		if clip > 0 {
			m.ClipGradNorm(clip)
		}
		opt.Step(m)
		train += time.Since(t0)
		pr.Examples += b.Rows
		pr.Iter = it + 1
		r.Iters = it + 1
		pr.LossSum += loss
		pr.LossN++
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			r.Diverged, r.Final = true, math.NaN()
			fmt.Fprintf(e.stderr, "  %siter %6d: training loss %v, stopping this run\n", label, it+1, loss)
			break
		}
		over := e.c.Budget > 0 && train >= e.c.Budget
		if (it+1)%e.c.EvalEvery == 0 || it+1 == iters || over {
			evaluate(it + 1)
			if err := save(); err != nil {
				return err
			}
		}
	}
	r.Seconds = train.Seconds()
	if r.Iters > 0 && r.Points[len(r.Points)-1].Iter != r.Iters && !r.Diverged {
		evaluate(r.Iters)
	}
	if v, ok := task.Final(m); ok && !r.Diverged && !grid {
		r.Extra = v
		fmt.Fprintf(e.stderr, "  %stest bits per character %.4f\n", label, v)
	}
	return nil
}

// save writes a run's checkpoint: the model, the data stream's position
// and the progress with the optimizer's velocity, in one atomic file.
func (e *rnnStudy) save(path string, task tasks.Task, m *rnn.Model, opt rnn.Optimizer, pr *rnnProgress) error {
	rt, ok := task.(tasks.Resumable)
	if !ok {
		return nil
	}
	stream, err := rt.StreamState(m)
	if err != nil {
		return err
	}
	pr.HasVelocity, pr.Velocity = false, nil
	if v, ok := opt.(velocityOpt); ok && v.Velocity() != nil {
		pr.HasVelocity, pr.Velocity = true, v.Velocity()
	}
	var pb bytes.Buffer
	if err := gob.NewEncoder(&pb).Encode(pr); err != nil {
		return err
	}
	return checkpoint.Save(path,
		checkpoint.Section{Name: rnnSectionModel, Write: m.Save},
		checkpoint.Bytes(rnnSectionStream, stream),
		checkpoint.Bytes(rnnSectionProgress, pb.Bytes()))
}

// restore reads a run's checkpoint into m, opt, the task and pr.
func (e *rnnStudy) restore(ck *checkpoint.File, task tasks.Task, m *rnn.Model, opt rnn.Optimizer, pr *rnnProgress) error {
	rt, ok := task.(tasks.Resumable)
	if !ok {
		return fmt.Errorf("%s: the task cannot resume its data stream", ck.Path())
	}
	mb, ok1, err := ck.ReadAll(rnnSectionModel)
	if err != nil {
		return err
	}
	sb, ok2, err := ck.ReadAll(rnnSectionStream)
	if err != nil {
		return err
	}
	pb, ok3, err := ck.ReadAll(rnnSectionProgress)
	if err != nil {
		return err
	}
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("%s: not a checkpoint of an rnn run", ck.Path())
	}
	saved, err := rnn.Load(bytes.NewReader(mb))
	if err != nil {
		return fmt.Errorf("%s: %w", ck.Path(), err)
	}
	if saved.Config() != m.Config() {
		return fmt.Errorf("%s: holds a model of another shape (%v, this run %v)", ck.Path(), saved.Config(), m.Config())
	}
	m.CopyFrom(saved)
	if err := gob.NewDecoder(bytes.NewReader(pb)).Decode(pr); err != nil {
		return fmt.Errorf("%s: progress: %w", ck.Path(), err)
	}
	if pr.HasVelocity {
		v, ok := opt.(velocityOpt)
		if !ok {
			return fmt.Errorf("%s: holds momentum the optimizer has no place for", ck.Path())
		}
		if err := v.SetVelocity(m, pr.Velocity); err != nil {
			return fmt.Errorf("%s: %w", ck.Path(), err)
		}
	}
	return rt.RestoreStream(sb)
}

func (e *rnnStudy) metricName() string { return metricName(e.task) }

func (e *rnnStudy) markdown(w io.Writer) {
	f := e.c
	budget := fmt.Sprintf("at most %d iterations of batch %d per run", f.Iters, f.Batch)
	if e.task == "mnist" && f.Iters == 0 {
		budget = fmt.Sprintf("%g epoch(s) of batch %d per run", f.Epochs, f.Batch)
	}
	if f.Budget > 0 {
		budget += fmt.Sprintf(", at most %v of training time", f.Budget)
	}
	if len(f.DecayAt) > 0 {
		budget += fmt.Sprintf("; step size times %g at %v of each run (the lr column is the starting step)", f.Decay, f.DecayAt)
	}
	fmt.Fprintf(w, "## fastpath experiment rnn %s\n\n", e.task)
	if e.task == "mnist" {
		fmt.Fprintf(w, "Images %dx%d (%d steps), %d training and %d test images. ", f.Side, f.Side, f.Side*f.Side, e.trainImages, e.testImages)
	}
	fmt.Fprintf(w, "%d hidden units, momentum %g, SGD clipping %g, RNN-Path clipping %g, RNN-Path init %s, seed %d; budget: %s. Kernels: %s.\n\n",
		f.Hidden, f.Momentum, f.Clip, f.ClipPath, f.PathInit, f.Seed, budget, asm.Current().Name)
	ms := func(r *RNNRun) float64 { return 1000 * r.Seconds / float64(max(r.Iters, 1)) }
	div := func(r *RNNRun) string {
		if r.Diverged {
			return fmt.Sprintf(" (diverged at iteration %d)", r.Iters)
		}
		return ""
	}
	switch e.task {
	case "addition":
		fmt.Fprintf(w, "| T | method | lr | iterations | train time (s) | ms/iter | final test MSE | best test MSE | solved (MSE < 0.01) at |\n")
		fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range e.results {
			solved := "not solved"
			if r.SolvedAt >= 0 {
				solved = fmt.Sprintf("iteration %d", r.SolvedAt)
			}
			fmt.Fprintf(w, "| %s | %s | %g | %d | %.1f | %.2f | %.4g%s | %.4g | %s |\n",
				strings.TrimPrefix(r.Variant, "T="), methodLabel(r), r.LR, r.Iters, r.Seconds, ms(r), r.Final, div(r), r.Best, solved)
		}
		fmt.Fprintf(w, "\nPredicting 1 always gives test MSE 1/6 = 0.167.\n")
	case "mnist":
		fmt.Fprintf(w, "| variant | method | lr | iterations | epochs | train time (s) | ms/iter | time per epoch (s) | test accuracy | best |\n")
		fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range e.results {
			n := float64(r.Iters * f.Batch)
			epoch := float64(e.trainImages) / float64(f.Batch) * ms(r) / 1000
			fmt.Fprintf(w, "| %s | %s | %g | %d | %.3g | %.1f | %.2f | %.0f | %.2f%%%s | %.2f%% |\n",
				r.Variant, methodLabel(r), r.LR, r.Iters, n/float64(max(e.trainImages, 1)), r.Seconds, ms(r), epoch, 100*r.Final, div(r), 100*r.Best)
		}
		fmt.Fprintf(w, "\nTime per epoch: measured ms/iter x training images / batch. The thesis reports 96.9%% test accuracy for RNN-Path on sequential MNIST.\n")
	case "text":
		fmt.Fprintf(w, "| corpus | method | lr | iterations | characters | train time (s) | ms/iter | validation bits/char | best | test bits/char |\n")
		fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range e.results {
			fmt.Fprintf(w, "| %s | %s | %g | %d | %d | %.1f | %.2f | %.4f%s | %.4f | %.4f |\n",
				r.Variant, methodLabel(r), r.LR, r.Iters, r.Iters*f.Batch*f.Steps[0], r.Seconds, ms(r), r.Final, div(r), r.Best, r.Extra)
		}
		fmt.Fprintf(w, "\nThe thesis reports 1.47 bits/char for RNN-Path on Penn Treebank characters.\n")
	}
}

// methodLabel names a run's method in the tables, marking the candidates
// of a step-size grid, whose metric columns are the validation set's.
func methodLabel(r *RNNRun) string {
	if r.Phase == PhaseGrid {
		return r.Method + " (grid candidate; validation metric)"
	}
	return r.Method
}
