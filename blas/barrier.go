package blas

import (
	"runtime"
	"sync"
	"sync/atomic"
)

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
