package rnn

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"github.com/fastpath-go/fastpath/internal/atomicfile"
	"github.com/fastpath-go/fastpath/internal/modelio"
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
		if err := modelio.WriteFloats(bw, h, buf, p.Value); err != nil {
			return err
		}
	}
	if _, err := bw.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32())); err != nil {
		return err
	}
	return bw.Flush()
}

// Load reads a model written by Save. A truncated input returns an error
// wrapping io.ErrUnexpectedEOF; a malformed one (bad magic, unsupported
// version, impossible sizes, unknown loss, checksum mismatch) an error
// wrapping ErrFormat, with the byte offset. Load never panics.
func Load(r io.Reader) (*Model, error) {
	mr := &modelio.Reader{R: r, Prefix: "rnn"}
	head := make([]byte, headerSize+4)
	if err := mr.Read(head[:4], "the magic"); err != nil {
		return nil, err
	}
	if string(head[:4]) != modelMagic {
		return nil, fmt.Errorf("%w: bad magic %q at offset 0 (want %q): not a fastpath recurrent model", ErrFormat, head[:4], modelMagic)
	}
	if err := mr.Read(head[4:], "the header"); err != nil {
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
		if err := mr.ReadFloats(h, buf, p.Value, "parameter "+p.Name); err != nil {
			return nil, err
		}
	}
	var sum [4]byte
	if err := mr.Read(sum[:], "the data checksum"); err != nil {
		return nil, err
	}
	if stored, got := binary.LittleEndian.Uint32(sum[:]), h.Sum32(); stored != got {
		return nil, fmt.Errorf("%w: data checksum mismatch at offset %d (stored %08x, computed %08x)", ErrFormat, mr.Off-4, stored, got)
	}
	return m, nil
}

// SaveFile writes the model to path atomically (internal/atomicfile): a
// crash leaves either the previous file or the new one.
func (m *Model) SaveFile(path string) error { return atomicfile.Write(path, m.Save) }

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
