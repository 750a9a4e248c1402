package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
)

// IDX magic numbers of the two MNIST file kinds: unsigned bytes (type
// 0x08) in 1 dimension (labels) or 3 dimensions (images: count, rows,
// columns).
const (
	MagicLabels = 0x00000801
	MagicImages = 0x00000803
)

// idxUbyte is the IDX type code of unsigned bytes, the only one read.
const idxUbyte = 0x08

// maxIDXData bounds the data size that a header may declare (64 GiB, or
// the largest int on 32-bit platforms), so that the product of the
// dimensions cannot overflow. The reader never allocates more than twice
// the bytes it has actually read, whatever the header declares.
const maxIDXData = min(1<<36, math.MaxInt)

// IDX is the content of an IDX file of unsigned bytes (the format of the
// MNIST distribution files): the sizes of its dimensions, outermost first,
// and its data in row-major order (the last dimension varies fastest), so
// len(Data) is the product of Dims.
type IDX struct {
	Dims []int
	Data []byte
}

// Magic returns the IDX magic number of m: 0x0000 0x08 len(Dims).
func (m *IDX) Magic() uint32 { return idxUbyte<<8 | uint32(len(m.Dims)) }

// Head returns the first n entries of m along its first dimension (the
// first n images or labels), sharing m's data. It panics unless
// 0 <= n <= m.Dims[0].
func (m *IDX) Head(n int) *IDX {
	if len(m.Dims) == 0 || n < 0 || n > m.Dims[0] {
		panic(badIndex)
	}
	dims := slices.Clone(m.Dims)
	dims[0] = n
	size := n
	for _, d := range dims[1:] {
		size *= d
	}
	return &IDX{Dims: dims, Data: m.Data[:size:size]}
}

// idxTypes names the IDX data type codes, for error messages.
var idxTypes = map[byte]string{
	0x08: "unsigned byte",
	0x09: "signed byte",
	0x0B: "int16",
	0x0C: "int32",
	0x0D: "float32",
	0x0E: "float64",
}

// ReadIDXFile reads the IDX file at path with ReadIDX, naming the file in
// its errors.
func ReadIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadIDX(f, path)
}

// ReadIDX reads an IDX file of unsigned bytes from r. The stream is
// gzip-decompressed when it starts with the gzip magic (1f 8b); a name
// ending in ".gz" requires it. name is used in errors only.
//
// ReadIDX checks the magic number (two zero bytes, type 0x08, 1 to 255
// dimensions), that the declared size is below 64 GiB, that the data is
// complete and that nothing follows it, and, for gzip, the stream's
// checksum. Bad input returns a *FormatError giving the file, the offset
// in the decompressed stream and what was expected and found; ReadIDX
// never panics on bad input.
func ReadIDX(r io.Reader, name string) (*IDX, error) {
	src, gz, err := decompress(r, name)
	if err != nil {
		return nil, err
	}
	cr := &countReader{r: src}
	fail := func(off int64, err error, format string, args ...any) (*IDX, error) {
		return nil, &FormatError{Name: name, Offset: off, Msg: fmt.Sprintf(format, args...), Err: err}
	}

	var magic [4]byte
	if n, err := io.ReadFull(cr, magic[:]); err != nil {
		if n == 0 && err == io.EOF {
			return fail(0, nil, "empty file, want an IDX header")
		}
		if isEOF(err) {
			return fail(0, io.ErrUnexpectedEOF, "truncated header: want a 4-byte magic number, found %d bytes", n)
		}
		return fail(cr.n, err, "reading the magic number")
	}
	m := binary.BigEndian.Uint32(magic[:])
	if magic[0] != 0 || magic[1] != 0 {
		return fail(0, nil, "magic number 0x%08x: want 0x0000 in the first two bytes (is this an IDX file?)", m)
	}
	if magic[2] != idxUbyte {
		t, ok := idxTypes[magic[2]]
		if !ok {
			t = "unknown type"
		}
		return fail(2, nil, "magic number 0x%08x: data type 0x%02x (%s), want 0x08 (unsigned byte)", m, magic[2], t)
	}
	nd := int(magic[3])
	if nd == 0 {
		return fail(3, nil, "magic number 0x%08x: 0 dimensions, want at least 1", m)
	}

	head := make([]byte, 4*nd)
	if n, err := io.ReadFull(cr, head); err != nil {
		if isEOF(err) {
			return fail(4, io.ErrUnexpectedEOF, "truncated header: want %d dimension sizes (%d bytes) after the magic number, found %d bytes", nd, 4*nd, n)
		}
		return fail(cr.n, err, "reading the dimension sizes")
	}
	dims := make([]int, nd)
	size := int64(1)
	for i := range dims {
		d := int64(binary.BigEndian.Uint32(head[4*i:]))
		if d > maxIDXData || d != 0 && size > maxIDXData/d {
			return fail(int64(4+4*i), nil, "dimension %d of size %d: the dimensions declare more than %d bytes of data", i, d, int64(maxIDXData))
		}
		dims[i] = int(d)
		size *= d
	}

	start := cr.n
	data, err := readAtMost(cr, size)
	if err != nil {
		if isEOF(err) {
			return fail(cr.n, io.ErrUnexpectedEOF, "truncated data: dimensions %s declare %d bytes from offset %d, found %d", dimString(dims), size, start, len(data))
		}
		return fail(cr.n, err, "reading the data%s", gzipNote(gz))
	}
	// Read to the end: it finds trailing bytes and, for gzip, verifies the
	// checksum, which gzip.Reader checks only at the end of the stream.
	var one [1]byte
	if n, err := io.ReadFull(cr, one[:]); n != 0 {
		return fail(cr.n-1, nil, "trailing data: dimensions %s declare %d bytes from offset %d, but the file holds more", dimString(dims), size, start)
	} else if err != io.EOF {
		return fail(cr.n, err, "after the data%s", gzipNote(gz))
	}
	return &IDX{Dims: dims, Data: data}, nil
}

