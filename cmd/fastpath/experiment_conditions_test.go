package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The conditions experiment on the repository's MNIST subset with a small
// network: both stages in the table, every (stage, example, triple) in the
// C1 file with 1/mu >= 1, a flip fraction per stage, sigma and layer (and
// the total), a C3 ratio per stage and hidden unit, and the plot.
func TestExperimentConditions(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("experiment", "conditions", "-mnist", "../../testdata/mnist", "-depth", "3", "-width", "12",
		"-epochs", "2", "-examples", "5", "-sigmas", "0.01,0.1", "-draws", "2", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"| init | 0 |", "| trained | 2 |", "C2, fraction"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	// 4 weight layers: sum over pairs a < b of (b - a) = 4*1 + 3*2 + 2*3 + 1*4 = 20 triples.
	mu := read("conditions_mu.csv")
	if len(mu) != 1+2*5*20 {
		t.Errorf("%d C1 rows, want %d", len(mu)-1, 2*5*20)
	}
	for _, row := range mu[1:] {
		v, err := strconv.ParseFloat(row[6], 64)
		if err != nil || !(v >= 0.99 || math.IsNaN(v)) {
			t.Fatalf("1/mu %q below 1: %v", row[6], row)
		}
	}
	if flips := read("conditions_flips.csv"); len(flips) != 1+2*2*(3+1) {
		t.Errorf("%d C2 rows, want %d", len(flips)-1, 2*2*4)
	}
	if c3 := read("conditions_c3.csv"); len(c3) != 1+2*3*12 {
		t.Errorf("%d C3 rows, want %d", len(c3)-1, 2*3*12)
	}
	if st, err := os.Stat(filepath.Join(dir, "conditions.png")); err != nil || st.Size() == 0 {
		t.Errorf("conditions.png: %v", err)
	}
	if code, _, _ := runCLI("experiment", "conditions", "-sigmas", "-1", "-out", t.TempDir()); code != 2 {
		t.Errorf("-sigmas -1: exit %d", code)
	}
}
