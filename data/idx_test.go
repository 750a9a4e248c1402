package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// randomIDX returns an IDX of the given dims filled from a seeded PCG.
func randomIDX(seed uint64, dims ...int) *IDX {
	r := rand.New(rand.NewPCG(seed, seed))
	size := 1
	for _, d := range dims {
		size *= d
	}
	m := &IDX{Dims: dims, Data: make([]byte, size)}
	for i := range m.Data {
		m.Data[i] = byte(r.Uint32())
	}
	return m
}

func TestIDXRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for i, dims := range [][]int{{0}, {1}, {7}, {3, 0, 5}, {5, 28, 28}, {2, 3, 4, 5}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1 << 17, 9}} {
		m := randomIDX(uint64(i), dims...)
		for _, gz := range []bool{false, true} {
			b := idxBytes(t, m, gz)
			got, err := ReadIDX(bytes.NewReader(b), "x")
			if err != nil {
				t.Fatalf("dims %v gzip %v: %v", dims, gz, err)
			}
			if !slices.Equal(got.Dims, m.Dims) || !bytes.Equal(got.Data, m.Data) {
				t.Fatalf("dims %v gzip %v: read %v, %d bytes, want %v, %d bytes", dims, gz, got.Dims, len(got.Data), m.Dims, len(m.Data))
			}
			if !gz {
				if len(b) != 4+4*len(dims)+len(m.Data) || b[2] != 0x08 || int(b[3]) != len(dims) {
					t.Fatalf("dims %v: header % x, %d bytes in all", dims, b[:4], len(b))
				}
			}
			// The same through files, gzip chosen by the name.
			path := filepath.Join(dir, "f")
			if gz {
				path += ".gz"
			}
			if err := WriteIDXFile(path, m); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if isGzip := len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b; isGzip != gz {
				t.Fatalf("%s: gzip %v, want %v", path, isGzip, gz)
			}
			got, err = ReadIDXFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Dims, m.Dims) || !bytes.Equal(got.Data, m.Data) {
				t.Fatalf("%s: dims %v: file round trip differs", path, dims)
			}
		}
	}
}

func TestIDXMagic(t *testing.T) {
	if m := (&IDX{Dims: []int{4}}); m.Magic() != MagicLabels {
		t.Errorf("labels magic %#x", m.Magic())
	}
	if m := (&IDX{Dims: []int{4, 2, 2}}); m.Magic() != MagicImages {
		t.Errorf("images magic %#x", m.Magic())
	}
}

func TestIDXHead(t *testing.T) {
	m := randomIDX(1, 5, 2, 3)
	h := m.Head(2)
	if !slices.Equal(h.Dims, []int{2, 2, 3}) || !bytes.Equal(h.Data, m.Data[:12]) {
		t.Errorf("Head(2) = %v %v", h.Dims, h.Data)
	}
	if m.Dims[0] != 5 {
		t.Errorf("Head changed the receiver's dims: %v", m.Dims)
	}
	mustPanic(t, badIndex, func() { m.Head(6) })
	mustPanic(t, badIndex, func() { m.Head(-1) })
}

func TestWriteIDXPanics(t *testing.T) {
	mustPanic(t, badIDXDims, func() { WriteIDX(io.Discard, &IDX{}) })
	mustPanic(t, badIDXDims, func() { WriteIDX(io.Discard, &IDX{Dims: make([]int, 256)}) })
	mustPanic(t, bigIDXDim, func() { WriteIDX(io.Discard, &IDX{Dims: []int{-1}}) })
	mustPanic(t, bigIDXDim, func() { WriteIDX(io.Discard, &IDX{Dims: []int{1 << 32}}) })
	mustPanic(t, badIDXData, func() { WriteIDX(io.Discard, &IDX{Dims: []int{2, 2}, Data: make([]byte, 3)}) })
	mustPanic(t, badIDXData, func() { WriteIDXFile(filepath.Join(t.TempDir(), "x"), &IDX{Dims: []int{2}}) })
}

