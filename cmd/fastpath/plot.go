package main

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/fastpath-go/fastpath/experiment/plots"
)

// plotFormat returns the image format of a -plot file name.
func plotFormat(path string) (string, error) {
	f, err := plots.Format(path)
	if err != nil {
		return "", fmt.Errorf("-plot %w", err)
	}
	return f, nil
}

// writePlot draws the training curves of history, the loss on the left
// and the error (%) on the right, per epoch, into path (atomically).
func writePlot(path string, history []epochRecord) error {
	loss := plot.New()
	loss.Title.Text = "loss (cross-entropy)"
	errs := plot.New()
	errs.Title.Text = "error (%)"
	for _, p := range []*plot.Plot{loss, errs} {
		p.X.Label.Text = "epoch"
		p.Add(plotter.NewGrid())
		p.Legend.Top = true
	}
	series := func(get func(epochRecord) float64, scale float64) plotter.XYs {
		var xys plotter.XYs
		for _, h := range history {
			if v := get(h); !math.IsNaN(v) && !math.IsInf(v, 0) {
				xys = append(xys, plotter.XY{X: float64(h.epoch), Y: scale * v})
			}
		}
		return xys
	}
	add := func(p *plot.Plot, curves ...any) error {
		// Drop the curves without data (no validation set, no test set).
		var keep []any
		for i := 0; i < len(curves); i += 2 {
			if len(curves[i+1].(plotter.XYs)) > 0 {
				keep = append(keep, curves[i], curves[i+1])
			}
		}
		return plotutil.AddLinePoints(p, keep...)
	}
	if err := add(loss,
		"train (during the epoch)", series(func(h epochRecord) float64 { return h.trainLoss }, 1),
		"validation", series(func(h epochRecord) float64 { return h.valLoss }, 1),
		"test", series(func(h epochRecord) float64 { return h.testLoss }, 1)); err != nil {
		return err
	}
	if err := add(errs,
		"train", series(func(h epochRecord) float64 { return h.trainErr }, 100),
		"validation", series(func(h epochRecord) float64 { return h.valErr }, 100),
		"test", series(func(h epochRecord) float64 { return h.testErr }, 100)); err != nil {
		return err
	}
	loss.Y.Min, errs.Y.Min = 0, 0
	return plots.Save(path, 5*vg.Inch, 4*vg.Inch, loss, errs)
}
