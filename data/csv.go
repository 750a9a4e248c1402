package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/blas/blas32"
)

// CSVOptions describes the layout of a CSV dataset for ReadCSV. The zero
// value reads comma-separated rows "label,feature,feature,..." with no
// header, features as they are, and as many classes as the largest label
// needs.
type CSVOptions struct {
	// LabelLast puts the label in the last field instead of the first.
	LabelLast bool
	// Header skips the first row.
	Header bool
	// Comma is the field separator; 0 means ','.
	Comma rune
	// Classes, when positive, is the number of classes: every label must
	// be below it. 0 means one more than the largest label. Labels are
	// below 2^24 in any case.
	Classes int
	// Scale multiplies every feature (in float64, before rounding to
	// float32); 0 means 1. Use 1.0/255 for pixel values 0 to 255 (the
	// MNIST CSV files): the features then equal LoadIDX's exactly.
	Scale float64
	// Height and Width, when set (both), give the image shape of the
	// features: Height*Width must be their number. Downsample needs it.
	Height, Width int
}

// maxCSVClasses bounds CSV labels, so that a stray large number is an
// error rather than a dataset of billions of classes.
const maxCSVClasses = 1 << 24

// LoadCSV reads the CSV dataset at path with ReadCSV; the file may be
// gzip-compressed (detected by its magic; required when path ends in
// ".gz").
func LoadCSV(path string, opt CSVOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadCSV(f, path, opt)
}

// ReadCSV reads a dataset with one example per row: an integer label,
// first (or last, with opt.LabelLast), and the features, decimal numbers,
// in every other field. Empty lines are skipped; spaces around fields are
// ignored. Every row must have as many fields as the first; labels must be
// integers from 0 (below opt.Classes when set) and features finite numbers.
// A malformed row returns a *FormatError giving name, the line and column
// of the field at fault and what was expected and found. The input is
// gzip-decompressed when it starts with the gzip magic. ReadCSV panics if
// opt.Classes is negative or only one of opt.Height and opt.Width is set
// or either is negative.
func ReadCSV(r io.Reader, name string, opt CSVOptions) (*Dataset, error) {
	if opt.Classes < 0 {
		panic(negClasses)
	}
	if opt.Height < 0 || opt.Width < 0 || (opt.Height == 0) != (opt.Width == 0) {
		panic(badCSVShape)
	}
	src, gz, err := decompress(r, name)
	if err != nil {
		return nil, err
	}
	scale := opt.Scale
	if scale == 0 {
		scale = 1
	}
	cr := csv.NewReader(src)
	if opt.Comma != 0 {
		cr.Comma = opt.Comma
	}
	cr.FieldsPerRecord = -1 // checked here, to say more than csv would
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true

	fail := func(line, col int, err error, format string, args ...any) (*Dataset, error) {
		return nil, &FormatError{Name: name, Offset: -1, Line: line, Column: col, Msg: fmt.Sprintf(format, args...), Err: err}
	}
	// failField reports field i (0-based) of the current record.
	failField := func(line, i int, format string, args ...any) (*Dataset, error) {
		_, col := cr.FieldPos(i)
		return nil, &FormatError{Name: name, Offset: -1, Line: line, Field: i + 1, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	var (
		x          []float32
		y          []int
		nf         int // fields per row, from the first row
		firstLine  int
		top        int
		headerSeen = !opt.Header
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fail(pe.Line, pe.Column, nil, "%v", pe.Err)
			}
			return nil, &FormatError{Name: name, Offset: cr.InputOffset(), Msg: "reading" + gzipNote(gz), Err: err}
		}
		if !headerSeen {
			headerSeen = true
			continue
		}
		line, _ := cr.FieldPos(0)
		if nf == 0 {
			if len(rec) < 2 {
				return fail(line, 0, nil, "%d field, want a label and at least one feature", len(rec))
			}
			nf, firstLine = len(rec), line
		} else if len(rec) != nf {
			return fail(line, 0, nil, "%d fields, want %d as on line %d", len(rec), nf, firstLine)
		}
		li := 0
		if opt.LabelLast {
			li = nf - 1
		}
		f := strings.TrimSpace(rec[li])
		label, err := strconv.Atoi(f)
		if err != nil || label < 0 {
			return failField(line, li, "label %q, want an integer from 0", f)
		}
		if label >= maxCSVClasses {
			return failField(line, li, "label %d, want below %d", label, maxCSVClasses)
		}
		if opt.Classes > 0 && label >= opt.Classes {
			return failField(line, li, "label %d, want 0 to %d (%d classes)", label, opt.Classes-1, opt.Classes)
		}
		top = max(top, label)
		y = append(y, label)
		for i, f := range rec {
			if i == li {
				continue
			}
			f = strings.TrimSpace(f)
			v, err := strconv.ParseFloat(f, 64)
			v *= scale
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
				return failField(line, i, "feature %q, want a finite number (within float32 range after scaling)", f)
			}
			x = append(x, float32(v))
		}
	}
	n := len(y)
	if n == 0 {
		return fail(0, 0, nil, "no examples")
	}
	d := nf - 1
	if opt.Height > 0 && opt.Height*opt.Width != d {
		return fail(firstLine, 0, nil, "%d features, want %d for %dx%d images", d, opt.Height*opt.Width, opt.Height, opt.Width)
	}
	classes := opt.Classes
	if classes == 0 {
		classes = top + 1
	}
	return &Dataset{
		X:       blas32.General{Rows: n, Cols: d, Stride: d, Data: x},
		Y:       y,
		Classes: classes,
		Height:  opt.Height,
		Width:   opt.Width,
	}, nil
}
