package experiment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

func toy(seed uint64, n int) layers.InMemory {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n*4)
	y := make([]int, n)
	for i := range y {
		y[i] = r.IntN(3)
		for j := range 4 {
			x[i*4+j] = float32(r.NormFloat64()) + float32(y[i]*(j%2))
		}
	}
	d, err := layers.NewInMemory(blas32.General{Rows: n, Cols: 4, Stride: 4, Data: x}, y)
	if err != nil {
		panic(err)
	}
	return d
}

type rec struct {
	Epoch int
	Loss  float64
	W0    float32
}

type res struct {
	LR       float64
	Records  []rec
	Diverged bool
	Err      float64 // NaN for a diverged cell: results keep NaN and Inf
}

// runToyStudy runs three cells (step sizes); cancel, if set, is called at
// the given (cell, epoch, step).
func runToyStudy(t *testing.T, dir string, resume bool, stopAt [3]int) (map[string]res, error) {
	lrs := []float64{0.01, 0.1, 1e6}
	r, err := Open(dir, "toy", map[string]any{"lrs": lrs}, len(lrs), resume)
	if err != nil {
		return nil, err
	}
	var progress strings.Builder
	r.Progress = &progress
	data := toy(1, 90)
	out := map[string]res{}
	for ci, lr := range lrs {
		ctx, cancel := context.WithCancel(context.Background())
		key := fmt.Sprintf("lr=%g", lr)
		var result res
		_, err := r.Run(key, &result, func(c *Cell) error {
			cfg := layers.TrainConfig{Epochs: 4, BatchSize: 10, Seed: 3}
			cfg.OnStep = func(s layers.StepStats) {
				if ci == stopAt[0] && s.Epoch == stopAt[1] && s.Step == stopAt[2] {
					cancel()
				}
			}
			_, recs, div, err := TrainCell(ctx, c, Training[rec]{
				NewNet: func() (*layers.Network, error) {
					return layers.NewMLP([]int{4, 8, 3}, layers.MLPOptions{Seed: 2, Dropout: 0.25})
				},
				NewOpt: func(*layers.Network) layers.Optimizer {
					return &layers.SGD{LR: layers.Constant(float32(lr)), Momentum: layers.Constant(0.9)}
				},
				Data:   data,
				Config: cfg,
				OnEpoch: func(net *layers.Network, st layers.EpochStats, prev []rec) (rec, error) {
					if len(prev) != st.Epoch-1 {
						t.Errorf("epoch %d: %d earlier records", st.Epoch, len(prev))
					}
					return rec{Epoch: st.Epoch, Loss: st.Loss, W0: net.Dense()[0].W.Data[0]}, nil
				},
			})
			result = res{LR: lr, Records: recs, Diverged: div, Err: math.Inf(1)}
			if div {
				result.Err = math.NaN()
			}
			return err
		})
		cancel()
		if err != nil {
			return out, err
		}
		out[key] = result
	}
	if done, total := r.Done(); done != total {
		t.Errorf("%d of %d cells done", done, total)
	}
	return out, nil
}

// TestStudyResume: a study interrupted inside its second cell and resumed
// skips the finished cell, continues the interrupted one from its
// checkpoint and ends with results equal to an uninterrupted study's (a
// diverged cell included); reopening without resume, or with other
// settings, is refused.
func TestStudyResume(t *testing.T) {
	want, err := runToyStudy(t, t.TempDir(), false, [3]int{-1})
	if err != nil {
		t.Fatal(err)
	}
	if !want["lr=1e+06"].Diverged || want["lr=0.1"].Diverged || len(want["lr=0.1"].Records) != 4 {
		t.Fatalf("reference study: %+v", want)
	}
	for _, stop := range [][3]int{{1, 1, 3}, {1, 3, 9}, {0, 2, 1}} {
		dir := t.TempDir()
		if _, err := runToyStudy(t, dir, false, stop); !errors.Is(err, context.Canceled) {
			t.Fatalf("stop %v: %v, want context.Canceled", stop, err)
		}
		if _, err := runToyStudy(t, dir, false, [3]int{-1}); err == nil || !strings.Contains(err.Error(), "study already") {
			t.Fatalf("reopen without resume: %v", err)
		}
		got, err := runToyStudy(t, dir, true, [3]int{-1})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("stop %v: resumed study\n%v\nuninterrupted\n%v", stop, got, want)
		}
		if _, err := os.Stat(filepath.Join(dir, "cells", "lr=0.1", "run.fpck")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a finished cell's checkpoint was kept (%v)", err)
		}
	}
	dir := t.TempDir()
	if _, err := runToyStudy(t, dir, false, [3]int{-1}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, "toy", map[string]any{"lrs": []float64{1}}, 1, true); !errors.Is(err, ErrStudyMismatch) {
		t.Errorf("other settings: %v", err)
	}
}

// TestRecordsTornTail: a record log whose last record a crash cut short
// reads back without it; damage before the end is an error.
func TestRecordsTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	for i := range 3 {
		if err := appendRecord(path, rec{Epoch: i + 1, Loss: math.NaN()}); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(path)
	for cut := len(b) - 1; cut > len(b)*2/3; cut-- {
		os.WriteFile(path, b[:cut], 0o644)
		got, err := readRecords[rec](path)
		if err != nil || len(got) != 2 || got[1].Epoch != 2 || !math.IsNaN(got[1].Loss) {
			t.Fatalf("cut at %d of %d: %v, %v", cut, len(b), got, err)
		}
	}
	bad := append([]byte(nil), b...)
	bad[6] ^= 0xff
	os.WriteFile(path, bad, 0o644)
	if _, err := readRecords[rec](path); err == nil {
		t.Error("a damaged first record was accepted")
	}
}

// TestTrainCurveDiverged: a run that diverges ends with one Diverged
// record carrying the last finite epoch's times and steps, reported too.
func TestTrainCurveDiverged(t *testing.T) {
	d := toy(1, 200)
	r, err := Open(t.TempDir(), "curve", 1, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	su := setup{
		NewNet: func() (*layers.Network, error) { return layers.NewMLP([]int{4, 8, 3}, layers.MLPOptions{Seed: 1}) },
		NewOpt: func(lr float64) layers.Optimizer { return &layers.SGD{LR: layers.Constant(float32(lr))} },
	}
	var reported []curvePoint
	var pts []curvePoint
	_, err = r.Run("c", &pts, func(c *Cell) error {
		var err error
		pts, err = trainCurve(t.Context(), c, su, 1e6, d, d, d, layers.TrainConfig{Epochs: 5, BatchSize: 20, Seed: 1},
			func(p curvePoint) { reported = append(reported, p) })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) == 0 || !pts[len(pts)-1].Diverged || !math.IsNaN(pts[len(pts)-1].TrainLoss) || len(reported) != len(pts) {
		t.Fatalf("records %+v, reported %d", pts, len(reported))
	}
	last := pts[len(pts)-1]
	if last.Epoch != len(pts) {
		t.Errorf("diverged record at epoch %d after %d records", last.Epoch, len(pts)-1)
	}
	if len(pts) > 1 && last.Steps != pts[len(pts)-2].Steps {
		t.Errorf("diverged record's steps %d, the last finite epoch's %d", last.Steps, pts[len(pts)-2].Steps)
	}
}
