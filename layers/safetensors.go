package layers

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/internal/safetensors"
)

// The safetensors container (header, tiling, dtypes) is
// internal/safetensors's; this file maps a Network to PyTorch's names.

// TorchNames returns, for each dense layer, the names its weight and bias
// would have in the state_dict of the equivalent PyTorch torch.nn.Sequential:
// a Dense layer is an nn.Linear (followed by an nn.ReLU module when the ReLU
// is fused), a ReLU layer an nn.ReLU, a Dropout layer an nn.Dropout, and
// the Linear at module index k owns "k.weight" (out x in, like W) and
// "k.bias".
func (n *Network) TorchNames() (weights, biases []string) {
	k := 0
	for _, l := range n.layers {
		if d, ok := l.(*Dense); ok {
			weights = append(weights, strconv.Itoa(k)+".weight")
			biases = append(biases, strconv.Itoa(k)+".bias")
			if d.ReLU {
				k++
			}
		}
		k++
	}
	return weights, biases
}

// torchModules describes the equivalent torch.nn.Sequential, for the
// metadata, e.g. "Linear(784, 1000), ReLU(), Linear(1000, 10)".
func (n *Network) torchModules() string {
	var s []string
	for _, l := range n.layers {
		switch l := l.(type) {
		case *Dense:
			s = append(s, fmt.Sprintf("Linear(%d, %d)", l.InSize(), l.OutSize()))
			if l.ReLU {
				s = append(s, "ReLU()")
			}
		case *ReLU:
			s = append(s, "ReLU()")
		case *Dropout:
			s = append(s, fmt.Sprintf("Dropout(p=%g)", l.P))
		}
	}
	return strings.Join(s, ", ")
}

// WriteSafetensors writes the parameters in the safetensors format, float32
// (dtype "F32"), named as in the equivalent torch.nn.Sequential (see
// TorchNames), so that a PyTorch user can run
//
//	model = torch.nn.Sequential(...)  # as in the "torch_modules" metadata
//	model.load_state_dict(safetensors.torch.load_file(path))
//
// The metadata holds "format": "pt", "producer": "fastpath" and
// "torch_modules". The JSON header is padded with spaces so that the tensor
// data starts at a multiple of 8 bytes.
func (n *Network) WriteSafetensors(w io.Writer) error {
	wn, bn := n.TorchNames()
	var ts []safetensors.Tensor
	for i, d := range n.dense {
		ts = append(ts,
			safetensors.Tensor{Name: wn[i], Shape: []int{d.OutSize(), d.InSize()}, Data: d.W.Data[:d.W.Rows*d.W.Cols]},
			safetensors.Tensor{Name: bn[i], Shape: []int{d.OutSize()}, Data: d.B})
	}
	return safetensors.Encode(w, ts, map[string]string{
		"format":        "pt",
		"producer":      "fastpath",
		"torch_modules": n.torchModules(),
	})
}
