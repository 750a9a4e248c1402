package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
)

// fixtures is the MNIST subset written by data/_gen.
const fixtures = "../testdata/mnist"

// mustPanic fails t unless f panics with exactly msg.
func mustPanic(t *testing.T, msg string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("no panic, want %q", msg)
			return
		}
		if r != msg {
			t.Errorf("panic %v, want %q", r, msg)
		}
	}()
	f()
}

// idxBytes returns m written by WriteIDX, gzip-compressed when gz is set.
func idxBytes(t testing.TB, m *IDX, gz bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if !gz {
		if err := WriteIDX(&b, m); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	zw := gzip.NewWriter(&b)
	if err := WriteIDX(zw, m); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wantFormatError fails t unless err is a *FormatError naming name, at
// offset off (or line and column when line > 0), whose message contains
// every one of want.
func wantFormatError(t *testing.T, err error, name string, off int64, line, col int, want ...string) *FormatError {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T), want a *FormatError", err, err)
	}
	if fe.Name != name {
		t.Errorf("error %q: Name %q, want %q", err, fe.Name, name)
	}
	if line > 0 {
		if fe.Line != line || fe.Column != col {
			t.Errorf("error %q: line %d column %d, want line %d column %d", err, fe.Line, fe.Column, line, col)
		}
	} else if fe.Offset != off {
		t.Errorf("error %q: offset %d, want %d", err, fe.Offset, off)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
	return fe
}
