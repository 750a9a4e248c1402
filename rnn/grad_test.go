package rnn

import (
	"fmt"
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/blas"
)

// gradCase is one gradient check: architecture, sequence shape, output
// steps, truncation and whether the batch has an initial state.
type gradCase struct {
	cfg      Config
	steps    int
	rows     int
	outputs  []int
	truncate int
	h0       bool
}

func gradCases() []gradCase {
	soft := Config{In: 3, Hidden: 5, Out: 4, Loss: SoftmaxCrossEntropy}
	sq := Config{In: 2, Hidden: 4, Out: 2, Loss: Squared}
	return []gradCase{
		{soft, 1, 3, []int{0}, 0, false},
		{soft, 2, 2, []int{1}, 0, false},
		{soft, 3, 3, []int{0, 1, 2}, 0, true},
		{sq, 5, 2, []int{4}, 0, false},
		{sq, 8, 3, []int{1, 2, 5, 7}, 0, true},
		{soft, 13, 2, []int{3, 4, 5, 12}, 0, false},
		{sq, 9, 2, []int{2, 5, 8}, 3, false},
		{soft, 10, 3, EveryStep(10), 4, true},
		{Config{In: 1, Hidden: 7, Out: 1, Loss: Squared}, 30, 2, []int{29}, 0, false},
	}
}

func (c gradCase) String() string {
	return fmt.Sprintf("%v/T=%d/rows=%d/out=%v/trunc=%d/h0=%v", c.cfg.Loss, c.steps, c.rows, c.outputs, c.truncate, c.h0)
}

// TestReferenceGradient checks the float64 reference BPTT against central
// finite differences of the loss. For truncated BPTT the differentiated
// function keeps the states entering each truncation boundary fixed at
// their unperturbed values, which is what truncation means.
func TestReferenceGradient(t *testing.T) {
	for i, c := range gradCases() {
		t.Run(c.String(), func(t *testing.T) {
			m := randomModel(t, c.cfg, uint64(10+i), 1.2)
			b := randomBatch(c.cfg, uint64(100+i), c.steps, c.rows, c.outputs, c.h0)
			b.Truncate = c.truncate
			ref := refFrom(m)
			_, g := ref.gradient(b)
			var frozen *refPass
			if c.truncate > 0 {
				frozen = ref.forward(b, nil)
			}
			const h = 1e-6
			scale := maxAbs(g)
			for i := range ref.p {
				p := ref.p[i]
				ref.p[i] = p + h
				lp := ref.loss(b, frozen)
				ref.p[i] = p - h
				lm := ref.loss(b, frozen)
				ref.p[i] = p
				fd := (lp - lm) / (2 * h)
				if math.Abs(fd-g[i]) > 1e-6*scale+1e-8 {
					t.Errorf("parameter %d: BPTT %.10g, finite difference %.10g", i, g[i], fd)
				}
			}
		})
	}
}

// TestGradientMatchesReference checks the float32 model's loss and every
// gradient against the float64 reference, with BPTT chunks small enough to
// split the sequence, for every kernel implementation.
func TestGradientMatchesReference(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for _, chunkRows := range []int{4096, 5} {
			for i, c := range gradCases() {
				t.Run(fmt.Sprintf("chunkRows=%d/%v", chunkRows, c), func(t *testing.T) {
					defer func(old int) { bpttChunkRows = old }(bpttChunkRows)
					bpttChunkRows = chunkRows
					m := randomModel(t, c.cfg, uint64(10+i), 1.2)
					b := randomBatch(c.cfg, uint64(100+i), c.steps, c.rows, c.outputs, c.h0)
					b.Truncate = c.truncate
					ref := refFrom(m)
					lr, g := ref.gradient(b)
					l := m.Gradient(b)
					if math.Abs(l-lr) > 1e-5*math.Max(1, math.Abs(lr)) {
						t.Errorf("loss %.8g, reference %.8g", l, lr)
					}
					scale := maxAbs(g)
					j := 0
					for _, p := range m.Params() {
						for k, v := range p.Grad {
							if math.Abs(float64(v)-g[j]) > 2e-5*scale+1e-7 {
								t.Errorf("%s[%d]: %.8g, reference %.8g", p.Name, k, v, g[j])
							}
							j++
						}
					}
				})
			}
		}
	})
}

