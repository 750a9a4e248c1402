// Package safetensors reads and writes the safetensors format
// (https://huggingface.co/docs/safetensors) for fastpath's model exports
// and imports (packages layers and rnn): an 8-byte little-endian header
// length N, N bytes of JSON, then the tensor bytes. Each tensor's JSON
// entry gives its dtype, shape and data_offsets [begin, end), relative to
// the start of the tensor bytes; the tensors tile that region without gaps.
// "__metadata__" maps strings to strings.
package safetensors

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
)

// Tensor is one named float32 tensor.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// Limits of what Decode accepts.
const (
	maxHeader  = 100 << 20
	maxDim     = 1 << 30
	maxTensors = 1 << 16
)

// ErrFormat is wrapped by Decode's errors for a malformed file.
var ErrFormat = errors.New("safetensors: malformed file")

type entry struct {
	Dtype       string   `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// Encode writes the tensors (F32, in order) and the metadata. The JSON
// header is padded with spaces so that the data starts at a multiple of 8
// bytes.
func Encode(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	header := map[string]any{}
	if metadata != nil {
		header["__metadata__"] = metadata
	}
	var off int64
	for _, t := range tensors {
		end := off + 4*int64(len(t.Data))
		header[t.Name] = entry{Dtype: "F32", Shape: t.Shape, DataOffsets: [2]int64{off, end}}
		off = end
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
	bw.Write(size[:])
	bw.Write(js)
	buf := make([]byte, 0, 1<<16)
	for _, t := range tensors {
		s := t.Data
		for len(s) > 0 {
			k := min(len(s), cap(buf)/4)
			b := buf[:4*k]
			for i, v := range s[:k] {
				binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
			}
			if _, err := bw.Write(b); err != nil {
				return err
			}
			s = s[k:]
		}
	}
	return bw.Flush()
}

// Decode reads a safetensors stream of size bytes (-1: unknown), whose
// tensors must be F32, F64 or I64 (all read as float32: I64 holds counts
// such as BatchNorm's num_batches_tracked), and returns them by name
// with the metadata. Sizes are checked against size before anything is
// allocated for the data (with the size unknown, the tensors grow with the
// data actually read).
func Decode(r io.Reader, size int64) (map[string]Tensor, map[string]string, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrFormat}, a...)...)
	}
	var lenb [8]byte
	if _, err := io.ReadFull(r, lenb[:]); err != nil {
		return nil, nil, bad("reading the header length: %v", err)
	}
	hl := binary.LittleEndian.Uint64(lenb[:])
	if hl > maxHeader || (size >= 0 && hl > uint64(max(size-8, 0))) {
		return nil, nil, bad("header of %d bytes in a %d-byte file", hl, size)
	}
	hb := make([]byte, hl)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, nil, bad("reading the header: %v", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hb, &raw); err != nil {
		return nil, nil, bad("header is not a JSON object: %v", err)
	}
	if len(raw) > maxTensors {
		return nil, nil, bad("%d tensors", len(raw))
	}
	var md map[string]string
	type item struct {
		name  string
		e     entry
		width int64
		isInt bool
	}
	var items []item
	for name, v := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(v, &md); err != nil {
				return nil, nil, bad("__metadata__ is not a map of strings")
			}
			continue
		}
		var e entry
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, nil, bad("tensor %q: %v", name, err)
		}
		var width int64
		switch e.Dtype {
		case "F32":
			width = 4
		case "F64", "I64":
			width = 8
		default:
			return nil, nil, bad("tensor %q has dtype %s (F32, F64 and I64 are read)", name, e.Dtype)
		}
		items = append(items, item{name, e, width, e.Dtype == "I64"})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].e.DataOffsets[0] < items[j].e.DataOffsets[0] })
	var end int64
	for _, it := range items {
		count := int64(1)
		for _, d := range it.e.Shape {
			if d < 0 || d > maxDim || count > maxDim {
				return nil, nil, bad("tensor %q has shape %v", it.name, it.e.Shape)
			}
			count *= int64(d)
		}
		if it.e.DataOffsets[0] != end || it.e.DataOffsets[1]-it.e.DataOffsets[0] != count*it.width {
			return nil, nil, bad("tensor %q: data offsets %v do not follow the previous tensor or do not match shape %v", it.name, it.e.DataOffsets, it.e.Shape)
		}
		end = it.e.DataOffsets[1]
	}
	if size >= 0 && 8+int64(hl)+end != size {
		return nil, nil, bad("the tensors hold %d bytes, the file %d after the header", end, size-8-int64(hl))
	}
	out := make(map[string]Tensor, len(items))
	buf := make([]byte, 1<<16)
	for _, it := range items {
		n := int((it.e.DataOffsets[1] - it.e.DataOffsets[0]) / it.width)
		// With the size unknown the slice grows with the data actually read.
		d := make([]float32, n)
		if size < 0 {
			d = make([]float32, 0, min(n, 1<<16))
		}
		for j := 0; j < n; {
			k := min(n-j, len(buf)/int(it.width))
			b := buf[:k*int(it.width)]
			if _, err := io.ReadFull(r, b); err != nil {
				return nil, nil, bad("tensor %q truncated: %v", it.name, err)
			}
			if size < 0 {
				d = slices.Grow(d, k)[:j+k]
			}
			for q := range k {
				switch {
				case it.width == 4:
					d[j+q] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*q:]))
				case it.isInt:
					d[j+q] = float32(int64(binary.LittleEndian.Uint64(b[8*q:])))
				default:
					d[j+q] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b[8*q:])))
				}
			}
			j += k
		}
		out[it.name] = Tensor{Name: it.name, Shape: it.e.Shape, Data: d}
	}
	return out, md, nil
}
