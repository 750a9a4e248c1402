package tasks

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSplitFiles: every document lands whole in exactly one part, the part
// its path's FNV-1a hash names (checked with an independent hash call),
// the parts keep the documents' order, about 90/5/5 of many files, the
// split depends on nothing but the paths, and a split leaving a part empty
// is an error.
func TestSplitFiles(t *testing.T) {
	var docs []Document
	for i := range 400 {
		docs = append(docs, Document{Path: fmt.Sprintf("pkg%d/file%d.go", i%17, i), Text: []byte(fmt.Sprintf("<%d>", i))})
	}
	c, err := SplitFiles("t", docs)
	if err != nil {
		t.Fatal(err)
	}
	var want [3][]byte // test, validation, train
	for _, d := range docs {
		h := fnv.New32a()
		h.Write([]byte(d.Path))
		part := min(h.Sum32()%20, 2)
		want[part] = append(want[part], d.Text...)
	}
	if !bytes.Equal(c.Test, want[0]) || !bytes.Equal(c.Val, want[1]) || !bytes.Equal(c.Train, want[2]) {
		t.Fatal("parts differ from the hash assignment")
	}
	nVal, nTest := bytes.Count(c.Val, []byte("<")), bytes.Count(c.Test, []byte("<"))
	if nVal < 8 || nVal > 40 || nTest < 8 || nTest > 40 {
		t.Fatalf("validation %d and test %d files of 400, want about 20 each", nVal, nTest)
	}
	total := 0
	for _, d := range docs {
		total += len(d.Text)
	}
	if c.Len() != total {
		t.Fatalf("Len %d, want %d", c.Len(), total)
	}
	if !strings.HasPrefix(c.Split, "by file: ") {
		t.Errorf("Split = %q", c.Split)
	}
	if _, err := SplitFiles("t", docs[:2]); err == nil {
		t.Error("two files split without an empty part error")
	}
}

// TestGoSources: the files under src in lexical order, testdata and vendor
// directories and non-Go files left out, whole files only within maxBytes.
func TestGoSources(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, "src", rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 100 {
		write(fmt.Sprintf("p%03d/a.go", i), fmt.Sprintf("package p%03d\n", i))
	}
	write("p000/testdata/x.go", "TESTDATA")
	write("p001/vendor/y.go", "VENDOR")
	write("p002/notes.txt", "TEXT")
	c, err := GoSources(root, 0)
	if err != nil {
		t.Fatal(err)
	}
	all := string(c.Train) + string(c.Val) + string(c.Test)
	for _, bad := range []string{"TESTDATA", "VENDOR", "TEXT"} {
		if strings.Contains(all, bad) {
			t.Errorf("%s read", bad)
		}
	}
	if c.Len() != 100*len("package p000\n") {
		t.Fatalf("read %d bytes, want %d", c.Len(), 100*len("package p000\n"))
	}
	// maxBytes stops before the file that would exceed it.
	c, err = GoSources(root, 60*len("package p000\n")+5)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 60*len("package p000\n") {
		t.Fatalf("with a limit: read %d bytes, want %d", c.Len(), 60*len("package p000\n"))
	}
	if _, err := GoSources(filepath.Join(root, "missing"), 0); err == nil {
		t.Error("a missing tree read without error")
	}
}
