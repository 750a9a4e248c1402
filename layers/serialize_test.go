package layers

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// serialNets covers every layer kind and record field.
func serialNets(t *testing.T) []*Network {
	a, err := NewMLP([]int{7, 6, 5, 3}, MLPOptions{Seed: 1, Dropout: 0.5, InputDropout: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	randomBiases(a, 1)
	b, err := NewNetwork(NewDense(4, 3, false), NewDropout(3, 0.1, 0), NewReLU(3), NewDense(3, 2, false))
	if err != nil {
		t.Fatal(err)
	}
	b.Initialize(InitHe, 2)
	return append([]*Network{a, b}, normNets(t)...)
}

// normNets are networks with normalization layers, trained for two steps
// so that their running statistics are not the starting ones.
func normNets(t *testing.T) []*Network {
	var nets []*Network
	for _, o := range []MLPOptions{
		{Seed: 3, Norm: NormBatch, Dropout: 0.5},
		{Seed: 4, Norm: NormDDP, Alpha: 0.5},
	} {
		n, err := NewMLP([]int{7, 6, 5, 3}, o)
		if err != nil {
			t.Fatal(err)
		}
		randomBiases(n, o.Seed)
		r := newRand(o.Seed)
		x := randMatrix(r, 9, 7, 7)
		y := randLabels(r, 9, 3)
		opt := &SGD{LR: Constant(0.1)}
		for range 2 {
			n.Gradient(x, y)
			opt.Step(n)
		}
		nets = append(nets, n)
	}
	return nets
}

func saveBytes(t *testing.T, n *Network) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := n.Save(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSaveLoadRoundTrip(t *testing.T) {
	for _, n := range serialNets(t) {
		data := saveBytes(t, n)
		m, err := Load(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%v: %v", n, err)
		}
		if m.String() != n.String() {
			t.Errorf("loaded %v, saved %v", m, n)
		}
		if !sameParams(m, n) {
			t.Errorf("%v: parameters differ after a round trip", n)
		}
		x := randMatrix(newRand(3), 5, n.InSize(), n.InSize())
		zn, zm := n.Forward(x), m.Forward(x)
		for i := range zn.Data {
			if math.Float32bits(zn.Data[i]) != math.Float32bits(zm.Data[i]) {
				t.Fatalf("%v: outputs differ after a round trip", n)
			}
		}
		if again := saveBytes(t, m); !bytes.Equal(again, data) {
			t.Errorf("%v: saving the loaded model gives different bytes", n)
		}
	}
}

// TestLoadTruncated cuts a model at every length: every prefix must fail
// with io.ErrUnexpectedEOF (and an offset), never panic or succeed.
func TestLoadTruncated(t *testing.T) {
	for _, n := range serialNets(t) {
		data := saveBytes(t, n)
		for k := 0; k < len(data); k++ {
			_, err := Load(bytes.NewReader(data[:k]))
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("%d of %d bytes: error %v, want io.ErrUnexpectedEOF", k, len(data), err)
			}
			if !strings.Contains(err.Error(), "offset") {
				t.Fatalf("%d bytes: error %q does not give the offset", k, err)
			}
		}
	}
}

// TestLoadCorrupted flips each bit of a model in turn: every corruption
// must be reported as an error, never panic or load a different model.
func TestLoadCorrupted(t *testing.T) {
	n := serialNets(t)[1]
	data := saveBytes(t, n)
	for i := range data {
		for bit := 0; bit < 8; bit++ {
			c := bytes.Clone(data)
			c[i] ^= 1 << bit
			m, err := Load(bytes.NewReader(c))
			if err == nil {
				t.Fatalf("byte %d bit %d flipped: loaded %v without error", i, bit, m)
			}
			if !errors.Is(err, ErrFormat) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("byte %d bit %d: error %v wraps neither ErrFormat nor io.ErrUnexpectedEOF", i, bit, err)
			}
		}
	}
}

// TestLoadErrors checks the messages of the main failure kinds.
func TestLoadErrors(t *testing.T) {
	data := saveBytes(t, serialNets(t)[1])
	patch := func(off int, b ...byte) []byte {
		c := bytes.Clone(data)
		copy(c[off:], b)
		return c
	}
	// A valid header CRC over modified fields, to reach the field checks.
	rehead := func(c []byte) []byte {
		count := int(binary.LittleEndian.Uint32(c[8:]))
		end := 12 + recordSize*count
		binary.LittleEndian.PutUint32(c[end:], crc32Checksum(c[:end]))
		return c
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated at offset 0"},
		{"magic", patch(0, 'G', 'I', 'F', '8'), "bad magic"},
		{"version", patch(4, 2), "unsupported version 2"},
		{"count", patch(8, 0), "0 layers"},
		{"header crc", patch(13, 0xff), "header checksum mismatch"},
		{"kind", rehead(patch(12, 9)), "unknown layer kind 9"},
		{"size", rehead(patch(12+4, 0, 0, 0, 0)), "sizes 0->3"},
		{"chain", rehead(patch(12+recordSize+4, 5)), "layer 1"},
		{"data crc", patch(len(data)-10, 0x55), "data checksum mismatch"},
	} {
		_, err := Load(bytes.NewReader(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func crc32Checksum(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

// TestLoadFromOtherReaders reads through a reader that returns one byte at
// a time and one that fails.
func TestLoadFromOtherReaders(t *testing.T) {
	n := serialNets(t)[0]
	data := saveBytes(t, n)
	m, err := Load(io.LimitReader(&oneByte{data}, int64(len(data))))
	if err != nil || !sameParams(m, n) {
		t.Fatalf("byte-at-a-time reader: %v", err)
	}
	boom := errors.New("disk on fire")
	_, err = Load(io.MultiReader(bytes.NewReader(data[:40]), &failing{boom}))
	if !errors.Is(err, boom) {
		t.Fatalf("failing reader: error %v, want one wrapping %v", err, boom)
	}
	if err := n.Save(&failing{boom}); !errors.Is(err, boom) {
		t.Fatalf("failing writer: error %v", err)
	}
}

type oneByte struct{ b []byte }

func (r *oneByte) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.b[0]
	r.b = r.b[1:]
	return 1, nil
}

type failing struct{ err error }

func (f *failing) Read([]byte) (int, error)  { return 0, f.err }
func (f *failing) Write([]byte) (int, error) { return 0, f.err }

func FuzzLoad(f *testing.F) {
	net, err := NewNetwork(NewDense(3, 2, true), NewDropout(2, 0.5, 0), NewDense(2, 2, false))
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := net.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("FPNN"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("error %v wraps neither ErrFormat nor io.ErrUnexpectedEOF", err)
			}
			return
		}
		var out bytes.Buffer
		if err := n.Save(&out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), data[:out.Len()]) {
			t.Fatal("a loaded model saves to different bytes")
		}
	})
}

// TestSaveFileAtomic checks SaveFile, LoadFile and that a failed write
// leaves the previous file and no temporary file behind.
func TestSaveFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.fpnn")
	n := serialNets(t)[0]
	if err := n.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadFile(path)
	if err != nil || !sameParams(m, n) {
		t.Fatalf("LoadFile: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644", fi.Mode(), err)
	}
	os.WriteFile(path, before[:30], 0o644)
	if _, err := LoadFile(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("LoadFile of a truncated file: error %v, want one naming the file", err)
	}
	os.WriteFile(path, append(bytes.Clone(before), 0), 0o644)
	if _, err := LoadFile(path); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "after the end") {
		t.Errorf("LoadFile of a model with a trailing byte: error %v, want ErrFormat", err)
	}
	if err := n.SaveFile(filepath.Join(dir, "missing", "m")); err == nil {
		t.Error("SaveFile into a missing directory did not fail")
	}
}

