package data

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadMNISTFixtures(t *testing.T) {
	train, test, err := LoadMNIST(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		d      *Dataset
		n      int
		labels []int
		file   string
	}{
		// The first labels of MNIST's training and test sets.
		{"train", train, 1000, []int{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, MNISTTrainImages},
		{"test", test, 200, []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, MNISTTestImages},
	} {
		d := c.d
		if d.Len() != c.n || d.Dim() != 784 || d.X.Stride != 784 || len(d.X.Data) != c.n*784 || len(d.Y) != c.n ||
			d.Height != 28 || d.Width != 28 || d.Classes != 10 {
			t.Fatalf("%s: %d x %d (stride %d, %d values), %d labels, %dx%d, %d classes",
				c.name, d.Len(), d.Dim(), d.X.Stride, len(d.X.Data), len(d.Y), d.Height, d.Width, d.Classes)
		}
		if !slices.Equal(d.Y[:10], c.labels) {
			t.Errorf("%s: first labels %v, want %v", c.name, d.Y[:10], c.labels)
		}
		seen := make([]int, 10)
		for _, l := range d.Y {
			seen[l]++
		}
		if slices.Contains(seen, 0) {
			t.Errorf("%s: class counts %v", c.name, seen)
		}
		// Pixels are the bytes over 255.
		raw, err := ReadIDXFile(filepath.Join(fixtures, c.file+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		var ones, zeros int
		for i, b := range raw.Data {
			v := d.X.Data[i]
			if v != float32(float64(b)/255) || v < 0 || v > 1 {
				t.Fatalf("%s: pixel %d = %v, byte %d", c.name, i, v, b)
			}
			if b == 255 {
				ones++
			}
			if b == 0 {
				zeros++
			}
		}
		if ones == 0 || zeros == 0 {
			t.Errorf("%s: %d pixels of 255, %d of 0", c.name, ones, zeros)
		}
	}
	if pixelScale[255] != 1 || pixelScale[0] != 0 || pixelScale[51] != 0.2 {
		t.Errorf("pixel scale: %v %v %v", pixelScale[0], pixelScale[51], pixelScale[255])
	}
}

func TestLoadIDX(t *testing.T) {
	dir := t.TempDir()
	img := randomIDX(1, 3, 2, 2)
	lab := &IDX{Dims: []int{3}, Data: []byte{1, 0, 4}}
	ip, lp := filepath.Join(dir, "img"), filepath.Join(dir, "lab.gz")
	if err := WriteIDXFile(ip, img); err != nil {
		t.Fatal(err)
	}
	if err := WriteIDXFile(lp, lab); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ classes, want int }{{0, 5}, {5, 5}, {7, 7}} {
		d, err := LoadIDX(ip, lp, c.classes)
		if err != nil {
			t.Fatal(err)
		}
		if d.Classes != c.want || !slices.Equal(d.Y, []int{1, 0, 4}) || d.Height != 2 || d.Width != 2 || d.Len() != 3 || d.Dim() != 4 {
			t.Errorf("classes %d: got %+v", c.classes, d)
		}
		for i, b := range img.Data {
			if d.X.Data[i] != pixelScale[b] {
				t.Fatalf("pixel %d: %v, want %v", i, d.X.Data[i], pixelScale[b])
			}
		}
	}
	mustPanic(t, negClasses, func() { LoadIDX(ip, lp, -1) })
	mustPanic(t, negClasses, func() { FromIDX(img, "", lab, "", -1) })
}

// TestLoadIDXErrors checks every dataset-level validation: the file at
// fault, the offset, expected and found.
func TestLoadIDXErrors(t *testing.T) {
	dir := t.TempDir()
	img := randomIDX(1, 3, 2, 2)
	lab := &IDX{Dims: []int{3}, Data: []byte{1, 0, 2}}
	for _, c := range []struct {
		name     string
		img, lab *IDX
		classes  int
		badLabel bool // the error is about the label file
		off      int64
		want     []string
	}{
		{"images 2-D", randomIDX(2, 3, 4), lab, 10, false, 0, []string{"magic number 0x00000802 (2 dimensions), want 0x00000803 for images"}},
		{"images are labels", lab, lab, 10, false, 0, []string{"magic number 0x00000801 (1 dimensions), want 0x00000803"}},
		{"labels are images", img, img, 10, true, 0, []string{"magic number 0x00000803 (3 dimensions), want 0x00000801 for labels"}},
		{"labels 2-D", img, &IDX{Dims: []int{3, 1}, Data: []byte{1, 0, 2}}, 10, true, 0, []string{"0x00000802"}},
		{"no images", &IDX{Dims: []int{0, 2, 2}}, &IDX{Dims: []int{0}}, 10, false, 4, []string{"image count 0, want at least one"}},
		{"empty images", &IDX{Dims: []int{3, 0, 2}}, lab, 10, false, 8, []string{"image size 0x2"}},
		{"fewer labels", img, &IDX{Dims: []int{2}, Data: []byte{1, 0}}, 10, true, 4, []string{"label count 2, want 3, the image count of ", "/images"}},
		{"more labels", img, &IDX{Dims: []int{4}, Data: []byte{1, 0, 1, 1}}, 10, true, 4, []string{"label count 4, want 3"}},
		{"label out of range", img, &IDX{Dims: []int{3}, Data: []byte{1, 9, 0}}, 5, true, 9, []string{"label 9 of example 1, want 0 to 4 (5 classes)"}},
		{"label 10 of MNIST", img, &IDX{Dims: []int{3}, Data: []byte{1, 2, 10}}, 10, true, 10, []string{"label 10 of example 2, want 0 to 9 (10 classes)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ip, lp := filepath.Join(dir, "images"), filepath.Join(dir, "labels.gz")
			if err := WriteIDXFile(ip, c.img); err != nil {
				t.Fatal(err)
			}
			if err := WriteIDXFile(lp, c.lab); err != nil {
				t.Fatal(err)
			}
			d, err := LoadIDX(ip, lp, c.classes)
			if d != nil {
				t.Error("dataset returned with the error")
			}
			name := ip
			if c.badLabel {
				name = lp
			}
			wantFormatError(t, err, name, c.off, 0, 0, c.want...)
		})
	}
	// The committed fixture: MNIST test labels with a 10 at index 7.
	const bad = "../testdata/corrupt/badlabel-labels-idx1-ubyte"
	_, err := LoadIDX(filepath.Join(fixtures, MNISTTestImages+".gz"), bad, 10)
	wantFormatError(t, err, bad, 15, 0, 0, "label 10 of example 7, want 0 to 9")
	// A file error stops LoadIDX before the other file is read.
	_, err = LoadIDX(filepath.Join(dir, "missing"), bad, 10)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing images: %v", err)
	}
	_, err = LoadIDX(filepath.Join(fixtures, MNISTTestImages+".gz"), filepath.Join(dir, "missing"), 10)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing labels: %v", err)
	}
}

