package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainLimits: absurd sizes, batches, thread counts and labels are
// refused with one line before any work, never an out-of-memory crash.
func TestTrainLimits(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.csv")
	os.WriteFile(huge, []byte("16777215,1,2\n"), 0o644) // 13 bytes, 16.7M classes
	small := filepath.Join(dir, "small.csv")
	os.WriteFile(small, []byte("0,1,2\n3,2,1\n3,1,1\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-data", fixture, "-hidden", "1000000,1000000"}, 1, "more than 268435456 parameters"},
		{[]string{"-data", fixture, "-batch", "100000000"}, 2, "-batch 100000000 outside [1, 16777216]"},
		{[]string{"-data", fixture, "-threads", "100000"}, 2, "-threads 100000 outside [0, "},
		{[]string{"-csv-train", huge}, 1, "largest label is 16777215, which makes 16777216 classes: pass -classes"},
		{[]string{"-csv-train", small, "-classes", "3"}, 1, "label 3, outside -classes 3"},
		{[]string{"-data", fixture, "-classes", "-1"}, 2, "-classes -1 outside"},
		{[]string{"-data", fixture, "-out", dir}, 1, "is a directory"},
		{[]string{"-data", fixture, "-out", "/dev/null"}, 1, "not a regular file"},
	} {
		code, out, errs := runCLI(append([]string{"train", "-epochs", "1", "-hidden", "4"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) || strings.Contains(out, "epoch ") {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.want)
		}
		oneLine(t, errs)
	}
	// A machine with 10 MiB free cannot train 784-1000-10 on batches of 800.
	defer func(f func() (uint64, bool)) { memAvailable = f }(memAvailable)
	memAvailable = func() (uint64, bool) { return 10 << 20, true }
	code, _, errs := runCLI("train", "-data", fixture, "-hidden", "1000", "-batch", "800", "-epochs", "1")
	if code != 1 || !strings.Contains(errs, "needs about") || !strings.Contains(errs, "10.0 MiB available") {
		t.Errorf("memory: exit %d, stderr %q", code, errs)
	}
	oneLine(t, errs)
	// An empty class is a warning, and training goes on.
	code, _, errs = runCLI("train", "-csv-train", small, "-classes", "5", "-hidden", "4", "-epochs", "1", "-batch", "3")
	if code != 0 || !strings.Contains(errs, "warning: 3 of the 5 classes have no training example: [1 2 4]") {
		t.Errorf("empty classes: exit %d, stderr %q", code, errs)
	}
}

// TestResumeTrimsLog: a -log whose last row is ahead of the checkpoint (a
// crash between the two writes) or cut short is trimmed on -resume to the
// checkpoint's epoch, then continued.
func TestResumeTrimsLog(t *testing.T) {
	dir := t.TempDir()
	model, logPath := filepath.Join(dir, "m.fpck"), filepath.Join(dir, "log.csv")
	base := []string{"train", "-data", fixture, "-hidden", "8", "-out", model, "-log", logPath, "-threads", "1", "-eval-train=false"}
	if code, _, errs := runCLI(append(base, "-epochs", "2")...); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(logPath)
	// A row for epoch 3 that the checkpoint does not have, and a partial line.
	os.WriteFile(logPath, append(b, []byte("3,0.1,0.9,0.5,,,,,,100,1\n4,0.1,0.9")...), 0o644)
	if code, _, errs := runCLI(append(base, "-epochs", "3", "-resume")...); code != 0 {
		t.Fatal(errs)
	}
	rows := readCSV(t, logPath)
	if len(rows) != 4 || rows[1][0] != "1" || rows[2][0] != "2" || rows[3][0] != "3" || rows[3][3] == "0.5" {
		t.Errorf("log after resume:\n%v", rows)
	}
}
