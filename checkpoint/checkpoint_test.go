package checkpoint

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func save(t *testing.T, path string, secs ...Section) []byte {
	t.Helper()
	if err := Save(path, secs...); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRoundTrip: sections come back byte for byte, in order, including
// empty ones; a missing name is reported as missing.
func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c")
	big := bytes.Repeat([]byte("0123456789"), 100000)
	save(t, path, Bytes("a", []byte("alpha")), Bytes("empty", nil), Bytes("big", big))
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.Names(); len(got) != 3 || got[0] != "a" || got[1] != "empty" || got[2] != "big" {
		t.Fatalf("names %v", got)
	}
	for name, want := range map[string][]byte{"a": []byte("alpha"), "empty": {}, "big": big} {
		b, ok, err := f.ReadAll(name)
		if err != nil || !ok || !bytes.Equal(b, want) {
			t.Errorf("section %s: %d bytes, ok %v, err %v", name, len(b), ok, err)
		}
	}
	if _, _, ok := f.Section("none"); ok || f.Has("none") || !f.Has("big") {
		t.Error("Has/Section disagree with the sections written")
	}
}

// TestDamageDetected: every truncation, every single flipped bit (of a
// small file), appended bytes and a foreign file are ErrFormat.
func TestDamageDetected(t *testing.T) {
	dir := t.TempDir()
	good := save(t, filepath.Join(dir, "c"), Bytes("model", []byte("some model bytes")), Bytes("p", []byte(`{"epoch":3}`)))
	bad := filepath.Join(dir, "bad")
	check := func(b []byte, what string) {
		t.Helper()
		os.WriteFile(bad, b, 0o644)
		f, err := Open(bad)
		if !errors.Is(err, ErrFormat) {
			if f != nil {
				f.Close()
			}
			t.Fatalf("%s: error %v, want ErrFormat", what, err)
		}
	}
	for n := range len(good) {
		check(good[:n], "truncated")
	}
	for i := range len(good) * 8 {
		b := bytes.Clone(good)
		b[i/8] ^= 1 << (i % 8)
		check(b, "bit flip")
	}
	check(append(bytes.Clone(good), 0), "trailing byte")
	check([]byte("FPNN and then some model bytes..."), "foreign")
}

// TestFailedSectionKeepsOld: a section writer's error leaves the previous
// checkpoint whole.
func TestFailedSectionKeepsOld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c")
	old := save(t, path, Bytes("a", []byte("old")))
	boom := errors.New("boom")
	err := Save(path, Bytes("a", []byte("new")), Section{Name: "b", Write: func(w io.Writer) error {
		w.Write([]byte("partial"))
		return boom
	}})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, old) {
		t.Fatal("a failed save changed the checkpoint")
	}
}

// TestBadSectionsPanic: duplicate and empty names are programmer errors.
func TestBadSectionsPanic(t *testing.T) {
	for _, secs := range [][]Section{
		{Bytes("a", nil), Bytes("a", nil)},
		{Bytes("", nil)},
		{{Name: "w"}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%d sections: no panic", len(secs))
				}
			}()
			Save(filepath.Join(t.TempDir(), "c"), secs...)
		}()
	}
}

// FuzzOpen: no input makes Open panic; an input it accepts round-trips
// through Save to the same bytes.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "seed")
	if err := Save(path, Bytes("model", []byte("xyz")), Bytes("p", nil)); err != nil {
		f.Fatal(err)
	}
	seed, _ := os.ReadFile(path)
	f.Add(seed)
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "in")
		os.WriteFile(p, b, 0o644)
		c, err := Open(p)
		if err != nil {
			return
		}
		defer c.Close()
		var secs []Section
		for _, n := range c.Names() {
			data, _, err := c.ReadAll(n)
			if err != nil {
				t.Fatal(err)
			}
			secs = append(secs, Bytes(n, data))
		}
		out := filepath.Join(t.TempDir(), "out")
		if err := Save(out, secs...); err != nil {
			t.Fatal(err)
		}
		if again, _ := os.ReadFile(out); !bytes.Equal(again, b) {
			t.Fatal("accepted input does not round-trip")
		}
	})
}
