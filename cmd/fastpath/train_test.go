package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fastpath-go/fastpath/dist"
	"github.com/fastpath-go/fastpath/layers"
)

// fixture is the repository's MNIST subset: 1000 training and 200 test
// images in MNIST's files.
var fixture = filepath.Join("..", "..", "testdata", "mnist")

// TestTrainBadCommandLines checks that every bad train, eval and bench
// -train command line exits with status 2 and one line on stderr, before
// reading any data.
func TestTrainBadCommandLines(t *testing.T) {
	for _, args := range [][]string{
		{"train", "-nope"},
		{"train", "stray"},
		{"train", "-hidden", "abc"},
		{"train", "-hidden", "100,0"},
		{"train", "-opt", "nope"},
		{"train", "-lr", "0"},
		{"train", "-lr", "-1"},
		{"train", "-lr", "NaN"},
		{"train", "-lr", "fast"},
		{"train", "-momentum", "1"},
		{"train", "-opt", "adagrad", "-momentum", "0.5"},
		{"train", "-opt", "adagrad", "-wd", "0.001"},
		{"train", "-wd", "-1"},
		{"train", "-schedule", "cosine"},
		{"train", "-batch", "0"},
		{"train", "-epochs", "0"},
		{"train", "-dropout", "1"},
		{"train", "-input-dropout", "-0.1"},
		{"train", "-init", "xavier"},
		{"train", "-threads", "-1"},
		{"train", "-val", "-2"},
		{"train", "-resume"},
		{"train", "-plot", "curves.gif"},
		{"train", "-downsample", "10"},
		{"train", "-downsample", "0x5"},
		{"train", "-data", fixture, "-csv-train", "x.csv"},
		{"train", "-csv-test", "x.csv"},
		{"train", "-csv-train", "x.csv", "-csv-scale", "0"},
		{"train", "-csv-train", "x.csv", "-csv-scale", "1/x"},
		{"train", "-csv-header"},
		{"train", "-csv-train", "x.csv", "-downsample", "10x10"},
		{"train", "-csv-train", "x.csv", "-csv-image", "28"},
		{"eval"},
		{"eval", "-model", "m.fpnn", "stray"},
		{"eval", "-model", "m.fpnn", "-batch", "0"},
		{"eval", "-model", "m.fpnn", "-threads", "-2"},
		{"eval", "-model", "m.fpnn", "-csv-train", "x.csv"},
		{"eval", "-model", "m.fpnn", "-csv-header"},
		{"bench", "-train", "-shapes", "8"},
		{"bench", "-train", "-prec", "s"},
		{"bench", "-nets", "784-10"},
		{"bench", "-fuse"},
		{"bench", "-velocity=false"},
		{"bench", "-train", "-nets", "784"},
		{"bench", "-train", "-nets", "784-x-10"},
		{"bench", "-train", "-nets", ","},
	} {
		code, out, errs := runCLI(args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, errs)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", args, out)
		}
		oneLine(t, errs)
	}
}

func TestTrainHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "train"}, {"train", "-h"}} {
		code, out, _ := runCLI(args...)
		if code != 0 || !strings.Contains(out, "-hidden") || !strings.Contains(out, "adagrad") || !strings.Contains(out, "sgd") {
			t.Errorf("%v: exit %d, output:\n%s", args, code, out)
		}
	}
	for _, args := range [][]string{{"help", "eval"}, {"eval", "-h"}} {
		code, out, _ := runCLI(args...)
		if code != 0 || !strings.Contains(out, "-model") || !strings.Contains(out, "-safetensors") {
			t.Errorf("%v: exit %d, output:\n%s", args, code, out)
		}
	}
}

// readCSV reads a CSV file written by the command.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
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

func readState(t *testing.T, out string) layers.Progress {
	t.Helper()
	c, err := layers.LoadCheckpoint(out)
	if err != nil {
		t.Fatal(err)
	}
	var m trainMeta
	if err := json.Unmarshal(c.Meta, &m); err != nil || len(m.Args) == 0 || m.Args[0] != "-data" && m.Args[0] != "-hidden" {
		t.Errorf("checkpoint meta %q (%v)", c.Meta, err)
	}
	return c.Progress
}

