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

// Shape is a GEMM shape m x k x n: C (m x n) = A (m x k) · B (k x n).
type Shape struct{ M, K, N int }

// String returns "MxKxN".
func (s Shape) String() string { return fmt.Sprintf("%dx%dx%d", s.M, s.K, s.N) }

// Flops returns the number of floating-point operations of one product,
// 2mnk.
func (s Shape) Flops() float64 { return 2 * float64(s.M) * float64(s.K) * float64(s.N) }

// ParseShape parses "N" (the cube N x N x N) or "MxKxN".
func ParseShape(s string) (Shape, error) {
	parts := strings.Split(strings.TrimSpace(s), "x")
	if len(parts) != 1 && len(parts) != 3 {
		return Shape{}, fmt.Errorf("bench: bad shape %q (want N or MxKxN)", s)
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
		return Shape{dims[0], dims[0], dims[0]}, nil
	}
	return Shape{dims[0], dims[1], dims[2]}, nil
}

// DefaultShapes are the cubes 256, 512 and 1024 and the GEMMs of one
// training step of a 784-4000-4000-10 network with batch 100: the forward
// products 100x784x4000 and 100x4000x4000 and the weight gradients
// 4000x100x4000 and 784x100x4000.
var DefaultShapes = []Shape{
	{256, 256, 256},
	{512, 512, 512},
	{1024, 1024, 1024},
	{100, 784, 4000},
	{100, 4000, 4000},
	{4000, 100, 4000},
	{784, 100, 4000},
}

// QuickShapes are the small shapes of a quick run.
var QuickShapes = []Shape{
	{256, 256, 256},
	{512, 512, 512},
}
