package main

import (
	"errors"
	"flag"

	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/experiment"
)

var errCSVFlags = errors.New("the -csv-header, -csv-label-last and -csv-scale flags need -csv-train and -csv-test")

// sourceFlags are the data-set flags of the optimization studies (pathsgd
// compare, ddp): an MNIST-form directory, or CSV files.
type sourceFlags struct {
	mnist, csvTrain, csvTest, csvScale string
	csvHeader, csvLast                 bool
}

func (f *sourceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.mnist, "mnist", "", "`directory` of MNIST-form IDX files (default: the GoMNIST module or $FASTPATH_MNIST)")
	fs.StringVar(&f.csvTrain, "csv-train", "", "run on a CSV `file` of rows label,feature,... instead of MNIST (CIFAR-10, CIFAR-100, SVHN exported so); needs -csv-test")
	fs.StringVar(&f.csvTest, "csv-test", "", "the test set of -csv-train, a CSV `file` of the same form")
	fs.BoolVar(&f.csvHeader, "csv-header", false, "the CSV files start with a header row")
	fs.BoolVar(&f.csvLast, "csv-label-last", false, "the CSV label is the last field rather than the first")
	fs.StringVar(&f.csvScale, "csv-scale", "1", "multiply the CSV features by `s` (a number or a fraction: 1/255 for pixel values)")
}

// source checks the flags and returns the data source.
func (f *sourceFlags) source() (experiment.Source, error) {
	s := experiment.Source{MNIST: f.mnist, CSVTrain: f.csvTrain, CSVTest: f.csvTest}
	scale, err := parseScale(f.csvScale)
	if err != nil {
		return s, err
	}
	if f.csvTrain != "" || f.csvTest != "" {
		s.CSV = &data.CSVOptions{Header: f.csvHeader, LabelLast: f.csvLast, Scale: scale}
	} else if f.csvHeader || f.csvLast || f.csvScale != "1" {
		return s, errCSVFlags
	}
	return s, nil
}
