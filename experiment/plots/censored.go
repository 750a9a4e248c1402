package plots

import (
	"math"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/fastpath-go/fastpath/experiment"
)

// spreadXY is a series of (H, mean) points with their min-max range, for
// plotter.YErrorBars.
type spreadXY struct {
	xs     []float64
	sp     []experiment.Spread
	offset float64 // multiplies x, so that bars at one H do not overlap
}

func (s spreadXY) Len() int                    { return len(s.xs) }
func (s spreadXY) XY(i int) (float64, float64) { return s.xs[i] * s.offset, s.sp[i].Mean }
func (s spreadXY) YError(i int) (float64, float64) {
	return s.sp[i].Mean - s.sp[i].Min, s.sp[i].Max - s.sp[i].Mean
}

// Censored writes censored.png to dir, the thesis's Figure 2: one panel
// per label regime, side by side (original labels without (solid) and with weight decay
// (dashed); censored; censored with noise), each with the training error
// at the last epoch and the test error at the last epoch and at the
// early-stopping epoch against H, the bars spanning the repetitions.
func Censored(dir string, res *experiment.CensoredResult) error {
	var row []*plot.Plot
	for _, panel := range [][]string{{experiment.RegimeOriginal, experiment.RegimeDecay}, {experiment.RegimeCensored}, {experiment.RegimeNoisy}} {
		p := plot.New()
		p.Title.Text = panel[0] + " labels"
		if len(panel) > 1 {
			p.Title.Text += ", without (solid) and with (dashed) weight decay"
		}
		p.X.Label.Text = "hidden units H"
		p.Y.Label.Text = "error"
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = LogTicks{}
		p.Legend.Top = true
		for ri, regime := range panel {
			for mi, m := range []struct {
				name string
				get  func(experiment.CensoredPoint) experiment.Spread
			}{
				{"training error (last epoch)", func(p experiment.CensoredPoint) experiment.Spread { return p.TrainFinal }},
				{"test error (last epoch)", func(p experiment.CensoredPoint) experiment.Spread { return p.TestFinal }},
				{"test error (early stopping)", func(p experiment.CensoredPoint) experiment.Spread { return p.TestES }},
			} {
				s := spreadXY{offset: math.Pow(1.04, float64(mi+3*ri))}
				for _, pt := range res.Points {
					if pt.Regime == regime && !math.IsNaN(m.get(pt).Mean) {
						s.xs, s.sp = append(s.xs, float64(pt.H)), append(s.sp, m.get(pt))
					}
				}
				if s.Len() == 0 {
					continue
				}
				l, err := plotter.NewLine(s)
				if err != nil {
					return err
				}
				bars, err := plotter.NewYErrorBars(s)
				if err != nil {
					return err
				}
				col := Palette[mi]
				l.Color, bars.Color = col, col
				l.Width = vg.Points(1.5)
				if ri == 1 {
					l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
				}
				p.Add(l, bars)
				if ri == 0 {
					p.Legend.Add(m.name, l)
				}
			}
		}
		row = append(row, p)
	}
	return Save(filepath.Join(dir, "censored.png"), 6*vg.Inch, 4.5*vg.Inch, row...)
}