// TestTrainEvalFixture trains a tiny network on the MNIST fixture, checks
// the table, the model, the state file, the CSV log and the plot, resumes
// it, evaluates and exports it.
func TestTrainEvalFixture(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.fpnn")
	logPath := filepath.Join(dir, "log.csv")
	plotPath := filepath.Join(dir, "curves.png")
	base := []string{"train", "-data", fixture, "-hidden", "16", "-lr", "0.1", "-val", "200",
		"-out", model, "-log", logPath, "-plot", plotPath, "-threads", "1"}
	code, out, errs := runCLI(append(base, "-epochs", "2")...)
	if code != 0 {
		t.Fatalf("train: exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{"784-16-10", "800 training, 200 validation, 200 test examples", "sgd lr=0.1 momentum=0.9",
		"train_loss", "\n    1 ", "\n    2 ", "test error ", "model saved to " + model} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// stderr is not a terminal: one line per epoch.
	if strings.Count(errs, "\n") != 2 || !strings.Contains(errs, "epoch 2/2: loss ") || !strings.Contains(errs, "val error") {
		t.Errorf("stderr, want one line per epoch:\n%s", errs)
	}
	net, err := layers.LoadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	if net.InSize() != 784 || net.OutSize() != 10 || len(net.Dense()) != 2 {
		t.Errorf("saved network %v", net)
	}
	if st := readState(t, model); st.Epoch != 2 || st.Step != 0 {
		t.Errorf("state %+v, want 2 epochs", st)
	}
	rows := readCSV(t, logPath)
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(logColumns, ",") || rows[2][0] != "2" {
		t.Fatalf("log:\n%v", rows)
	}
	for _, row := range rows[1:] {
		for j, v := range row {
			if v == "" {
				t.Errorf("log row %v: column %s empty", row, logColumns[j])
			}
		}
	}
	png, err := os.ReadFile(plotPath)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("plot: %v, %d bytes", err, len(png))
	}

	// Resume to 3 epochs: one more epoch, appended to the log.
	if ents, _ := os.ReadDir(dir); len(ents) != 3 {
		t.Errorf("%d files in the output directory, want the checkpoint, the log and the plot", len(ents))
	}
	code, out, errs = runCLI(append(base, "-epochs", "3", "-resume")...)
	if code != 0 || !strings.Contains(out, "epochs 3 to 3 (resumed from") || !strings.Contains(out, "optimizer state restored") ||
		!strings.Contains(out, "\n    3 ") || strings.Contains(out, "\n    2 ") {
		t.Fatalf("resume: exit %d, stdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if rows := readCSV(t, logPath); len(rows) != 4 || rows[3][0] != "3" {
		t.Errorf("log after resume:\n%v", rows)
	}
	if st := readState(t, model); st.Epoch != 3 {
		t.Errorf("state after resume %+v", st)
	}
	code, out, _ = runCLI(append(base, "-epochs", "3", "-resume")...)
	if code != 0 || !strings.Contains(out, "nothing to do") {
		t.Errorf("resume of a finished run: exit %d, output:\n%s", code, out)
	}
	code, _, errs = runCLI(append(base, "-epochs", "4", "-resume", "-hidden", "32")...)
	if code != 1 || !strings.Contains(errs, "hidden layers [16]") {
		t.Errorf("resume with other hidden sizes: exit %d, stderr %q", code, errs)
	}
	oneLine(t, errs)

	// Evaluate and export.
	st := filepath.Join(dir, "m.safetensors")
	code, out, errs = runCLI("eval", "-model", model, "-data", fixture, "-safetensors", st)
	if code != 0 {
		t.Fatalf("eval: exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{"784-16-10", "200 test examples", "test loss ", "examples/s", "exported " + st} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(st)
	if err != nil || len(b) < 8 || binary.LittleEndian.Uint64(b) > uint64(len(b)-8) || !bytes.Contains(b, []byte(`"0.weight"`)) {
		t.Errorf("safetensors export: %v, %d bytes", err, len(b))
	}
}

// TestEvalBadModels: missing, truncated and corrupted model files exit
// with status 1 and one line naming the problem.
func TestEvalBadModels(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.fpnn")
	net, err := layers.NewMLP([]int{784, 8, 10}, layers.MLPOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SaveFile(model); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x10
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"flipped.fpnn", flipped, "checksum"},
		{"truncated.fpnn", good[:len(good)-100], "unexpected EOF"},
		{"text.fpnn", []byte("hello, world\n"), "not a fastpath model"},
		{"empty.fpnn", nil, "EOF"},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errs := runCLI("eval", "-model", path, "-data", fixture)
		if code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d, stderr %q, want 1 and %q", c.name, code, errs, c.want)
		}
		oneLine(t, errs)
	}
	code, _, errs := runCLI("eval", "-model", filepath.Join(dir, "missing.fpnn"), "-data", fixture)
	if code != 1 || !strings.Contains(errs, "missing.fpnn") {
		t.Errorf("missing model: exit %d, stderr %q", code, errs)
	}
	oneLine(t, errs)
	// A model for downsampled images, evaluated on full-size ones.
	small, _ := layers.NewMLP([]int{100, 8, 10}, layers.MLPOptions{Seed: 1})
	smallPath := filepath.Join(dir, "small.fpnn")
	if err := small.SaveFile(smallPath); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCLI("eval", "-model", smallPath, "-data", fixture)
	if code != 1 || !strings.Contains(errs, "-downsample 10x10") {
		t.Errorf("feature mismatch: exit %d, stderr %q", code, errs)
	}
	oneLine(t, errs)
	if code, out, errs := runCLI("eval", "-model", smallPath, "-data", fixture, "-downsample", "10x10"); code != 0 || !strings.Contains(out, "downsampled to 10x10") {
		t.Errorf("eval -downsample: exit %d, stderr %q", code, errs)
	}
}

// TestTrainFailures: missing data, unwritable outputs, a divergence (the
// checkpoint stays as it was) and a bad resume state exit with status 1
// and one line.
func TestTrainFailures(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-data", filepath.Join(dir, "nothing")}, "nothing"},
		{[]string{"-data", fixture, "-out", filepath.Join(dir, "no", "dir", "m.fpnn")}, "m.fpnn"},
		{[]string{"-data", fixture, "-log", filepath.Join(dir, "no", "log.csv")}, "log.csv"},
		{[]string{"-data", fixture, "-val", "1000"}, "leaves no training examples"},
		{[]string{"-csv-train", filepath.Join(dir, "none.csv")}, "none.csv"},
	} {
		code, out, errs := runCLI(append([]string{"train", "-hidden", "4", "-epochs", "1"}, c.args...)...)
		if code != 1 || !strings.Contains(errs, c.want) || strings.Contains(out, "epoch ") {
			t.Errorf("%v: exit %d, stderr %q, want 1 and %q", c.args, code, errs, c.want)
		}
		oneLine(t, errs)
	}

	model := filepath.Join(dir, "m.fpnn")
	base := []string{"train", "-data", fixture, "-hidden", "8", "-out", model, "-threads", "1"}
	if code, _, errs := runCLI(append(base, "-epochs", "1")...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	before, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(append(base, "-epochs", "2", "-resume", "-lr", "1e30")...)
	if code != 1 || !strings.Contains(errs, "diverged in epoch 2 at step ") || !strings.Contains(errs, "holds the model after epoch 1") {
		t.Errorf("divergence: exit %d, stderr %q", code, errs)
	}
	oneLine(t, errs)
	if after, err := os.ReadFile(model); err != nil || !bytes.Equal(before, after) {
		t.Errorf("the checkpoint changed after the divergence (%v)", err)
	}
	if st := readState(t, model); st.Epoch != 1 {
		t.Errorf("state after the divergence %+v, want 1 epoch", st)
	}

	// A damaged checkpoint is refused whole; another optimizer is refused.
	os.WriteFile(model, before[:len(before)-1], 0o644)
	code, _, errs = runCLI(append(base, "-epochs", "2", "-resume")...)
	if code != 1 || !strings.Contains(errs, "checksum mismatch") {
		t.Errorf("damaged checkpoint: exit %d, stderr %q", code, errs)
	}
	oneLine(t, errs)
	os.WriteFile(model, before, 0o644)
	code, _, errs = runCLI(append(base, "-epochs", "2", "-resume", "-opt", "adagrad", "-lr", "0.01")...)
	if code != 1 || !strings.Contains(errs, "trained with a *layers.SGD, not a *layers.AdaGrad") {
		t.Errorf("other optimizer: exit %d, stderr %q", code, errs)
	}
	oneLine(t, errs)
	// A model file (not a checkpoint) at -out cannot be resumed.
	net, _ := layers.LoadFile(model)
	net.SaveFile(model)
	code, _, errs = runCLI(append(base, "-epochs", "2", "-resume")...)
	if code != 1 || !strings.Contains(errs, "is a model file, not a training checkpoint") {
		t.Errorf("model file: exit %d, stderr %q", code, errs)
	}
	oneLine(t, errs)
}

// TestTrainInterrupt sends the process SIGINT in the middle of an epoch:
// train saves the weights, says where it stopped and exits with 130, and
// -resume finishes the run.
func TestTrainInterrupt(t *testing.T) {
	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	model := filepath.Join(dir, "m.fpnn")
	args := []string{"train", "-data", fixture, "-hidden", "8", "-epochs", "2", "-out", model, "-threads", "1"}
	trainStepHook = func(ctx context.Context, s layers.StepStats) {
		if s.Epoch == 2 && s.Step == 3 {
			if err := p.Signal(os.Interrupt); err != nil {
				t.Skipf("cannot signal the test process: %v", err)
			}
			select {
			case <-ctx.Done():
			case <-time.After(10 * time.Second):
				t.Error("the signal did not reach the context")
			}
		}
	}
	defer func() { trainStepHook = nil }()
	code, out, errs := runCLI(args...)
	trainStepHook = nil
	if code != exitInterrupted || !strings.Contains(errs, "interrupted in epoch 2 after step 3 of 10; saved to "+model+" (-resume continues exactly") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "\n    1 ") || strings.Contains(out, "\n    2 ") {
		t.Errorf("output:\n%s", out)
	}
	if st := readState(t, model); st.Epoch != 1 || st.Step != 3 {
		t.Errorf("state %+v, want 1 epoch and 3 steps", st)
	}
	if _, err := layers.LoadFile(model); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(append(args, "-resume")...)
	if code != 0 || !strings.Contains(out, "epochs 2 to 2") {
		t.Errorf("resume: exit %d, stderr %q, output:\n%s", code, errs, out)
	}
}

