package measures

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/fastpath-go/fastpath/layers"
	"gonum.org/v1/gonum/blas/blas32"
)

// defaultBatch is the number of examples per forward pass.
const defaultBatch = 256

// checkData returns an error unless d's examples fit net.
func checkData(net *layers.Network, d layers.Examples) error {
	if d == nil {
		return fmt.Errorf("measures: nil dataset")
	}
	if d.Dim() != net.InSize() {
		return fmt.Errorf("measures: dataset has %d features, the network takes %d", d.Dim(), net.InSize())
	}
	if d.Len() == 0 {
		return fmt.Errorf("measures: empty dataset")
	}
	return nil
}

// batches calls fn for consecutive batches of at most bs examples of d, in
// order, with the batch's first index, features and labels (buffers reused
// between calls). It checks ctx before each batch and every label against
// the network's class count.
func batches(ctx context.Context, net *layers.Network, d layers.Examples, bs int,
	fn func(lo int, x blas32.General, y []int) error) error {
	if err := checkData(net, d); err != nil {
		return err
	}
	n := d.Len()
	if bs <= 0 {
		bs = defaultBatch
	}
	bs = min(bs, n)
	xbuf := make([]float32, bs*d.Dim())
	ybuf := make([]int, bs)
	idx := make([]int, bs)
	k := net.OutSize()
	for lo := 0; lo < n; lo += bs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("measures: stopped at example %d: %w", lo, err)
		}
		rows := min(bs, n-lo)
		for i := range rows {
			idx[i] = lo + i
		}
		x := blas32.General{Rows: rows, Cols: d.Dim(), Stride: d.Dim(), Data: xbuf[:rows*d.Dim()]}
		y := ybuf[:rows]
		d.Batch(idx[:rows], x, y)
		for i, c := range y {
			if c < 0 || c >= k {
				return fmt.Errorf("measures: example %d has label %d, outside [0, %d)", lo+i, c, k)
			}
		}
		if err := fn(lo, x, y); err != nil {
			return err
		}
	}
	return nil
}

// Margins returns the margin of every example of d under net (inference
// mode: dropout off),
//
//	margin(x, y) = f(x)[y] - max_(j != y) f(x)[j],
//
// positive exactly when the example is classified correctly with no tie.
// Margins are computed from the float32 logits in float64. The network
// needs at least two outputs. It returns an error for a dataset that does
// not fit the network, an empty one, a label outside [0, net.OutSize()),
// or when ctx is done; it panics if net is nil.
func Margins(ctx context.Context, net *layers.Network, d layers.Examples) ([]float64, error) {
	if net == nil {
		panic(errNilNetwork)
	}
	if net.OutSize() < 2 {
		return nil, fmt.Errorf("measures: margins need at least two classes, the network has %d output", net.OutSize())
	}
	var m []float64
	err := batches(ctx, net, d, 0, func(lo int, x blas32.General, y []int) error {
		if m == nil {
			m = make([]float64, d.Len())
		}
		z := net.Forward(x)
		for r, c := range y {
			row := z.Data[r*z.Stride : r*z.Stride+z.Cols]
			other := math.Inf(-1)
			for j, v := range row {
				if j != c {
					other = math.Max(other, float64(v))
				}
			}
			m[lo+r] = float64(row[c]) - other
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Percentile returns the q-th percentile (0 <= q <= 100) of x by linear
// interpolation between order statistics: with x sorted ascending and
// h = (len(x)-1) q/100, it is x[floor h] + (h - floor h)(x[floor h + 1] -
// x[floor h]) (NumPy's default, Hyndman and Fan's type 7). x is not
// modified. It panics if x is empty or q is outside [0, 100]; a NaN in x
// sorts first.
func Percentile(x []float64, q float64) float64 {
	if len(x) == 0 || !(q >= 0 && q <= 100) {
		panic(errPercentile)
	}
	s := slices.Clone(x)
	slices.Sort(s)
	h := float64(len(s)-1) * q / 100
	i := int(math.Floor(h))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// MarginLoss returns the empirical margin loss L_gamma: the fraction of
// the margins that are at most gamma (gamma = 0 gives the training error,
// ties counted as errors). It returns NaN for no margins.
func MarginLoss(margins []float64, gamma float64) float64 {
	if len(margins) == 0 {
		return math.NaN()
	}
	n := 0
	for _, m := range margins {
		if !(m > gamma) {
			n++
		}
	}
	return float64(n) / float64(len(margins))
}
