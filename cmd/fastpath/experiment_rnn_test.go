package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExperimentRNN runs tiny versions of the three tasks and checks the
// files and tables they write.
func TestExperimentRNN(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus.txt")
	text := strings.Repeat("the quick brown fox jumps over the lazy dog. ", 200)
	if err := os.WriteFile(corpus, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args  []string
		files []string
		want  []string
	}{
		{[]string{"addition", "-T", "8,12", "-iters", "30", "-eval-every", "10", "-hidden", "8", "-test", "50"},
			[]string{"rnn_addition.csv", "rnn_addition.md", "rnn_addition_T8.png", "rnn_addition_T12.png", "rnn_addition_T8_time.png"},
			[]string{"| 8 | rnn-path |", "| 12 | sgd |", "| 12 | irnn |", "1/6"}},
		{[]string{"mnist", "-mnist", "../../testdata/mnist", "-train", "64", "-test", "40", "-iters", "3", "-eval-every", "2", "-hidden", "8"},
			[]string{"rnn_mnist.csv", "rnn_mnist.md", "rnn_mnist_plain.png", "rnn_mnist_permuted.png", "rnn_mnist_permuted_time.png"},
			[]string{"| plain | rnn-path |", "| permuted | irnn |", "96.9%", "64 training and 40 test images"}},
		{[]string{"text", "-corpus", corpus, "-T", "10", "-batch", "4", "-iters", "12", "-eval-every", "6", "-hidden", "8", "-eval-chars", "500"},
			[]string{"rnn_text.csv", "rnn_text.md", "rnn_text_corpus.txt.png"},
			[]string{"| corpus.txt | rnn-path |", "| corpus.txt | irnn |", "bits/char"}},
	}
	for _, c := range cases {
		t.Run(c.args[0], func(t *testing.T) {
			out := filepath.Join(dir, c.args[0])
			code, stdout, stderr := runCLI(append([]string{"experiment", "rnn"}, append(c.args, "-out", out)...)...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("table lacks %q:\n%s", w, stdout)
				}
			}
			for _, f := range c.files {
				st, err := os.Stat(filepath.Join(out, f))
				if err != nil || st.Size() == 0 {
					t.Errorf("%s: %v", f, err)
				}
			}
			csv, _ := os.ReadFile(filepath.Join(out, "rnn_"+c.args[0]+".csv"))
			if lines := strings.Count(string(csv), "\n"); lines < 5 {
				t.Errorf("CSV has %d lines:\n%s", lines, csv)
			}
		})
	}
}

func TestExperimentRNNBadArgs(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope"},
		{"addition", "-methods", "adam"},
		{"addition", "-T", "0"},
		{"addition", "-T", "x"},
		{"addition", "-hidden", "0"},
		{"addition", "-path-init", "zeros"},
		{"addition", "extra"},
		{"mnist", "-variants", "rotated", "-mnist", "../../testdata/mnist"},
		{"addition", "-jobs", "0"},
		{"addition", "-jobs", "100000"},
		{"addition", "-decay-at", "0.5,0.3"},
		{"addition", "-decay-at", "1.5"},
		{"addition", "-decay-at", "0.5", "-decay", "2"},
		{"addition", "-decay", "0.5"}, // a factor with no point to apply it at
		{"text", "-stop-solved"},
	} {
		code, _, stderr := runCLI(append([]string{"experiment", "rnn"}, append(args, "-out", t.TempDir())...)...)
		if code == 0 {
			t.Errorf("%v: exit 0", args)
			continue
		}
		oneLine(t, stderr[strings.LastIndex(strings.TrimSuffix(stderr, "\n"), "\n")+1:])
	}
	code, stdout, _ := runCLI("experiment", "rnn", "-h")
	if code != 0 || !strings.Contains(stdout, "-lr-path") || !strings.Contains(stdout, "-corpus") || !strings.Contains(stdout, "-jobs") {
		t.Errorf("help: exit %d\n%s", code, stdout)
	}
}

