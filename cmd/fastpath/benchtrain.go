package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"github.com/fastpath-go/fastpath/experiment"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/blas/blas32"

	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/bench"
	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/layers"
)

// defaultTrainNets are the networks "bench -train" measures: the thesis's
// MNIST networks.
const defaultTrainNets = "784-1000-1000-10,784-4000-4000-10"

// trainBenchBatch is the mini-batch of the training-step measurement.
const trainBenchBatch = 100

// trainBenchRow is one measured training throughput.
type trainBenchRow struct {
	net            string
	threads        int
	weights        int
	examplesPerSec float64
	peak           float64 // FMA peak, GFLOP/s, on the same threads
}

// gflops is the step's rate in the conventional 6 x batch x weights flops
// (forward 2, the two backward products 4).
func (r trainBenchRow) gflops() float64 { return 6 * float64(r.weights) * r.examplesPerSec / 1e9 }

// limit is the GEMM-bound examples/s: the FMA peak spent on the step's
// flops alone.
func (r trainBenchRow) limit() float64 { return r.peak * 1e9 / (6 * float64(r.weights)) }

// parseNets parses "784-1000-1000-10,..." into layer sizes.
func parseNets(s string) ([][]int, error) {
	var nets [][]int
	for _, item := range experiment.ParseList(s) {
		var sizes []int
		for _, f := range strings.Split(item, "-") {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 || n > 1<<16 {
				return nil, fmt.Errorf("bad network %q in -nets (want layer sizes joined by dashes, such as 784-1000-1000-10)", item)
			}
			sizes = append(sizes, n)
		}
		if len(sizes) < 2 {
			return nil, fmt.Errorf("bad network %q in -nets (want at least an input and an output size)", item)
		}
		nets = append(nets, sizes)
	}
	if len(nets) == 0 {
		return nil, fmt.Errorf("no network in -nets %q", s)
	}
	return nets, nil
}

// runTrainBench is "fastpath bench -train": training-step throughput of
// each network on each thread count, against the GEMM-bound limit.
func runTrainBench(ctx context.Context, nets [][]int, threads []int, samples int, csvFile io.Writer, stdout, stderr io.Writer) error {
	if len(threads) == 0 {
		threads = []int{1}
		if p := runtime.GOMAXPROCS(0); p > 1 {
			threads = append(threads, p)
		}
	}
	defer blas.SetThreads(blas.SetThreads(0))
	var rows []trainBenchRow
	for _, t := range threads {
		if runtime.GOMAXPROCS(0) < t {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(t))
		}
		// The machine may be shared: contention only lowers a peak
		// measurement, so the peak is the best of the medians measured
		// before each network and after the last.
		peak := 0.0
		measurePeak := func() {
			fmt.Fprintf(stderr, "bench: FMA peak, %d threads\n", t)
			peak = max(peak, bench.Peak(bench.Single, t))
		}
		first := len(rows)
		for _, sizes := range nets {
			measurePeak()
			name := joinSizes(sizes)
			fmt.Fprintf(stderr, "bench: training step %s, batch %d, %d threads\n", name, trainBenchBatch, t)
			r, err := measureTrainStep(ctx, sizes, t, samples)
			if err != nil {
				writeTrainBench(stdout, rows, samples)
				return err
			}
			rows = append(rows, r)
		}
		measurePeak()
		for i := first; i < len(rows); i++ {
			rows[i].peak = peak
		}
	}
	if err := writeTrainBench(stdout, rows, samples); err != nil {
		return err
	}
	if csvFile != nil {
		w := csv.NewWriter(csvFile)
		w.Write([]string{"net", "batch", "threads", "examples_per_s", "ms_per_step", "gflops", "peak_gflops", "limit_examples_per_s", "fraction_of_limit"})
		for _, r := range rows {
			w.Write([]string{r.net, strconv.Itoa(trainBenchBatch), strconv.Itoa(r.threads), fmt.Sprintf("%.1f", r.examplesPerSec),
				fmt.Sprintf("%.3f", 1e3*trainBenchBatch/r.examplesPerSec), fmt.Sprintf("%.2f", r.gflops()),
				fmt.Sprintf("%.2f", r.peak), fmt.Sprintf("%.1f", r.limit()), fmt.Sprintf("%.4f", r.examplesPerSec/r.limit())})
		}
		w.Flush()
		return w.Error()
	}
	return nil
}

