package experiment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/fastpath-go/fastpath/dist"
)

// writeCSV writes n rows "label,f1,...,f5" of three separable classes.
func writeCSV(t *testing.T, path string, n int, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 2))
	var b strings.Builder
	for range n {
		y := r.IntN(3)
		fmt.Fprintf(&b, "%d", y)
		for j := range 5 {
			v := r.NormFloat64()
			if j == y {
				v += 3
			}
			fmt.Fprintf(&b, ",%.4f", v)
		}
		b.WriteString("\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCSVSource: the ddp and pathsgd compare studies run on a CSV data
// set with three classes (the networks get three outputs) and learn it; an
// incomplete source is refused.
func TestCSVSource(t *testing.T) {
	dir := t.TempDir()
	tr, te := filepath.Join(dir, "train.csv"), filepath.Join(dir, "test.csv")
	writeCSV(t, tr, 600, 1)
	writeCSV(t, te, 200, 2)
	src := Source{CSVTrain: tr, CSVTest: te}
	dc := DDPConfig{Source: src, Hidden: 8, Layers: 1, Epochs: 3, Val: 100, Batch: 20, Methods: []string{"sgd", "ddpnorm"},
		Alphas: []float64{0.5}, Grid: []float64{0.1}, GridEpochs: 1, Seed: 1}
	r, err := Open(filepath.Join(dir, "ddp"), "ddp", dc, dc.Cells(), false)
	if err != nil {
		t.Fatal(err)
	}
	res, err := DDPStudy(t.Context(), dc, r, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.TrainN != 500 || res.ValN != 100 || res.TestN != 200 || !strings.Contains(res.Markdown(), "train.csv, 1 hidden layers") {
		t.Fatalf("sizes %d/%d/%d, table:\n%s", res.TrainN, res.ValN, res.TestN, res.Markdown())
	}
	for _, c := range res.Curves {
		if c.Epoch == 3 && !(c.TestErr < 0.2) {
			t.Errorf("%v: test error %g after 3 epochs on separable data", c.DDPMethod, c.TestErr)
		}
	}
	pc := PathSGDConfig{Source: src, Hidden: 8, Layers: 1, Epochs: 2, Val: 100, Batch: 20, Inits: []string{"unbalanced"}, Opts: []string{"pathsgd"},
		Dropouts: []float64{0}, FixedLR: map[string]float64{"pathsgd": 0.1}, GridEpochs: 1, Seed: 1}
	r, err = Open(filepath.Join(dir, "ps"), "pathsgd-compare", pc, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	cres, err := PathSGDCompare(t.Context(), pc, r, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(cres.Curves) != 2 || !(cres.Curves[1].TestErr < 0.3) {
		t.Errorf("pathsgd compare on CSV: %+v", cres.Curves)
	}
	pc.Source.CSVTest = ""
	if err := pc.Validate(); err == nil {
		t.Error("a CSV source without a test file validated")
	}
}

// TestSettingsJSON: the data source adds nothing to a study's recorded
// settings unless CSV options are set, so that studies started before it
// existed resume (their settings must compare equal).
func TestSettingsJSON(t *testing.T) {
	c := DefaultPathSGDConfig()
	c.MNIST = "/somewhere"
	b, _ := json.Marshal(c)
	if bytes.Contains(b, []byte("MNIST")) || bytes.Contains(b, []byte("CSV")) || !bytes.HasPrefix(b, []byte(`{"Hidden":1000,`)) {
		t.Errorf("settings %s", b)
	}
}

// TestWeightedProgress: with weights the time left counts each cell's
// work, not the number of cells.
func TestWeightedProgress(t *testing.T) {
	var log bytes.Buffer
	r, err := Open(t.TempDir(), "w", 1, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	r.Progress = &log
	r.SetWeights(func(key string) float64 {
		if key == "big" {
			return 100
		}
		return 1
	}, 102)
	var v int
	for _, key := range []string{"a", "b", "big"} {
		if _, err := r.Run(key, &v, func(*Cell) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[2], "[2/3 cells, about ") {
		t.Fatalf("progress:\n%s", log.String())
	}
	// Two cells of weight 1 took some time t: the big one is estimated
	// at 100 t, far more than one cell's time.
	r2, _ := Open(t.TempDir(), "w", 1, 3, false)
	r2.ran, r2.ranWork, r2.doneWork, r2.done, r2.spent = 2, 2, 2, 2, 2e9
	r2.SetWeights(func(string) float64 { return 1 }, 102)
	var l2 bytes.Buffer
	r2.Progress = &l2
	r2.report("start ", "big")
	if !strings.Contains(l2.String(), "about 1m40s left") {
		t.Errorf("estimate %q, want 100 s", l2.String())
	}
}

// TestDistributedStudy: the ddp study run by 3 processes (goroutine ranks
// of dist.NewGroup) sharing one directory runs every cell once and ends
// with the single-process study's tables.
func TestDistributedStudy(t *testing.T) {
	dir := t.TempDir()
	tr, te := filepath.Join(dir, "train.csv"), filepath.Join(dir, "test.csv")
	writeCSV(t, tr, 400, 1)
	writeCSV(t, te, 100, 2)
	dc := DDPConfig{Source: Source{CSVTrain: tr, CSVTest: te}, Hidden: 6, Layers: 1, Epochs: 2, Val: 80, Batch: 20,
		Methods: []string{"sgd", "pathsgd", "ddpnorm"}, Alphas: []float64{0.5}, Grid: []float64{0.3, 0.03}, GridEpochs: 1, Seed: 1}
	table := func(res *DDPResult) string {
		var b strings.Builder
		for _, g := range res.Grid {
			fmt.Fprintf(&b, "%v %g %v %v %v\n", g.DDPMethod, g.LR, g.ValErr, g.ValLoss, g.Diverged)
		}
		for _, c := range res.Curves {
			fmt.Fprintf(&b, "%v %g %d %v %v %v %d\n", c.DDPMethod, c.LR, c.Epoch, c.TrainLoss, c.RunLoss, c.TestErr, c.Steps)
		}
		return b.String()
	}
	r, err := Open(filepath.Join(dir, "one"), "ddp", dc, dc.Cells(), false)
	if err != nil {
		t.Fatal(err)
	}
	want, err := DDPStudy(t.Context(), dc, r, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(dir, "three")
	comms := dist.NewGroup(3)
	results := make([]*DDPResult, 3)
	errs := make([]error, 3)
	logs := make([]bytes.Buffer, 3)
	var wg sync.WaitGroup
	for rank, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := OpenComm(c, shared, "ddp", dc, dc.Cells(), false)
			if err != nil {
				errs[rank] = err
				return
			}
			r.Progress = &logs[rank]
			results[rank], errs[rank] = DDPStudy(t.Context(), dc, r, io.Discard)
		}()
	}
	wg.Wait()
	starts := 0
	for rank := range 3 {
		if errs[rank] != nil {
			t.Fatalf("rank %d: %v", rank, errs[rank])
		}
		if got := table(results[rank]); got != table(want) {
			t.Errorf("rank %d's tables differ from the single process's:\n%s\nwant\n%s", rank, got, table(want))
		}
		starts += strings.Count(logs[rank].String(), "start ")
	}
	if starts != dc.Cells() {
		t.Errorf("%d cells started over the ranks, want each of the %d once", starts, dc.Cells())
	}
}
