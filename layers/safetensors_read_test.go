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
		{"Linear(3, 4), Tanh(), Linear(4, 2)", "not Linear, BatchNorm1d, ReLU or Dropout"},
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

// TestBatchNormPyTorch checks BatchNorm against PyTorch's BatchNorm1d
// (testdata/torch/gen_bn.py): the state_dict PyTorch wrote (int64
// num_batches_tracked included, no metadata) loads as Linear, BatchNorm
// (with its eps and the default momentum of the inferred module list, or
// the module list's), ReLU layers; the eval-mode logits match; a
// training-mode batch gives PyTorch's loss and running statistics after it
// (unbiased variance, momentum); and the model exported again by
// WriteSafetensors reads back to the same bits.
func TestBatchNormPyTorch(t *testing.T) {
	path := filepath.Join("..", "testdata", "torch", "bn.safetensors")
	var ref struct {
		X           [][]float32 `json:"x"`
		Logits      [][]float64 `json:"logits"`
		TrainX      [][]float32 `json:"train_x"`
		TrainY      []int       `json:"train_y"`
		TrainLoss   float64     `json:"train_loss"`
		RunningMean [][]float64 `json:"running_mean"`
		RunningVar  [][]float64 `json:"running_var"`
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", "torch", "bn_outputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	const modules = "Linear(6, 8), BatchNorm1d(8), ReLU(), Linear(8, 5), BatchNorm1d(5, eps=0.001, momentum=0.2), ReLU(), Linear(5, 3)"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	net, err := ReadSafetensorsModules(bytes.NewReader(raw), int64(len(raw)), modules)
	if err != nil {
		t.Fatal(err)
	}
	if got := net.String(); got != "dense(6->8) -> batchnorm(8, relu) -> dense(8->5) -> batchnorm(5, relu) -> dense(5->3)" {
		t.Fatalf("network %s", got)
	}
	inferred, err := LoadSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	if inferred.String() != net.String() {
		t.Errorf("inferred modules give %v", inferred)
	}
	matrix := func(rows [][]float32) blas32.General {
		m := blas32.General{Rows: len(rows), Cols: len(rows[0]), Stride: len(rows[0])}
		for _, r := range rows {
			m.Data = append(m.Data, r...)
		}
		return m
	}
	z := net.Forward(matrix(ref.X))
	for r := range ref.Logits {
		for j, want := range ref.Logits[r] {
			if got := float64(z.Data[r*3+j]); math.Abs(got-want) > 1e-5*(1+math.Abs(want)) {
				t.Errorf("eval logit [%d,%d] = %v, PyTorch %v", r, j, got, want)
			}
		}
	}
	var out bytes.Buffer
	if err := net.WriteSafetensors(&out); err != nil {
		t.Fatal(err)
	}
	again, err := ReadSafetensors(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if !sameParams(again, net) || again.String() != net.String() {
		t.Errorf("export round trip: %v", again)
	}
	loss := net.Gradient(matrix(ref.TrainX), ref.TrainY)
	if math.Abs(loss-ref.TrainLoss) > 1e-5 {
		t.Errorf("training-mode loss %v, PyTorch %v", loss, ref.TrainLoss)
	}
	k := 0
	for _, l := range net.Layers() {
		bn, ok := l.(*BatchNorm)
		if !ok {
			continue
		}
		for j := range bn.RunMean {
			if m, v := ref.RunningMean[k][j], ref.RunningVar[k][j]; math.Abs(float64(bn.RunMean[j])-m) > 1e-5*(1+math.Abs(m)) || math.Abs(float64(bn.RunVar[j])-v) > 1e-5*(1+v) {
				t.Errorf("batchnorm %d feature %d: running mean, var %v, %v; PyTorch %v, %v", k, j, bn.RunMean[j], bn.RunVar[j], m, v)
			}
		}
		k++
	}
}
