package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The pathsgd experiment on the repository's MNIST subset: tiny networks,
// one or two epochs, every output file written.
func TestExperimentPathSGDCompare(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("experiment", "pathsgd", "-mnist", "../../testdata/mnist", "-val", "200", "-hidden", "16",
		"-epochs", "2", "-grid", "0.1,0.01", "-grid-train", "300", "-train", "400", "-test", "100", "-dropouts", "0,0.5", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"| 0 | balanced | pathsgd |", "| 0.5 | unbalanced | sgd |", "step sizes chosen on the validation split"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, name := range []string{"grid.csv", "curves.csv", "results.md", "train_loss_dropout0.png", "test_error_dropout05.png"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	curves, err := os.ReadFile(filepath.Join(dir, "curves.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Path-SGD's curves from the balanced and the unbalanced start coincide
	// (the same function, the rescaled trajectory).
	bal, unb := psCurve(string(curves), "balanced"), psCurve(string(curves), "unbalanced")
	if len(bal) != 2 || len(bal) != len(unb) {
		t.Fatalf("curves: %v, %v", bal, unb)
	}
	for i := range bal {
		if bal[i] != unb[i] {
			t.Errorf("epoch %d: Path-SGD training loss %s (balanced) vs %s (unbalanced)", i+1, bal[i], unb[i])
		}
	}
}

// psCurve returns the 6-digit training losses of Path-SGD without
// dropout from curves.csv.
func psCurve(csv, init string) []string {
	var out []string
	for _, line := range strings.Split(csv, "\n") {
		f := strings.Split(line, ",")
		if len(f) > 5 && f[0] == init && f[1] == "0" && f[2] == "pathsgd" {
			out = append(out, f[5])
		}
	}
	return out
}

func TestExperimentPathSGDWidth(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("experiment", "pathsgd", "-mode", "width", "-mnist", "../../testdata/mnist", "-val", "200",
		"-widths", "4,16", "-epochs", "2", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "| 16 |") {
		t.Errorf("table lacks H = 16:\n%s", out)
	}
	for _, name := range []string{"width.csv", "width.md", "width.png"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestExperimentPathSGDFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-mode", "nope"},
		{"-opts", "sgd,lbfgs"},
		{"-inits", "random"},
		{"-dropouts", "1"},
		{"-lr", "sgd"},
		{"-epochs", "0"},
		{"-mode", "width", "-widths", "0"},
		{"extra"},
	} {
		code, _, errs := runCLI(append([]string{"experiment", "pathsgd"}, args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
		oneLine(t, errs)
	}
	code, out, _ := runCLI("experiment", "pathsgd", "-h")
	if code != 0 || !strings.Contains(out, "-hidden") || !strings.Contains(out, "-widths") {
		t.Errorf("-h: exit %d:\n%s", code, out)
	}
}

// TestExperimentPathSGDResume: a finished study is not overwritten without
// -resume; with it every cell is skipped and the curves are the same;
// other settings are refused.
func TestExperimentPathSGDResume(t *testing.T) {
	dir := t.TempDir()
	args := []string{"experiment", "pathsgd", "-mnist", "../../testdata/mnist", "-val", "200", "-hidden", "8",
		"-epochs", "2", "-grid", "1e6,0.1", "-grid-train", "200", "-train", "300", "-test", "100", "-dropouts", "0", "-opts", "sgd,pathsgd", "-out", dir}
	if code, _, errs := runCLI(args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "curves.csv"))
	if code, _, errs := runCLI(args...); code != 1 || !strings.Contains(errs, "study already") {
		t.Errorf("rerun without -resume: exit %d, %q", code, errs)
	}
	code, _, errs := runCLI(append(args, "-resume")...)
	if code != 0 || strings.Contains(errs, "start ") || !strings.Contains(errs, "[12/12 cells") {
		t.Errorf("resume of a finished study: exit %d, stderr:\n%s", code, errs)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "curves.csv"))
	if string(first) != string(again) || len(first) == 0 {
		t.Errorf("curves changed on resume:\n%s\n%s", first, again)
	}
	if code, _, errs := runCLI(append(args, "-resume", "-epochs", "3")...); code != 1 || !strings.Contains(errs, "another study") {
		t.Errorf("resume with other settings: exit %d, %q", code, errs)
	}
}

// The ddp experiment on the repository's MNIST subset: every method, two
// alphas, every output file written; an interrupted study resumed gives
// the uninterrupted tables.
func TestExperimentDDP(t *testing.T) {
	dir := t.TempDir()
	args := []string{"experiment", "ddp", "-mnist", "../../testdata/mnist", "-val", "200", "-hidden", "12", "-epochs", "2",
		"-grid", "0.1,0.01", "-grid-epochs", "1", "-grid-train", "300", "-train", "400", "-test", "100", "-train-eval", "200", "-alphas", "0,1"}
	code, out, errs := runCLI(append(args, "-out", dir)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"| sgd |", "| pathsgd |", "| ddpsgd(alpha=0) |", "| ddpsgd(alpha=1) |", "| ddpnorm(alpha=0) |", "| ddpnorm(alpha=1) |", "| batchnorm |", "[20/21 cells"} {
		if !strings.Contains(out+errs, want) {
			t.Errorf("output lacks %q:\n%s\n%s", want, out, errs)
		}
	}
	for _, name := range []string{"ddp_grid.csv", "ddp_curves.csv", "ddp.md", "ddp.png"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	want, _ := os.ReadFile(filepath.Join(dir, "ddp_curves.csv"))
	// Remove the last long run's result: resuming trains it again to the
	// same numbers, and keeps every other cell.
	if err := os.RemoveAll(filepath.Join(dir, "cells", "train-batchnorm")); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCLI(append(args, "-out", dir, "-resume")...)
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	if strings.Count(errs, "start ") != 1 {
		t.Errorf("resume ran %d cells, want 1:\n%s", strings.Count(errs, "start "), errs)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "ddp_curves.csv"))
	if stripTimes(string(got)) != stripTimes(string(want)) {
		t.Errorf("resumed curves differ:\n%s\nwant\n%s", got, want)
	}
	if code, _, _ := runCLI(append(args, "-out", t.TempDir(), "-alphas", "0,2")...); code != 2 {
		t.Errorf("-alphas 0,2: exit %d", code)
	}
	if code, _, _ := runCLI(append(args, "-out", t.TempDir(), "-methods", "sgd,adam")...); code != 2 {
		t.Errorf("-methods adam: exit %d", code)
	}
}

// stripTimes drops the time columns (seconds, train_seconds) of
// ddp_curves.csv.
func stripTimes(csv string) string {
	var b strings.Builder
	for _, line := range strings.Split(csv, "\n") {
		f := strings.Split(line, ",")
		if len(f) == 11 {
			f = append(f[:7], f[9:]...)
		}
		b.WriteString(strings.Join(f, ",") + "\n")
	}
	return b.String()
}
