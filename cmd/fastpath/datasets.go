package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/data"
	"github.com/fastpath-go/fastpath/layers"
)

// dataFlags are the data-set flags shared by train and eval.
type dataFlags struct {
	dir        string
	csvTrain   string
	csvTest    string
	csvHeader  bool
	csvLast    bool
	csvScale   string
	csvImage   string
	downsample string
	classes    int
}

func (f *dataFlags) register(fs *flag.FlagSet, train bool) {
	fs.StringVar(&f.dir, "data", "", "MNIST-form `dir`ectory of IDX files (train-images-idx3-ubyte[.gz], ...; default: $FASTPATH_MNIST, else the GoMNIST module's copy)")
	if train {
		fs.StringVar(&f.csvTrain, "csv-train", "", "train on a CSV `file` of rows label,feature,... instead of MNIST")
	}
	fs.StringVar(&f.csvTest, "csv-test", "", "test on a CSV `file` of the same form")
	fs.BoolVar(&f.csvHeader, "csv-header", false, "the CSV files start with a header row")
	fs.BoolVar(&f.csvLast, "csv-label-last", false, "the CSV label is the last field rather than the first")
	fs.StringVar(&f.csvScale, "csv-scale", "1", "multiply the CSV features by `s` (a number or a fraction: 1/255 for pixel values)")
	fs.StringVar(&f.csvImage, "csv-image", "", "the CSV features are `HxW` images (needed by -downsample)")
	fs.IntVar(&f.classes, "classes", 0, "number of `classes`: every label must be below it (default: one more than the largest label, at most 65536)")
	fs.StringVar(&f.downsample, "downsample", "", "resize the images to `HxW` by area averaging (10x10 for the thesis's small MNIST)")
}

// dataSpec is the checked form of dataFlags.
type dataSpec struct {
	f         dataFlags
	csv       bool
	csvOpt    data.CSVOptions
	downH     int
	downW     int
	needTrain bool
}

// parse checks the data flags. train says whether a training set is
// wanted (train) or only a test set (eval).
func (f dataFlags) parse(train bool) (dataSpec, error) {
	s := dataSpec{f: f, needTrain: train}
	s.csv = f.csvTrain != "" || f.csvTest != ""
	if s.csv && f.dir != "" {
		return s, fmt.Errorf("-data and -csv-* name two data sets: give one")
	}
	if train && f.csvTest != "" && f.csvTrain == "" {
		return s, fmt.Errorf("-csv-test needs -csv-train")
	}
	if f.classes < 0 || f.classes > layers.MaxFeatures {
		return s, fmt.Errorf("-classes %d outside [1, %d]", f.classes, layers.MaxFeatures)
	}
	scale, err := parseScale(f.csvScale)
	if err != nil {
		return s, err
	}
	s.csvOpt = data.CSVOptions{Header: f.csvHeader, LabelLast: f.csvLast, Scale: scale}
	if f.csvImage != "" {
		if s.csvOpt.Height, s.csvOpt.Width, err = parseHW("-csv-image", f.csvImage); err != nil {
			return s, err
		}
	}
	if !s.csv && (f.csvHeader || f.csvLast || f.csvScale != "1" || f.csvImage != "") {
		return s, fmt.Errorf("the -csv-header, -csv-label-last, -csv-scale and -csv-image flags need a CSV data set")
	}
	if f.downsample != "" {
		if s.downH, s.downW, err = parseHW("-downsample", f.downsample); err != nil {
			return s, err
		}
		if s.csv && f.csvImage == "" {
			return s, fmt.Errorf("-downsample of CSV data needs -csv-image HxW")
		}
	}
	return s, nil
}

