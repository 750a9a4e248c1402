package layers

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
)

// TestSafetensorsRoundTrip: a network written by WriteSafetensors reads
// back with the same layers and parameters (from its metadata), and from
// the tensors alone (metadata dropped) as the default MLP.
func TestSafetensorsRoundTrip(t *testing.T) {
	for _, opts := range []MLPOptions{{Seed: 1}, {Seed: 2, Dropout: 0.5, InputDropout: 0.2}} {
		net, err := NewMLP([]int{6, 9, 7, 3}, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range net.Dense() {
			for i := range l.B {
				l.B[i] = float32(i) * 0.1
			}
		}
		var buf bytes.Buffer
		if err := net.WriteSafetensors(&buf); err != nil {
			t.Fatal(err)
		}
		got, err := ReadSafetensors(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if got.String() != net.String() || !sameParams(got, net) {
			t.Errorf("read back %v, want %v (same params: %v)", got, net, sameParams(got, net))
		}
		// Without the metadata: the default module list.
		stripped := stripMetadata(t, buf.Bytes())
		got, err = ReadSafetensors(bytes.NewReader(stripped), int64(len(stripped)))
		if opts.InputDropout > 0 {
			// The input dropout makes the first Linear module 1: unknown
			// modules before it.
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "modules before it") {
				t.Errorf("no metadata, input dropout: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if !sameParams(got, net) {
			t.Error("parameters differ without metadata")
		}
	}
}

// stripMetadata rewrites a safetensors file without its __metadata__.
func stripMetadata(t *testing.T, b []byte) []byte {
	n := binary.LittleEndian.Uint64(b)
	var h map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &h); err != nil {
		t.Fatal(err)
	}
	delete(h, "__metadata__")
	js, _ := json.Marshal(h)
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(js)))
	return append(append(out, js...), b[8+n:]...)
}

// TestSafetensorsPyTorch reads the state_dict of a PyTorch
// nn.Sequential(Linear(5, 8), ReLU(), Dropout(0.3), Linear(8, 6), ReLU(),
// Linear(6, 4)) saved by testdata/torch/gen.py (no metadata: the default
// module list applies) and checks its logits and probabilities against
// PyTorch's on the inputs saved beside it.
func TestSafetensorsPyTorch(t *testing.T) {
	net, err := LoadSafetensors(filepath.Join("..", "testdata", "torch", "mlp.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		X      [][]float32 `json:"x"`
		Logits [][]float64 `json:"logits"`
		Probs  [][]float64 `json:"probs"`
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "torch", "mlp_outputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if net.InSize() != 5 || net.OutSize() != 4 || len(net.Dense()) != 3 {
		t.Fatalf("network %v", net)
	}
	x := blas32.General{Rows: len(ref.X), Cols: 5, Stride: 5}
	for _, row := range ref.X {
		x.Data = append(x.Data, row...)
	}
	z := net.Forward(x)
	p := blas32.General{Rows: x.Rows, Cols: 4, Stride: 4, Data: make([]float32, 4*x.Rows)}
	for r := range x.Rows {
		for j := range 4 {
			if got, want := float64(z.Data[r*z.Stride+j]), ref.Logits[r][j]; math.Abs(got-want) > 1e-5*(1+math.Abs(want)) {
				t.Errorf("logit [%d,%d] = %v, PyTorch %v", r, j, got, want)
			}
		}
	}
	net.Probabilities(x, p)
	for r := range x.Rows {
		for j := range 4 {
			if got, want := float64(p.Data[r*4+j]), ref.Probs[r][j]; math.Abs(got-want) > 1e-6 {
				t.Errorf("probability [%d,%d] = %v, PyTorch %v", r, j, got, want)
			}
		}
	}
}

// TestSafetensorsMalformed: damaged files are ErrFormat, never a panic.
func TestSafetensorsMalformed(t *testing.T) {
	net, _ := NewMLP([]int{3, 4, 2}, MLPOptions{Seed: 1})
	var buf bytes.Buffer
	net.WriteSafetensors(&buf)
	good := buf.Bytes()
	for n := 0; n < len(good); n++ {
		if _, err := ReadSafetensors(bytes.NewReader(good[:n]), int64(n)); !errors.Is(err, ErrFormat) {
			t.Fatalf("truncated to %d: %v", n, err)
		}
	}
	for _, c := range []struct{ modules, want string }{
		{"Linear(3, 4), ReLU(), Linear(4, 3)", "weight is [2 4]"},
		{"ReLU(), ReLU()", "no Linear module gives the width"},
		{"Linear(3, 4), Tanh(), Linear(4, 2)", "not Linear, ReLU or Dropout"},
		{"Linear(3, 4), Dropout(p=1), Linear(4, 2)", "probability outside"},
		{"Linear(3, 4), ReLU(), ReLU(), Linear(4, 2), Linear(2, 2)", "without weights"},
	} {
		if _, err := ReadSafetensorsModules(bytes.NewReader(good), int64(len(good)), c.modules); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.modules, err, c.want)
		}
	}
}

// FuzzReadSafetensors: no input makes the reader panic.
func FuzzReadSafetensors(f *testing.F) {
	net, _ := NewMLP([]int{3, 4, 2}, MLPOptions{Seed: 1})
	var buf bytes.Buffer
	net.WriteSafetensors(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		ReadSafetensors(bytes.NewReader(b), int64(len(b)))
	})
}
