package pool

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countTask records which parts ran.
type countTask struct {
	parts int
	runs  []atomic.Int32
}

func (c *countTask) RunPart(part, parts int) {
	if parts != c.parts {
		panic("wrong part count")
	}
	c.runs[part].Add(1)
}

func (c *countTask) check(t *testing.T, region int) {
	t.Helper()
	for i := range c.runs {
		if n := c.runs[i].Load(); n != 1 {
			t.Fatalf("region %d: part %d of %d ran %d times", region, i, c.parts, n)
		}
	}
}

// TestRunEveryPartOnce runs regions back to back (workers still polling),
// after pauses longer than the polling (workers asleep, woken by a token),
// and with part counts that grow and shrink: every part runs exactly once
// and Run returns only after all have.
func TestRunEveryPartOnce(t *testing.T) {
	var p Pool
	for region := 0; region < 300; region++ {
		n := 1 + region%5
		if !p.Acquire(n) {
			t.Fatal("Acquire failed on a free pool")
		}
		c := &countTask{parts: n, runs: make([]atomic.Int32, n)}
		p.Run(n, c)
		c.check(t, region)
		p.Release()
		if region%50 == 49 {
			time.Sleep(5 * time.Millisecond) // let the workers block
		}
	}
}

// slowTask makes the caller's part the short one, so that the caller waits
// for the workers (and blocks after polling when they take long).
type slowTask struct {
	d    time.Duration
	done atomic.Int32
}

func (s *slowTask) RunPart(part, _ int) {
	if part > 0 {
		time.Sleep(s.d)
	}
	s.done.Add(1)
}

func TestRunWaitsForWorkers(t *testing.T) {
	var p Pool
	for _, d := range []time.Duration{0, time.Microsecond, 3 * time.Millisecond} {
		for i := 0; i < 5; i++ {
			if !p.Acquire(3) {
				t.Fatal("Acquire failed")
			}
			s := &slowTask{d: d}
			p.Run(3, s)
			if n := s.done.Load(); n != 3 {
				t.Fatalf("d=%v: Run returned after %d of 3 parts", d, n)
			}
			p.Release()
		}
	}
}

// TestAcquireBusy checks that a second caller is refused while the pool is
// held, and that concurrent callers each either run in parallel or are
// refused, never both at once.
func TestAcquireBusy(t *testing.T) {
	var p Pool
	if !p.Acquire(2) {
		t.Fatal("Acquire failed")
	}
	if p.Acquire(2) {
		t.Fatal("second Acquire succeeded while held")
	}
	p.Release()
	var wg sync.WaitGroup
	var inside atomic.Int32
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if !p.Acquire(2) {
					continue
				}
				if inside.Add(1) != 1 {
					t.Error("two holders at once")
				}
				c := &countTask{parts: 2, runs: make([]atomic.Int32, 2)}
				p.Run(2, c)
				c.check(t, i)
				inside.Add(-1)
				p.Release()
			}
		}()
	}
	wg.Wait()
}

// TestRunAllocatesNothing checks the steady state: no allocation per region.
func TestRunAllocatesNothing(t *testing.T) {
	var p Pool
	c := &countTask{parts: 2, runs: make([]atomic.Int32, 2)}
	p.Acquire(2)
	defer p.Release()
	p.Run(2, c)
	if a := testing.AllocsPerRun(100, func() { p.Run(2, c) }); a != 0 {
		t.Errorf("%v allocations per Run", a)
	}
}

// stressTask sleeps in its worker parts, so that the caller reaches wait
// (and, under load, sleeps there) long before the workers finish.
type stressTask struct {
	countTask
	d time.Duration
}

func (s *stressTask) RunPart(part, parts int) {
	if part > 0 {
		time.Sleep(s.d)
	}
	s.countTask.RunPart(part, parts)
}

// TestStress runs many regions with part counts from 1 to 4, with the
// workers' parts sometimes slower than the caller's and pauses between
// regions long enough for workers to fall asleep, from two goroutines that
// contend for the pool (the loser runs serially): every part of every
// region runs exactly once, and Run returns only after all have.
func TestStress(t *testing.T) {
	var p Pool
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for region := 0; region < 400; region++ {
				n := 1 + (region+g)%4
				task := &stressTask{countTask: countTask{parts: n, runs: make([]atomic.Int32, n)}}
				if region%7 == 0 {
					task.d = 200 * time.Microsecond
				}
				if !p.Acquire(n) {
					task.parts = 1
					task.runs = make([]atomic.Int32, 1)
					task.RunPart(0, 1)
					task.check(t, region)
					continue
				}
				p.Run(n, task)
				task.check(t, region)
				p.Release()
				if region%50 == 0 {
					time.Sleep(2 * time.Millisecond) // workers fall asleep
				}
			}
		}()
	}
	wg.Wait()
}
