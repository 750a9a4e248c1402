package rnn

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestNewRejectsBadConfigs(t *testing.T) {
	for _, c := range []Config{
		{In: 0, Hidden: 1, Out: 1},
		{In: 1, Hidden: -1, Out: 1},
		{In: 1, Hidden: 1, Out: 0},
		{In: 1, Hidden: maxUnits + 1, Out: 1},
		{In: 1, Hidden: 1 << 15, Out: 1},
		{In: 1, Hidden: 1, Out: 1, Loss: 7},
	} {
		if _, err := New(c); err == nil {
			t.Errorf("New(%+v) succeeded", c)
		}
	}
}

func TestInit(t *testing.T) {
	m, _ := New(Config{In: 3, Hidden: 5, Out: 2})
	m.InitIRNN(0.001, 1)
	for v := 0; v < 5; v++ {
		for u := 0; u < 5; u++ {
			want := float32(0)
			if u == v {
				want = 1
			}
			if got := m.Wrec.Data[v*m.Wrec.Stride+u]; got != want {
				t.Fatalf("IRNN W_rec[%d,%d] = %g, want %g", v, u, got, want)
			}
		}
		for j := 0; j < 3; j++ {
			if w := m.Win.Data[v*m.Win.Stride+j]; w == 0 || math.Abs(float64(w)) > 0.006 {
				t.Errorf("IRNN W_in[%d,%d] = %g, want N(0, 0.001^2)", v, j, w)
			}
		}
	}
	// N(0, 1/fan_in): the sample variance of a large W_rec.
	big, _ := New(Config{In: 1, Hidden: 400, Out: 1})
	big.InitNormal(2)
	var s float64
	for v := 0; v < 400; v++ {
		for _, w := range big.Wrec.Data[v*big.Wrec.Stride : v*big.Wrec.Stride+400] {
			s += float64(w) * float64(w)
		}
	}
	if v := s / (400 * 400); math.Abs(v*400-1) > 0.02 {
		t.Errorf("InitNormal W_rec variance %g, want 1/400", v)
	}
	// InitHe: twice that variance, the rest as InitNormal.
	he, _ := New(Config{In: 1, Hidden: 400, Out: 1})
	he.InitHe(2)
	s = 0
	for v := 0; v < 400; v++ {
		for _, w := range he.Wrec.Data[v*he.Wrec.Stride : v*he.Wrec.Stride+400] {
			s += float64(w) * float64(w)
		}
	}
	if v := s / (400 * 400); math.Abs(v*200-1) > 0.02 {
		t.Errorf("InitHe W_rec variance %g, want 2/400", v)
	}
	for v := 0; v < 400; v++ {
		if he.Win.Data[v*he.Win.Stride] != big.Win.Data[v*big.Win.Stride] || he.Wout.Data[v] != big.Wout.Data[v] || he.B[v] != 0 {
			t.Fatalf("InitHe's W_in, W_out or b differ from InitNormal's at unit %d", v)
		}
	}
	again, _ := New(Config{In: 1, Hidden: 400, Out: 1})
	again.InitNormal(2)
	if !bytes.Equal(f32bytes(again.W.Data), f32bytes(big.W.Data)) {
		t.Error("InitNormal with the same seed gave different weights")
	}
}

func f32bytes(s []float32) []byte {
	var b bytes.Buffer
	for _, v := range s {
		u := math.Float32bits(v)
		b.Write([]byte{byte(u), byte(u >> 8), byte(u >> 16), byte(u >> 24)})
	}
	return b.Bytes()
}

// TestRescaleKeepsFunction checks that Rescale leaves the outputs unchanged
// (exactly for power-of-two factors).
func TestRescaleKeepsFunction(t *testing.T) {
	cfg := Config{In: 2, Hidden: 8, Out: 3}
	m := randomModel(t, cfg, 1, 1)
	// No initial state: a nonzero H0 would have to be rescaled too.
	b := randomBatch(cfg, 2, 20, 4, EveryStep(20), false)
	want := modelOutputs(m, b)
	for _, pow2 := range []bool{true, false} {
		r, _ := New(cfg)
		r.CopyFrom(m)
		r.Rescale(invScales(cfg.Hidden, 3, pow2))
		d := relDiff(want, modelOutputs(r, b))
		if pow2 && d != 0 || d > 1e-6 {
			t.Errorf("pow2=%v: outputs change by %g after rescaling", pow2, d)
		}
	}
	for _, bad := range [][]float64{{1}, {1, 1, 1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 1, 1, 1, math.Inf(1)}, {1, 1, 1, 1, 1, 1, 1, math.NaN()}} {
		func() {
			defer func() {
				if r := recover(); r != errScales {
					t.Errorf("Rescale(%v): panic %v", bad, r)
				}
			}()
			m.Rescale(bad)
		}()
	}
}

func TestClipGradNorm(t *testing.T) {
	cfg := Config{In: 2, Hidden: 4, Out: 2}
	m := randomModel(t, cfg, 1, 1)
	m.Gradient(randomBatch(cfg, 2, 5, 3, LastStep(5), false))
	n := m.GradNorm()
	if n == 0 {
		t.Fatal("zero gradient")
	}
	if got := m.ClipGradNorm(2 * n); got != n || math.Abs(m.GradNorm()-n) > 1e-6*n {
		t.Errorf("clipping above the norm changed the gradient: %g -> %g", n, m.GradNorm())
	}
	if got := m.ClipGradNorm(n / 4); got != n {
		t.Errorf("ClipGradNorm returned %g, want the norm before clipping %g", got, n)
	}
	if got := m.GradNorm(); math.Abs(got-n/4) > 1e-5*n {
		t.Errorf("norm after clipping %g, want %g", got, n/4)
	}
}

