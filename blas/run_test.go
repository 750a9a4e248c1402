package blas

import (
	"sync/atomic"
	"testing"
)

type countTask struct {
	parts  atomic.Int32
	calls  atomic.Int32
	nested func()
}

func (c *countTask) RunPart(part, parts int) {
	c.parts.Store(int32(parts))
	c.calls.Add(1)
	if c.nested != nil && part == 0 {
		c.nested()
	}
}

// TestRun: Run splits into the parts asked for, capped at Threads(); one
// part, or a pool already held (a Run inside a region), runs on the caller
// as one part; ElementwiseParts splits only large passes.
func TestRun(t *testing.T) {
	withThreads(2, func() {
		for _, c := range []struct{ ask, want int }{{1, 1}, {2, 2}, {5, 2}, {0, 1}} {
			var task countTask
			Run(&task, c.ask)
			if got := int(task.parts.Load()); got != c.want || int(task.calls.Load()) != c.want {
				t.Errorf("Run(%d parts) with 2 threads: %d parts, %d calls, want %d", c.ask, got, task.calls.Load(), c.want)
			}
		}
		var inner countTask
		outer := countTask{nested: func() { Run(&inner, 2) }}
		Run(&outer, 2)
		if inner.parts.Load() != 1 || inner.calls.Load() != 1 {
			t.Errorf("nested Run: %d parts, want 1 on the caller", inner.parts.Load())
		}
		if ElementwiseParts(1000) != 1 || ElementwiseParts(1<<20) != 2 {
			t.Errorf("ElementwiseParts: %d, %d", ElementwiseParts(1000), ElementwiseParts(1<<20))
		}
	})
}
