package layers

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/fastpath-go/fastpath/internal/hugepage"
	"github.com/fastpath-go/fastpath/internal/modelio"
)

// StateSaver is implemented by optimizers whose internal state (momentum
// velocities, AdaGrad's sums of squares) can be saved and restored, so that
// a training resumed from a checkpoint continues exactly where it stopped.
// Train saves it in every checkpoint (see SaveCheckpoint).
type StateSaver interface {
	// SaveState writes the state (a file with no buffers before the first
	// Step, or for an optimizer without state, such as SGD without
	// momentum).
	SaveState(w io.Writer) error
	// LoadState replaces the state with one written by SaveState of an
	// optimizer of the same kind for a network of net's shape; it returns
	// an error, leaving the state unchanged, for a file of another kind or
	// shape, or a truncated or corrupted one.
	LoadState(r io.Reader, net *Network) error
}

// ErrStateMismatch is wrapped by LoadState errors for a state file that is
// intact but belongs to another optimizer or another network shape.
var ErrStateMismatch = errors.New("optimizer state does not match")

// Optimizer state files: "FPOS", format version (uint32), the optimizer
// kind (uint32 length, bytes), the number of buffers (uint32), then each
// buffer's length (uint64) and float32 values, all little-endian, then the
// CRC-32 (IEEE) of everything after the magic.
const (
	optStateMagic   = "FPOS"
	optStateVersion = 1
)

// WriteOptimizerState writes an optimizer's state buffers under the name
// kind in fastpath's optimizer state format (for optimizers of other
// packages implementing StateSaver). nil bufs writes a file without state.
func WriteOptimizerState(w io.Writer, kind string, bufs [][]float32) error {
	h := crc32.NewIEEE()
	mw := io.MultiWriter(w, h)
	if _, err := io.WriteString(w, optStateMagic); err != nil {
		return err
	}
	var hdr []byte
	hdr = binary.LittleEndian.AppendUint32(hdr, optStateVersion)
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(kind)))
	hdr = append(hdr, kind...)
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(bufs)))
	if _, err := mw.Write(hdr); err != nil {
		return err
	}
	buf := make([]byte, 0, 64<<10)
	for _, b := range bufs {
		if _, err := mw.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(b)))); err != nil {
			return err
		}
		if err := modelio.WriteFloats(w, h, buf, b); err != nil {
			return err
		}
	}
	_, err := w.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32()))
	return err
}

// ReadOptimizerState reads a state written by WriteOptimizerState under the
// name kind. It returns nil for a file without state; otherwise the file
// must hold one buffer per parameter of net (net.Params(), in order) of
// that parameter's length (else an error wrapping ErrStateMismatch).
func ReadOptimizerState(r io.Reader, kind string, net *Network) ([][]float32, error) {
	ps := net.Params()
	lens := make([]int, len(ps))
	// The largest state such a network can have: header, kind, buffers.
	limit := int64(4 + 4 + 4 + 64 + 4 + 4)
	for i, p := range ps {
		lens[i] = len(p.Value)
		limit += 8 + 4*int64(lens[i])
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("layers: reading optimizer state: %w", err)
	}
	if len(b) < 4 || string(b[:4]) != optStateMagic {
		if len(b) < 4 {
			return nil, fmt.Errorf("layers: optimizer state truncated (%d bytes): %w", len(b), io.ErrUnexpectedEOF)
		}
		return nil, fmt.Errorf("layers: not an optimizer state file (magic %q, want %q)", b[:4], optStateMagic)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("layers: %w: the optimizer state is larger than any state of this network", ErrStateMismatch)
	}
	// The checksum before any field: a damaged file is reported as
	// damaged, never as another optimizer's or another shape's.
	if len(b) < 4+4+4+4+4 {
		return nil, fmt.Errorf("layers: optimizer state truncated (%d bytes): %w", len(b), io.ErrUnexpectedEOF)
	}
	body := b[4 : len(b)-4]
	if got, sum := binary.LittleEndian.Uint32(b[len(b)-4:]), crc32.ChecksumIEEE(body); got != sum {
		return nil, fmt.Errorf("layers: optimizer state checksum mismatch (stored %08x, computed %08x): truncated or corrupted file", got, sum)
	}
	corrupt := func(what string) error {
		return fmt.Errorf("layers: optimizer state with a valid checksum but %s: %w", what, ErrFormat)
	}
	if v := binary.LittleEndian.Uint32(body); v != optStateVersion {
		return nil, fmt.Errorf("layers: optimizer state format version %d, this build reads %d", v, optStateVersion)
	}
	n := binary.LittleEndian.Uint32(body[4:])
	if n > 64 || uint64(len(body)) < 12+uint64(n) {
		return nil, corrupt("a malformed kind")
	}
	name := string(body[8 : 8+n])
	body = body[8+n:]
	nb := binary.LittleEndian.Uint32(body)
	body = body[4:]
	if name != kind {
		return nil, fmt.Errorf("layers: %w: the file holds %q state, the optimizer is %q", ErrStateMismatch, name, kind)
	}
	if nb != 0 && int(nb) != len(lens) {
		return nil, fmt.Errorf("layers: %w: %d buffers in the file, the network has %d parameters", ErrStateMismatch, nb, len(lens))
	}
	var bufs [][]float32
	for i := 0; i < int(nb); i++ {
		if len(body) < 8 {
			return nil, corrupt("a truncated buffer list")
		}
		if l := binary.LittleEndian.Uint64(body); l != uint64(lens[i]) {
			return nil, fmt.Errorf("layers: %w: buffer %d holds %d values, the network's parameter %d has %d", ErrStateMismatch, i, l, i, lens[i])
		}
		body = body[8:]
		if len(body) < 4*lens[i] {
			return nil, corrupt("a truncated buffer")
		}
		v := hugepage.Float32s(lens[i])
		for j := range v {
			v[j] = math.Float32frombits(binary.LittleEndian.Uint32(body[4*j:]))
		}
		body = body[4*lens[i]:]
		bufs = append(bufs, v)
	}
	if len(body) != 0 {
		return nil, corrupt("bytes after the last buffer")
	}
	return bufs, nil
}

// SaveState writes the velocity (none without momentum or before the first
// Step).
func (o *SGD) SaveState(w io.Writer) error { return WriteOptimizerState(w, "sgd", o.velocity) }

// LoadState restores a velocity written by SaveState.
func (o *SGD) LoadState(r io.Reader, net *Network) error {
	bufs, err := ReadOptimizerState(r, "sgd", net)
	if err != nil {
		return err
	}
	o.velocity = bufs
	return nil
}

// SaveState writes the sums of squared gradients (none before the first
// Step).
func (o *AdaGrad) SaveState(w io.Writer) error { return WriteOptimizerState(w, "adagrad", o.accum) }

// LoadState restores sums written by SaveState.
func (o *AdaGrad) LoadState(r io.Reader, net *Network) error {
	bufs, err := ReadOptimizerState(r, "adagrad", net)
	if err != nil {
		return err
	}
	o.accum = bufs
	return nil
}
