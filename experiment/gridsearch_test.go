package experiment

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"testing"
)

// TestProtocol runs the shared step-size protocol (tuneAndTrain) through
// the ddp study on a small CSV data set, with a grid holding a step that
// diverges, one too small to learn and one that learns: each method's long
// run must use the candidate of least validation error among those that did
// not diverge (SGD diverges at 1e6; Path-SGD's step there kills the network
// without overflowing), the grid rows must come in method and grid order, the time
// estimate must weigh the cells by their examples, and a second run of the
// finished study must read back the same rows without training.
func TestProtocol(t *testing.T) {
	dir := t.TempDir()
	tr, te := filepath.Join(dir, "train.csv"), filepath.Join(dir, "test.csv")
	writeCSV(t, tr, 400, 1)
	writeCSV(t, te, 100, 2)
	dc := DDPConfig{Source: Source{CSVTrain: tr, CSVTest: te}, Hidden: 6, Layers: 1, Epochs: 2, Val: 80, Batch: 20,
		Methods: []string{"sgd", "pathsgd"}, Grid: []float64{1e6, 1e-7, 0.1}, GridEpochs: 2, Seed: 1}
	run := func() *DDPResult {
		t.Helper()
		r, err := Open(filepath.Join(dir, "study"), "ddp", dc, dc.Cells(), true)
		if err != nil {
			t.Fatal(err)
		}
		res, err := DDPStudy(t.Context(), dc, r, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		// 2 methods x (3 candidates x (2 epochs x 320 + 80/3) + 2 epochs
		// x (320 + (320 + 100)/3)).
		if want := 2 * (3*(2*320+80/3) + 2*(320+(320+100)/3)); r.totalWork != float64(want) {
			t.Errorf("total work %v, want %v", r.totalWork, want)
		}
		return res
	}
	res := run()
	if len(res.Grid) != 6 {
		t.Fatalf("%d grid rows, want 6", len(res.Grid))
	}
	for m := range 2 {
		rows := res.Grid[3*m : 3*m+3]
		best, bestErr := math.NaN(), math.Inf(1)
		for j, g := range rows {
			if g.LR != dc.Grid[j] || g.Name != dc.Methods[m] {
				t.Fatalf("grid row %d of %s: %s lr %g, want lr %g", j, dc.Methods[m], g.Name, g.LR, dc.Grid[j])
			}
			if !g.Diverged && g.ValErr < bestErr {
				best, bestErr = g.LR, g.ValErr
			}
		}
		if m == 0 && !rows[0].Diverged || best != 0.1 {
			t.Fatalf("%s: grid %v: want 0.1 best (and 1e6 diverged for sgd)", dc.Methods[m], gridSummary(rows))
		}
		curve := res.Curves[2*m : 2*m+2]
		for e, c := range curve {
			if c.Name != dc.Methods[m] || c.LR != best || c.Epoch != e+1 {
				t.Fatalf("curve row %d of %s: %s lr %g epoch %d, want lr %g epoch %d", e, dc.Methods[m], c.Name, c.LR, c.Epoch, best, e+1)
			}
		}
	}
	// Diverged rows hold NaN: compare the rows as printed.
	again := run()
	if a, b := fmt.Sprintf("%#v %#v", again.Grid, again.Curves), fmt.Sprintf("%#v %#v", res.Grid, res.Curves); a != b {
		t.Fatalf("resumed finished study differs:\n%s\n%s", a, b)
	}
}

func gridSummary(rows []DDPGridRow) []string {
	var s []string
	for _, g := range rows {
		s = append(s, fmt.Sprintf("lr=%g err=%.3f diverged=%v", g.LR, g.ValErr, g.Diverged))
	}
	return s
}
