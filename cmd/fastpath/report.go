package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/fastpath-go/fastpath/internal/atomicfile"
	"github.com/fastpath-go/fastpath/layers"
)

// epochRecord is one epoch's row of train's output, log and plot. Errors
// are fractions; NaN marks a figure not measured.
type epochRecord struct {
	epoch                        int
	lr, momentum                 float64
	trainLoss, trainErr          float64
	valLoss, valErr              float64
	testLoss, testErr            float64
	examplesPerSec, trainSeconds float64
}

// logColumns is the header of the -log CSV file.
var logColumns = []string{"epoch", "lr", "momentum", "train_loss", "train_error", "val_loss", "val_error",
	"test_loss", "test_error", "examples_per_s", "train_seconds"}

// row is the record as a -log CSV row (NaN as an empty field).
func (e epochRecord) row() []string {
	row := make([]string, 0, len(logColumns))
	for _, v := range e.fields() {
		if math.IsNaN(v) {
			row = append(row, "")
		} else {
			row = append(row, strconv.FormatFloat(v, 'g', 6, 64))
		}
	}
	return row
}

func (e epochRecord) fields() []float64 {
	return []float64{float64(e.epoch), e.lr, e.momentum, e.trainLoss, e.trainErr, e.valLoss, e.valErr,
		e.testLoss, e.testErr, e.examplesPerSec, e.trainSeconds}
}

// reporter writes train's per-epoch output: the table on stdout, the CSV
// log, the plot and the progress on stderr.
type reporter struct {
	stdout    io.Writer
	epochs    int
	classes   int
	dataLine  string
	hasVal    bool
	hasTest   bool
	evalTrain bool
	momentum  bool // the optimizer has a momentum
	lr, mu    layers.Schedule

	logPath  string
	logFile  *os.File
	log      *csv.Writer
	plotPath string
	history  []epochRecord
	progress progress
}

