package experiment

import (
	"fmt"
	"path/filepath"

	"github.com/fastpath-go/fastpath/data"
)

// Source is where a study's data comes from: MNIST-form IDX files in a
// directory (MNIST itself, or any data set written in that form), or a pair
// of CSV files of rows "label,feature,..." (CIFAR-10, CIFAR-100 or SVHN
// exported that way: no registry reachable from the development machines
// ships them, so the studies take them from files).
type Source struct {
	// MNIST is a directory of MNIST-form IDX files ("" for the default of
	// data.MNISTDir).
	MNIST string `json:"-"`
	// CSVTrain and CSVTest, when set (both), replace MNIST: they are read
	// with data.LoadCSV and CSV's options (nil: the zero options).
	CSVTrain string           `json:"-"`
	CSVTest  string           `json:"-"`
	CSV      *data.CSVOptions `json:",omitempty"`
}

// Name describes the source for tables: "MNIST" or the CSV file's name.
func (s Source) Name() string {
	if s.CSVTrain != "" {
		return filepath.Base(s.CSVTrain)
	}
	return "MNIST"
}

// check reports an incomplete CSV source.
func (s Source) check() error {
	if (s.CSVTrain == "") != (s.CSVTest == "") {
		return fmt.Errorf("a CSV source needs both a training and a test file")
	}
	if s.CSVTrain != "" && s.MNIST != "" {
		return fmt.Errorf("an MNIST directory and CSV files name two data sets: give one")
	}
	return nil
}

// Load reads the training and test sets.
func (s Source) Load() (train, test *data.Dataset, err error) {
	if err := s.check(); err != nil {
		return nil, nil, err
	}
	if s.CSVTrain != "" {
		var opt data.CSVOptions
		if s.CSV != nil {
			opt = *s.CSV
		}
		if train, err = data.LoadCSV(s.CSVTrain, opt); err != nil {
			return nil, nil, err
		}
		if test, err = data.LoadCSV(s.CSVTest, opt); err != nil {
			return nil, nil, err
		}
		if train.Dim() != test.Dim() {
			return nil, nil, fmt.Errorf("%s has %d features, %s %d", s.CSVTrain, train.Dim(), s.CSVTest, test.Dim())
		}
		c := max(train.Classes, test.Classes)
		train.Classes, test.Classes = c, c
		return train, test, nil
	}
	dir := s.MNIST
	if dir == "" {
		if dir, err = data.MNISTDir(); err != nil {
			return nil, nil, err
		}
	}
	return data.LoadMNIST(dir)
}
