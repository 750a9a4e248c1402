package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fastpath-go/fastpath/layers"
)

// crashChildEnv, when set, makes the test binary run the command line it
// holds (JSON) as the fastpath command instead of the tests: the crash test
// starts and kills such children.
const crashChildEnv = "FASTPATH_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if a := os.Getenv(crashChildEnv); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			panic(err)
		}
		os.Exit(run(args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func childCmd(t *testing.T, args []string) *exec.Cmd {
	t.Helper()
	b, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+string(b))
	return cmd
}

// TestTrainCrashResume kills training processes with SIGKILL at random
// moments (inside steps, evaluations and checkpoint writes alike) and
// restarts them with -resume until one finishes: the final model equals the
// uninterrupted run's bit for bit, the log holds exactly one row per epoch
// with the uninterrupted run's losses and errors, and no temporary file is
// left behind.
func TestTrainCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills dozens of processes")
	}
	dir := t.TempDir()
	args := func(name string) []string {
		return []string{"train", "-data", fixture, "-hidden", "96,96", "-epochs", "8", "-batch", "40", "-dropout", "0.2",
			"-lr", "0.05", "-momentum", "0.9", "-val", "200", "-eval-train=false", "-threads", "1",
			"-out", filepath.Join(dir, name+".fpck"), "-log", filepath.Join(dir, name+".csv"), "-resume"}
	}
	start := time.Now()
	if out, err := childCmd(t, args("ref")).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	full := time.Since(start)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills, runs := 0, 0
	for ; runs < 200; runs++ {
		cmd := childCmd(t, args("crash"))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		if kills < 30 {
			select {
			case err = <-done:
			case <-time.After(time.Duration(rng.Float64() * 0.6 * float64(full))):
				cmd.Process.Kill()
				<-done
				kills++
				continue
			}
		} else {
			err = <-done
		}
		if err != nil {
			t.Fatalf("run %d after %d kills: %v\n%s", runs, kills, err, stderr.String())
		}
		break
	}
	t.Logf("%d kills, %d runs; an uninterrupted run takes %v", kills, runs+1, full)
	ref, err := layers.LoadFile(filepath.Join(dir, "ref.fpck"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := layers.LoadFile(filepath.Join(dir, "crash.fpck"))
	if err != nil {
		t.Fatal(err)
	}
	pr, pg := ref.Params(), got.Params()
	for i := range pr {
		for j, v := range pr[i].Value {
			if v != pg[i].Value[j] {
				t.Fatalf("parameter %d[%d]: %v after crashes, %v uninterrupted", i, j, pg[i].Value[j], v)
			}
		}
	}
	refLog, crashLog := readCSV(t, filepath.Join(dir, "ref.csv")), readCSV(t, filepath.Join(dir, "crash.csv"))
	if len(crashLog) != len(refLog) || len(refLog) != 9 {
		t.Fatalf("log has %d rows, the uninterrupted one %d (want 9)", len(crashLog), len(refLog))
	}
	for i := range refLog {
		// Columns up to test_error are deterministic; speed and time are not.
		if a, b := strings.Join(refLog[i][:9], ","), strings.Join(crashLog[i][:9], ","); a != b {
			t.Errorf("log row %d: %s, uninterrupted %s", i, b, a)
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}
