package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mnistCSV writes d as "label,pixel,..." rows of bytes 0 to 255, the form
// of the MNIST CSV files; labelLast moves the label to the end.
func mnistCSV(d *Dataset, labelLast bool) []byte {
	var b bytes.Buffer
	for i := range d.Len() {
		if !labelLast {
			fmt.Fprintf(&b, "%d,", d.Y[i])
		}
		for j, v := range d.Row(i) {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, int(v*255+0.5))
		}
		if labelLast {
			fmt.Fprintf(&b, ",%d", d.Y[i])
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// TestCSVMatchesIDX writes the MNIST test subset as CSV, in every layout,
// and checks that ReadCSV gives the dataset LoadIDX gives.
func TestCSVMatchesIDX(t *testing.T) {
	_, test, err := LoadMNIST(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	opt := CSVOptions{Classes: 10, Scale: 1.0 / 255, Height: 28, Width: 28}
	for _, c := range []struct {
		name string
		in   []byte
		opt  func(*CSVOptions)
	}{
		{"label first", mnistCSV(test, false), func(*CSVOptions) {}},
		{"label last", mnistCSV(test, true), func(o *CSVOptions) { o.LabelLast = true }},
		{"header", append([]byte("label,"+strings.Repeat("px,", 783)+"px\n"), mnistCSV(test, false)...), func(o *CSVOptions) { o.Header = true }},
		{"semicolons", bytes.ReplaceAll(mnistCSV(test, false), []byte(","), []byte(";")), func(o *CSVOptions) { o.Comma = ';' }},
		{"spaces, CRLF, blank lines", bytes.ReplaceAll(bytes.ReplaceAll(mnistCSV(test, false), []byte(","), []byte(", ")), []byte("\n"), []byte("\r\n\r\n")), func(*CSVOptions) {}},
		{"gzip", gz(mnistCSV(test, false)), func(*CSVOptions) {}},
	} {
		o := opt
		c.opt(&o)
		d, err := ReadCSV(bytes.NewReader(c.in), "mnist.csv", o)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if d.Len() != 200 || d.Dim() != 784 || d.X.Stride != 784 || d.Classes != 10 || d.Height != 28 || d.Width != 28 || !slices.Equal(d.Y, test.Y) {
			t.Fatalf("%s: %d x %d, %d classes, %dx%d", c.name, d.Len(), d.Dim(), d.Classes, d.Height, d.Width)
		}
		for i, v := range d.X.Data {
			if w := test.X.Data[i]; v != w {
				t.Fatalf("%s: feature %d = %v, want %v", c.name, i, v, w)
			}
		}
	}

	// Through a file, gzip by name; features unscaled, classes inferred.
	path := filepath.Join(t.TempDir(), "m.csv.gz")
	if err := os.WriteFile(path, gz(mnistCSV(test, false)), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := LoadCSV(path, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Classes != 10 || d.Height != 0 || d.X.Data[test.Dim()*0+152] != float32(int(test.X.Data[152]*255+0.5)) {
		t.Errorf("LoadCSV: %d classes, height %d, feature %v", d.Classes, d.Height, d.X.Data[152])
	}
	if _, err := LoadCSV(filepath.Join(t.TempDir(), "none.csv"), CSVOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func gz(b []byte) []byte {
	var w bytes.Buffer
	zw := gzip.NewWriter(&w)
	zw.Write(b)
	zw.Close()
	return w.Bytes()
}

func TestCSVSmall(t *testing.T) {
	d, err := ReadCSV(strings.NewReader("2,0.5,-1e3\n0, 7 ,1e-3\n"), "s", CSVOptions{Scale: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Y, []int{2, 0}) || !slices.Equal(d.X.Data, []float32{1, -2000, 14, 0.002}) || d.Classes != 3 || d.Dim() != 2 {
		t.Errorf("got %+v", d)
	}
}

// TestCSVErrors checks that every malformed input gives the line and
// column of the field at fault and what was expected and found.
func TestCSVErrors(t *testing.T) {
	for _, c := range []struct {
		name      string
		in        string
		opt       CSVOptions
		line, col int
		want      []string
	}{
		{"empty", "", CSVOptions{}, 0, 0, []string{"data: x.csv: no examples"}},
		{"header only", "label,a,b\n", CSVOptions{Header: true}, 0, 0, []string{"no examples"}},
		{"one field", "3\n", CSVOptions{}, 1, 0, []string{"line 1: 1 field, want a label and at least one feature"}},
		{"short row", "1,2,3\n4,5,6\n7,8\n", CSVOptions{}, 3, 0, []string{"line 3: 2 fields, want 3 as on line 1"}},
		{"long row after blank", "1,2,3\n\n4,5,6,7\n", CSVOptions{}, 3, 0, []string{"4 fields, want 3 as on line 1"}},
		{"label not a number", "1,2,3\nx,5,6\n", CSVOptions{}, 2, 1, []string{"line 2, field 1 (column 1): label \"x\", want an integer from 0"}},
		{"label fraction", "1,2,3\n1.5,5,6\n", CSVOptions{}, 2, 1, []string{"label \"1.5\""}},
		{"label negative", "-1,2,3\n", CSVOptions{}, 1, 1, []string{"label \"-1\""}},
		{"label too large", "1,2,3\n10,5,6\n", CSVOptions{Classes: 10}, 2, 1, []string{"label 10, want 0 to 9 (10 classes)"}},
		{"label huge", "1,2,3\n9223372036854775807,5,6\n", CSVOptions{}, 2, 1, []string{"label 9223372036854775807, want below 16777216"}},
		{"label overflows int", "99999999999999999999,5,6\n", CSVOptions{}, 1, 1, []string{"label \"99999999999999999999\""}},
		{"label last too large", "2,3,1\n5,6,12\n", CSVOptions{Classes: 10, LabelLast: true}, 2, 5, []string{"line 2, field 3 (column 5): label 12"}},
		{"feature not a number", "1,2,3\n4,5,abc\n", CSVOptions{}, 2, 5, []string{"line 2, field 3 (column 5): feature \"abc\", want a finite number"}},
		{"feature empty", "1,2,3\n4,,6\n", CSVOptions{}, 2, 3, []string{"feature \"\""}},
		{"feature NaN", "1,2,NaN\n", CSVOptions{}, 1, 5, []string{"feature \"NaN\""}},
		{"feature Inf", "1,-Inf,2\n", CSVOptions{}, 1, 3, []string{"feature \"-Inf\""}},
		{"feature overflow", "1,2,1e39\n", CSVOptions{}, 1, 5, []string{"feature \"1e39\""}},
		{"feature overflow after scaling", "1,2,1e30\n", CSVOptions{Scale: 1e10}, 1, 5, []string{"feature \"1e30\"", "after scaling"}},
		{"feature overflow float64", "1,2,1e309\n", CSVOptions{}, 1, 5, []string{"feature \"1e309\""}},
		{"bare quote", "1,2,3\n4,5\"x,6\n", CSVOptions{}, 2, 4, []string{"bare \" in non-quoted-field"}},
		{"image shape", "1,2,3\n", CSVOptions{Height: 2, Width: 2}, 1, 0, []string{"2 features, want 4 for 2x2 images"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := ReadCSV(strings.NewReader(c.in), "x.csv", c.opt)
			if d != nil {
				t.Error("dataset returned with the error")
			}
			if c.line == 0 {
				fe := wantFormatError(t, err, "x.csv", -1, 0, 0, c.want...)
				if fe.Line != 0 || fe.Column != 0 {
					t.Errorf("line %d column %d, want none", fe.Line, fe.Column)
				}
				return
			}
			wantFormatError(t, err, "x.csv", -1, c.line, c.col, c.want...)
		})
	}

	// A corrupted gzip stream: the CRC is checked at the end.
	b := gz([]byte("1,2,3\n"))
	b[len(b)-8] ^= 1
	_, err := ReadCSV(bytes.NewReader(b), "c.csv.gz", CSVOptions{})
	if !errors.Is(err, gzip.ErrChecksum) || !strings.Contains(err.Error(), "data: c.csv.gz: ") {
		t.Errorf("bad gzip CRC: %v", err)
	}
	// I/O errors, at the start and after a row.
	boom := errors.New("boom")
	for _, in := range []string{"", "1,2,3\n", "1,2,3\n4,5"} {
		_, err = ReadCSV(&errReader{b: []byte(in), err: boom}, "io.csv", CSVOptions{})
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "data: io.csv: ") {
			t.Errorf("I/O error after %q: %v", in, err)
		}
	}
	_, err = ReadCSV(strings.NewReader("1,2\n"), "plain.gz", CSVOptions{})
	wantFormatError(t, err, "plain.gz", 0, 0, 0, "not the gzip magic")

	mustPanic(t, negClasses, func() { ReadCSV(strings.NewReader(""), "", CSVOptions{Classes: -1}) })
	mustPanic(t, badCSVShape, func() { ReadCSV(strings.NewReader(""), "", CSVOptions{Height: 2}) })
	mustPanic(t, badCSVShape, func() { ReadCSV(strings.NewReader(""), "", CSVOptions{Height: -2, Width: -2}) })
}

// FuzzReadCSV checks that ReadCSV never panics and that whatever it
// accepts is a consistent dataset.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{"1,2,3\n0,4,5\n", "label,a\n3,0.5\n", "1,\"2\",3\n", "x\n", "1,2\n3\n", "1,NaN\n"} {
		f.Add([]byte(s), false, false)
	}
	f.Fuzz(func(t *testing.T, b []byte, labelLast, header bool) {
		d, err := ReadCSV(bytes.NewReader(b), "fuzz.csv", CSVOptions{LabelLast: labelLast, Header: header})
		if err != nil {
			if d != nil || !strings.HasPrefix(err.Error(), "data: fuzz.csv: ") {
				t.Fatalf("error %v with dataset %v", err, d)
			}
			return
		}
		if d.Len() < 1 || d.Dim() < 1 || len(d.X.Data) != d.Len()*d.Dim() || len(d.Y) != d.Len() {
			t.Fatalf("inconsistent dataset %+v", d)
		}
		for _, l := range d.Y {
			if l < 0 || l >= d.Classes {
				t.Fatalf("label %d of %d classes", l, d.Classes)
			}
		}
	})
}