// TestDirectionalDerivative checks the float32 BPTT gradient against a
// finite difference of the float32 model's own loss along random
// directions (the averaging over all parameters lets a float32 loss
// resolve it), independently of the reference.
func TestDirectionalDerivative(t *testing.T) {
	for i, c := range gradCases() {
		if c.truncate > 0 {
			continue
		}
		t.Run(c.String(), func(t *testing.T) {
			m := randomModel(t, c.cfg, uint64(20+i), 1.2)
			b := randomBatch(c.cfg, uint64(200+i), c.steps, c.rows, c.outputs, c.h0)
			m.Gradient(b)
			base := refFrom(m)
			var grads []float64
			for _, p := range m.Params() {
				for _, g := range p.Grad {
					grads = append(grads, float64(g))
				}
			}
			r := newRand(uint64(i))
			for trial := 0; trial < 3; trial++ {
				d := make([]float64, len(grads))
				var dot, norm float64
				for k := range d {
					d[k] = r.NormFloat64()
					dot += d[k] * grads[k]
					norm += d[k] * d[k]
				}
				const eps = 2e-3
				step := eps / math.Sqrt(norm)
				at := func(s float64) float64 {
					p := base.clone()
					for k := range p.p {
						p.p[k] += s * d[k]
					}
					p.toModel(m)
					return m.Loss(b)
				}
				fd := (at(step) - at(-step)) / (2 * step)
				if math.Abs(fd-dot) > 2e-3*math.Sqrt(norm)*maxAbs(grads)+1e-4 {
					t.Errorf("trial %d: g.d = %.6g, finite difference %.6g", trial, dot, fd)
				}
			}
		})
	}
}

// TestCarriedState checks that running a sequence in two chunks, the second
// starting from FinalState of the first, gives the states and outputs of
// one run over the whole sequence.
func TestCarriedState(t *testing.T) {
	cfg := Config{In: 2, Hidden: 6, Out: 3}
	m := randomModel(t, cfg, 3, 1.1)
	whole := randomBatch(cfg, 4, 10, 3, EveryStep(10), true)
	y := m.Forward(whole)
	want := append([]float32(nil), y.Data...)
	split := 6
	first := &Batch{Steps: split, Rows: 3, X: whole.X[:split*3*2], H0: whole.H0, Outputs: EveryStep(split)}
	second := &Batch{Steps: 10 - split, Rows: 3, X: whole.X[split*3*2:], Outputs: EveryStep(10 - split)}
	got := append([]float32(nil), m.Forward(first).Data...)
	second.H0 = m.FinalState()
	got = append(got, m.Forward(second).Data...)
	if len(got) != len(want) {
		t.Fatalf("got %d outputs, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("output %d: chunked %v, whole %v", i, got[i], want[i])
		}
	}
}

// TestRecurrenceSplits checks that the recurrence gives the same bits
// whatever the thread count and whether threads split the sequences or
// each step's columns.
func TestRecurrenceSplits(t *testing.T) {
	defer blas.SetThreads(blas.SetThreads(0))
	defer func(old int) { weightCacheBytes = old }(weightCacheBytes)
	cfg := Config{In: 3, Hidden: 37, Out: 4}
	// 20 sequences take the main micro-kernel shape, 16 and 23 the
	// alternative one where the implementation has it (8-row panels with
	// AVX-512; 23 leaves a partial panel).
	for _, rows := range []int{20, 16, 23} {
		recurrenceSplits(t, cfg, rows)
	}
}

func recurrenceSplits(t *testing.T, cfg Config, rows int) {
	b := randomBatch(cfg, 5, 9, rows, []int{2, 7, 8}, true)
	b.Truncate = 4
	var want [][]float32
	for _, threads := range []int{1, 2, 3} {
		for _, cache := range []int{0, 1} {
			blas.SetThreads(threads)
			weightCacheBytes = cache
			m := randomModel(t, cfg, 6, 1.1)
			m.Gradient(b)
			var got [][]float32
			for _, p := range m.Params() {
				got = append(got, p.Grad)
			}
			got = append(got, m.Forward(b).Data)
			if want == nil {
				want = got
				continue
			}
			for i := range got {
				for j := range got[i] {
					if math.Float32bits(got[i][j]) != math.Float32bits(want[i][j]) {
						t.Fatalf("rows=%d threads=%d, column split=%v: tensor %d element %d is %v, want %v", rows, threads, cache == 1, i, j, got[i][j], want[i][j])
					}
				}
			}
		}
	}
}
