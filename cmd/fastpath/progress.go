package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/fastpath-go/fastpath/layers"
)

// progress reports training on stderr: a bar per epoch on a terminal,
// one line per epoch otherwise (logs, pipes, CI).
type progress interface {
	// step is called after every training step.
	step(s layers.StepStats)
	// epoch is called with each epoch's complete figures.
	epoch(rec epochRecord, epochs int)
	// done is called when training ends, for whatever reason.
	done()
}

// newProgress picks the bar when w is a terminal.
func newProgress(w io.Writer, epochs int) progress {
	if isTerminal(w) {
		return &barProgress{w: w, epochs: epochs}
	}
	return lineProgress{w: w}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// lineProgress writes one line per epoch.
type lineProgress struct{ w io.Writer }

func (lineProgress) step(layers.StepStats) {}
func (lineProgress) done()                 {}

func (p lineProgress) epoch(rec epochRecord, epochs int) {
	fmt.Fprintf(p.w, "fastpath train: epoch %d/%d: %s\n", rec.epoch, epochs, epochLine(rec))
}

// epochLine summarises an epoch in words.
func epochLine(rec epochRecord) string {
	parts := []string{fmt.Sprintf("loss %.4f", rec.trainLoss)}
	for _, e := range []struct {
		name string
		v    float64
	}{{"train", rec.trainErr}, {"val", rec.valErr}, {"test", rec.testErr}} {
		if e.v == e.v {
			parts = append(parts, fmt.Sprintf("%s error %s", e.name, percent(e.v)))
		}
	}
	parts = append(parts, fmt.Sprintf("%.0f examples/s", rec.examplesPerSec), fmt.Sprintf("%.1f s", rec.trainSeconds))
	return strings.Join(parts, ", ")
}

// barProgress draws a progress bar of the epoch's steps, with the running
// loss, and clears it at the end of the epoch (the table row follows on
// stdout).
type barProgress struct {
	w       io.Writer
	epochs  int
	bar     *progressbar.ProgressBar
	sum     float64
	n       int
	updated time.Time
}

func (p *barProgress) step(s layers.StepStats) {
	if s.Step == 1 || p.bar == nil {
		p.bar = progressbar.NewOptions(s.Steps,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(fmt.Sprintf("epoch %d/%d", s.Epoch, p.epochs)),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("steps"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		p.sum, p.n = 0, 0
	}
	p.sum += s.Loss
	p.n++
	p.bar.Set(s.Step)
	if now := time.Now(); now.Sub(p.updated) > 500*time.Millisecond && s.Step < s.Steps {
		p.updated = now
		p.bar.Describe(fmt.Sprintf("epoch %d/%d loss %.4f", s.Epoch, p.epochs, p.sum/float64(p.n)))
	}
}

func (p *barProgress) epoch(epochRecord, int) {}

func (p *barProgress) done() {
	if p.bar != nil && !p.bar.IsFinished() {
		p.bar.Exit()
		p.bar.Clear()
	}
}
