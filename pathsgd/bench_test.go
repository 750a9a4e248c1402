package pathsgd

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/fastpath-go/fastpath/blas"
	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// BenchmarkStep measures training steps (gradient + update) on the thesis's
// MNIST network, batch 100, and the update alone:
//
//	go test -run XXX -bench Step -benchtime 20x ./pathsgd
//
// BenchmarkOverhead interleaves SGD steps and another method's (Path-SGD,
// DDP-SGD, SGD on a network with batch normalization or DDP-Normalization)
// on two networks of the same shape in one loop (so that load from other
// processes hits both alike) and reports each one's mean step time and
// their ratio, on one thread and on GOMAXPROCS threads (it sets both
// itself: run it without -cpu). Both run Network.TrainStep, as layers.Train does: SGD
// takes its large layers' steps in their weight-gradient products
// (layers.FuseVelocity), Path-SGD with momentum too where its largest
// layer is beyond the cache (PathSGD.PlanStep), the other methods run
// Gradient and Step.
func BenchmarkStep(b *testing.B) {
	for _, sizes := range [][]int{{784, 1000, 1000, 10}, {784, 4000, 4000, 10}} {
		for _, opt := range []string{"sgd", "sgd-momentum", "adagrad", "pathsgd", "pathsgd-momentum", "ddpsgd-0.5"} {
			for _, part := range []string{"step", "update"} {
				b.Run(fmt.Sprintf("net=%s/batch=100/opt=%s/part=%s", netName(sizes), opt, part), func(b *testing.B) {
					net, o, x, y := benchSetup(b, sizes, opt)
					b.ReportAllocs()
					for b.Loop() {
						if part == "step" {
							net.Gradient(x, y)
						}
						o.Step(net)
					}
					b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
				})
			}
		}
	}
}

func BenchmarkOverhead(b *testing.B) {
	for _, sizes := range [][]int{{784, 1000, 1000, 10}, {784, 4000, 4000, 10}} {
		for _, pair := range [][2]string{{"sgd", "pathsgd"}, {"sgd-momentum", "pathsgd-momentum"},
			{"sgd", "ddpsgd-0.5"}, {"sgd", "ddpsgd-1"}, {"sgd", "batchnorm"}, {"sgd", "ddpnorm-0.5"}} {
			for _, threads := range benchThreads() {
				b.Run(fmt.Sprintf("net=%s/batch=100/base=%s/opt=%s/threads=%d", netName(sizes), pair[0], pair[1], threads), func(b *testing.B) {
					defer withThreads(threads)()
					n0, o0, x, y := benchSetup(b, sizes, pair[0])
					n1, o1, _, _ := benchSetup(b, sizes, pair[1])
					var t0, t1 time.Duration
					for b.Loop() {
						s := time.Now()
						n0.TrainStep(x, y, o0)
						m := time.Now()
						n1.TrainStep(x, y, o1)
						t0 += m.Sub(s)
						t1 += time.Since(m)
					}
					n := float64(b.N)
					b.ReportMetric(t0.Seconds()*1e3/n, "base-ms/step")
					b.ReportMetric(t1.Seconds()*1e3/n, "opt-ms/step")
					b.ReportMetric(t1.Seconds()/t0.Seconds(), "ratio")
				})
			}
		}
	}
}

// benchThreads returns the thread counts BenchmarkOverhead runs: 1 and
// GOMAXPROCS. The benchmark sets them itself rather than through go test's
// -cpu flag: with b.Loop, Go runs the first -count of a sub-benchmark
// before it applies the first -cpu value (Go 1.26), so that measurement
// runs at the previous benchmark's GOMAXPROCS under the new name.
func benchThreads() []int {
	if p := runtime.GOMAXPROCS(0); p > 1 {
		return []int{1, p}
	}
	return []int{1}
}

// withThreads sets GOMAXPROCS and blas's thread count to t and returns the
// function that restores both.
func withThreads(t int) func() {
	prevT := blas.SetThreads(t)
	prevP := runtime.GOMAXPROCS(t)
	return func() {
		runtime.GOMAXPROCS(prevP)
		blas.SetThreads(prevT)
	}
}

func netName(sizes []int) string {
	s := ""
	for i, h := range sizes {
		if i > 0 {
			s += "-"
		}
		s += fmt.Sprint(h)
	}
	return s
}

// benchSetup returns a balanced network, an optimizer with tiny steps (so
// many iterations stay finite) and one batch, after one warm-up step.
func benchSetup(b testing.TB, sizes []int, opt string) (*layers.Network, layers.Optimizer, blas32.General, []int) {
	mo := layers.MLPOptions{Seed: 1, MaxBatch: 100}
	switch opt {
	case "batchnorm":
		mo.Norm = layers.NormBatch
	case "ddpnorm-0.5":
		mo.Norm, mo.Alpha = layers.NormDDP, 0.5
	}
	net, err := layers.NewMLP(sizes, mo)
	if err != nil {
		b.Fatal(err)
	}
	r := newRand(1)
	x, y := randMatrix(r, 100, sizes[0]), randLabels(r, 100, sizes[len(sizes)-1])
	var o layers.Optimizer
	switch opt {
	case "sgd", "batchnorm", "ddpnorm-0.5":
		o = &layers.SGD{LR: layers.Constant(1e-6)}
	case "sgd-momentum":
		o = &layers.SGD{LR: layers.Constant(1e-6), Momentum: layers.Constant(0.9)}
	case "adagrad":
		o = &layers.AdaGrad{LR: layers.Constant(1e-6)}
	case "pathsgd":
		o = &PathSGD{LR: layers.Constant(1e-6)}
	case "pathsgd-momentum":
		o = &PathSGD{LR: layers.Constant(1e-6), Momentum: layers.Constant(0.9)}
	case "ddpsgd-0.5":
		o = &DDPSGD{Alpha: 0.5, LR: layers.Constant(1e-6)}
	case "ddpsgd-1":
		o = &DDPSGD{Alpha: 1, LR: layers.Constant(1e-6)}
	default:
		b.Fatalf("unknown method %s", opt)
	}
	net.Gradient(x, y)
	o.Step(net)
	runtime.GC()
	return net, o, x, y
}
