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
// is fused), a ReLU layer an nn.ReLU, a Dropout layer an nn.Dropout, a
// BatchNorm layer an nn.BatchNorm1d (followed by an nn.ReLU when fused),
// and the Linear at module index k owns "k.weight" (out x in, like W) and
// "k.bias".
func (n *Network) TorchNames() (weights, biases []string) {
	idx := n.torchIndex()
	for i, l := range n.layers {
		if _, ok := l.(*Dense); ok {
			weights = append(weights, strconv.Itoa(idx[i])+".weight")
			biases = append(biases, strconv.Itoa(idx[i])+".bias")
		}
	}
	return weights, biases
}

// torchIndex returns each layer's module index in the equivalent
// torch.nn.Sequential (a fused ReLU takes the index after its layer's).
func (n *Network) torchIndex() []int {
	idx := make([]int, len(n.layers))
	k := 0
	for i, l := range n.layers {
		idx[i] = k
		k++
		switch l := l.(type) {
		case *Dense:
			if l.ReLU {
				k++
			}
		case *BatchNorm:
			if l.ReLU {
				k++
			}
		}
	}
	return idx
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
		case *BatchNorm:
			s = append(s, fmt.Sprintf("BatchNorm1d(%d, eps=%g, momentum=%g)", l.size, l.Eps, l.Momentum))
			if l.ReLU {
				s = append(s, "ReLU()")
			}
		}
	}
	return strings.Join(s, ", ")
}

// WriteSafetensors writes the parameters in the safetensors format, float32
// (dtype "F32"), named as in the equivalent torch.nn.Sequential (see
// TorchNames; a BatchNorm layer's Gamma, Beta, RunMean and RunVar are
// "k.weight", "k.bias", "k.running_mean" and "k.running_var", and PyTorch
// fills in the missing num_batches_tracked), so that a PyTorch user can run
//
//	model = torch.nn.Sequential(...)  # as in the "torch_modules" metadata
//	model.load_state_dict(safetensors.torch.load_file(path))
//
// The metadata holds "format": "pt", "producer": "fastpath" and
// "torch_modules". The JSON header is padded with spaces so that the tensor
// data starts at a multiple of 8 bytes. A network with DDPNorm layers,
// which PyTorch has no module for, is refused (its model file keeps it).
func (n *Network) WriteSafetensors(w io.Writer) error {
	idx := n.torchIndex()
	var ts []safetensors.Tensor
	for i, l := range n.layers {
		k := strconv.Itoa(idx[i]) + "."
		switch l := l.(type) {
		case *Dense:
			ts = append(ts,
				safetensors.Tensor{Name: k + "weight", Shape: []int{l.OutSize(), l.InSize()}, Data: l.W.Data[:l.W.Rows*l.W.Cols]},
				safetensors.Tensor{Name: k + "bias", Shape: []int{l.OutSize()}, Data: l.B})
		case *BatchNorm:
			ts = append(ts,
				safetensors.Tensor{Name: k + "weight", Shape: []int{l.size}, Data: l.Gamma},
				safetensors.Tensor{Name: k + "bias", Shape: []int{l.size}, Data: l.Beta},
				safetensors.Tensor{Name: k + "running_mean", Shape: []int{l.size}, Data: l.RunMean},
				safetensors.Tensor{Name: k + "running_var", Shape: []int{l.size}, Data: l.RunVar})
		case *DDPNorm:
			return fmt.Errorf("layers: %v has no PyTorch module: safetensors cannot hold it (save the model file instead)", l)
		}
	}
	return safetensors.Encode(w, ts, map[string]string{
		"format":        "pt",
		"producer":      "fastpath",
		"torch_modules": n.torchModules(),
	})
}
