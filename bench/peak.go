package bench

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/fastpath-go/fastpath/asm"
)

// Peak measures the FMA peak in GFLOP/s for the given precision and number
// of threads: it times the selected implementation's Peak32 or Peak64
// kernel (independent multiply-adds in registers) on threads goroutines at
// once, each locked to its own OS thread, and returns the median of seven
// samples of about 50 ms after a warm-up. GOMAXPROCS is raised to threads
// for the measurement if it is lower. It panics if threads < 1 or prec is
// neither Single nor Double.
func Peak(prec Prec, threads int) float64 {
	return peak(prec, threads, timing{samples: 7, sampleTime: 50 * time.Millisecond})
}

func peak(prec Prec, threads int, tm timing) float64 {
	if threads < 1 {
		panic(fmt.Sprintf("bench: Peak with %d threads", threads))
	}
	impl := asm.Current()
	var kernel func(iters int) int
	switch prec {
	case Single:
		kernel = impl.Peak32
	case Double:
		kernel = impl.Peak64
	default:
		panic(fmt.Sprintf("bench: Peak with precision %q", rune(prec)))
	}
	if runtime.GOMAXPROCS(0) < threads {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(threads))
	}

	// Calibrate on one thread: double the iteration count until a call
	// takes a quarter of the sample time, then scale to the whole of it.
	iters := 1 << 12
	for {
		start := time.Now()
		kernel(iters)
		el := time.Since(start)
		if el >= tm.sampleTime/4 || iters >= 1<<40 {
			iters = max(1, int(float64(iters)*tm.sampleTime.Seconds()/max(el.Seconds(), 1e-9)))
			break
		}
		iters *= 2
	}

	rates := make([]float64, tm.samples+1)
	for s := range rates {
		rates[s] = peakSample(kernel, iters, threads)
	}
	return median(rates[1:]) // rates[0] is the warm-up
}

// peakSample runs kernel(iters) on threads locked goroutines started
// together and returns the aggregate GFLOP/s, timed from the start signal
// to the last goroutine's end.
func peakSample(kernel func(int) int, iters, threads int) float64 {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	flops := make([]int, threads)
	for i := range flops {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ready.Done()
			<-start
			flops[i] = kernel(iters)
		}()
	}
	ready.Wait()
	t0 := time.Now()
	close(start)
	done.Wait()
	el := time.Since(t0).Seconds()
	total := 0
	for _, f := range flops {
		total += f
	}
	return float64(total) / el / 1e9
}
