package main

import (
	"fmt"
	"github.com/fastpath-go/fastpath/experiment/plots"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// rnnColors tells the methods apart in every plot.
var rnnColors = map[string]color.RGBA{
	"rnn-path": {R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	"irnn":     {R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	"sgd":      {R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff},
}

// plot writes one PNG per task variant: the held-out metric against the
// training iterations, one line per method (test MSE on a log scale for
// the addition problem).
func (e *rnnExp) plot(base string) error {
	var variants []string
	seen := map[string]bool{}
	for _, r := range e.results {
		if !seen[r.variant] {
			seen[r.variant] = true
			variants = append(variants, r.variant)
		}
	}
	for _, v := range variants {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s %s", e.task, v)
		p.X.Label.Text = "iteration"
		p.Y.Label.Text = e.metricName()
		logY := e.task == "addition"
		if logY {
			p.Y.Scale = plot.LogScale{}
			p.Y.Tick.Marker = plots.LogTicks{}
		}
		p.Legend.Top = e.task == "mnist"
		lines := 0
		for _, r := range e.results {
			if r.variant != v {
				continue
			}
			var xy plotter.XYs
			for _, pt := range r.points {
				y := pt.metric
				if logY {
					y = math.Max(y, 1e-6) // a log axis cannot show 0
				}
				if math.IsNaN(y) || math.IsInf(y, 0) {
					continue
				}
				xy = append(xy, plotter.XY{X: float64(pt.iter), Y: y})
			}
			if len(xy) == 0 {
				continue
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return err
			}
			l.Color = rnnColors[r.method]
			l.Width = vg.Points(1.5)
			p.Add(l)
			p.Legend.Add(r.method, l)
			lines++
		}
		if lines == 0 {
			continue
		}
		if e.task == "addition" {
			// The "solved" threshold.
			thr, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0.01}, {X: p.X.Max, Y: 0.01}})
			if err == nil {
				thr.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
				thr.Color = color.Gray{Y: 0x60}
				p.Add(thr)
				p.Legend.Add("solved (0.01)", thr)
			}
		}
		name := base + "_" + strings.NewReplacer("=", "", "/", "_", "*", "", " ", "_").Replace(v) + ".png"
		if err := plots.Save(name, 6*vg.Inch, 4*vg.Inch, p); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return nil
}
