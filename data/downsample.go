package data

import (
	"gonum.org/v1/gonum/blas/blas32"
)

// Downsample returns a copy of d with every image resized to h x w pixels
// by area averaging: each output pixel is the mean of the input image over
// the rectangle that the output pixel covers when both images span the
// same square, input pixels cut by its edges counting by the fraction
// covered. The total intensity, scaled by the pixel areas, is preserved,
// and an integer ratio is the plain block mean (28x28 to 14x14 averages
// 2x2 blocks).
//
// From 28 to 10, each output pixel spans 2.8 input pixels: along each
// axis, output pixel i covers input [2.8i, 2.8i+2.8), so output 0 takes
// input pixels 0 and 1 whole and 0.8 of pixel 2; output 1 the other 0.2 of
// pixel 2, pixels 3 and 4 and 0.6 of pixel 5; and so on to output 9,
// which takes 0.8 of pixel 25 and pixels 26 and 27 whole. The 2-D weight of an input pixel is the
// product of its two axis fractions, divided by 2.8*2.8. The 10x10 MNIST
// of the width experiments (pathsgd.md section 7) is d.Downsample(10, 10).
//
// Sizes larger than the input enlarge the image (each output pixel then
// averages at most four input pixels). Downsample panics if h or w is not
// positive, or if d has no image shape (Height or Width 0).
func (d *Dataset) Downsample(h, w int) *Dataset {
	if h < 1 || w < 1 {
		panic(badSize)
	}
	if d.Height < 1 || d.Width < 1 || d.Height*d.Width != d.X.Cols {
		panic(noShape)
	}
	H, W := d.Height, d.Width
	rows, cols := areaWeights(h, H), areaWeights(w, W)
	n := d.X.Rows
	out := d.view()
	out.Height, out.Width = h, w
	out.X = blas32.General{Rows: n, Cols: h * w, Stride: h * w, Data: make([]float32, n*h*w)}
	tmp := make([]float64, h*W) // the image resized along its rows only
	for e := range n {
		src := d.X.Data[e*d.X.Stride : e*d.X.Stride+H*W]
		for i, ri := range rows {
			t := tmp[i*W : i*W+W]
			clear(t)
			for k, wt := range ri.w {
				s := src[(ri.first+k)*W : (ri.first+k)*W+W]
				for c, v := range s {
					t[c] += wt * float64(v)
				}
			}
		}
		dst := out.X.Data[e*h*w : (e+1)*h*w]
		for i := range h {
			t := tmp[i*W : i*W+W]
			for j, cj := range cols {
				var sum float64
				for k, wt := range cj.w {
					sum += wt * t[cj.first+k]
				}
				dst[i*w+j] = float32(sum)
			}
		}
	}
	return out
}

// span is the input pixels that one output pixel covers along an axis:
// input pixels first, first+1, ... with weights w, summing to 1.
type span struct {
	first int
	w     []float64
}

// areaWeights returns, for each of n output pixels resampling m input
// pixels along an axis, the input pixels it overlaps and the fraction of
// its extent that each covers. In units of 1/(n*m) of the axis, output
// pixel i spans [i*m, (i+1)*m) and input pixel p spans [p*n, (p+1)*n), so
// overlaps are exact integers and weight = overlap/m.
func areaWeights(n, m int) []span {
	s := make([]span, n)
	for i := range s {
		lo, hi := i*m, (i+1)*m
		first, last := lo/n, (hi-1)/n
		s[i].first = first
		for p := first; p <= last; p++ {
			ov := min(hi, (p+1)*n) - max(lo, p*n)
			s[i].w = append(s[i].w, float64(ov)/float64(m))
		}
	}
	return s
}
