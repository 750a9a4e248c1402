package plots

import (
	"image/color"
	"math"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/fastpath-go/fastpath/experiment"
)

// DDP writes ddp.png to dir: the training loss and the test error of
// every method of the ddp study against the epoch (top) and against the
// wall-clock seconds of training and evaluation (bottom). DDP-SGD's lines
// are solid, DDP-Normalization's dashed, each alpha its shade; SGD,
// Path-SGD and batch normalization have colours of their own.
func DDP(dir string, res *experiment.DDPResult) error {
	order, by := res.ByMethod()
	var rows [][]*plot.Plot
	for _, time := range []bool{false, true} {
		var row []*plot.Plot
		for _, metric := range []string{"training loss", "test error"} {
			p := plot.New()
			p.Title.Text = "MNIST: " + metric
			p.X.Label.Text = "epoch"
			if time {
				p.X.Label.Text = "seconds (training and evaluation)"
			}
			p.Y.Label.Text = metric
			p.Y.Scale = plot.LogScale{}
			p.Y.Tick.Marker = LogTicks{}
			for _, m := range order {
				var xy plotter.XYs
				for _, r := range by[m] {
					y := r.TrainLoss
					if metric == "test error" {
						y = r.TestErr
					}
					if r.Diverged || !(y > 0) || math.IsInf(y, 0) {
						continue
					}
					x := float64(r.Epoch)
					if time {
						x = r.Seconds
					}
					xy = append(xy, plotter.XY{X: x, Y: y})
				}
				if len(xy) == 0 {
					continue
				}
				l, err := plotter.NewLine(xy)
				if err != nil {
					return err
				}
				l.Color, l.Dashes = ddpStyle(m)
				l.Width = vg.Points(1.5)
				p.Add(l)
				if !time && metric == "training loss" {
					p.Legend.Add(m.String(), l)
				}
			}
			p.Legend.Left = true
			row = append(row, p)
		}
		rows = append(rows, row)
	}
	return SaveGrid(filepath.Join(dir, "ddp.png"), 6*vg.Inch, 4.5*vg.Inch, rows)
}

// ddpStyle is a method's colour and dash pattern.
func ddpStyle(m experiment.DDPMethod) (color.Color, []vg.Length) {
	switch m.Name {
	case "sgd":
		return Palette[0], nil
	case "pathsgd":
		return Palette[2], nil
	case "batchnorm":
		return color.Black, nil
	}
	// alpha 0 .. 1 from blue to orange.
	a, b := Palette[1], Palette[3]
	mix := func(x, y uint8) uint8 { return uint8(float64(x) + m.Alpha*(float64(y)-float64(x))) }
	c := color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
	if m.Name == "ddpnorm" {
		return c, []vg.Length{vg.Points(5), vg.Points(3)}
	}
	return c, nil
}
