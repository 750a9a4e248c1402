package plots

import (
	"math"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/fastpath-go/fastpath/experiment"
)

// ecdf returns the empirical distribution function of v (NaN and
// non-positive values dropped, for log axes) as points.
func ecdf(v []float64) plotter.XYs {
	v = slices.DeleteFunc(slices.Clone(v), func(x float64) bool { return !(x > 0) || math.IsInf(x, 0) })
	slices.Sort(v)
	pts := make(plotter.XYs, len(v))
	for i, x := range v {
		pts[i] = plotter.XY{X: x, Y: float64(i+1) / float64(len(v))}
	}
	return pts
}

// Conditions writes conditions.png to dir, the thesis's Figures 3-5 in
// three panels, initialisation (dashed) against trained (solid): C1, the
// distribution of 1/mu over examples and layer triples, interior and end
// splits; C2, the fraction of flipped ReLU states against the perturbation
// size; C3, the distribution of the hidden units' row-norm ratios.
func Conditions(dir string, res *experiment.ConditionsResult) error {
	c1, c2, c3 := plot.New(), plot.New(), plot.New()
	c1.Title.Text, c1.X.Label.Text, c1.Y.Label.Text = "C1: condition number 1/mu", "1/mu", "fraction of (example, a, c, b)"
	c2.Title.Text, c2.X.Label.Text, c2.Y.Label.Text = "C2: ReLU states flipped", "relative perturbation sigma", "fraction of hidden units"
	c3.Title.Text, c3.X.Label.Text, c3.Y.Label.Text = "C3: row norm / layer RMS", "||W_i[j,:]|| / RMS", "fraction of hidden units"
	c1.X.Scale, c1.X.Tick.Marker = plot.LogScale{}, LogTicks{}
	c2.X.Scale, c2.X.Tick.Marker = plot.LogScale{}, LogTicks{}
	for _, p := range []*plot.Plot{c1, c2, c3} {
		p.Legend.Top = true
		p.Legend.Left = true
	}
	dashed := []vg.Length{vg.Points(5), vg.Points(3)}
	add := func(p *plot.Plot, pts plotter.XYs, col int, dash bool, name string) error {
		if len(pts) == 0 {
			return nil
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color, l.Width = Palette[col], vg.Points(1.5)
		if dash {
			l.Dashes = dashed
		}
		p.Add(l)
		p.Legend.Add(name, l)
		return nil
	}
	for _, st := range res.Stages {
		dash := st.Stage == experiment.StageInit
		if err := add(c1, ecdf(st.InvMu(true)), 0, dash, st.Stage+", a < c < b-1"); err != nil {
			return err
		}
		if err := add(c1, ecdf(st.InvMu(false)), 1, dash, st.Stage+", c = a or b-1"); err != nil {
			return err
		}
		var flips plotter.XYs
		for i, s := range res.Config.Sigmas {
			flips = append(flips, plotter.XY{X: s, Y: st.Report.FlipTotal[i]})
		}
		if err := add(c2, flips, 2, dash, st.Stage); err != nil {
			return err
		}
		if err := add(c3, ecdf(st.RowRatios()), 3, dash, st.Stage); err != nil {
			return err
		}
	}
	return Save(filepath.Join(dir, "conditions.png"), 6*vg.Inch, 4.5*vg.Inch, c1, c2, c3)
}
