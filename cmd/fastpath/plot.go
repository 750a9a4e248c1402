package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	_ "gonum.org/v1/plot/vg/vgimg" // png
	_ "gonum.org/v1/plot/vg/vgpdf" // pdf
	_ "gonum.org/v1/plot/vg/vgsvg" // svg

	"github.com/fastpath-go/fastpath/internal/atomicfile"
)

// plotFormat returns the image format of a -plot file name.
func plotFormat(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case "png", "svg", "pdf":
		return ext, nil
	}
	return "", fmt.Errorf("-plot %q: want a .png, .svg or .pdf file name", path)
}

// writePlot draws the training curves of history, the loss on the left
// and the error (%) on the right, per epoch, into path (atomically).
func writePlot(path string, history []epochRecord) error {
	format, err := plotFormat(path)
	if err != nil {
		return err
	}
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

	c, err := draw.NewFormattedCanvas(10*vg.Inch, 4*vg.Inch, format)
	if err != nil {
		return err
	}
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Centimeter, PadTop: vg.Millimeter * 2,
		PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}
	canvases := plot.Align([][]*plot.Plot{{loss, errs}}, tiles, draw.New(c))
	loss.Draw(canvases[0][0])
	errs.Draw(canvases[0][1])
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := c.WriteTo(w)
		return err
	})
}