// TestSafetensors parses the export as a safetensors reader would.
func TestSafetensors(t *testing.T) {
	for _, n := range serialNets(t) {
		if n.Normalized() {
			continue // TestSafetensorsNorm
		}
		var buf bytes.Buffer
		if err := n.WriteSafetensors(&buf); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		if len(b) < 8 {
			t.Fatal("short file")
		}
		hlen := binary.LittleEndian.Uint64(b)
		if (8+hlen)%8 != 0 || 8+hlen > uint64(len(b)) {
			t.Fatalf("header length %d: data not 8-aligned or beyond the file", hlen)
		}
		var header map[string]json.RawMessage
		if err := json.Unmarshal(b[8:8+hlen], &header); err != nil {
			t.Fatalf("header is not JSON: %v", err)
		}
		body := b[8+hlen:]
		var meta map[string]string
		if err := json.Unmarshal(header["__metadata__"], &meta); err != nil || meta["format"] != "pt" {
			t.Fatalf("metadata %s (%v)", header["__metadata__"], err)
		}
		delete(header, "__metadata__")
		wn, bn := n.TorchNames()
		if len(header) != 2*len(n.Dense()) {
			t.Fatalf("%d tensors, want %d", len(header), 2*len(n.Dense()))
		}
		covered := make([]bool, len(body))
		for i, d := range n.Dense() {
			for _, c := range []struct {
				name  string
				shape []int
				data  []float32
			}{
				{wn[i], []int{d.OutSize(), d.InSize()}, d.W.Data},
				{bn[i], []int{d.OutSize()}, d.B},
			} {
				var e struct {
					Dtype       string
					Shape       []int
					DataOffsets []int64 `json:"data_offsets"`
				}
				if err := json.Unmarshal(header[c.name], &e); err != nil {
					t.Fatalf("%s: %v (header %s)", c.name, err, b[8:8+hlen])
				}
				if e.Dtype != "F32" || fmt.Sprint(e.Shape) != fmt.Sprint(c.shape) || len(e.DataOffsets) != 2 {
					t.Fatalf("%s: %+v, want F32 %v", c.name, e, c.shape)
				}
				lo, hi := e.DataOffsets[0], e.DataOffsets[1]
				if lo < 0 || hi > int64(len(body)) || hi-lo != 4*int64(len(c.data)) {
					t.Fatalf("%s: offsets [%d, %d) for %d floats in %d bytes", c.name, lo, hi, len(c.data), len(body))
				}
				for j, v := range c.data {
					if got := binary.LittleEndian.Uint32(body[lo+4*int64(j):]); got != math.Float32bits(v) {
						t.Fatalf("%s[%d]: bits %08x, want %08x", c.name, j, got, math.Float32bits(v))
					}
				}
				for k := lo; k < hi; k++ {
					if covered[k] {
						t.Fatalf("%s overlaps another tensor", c.name)
					}
					covered[k] = true
				}
			}
		}
		for k, c := range covered {
			if !c {
				t.Fatalf("byte %d of the data belongs to no tensor", k)
			}
		}
	}
	// PyTorch names of an MLP with dropout: Dropout, Linear, ReLU, Dropout,
	// Linear, ReLU, Dropout, Linear.
	wn, bn := serialNets(t)[0].TorchNames()
	if fmt.Sprint(wn, bn) != "[1.weight 4.weight 7.weight] [1.bias 4.bias 7.bias]" {
		t.Errorf("names %v %v", wn, bn)
	}
	if got := serialNets(t)[0].torchModules(); got != "Dropout(p=0.25), Linear(7, 6), ReLU(), Dropout(p=0.5), Linear(6, 5), ReLU(), Dropout(p=0.5), Linear(5, 3)" {
		t.Errorf("modules %q", got)
	}
}

