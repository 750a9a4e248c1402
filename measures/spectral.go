package measures

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// PowerOptions configures the power iteration of SpectralNorm.
type PowerOptions struct {
	// Tol stops the iteration when two successive estimates differ by at
	// most Tol times the latest (default 1e-6).
	Tol float64
	// MaxIter bounds the number of iterations (default 2000).
	MaxIter int
	// Seed seeds the Gaussian starting vector.
	Seed uint64
}

func (o PowerOptions) withDefaults() PowerOptions {
	if o.Tol == 0 {
		o.Tol = 1e-6
	}
	if o.MaxIter == 0 {
		o.MaxIter = 2000
	}
	return o
}

func (o PowerOptions) check() error {
	if !(o.Tol > 0) || math.IsInf(o.Tol, 0) {
		return fmt.Errorf("measures: power-iteration tolerance %v is not positive and finite", o.Tol)
	}
	if o.MaxIter < 0 {
		return fmt.Errorf("measures: negative power-iteration limit %d", o.MaxIter)
	}
	return nil
}

// PowerResult is the outcome of SpectralNorm.
type PowerResult struct {
	// Sigma is the estimate of the largest singular value.
	Sigma float64
	// Iters is the number of iterations run.
	Iters int
	// Converged reports whether the tolerance was met within MaxIter.
	Converged bool
}

// SpectralNorm estimates the spectral norm ||W||_2 (the largest singular
// value) of the float32 matrix w by power iteration on W^T W, two
// matrix-vector products per iteration on blas.Sgemv (the SIMD GEMV):
//
//	v_0 = g/||g||, g ~ N(0, I) seeded with opt.Seed
//	u = W v_(k-1),  s'_k = ||u||,  u = u/s'_k
//	v = W^T u,      s_k = ||v||,   v_k = v/s_k
//
// stopping when |s_k - s_(k-1)| <= Tol s_k or after MaxIter iterations, and
// returning s_k. In exact arithmetic s'_1 <= s_1 <= s'_2 <= s_2 <= ... <=
// sigma_max (each is ||A x|| for a unit x, and Cauchy-Schwarz orders them),
// so the estimate approaches ||W||_2 from below; the error after stopping
// is small when the top two singular values are well separated, and may
// exceed Tol when they are close (the iteration then moves slowly). The
// vectors are float32, their norms float64: the relative accuracy is about
// 1e-6 for the matrix sizes of the experiments.
//
// A zero matrix gives Sigma = 0 after one iteration. It panics if w's shape
// is inconsistent; invalid options return an error.
func SpectralNorm(w blas32.General, opt PowerOptions) (PowerResult, error) {
	opt = opt.withDefaults()
	if err := opt.check(); err != nil {
		return PowerResult{}, err
	}
	checkMatrix(w)
	if w.Rows == 0 || w.Cols == 0 {
		return PowerResult{Converged: true}, nil
	}
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5eed))
	v := make([]float32, w.Cols)
	u := make([]float32, w.Rows)
	for j := range v {
		v[j] = float32(r.NormFloat64())
	}
	scale32(v, 1/norm32(v))
	var prev float64
	res := PowerResult{}
	for k := 1; k <= opt.MaxIter; k++ {
		res.Iters = k
		blas.Sgemv(gblas.NoTrans, w.Rows, w.Cols, 1, w.Data, w.Stride, v, 1, 0, u, 1)
		s1 := norm32(u)
		if s1 == 0 {
			res.Sigma, res.Converged = 0, true
			return res, nil
		}
		scale32(u, 1/s1)
		blas.Sgemv(gblas.Trans, w.Rows, w.Cols, 1, w.Data, w.Stride, u, 1, 0, v, 1)
		s := norm32(v)
		scale32(v, 1/s)
		res.Sigma = s
		if k > 1 && math.Abs(s-prev) <= opt.Tol*s {
			res.Converged = true
			return res, nil
		}
		prev = s
	}
	return res, nil
}

// checkMatrix panics unless w is a consistent row-major view.
func checkMatrix(w blas32.General) {
	if w.Rows < 0 || w.Cols < 0 || w.Stride < max(1, w.Cols) ||
		(w.Rows > 0 && w.Cols > 0 && len(w.Data) < (w.Rows-1)*w.Stride+w.Cols) {
		panic(errMatrix)
	}
}

// norm32 returns the Euclidean norm of x, accumulated in float64 (with
// scaling, so that no finite input overflows).
func norm32(x []float32) float64 {
	var big float64
	for _, v := range x {
		big = math.Max(big, math.Abs(float64(v)))
	}
	if big == 0 || math.IsInf(big, 0) || math.IsNaN(big) {
		return big
	}
	var s float64
	for _, v := range x {
		t := float64(v) / big
		s += t * t
	}
	return big * math.Sqrt(s)
}

// scale32 multiplies x by a.
func scale32(x []float32, a float64) {
	for i := range x {
		x[i] = float32(float64(x[i]) * a)
	}
}

// frobenius2 returns ||W||_F^2 in float64.
func frobenius2(w blas32.General) float64 {
	var s float64
	for r := 0; r < w.Rows; r++ {
		for _, x := range w.Data[r*w.Stride : r*w.Stride+w.Cols] {
			s += float64(x) * float64(x)
		}
	}
	return s
}

// rowNormSum returns sum over rows v of ||W[v,:]||_2, which is
// ||W^T||_(2,1) in Bartlett, Foster and Telgarsky's notation (the l2 norms
// of the columns of W^T, summed): the incoming weight vectors of the
// layer's units.
func rowNormSum(w blas32.General) float64 {
	var s float64
	for r := 0; r < w.Rows; r++ {
		s += norm32(w.Data[r*w.Stride : r*w.Stride+w.Cols])
	}
	return s
}
