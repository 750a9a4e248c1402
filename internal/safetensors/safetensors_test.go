package safetensors

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// TestRoundTrip: tensors and metadata come back exactly, with the size
// known and unknown; every truncation is ErrFormat.
func TestRoundTrip(t *testing.T) {
	in := []Tensor{{Name: "a", Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, float32(math.Inf(-1))}}, {Name: "b", Shape: []int{1}, Data: []float32{-0.5}}}
	var buf bytes.Buffer
	if err := Encode(&buf, in, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{int64(buf.Len()), -1} {
		out, md, err := Decode(bytes.NewReader(buf.Bytes()), size)
		if err != nil {
			t.Fatal(err)
		}
		if md["k"] != "v" || len(out) != 2 {
			t.Fatalf("metadata %v, %d tensors", md, len(out))
		}
		for _, w := range in {
			g := out[w.Name]
			if len(g.Data) != len(w.Data) || len(g.Shape) != len(w.Shape) {
				t.Fatalf("%s: %v", w.Name, g)
			}
			for i := range w.Data {
				if g.Data[i] != w.Data[i] {
					t.Fatalf("%s[%d] = %v, want %v", w.Name, i, g.Data[i], w.Data[i])
				}
			}
		}
	}
	b := buf.Bytes()
	for n := range len(b) {
		if _, _, err := Decode(bytes.NewReader(b[:n]), int64(n)); !errors.Is(err, ErrFormat) {
			t.Fatalf("truncated to %d: %v", n, err)
		}
	}
	if _, _, err := Decode(bytes.NewReader(append(bytes.Clone(b), 0)), int64(len(b)+1)); !errors.Is(err, ErrFormat) {
		t.Errorf("trailing byte: %v", err)
	}
}

// FuzzDecode: no input panics, with the size known or not.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	Encode(&buf, []Tensor{{Name: "w", Shape: []int{2}, Data: []float32{1, 2}}}, nil)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		Decode(bytes.NewReader(b), int64(len(b)))
		Decode(bytes.NewReader(b), -1)
	})
}
