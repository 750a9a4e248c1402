package experiment

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"

	"github.com/fastpath-go/fastpath/internal/atomicfile"
)

// Cell results and per-epoch records are stored with encoding/gob, which
// keeps every float64 exactly, NaN and ±Inf included (a diverged cell's
// errors are NaN; a margin measure is +Inf when the margin is not
// positive), where JSON cannot. Records are appended one at a time, each
// framed as
//
//	uint32 length, the gob encoding of the record, uint32 CRC-32 of it
//
// so that a record cut short by a crash is recognised and dropped.

// encode returns the gob encoding of v.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeValue writes v to path atomically.
func writeValue(path string, v any) error {
	b, err := encode(v)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// readValue decodes the file at path into v (a pointer).
func readValue(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// frame returns rec framed for a record log.
func frame(rec any) ([]byte, error) {
	b, err := encode(rec)
	if err != nil {
		return nil, err
	}
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(b)))
	out = append(out, b...)
	return binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(b)), nil
}

// appendRecord appends one framed record to path, synced to disk.
func appendRecord(path string, rec any) error {
	b, err := frame(rec)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err = f.Write(b); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// readRecords reads the framed records of path, dropping a last record cut
// short by a crash; a missing file is no records. A damaged record before
// the last is an error.
func readRecords[R any](path string) ([]R, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var out []R
	for {
		var hdr [4]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return out, nil // end, or a torn length
		}
		n := binary.LittleEndian.Uint32(hdr[:])
		body := make([]byte, int(min(n, 1<<26))+4)
		if n > 1<<26 {
			return nil, fmt.Errorf("%s: record %d of %d bytes: damaged file", path, len(out), n)
		}
		if _, err := io.ReadFull(r, body); err != nil {
			return out, nil // torn last record
		}
		b, sum := body[:n], binary.LittleEndian.Uint32(body[n:])
		if crc32.ChecksumIEEE(b) != sum {
			if _, err := r.Peek(1); err == io.EOF {
				return out, nil // torn last record
			}
			return nil, fmt.Errorf("%s: record %d fails its checksum: damaged file", path, len(out))
		}
		var rec R
		if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&rec); err != nil {
			return nil, fmt.Errorf("%s: record %d: %w", path, len(out), err)
		}
		out = append(out, rec)
	}
}

// writeRecords replaces path with recs, atomically.
func writeRecords[R any](path string, recs []R) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		for _, r := range recs {
			b, err := frame(r)
			if err != nil {
				return err
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		return nil
	})
}
