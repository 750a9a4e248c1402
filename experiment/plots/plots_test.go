package plots

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func TestLogTicks(t *testing.T) {
	labels := func(lo, hi float64) (vals []float64, unlabelled int) {
		for _, tk := range (LogTicks{}).Ticks(lo, hi) {
			if tk.Label != "" {
				vals = append(vals, tk.Value)
			} else {
				unlabelled++
			}
		}
		return
	}
	if v, u := labels(0.9, 60); len(v) != 6 || v[0] != 1 || v[5] != 50 || u == 0 {
		t.Errorf("0.9..60: labelled %v, %d unlabelled; want 1 2 5 10 20 50", v, u)
	}
	if v, _ := labels(3, 4); len(v) != 2 || v[0] != 3 || v[1] != 4 {
		t.Errorf("3..4: labelled %v, want the ends", v)
	}
	for v, want := range map[float64]string{1000: "1000", 4096: "4096", 250: "250", 0.001: "0.001", 1e-5: "1e-05", 2e6: "2e+06"} {
		if got := label(v); got != want {
			t.Errorf("label(%g) = %q, want %q", v, got, want)
		}
	}
	if ts := (LogTicks{}).Ticks(-1, 4); len(ts) != 0 {
		t.Errorf("non-positive range: %v", ts)
	}
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	p := plot.New()
	l, err := plotter.NewLine(plotter.XYs{{X: 1, Y: 1}, {X: 2, Y: 3}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(l)
	for name, magic := range map[string][]byte{"a.png": []byte("\x89PNG"), "a.svg": []byte("<?xml"), "a.pdf": []byte("%PDF")} {
		path := filepath.Join(dir, name)
		if err := Save(path, 3*vg.Inch, 2*vg.Inch, p, p); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if !bytes.HasPrefix(b, magic) {
			t.Errorf("%s starts %q", name, b[:min(8, len(b))])
		}
	}
	if err := SaveGrid(filepath.Join(dir, "g.png"), vg.Inch, vg.Inch, [][]*plot.Plot{{p, nil}, {p}}); err != nil {
		t.Fatal(err)
	}
	if err := Save(filepath.Join(dir, "a.gif"), vg.Inch, vg.Inch, p); err == nil {
		t.Error("a .gif name was accepted")
	}
}
