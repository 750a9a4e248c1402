// Package checkpoint is fastpath's one checkpoint format: a single file of
// named sections (a model, an optimizer's state, the training progress,
// random generator states, a caller's record), written by one atomic rename
// so that a crash at any moment leaves either the previous checkpoint or the
// new one whole, and read back only when every byte checks out.
//
// The sections' contents belong to their writers (layers and rnn write
// their model formats, optimizer states and progress records here); this
// package owns the container, its integrity and its atomic replacement.
//
// File layout, little-endian:
//
//	"FPCK"                       magic
//	uint32 version               1
//	section bodies, back to back
//	index   uint32 count, then per section:
//	        uint32 name length, name bytes, uint64 offset, uint64 length
//	uint64  offset of the index
//	uint32  CRC-32 (IEEE) of every byte after the magic and before the CRC
//
// The sections must tile the bytes between the header and the index
// exactly, in index order, and nothing may follow the CRC.
package checkpoint

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"

	"github.com/fastpath-go/fastpath/internal/atomicfile"
	"github.com/fastpath-go/fastpath/internal/modelio"
)

const (
	magic   = "FPCK"
	version = 1
	// maxSections and maxName bound the index a reader accepts.
	maxSections = 1 << 10
	maxName     = 255
	headerSize  = 8
	trailerSize = 12
)

// ErrFormat is wrapped by every error reporting a file that is not an
// intact checkpoint: another kind of file, a truncated or corrupted one,
// trailing bytes, a malformed index.
var ErrFormat = errors.New("checkpoint: not an intact checkpoint file")

// Section is one named part of a checkpoint; Write writes its contents.
type Section struct {
	Name  string
	Write func(io.Writer) error
}

// Bytes is a Section holding b.
func Bytes(name string, b []byte) Section {
	return Section{Name: name, Write: func(w io.Writer) error { _, err := w.Write(b); return err }}
}

type entry struct {
	name      string
	off, size uint64
}

// countingWriter counts and checksums what passes through it.
type countingWriter struct {
	w   io.Writer
	h   hash.Hash32
	n   uint64
	err error
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	k, err := c.w.Write(p)
	c.h.Write(p[:k])
	c.n += uint64(k)
	c.err = err
	return k, err
}

// Save writes the sections to path as one checkpoint, atomically (a crash
// leaves the previous file at path or the new one, never a mix; see
// internal/atomicfile for symbolic links and stale temporary files).
// Section names must be non-empty, at most 255 bytes and distinct; that is
// a programmer error, reported by a panic.
func Save(path string, sections ...Section) error {
	seen := map[string]bool{}
	for _, s := range sections {
		if s.Name == "" || len(s.Name) > maxName || seen[s.Name] || s.Write == nil {
			panic("checkpoint: section names must be distinct, 1 to 255 bytes, each with a writer")
		}
		seen[s.Name] = true
	}
	if len(sections) > maxSections {
		panic("checkpoint: too many sections")
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, magic); err != nil {
			return err
		}
		cw := &countingWriter{w: w, h: crc32.NewIEEE(), n: 4}
		if err := binary.Write(cw, binary.LittleEndian, uint32(version)); err != nil {
			return err
		}
		ents := make([]entry, 0, len(sections))
		for _, s := range sections {
			start := cw.n
			if err := s.Write(cw); err != nil {
				return fmt.Errorf("section %s: %w", s.Name, err)
			}
			if cw.err != nil {
				return cw.err
			}
			ents = append(ents, entry{s.Name, start, cw.n - start})
		}
		index := cw.n
		var b []byte
		b = binary.LittleEndian.AppendUint32(b, uint32(len(ents)))
		for _, e := range ents {
			b = binary.LittleEndian.AppendUint32(b, uint32(len(e.name)))
			b = append(b, e.name...)
			b = binary.LittleEndian.AppendUint64(b, e.off)
			b = binary.LittleEndian.AppendUint64(b, e.size)
		}
		b = binary.LittleEndian.AppendUint64(b, index)
		if _, err := cw.Write(b); err != nil {
			return err
		}
		_, err := w.Write(binary.LittleEndian.AppendUint32(nil, cw.h.Sum32()))
		return err
	})
}

// File is an open checkpoint whose integrity has been verified.
type File struct {
	path string
	f    *os.File
	ents []entry
}