// TestLoadDropoutP: a model whose dropout record says p = 1 (or NaN, or
// negative), with a valid header checksum, is ErrFormat, not a panic in
// NewDropout.
func TestLoadDropoutP(t *testing.T) {
	net, err := NewMLP([]int{4, 5, 3}, MLPOptions{Seed: 1, Dropout: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	good := saveBytes(t, net)
	// The dropout layer is record 1 (dense, dropout, dense); p at byte 12.
	off := 12 + recordSize*1 + 12
	if got := math.Float32frombits(binary.LittleEndian.Uint32(good[off:])); got != 0.5 {
		t.Fatalf("p at offset %d is %v, want 0.5: the layout changed", off, got)
	}
	head := 12 + recordSize*3
	for _, p := range []float32{1, float32(math.NaN()), -0.1, 2} {
		b := bytes.Clone(good)
		binary.LittleEndian.PutUint32(b[off:], math.Float32bits(p))
		binary.LittleEndian.PutUint32(b[head:], crc32.Checksum(b[:head], crcTable))
		_, err := Load(bytes.NewReader(b))
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "dropout") {
			t.Errorf("p = %v: error %v, want ErrFormat naming the dropout record", p, err)
		}
	}
}

// TestLoadFileHugeHeader: a 48-byte model whose header (with a valid
// checksum) describes a 10000x10000 layer (400 MB) is refused against the file's
// length before anything is allocated for it.
func TestLoadFileHugeHeader(t *testing.T) {
	head := make([]byte, 12, 12+recordSize+4)
	copy(head, modelMagic)
	binary.LittleEndian.PutUint32(head[4:], modelVersion)
	binary.LittleEndian.PutUint32(head[8:], 1)
	var rec [recordSize]byte
	rec[0] = kindDense
	binary.LittleEndian.PutUint32(rec[4:], 10000)
	binary.LittleEndian.PutUint32(rec[8:], 10000)
	head = append(head, rec[:]...)
	head = binary.LittleEndian.AppendUint32(head, crc32.Checksum(head, crcTable))
	data := append(head, make([]byte, 48-len(head))...)
	path := filepath.Join(t.TempDir(), "huge.fpnn")
	os.WriteFile(path, data, 0o644)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := LoadFile(path)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "more than the input holds") {
		t.Errorf("error %v", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("allocated %d bytes for a 48-byte file", got)
	}
}