func joinSizes(sizes []int) string {
	s := make([]string, len(sizes))
	for i, n := range sizes {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, "-")
}

// measureTrainStep times full training steps (forward, loss, backward,
// SGD-momentum update) of a network of the given sizes on threads GEMM
// threads, on a fixed synthetic batch (uniform [0, 1) features, random
// labels): after a warm-up, samples windows of about half a second each,
// and returns the median examples/s.
func measureTrainStep(ctx context.Context, sizes []int, threads, samples int) (trainBenchRow, error) {
	blas.SetThreads(threads)
	row := trainBenchRow{net: joinSizes(sizes), threads: threads}
	net, err := layers.NewMLP(sizes, layers.MLPOptions{Seed: 1, MaxBatch: trainBenchBatch})
	if err != nil {
		return row, err
	}
	row.weights = net.NumWeights()
	rng := rand.New(rand.NewPCG(1, 1))
	x := blas32.General{Rows: trainBenchBatch, Cols: sizes[0], Stride: sizes[0], Data: make([]float32, trainBenchBatch*sizes[0])}
	for i := range x.Data {
		x.Data[i] = rng.Float32()
	}
	y := make([]int, trainBenchBatch)
	for i := range y {
		y[i] = rng.IntN(sizes[len(sizes)-1])
	}
	// A small learning rate keeps the weights of the random task finite
	// and the arithmetic free of denormals, like a real run's.
	opt := &layers.SGD{LR: layers.Constant(1e-4), Momentum: layers.Constant(0.9)}
	step := func() { net.TrainStep(x, y, opt) }
	// Warm up (buffers, velocity, helper threads, caches) and calibrate.
	for range 2 {
		step()
	}
	start := time.Now()
	step()
	one := time.Since(start)
	const window = 500 * time.Millisecond
	n := max(1, int(window/max(one, time.Microsecond)))
	rates := make([]float64, samples)
	for s := range rates {
		if err := ctx.Err(); err != nil {
			return row, err
		}
		start := time.Now()
		for range n {
			step()
		}
		rates[s] = float64(n*trainBenchBatch) / time.Since(start).Seconds()
	}
	slices.Sort(rates)
	if len(rates)%2 == 1 {
		row.examplesPerSec = rates[len(rates)/2]
	} else {
		row.examplesPerSec = (rates[len(rates)/2-1] + rates[len(rates)/2]) / 2
	}
	return row, nil
}

// writeTrainBench prints the training throughput table.
func writeTrainBench(w io.Writer, rows []trainBenchRow, samples int) error {
	fmt.Fprintf(w, "training step: forward + backward + SGD-momentum update, batch %d, synthetic MNIST-shaped data, median of %s\n", trainBenchBatch, plural(samples, "sample"))
	fmt.Fprintf(w, "%s\n", asm.Describe())
	fmt.Fprintf(w, "FMA peak: best of the medians measured around the networks of a thread count (GFLOP/s)\n")
	fmt.Fprintf(w, "limit: the GEMM-bound examples/s, the FMA peak spent on the step's 6 x batch x weights flops alone\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "net\tthreads\texamples/s\tms/step\tGFLOP/s\tFMA peak\tlimit ex/s\tof limit\t\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.2f\t%.1f\t%.1f\t%.0f\t%.0f%%\t\n", r.net, r.threads, r.examplesPerSec,
			1e3*trainBenchBatch/r.examplesPerSec, r.gflops(), r.peak, r.limit(), 100*r.examplesPerSec/r.limit())
	}
	return tw.Flush()
}
