package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/fastpath-go/fastpath/checkpoint"
	"io"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/internal/atomicfile"
	"github.com/fastpath-go/fastpath/layers"
)

// evalFlags are the eval command's flags.
type evalFlags struct {
	model       string
	batch       int
	threads     int
	safetensors string
	data        dataFlags
}

func newEvalFlagSet(f *evalFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.model, "model", "", "the model `file` to evaluate (required): a checkpoint or model written by fastpath train -out, or a .safetensors state_dict of a PyTorch nn.Sequential of Linear, ReLU and Dropout modules")
	fs.IntVar(&f.batch, "batch", 500, "evaluation batch `size`")
	fs.IntVar(&f.threads, "threads", 0, "GEMM `threads` (0: GOMAXPROCS)")
	fs.StringVar(&f.safetensors, "safetensors", "", "also export the parameters to a safetensors `file` (names as in torch.nn.Sequential)")
	f.data.register(fs, false)
	return fs
}

func evalUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fastpath eval -model FILE [flags]\n\n")
	fmt.Fprintf(w, "Loads a model saved by fastpath train and prints its loss and error on the\n")
	fmt.Fprintf(w, "test set (MNIST's t10k files, or -csv-test) and the examples per second of\n")
	fmt.Fprintf(w, "inference. A missing, truncated or corrupted model file exits with status 1.\nFlags:\n\n")
	fs := newEvalFlagSet(new(evalFlags))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func runEval(args []string, stdout, stderr io.Writer) int {
	var f evalFlags
	fs := newEvalFlagSet(&f)
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "fastpath eval: "+format+" (run 'fastpath help eval')\n", a...)
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "fastpath eval: %v\n", err)
		return 1
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			evalUsage(stdout)
			return 0
		}
		return bad("%v", err)
	}
	switch {
	case fs.NArg() > 0:
		return bad("unexpected argument %q", fs.Arg(0))
	case f.model == "":
		return bad("-model is required")
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	applied, loaded := applyPreprocessing(f.model, &f.data, set)
	if err := checkBatch(f.batch); err != nil {
		return bad("%v", err)
	}
	if err := checkThreads(f.threads); err != nil {
		return bad("%v", err)
	}
	spec, err := f.data.parse(false)
	if err != nil {
		return bad("%v", err)
	}
	if spec.csv && f.data.csvTest == "" {
		return bad("eval reads a test set: give -csv-test")
	}
	if f.threads > 0 {
		defer blas.SetThreads(blas.SetThreads(f.threads))
		if runtime.GOMAXPROCS(0) < f.threads {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(f.threads))
		}
	}

	load := layers.LoadFile
	if strings.HasSuffix(strings.ToLower(f.model), ".safetensors") {
		// A PyTorch nn.Sequential's state_dict (or fastpath's export).
		load = layers.LoadSafetensors
	}
	net := loaded // a checkpoint read once, for its record and its model
	if net == nil {
		var err error
		if net, err = load(f.model); err != nil {
			return fail(err)
		}
	}
	fmt.Fprintf(stdout, "model    %s: %s: %s, %d parameters\n", f.model, sizesName(net), net, net.NumParams())
	if applied != "" {
		fmt.Fprintf(stdout, "data     as in training: %s\n", applied)
	}
	if f.safetensors != "" {
		if err := atomicfile.Write(f.safetensors, net.WriteSafetensors); err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "exported %s\n", f.safetensors)
	}
	l, err := spec.load()
	if err != nil {
		return fail(err)
	}
	test := l.test
	fmt.Fprintf(stdout, "data     %s: %d test examples, %d features, %d classes\n", l.source, test.Len(), test.Dim(), test.Classes)
	if test.Dim() != net.InSize() {
		hint := ""
		if test.Height > 0 && spec.downH == 0 {
			if s := int(math.Round(math.Sqrt(float64(net.InSize())))); s*s == net.InSize() {
				hint = fmt.Sprintf(" (trained with -downsample %dx%d?)", s, s)
			}
		}
		return fail(fmt.Errorf("%s takes %d features, the test set has %d%s", f.model, net.InSize(), test.Dim(), hint))
	}
	if test.Classes > net.OutSize() {
		return fail(fmt.Errorf("%s has %d outputs, the test set %d classes", f.model, net.OutSize(), test.Classes))
	}
	start := time.Now()
	loss, acc, err := layers.Evaluate(net, test, f.batch)
	sec := time.Since(start).Seconds()
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "machine  %d GEMM threads, batch %d\n", blas.Threads(), f.batch)
	fmt.Fprintf(stdout, "\ntest loss %.4f, error %s (%d of %d wrong), %.0f examples/s\n",
		loss, percent(1-acc), int(math.Round((1-acc)*float64(test.Len()))), test.Len(), float64(test.Len())/sec)
	return 0
}

// applyPreprocessing sets the data flags not given on the command line to
// the preprocessing recorded in a training checkpoint (fastpath train -out
// records it), says which it applied, and returns the checkpoint's network
// (nil for other files, or when the checkpoint does not load: loading the
// model again reports why). Model files without the record change nothing.
func applyPreprocessing(model string, d *dataFlags, set map[string]bool) (string, *layers.Network) {
	if !checkpoint.IsCheckpoint(model) {
		return "", nil
	}
	c, err := layers.LoadCheckpoint(model)
	if err != nil {
		return "", nil // reported when the model is loaded
	}
	var m trainMeta
	if json.Unmarshal(c.Meta, &m) != nil || m.Data == nil {
		return "", c.Net
	}
	var done []string
	apply := func(name string, ok bool, f func()) {
		if ok && !set[name] {
			f()
			done = append(done, "-"+name)
		}
	}
	p := m.Data
	apply("downsample", p.Downsample != "", func() { d.downsample = p.Downsample })
	apply("csv-scale", p.CSVScale != "" && d.csvTest != "", func() { d.csvScale = p.CSVScale })
	apply("csv-image", p.CSVImage != "" && d.csvTest != "", func() { d.csvImage = p.CSVImage })
	apply("csv-header", p.CSVHeader && d.csvTest != "", func() { d.csvHeader = true })
	apply("csv-label-last", p.CSVLast && d.csvTest != "", func() { d.csvLast = true })
	apply("classes", p.Classes > 0, func() { d.classes = p.Classes })
	return strings.Join(done, " "), c.Net
}
