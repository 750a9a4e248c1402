package plots

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/fastpath-go/fastpath/experiment"
)

// Measures writes STUDY.png to dir for the labels and width studies: one
// panel per quantity (test error, the margin-normalized measures, the
// bound, the sharpness) against the training-set size (one line per label
// kind) or the width. The models study has no figure.
func Measures(dir string, res *experiment.MeasuresResult) error {
	var xlabel string
	var x func(experiment.MeasuresRow) (string, float64)
	switch res.Study {
	case "labels":
		xlabel = "training-set size"
		x = func(r experiment.MeasuresRow) (string, float64) { return r.Labels + " labels", float64(r.N) }
	case "width":
		xlabel = "hidden units H"
		x = func(r experiment.MeasuresRow) (string, float64) {
			v, _ := strconv.Atoi(r.Hidden)
			return "", float64(v)
		}
	default:
		return nil
	}
	if len(res.Rows) == 0 {
		return nil
	}
	panels := []struct {
		title string
		val   func(experiment.MeasuresRow) float64
	}{
		{"test error", func(r experiment.MeasuresRow) float64 { return r.TestErr }},
		{"l2 / gamma^2", func(r experiment.MeasuresRow) float64 { return r.Rep.Normalized.L2 }},
		{"l1-path / gamma^2", func(r experiment.MeasuresRow) float64 { return r.Rep.Normalized.L1Path }},
		{"l2-path / gamma^2", func(r experiment.MeasuresRow) float64 { return r.Rep.Normalized.L2Path }},
		{"spectral / gamma^2", func(r experiment.MeasuresRow) float64 { return r.Rep.Normalized.Spectral }},
		{"bartlett / gamma^2", func(r experiment.MeasuresRow) float64 { return r.Rep.Normalized.Bartlett }},
		{"pac-bayes / gamma^2", func(r experiment.MeasuresRow) float64 { return r.Rep.Normalized.PACBayes }},
		{"PAC-Bayes bound", func(r experiment.MeasuresRow) float64 { return r.Rep.Bound.Value }},
		{"worst-case sharpness", func(r experiment.MeasuresRow) float64 { return r.Sharp.Value }},
	}
	const cols = 3
	grid := make([][]*plot.Plot, (len(panels)+cols-1)/cols)
	var series []string
	for _, r := range res.Rows {
		if s, _ := x(r); !slices.Contains(series, s) {
			series = append(series, s)
		}
	}
	// The x axis is marked at the data's x values.
	var xticks plot.ConstantTicks
	for _, r := range res.Rows {
		_, xv := x(r)
		if !slices.ContainsFunc(xticks, func(t plot.Tick) bool { return t.Value == xv }) {
			xticks = append(xticks, plot.Tick{Value: xv, Label: strconv.FormatFloat(xv, 'g', 6, 64)})
		}
	}
	for i, pn := range panels {
		p := plot.New()
		p.Title.Text = pn.title
		p.X.Label.Text = xlabel
		// Points with an infinite or undefined value (a margin gamma <= 0)
		// are left out; log axes need at least one point, all positive.
		var args []any
		count, positive := 0, true
		for _, s := range series {
			var pts plotter.XYs
			for _, r := range res.Rows {
				if rs, xv := x(r); rs == s {
					if v := pn.val(r); !math.IsNaN(v) && !math.IsInf(v, 0) {
						pts = append(pts, plotter.XY{X: xv, Y: v})
						count++
						positive = positive && v > 0
					}
				}
			}
			args = append(args, s, pts)
		}
		if count > 0 {
			p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, xticks
			if positive {
				p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, LogTicks{}
			}
		}
		if err := plotutil.AddLinePoints(p, args...); err != nil {
			return err
		}
		// Networks that stopped above the training-error target are
		// crossed out.
		var short plotter.XYs
		for _, r := range res.Rows {
			if v := pn.val(r); r.Short(res.Config.Target) && !math.IsNaN(v) && !math.IsInf(v, 0) {
				_, xv := x(r)
				short = append(short, plotter.XY{X: xv, Y: v})
			}
		}
		if len(short) > 0 {
			sc, err := plotter.NewScatter(short)
			if err != nil {
				return err
			}
			sc.GlyphStyle.Shape = draw.CrossGlyph{}
			sc.GlyphStyle.Radius = vg.Points(5)
			sc.GlyphStyle.Color = color.Black
			p.Add(sc)
			if i == 0 {
				p.Legend.Add(fmt.Sprintf("training error > %g", res.Config.Target), sc)
			}
		}
		if i > 0 {
			p.Legend = plot.NewLegend() // the first panel's legend serves all
		}
		p.Legend.Top = true
		if grid[i/cols] == nil {
			grid[i/cols] = make([]*plot.Plot, cols)
		}
		grid[i/cols][i%cols] = p
	}
	return SaveGrid(filepath.Join(dir, res.Study+".png"), vg.Points(360), vg.Points(270), grid)
}