// TestLoadMNISTFiles checks LoadMNIST's file lookup: plain names when no
// .gz exists, and an error naming the directory and the file otherwise.
func TestLoadMNISTFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{MNISTTrainImages, MNISTTrainLabels, MNISTTestImages, MNISTTestLabels} {
		m, err := ReadIDXFile(filepath.Join(fixtures, name+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteIDXFile(filepath.Join(dir, name), m.Head(50)); err != nil {
			t.Fatal(err)
		}
	}
	train, test, err := LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 50 || test.Len() != 50 || train.Y[0] != 5 || test.Y[0] != 7 {
		t.Errorf("plain files: %d and %d examples, first labels %d and %d", train.Len(), test.Len(), train.Y[0], test.Y[0])
	}
	if err := os.Remove(filepath.Join(dir, MNISTTestLabels)); err != nil {
		t.Fatal(err)
	}
	_, _, err = LoadMNIST(dir)
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "neither t10k-labels-idx1-ubyte.gz nor t10k-labels-idx1-ubyte found") {
		t.Errorf("missing labels: %v", err)
	}
	// A corrupt file makes LoadMNIST fail with the reader's error.
	if err := os.WriteFile(filepath.Join(dir, MNISTTestLabels), []byte{0, 0, 8, 1, 0, 0, 0, 50}, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = LoadMNIST(dir)
	wantFormatError(t, err, filepath.Join(dir, MNISTTestLabels), 8, 0, 0, "truncated data")
}

func TestMNISTDirEnv(t *testing.T) {
	t.Setenv(MNISTEnv, fixtures)
	dir, err := MNISTDir()
	if err != nil || dir != fixtures {
		t.Fatalf("MNISTDir() = %q, %v with $%s=%s", dir, err, MNISTEnv, fixtures)
	}
	train, _, err := LoadMNIST("")
	if err != nil || train.Len() != 1000 {
		t.Fatalf("LoadMNIST(\"\") with $%s set: %v", MNISTEnv, err)
	}
}

func TestMNISTDirNoGo(t *testing.T) {
	t.Setenv(MNISTEnv, "")
	t.Setenv("PATH", t.TempDir())
	_, err := MNISTDir()
	if err == nil || !strings.Contains(err.Error(), "go command is not found") || !strings.Contains(err.Error(), MNISTEnv) {
		t.Errorf("no go command: %v", err)
	}
	_, _, err = LoadMNIST("")
	if err == nil {
		t.Error("LoadMNIST without a directory or go: no error")
	}
}

// realMNIST returns the directory of the real MNIST files, skipping the
// test under -short or when they are not available.
func realMNIST(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the real MNIST is not read under -short")
	}
	dir, err := MNISTDir()
	if err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, MNISTTrainImages+".gz")); err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	return dir
}