// IsCheckpoint reports whether the file at path starts with the checkpoint
// magic (it says nothing about the rest of the file).
func IsCheckpoint(path string) bool { return modelio.HasMagic(path, magic) }

// Open opens the checkpoint at path and verifies it whole before returning:
// structure, section bounds against the file's length, and the checksum of
// every byte. Errors name path and wrap ErrFormat for a damaged or foreign
// file (or the os error for one that cannot be read).
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	c := &File{path: path, f: f}
	if err := c.verify(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func (c *File) verify() error {
	st, err := c.f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%w: not a regular file", ErrFormat)
	}
	size := uint64(st.Size())
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrFormat}, a...)...)
	}
	if size < headerSize+4+trailerSize {
		return bad("%d bytes, too short", size)
	}
	var head [headerSize]byte
	if _, err := c.f.ReadAt(head[:], 0); err != nil {
		return err
	}
	if string(head[:4]) != magic {
		return bad("magic %q (want %q)", head[:4], magic)
	}
	if v := binary.LittleEndian.Uint32(head[4:]); v != version {
		return bad("format version %d, this build reads %d", v, version)
	}
	// The checksum first: nothing in a damaged file is interpreted.
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, io.NewSectionReader(c.f, 4, int64(size)-8)); err != nil {
		return err
	}
	var tail [trailerSize]byte
	if _, err := c.f.ReadAt(tail[:], int64(size)-trailerSize); err != nil {
		return err
	}
	if stored, got := binary.LittleEndian.Uint32(tail[8:]), h.Sum32(); stored != got {
		return bad("checksum mismatch (stored %08x, computed %08x): truncated, extended or corrupted", stored, got)
	}
	index := binary.LittleEndian.Uint64(tail[:8])
	if index < headerSize || index > size-trailerSize-4 {
		return bad("index offset %d outside the file", index)
	}
	ib := make([]byte, size-trailerSize-index)
	if _, err := c.f.ReadAt(ib, int64(index)); err != nil {
		return err
	}
	n := binary.LittleEndian.Uint32(ib)
	ib = ib[4:]
	if n > maxSections {
		return bad("%d sections", n)
	}
	next := uint64(headerSize)
	seen := map[string]bool{}
	for i := range int(n) {
		if len(ib) < 4 {
			return bad("index truncated at section %d", i)
		}
		l := binary.LittleEndian.Uint32(ib)
		if l == 0 || l > maxName || uint64(len(ib)) < 4+uint64(l)+16 {
			return bad("index entry %d malformed", i)
		}
		e := entry{name: string(ib[4 : 4+l])}
		e.off = binary.LittleEndian.Uint64(ib[4+l:])
		e.size = binary.LittleEndian.Uint64(ib[12+l:])
		ib = ib[20+l:]
		if e.off != next || e.size > index-e.off || seen[e.name] {
			return bad("section %q has bad bounds or a repeated name", e.name)
		}
		next = e.off + e.size
		seen[e.name] = true
		c.ents = append(c.ents, e)
	}
	if next != index || len(ib) != 0 {
		return bad("sections do not tile the file")
	}
	return nil
}

// Names returns the section names in file order.
func (c *File) Names() []string {
	s := make([]string, len(c.ents))
	for i, e := range c.ents {
		s[i] = e.name
	}
	return s
}

// Has reports whether the checkpoint holds the named section.
func (c *File) Has(name string) bool {
	for _, e := range c.ents {
		if e.name == name {
			return true
		}
	}
	return false
}

// Section returns a reader of the named section's bytes, and its size; ok
// is false when there is no such section.
func (c *File) Section(name string) (r io.Reader, size int64, ok bool) {
	for _, e := range c.ents {
		if e.name == name {
			return bufio.NewReaderSize(io.NewSectionReader(c.f, int64(e.off), int64(e.size)), 1<<16), int64(e.size), true
		}
	}
	return nil, 0, false
}

// ReadAll returns the named section's bytes (for small sections).
func (c *File) ReadAll(name string) ([]byte, bool, error) {
	r, size, ok := c.Section(name)
	if !ok {
		return nil, false, nil
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, true, fmt.Errorf("%s: section %s: %w", c.path, name, err)
	}
	return b, true, nil
}

// Path returns the file's path.
func (c *File) Path() string { return c.path }

// Close closes the file.
func (c *File) Close() error { return c.f.Close() }
