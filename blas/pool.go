package blas

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// task is one parallel region: run is called once for every thread id in
// [0, n). Implementations are pointers, so passing them through the pool's
// channels does not allocate.
type task interface {
	run(tid int)
}

type poolJob struct {
	t   task
	tid int
}

// workerPool is a persistent set of goroutines that execute parallel regions
// for the GEMM engine. The calling goroutine takes thread 0; workers take the
// others. One GEMM at a time owns the pool (mu); a concurrent caller that
// finds it busy runs serially instead of waiting.
type workerPool struct {
	mu      sync.Mutex
	workers []chan poolJob
	wg      sync.WaitGroup
}

var gemmPool workerPool

// acquire tries to take the pool for a region of n threads, starting workers
// as needed. It reports false if another call holds the pool.
func (p *workerPool) acquire(n int) bool {
	if !p.mu.TryLock() {
		return false
	}
	for len(p.workers) < n-1 {
		ch := make(chan poolJob)
		p.workers = append(p.workers, ch)
		go p.work(ch)
	}
	return true
}

func (p *workerPool) release() { p.mu.Unlock() }

func (p *workerPool) work(ch chan poolJob) {
	for j := range ch {
		j.t.run(j.tid)
		p.wg.Done()
	}
}

// run executes t on n threads and returns when all have finished. The pool
// must be held (acquire) with at least n threads.
func (p *workerPool) run(n int, t task) {
	p.wg.Add(n - 1)
	for i := 1; i < n; i++ {
		p.workers[i-1] <- poolJob{t: t, tid: i}
	}
	t.run(0)
	p.wg.Wait()
}

// numThreads returns the thread count a call should use: the SetThreads
// setting, or GOMAXPROCS at call time.
func numThreads() int {
	if n := int(threadSetting.Load()); n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// barrier is a reusable barrier for the threads of one GEMM call. Waits
// are usually short (one depth block's packing), so a waiting thread spins
// first; if the wait drags on (more threads than free cores, or another
// process holding one), it blocks, so that the thread it waits for can have
// the core.
type barrier struct {
	n     int32
	count atomic.Int32
	gen   atomic.Uint32
	mu    sync.Mutex
	cond  sync.Cond
}

// barrierSpins is how many times a waiting thread polls before blocking:
// some tens of microseconds.
const barrierSpins = 4096

func (b *barrier) reset(n int) {
	b.n = int32(n)
	b.count.Store(0)
	b.cond.L = &b.mu
}

func (b *barrier) wait() {
	gen := b.gen.Load()
	if b.count.Add(1) == b.n {
		b.count.Store(0)
		b.mu.Lock()
		b.gen.Add(1)
		b.cond.Broadcast()
		b.mu.Unlock()
		return
	}
	for spins := 0; spins < barrierSpins; spins++ {
		if b.gen.Load() != gen {
			return
		}
		if spins >= 64 {
			runtime.Gosched()
		}
	}
	b.mu.Lock()
	for b.gen.Load() == gen {
		b.cond.Wait()
	}
	b.mu.Unlock()
}
