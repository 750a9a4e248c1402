package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The studies run on the repository's 1000-image MNIST sample with tiny
// networks: the point is the plumbing, not the numbers.
const testMNIST = "../../testdata/mnist"

func TestMeasuresStudies(t *testing.T) {
	dir := t.TempDir()
	models := filepath.Join(dir, "models")
	small := []string{"-mnist", testMNIST, "-out", dir, "-epochs", "3", "-sharp-steps", "2", "-samples", "2", "-sharp-n", "50", "-test-n", "100"}

	code, out, errs := runCLI(append([]string{"experiment", "measures", "labels", "-sizes", "40,80", "-hidden", "8", "-save", models}, small...)...)
	if code != 0 {
		t.Fatalf("labels: exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"| labels-true-n40-h8 | true | 40 |", "| labels-random-n80-h8 | random | 80 |", "files in"} {
		if !strings.Contains(out, want) {
			t.Errorf("labels output lacks %q:\n%s", want, out)
		}
	}
	csv, err := os.ReadFile(filepath.Join(dir, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "model,labels,n,hidden,epochs,reached_target,train_err,test_err,gamma") {
		t.Errorf("labels.csv:\n%s", csv)
	}
	// Three epochs fit none of these training sets: every row is marked,
	// in the table (a footnote) and in the CSV.
	for _, l := range lines[1:] {
		if f := strings.Split(l, ","); f[5] != "false" || f[6] == "0" {
			t.Errorf("row not marked short of the target: %s", l)
		}
	}
	if !strings.Contains(out, "✗: training stopped at the epoch limit") {
		t.Errorf("labels output lacks the footnote on networks short of the target:\n%s", out)
	}
	// Resumed, a finished study recomputes nothing: the same table bits.
	code, _, errs = runCLI(append([]string{"experiment", "measures", "labels", "-sizes", "40,80", "-hidden", "8", "-save", models, "-resume"}, small...)...)
	if again, _ := os.ReadFile(filepath.Join(dir, "labels.csv")); code != 0 || string(again) != string(csv) || strings.Contains(errs, "start ") {
		t.Errorf("labels -resume: exit %d, stderr %q; the table changed: %v", code, errs, string(again) != string(csv))
	}
	for _, f := range []string{"labels.md", "labels.png", "models/labels-true-n40-h8.fpnn", "models/labels-random-n80-h8.fpnn"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}

	code, out, errs = runCLI(append(append([]string{"experiment", "measures", "models", "-n", "80", "-labels", "random"}, small...),
		filepath.Join(models, "labels-random-n80-h8.fpnn"), filepath.Join(models, "labels-true-n80-h8.fpnn"))...)
	if code != 0 {
		t.Fatalf("models: exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "| labels-random-n80-h8.fpnn | random | 80 | 8 | - |") {
		t.Errorf("models output:\n%s", out)
	}

	// -first measures on the first n images in file order: a different
	// training set from the seeded permutation, so other margins.
	code, outFirst, errs := runCLI(append(append([]string{"experiment", "measures", "models", "-n", "80", "-first"}, small...),
		filepath.Join(models, "labels-true-n80-h8.fpnn"))...)
	if code != 0 {
		t.Fatalf("models -first: exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(outFirst, "| labels-true-n80-h8.fpnn | true | 80 | 8 | - |") {
		t.Errorf("models -first output:\n%s", outFirst)
	}
	code, outPerm, errs := runCLI(append(append([]string{"experiment", "measures", "models", "-n", "80"}, small...),
		filepath.Join(models, "labels-true-n80-h8.fpnn"))...)
	if code != 0 {
		t.Fatalf("models: exit %d, stderr %q", code, errs)
	}
	if tableRow(outFirst, "labels-true-n80-h8.fpnn") == tableRow(outPerm, "labels-true-n80-h8.fpnn") {
		t.Errorf("-first gave the same measures as the permuted subset:\n%s", outFirst)
	}

	code, out, errs = runCLI(append([]string{"experiment", "measures", "width", "-hidden", "4,8", "-n", "60"}, small...)...)
	if code != 0 {
		t.Fatalf("width: exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "| width-true-n60-h8 | true | 60 | 8 |") {
		t.Errorf("width output:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "width.png")); err != nil {
		t.Error(err)
	}

	// A model whose input size does not match the data is an error (exit 1).
	code, _, errs = runCLI(append(append([]string{"experiment", "measures", "models", "-n", "80", "-downsample", "10"}, small...),
		filepath.Join(models, "labels-true-n40-h8.fpnn"))...)
	if code != 1 || !strings.Contains(errs, "features") {
		t.Errorf("mismatched model: exit %d, stderr %q", code, errs)
	}
	oneLine(t, errs)
}

func TestMeasuresBadCommandLines(t *testing.T) {
	for _, args := range [][]string{
		{"experiment", "measures"},
		{"experiment", "measures", "nope"},
		{"experiment", "measures", "labels", "-sizes", "10,x"},
		{"experiment", "measures", "labels", "-hidden", "0"},
		{"experiment", "measures", "labels", "-epochs", "0"},
		{"experiment", "measures", "labels", "-lr", "-1"},
		{"experiment", "measures", "labels", "-labels", "maybe"},
		{"experiment", "measures", "labels", "-delta", "1"},
		{"experiment", "measures", "labels", "-bogus"},
		{"experiment", "measures", "labels", "stray"},
		{"experiment", "measures", "width", "-downsample", "29"},
		{"experiment", "measures", "models"},
		{"experiment", "measures", "labels", "-first"},
	} {
		code, _, errs := runCLI(args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		oneLine(t, errs)
	}
	code, out, _ := runCLI("experiment", "measures", "-h")
	if code != 0 || !strings.Contains(out, "-sizes") || !strings.Contains(out, "models") {
		t.Errorf("-h: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI("experiment", "-h")
	if code != 0 || !strings.Contains(out, "measures") {
		t.Errorf("experiment -h: exit %d:\n%s", code, out)
	}
}

// tableRow returns the markdown table row of out that names model.
func tableRow(out, model string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| "+model+" |") {
			return line
		}
	}
	return ""
}

// The sharpness sweep: a row per (network, alpha) in labels_sweep.csv, the
// KL term falling as alpha grows (each sigma_i grows with alpha), the
// expected and worst-case sharpness at the largest alpha above those at
// the smallest, and the plot; a bad alpha is a usage error.
func TestMeasuresSweep(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runCLI("experiment", "measures", "labels", "-mnist", testMNIST, "-out", dir, "-sizes", "40,80", "-hidden", "8",
		"-epochs", "3", "-sharp-steps", "2", "-samples", "2", "-sharp-n", "50", "-test-n", "100", "-sweep", "0.0001,0.01,0.1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "labels_sweep.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != 1+4*3 || !strings.HasPrefix(lines[0], "model,labels,n,hidden,reached_target,alpha,kl,expected_sharpness") {
		t.Fatalf("labels_sweep.csv:\n%s", raw)
	}
	field := func(l string, i int) float64 {
		v, err := strconv.ParseFloat(strings.Split(l, ",")[i], 64)
		if err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		return v
	}
	for m := range 4 {
		first, last := lines[1+3*m], lines[3+3*m]
		if !(field(first, 6) > field(lines[2+3*m], 6) && field(lines[2+3*m], 6) > field(last, 6)) {
			t.Errorf("KL not falling with alpha: %s / %s", first, last)
		}
		if !(field(last, 7) > field(first, 7) && field(last, 9) > field(first, 9)) {
			t.Errorf("sharpness not growing with alpha: %s / %s", first, last)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "labels_sweep.png")); err != nil || st.Size() == 0 {
		t.Errorf("labels_sweep.png: %v", err)
	}
	if code, _, _ := runCLI("experiment", "measures", "labels", "-sweep", "0,1", "-out", t.TempDir()); code != 2 {
		t.Errorf("-sweep 0,1: exit %d", code)
	}
}