// open creates (or, when appending, extends) the CSV log; with appendLog
// the earlier rows are read back so that the plot shows the whole run.
// open opens the -log file. With resumeAt >= 0 (a resumed run whose
// checkpoint has resumeAt complete epochs) the rows of the earlier runs are
// kept up to that epoch and the rest dropped: a row written for an epoch
// whose checkpoint a crash lost, or a line cut short, is trained and
// written again. A new run (resumeAt < 0) starts a new log.
func (rep *reporter) open(logPath, plotPath string, resumeAt int) error {
	rep.logPath, rep.plotPath = logPath, plotPath
	if logPath == "" {
		return nil
	}
	if resumeAt >= 0 {
		old, err := readLog(logPath)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		for len(old) > 0 && old[len(old)-1].epoch > resumeAt {
			old = old[:len(old)-1]
		}
		rep.history = old
	}
	// The kept rows are rewritten atomically: a crash now leaves the old
	// log or the trimmed one.
	err := atomicfile.Write(logPath, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(logColumns)
		for _, r := range rep.history {
			cw.Write(r.row())
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	target, err := atomicfile.Target(logPath)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	rep.logFile, rep.log = f, csv.NewWriter(f)
	return nil
}

// readLog reads the rows of a -log file written by an earlier run; a last
// line without its newline (a write cut short) is dropped.
func readLog(path string) ([]epochRecord, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if i := bytes.LastIndexByte(b, '\n'); i+1 < len(b) {
		b = b[:i+1]
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("-log %s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var recs []epochRecord
	for i, row := range rows {
		if i == 0 {
			if fmt.Sprint(row) != fmt.Sprint(logColumns) {
				return nil, fmt.Errorf("-log %s: not a training log of this version (header %q)", path, row)
			}
			continue
		}
		if len(row) != len(logColumns) {
			return nil, fmt.Errorf("-log %s: line %d has %d fields, want %d", path, i+1, len(row), len(logColumns))
		}
		v := make([]float64, len(row))
		for j, s := range row {
			v[j] = math.NaN()
			if s != "" {
				if v[j], err = strconv.ParseFloat(s, 64); err != nil {
					return nil, fmt.Errorf("-log %s: line %d, field %d: %q is not a number", path, i+1, j+1, s)
				}
			}
		}
		recs = append(recs, epochRecord{epoch: int(v[0]), lr: v[1], momentum: v[2], trainLoss: v[3], trainErr: v[4],
			valLoss: v[5], valErr: v[6], testLoss: v[7], testErr: v[8], examplesPerSec: v[9], trainSeconds: v[10]})
	}
	return recs, nil
}

func (rep *reporter) close() {
	if rep.logFile != nil {
		rep.logFile.Close()
	}
}

// header prints the table's column names.
func (rep *reporter) header() {
	fmt.Fprintf(rep.stdout, "\n%5s  %10s  %9s  %9s  %9s  %10s  %7s\n", "epoch", "train_loss", "train_err", "val_err", "test_err", "examples/s", "time_s")
}

// epoch completes an epoch's figures (training and test errors), prints
// them and writes the log and the plot.
func (rep *reporter) epoch(s layers.EpochStats, r *trainRun) error {
	rec := epochRecord{
		epoch: s.Epoch, lr: float64(rep.lr(s.Epoch - 1)), momentum: math.NaN(),
		trainLoss: s.Loss, trainErr: math.NaN(),
		valLoss: s.ValLoss, valErr: errorRate(s.ValAccuracy),
		testLoss: math.NaN(), testErr: math.NaN(),
		examplesPerSec: s.ExamplesPerSec, trainSeconds: s.Duration.Seconds(),
	}
	if rep.momentum {
		rec.momentum = 0
		if rep.mu != nil {
			rec.momentum = float64(rep.mu(s.Epoch - 1))
		}
	}
	const evalBatch = 500
	if rep.evalTrain {
		_, acc, err := layers.Evaluate(r.net, r.train, evalBatch)
		if err != nil {
			return err
		}
		rec.trainErr = 1 - acc
	}
	if r.test != nil {
		loss, acc, err := layers.Evaluate(r.net, r.test, evalBatch)
		if err != nil {
			return err
		}
		rec.testLoss, rec.testErr = loss, 1-acc
	}
	rep.history = append(rep.history, rec)
	fmt.Fprintf(rep.stdout, "%5d  %10.4f  %9s  %9s  %9s  %10.0f  %7.2f\n", rec.epoch, rec.trainLoss,
		percent(rec.trainErr), percent(rec.valErr), percent(rec.testErr), rec.examplesPerSec, rec.trainSeconds)
	rep.progress.epoch(rec, rep.epochs)
	if rep.log != nil {
		rep.log.Write(rec.row())
		rep.log.Flush()
		if err := rep.log.Error(); err != nil {
			return fmt.Errorf("writing -log %s: %w", rep.logPath, err)
		}
	}
	if rep.plotPath != "" {
		if err := writePlot(rep.plotPath, rep.history); err != nil {
			return fmt.Errorf("writing -plot %s: %w", rep.plotPath, err)
		}
	}
	return nil
}

// summary prints the closing line of a completed run.
func (rep *reporter) summary(elapsed time.Duration, out string) {
	if len(rep.history) == 0 {
		return
	}
	last := rep.history[len(rep.history)-1]
	fmt.Fprintln(rep.stdout)
	switch {
	case !math.IsNaN(last.testErr):
		fmt.Fprintf(rep.stdout, "test error %s after %s", percent(last.testErr), plural(last.epoch, "epoch"))
	case !math.IsNaN(last.valErr):
		fmt.Fprintf(rep.stdout, "validation error %s after %s", percent(last.valErr), plural(last.epoch, "epoch"))
	default:
		fmt.Fprintf(rep.stdout, "training loss %.4f after %s", last.trainLoss, plural(last.epoch, "epoch"))
	}
	fmt.Fprintf(rep.stdout, ", %.0f s in all", elapsed.Seconds())
	if out != "" {
		fmt.Fprintf(rep.stdout, "; model saved to %s", out)
	}
	fmt.Fprintln(rep.stdout)
}

// percent formats an error fraction, "-" when not measured.
func percent(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*v)
}
