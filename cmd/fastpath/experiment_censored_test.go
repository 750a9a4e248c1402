package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The censored experiment on the repository's MNIST subset: every regime,
// width and repetition is in the runs file, the summary has one row per
// regime and width with the repetitions counted, and the plot is written.
func TestExperimentCensored(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("experiment", "censored", "-mnist", "../../testdata/mnist", "-train", "150", "-val", "100", "-test", "100",
		"-widths", "4,16", "-reps", "2", "-epochs", "3", "-teacher-epochs", "2", "-decays", "0.001,0.01", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"| original | 4 |", "| original+wd | 16 |", "| censored | 4 |", "| noisy | 16 |", "teacher H0=4"} {
		if !strings.Contains(out+errs, want) {
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
	// 2 widths x 2 repetitions x (3 regimes + 2 decay trials).
	if runs := read("censored_runs.csv"); len(runs) != 1+2*2*5 {
		t.Errorf("%d run rows, want 20", len(runs)-1)
	}
	sum := read("censored.csv")
	if len(sum) != 1+4*2 {
		t.Fatalf("%d summary rows, want 8", len(sum)-1)
	}
	for _, row := range sum[1:] {
		if row[2] != "2" {
			t.Errorf("%v: %s repetitions, want 2", row[:2], row[2])
		}
		if row[0] == "original+wd" && len(strings.Fields(row[12])) != 2 {
			t.Errorf("%v: chosen decays %q", row[:2], row[12])
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "censored.png")); err != nil || st.Size() == 0 {
		t.Errorf("censored.png: %v", err)
	}
	if code, _, _ := runCLI("experiment", "censored", "-noise", "1.5", "-out", t.TempDir()); code != 2 {
		t.Errorf("-noise 1.5: exit %d", code)
	}
}