// TestReadIDXErrors checks every validation of ReadIDX: the file, the
// offset and the expected-versus-found message.
func TestReadIDXErrors(t *testing.T) {
	good := idxBytes(t, randomIDX(2, 3, 2, 2), false) // 16-byte header, 12 bytes of data
	with := func(off int, b ...byte) []byte {
		c := slices.Clone(good)
		copy(c[off:], b)
		return c
	}
	for _, tc := range []struct {
		name  string
		in    []byte
		off   int64
		trunc bool
		want  []string
	}{
		{"empty", nil, 0, false, []string{"empty file"}},
		{"short magic", good[:3], 0, true, []string{"truncated header", "4-byte magic", "found 3 bytes"}},
		{"nonzero first bytes", with(0, 0x12), 0, false, []string{"magic number 0x12000803", "first two bytes"}},
		{"nonzero second byte", with(1, 0x01), 0, false, []string{"0x00010803"}},
		{"float type", with(2, 0x0D), 2, false, []string{"data type 0x0d (float32)", "want 0x08 (unsigned byte)"}},
		{"unknown type", with(2, 0x42), 2, false, []string{"data type 0x42 (unknown type)"}},
		{"no dims", with(3, 0), 3, false, []string{"0 dimensions"}},
		{"short dims", good[:13], 4, true, []string{"want 3 dimension sizes (12 bytes)", "found 9 bytes"}},
		{"more dims than present", with(3, 200), 4, true, []string{"want 200 dimension sizes"}},
		{"huge", with(4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 8, false, []string{"dimension 1 of size 4294967295", "more than 68719476736 bytes"}},
		{"short data", good[:20], 20, true, []string{"truncated data", "3x2x2 declare 12 bytes from offset 16, found 4"}},
		{"no data", good[:16], 16, true, []string{"found 0"}},
		{"trailing", append(slices.Clone(good), 0), 28, false, []string{"trailing data", "declare 12 bytes from offset 16"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadIDX(bytes.NewReader(tc.in), "f.idx")
			if got != nil {
				t.Errorf("got %v with the error", got)
			}
			fe := wantFormatError(t, err, "f.idx", tc.off, 0, 0, append(tc.want, "data: f.idx: ")...)
			if trunc := errors.Is(fe, io.ErrUnexpectedEOF); trunc != tc.trunc {
				t.Errorf("errors.Is(%q, io.ErrUnexpectedEOF) = %v, want %v", err, trunc, tc.trunc)
			}
		})
	}
	// The 64 GiB bound applies to the product, not to each size: three
	// dimensions of 2^16 declare 2^48 bytes, with nothing allocated.
	huge := []byte{0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0}
	_, err := ReadIDX(bytes.NewReader(huge), "big")
	wantFormatError(t, err, "big", 12, 0, 0, "dimension 2 of size 65536")
	large := []byte{0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff, 1, 2, 3}
	_, err = ReadIDX(bytes.NewReader(large), "large")
	wantFormatError(t, err, "large", 11, 0, 0, "declare 4294967295 bytes from offset 8, found 3")
}

// TestReadIDXLargeHeaderMemory checks that a header declaring 4 GiB costs
// no more than the data present.
func TestReadIDXLargeHeaderMemory(t *testing.T) {
	large := []byte{0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff, 1, 2, 3}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadIDX(bytes.NewReader(large), "large")
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("no error")
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 8<<20 {
		t.Errorf("allocated %d bytes for a 11-byte file", d)
	}
}

// TestReadIDXEveryTruncation cuts a file, plain and gzip, at every length
// and checks that each prefix is an error naming the file, never a panic
// or a short result.
func TestReadIDXEveryTruncation(t *testing.T) {
	m := randomIDX(3, 4, 5, 6)
	for _, gz := range []bool{false, true} {
		b := idxBytes(t, m, gz)
		for n := range len(b) {
			_, err := ReadIDX(bytes.NewReader(b[:n]), "cut.idx")
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Name != "cut.idx" {
				t.Fatalf("gzip %v, %d of %d bytes: error %v, want a *FormatError naming the file", gz, n, len(b), err)
			}
			if !gz && n > 0 && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("%d of %d bytes: %v is not io.ErrUnexpectedEOF", n, len(b), err)
			}
		}
	}
}

