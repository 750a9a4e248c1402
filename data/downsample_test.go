package data

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
)

// imageDataset returns a dataset of the given h x w images.
func imageDataset(h, w int, images ...[]float32) *Dataset {
	d := &Dataset{Classes: 1, Height: h, Width: w, Y: make([]int, len(images))}
	d.X = blas32.General{Rows: len(images), Cols: h * w, Stride: h * w}
	for _, im := range images {
		d.X.Data = append(d.X.Data, im...)
	}
	return d
}

// near fails t unless got and want agree to float32 rounding.
func near(t *testing.T, what string, got []float32, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(float64(got[i])-want[i]) > 1e-6 {
			t.Fatalf("%s: value %d = %v, want %v\n got  %v\n want %v", what, i, got[i], want[i], got, want)
		}
	}
}

func TestAreaWeights(t *testing.T) {
	// 28 to 10: output i covers input [2.8i, 2.8i+2.8).
	w := areaWeights(10, 28)
	for _, c := range []struct {
		i, first int
		w        []float64
	}{
		{0, 0, []float64{1 / 2.8, 1 / 2.8, 0.8 / 2.8}},
		{1, 2, []float64{0.2 / 2.8, 1 / 2.8, 1 / 2.8, 0.6 / 2.8}},
		{2, 5, []float64{0.4 / 2.8, 1 / 2.8, 1 / 2.8, 0.4 / 2.8}},
		{9, 25, []float64{0.8 / 2.8, 1 / 2.8, 1 / 2.8}}, // [25.2, 28)
	} {
		got := w[c.i]
		if got.first != c.first || len(got.w) != len(c.w) {
			t.Fatalf("output %d: first %d, %d weights %v; want %d, %v", c.i, got.first, len(got.w), got.w, c.first, c.w)
		}
		near(t, fmt.Sprint("output ", c.i), toF32(got.w), c.w)
	}
	// Every input pixel is spread over outputs with total weight 10/28.
	for _, nm := range [][2]int{{10, 28}, {14, 28}, {3, 7}, {7, 3}, {5, 5}, {1, 9}} {
		n, m := nm[0], nm[1]
		per := make([]float64, m)
		for _, s := range areaWeights(n, m) {
			sum := 0.0
			for k, v := range s.w {
				per[s.first+k] += v
				sum += v
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Fatalf("%d to %d: weights sum to %v", m, n, sum)
			}
		}
		for p, v := range per {
			if math.Abs(v-float64(n)/float64(m)) > 1e-12 {
				t.Fatalf("%d to %d: input %d has total weight %v, want %v", m, n, p, v, float64(n)/float64(m))
			}
		}
	}
}

func toF32(v []float64) []float32 {
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	return f
}

