package blas

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	gblas "gonum.org/v1/gonum/blas"
)

func TestZZProf(t *testing.T) {
	if os.Getenv("ZZP") == "" {
		t.Skip()
	}
	sh := os.Getenv("SHAPE")
	tb := gblas.NoTrans
	if strings.HasSuffix(sh, ":NT") {
		tb = gblas.Trans
		sh = strings.TrimSuffix(sh, ":NT")
	}
	var m, k, n int
	fmt.Sscanf(sh, "%dx%dx%d", &m, &k, &n)
	r := rand.New(rand.NewPCG(1, 2))
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	for i := range a {
		a[i] = r.Float32()
	}
	for i := range b {
		b[i] = r.Float32()
	}
	ldb := n
	if tb == gblas.Trans {
		ldb = k
	}
	flops := 2 * float64(m) * float64(n) * float64(k)
	reps := int(3e10/flops) + 1
	s := time.Now()
	for j := 0; j < reps; j++ {
		Sgemm(gblas.NoTrans, tb, m, n, k, 1, a, k, b, ldb, 0, c, n)
	}
	t.Logf("%s: %.1f GF/s", os.Getenv("SHAPE"), flops*float64(reps)/time.Since(s).Seconds()/1e9)
}
