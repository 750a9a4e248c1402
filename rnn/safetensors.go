package rnn

import (
	"errors"
	"fmt"
	"io"

	"github.com/fastpath-go/fastpath/internal/modelio"
	"github.com/fastpath-go/fastpath/internal/safetensors"
)

// The safetensors names of a Model are those of the state_dict of the
// equivalent PyTorch module
//
//	class ReLURNN(torch.nn.Module):
//	    def __init__(self, n_in, hidden, n_out):
//	        super().__init__()
//	        self.rnn = torch.nn.RNN(n_in, hidden, nonlinearity="relu")
//	        self.out = torch.nn.Linear(hidden, n_out)
//
// rnn.weight_ih_l0 (W_in), rnn.weight_hh_l0 (W_rec), rnn.bias_ih_l0 and
// rnn.bias_hh_l0 (PyTorch keeps two biases, whose sum is b), out.weight
// (W_out) and out.bias (c).
const (
	stWeightIH = "rnn.weight_ih_l0"
	stWeightHH = "rnn.weight_hh_l0"
	stBiasIH   = "rnn.bias_ih_l0"
	stBiasHH   = "rnn.bias_hh_l0"
	stOutW     = "out.weight"
	stOutB     = "out.bias"
)

// ErrSafetensors is wrapped by the errors of ReadSafetensors.
var ErrSafetensors = errors.New("rnn: not the safetensors of a ReLU RNN")

// WriteSafetensors writes the parameters in the safetensors format under
// the names of the PyTorch module above (b as bias_ih_l0, bias_hh_l0
// zero), with the loss in the metadata ("loss": "softmax" or "squared").
func (m *Model) WriteSafetensors(w io.Writer) error {
	c := m.cfg
	win := make([]float32, 0, c.Hidden*c.In)
	whh := make([]float32, 0, c.Hidden*c.Hidden)
	for v := 0; v < c.Hidden; v++ {
		row := m.W.Data[v*m.W.Stride : v*m.W.Stride+c.In+c.Hidden]
		win = append(win, row[:c.In]...)
		whh = append(whh, row[c.In:]...)
	}
	return safetensors.Encode(w, []safetensors.Tensor{
		{Name: stWeightIH, Shape: []int{c.Hidden, c.In}, Data: win},
		{Name: stWeightHH, Shape: []int{c.Hidden, c.Hidden}, Data: whh},
		{Name: stBiasIH, Shape: []int{c.Hidden}, Data: m.B},
		{Name: stBiasHH, Shape: []int{c.Hidden}, Data: make([]float32, c.Hidden)},
		{Name: stOutW, Shape: []int{c.Out, c.Hidden}, Data: m.Wout.Data[:c.Out*c.Hidden]},
		{Name: stOutB, Shape: []int{c.Out}, Data: m.C},
	}, map[string]string{"format": "pt", "producer": "fastpath", "loss": c.Loss.String(),
		"torch_module": fmt.Sprintf("RNN(%d, %d, nonlinearity='relu') then Linear(%d, %d)", c.In, c.Hidden, c.Hidden, c.Out)})
}

// ReadSafetensors reads a model from the safetensors form (size bytes) of
// the PyTorch module described above: the file WriteSafetensors writes, or
// the one PyTorch writes with
// safetensors.torch.save_file(model.state_dict(), path). The two biases
// are summed into b; a missing bias is zero. The loss comes from the
// metadata (softmax when absent). A malformed file is an error wrapping
// ErrSafetensors.
func ReadSafetensors(r io.Reader, size int64) (*Model, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrSafetensors}, a...)...)
	}
	ts, md, err := safetensors.Decode(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSafetensors, err)
	}
	for name := range ts {
		switch name {
		case stWeightIH, stWeightHH, stBiasIH, stBiasHH, stOutW, stOutB:
		default:
			return nil, bad("unexpected tensor %q (a single-layer RNN and its output Linear have %s, %s, %s, %s, %s, %s)",
				name, stWeightIH, stWeightHH, stBiasIH, stBiasHH, stOutW, stOutB)
		}
	}
	ih, hh, ow := ts[stWeightIH], ts[stWeightHH], ts[stOutW]
	if len(ih.Shape) != 2 || len(hh.Shape) != 2 || len(ow.Shape) != 2 {
		return nil, bad("missing or non-matrix weights (%v, %v, %v)", ih.Shape, hh.Shape, ow.Shape)
	}
	h, in, out := ih.Shape[0], ih.Shape[1], ow.Shape[0]
	if hh.Shape[0] != h || hh.Shape[1] != h || ow.Shape[1] != h {
		return nil, bad("shapes %v, %v, %v do not chain", ih.Shape, hh.Shape, ow.Shape)
	}
	cfg := Config{In: in, Hidden: h, Out: out}
	switch md["loss"] {
	case "", "softmax":
	case "squared":
		cfg.Loss = Squared
	default:
		return nil, bad("unknown loss %q in the metadata", md["loss"])
	}
	m, err := New(cfg)
	if err != nil {
		return nil, bad("%v", err)
	}
	for v := range h {
		copy(m.W.Data[v*m.W.Stride:], ih.Data[v*in:(v+1)*in])
		copy(m.W.Data[v*m.W.Stride+in:], hh.Data[v*h:(v+1)*h])
	}
	for _, name := range []string{stBiasIH, stBiasHH} {
		if b, ok := ts[name]; ok {
			if len(b.Shape) != 1 || b.Shape[0] != h {
				return nil, bad("%s has shape %v, want [%d]", name, b.Shape, h)
			}
			for i, v := range b.Data {
				m.B[i] += v
			}
		}
	}
	copy(m.Wout.Data, ow.Data)
	if b, ok := ts[stOutB]; ok {
		if len(b.Shape) != 1 || b.Shape[0] != out {
			return nil, bad("%s has shape %v, want [%d]", stOutB, b.Shape, out)
		}
		copy(m.C, b.Data)
	}
	return m, nil
}

// LoadSafetensors reads a model from a safetensors file (ReadSafetensors).
// Errors name the file.
func LoadSafetensors(path string) (m *Model, err error) {
	err = modelio.ReadSized(path, func(r io.Reader, size int64) (err error) {
		m, err = ReadSafetensors(r, size)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
