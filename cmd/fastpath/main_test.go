package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// runCLI runs the command line and returns its exit status and outputs.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// oneLine fails unless s is exactly one line that is not a stack trace.
func oneLine(t *testing.T, s string) {
	t.Helper()
	if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") || strings.Contains(s, "goroutine") || strings.Contains(s, "panic") {
		t.Errorf("want one line on stderr, got %q", s)
	}
}

func TestVersion(t *testing.T) {
	code, out, errs := runCLI("version")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{"fastpath ", runtime.Version(), "kernels=", "GOMAXPROCS="} {
		if !strings.Contains(out, want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := runCLI("version", "extra"); code != 2 {
		t.Errorf("version extra: exit %d", code)
	} else {
		oneLine(t, errs)
	}
}

func TestHelp(t *testing.T) {
	code, out, errs := runCLI("help")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, c := range commands {
		if !strings.Contains(out, c.name) {
			t.Errorf("help does not list %q:\n%s", c.name, out)
		}
	}
	for _, args := range [][]string{{"help", "bench"}, {"bench", "-h"}} {
		code, out, _ := runCLI(args...)
		if code != 0 || !strings.Contains(out, "-quick") || !strings.Contains(out, "-threads") {
			t.Errorf("%v: exit %d, output:\n%s", args, code, out)
		}
	}
	if code, out, _ := runCLI("-h"); code != 0 || !strings.Contains(out, "Commands:") {
		t.Errorf("-h: exit %d, output:\n%s", code, out)
	}
}

// TestBadCommandLines checks that every bad command line gives exit
// status 2 and one line on stderr.
func TestBadCommandLines(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"bench", "-nope"},
		{"bench", "-threads", "0"},
		{"bench", "-threads", "two"},
		{"bench", "-shapes", "12x"},
		{"bench", "-prec", "q"},
		{"bench", "-samples", "0"},
		{"bench", "-samples", "many"},
		{"bench", "stray"},
		{"bench", "-impl", "nosuch"},
		{"bench", "-linalg", "-ops", "nope"},
		{"bench", "-linalg", "-sizes", "0"},
		{"bench", "-linalg", "-train"},
		{"bench", "-sizes", "10"},
		{"help", "frobnicate"},
		{"help", "bench", "version"},
	} {
		code, out, errs := runCLI(args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", args, out)
		}
		oneLine(t, errs)
	}
	if code, _, errs := runCLI(); code != 2 || !strings.Contains(errs, "Usage") {
		t.Errorf("no arguments: exit %d, stderr %q", code, errs)
	}
}

// TestBenchLinalgTiny runs the linear-algebra study on tiny matrices and
// checks the table, not the figures.
func TestBenchLinalgTiny(t *testing.T) {
	code, out, errs := runCLI("bench", "-linalg", "-ops", "chol,solve", "-sizes", "12", "-threads", "1", "-samples", "1")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{"kernels=", "chol", "solve", "gonum s", "fastpath s", "fastpath/gonum"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "bench: chol n=12 t=1 fastpath:") {
		t.Errorf("no progress lines on stderr:\n%s", errs)
	}
}

// TestBenchTiny runs the bench command on one tiny shape and checks the
// table and the CSV file it writes, not the figures.
func TestBenchTiny(t *testing.T) {
	csvPath := filepath.Join(t.TempDir(), "out.csv")
	code, out, errs := runCLI("bench", "-shapes", "8,3x4x5", "-prec", "s", "-threads", "1", "-samples", "1", "-kernels=false", "-csv", csvPath)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{"kernels=", "8x8x8", "3x4x5", "fastpath", "gonum"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "bench: sgemm 8x8x8") {
		t.Errorf("no progress lines on stderr:\n%s", errs)
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "gemm,sgemm,fastpath,3x4x5,1,") {
		t.Errorf("CSV lacks the fastpath 3x4x5 row:\n%s", data)
	}

	code, _, errs = runCLI("bench", "-shapes", "8", "-prec", "s", "-threads", "1", "-samples", "1", "-kernels=false", "-csv", filepath.Join(t.TempDir(), "no", "such", "dir.csv"))
	if code != 1 || !strings.Contains(errs, "dir.csv") || strings.Contains(errs, "bench: sgemm") {
		t.Errorf("unwritable CSV: exit %d (want 1, before any measurement), stderr:\n%s", code, errs)
	}
}
