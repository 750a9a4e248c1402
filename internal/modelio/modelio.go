// Package modelio holds the binary I/O shared by fastpath's model files
// (layers' FPNN and rnn's FPRN formats): little-endian float32 runs with a
// running checksum, and a reader that tracks its offset so that every error
// says where the file went wrong.
package modelio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
)

// WriteFloats writes s little-endian through buf (whose capacity sets the
// chunk size), adding the bytes to the checksum h unless h is nil.
func WriteFloats(w io.Writer, h hash.Hash32, buf []byte, s []float32) error {
	for len(s) > 0 {
		k := min(len(s), cap(buf)/4)
		buf = buf[:4*k]
		for i, v := range s[:k] {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		if h != nil {
			h.Write(buf)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		s = s[k:]
	}
	return nil
}

// Reader reads a model file, tracking the offset for error messages, which
// start with Prefix (the package name).
type Reader struct {
	R      io.Reader
	Off    int64
	Prefix string
}

// Read fills p, reporting a short read as an error wrapping
// io.ErrUnexpectedEOF with the offset and what was being read.
func (r *Reader) Read(p []byte, what string) error {
	k, err := io.ReadFull(r.R, p)
	r.Off += int64(k)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%s: model truncated at offset %d while reading %s: %w", r.Prefix, r.Off, what, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return fmt.Errorf("%s: reading model %s at offset %d: %w", r.Prefix, what, r.Off, err)
	}
	return nil
}

// ReadFloats fills s from the reader through buf (whose length sets the
// chunk size), adding the bytes to the checksum h.
func (r *Reader) ReadFloats(h hash.Hash32, buf []byte, s []float32, what string) error {
	for len(s) > 0 {
		k := min(len(s), len(buf)/4)
		b := buf[:4*k]
		if err := r.Read(b, what); err != nil {
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

// HasMagic reports whether the file at path starts with magic.
func HasMagic(path, magic string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, len(magic))
	_, err = io.ReadFull(f, b)
	return err == nil && string(b) == magic
}

// ReadSized opens path and calls read with a buffered reader of it and its
// size (the readers check sizes against it before allocating).
func ReadSized(path string, read func(r io.Reader, size int64) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return read(bufio.NewReaderSize(f, 1<<16), st.Size())
}
