// Package pool is fastpath's one worker pool: persistent goroutines that run
// the parallel regions of the GEMM engine, the GEMV routines and the
// optimizer updates (packages blas, layers, pathsgd and rnn through
// blas.Run).
//
// One region runs at a time: a caller takes the pool with Acquire (which
// fails at once if another region holds it, and the caller then runs
// serially), runs any number of regions with Run, and gives it back with
// Release. Run executes part 0 on the calling goroutine and parts 1..n-1 on
// workers, and allocates nothing.
//
// Training runs regions back to back, separated by short serial stretches,
// so a worker that finished a part polls for the next one for a while
// (yielding the processor between polls) before it blocks: waking a
// blocked goroutine costs tens of microseconds on a virtual machine, which
// is a fifth of a millisecond-long GEMM. The caller likewise polls for the
// workers' completion before it blocks.
package pool

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Task is one parallel region: RunPart(part, parts) runs part part of parts
// (0 <= part < parts). Implementations are usually pointers, so that
// passing them to the workers does not allocate.
type Task interface {
	RunPart(part, parts int)
}

// Pool is a set of persistent workers. The zero value is ready to use.
type Pool struct {
	mu      sync.Mutex
	workers []*worker
	// remaining counts the parts of the current region not yet finished by
	// workers; done receives a token when the last one finishes while the
	// caller sleeps.
	remaining atomic.Int32
	done      chan struct{}
}

// Worker states.
const (
	awake int32 = iota
	asleep
)

// spins is how many times a worker or a waiting caller polls (yielding the
// processor after the first few) before it blocks: some tens of
// microseconds.
const spins = 2048

type worker struct {
	// The dispatcher writes job, then increments seq; the worker reads job
	// after it sees seq change.
	job   Task
	part  int
	parts int
	seq   atomic.Uint64
	state atomic.Int32
	wake  chan struct{} // capacity 1: the dispatcher's token for a sleeping worker
	pool  *Pool
}

// Acquire tries to take the pool for regions of n parts, starting workers as
// needed. It reports false, taking nothing, if another caller holds it.
func (p *Pool) Acquire(n int) bool {
	if !p.mu.TryLock() {
		return false
	}
	if p.done == nil {
		p.done = make(chan struct{}, 1)
	}
	for len(p.workers) < n-1 {
		w := &worker{wake: make(chan struct{}, 1), pool: p}
		p.workers = append(p.workers, w)
		go w.loop()
	}
	return true
}

// Release gives the pool back.
func (p *Pool) Release() { p.mu.Unlock() }

// Run runs t as n parts, part 0 on the calling goroutine, and returns when
// all are done. The pool must be held (Acquire) with at least n parts.
func (p *Pool) Run(n int, t Task) {
	p.remaining.Store(int32(n - 1))
	for i := 1; i < n; i++ {
		w := p.workers[i-1]
		w.job, w.part, w.parts = t, i, n
		w.seq.Add(1)
		if w.state.Swap(awake) == asleep {
			// A token is a hint to look at seq: if one is already
			// waiting, the worker will wake and find this region.
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	}
	t.RunPart(0, n)
	p.wait()
	for i := 1; i < n; i++ {
		p.workers[i-1].job = nil // keep no reference to the caller's data
	}
}

// sleepFlag, or-ed into remaining, says that the caller is blocked on
// done. The count and the flag share one word so that exactly one party
// decides about the token: the worker whose decrement leaves the count at
// zero sends it if and only if the flag was set before that decrement.
// (With a separate flag, a worker that had already let the caller go on
// could still swap the flag of the caller's next region and wake it with
// parts unfinished; the stress test caught that.)
const sleepFlag = 1 << 30

// wait returns when every worker part of the current region has finished.
func (p *Pool) wait() {
	for i := 0; i < spins; i++ {
		if p.remaining.Load() == 0 {
			return
		}
		if i >= 64 {
			runtime.Gosched()
		}
	}
	if p.remaining.Or(sleepFlag) == 0 {
		// Everything finished meanwhile; no worker saw the flag.
		p.remaining.Store(0)
		return
	}
	<-p.done
	p.remaining.Store(0)
}

// finish records that a worker finished its part.
func (p *Pool) finish() {
	if p.remaining.Add(-1) == sleepFlag {
		p.done <- struct{}{}
	}
}

func (w *worker) loop() {
	var last uint64
	for {
		seq := w.poll(last)
		if seq == last {
			// Nothing arrived while polling: sleep until the dispatcher
			// sends a token, unless a part arrived meanwhile.
			w.state.Store(asleep)
			if seq = w.seq.Load(); seq == last {
				<-w.wake
			} else if !w.state.CompareAndSwap(asleep, awake) {
				<-w.wake // the dispatcher saw asleep and sent a token
			}
			seq = w.seq.Load()
			if seq == last {
				// A token left from an earlier region (the stress test
				// finds them under load): nothing new to run. Running
				// w.job again would run a part twice and let the caller's
				// region end while this worker is still in it.
				w.state.Store(awake)
				continue
			}
		}
		last = seq
		w.job.RunPart(w.part, w.parts)
		w.pool.finish()
	}
}

// poll waits for seq to move past last for a while and returns it.
func (w *worker) poll(last uint64) uint64 {
	for i := 0; i < spins; i++ {
		if s := w.seq.Load(); s != last {
			return s
		}
		if i >= 64 {
			runtime.Gosched()
		}
	}
	return last
}

// Default is the pool every package of fastpath runs its regions on.
var Default Pool