// The kappa2 study at small sizes: one row per model and length; at the
// identity initialisation kappa2 vanishes off the diagonal (the median
// ratio is 0) but not on it.
func TestExperimentKappa2(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("experiment", "kappa2", "-hidden", "6", "-T", "4,12", "-train-T", "6", "-train-iters", "30", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"| init=irnn | 4 |", "| init=identity | 12 | 0 |", "| init=normal | 12 |", "| RNN-Path, 30 iterations at T=6"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "kappa2.csv"))
	if err != nil || strings.Count(string(b), "\n") != 1+4*2 {
		t.Errorf("kappa2.csv: %v\n%s", err, b)
	}
	if code, _, _ := runCLI("experiment", "kappa2", "-T", "1", "-out", t.TempDir()); code != 2 {
		t.Errorf("-T 1: exit %d", code)
	}
}

// TestExperimentRNNGrid: a step-size grid runs every candidate on the
// validation set, never chooses one that diverged (1e6 does), trains the
// run with the chosen step, lists the candidates in the table and the CSV
// (phase "grid", validation metric), and a resumed study reruns nothing;
// on mnist the validation images are held out of training; a grid without
// iterations or with a bad value is a usage error.
func TestExperimentRNNGrid(t *testing.T) {
	dir := t.TempDir()
	args := []string{"experiment", "rnn", "addition", "-T", "8", "-iters", "30", "-eval-every", "10", "-hidden", "8", "-test", "50",
		"-methods", "rnn-path", "-grid-path", "0.001,1e6,0.01", "-grid-iters", "20", "-out", dir}
	code, stdout, stderr := runCLI(args...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	for _, w := range []string{"| 8 | rnn-path (grid candidate; validation metric) | 0.001 | 20 |", "| 8 | rnn-path (grid candidate; validation metric) | 1e+06 |",
		"| 8 | rnn-path (grid candidate; validation metric) | 0.01 | 20 |"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("table lacks %q:\n%s", w, stdout)
		}
	}
	if !strings.Contains(stderr, "chosen on the validation set") || strings.Contains(stderr, "step size 1e+06 chosen") {
		t.Errorf("stderr:\n%s", stderr)
	}
	var runLine string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "| 8 | rnn-path |") {
			runLine = l
		}
	}
	if !strings.Contains(runLine, "| 30 |") || !(strings.Contains(runLine, "| 0.001 |") || strings.Contains(runLine, "| 0.01 |")) {
		t.Errorf("the run's row %q: want 30 iterations at a finite candidate", runLine)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "rnn_addition.csv"))
	if !strings.Contains(string(csv), "validation MSE") || !strings.Contains(string(csv), ",grid\n") {
		t.Errorf("CSV lacks the grid rows:\n%s", csv)
	}
	code, again, stderr := runCLI(append(args, "-resume")...)
	if code != 0 || again != stdout || strings.Contains(stderr, "start ") {
		t.Errorf("resume: exit %d, table changed %v, stderr:\n%s", code, again != stdout, stderr)
	}

	mdir := t.TempDir()
	code, stdout, stderr = runCLI("experiment", "rnn", "mnist", "-mnist", "../../testdata/mnist", "-train", "80", "-val", "16", "-test", "40",
		"-iters", "3", "-eval-every", "2", "-hidden", "8", "-variants", "plain", "-methods", "irnn", "-grid-irnn", "0.001,0.01", "-grid-iters", "2", "-out", mdir)
	if code != 0 {
		t.Fatalf("mnist: exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "64 training and 40 test images") || !strings.Contains(stdout, "irnn (grid candidate; validation metric)") {
		t.Errorf("mnist table:\n%s", stdout)
	}
	for _, bad := range [][]string{{"-grid-path", "0.1", "-grid-iters", "0"}, {"-grid-path", "-1"}} {
		if code, _, _ := runCLI(append([]string{"experiment", "rnn", "addition", "-out", t.TempDir()}, bad...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}
