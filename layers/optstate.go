package layers

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/fastpath-go/fastpath/internal/modelio"
)

// StateSaver is implemented by optimizers whose internal state (momentum
// velocities, AdaGrad's sums of squares) can be saved and restored, so that
// a training resumed from a checkpoint continues exactly where it stopped.
// Train writes it beside every checkpoint (see TrainConfig.Checkpoint).
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

// StatePath is where Train saves the optimizer state of the checkpoint
// path: path + ".opt".
func StatePath(checkpoint string) string { return checkpoint + ".opt" }

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
	for i, p := range ps {
		lens[i] = len(p.Value)
	}
	rd := &modelio.Reader{R: r, Prefix: "layers: optimizer state"}
	h := crc32.NewIEEE()
	var b4 [4]byte
	if err := rd.Read(b4[:], "the magic number"); err != nil {
		return nil, err
	}
	if string(b4[:]) != optStateMagic {
		return nil, fmt.Errorf("layers: not an optimizer state file (magic %q, want %q)", b4[:], optStateMagic)
	}
	u32 := func(what string) (uint32, error) {
		if err := rd.Read(b4[:], what); err != nil {
			return 0, err
		}
		h.Write(b4[:])
		return binary.LittleEndian.Uint32(b4[:]), nil
	}
	v, err := u32("the version")
	if err != nil {
		return nil, err
	}
	if v != optStateVersion {
		return nil, fmt.Errorf("layers: optimizer state format version %d, this build reads %d", v, optStateVersion)
	}
	n, err := u32("the kind's length")
	if err != nil {
		return nil, err
	}
	if n > 64 {
		return nil, fmt.Errorf("layers: optimizer state kind of %d bytes at offset %d: corrupted file", n, rd.Off)
	}
	name := make([]byte, n)
	if err := rd.Read(name, "the kind"); err != nil {
		return nil, err
	}
	h.Write(name)
	nb, err := u32("the buffer count")
	if err != nil {
		return nil, err
	}
	if nb != 0 && int(nb) != len(lens) {
		return nil, fmt.Errorf("layers: %w: %d buffers in the file, the network has %d parameters", ErrStateMismatch, nb, len(lens))
	}
	var bufs [][]float32
	var b8 [8]byte
	fbuf := make([]byte, 64<<10)
	for i := 0; i < int(nb); i++ {
		if err := rd.Read(b8[:], "a buffer length"); err != nil {
			return nil, err
		}
		h.Write(b8[:])
		if l := binary.LittleEndian.Uint64(b8[:]); l != uint64(lens[i]) {
			return nil, fmt.Errorf("layers: %w: buffer %d holds %d values, the network's parameter %d has %d", ErrStateMismatch, i, l, i, lens[i])
		}
		b := make([]float32, lens[i])
		if err := rd.ReadFloats(h, fbuf, b, "a buffer"); err != nil {
			return nil, err
		}
		bufs = append(bufs, b)
	}
	sum := h.Sum32()
	if err := rd.Read(b4[:], "the checksum"); err != nil {
		return nil, err
	}
	if got := binary.LittleEndian.Uint32(b4[:]); got != sum {
		return nil, fmt.Errorf("layers: optimizer state checksum mismatch (stored %08x, computed %08x): corrupted file", got, sum)
	}
	if string(name) != kind {
		return nil, fmt.Errorf("layers: %w: the file holds %q state, the optimizer is %q", ErrStateMismatch, name, kind)
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