func TestDownsampleHand(t *testing.T) {
	// 4x4 to 2x2: 2x2 block means.
	d := imageDataset(4, 4, []float32{
		1, 2, 3, 4,
		5, 6, 7, 8,
		9, 10, 11, 12,
		13, 14, 15, 16,
	})
	near(t, "4x4 to 2x2", d.Downsample(2, 2).X.Data, []float64{3.5, 5.5, 11.5, 13.5})

	// 3x3 to 2x2: output pixels span 1.5 input pixels; output (0,0) takes
	// a (1 x 1), b and d halved, e quartered, over 2.25.
	d = imageDataset(3, 3, []float32{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	})
	near(t, "3x3 to 2x2", d.Downsample(2, 2).X.Data, []float64{
		(1 + 0.5*2 + 0.5*4 + 0.25*5) / 2.25, (3 + 0.5*2 + 0.5*6 + 0.25*5) / 2.25,
		(7 + 0.5*4 + 0.5*8 + 0.25*5) / 2.25, (9 + 0.5*6 + 0.5*8 + 0.25*5) / 2.25,
	})

	// 2x3 to 1x2 (rows and columns differ): columns 0, half of 1 | half
	// of 1, 2; over 2 rows.
	d = imageDataset(2, 3, []float32{1, 2, 3, 4, 5, 6})
	near(t, "2x3 to 1x2", d.Downsample(1, 2).X.Data, []float64{(1 + 1 + 4 + 2.5) / 3, (1 + 3 + 2.5 + 6) / 3})

	// 2x2 to 3x3 enlarges: the centre row and column span [2/3, 4/3),
	// a third of each neighbour, so they average two pixels equally.
	d = imageDataset(2, 2, []float32{0, 3, 6, 9})
	near(t, "2x2 to 3x3", d.Downsample(3, 3).X.Data, []float64{0, 1.5, 3, 3, 4.5, 6, 6, 7.5, 9})

	// 28x28 to 10x10, one lit pixel at (2, 2): it lies 0.8 in output 0
	// and 0.2 in output 1 along each axis, so outputs (0,0), (0,1), (1,0)
	// and (1,1) get 0.64, 0.16, 0.16 and 0.04 of it, over 2.8*2.8.
	img := make([]float32, 784)
	img[2*28+2] = 1
	want := make([]float64, 100)
	want[0], want[1], want[10], want[11] = 0.64/7.84, 0.16/7.84, 0.16/7.84, 0.04/7.84
	// A second image: pixel (27, 13), in output row 9 whole; column 13
	// spans [13, 14), outputs 4 ([11.2, 14)) whole.
	img2 := make([]float32, 784)
	img2[27*28+13] = 1
	want2 := make([]float64, 100)
	want2[94] = 1 / 7.84
	d = imageDataset(28, 28, img, img2)
	s := d.Downsample(10, 10)
	if s.Len() != 2 || s.Dim() != 100 || s.X.Stride != 100 || s.Height != 10 || s.Width != 10 || s.Classes != 1 || len(s.Y) != 2 {
		t.Fatalf("downsampled fields %+v", s)
	}
	near(t, "28x28 to 10x10, pixel (2,2)", s.X.Data[:100], want)
	near(t, "28x28 to 10x10, pixel (27,13)", s.X.Data[100:], want2)
}

func TestDownsampleProperties(t *testing.T) {
	train, _, err := LoadMNIST(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	sub := train.Subset(seq(0, 50))
	for _, hw := range [][2]int{{10, 10}, {14, 14}, {28, 28}, {7, 12}, {1, 1}} {
		h, w := hw[0], hw[1]
		s := sub.Downsample(h, w)
		for e := range sub.Len() {
			// Intensity times pixel area is preserved, and values stay in
			// [0, 1].
			var in, out float64
			for _, v := range sub.Row(e) {
				in += float64(v)
			}
			for _, v := range s.Row(e) {
				out += float64(v)
				if v < 0 || v > 1 {
					t.Fatalf("%dx%d: value %v", h, w, v)
				}
			}
			out *= 784 / float64(h*w)
			if math.Abs(in-out) > 1e-3 {
				t.Fatalf("%dx%d, image %d: mass %v, want %v", h, w, e, out, in)
			}
		}
		if h == 28 && w == 28 {
			near(t, "28x28 identity", s.X.Data, toF64(sub.X.Data))
		}
	}
	// All-ones images stay ones.
	ones := make([]float32, 784)
	for i := range ones {
		ones[i] = 1
	}
	near(t, "ones", imageDataset(28, 28, ones).Downsample(10, 10).X.Data, toF64(ones[:100]))

	// A strided source reads the right rows.
	d := imageDataset(2, 2, []float32{1, 2, 3, 4}, []float32{5, 6, 7, 8})
	d.X = blas32.General{Rows: 2, Cols: 4, Stride: 6, Data: []float32{1, 2, 3, 4, -1, -1, 5, 6, 7, 8}}
	near(t, "strided", d.Downsample(1, 1).X.Data, []float64{2.5, 6.5})

	mustPanic(t, badSize, func() { d.Downsample(0, 1) })
	mustPanic(t, badSize, func() { d.Downsample(1, -1) })
	mustPanic(t, noShape, func() {
		(&Dataset{X: blas32.General{Rows: 1, Cols: 4, Stride: 4, Data: make([]float32, 4)}}).Downsample(1, 1)
	})
	mustPanic(t, noShape, func() {
		(&Dataset{Height: 3, Width: 3, X: blas32.General{Rows: 1, Cols: 4, Stride: 4, Data: make([]float32, 4)}}).Downsample(1, 1)
	})
}

func toF64(v []float32) []float64 {
	f := make([]float64, len(v))
	for i, x := range v {
		f[i] = float64(x)
	}
	return f
}

func BenchmarkDownsample(b *testing.B) {
	train, _, err := LoadMNIST(fixtures)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		train.Downsample(10, 10)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(train.Len()), "ns/image")
}
