package layers

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/internal/modelio"
)

// safetensors layout (https://huggingface.co/docs/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON, then the tensor bytes.
// Each tensor's JSON entry gives its dtype, shape and data_offsets
// [begin, end), relative to the start of the tensor bytes; the tensors tile
// that region without gaps. "__metadata__" maps strings to strings.

// safetensorsEntry is one tensor's header entry.
type safetensorsEntry struct {
	Dtype       string   `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

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
	header := map[string]any{
		"__metadata__": map[string]string{
			"format":        "pt",
			"producer":      "fastpath",
			"torch_modules": n.torchModules(),
		},
	}
	wn, bn := n.TorchNames()
	var off int64
	add := func(name string, shape []int, count int) {
		end := off + 4*int64(count)
		header[name] = safetensorsEntry{Dtype: "F32", Shape: shape, DataOffsets: [2]int64{off, end}}
		off = end
	}
	for i, d := range n.dense {
		add(wn[i], []int{d.OutSize(), d.InSize()}, d.OutSize()*d.InSize())
		add(bn[i], []int{d.OutSize()}, d.OutSize())
	}
	js, err := json.Marshal(header)
	if err != nil {
		return err
	}
	if pad := (8 - len(js)%8) % 8; pad > 0 {
		js = append(js, strings.Repeat(" ", pad)...)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var size [8]byte
	binary.LittleEndian.PutUint64(size[:], uint64(len(js)))
	if _, err := bw.Write(size[:]); err != nil {
		return err
	}
	if _, err := bw.Write(js); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<16)
	for _, d := range n.dense {
		for _, s := range [][]float32{d.W.Data[:d.W.Rows*d.W.Cols], d.B} {
			if err := modelio.WriteFloats(bw, nil, buf, s); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}
