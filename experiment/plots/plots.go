// Package plots draws fastpath's figures (training curves, the studies of
// package experiment) with gonum.org/v1/plot. It is a separate package so
// that the core library and package experiment keep their small dependency
// set; the command-line tool imports it.
package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	_ "gonum.org/v1/plot/vg/vgimg" // png
	_ "gonum.org/v1/plot/vg/vgpdf" // pdf
	_ "gonum.org/v1/plot/vg/vgsvg" // svg

	"github.com/fastpath-go/fastpath/internal/atomicfile"
)

// Format returns the image format of a file name: png, svg or pdf.
func Format(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case "png", "svg", "pdf":
		return ext, nil
	}
	return "", fmt.Errorf("%q: want a .png, .svg or .pdf file name", path)
}

// Save draws the plots side by side (one row, each panel w x h) into
// path, atomically, in the format its extension names.
func Save(path string, w, h vg.Length, ps ...*plot.Plot) error {
	return SaveGrid(path, w, h, [][]*plot.Plot{ps})
}

// SaveGrid draws rows of plots (each panel w x h; a nil panel is left
// blank) into path, atomically, in the format its extension names.
func SaveGrid(path string, w, h vg.Length, rows [][]*plot.Plot) error {
	format, err := Format(path)
	if err != nil {
		return err
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	grid := make([][]*plot.Plot, len(rows))
	for i, r := range rows {
		grid[i] = make([]*plot.Plot, cols)
		for j := range cols {
			if j < len(r) && r[j] != nil {
				grid[i][j] = r[j]
			} else {
				grid[i][j] = plot.New()
				grid[i][j].HideAxes()
			}
		}
	}
	c, err := draw.NewFormattedCanvas(w*vg.Length(cols), h*vg.Length(len(rows)), format)
	if err != nil {
		return err
	}
	tiles := draw.Tiles{Rows: len(rows), Cols: cols, PadX: vg.Centimeter, PadY: vg.Millimeter * 4, PadTop: vg.Millimeter * 2,
		PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}
	canvases := plot.Align(grid, tiles, draw.New(c))
	for i := range grid {
		for j := range grid[i] {
			grid[i][j].Draw(canvases[i][j])
		}
	}
	return atomicfile.Write(path, func(wr io.Writer) error {
		_, err := c.WriteTo(wr)
		return err
	})
}

// LogTicks marks a log axis at every integer multiple of the powers of
// ten, labelling 1, 2 and 5 times them (plot.LogTicks labels only the
// powers of ten, often none on a short axis), only the powers of ten when
// the axis spans more than three decades (the labels would overlap); when
// fewer than two labelled marks fall in range it labels the ends.
type LogTicks struct{}

// Ticks returns the marks between lo and hi.
func (LogTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	if !(lo > 0) || !(hi >= lo) || math.IsInf(hi, 0) {
		return ts
	}
	labelled := 0
	wide := hi > 1000*lo
	for k := math.Floor(math.Log10(lo)); k <= math.Ceil(math.Log10(hi)); k++ {
		for m := 1.0; m < 10; m++ {
			v := m * math.Pow(10, k)
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || !wide && (m == 2 || m == 5) {
				t.Label = label(v)
				labelled++
			}
			ts = append(ts, t)
		}
	}
	if labelled < 2 {
		ts = append(ts, plot.Tick{Value: lo, Label: label(lo)}, plot.Tick{Value: hi, Label: label(hi)})
	}
	return ts
}

// label formats a tick value in three significant digits, whole numbers
// below a million without an exponent (1000, not 1e+03).
func label(v float64) string {
	s := strconv.FormatFloat(v, 'g', 3, 64)
	if strings.Contains(s, "e+") && v < 1e6 {
		s = strconv.FormatFloat(v, 'f', 0, 64)
	}
	return s
}

// Palette is the colours of the figures' series, in order.
var Palette = []color.RGBA{
	{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
}
