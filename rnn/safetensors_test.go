package rnn

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestSafetensorsPyTorch reads the state_dict of a PyTorch ReLU RNN with a
// Linear output (testdata/torch/gen_rnn.py: both biases nonzero) and
// checks its outputs at every step against PyTorch's.
func TestSafetensorsPyTorch(t *testing.T) {
	m, err := LoadSafetensors(filepath.Join("..", "testdata", "torch", "rnn.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		X [][][]float32 `json:"x"` // steps x sequences x inputs
		Y [][][]float64 `json:"y"` // steps x sequences x outputs
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "torch", "rnn_outputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	c := m.Config()
	steps, rows := len(ref.X), len(ref.X[0])
	if c.In != 3 || c.Hidden != 7 || c.Out != 4 || c.Loss != SoftmaxCrossEntropy {
		t.Fatalf("config %+v", c)
	}
	bt := &Batch{Steps: steps, Rows: rows, Outputs: EveryStep(steps)}
	for s := range steps {
		for r := range rows {
			bt.X = append(bt.X, ref.X[s][r]...)
		}
	}
	y := m.Forward(bt)
	for s := range steps {
		for r := range rows {
			for j := range c.Out {
				got, want := float64(y.Data[(s*rows+r)*y.Stride+j]), ref.Y[s][r][j]
				if math.Abs(got-want) > 1e-5*(1+math.Abs(want)) {
					t.Errorf("step %d sequence %d output %d: %v, PyTorch %v", s, r, j, got, want)
				}
			}
		}
	}
}

// TestSafetensorsRoundTrip: a model written by WriteSafetensors reads back
// with the same parameters and loss; damaged files are errors.
func TestSafetensorsRoundTrip(t *testing.T) {
	m, err := New(Config{In: 2, Hidden: 5, Out: 1, Loss: Squared})
	if err != nil {
		t.Fatal(err)
	}
	m.InitNormal(3)
	for i := range m.B {
		m.B[i] = float32(i) * 0.1
	}
	var buf bytes.Buffer
	if err := m.WriteSafetensors(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSafetensors(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if got.Config() != m.Config() {
		t.Fatalf("config %+v, want %+v", got.Config(), m.Config())
	}
	for i, p := range m.Params() {
		for j, v := range p.Value {
			if got.Params()[i].Value[j] != v {
				t.Fatalf("parameter %s[%d] = %v, want %v", p.Name, j, got.Params()[i].Value[j], v)
			}
		}
	}
	good := buf.Bytes()
	for n := 0; n < len(good); n += 7 {
		if _, err := ReadSafetensors(bytes.NewReader(good[:n]), int64(n)); !errors.Is(err, ErrSafetensors) {
			t.Fatalf("truncated to %d: %v", n, err)
		}
	}
}