// TestTrainCSV trains on a small CSV data set with a header, the label
// last and a scale, and evaluates on another.
func TestTrainCSV(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int, seed int) string {
		var b strings.Builder
		b.WriteString("a,b,c,d,label\n")
		for i := range n {
			c := (i*7 + seed) % 3
			fmt.Fprintf(&b, "%d,%d,%d,%d,%d\n", 200*c, 255-100*c, (i*13)%255, 50*c, c)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	trainPath, testPath := write("train.csv", 300, 0), write("test.csv", 60, 1)
	csvArgs := []string{"-csv-header", "-csv-label-last", "-csv-scale", "1/255"}
	model := filepath.Join(dir, "m.fpnn")
	code, out, errs := runCLI(append([]string{"train", "-csv-train", trainPath, "-csv-test", testPath, "-hidden", "8,8",
		"-epochs", "3", "-batch", "10", "-opt", "adagrad", "-lr", "0.05", "-out", model, "-eval-train=false"}, csvArgs...)...)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{"4-8-8-3", "300 training, 60 test examples, 4 features, 3 classes", "adagrad lr=0.05 schedule=constant"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = runCLI(append([]string{"eval", "-model", model, "-csv-test", testPath}, csvArgs...)...)
	if code != 0 || !strings.Contains(out, "60 test examples") {
		t.Errorf("eval: exit %d, stderr %q, output:\n%s", code, errs, out)
	}
}

// TestBarProgress drives the terminal progress bar into a buffer.
func TestBarProgress(t *testing.T) {
	var buf bytes.Buffer
	p := &barProgress{w: &buf, epochs: 3}
	for step := 1; step <= 5; step++ {
		p.step(layers.StepStats{Epoch: 2, Step: step, Steps: 10, Examples: 10 * step, Loss: 0.5})
	}
	p.done()
	if s := buf.String(); !strings.Contains(s, "epoch 2/3") || !strings.Contains(s, "1/10") {
		t.Errorf("bar output %q", s)
	}
}

// TestBenchTrainTiny runs bench -train on a tiny network.
func TestBenchTrainTiny(t *testing.T) {
	csvPath := filepath.Join(t.TempDir(), "train.csv")
	code, out, errs := runCLI("bench", "-train", "-nets", "20-8-3", "-threads", "1", "-samples", "1", "-csv", csvPath)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{"kernels=", "20-8-3", "examples/s", "of limit"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	rows := readCSV(t, csvPath)
	if len(rows) != 2 || rows[1][0] != "20-8-3" || rows[1][2] != "1" {
		t.Errorf("CSV:\n%v", rows)
	}
	// -fuse times the fused step and leaves the default as it was.
	if code, _, errs := runCLI("bench", "-train", "-fuse", "-nets", "20-8-3", "-threads", "1", "-samples", "1"); code != 0 || layers.FuseUpdates {
		t.Errorf("-fuse: exit %d, FuseUpdates %v after it, stderr:\n%s", code, layers.FuseUpdates, errs)
	}
	// -velocity=false times Gradient and Step and leaves the default as it was.
	if code, _, errs := runCLI("bench", "-train", "-velocity=false", "-nets", "20-8-3", "-threads", "1", "-samples", "1"); code != 0 || !layers.FuseVelocity {
		t.Errorf("-velocity=false: exit %d, FuseVelocity %v after it, stderr:\n%s", code, layers.FuseVelocity, errs)
	}
}

// TestTrainPathSGD trains with -opt pathsgd on the fixture: the optimizer is
// registered, rejects flags it does not use, and lowers the loss.
func TestTrainPathSGD(t *testing.T) {
	code, out, errs := runCLI("train", "-data", fixture, "-hidden", "32", "-opt", "pathsgd", "-lr", "0.01",
		"-epochs", "3", "-val", "0", "-threads", "1")
	if code != 0 {
		t.Fatalf("train -opt pathsgd: exit %d, stderr:\n%s", code, errs)
	}
	rows := strings.Split(out, "\n")
	var losses []float64
	for _, r := range rows {
		f := strings.Fields(r)
		if len(f) > 2 && (f[0] == "1" || f[0] == "2" || f[0] == "3") {
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				t.Fatalf("row %q: %v", r, err)
			}
			losses = append(losses, v)
		}
	}
	if len(losses) != 3 || !(losses[2] < losses[0]) {
		t.Fatalf("training losses %v, want three decreasing from the first:\n%s", losses, out)
	}
	if code, _, errs := runCLI("train", "-data", fixture, "-opt", "pathsgd", "-wd", "0.1", "-epochs", "1"); code != 2 || strings.Count(errs, "\n") != 1 {
		t.Fatalf("-opt pathsgd -wd: exit %d, stderr %q; want 2 and one line", code, errs)
	}
}

// TestEvalSafetensors: eval reads a .safetensors state_dict (here the
// export of a fastpath model; layers' TestSafetensorsPyTorch reads one
// PyTorch wrote).
func TestEvalSafetensors(t *testing.T) {
	dir := t.TempDir()
	net, err := layers.NewMLP([]int{784, 8, 10}, layers.MLPOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.fpnn")
	if err := net.SaveFile(model); err != nil {
		t.Fatal(err)
	}
	st := filepath.Join(dir, "m.safetensors")
	if code, _, errs := runCLI("eval", "-model", model, "-data", fixture, "-safetensors", st); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCLI("eval", "-model", st, "-data", fixture)
	if code != 0 || !strings.Contains(out, "784-8-10") || !strings.Contains(out, "test loss") {
		t.Errorf("eval of the .safetensors: exit %d, stderr %q, out:\n%s", code, errs, out)
	}
}

// TestEvalAppliesTrainingPreprocessing: a checkpoint records how the data
// was preprocessed, and eval applies it without repeated flags.
func TestEvalAppliesTrainingPreprocessing(t *testing.T) {
	model := filepath.Join(t.TempDir(), "small.fpck")
	if code, _, errs := runCLI("train", "-data", fixture, "-downsample", "10x10", "-hidden", "8", "-epochs", "1", "-out", model); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCLI("eval", "-model", model, "-data", fixture)
	if code != 0 || !strings.Contains(out, "as in training: -downsample -classes") || !strings.Contains(out, "downsampled to 10x10") {
		t.Errorf("eval: exit %d, stderr %q, out:\n%s", code, errs, out)
	}
	// A flag given on the command line wins (and here cannot fit).
	if code, _, errs := runCLI("eval", "-model", model, "-data", fixture, "-downsample", "14x14"); code != 1 || !strings.Contains(errs, "features") {
		t.Errorf("eval -downsample 14x14: exit %d, stderr %q", code, errs)
	}
}

// TestTrainDDP trains with -opt ddp (data-dependent path normalization) on
// the fixture, resumes it from its checkpoint to the uninterrupted bits,
// and rejects -alpha for other optimizers and outside [0, 1].
func TestTrainDDP(t *testing.T) {
	dir := t.TempDir()
	full, part := filepath.Join(dir, "full.fpck"), filepath.Join(dir, "part.fpck")
	args := []string{"train", "-data", fixture, "-hidden", "16", "-opt", "ddp", "-alpha", "0.5", "-lr", "0.01",
		"-momentum", "0.9", "-val", "0", "-threads", "1"}
	code, out, errs := runCLI(append(args, "-epochs", "3", "-out", full)...)
	if code != 0 || !strings.Contains(out, "ddp lr=0.01 momentum=0.9 alpha=0.5") {
		t.Fatalf("train -opt ddp: exit %d, stderr %q, out:\n%s", code, errs, out)
	}
	if code, _, errs := runCLI(append(args, "-epochs", "1", "-out", part)...); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := runCLI(append(args, "-epochs", "3", "-out", part, "-resume")...); code != 0 {
		t.Fatal(errs)
	}
	a, _ := layers.LoadFile(full)
	b, _ := layers.LoadFile(part)
	for i, p := range a.Params() {
		for j, v := range p.Value {
			if b.Params()[i].Value[j] != v {
				t.Fatalf("resumed DDP run differs at parameter %d[%d]", i, j)
			}
		}
	}
	for _, bad := range [][]string{{"-opt", "sgd", "-alpha", "0.5"}, {"-opt", "ddp", "-alpha", "2"}} {
		if code, _, errs := runCLI(append([]string{"train", "-data", fixture, "-epochs", "1"}, bad...)...); code != 2 {
			t.Errorf("%v: exit %d, stderr %q", bad, code, errs)
		}
	}
}

// TestTrainNorm trains networks with batch normalization and
// DDP-Normalization from the command line, resumes them from their
// checkpoints to the uninterrupted bits (running statistics included: the
// test outputs match), and rejects the combinations that make no sense.
func TestTrainNorm(t *testing.T) {
	for _, norm := range [][]string{{"-norm", "batch"}, {"-norm", "ddp", "-alpha", "0.25"}} {
		dir := t.TempDir()
		full, part := filepath.Join(dir, "full.fpck"), filepath.Join(dir, "part.fpck")
		args := append([]string{"train", "-data", fixture, "-hidden", "16,8", "-lr", "0.05", "-val", "0", "-threads", "1"}, norm...)
		code, out, errs := runCLI(append(args, "-epochs", "3", "-out", full)...)
		if code != 0 || !strings.Contains(out, norm[1]+"norm(16") {
			t.Fatalf("%v: exit %d, stderr %q, out:\n%s", norm, code, errs, out)
		}
		if code, _, errs := runCLI(append(args, "-epochs", "1", "-out", part)...); code != 0 {
			t.Fatal(errs)
		}
		if code, _, errs := runCLI(append(args, "-epochs", "3", "-out", part, "-resume")...); code != 0 {
			t.Fatal(errs)
		}
		a, _ := layers.LoadFile(full)
		b, _ := layers.LoadFile(part)
		if !a.Normalized() || a.String() != b.String() {
			t.Fatalf("%v: networks %v and %v", norm, a, b)
		}
		for i, p := range a.Params() {
			for j, v := range p.Value {
				if b.Params()[i].Value[j] != v {
					t.Fatalf("%v: resumed run differs at parameter %d[%d]", norm, i, j)
				}
			}
		}
		var sa, sb bytes.Buffer
		a.Save(&sa)
		b.Save(&sb)
		if !bytes.Equal(sa.Bytes(), sb.Bytes()) {
			t.Errorf("%v: resumed model file differs (running statistics)", norm)
		}
	}
	for _, bad := range [][]string{{"-norm", "ddp", "-alpha", "1.5"}, {"-norm", "batch", "-alpha", "0.5"}, {"-norm", "batch", "-opt", "pathsgd"},
		{"-norm", "ddp", "-opt", "ddp"}, {"-norm", "layer"}} {
		if code, _, errs := runCLI(append([]string{"train", "-data", fixture, "-epochs", "1"}, bad...)...); code != 2 {
			t.Errorf("%v: exit %d, stderr %q", bad, code, errs)
		}
	}
}

// TestTrainDist: -dist local trains as without it; -dist mpi in a build
// without the mpi tag says how to get it; an unknown communicator is
// refused. (Data-parallel runs under mpirun are checked by .ci/run.)
func TestTrainDist(t *testing.T) {
	args := []string{"train", "-data", fixture, "-hidden", "8", "-epochs", "1", "-val", "0", "-threads", "1"}
	if code, _, errs := runCLI(append(args, "-dist", "local")...); code != 0 {
		t.Fatalf("-dist local: exit %d: %s", code, errs)
	}
	code, _, errs := runCLI(append(args, "-dist", "mpi")...)
	if !dist.HasMPI && (code == 0 || !strings.Contains(errs, "-tags mpi")) {
		t.Errorf("-dist mpi without the tag: exit %d, %q", code, errs)
	}
	if code, _, _ := runCLI(append(args, "-dist", "tcp")...); code == 0 {
		t.Error("-dist tcp accepted")
	}
}