func TestReadIDXGzip(t *testing.T) {
	m := randomIDX(4, 10, 3, 3)
	gz := idxBytes(t, m, true)

	// A name ending in .gz requires gzip.
	_, err := ReadIDX(bytes.NewReader(idxBytes(t, m, false)), "x.gz")
	wantFormatError(t, err, "x.gz", 0, 0, 0, "name ends in .gz", "starts with 00 00", "not the gzip magic 1f 8b")

	// Gzip is detected by its magic whatever the name.
	if _, err := ReadIDX(bytes.NewReader(gz), "x.idx"); err != nil {
		t.Errorf("gzip named x.idx: %v", err)
	}

	// A wrong CRC-32 in the gzip trailer is found although the IDX data is
	// complete: the reader reads to the end of the stream.
	bad := slices.Clone(gz)
	bad[len(bad)-8] ^= 1
	_, err = ReadIDX(bytes.NewReader(bad), "crc.gz")
	fe := wantFormatError(t, err, "crc.gz", int64(16+len(m.Data)), 0, 0, "gzip stream corrupted")
	if !errors.Is(fe, gzip.ErrChecksum) {
		t.Errorf("%v is not gzip.ErrChecksum", err)
	}

	// A wrong length in the trailer, likewise.
	bad = slices.Clone(gz)
	bad[len(bad)-1] ^= 1
	_, err = ReadIDX(bytes.NewReader(bad), "len.gz")
	wantFormatError(t, err, "len.gz", int64(16+len(m.Data)), 0, 0, "gzip")

	// A bad gzip header (wrong compression method).
	bad = slices.Clone(gz)
	bad[2] = 7
	_, err = ReadIDX(bytes.NewReader(bad), "hdr.gz")
	wantFormatError(t, err, "hdr.gz", -1, 0, 0, "gzip header")

	// Garbage after the gzip member.
	bad = append(slices.Clone(gz), "junk"...)
	_, err = ReadIDX(bytes.NewReader(bad), "junk.gz")
	wantFormatError(t, err, "junk.gz", int64(16+len(m.Data)), 0, 0, "gzip")

	// Two concatenated members are one stream (gzip's multistream rule);
	// here the second holds trailing bytes.
	var two bytes.Buffer
	two.Write(gz)
	zw := gzip.NewWriter(&two)
	zw.Write([]byte{1, 2})
	zw.Close()
	_, err = ReadIDX(&two, "two.gz")
	wantFormatError(t, err, "two.gz", int64(16+len(m.Data)), 0, 0, "trailing data")
}

// errReader fails after n bytes.
type errReader struct {
	b   []byte
	err error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, r.err
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

func TestReadIDXIOError(t *testing.T) {
	b := idxBytes(t, randomIDX(5, 100), false)
	boom := errors.New("boom")
	for _, n := range []int{0, 2, 6, 50} {
		_, err := ReadIDX(&errReader{b: b[:n], err: boom}, "io")
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "data: io: ") {
			t.Errorf("error after %d bytes: %v, want one wrapping %v and naming the file", n, err, boom)
		}
	}
}

func TestReadIDXFileErrors(t *testing.T) {
	_, err := ReadIDXFile(filepath.Join(t.TempDir(), "missing"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	// The committed fixture: gzip test images cut in the middle.
	const cut = "../testdata/corrupt/truncated-images-idx3-ubyte.gz"
	_, err = ReadIDXFile(cut)
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Name != cut || fe.Offset <= 16 || fe.Offset >= 16+200*28*28 ||
		!errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "truncated data: dimensions 200x28x28 declare 156800 bytes from offset 16") {
		t.Errorf("%s: error %v, want a truncation *FormatError naming the file, inside the data", cut, err)
	}
}

// FuzzReadIDX feeds arbitrary bytes to ReadIDX: it must never panic, an
// error must be a *FormatError naming the input, and whatever it accepts
// must be consistent and survive a write-read round trip.
func FuzzReadIDX(f *testing.F) {
	for i, dims := range [][]int{{3}, {2, 2, 2}, {1, 3}, {0}, {2, 0, 1}} {
		m := randomIDX(uint64(i), dims...)
		f.Add(idxBytes(f, m, false))
		f.Add(idxBytes(f, m, true))
	}
	f.Add([]byte{0, 0, 8})
	f.Add([]byte{0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadIDX(bytes.NewReader(b), "fuzz")
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Name != "fuzz" {
				t.Fatalf("error %v (%T), want a *FormatError naming the input", err, err)
			}
			if m != nil {
				t.Fatal("result with an error")
			}
			return
		}
		size := 1
		for _, d := range m.Dims {
			size *= d
		}
		if len(m.Dims) < 1 || len(m.Dims) > 255 || size != len(m.Data) {
			t.Fatalf("accepted dims %v with %d bytes", m.Dims, len(m.Data))
		}
		var w bytes.Buffer
		if err := WriteIDX(&w, m); err != nil {
			t.Fatal(err)
		}
		m2, err := ReadIDX(&w, "again")
		if err != nil || !slices.Equal(m.Dims, m2.Dims) || !bytes.Equal(m.Data, m2.Data) {
			t.Fatalf("round trip of an accepted file: %v", err)
		}
		if len(b) > 0 && b[0] != 0x1f && len(b) != 4+4*len(m.Dims)+size {
			t.Fatalf("accepted a %d-byte plain file declaring %d", len(b), 4+4*len(m.Dims)+size)
		}
	})
}