// TestAllocs checks that a training step (Gradient, clipping, optimizer)
// and evaluation allocate nothing once the buffers are sized.
func TestAllocs(t *testing.T) {
	defer func(old int) { bpttChunkRows = old }(bpttChunkRows)
	bpttChunkRows = 16 // several BPTT chunks
	cfg := Config{In: 2, Hidden: 16, Out: 3}
	m := randomModel(t, cfg, 1, 1)
	b := randomBatch(cfg, 2, 30, 4, []int{3, 4, 5, 20, 29}, true)
	b.Truncate = 7
	for _, opt := range []Optimizer{&SGD{LR: 0.01}, &SGD{LR: 0.01, Momentum: 0.9}, &PathSGD{LR: 0.01}, &PathSGD{LR: 0.01, Momentum: 0.9}} {
		step := func() {
			m.Gradient(b)
			m.ClipGradNorm(1)
			opt.Step(m)
			m.Loss(b)
			m.Forward(b)
		}
		step()
		if a := testing.AllocsPerRun(20, step); a != 0 {
			t.Errorf("%T: %v allocations per step", opt, a)
		}
	}
}

func TestBatchPanics(t *testing.T) {
	cfg := Config{In: 2, Hidden: 3, Out: 2}
	m := randomModel(t, cfg, 1, 1)
	good := func() *Batch { return randomBatch(cfg, 1, 4, 2, []int{1, 3}, true) }
	cases := []struct {
		want string
		edit func(b *Batch)
	}{
		{errSteps, func(b *Batch) { b.Steps = 0 }},
		{errSteps, func(b *Batch) { b.Rows = 0 }},
		{errXLen, func(b *Batch) { b.X = b.X[1:] }},
		{errH0Shape, func(b *Batch) { b.H0.Cols = 2 }},
		{errH0Shape, func(b *Batch) { b.H0.Data = b.H0.Data[:4] }},
		{errNoOutputs, func(b *Batch) { b.Outputs = nil }},
		{errOutputs, func(b *Batch) { b.Outputs = []int{3, 1} }},
		{errOutputs, func(b *Batch) { b.Outputs = []int{1, 4} }},
		{errOutputs, func(b *Batch) { b.Outputs = []int{1, 1} }}, // duplicate steps
		{errOutputs, func(b *Batch) { b.Outputs = []int{-1, 2} }},
		{errTruncate, func(b *Batch) { b.Truncate = -1 }},
		{errLabelLen, func(b *Batch) { b.Labels = b.Labels[1:] }},
		{errLabelRange, func(b *Batch) { b.Labels[2] = 2 }},
		{errLabelRange, func(b *Batch) { b.Labels[0] = -1 }},
	}
	for _, c := range cases {
		b := good()
		c.edit(b)
		func() {
			defer func() {
				if r := recover(); r != c.want {
					t.Errorf("%s: panic %v", c.want, r)
				}
			}()
			m.Gradient(b)
		}()
	}
	sq, _ := New(Config{In: 2, Hidden: 3, Out: 2, Loss: Squared})
	b := randomBatch(sq.Config(), 1, 4, 2, []int{3}, false)
	b.Targets = b.Targets[1:]
	func() {
		defer func() {
			if r := recover(); r != errTargetLen {
				t.Errorf("short targets: panic %v", r)
			}
		}()
		sq.Loss(b)
	}()
	func() {
		defer func() {
			if r := recover(); r != errNoGradient {
				t.Errorf("step before Gradient: panic %v", r)
			}
		}()
		fresh, _ := New(cfg)
		(&PathSGD{LR: 1}).Step(fresh)
	}()
}

func TestSaveLoad(t *testing.T) {
	cfg := Config{In: 3, Hidden: 7, Out: 2, Loss: Squared}
	m := randomModel(t, cfg, 5, 1)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if want := 28 + 4*cfg.numParams() + 4; buf.Len() != want {
		t.Errorf("file is %d bytes, want %d", buf.Len(), want)
	}
	file := buf.Bytes()
	got, err := Load(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if got.Config() != cfg {
		t.Errorf("config %+v, want %+v", got.Config(), cfg)
	}
	for i, p := range got.Params() {
		if !bytes.Equal(f32bytes(p.Value), f32bytes(m.Params()[i].Value)) {
			t.Errorf("%s differs after loading", p.Name)
		}
	}
	// Every truncation is io.ErrUnexpectedEOF.
	for n := 0; n < len(file); n++ {
		if _, err := Load(bytes.NewReader(file[:n])); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("truncated at %d: %v", n, err)
		}
	}
	// Every single-bit flip is detected: magic, checksummed header, data.
	for i := 0; i < len(file); i++ {
		for bit := 0; bit < 8; bit++ {
			bad := append([]byte(nil), file...)
			bad[i] ^= 1 << bit
			if _, err := Load(bytes.NewReader(bad)); !errors.Is(err, ErrFormat) {
				t.Fatalf("bit %d of byte %d flipped: %v", bit, i, err)
			}
		}
	}
	// Files.
	path := filepath.Join(t.TempDir(), "m.fprn")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, file[:40], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(path); err == nil || !errors.Is(err, io.ErrUnexpectedEOF) || !bytes.Contains([]byte(err.Error()), []byte(path)) {
		t.Errorf("truncated file: %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	m, _ := New(Config{In: 1, Hidden: 2, Out: 1})
	m.InitNormal(1)
	var buf bytes.Buffer
	m.Save(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("FPRN"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Load(bytes.NewReader(b))
		if err == nil {
			var out bytes.Buffer
			if err := m.Save(&out); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), b[:out.Len()]) {
				t.Fatal("loaded model does not save to the same bytes")
			}
		}
	})
}