// parseHW parses "HxW" with positive sizes.
func parseHW(flagName, v string) (h, w int, err error) {
	a, b, ok := strings.Cut(strings.ToLower(v), "x")
	if ok {
		h, err = strconv.Atoi(a)
		if err == nil {
			w, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || h < 1 || w < 1 || h > 1<<12 || w > 1<<12 {
		return 0, 0, fmt.Errorf("bad %s %q (want HxW, such as 10x10)", flagName, v)
	}
	return h, w, nil
}

// parseScale parses a positive number or fraction "a/b".
func parseScale(v string) (float64, error) {
	num, den, frac := strings.Cut(v, "/")
	x, err := strconv.ParseFloat(num, 64)
	y := 1.0
	if err == nil && frac {
		y, err = strconv.ParseFloat(den, 64)
	}
	s := x / y
	if err != nil || !(s > 0) || s > 1e300 {
		return 0, fmt.Errorf("bad -csv-scale %q (want a positive number or fraction, such as 1/255)", v)
	}
	return s, nil
}

// loaded is a data set read from disk: a training set (nil for eval), a
// test set (nil when a CSV run has none) and a description for the
// output.
type loaded struct {
	train, test *data.Dataset
	source      string
}

// load reads the data sets. Errors are bad or missing files (exit status
// 1).
func (s dataSpec) load() (loaded, error) {
	var l loaded
	var err error
	if s.csv {
		if s.needTrain {
			if l.train, err = data.LoadCSV(s.f.csvTrain, s.csvOpt); err != nil {
				return l, err
			}
			l.source = "CSV " + s.f.csvTrain
		}
		if s.f.csvTest != "" {
			if l.test, err = data.LoadCSV(s.f.csvTest, s.csvOpt); err != nil {
				return l, err
			}
			if l.source != "" {
				l.source += ", "
			}
			l.source += "CSV " + s.f.csvTest
		}
	} else {
		dir := s.f.dir
		if dir == "" {
			if dir, err = data.MNISTDir(); err != nil {
				return l, err
			}
		}
		if s.needTrain {
			l.train, l.test, err = data.LoadMNIST(dir)
		} else {
			l.test, err = loadMNISTTest(dir)
		}
		if err != nil {
			return l, err
		}
		l.source = "MNIST-form IDX in " + dir
	}
	if s.downH > 0 {
		for _, d := range []**data.Dataset{&l.train, &l.test} {
			if *d != nil {
				*d = (*d).Downsample(s.downH, s.downW)
			}
		}
		l.source += fmt.Sprintf(", downsampled to %dx%d", s.downH, s.downW)
	}
	if l.train != nil && l.test != nil && l.train.Dim() != l.test.Dim() {
		return l, fmt.Errorf("the training set has %d features, the test set %d", l.train.Dim(), l.test.Dim())
	}
	return l, s.checkClasses(l)
}

// checkClasses applies -classes to the loaded sets (every label below it)
// or, without it, refuses a label so large that it is more likely a stray
// number than a class.
func (s dataSpec) checkClasses(l loaded) error {
	sets := []struct {
		d    *data.Dataset
		name string
	}{{l.train, "training"}, {l.test, "test"}}
	for _, set := range sets {
		d := set.d
		if d == nil {
			continue
		}
		if s.f.classes > 0 {
			for i, y := range d.Y {
				if y >= s.f.classes {
					return fmt.Errorf("%s example %d has label %d, outside -classes %d", set.name, i, y, s.f.classes)
				}
			}
			d.Classes = s.f.classes
		} else if d.Classes > maxClassesWithoutFlag {
			return fmt.Errorf("the %s set's largest label is %d, which makes %d classes: pass -classes if that is meant", set.name, d.Classes-1, d.Classes)
		}
	}
	return nil
}

// emptyClasses lists the classes without a training example.
func emptyClasses(d *data.Dataset, classes int) []int {
	seen := make([]bool, classes)
	for _, y := range d.Y {
		if y < classes {
			seen[y] = true
		}
	}
	var empty []int
	for c, ok := range seen {
		if !ok {
			empty = append(empty, c)
		}
	}
	return empty
}

// classes is the number of classes of the loaded sets (the larger count,
// since a test set may lack the top label).
func (l loaded) classes() int {
	c := 0
	for _, d := range []*data.Dataset{l.train, l.test} {
		if d != nil {
			c = max(c, d.Classes)
		}
	}
	return c
}

// loadMNISTTest reads only the test files of an MNIST-form directory
// (named as data.LoadMNIST expects, with or without ".gz").
func loadMNISTTest(dir string) (*data.Dataset, error) {
	var paths [2]string
	for i, name := range []string{data.MNISTTestImages, data.MNISTTestLabels} {
		paths[i] = filepath.Join(dir, name+".gz")
		if _, err := os.Stat(paths[i]); err != nil {
			paths[i] = filepath.Join(dir, name)
		}
	}
	return data.LoadIDX(paths[0], paths[1], 10)
}
