package plots

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/fastpath-go/fastpath/experiment"
)

// rnnColors tells the methods apart in every plot.
var rnnColors = map[string]color.RGBA{
	"rnn-path": {R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	"irnn":     {R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	"sgd":      {R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff},
}

// RNN writes rnn_TASK_VARIANT.png to dir for each task variant of the rnn
// study: the held-out metric against the training iterations, one line per
// method (test MSE on a log scale for the addition problem, with the
// "solved" threshold); and rnn_TASK_VARIANT_time.png, the same curves
// against the training time (seconds of training, evaluations excluded).
func RNN(dir string, res *experiment.RNNResult) error {
	if err := rnnPlots(dir, res, false); err != nil {
		return err
	}
	return rnnPlots(dir, res, true)
}

// rnnPlots writes one plot per task variant, against the training
// iterations or (byTime) the training seconds.
func rnnPlots(dir string, res *experiment.RNNResult, byTime bool) error {
	task := res.Config.Task
	base := filepath.Join(dir, "rnn_"+task)
	var variants []string
	seen := map[string]bool{}
	for _, r := range res.Runs {
		if !seen[r.Variant] {
			seen[r.Variant] = true
			variants = append(variants, r.Variant)
		}
	}
	for _, v := range variants {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s %s", task, v)
		p.X.Label.Text = "iteration"
		if byTime {
			p.X.Label.Text = "training time (s)"
		}
		p.Y.Label.Text = res.MetricName()
		logY := task == "addition"
		if logY {
			p.Y.Scale = plot.LogScale{}
			p.Y.Tick.Marker = LogTicks{}
		}
		p.Legend.Top = task == "mnist"
		lines := 0
		for _, r := range res.Runs {
			if r.Variant != v || r.Phase == experiment.PhaseGrid {
				continue
			}
			var xy plotter.XYs
			for _, pt := range r.Points {
				y := pt.Metric
				if logY {
					y = math.Max(y, 1e-6) // a log axis cannot show 0
				}
				if math.IsNaN(y) || math.IsInf(y, 0) {
					continue
				}
				x := float64(pt.Iter)
				if byTime {
					x = pt.Seconds
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
			l.Color = rnnColors[r.Method]
			l.Width = vg.Points(1.5)
			p.Add(l)
			p.Legend.Add(r.Method, l)
			lines++
		}
		if lines == 0 {
			continue
		}
		if task == "addition" {
			// The "solved" threshold.
			thr, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0.01}, {X: p.X.Max, Y: 0.01}})
			if err == nil {
				thr.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
				thr.Color = color.Gray{Y: 0x60}
				p.Add(thr)
				p.Legend.Add("solved (0.01)", thr)
			}
		}
		name := base + "_" + strings.NewReplacer("=", "", "/", "_", "*", "", " ", "_").Replace(v)
		if byTime {
			name += "_time"
		}
		name += ".png"
		if err := Save(name, 6*vg.Inch, 4*vg.Inch, p); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	return nil
}
