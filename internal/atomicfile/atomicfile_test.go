package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// TestWriteFailureKeepsOld: a failed write leaves the previous contents and
// no temporary file, and the error names the target, not the temporary.
func TestWriteFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := Write(path, writeString("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error { io.WriteString(w, "half"); return boom })
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), tmpMarker) {
		t.Fatalf("error %v: want one wrapping boom, naming %s and no temporary file", err, path)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("contents %q after a failed write, want old", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("%d entries after a failed write, want 1", len(ents))
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644", st.Mode(), err)
	}
}

// TestStaleTemporariesRemoved: temporary files a crashed writer left are
// removed by the next write of the same path, and only those.
func TestStaleTemporariesRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.fpnn")
	stale := filepath.Join(dir, ".m.fpnn"+tmpMarker+"12345")
	other := filepath.Join(dir, ".other"+tmpMarker+"1")
	os.WriteFile(stale, []byte("x"), 0o644)
	os.WriteFile(other, []byte("x"), 0o644)
	if err := Write(path, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary still there (%v)", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another file's temporary was removed: %v", err)
	}
}

// TestSymlinkWrittenThrough: a link at the path stays a link, and the file
// it points to (even one that does not exist yet) gets the contents.
func TestSymlinkWrittenThrough(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	real := filepath.Join(sub, "real")
	link := filepath.Join(dir, "link")
	if err := os.Symlink("sub/real", link); err != nil {
		t.Skip("no symlinks:", err)
	}
	for _, s := range []string{"one", "two"} { // dangling, then existing
		if err := Write(link, writeString(s)); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("the link was replaced (%v)", err)
		}
		if b, _ := os.ReadFile(real); string(b) != s {
			t.Fatalf("target holds %q, want %q", b, s)
		}
	}
}

// TestRefusesNonRegular: a directory or a device at the path is refused
// before anything is written.
func TestRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	called := false
	w := func(io.Writer) error { called = true; return nil }
	if err := Write(dir, w); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := os.Stat("/dev/null"); err == nil {
		if err := Write("/dev/null", w); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("/dev/null: %v", err)
		}
	}
	if err := Write(filepath.Join(dir, "missing", "f"), w); err == nil {
		t.Error("missing directory: no error")
	}
	if called {
		t.Error("the writer ran for a refused path")
	}
}
