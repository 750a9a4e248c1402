package bench

import (
	"fmt"
	"strconv"
	"strings"
)

// Prec is a floating-point precision: Single (float32, SGEMM) or Double
// (float64, DGEMM).
type Prec byte

const (
	Single Prec = 's'
	Double Prec = 'd'
)

// String returns "s" or "d".
func (p Prec) String() string { return string(rune(p)) }

// ParsePrec parses "s" (or "single", "float32") and "d" (or "double",
// "float64").
func ParsePrec(s string) (Prec, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "s", "single", "float32", "f32":
		return Single, nil
	case "d", "double", "float64", "f64":
		return Double, nil
	}
	return 0, fmt.Errorf("bench: unknown precision %q (want s or d)", s)
}

// Shape is a GEMM shape m x k x n: C (m x n) = op(A) (m x k) · op(B) (k x n),
// where op(X) is X stored row-major, or X^T (X stored transposed) when TA or
// TB is set.
type Shape struct {
	M, K, N int
	TA, TB  bool
}

// String returns "MxKxN", with ":XY" appended (X, Y in N or T, for op(A)
// and op(B)) when an operand is transposed: the notation of the C
// baselines' benchmarks.
func (s Shape) String() string {
	str := fmt.Sprintf("%dx%dx%d", s.M, s.K, s.N)
	if s.TA || s.TB {
		str += ":" + transLetter(s.TA) + transLetter(s.TB)
	}
	return str
}

func transLetter(t bool) string {
	if t {
		return "T"
	}
	return "N"
}

// Flops returns the number of floating-point operations of one product,
// 2mnk.
func (s Shape) Flops() float64 { return 2 * float64(s.M) * float64(s.K) * float64(s.N) }

// ParseShape parses "N" (the cube N x N x N) or "MxKxN", either optionally
// followed by ":XY" with X and Y each N (not transposed) or T (transposed)
// for op(A) and op(B).
func ParseShape(s string) (Shape, error) {
	s = strings.TrimSpace(s)
	dimsPart, trans, hasTrans := strings.Cut(s, ":")
	var sh Shape
	if hasTrans {
		if len(trans) != 2 || !strings.ContainsRune("NT", rune(trans[0])) || !strings.ContainsRune("NT", rune(trans[1])) {
			return Shape{}, fmt.Errorf("bench: bad shape %q: transposes %q are not two of N and T", s, trans)
		}
		sh.TA, sh.TB = trans[0] == 'T', trans[1] == 'T'
	}
	parts := strings.Split(dimsPart, "x")
	if len(parts) != 1 && len(parts) != 3 {
		return Shape{}, fmt.Errorf("bench: bad shape %q (want N or MxKxN, optionally with :NN, :NT, :TN or :TT)", s)
	}
	dims := make([]int, len(parts))
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 1 {
			return Shape{}, fmt.Errorf("bench: bad shape %q: %q is not a positive integer", s, p)
		}
		dims[i] = v
	}
	if len(dims) == 1 {
		sh.M, sh.K, sh.N = dims[0], dims[0], dims[0]
	} else {
		sh.M, sh.K, sh.N = dims[0], dims[1], dims[2]
	}
	return sh, nil
}

// DefaultShapes are the cubes 256, 512 and 1024 and the GEMMs of one
// training step of a 784-4000-4000-10 network with batch 100: the forward
// products 100x784x4000 and 100x4000x4000 and the weight gradients
// 4000x100x4000 and 784x100x4000.
var DefaultShapes = []Shape{
	{M: 256, K: 256, N: 256},
	{M: 512, K: 512, N: 512},
	{M: 1024, K: 1024, N: 1024},
	{M: 100, K: 784, N: 4000},
	{M: 100, K: 4000, N: 4000},
	{M: 4000, K: 100, N: 4000},
	{M: 784, K: 100, N: 4000},
}

// QuickShapes are the small shapes of a quick run.
var QuickShapes = []Shape{
	{M: 256, K: 256, N: 256},
	{M: 512, K: 512, N: 512},
}
