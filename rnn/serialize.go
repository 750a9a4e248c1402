package rnn

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"

	"github.com/fastpath-go/fastpath/layers"
)

// Model file format, version 1, in the manner of package layers' "FPNN"
// files. All integers and floats are little-endian.
//
//	header  "FPRN"              magic
//	        uint32 version      1
//	        uint32 in, hidden, out
//	        uint32 loss         0 softmax cross-entropy, 1 squared
//	        uint32 CRC-32 (IEEE) of the 24 header bytes above
//	data    W = [W_in | W_rec]  hidden*(in+hidden) float32, row-major
//	        b                   hidden float32
//	        W_out               out*hidden float32, row-major
//	        c                   out float32
//	        uint32 CRC-32 (IEEE) of the data bytes
//
// The header has its own checksum so that a corrupted shape is reported
// before anything is allocated for it. Load reads exactly one model and
// nothing after it.
const (
	modelMagic   = "FPRN"
	modelVersion = 1
	headerSize   = 24
)

var crcTable = crc32.MakeTable(crc32.IEEE)

// Save writes the model's architecture, loss and parameters to w in
// fastpath's recurrent model format (see serialize.go). Gradients,
// activations and optimizer state are not saved.
func (m *Model) Save(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	head := make([]byte, headerSize, headerSize+4)
	copy(head, modelMagic)
	for i, v := range []int{modelVersion, m.cfg.In, m.cfg.Hidden, m.cfg.Out, int(m.cfg.Loss)} {
		binary.LittleEndian.PutUint32(head[4+4*i:], uint32(v))
	}
	head = binary.LittleEndian.AppendUint32(head, crc32.Checksum(head, crcTable))
	if _, err := bw.Write(head); err != nil {
		return err
	}
	h := crc32.New(crcTable)
	buf := make([]byte, 0, 1<<16)
	for _, p := range m.params {
		if err := writeFloats(bw, h, buf, p.Value); err != nil {
			return err
		}
	}
	if _, err := bw.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32())); err != nil {
		return err
	}
	return bw.Flush()
}

// writeFloats writes s little-endian through buf, adding the bytes to h.
func writeFloats(w io.Writer, h hash.Hash32, buf []byte, s []float32) error {
	for len(s) > 0 {
		k := min(len(s), cap(buf)/4)
		buf = buf[:4*k]
		for i, v := range s[:k] {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		h.Write(buf)
		if _, err := w.Write(buf); err != nil {
			return err
		}
		s = s[k:]
	}
	return nil
}

// modelReader reads a model, tracking the offset for error messages.
type modelReader struct {
	r   io.Reader
	off int64
}

// read fills p, reporting a short read as io.ErrUnexpectedEOF with the
// offset and what was being read.
func (r *modelReader) read(p []byte, what string) error {
	k, err := io.ReadFull(r.r, p)
	r.off += int64(k)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("rnn: model truncated at offset %d while reading %s: %w", r.off, what, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return fmt.Errorf("rnn: reading model %s at offset %d: %w", what, r.off, err)
	}
	return nil
}

// Load reads a model written by Save. A truncated input returns an error
// wrapping io.ErrUnexpectedEOF; a malformed one (bad magic, unsupported
// version, impossible sizes, unknown loss, checksum mismatch) an error
// wrapping ErrFormat, with the byte offset. Load never panics.
func Load(r io.Reader) (*Model, error) {
	mr := &modelReader{r: r}
	head := make([]byte, headerSize+4)
	if err := mr.read(head[:4], "the magic"); err != nil {
		return nil, err
	}
	if string(head[:4]) != modelMagic {
		return nil, fmt.Errorf("%w: bad magic %q at offset 0 (want %q): not a fastpath recurrent model", ErrFormat, head[:4], modelMagic)
	}
	if err := mr.read(head[4:], "the header"); err != nil {
		return nil, err
	}
	if stored, sum := binary.LittleEndian.Uint32(head[headerSize:]), crc32.Checksum(head[:headerSize], crcTable); stored != sum {
		return nil, fmt.Errorf("%w: header checksum mismatch at offset %d (stored %08x, computed %08x)", ErrFormat, headerSize, stored, sum)
	}
	field := func(i int) uint32 { return binary.LittleEndian.Uint32(head[4+4*i:]) }
	if v := field(0); v != modelVersion {
		return nil, fmt.Errorf("%w: unsupported version %d at offset 4 (want %d)", ErrFormat, v, modelVersion)
	}
	in, hid, out, loss := field(1), field(2), field(3), field(4)
	if in == 0 || hid == 0 || out == 0 || in > maxUnits || hid > maxUnits || out > maxUnits {
		return nil, fmt.Errorf("%w: sizes in=%d hidden=%d out=%d at offset 8 outside [1, %d]", ErrFormat, in, hid, out, maxUnits)
	}
	if loss > uint32(Squared) {
		return nil, fmt.Errorf("%w: unknown loss %d at offset 20", ErrFormat, loss)
	}
	cfg := Config{In: int(in), Hidden: int(hid), Out: int(out), Loss: Loss(loss)}
	m, err := New(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	h := crc32.New(crcTable)
	buf := make([]byte, 1<<16)
	for _, p := range m.params {
		if err := mr.readFloats(h, buf, p.Value, p.Name); err != nil {
			return nil, err
		}
	}
	var sum [4]byte
	if err := mr.read(sum[:], "the data checksum"); err != nil {
		return nil, err
	}
	if stored, got := binary.LittleEndian.Uint32(sum[:]), h.Sum32(); stored != got {
		return nil, fmt.Errorf("%w: data checksum mismatch at offset %d (stored %08x, computed %08x)", ErrFormat, mr.off-4, stored, got)
	}
	return m, nil
}

// readFloats fills s from the reader through buf, adding the bytes to h.
func (r *modelReader) readFloats(h hash.Hash32, buf []byte, s []float32, name string) error {
	for len(s) > 0 {
		k := min(len(s), len(buf)/4)
		b := buf[:4*k]
		if err := r.read(b, "parameter "+name); err != nil {
			return err
		}
		h.Write(b)
		for i := range s[:k] {
			s[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		s = s[k:]
	}
	return nil
}

// SaveFile writes the model to path atomically (layers.WriteFileAtomic): a
// crash leaves either the previous file or the new one.
func (m *Model) SaveFile(path string) error { return layers.WriteFileAtomic(path, m.Save) }

// LoadFile reads a model written by Save or SaveFile from path. Errors name
// the file.
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := Load(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