// readAtMost reads exactly size bytes from r, growing the buffer as data
// arrives so that a header declaring a huge size costs no more memory than
// the data present.
func readAtMost(r io.Reader, size int64) ([]byte, error) {
	const first = 1 << 20
	data := make([]byte, 0, min(size, first))
	for int64(len(data)) < size {
		chunk := int(min(size-int64(len(data)), int64(max(len(data), first))))
		data = slices.Grow(data, chunk)
		n, err := io.ReadFull(r, data[len(data):len(data)+chunk])
		data = data[:len(data)+n]
		if err != nil {
			return data, err
		}
	}
	return data, nil
}

// decompress returns r, gzip-decompressed when it starts with the gzip
// magic, and whether it was.
func decompress(r io.Reader, name string) (io.Reader, bool, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil && !isEOF(err) {
		return nil, false, &FormatError{Name: name, Offset: 0, Msg: "reading the first bytes", Err: err}
	}
	gz := len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b
	if !gz {
		if strings.HasSuffix(name, ".gz") {
			return nil, false, &FormatError{Name: name, Offset: 0, Msg: fmt.Sprintf("name ends in .gz but the file starts with % x, not the gzip magic 1f 8b", head)}
		}
		return br, false, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		if isEOF(err) {
			err = io.ErrUnexpectedEOF
		}
		return nil, true, &FormatError{Name: name, Offset: -1, Msg: "truncated or corrupted gzip header", Err: err}
	}
	return zr, true, nil
}

// isEOF reports whether err means the input ended early.
func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// gzipNote qualifies a read error of a gzip stream, for error messages.
func gzipNote(gz bool) string {
	if gz {
		return " (gzip stream corrupted)"
	}
	return ""
}

// dimString formats dimensions as "60000x28x28".
func dimString(dims []int) string {
	var b strings.Builder
	for i, d := range dims {
		if i > 0 {
			b.WriteByte('x')
		}
		fmt.Fprint(&b, d)
	}
	return b.String()
}

// countReader counts the bytes read through it, for error offsets.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// WriteIDX writes m to w as an uncompressed IDX file. It panics unless m
// has 1 to 255 dimensions, each below 2^32, whose product is len(m.Data).
func WriteIDX(w io.Writer, m *IDX) error {
	checkIDX(m)
	head := make([]byte, 4+4*len(m.Dims))
	binary.BigEndian.PutUint32(head, m.Magic())
	for i, d := range m.Dims {
		binary.BigEndian.PutUint32(head[4+4*i:], uint32(d))
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	_, err := w.Write(m.Data)
	return err
}

// WriteIDXFile writes m to a new file at path, gzip-compressed (best
// compression, no name or time in the gzip header, so the output depends on
// the data only) when path ends in ".gz". It panics on a bad m, as
// WriteIDX does.
func WriteIDXFile(path string, m *IDX) (err error) {
	checkIDX(m)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	if !strings.HasSuffix(path, ".gz") {
		if err := WriteIDX(bw, m); err != nil {
			return err
		}
		return bw.Flush()
	}
	zw, err := gzip.NewWriterLevel(bw, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := WriteIDX(zw, m); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// checkIDX panics unless m is a well-formed IDX value.
func checkIDX(m *IDX) {
	if len(m.Dims) < 1 || len(m.Dims) > 255 {
		panic(badIDXDims)
	}
	size := uint64(1)
	for _, d := range m.Dims {
		if d < 0 || uint64(d) > math.MaxUint32 {
			panic(bigIDXDim)
		}
		if d != 0 && size > math.MaxUint64/uint64(d) {
			panic(badIDXData)
		}
		size *= uint64(d)
	}
	if size != uint64(len(m.Data)) {
		panic(badIDXData)
	}
}