func TestRealMNIST(t *testing.T) {
	dir := realMNIST(t)
	train, test, err := LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		d    *Dataset
		n    int
	}{{"train", train, 60000}, {"test", test, 10000}} {
		d := c.d
		if d.Len() != c.n || len(d.Y) != c.n || d.Dim() != 784 || d.Height != 28 || d.Width != 28 || d.Classes != 10 {
			t.Errorf("%s: %d examples of %d (%dx%d), %d labels, %d classes", c.name, d.Len(), d.Dim(), d.Height, d.Width, len(d.Y), d.Classes)
		}
		counts := make([]int, 10)
		for i, l := range d.Y {
			if l < 0 || l > 9 {
				t.Fatalf("%s: label %d of example %d", c.name, l, i)
			}
			counts[l]++
		}
		for l, n := range counts {
			// Every MNIST class holds 9-11% of each set.
			if n < c.n*8/100 || n > c.n*12/100 {
				t.Errorf("%s: %d examples of class %d", c.name, n, l)
			}
		}
	}
	tr, val := train.Split(10000)
	if tr.Len() != 50000 || val.Len() != 10000 {
		t.Errorf("split: %d and %d", tr.Len(), val.Len())
	}
	small := train.Downsample(10, 10)
	if small.Len() != 60000 || small.Dim() != 100 {
		t.Errorf("downsampled: %d x %d", small.Len(), small.Dim())
	}
}

// TestFixturesCurrent checks that testdata/mnist holds the first images and
// labels of the real MNIST files, as data/_gen writes them.
func TestFixturesCurrent(t *testing.T) {
	dir := realMNIST(t)
	for _, name := range []string{MNISTTrainImages, MNISTTrainLabels, MNISTTestImages, MNISTTestLabels} {
		sub, err := ReadIDXFile(filepath.Join(fixtures, name+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		full, err := ReadIDXFile(filepath.Join(dir, name+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		want := full.Head(sub.Dims[0])
		if !slices.Equal(sub.Dims, want.Dims) || !bytes.Equal(sub.Data, want.Data) {
			t.Errorf("%s: testdata differs from the head of MNIST; run go run ./data/_gen from the repository root", name)
		}
	}
}
