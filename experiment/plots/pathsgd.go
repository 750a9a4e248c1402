package plots

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/fastpath-go/fastpath/experiment"
)

// optColors gives each optimizer a colour; the initialisation picks the
// dash pattern (solid balanced, dashed unbalanced).
var optColors = map[string]color.RGBA{"sgd": Palette[0], "adagrad": Palette[1], "pathsgd": Palette[2]}

// dropoutTag spells a dropout probability for a file name: 0.5 -> "05".
func dropoutTag(p float64) string {
	return strings.ReplaceAll(strconv.FormatFloat(p, 'g', -1, 64), ".", "")
}

// PathSGDCompare writes, for each dropout of the study, train_loss_dropoutX.png
// and test_error_dropoutX.png (one line per initialisation and optimizer
// against the epoch) and train_loss_time_dropoutX.png and
// test_error_time_dropoutX.png (the same against the cell's wall-clock
// seconds of training and evaluation) to dir.
func PathSGDCompare(dir string, res *experiment.CompareResult) error {
	for _, dropout := range res.Config.Dropouts {
		for _, metric := range []string{"train_loss", "test_error"} {
			for _, time := range []bool{false, true} {
				p := plot.New()
				p.Title.Text = fmt.Sprintf("MNIST, dropout %g: %s", dropout, strings.ReplaceAll(metric, "_", " "))
				p.X.Label.Text = "epoch"
				if time {
					p.X.Label.Text = "seconds (training and evaluation)"
				}
				p.Y.Label.Text = strings.ReplaceAll(metric, "_", " ")
				if metric == "train_loss" {
					p.Y.Scale = plot.LogScale{}
					p.Y.Tick.Marker = LogTicks{}
				}
				p.Legend.Left = true // the curves fall: the lower left stays clear
				lines := map[experiment.PathSGDCell]plotter.XYs{}
				var order []experiment.PathSGDCell
				for _, r := range res.Curves {
					if r.Dropout != dropout || r.Diverged {
						continue
					}
					y := r.TrainLoss
					if metric == "test_error" {
						y = r.TestErr
					}
					if !(y > 0) || math.IsInf(y, 0) {
						continue
					}
					if _, ok := lines[r.PathSGDCell]; !ok {
						order = append(order, r.PathSGDCell)
					}
					x := float64(r.Epoch)
					if time {
						x = r.Seconds
					}
					lines[r.PathSGDCell] = append(lines[r.PathSGDCell], plotter.XY{X: x, Y: y})
				}
				for _, c := range order {
					l, err := plotter.NewLine(lines[c])
					if err != nil {
						return err
					}
					l.Color = optColors[c.Opt]
					l.Width = vg.Points(1.5)
					if c.Init == "unbalanced" {
						l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
					}
					p.Add(l)
					p.Legend.Add(c.Init+" "+c.Opt, l)
				}
				tag := metric
				if time {
					tag += "_time"
				}
				name := filepath.Join(dir, fmt.Sprintf("%s_dropout%s.png", tag, dropoutTag(dropout)))
				if err := Save(name, 6*vg.Inch, 4*vg.Inch, p); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// PathSGDWidth writes width.png to dir: the thesis's Figure 1, the training
// error and the test error at the last epoch and the test error at the
// early-stopping epoch against H.
func PathSGDWidth(dir string, res *experiment.WidthResult) error {
	p := plot.New()
	p.Title.Text = "10x10 MNIST, one hidden layer: error vs width"
	p.X.Label.Text = "hidden units H"
	p.Y.Label.Text = "error"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = LogTicks{}
	p.Legend.Top = true
	for _, m := range []struct {
		name string
		col  color.RGBA
		get  func(experiment.WidthRow) float64
	}{
		{"training error (last epoch)", Palette[1], func(r experiment.WidthRow) float64 { return r.FinalTrainErr }},
		{"test error (last epoch)", Palette[3], func(r experiment.WidthRow) float64 { return r.FinalTestErr }},
		{"test error (early stopping)", Palette[0], func(r experiment.WidthRow) float64 { return r.TestErr }},
	} {
		var pts plotter.XYs
		for _, r := range res.Rows {
			if y := m.get(r); !math.IsNaN(y) {
				pts = append(pts, plotter.XY{X: float64(r.H), Y: y})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, s, err := plotter.NewLinePoints(pts)
		if err != nil {
			return err
		}
		l.Color, s.Color = m.col, m.col
		p.Add(l, s)
		p.Legend.Add(m.name, l, s)
	}
	return Save(filepath.Join(dir, "width.png"), 6*vg.Inch, 4*vg.Inch, p)
}