// MeasuresSweep writes STUDY_sweep.png to dir when the study ran the
// sharpness sweep: expected sharpness against its KL term (one panel per
// label kind, one curve per network, alpha growing from right to left),
// and worst-case sharpness against alpha, networks that stopped above the
// training-error target dashed.
func MeasuresSweep(dir string, res *experiment.MeasuresResult) error {
	if len(res.Config.SweepAlphas) == 0 || len(res.Rows) == 0 {
		return nil
	}
	var kinds []string
	for _, r := range res.Rows {
		if !slices.Contains(kinds, r.Labels) {
			kinds = append(kinds, r.Labels)
		}
	}
	name := func(r experiment.MeasuresRow) string {
		if res.Study == "width" {
			return "H=" + r.Hidden
		}
		return fmt.Sprintf("n=%d", r.N)
	}
	var row []*plot.Plot
	worst := plot.New()
	worst.Title.Text = "worst-case sharpness"
	worst.X.Label.Text, worst.Y.Label.Text = "alpha (box alpha (|w|+1))", "max L(w+nu) - L(w)"
	worst.X.Scale, worst.X.Tick.Marker = plot.LogScale{}, LogTicks{}
	worst.Legend.Top, worst.Legend.Left = true, true
	for ki, kind := range kinds {
		p := plot.New()
		p.Title.Text = kind + " labels: expected sharpness vs KL"
		p.X.Label.Text, p.Y.Label.Text = "KL = sum w^2 / (2 sigma_i^2)", "E L(w+nu) - L(w)"
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, LogTicks{}
		p.Legend.Top = true
		i := 0
		for _, r := range res.Rows {
			if r.Labels != kind || len(r.Sweep) == 0 {
				continue
			}
			var pts, wpts plotter.XYs
			for _, s := range r.Sweep {
				if s.KL > 0 && !math.IsInf(s.KL, 0) && !math.IsNaN(s.Expected) {
					pts = append(pts, plotter.XY{X: s.KL, Y: s.Expected})
				}
				if !math.IsNaN(s.WorstCase) {
					wpts = append(wpts, plotter.XY{X: s.Alpha, Y: s.WorstCase})
				}
			}
			col := Palette[i%len(Palette)]
			for _, set := range []struct {
				p    *plot.Plot
				pts  plotter.XYs
				name string
			}{{p, pts, name(r)}, {worst, wpts, kind + " " + name(r)}} {
				if len(set.pts) == 0 {
					continue
				}
				l, s, err := plotter.NewLinePoints(set.pts)
				if err != nil {
					return err
				}
				l.Color, s.Color = col, col
				if ki == 1 || r.Short(res.Config.Target) {
					l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
				}
				set.p.Add(l, s)
				set.p.Legend.Add(set.name, l)
			}
			i++
		}
		row = append(row, p)
	}
	if positive := func() bool {
		for _, r := range res.Rows {
			for _, s := range r.Sweep {
				if !(s.WorstCase > 0) {
					return false
				}
			}
		}
		return true
	}(); positive {
		worst.Y.Scale, worst.Y.Tick.Marker = plot.LogScale{}, LogTicks{}
	}
	row = append(row, worst)
	return Save(filepath.Join(dir, res.Study+"_sweep.png"), 6*vg.Inch, 4.5*vg.Inch, row...)
}
