package dist

import (
	"fmt"
	"sync"
)

// NewGroup returns size communicators that connect goroutines of one
// process (rank i is the i-th): the collectives of package dist without
// MPI, for tests and for running a distributed program's ranks in one
// process. Sums are formed in rank order. Each Comm must be used by one
// goroutine; a collective blocks until every rank has called it.
func NewGroup(size int) []Comm {
	if size < 1 {
		panic("dist: group size must be positive")
	}
	g := &group{size: size, f32: make([][]float32, size), f64: make([][]float64, size)}
	g.cond = sync.NewCond(&g.mu)
	cs := make([]Comm, size)
	for r := range size {
		cs[r] = &member{g: g, rank: r}
	}
	return cs
}

type group struct {
	mu      sync.Mutex
	cond    *sync.Cond
	size    int
	arrived int
	gen     int
	f32     [][]float32
	f64     [][]float64
	err     error
}

type member struct {
	g    *group
	rank int
}

// collective deposits this rank's buffers and, when the last rank
// arrives, runs done on all of them.
func (m *member) collective(a []float32, b []float64, done func(g *group) error) error {
	g := m.g
	g.mu.Lock()
	defer g.mu.Unlock()
	gen := g.gen
	g.f32[m.rank], g.f64[m.rank] = a, b
	g.arrived++
	if g.arrived == g.size {
		g.err = done(g)
		g.arrived = 0
		g.gen++
		g.cond.Broadcast()
		return g.err
	}
	for gen == g.gen {
		g.cond.Wait()
	}
	return g.err
}

func (m *member) Rank() int { return m.rank }
func (m *member) Size() int { return m.g.size }

func (m *member) AllreduceSum32(buf []float32) error {
	return m.collective(buf, nil, func(g *group) error {
		for _, b := range g.f32 {
			if len(b) != len(buf) {
				return fmt.Errorf("dist: allreduce of %d and %d values", len(b), len(buf))
			}
		}
		for i := range buf {
			var s float32
			for _, b := range g.f32 {
				s += b[i]
			}
			for _, b := range g.f32 {
				b[i] = s
			}
		}
		return nil
	})
}

func (m *member) AllreduceSum64(buf []float64) error {
	return m.collective(nil, buf, func(g *group) error {
		for _, b := range g.f64 {
			if len(b) != len(buf) {
				return fmt.Errorf("dist: allreduce of %d and %d values", len(b), len(buf))
			}
		}
		for i := range buf {
			var s float64
			for _, b := range g.f64 {
				s += b[i]
			}
			for _, b := range g.f64 {
				b[i] = s
			}
		}
		return nil
	})
}

func (m *member) Broadcast32(buf []float32, root int) error {
	if err := checkRoot(root, m.g.size); err != nil {
		return err
	}
	return m.collective(buf, nil, func(g *group) error {
		for _, b := range g.f32 {
			copy(b, g.f32[root])
		}
		return nil
	})
}

func (m *member) Broadcast64(buf []float64, root int) error {
	if err := checkRoot(root, m.g.size); err != nil {
		return err
	}
	return m.collective(nil, buf, func(g *group) error {
		for _, b := range g.f64 {
			copy(b, g.f64[root])
		}
		return nil
	})
}

func (m *member) Barrier() error { return m.collective(nil, nil, func(*group) error { return nil }) }

func (m *member) Close() error { return nil }
