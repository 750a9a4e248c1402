// Command _gen writes fastpath's MNIST test fixtures under testdata/ from
// the real MNIST files: the first 1000 training and the first 200 test
// images with their labels, as gzip-compressed IDX files under
// testdata/mnist (the MNIST names, so data.LoadMNIST reads the directory),
// and two broken files under testdata/corrupt for the error tests.
//
// Run it from the repository root:
//
//	go run ./data/_gen            # MNIST located as data.LoadMNIST does
//	go run ./data/_gen -data DIR  # MNIST files in DIR
//
// The output depends on the MNIST files and Go's compress/flate only;
// data's TestFixturesCurrent checks the decoded contents against MNIST
// when it is available.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/fastpath-go/fastpath/data"
)

// Sizes of the subset.
const (
	nTrain = 1000
	nTest  = 200
)

func main() {
	dir := flag.String("data", "", "directory of the MNIST IDX files (default: $"+data.MNISTEnv+" or the module "+data.MNISTModule+")")
	out := flag.String("out", "testdata", "output directory")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "_gen:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	if dir == "" {
		var err error
		if dir, err = data.MNISTDir(); err != nil {
			return err
		}
	}
	sub := filepath.Join(out, "mnist")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		n    int
	}{
		{data.MNISTTrainImages, nTrain},
		{data.MNISTTrainLabels, nTrain},
		{data.MNISTTestImages, nTest},
		{data.MNISTTestLabels, nTest},
	} {
		m, err := data.ReadIDXFile(filepath.Join(dir, f.name+".gz"))
		if err != nil {
			return err
		}
		m = m.Head(f.n)
		if err := data.WriteIDXFile(filepath.Join(sub, f.name+".gz"), m); err != nil {
			return err
		}
	}

	// Broken files: the gzip test images cut in the middle of the
	// compressed stream, and plain test labels with a label 10.
	bad := filepath.Join(out, "corrupt")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		return err
	}
	gz, err := os.ReadFile(filepath.Join(sub, data.MNISTTestImages+".gz"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bad, "truncated-images-idx3-ubyte.gz"), gz[:len(gz)/2], 0o644); err != nil {
		return err
	}
	labels, err := data.ReadIDXFile(filepath.Join(sub, data.MNISTTestLabels+".gz"))
	if err != nil {
		return err
	}
	labels.Data[7] = 10
	return data.WriteIDXFile(filepath.Join(bad, "badlabel-labels-idx1-ubyte"), labels)
}
