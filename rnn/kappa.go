package rnn

import (
	"github.com/fastpath-go/fastpath/asm"
	"github.com/fastpath-go/fastpath/blas"
	gblas "gonum.org/v1/gonum/blas"
)

// Kappa is the RNN-Path scaling kappa1 of every parameter of a model for
// one sequence length and set of output steps (see doc.go), in float64.
// Parameters of the same row or column share values, so only these are
// stored:
//
//	kappa1(W_rec[v,u]) = Rec[v*Hidden+u]
//	kappa1(W_in[v,j])  = kappa1(b[v]) = In[v]      for every input j
//	kappa1(W_out[k,v]) = Out[v]                    for every output k
//	kappa1(c[k])       = C                         (the number of output steps)
//
// A Kappa is reused between calls: its buffers are sized on first use.
type Kappa struct {
	Rec []float64
	In  []float64
	Out []float64
	C   float64
	// PathNorm2 is the squared l2 path norm of the unrolled network, the
	// sum over all paths from an input (or a bias) to an output of the
	// product of the squared weights along the path.
	PathNorm2 float64

	fa, gb []float64 // steps x Hidden: forward and backward path sums
	cin    []float64 // W_in^2 1 + b^2
	cout   []float64 // (W_out^2)^T 1
	ones   []float64
	out    []bool // steps: whether step t has an output
}

func growF64(buf []float64, n int) []float64 {
	if cap(buf) < n {
		return make([]float64, n)
	}
	return buf[:n]
}

// checkSteps panics unless steps >= 1 and outputs are strictly increasing
// steps within [0, steps).
func checkSteps(steps int, outputs []int) {
	if steps < 1 || len(outputs) == 0 {
		panic(errKappaSteps)
	}
	prev := -1
	for _, s := range outputs {
		if s <= prev || s >= steps {
			panic(errKappaSteps)
		}
		prev = s
	}
}

// Kappa1 computes into dst the RNN-Path scaling kappa1 of every parameter
// of the model unrolled over steps steps with outputs at the given steps,
// by the recursions of doc.go on the path-norm kernels asm.PathMV and
// asm.PathMTV (float32 weights squared exactly in float64): O(steps *
// #params) operations, independent of the batch size, and no allocation
// once dst is sized. It panics unless steps >= 1 and outputs are strictly
// increasing within [0, steps).
func (m *Model) Kappa1(dst *Kappa, steps int, outputs []int) {
	checkSteps(steps, outputs)
	c := m.cfg
	h, k := c.Hidden, c.In+c.Hidden
	dst.fa = growF64(dst.fa, steps*h)
	dst.gb = growF64(dst.gb, steps*h)
	dst.cin = growF64(dst.cin, h)
	dst.cout = growF64(dst.cout, h)
	dst.In = growF64(dst.In, h)
	dst.Out = growF64(dst.Out, h)
	dst.Rec = growF64(dst.Rec, h*h)
	dst.ones = growF64(dst.ones, max(c.In, c.Out))
	if cap(dst.out) < steps {
		dst.out = make([]bool, steps)
	}
	dst.out = dst.out[:steps]
	clear(dst.out)
	for _, s := range outputs {
		dst.out[s] = true
	}
	for i := range dst.ones {
		dst.ones[i] = 1
	}
	fa, gb := dst.fa, dst.gb
	// cin = W_in^2 1 + b^2: every path into h_t[v] starts with an input edge
	// or the bias edge of some step.
	asm.PathMV(dst.cin, m.W.Data, k, dst.ones[:c.In])
	for v, b := range m.B {
		dst.cin[v] += float64(b) * float64(b)
	}
	// cout = (W_out^2)^T 1: the ways out of h_t[v] at an output step.
	asm.PathMTV(dst.cout, m.Wout.Data, h, dst.ones[:c.Out])
	wrec := m.W.Data[c.In:]
	// fa_t = cin + (W_rec^2) fa_(t-1), fa_(-1) = 0.
	copy(fa[:h], dst.cin)
	for t := 1; t < steps; t++ {
		cur := fa[t*h : (t+1)*h]
		asm.PathMV(cur, wrec, k, fa[(t-1)*h:t*h])
		for v, x := range dst.cin {
			cur[v] += x
		}
	}
	// gb_t = [t in S] cout + (W_rec^2)^T gb_(t+1), gb_steps = 0.
	for t := steps - 1; t >= 0; t-- {
		cur := gb[t*h : (t+1)*h]
		if t == steps-1 {
			clear(cur)
		} else {
			asm.PathMTV(cur, wrec, k, gb[(t+1)*h:(t+2)*h])
		}
		if dst.out[t] {
			for v, x := range dst.cout {
				cur[v] += x
			}
		}
	}
	clear(dst.In)
	clear(dst.Out)
	for t := 0; t < steps; t++ {
		for v, x := range gb[t*h : (t+1)*h] {
			dst.In[v] += x
		}
		if dst.out[t] {
			for v, x := range fa[t*h : (t+1)*h] {
				dst.Out[v] += x
			}
		}
	}
	// Rec[v,u] = sum_(t>=1) gb_t[v] fa_(t-1)[u]: one GEMM of depth steps-1.
	if steps > 1 {
		blas.Dgemm(gblas.Trans, gblas.NoTrans, h, h, steps-1, 1, gb[h:], h, fa, h, 0, dst.Rec, h)
	} else {
		clear(dst.Rec)
	}
	dst.C = float64(len(outputs))
	var c2 float64
	for _, x := range m.C {
		c2 += float64(x) * float64(x)
	}
	norm := dst.C * c2
	for v, x := range dst.Out {
		norm += x * dst.cout[v]
	}
	dst.PathNorm2 = norm
}

// Kappa2 returns kappa2 of W_rec (Hidden x Hidden, row-major), the part of
// the diagonal of the path regularizer's Hessian that comes from paths
// through two different copies of the same recurrent weight (see doc.go).
// W_in, b, W_out and c have kappa2 = 0: a path crosses one input, bias or
// output edge at most. Kappa2 is a reference for checking and studying
// RNN-Path, not a training tool: it allocates and costs
// O(steps * Hidden^3 + steps^2 * Hidden^2) operations.
func (m *Model) Kappa2(steps int, outputs []int) []float64 {
	var k Kappa
	m.Kappa1(&k, steps, outputs)
	h, ld := m.cfg.Hidden, m.cfg.In+m.cfg.Hidden
	// pw[n] = P^n with P[a][b] = W_rec[a][b]^2: pw[n][u][v] sums the squared
	// weights of the paths from h_t[v] to h_(t+n)[u].
	p := make([]float64, h*h)
	for a := 0; a < h; a++ {
		for b := 0; b < h; b++ {
			w := float64(m.W.Data[a*ld+m.cfg.In+b])
			p[a*h+b] = w * w
		}
	}
	pw := make([][]float64, max(steps-1, 1))
	pw[0] = make([]float64, h*h)
	for a := 0; a < h; a++ {
		pw[0][a*h+a] = 1
	}
	for n := 1; n < len(pw); n++ {
		pw[n] = make([]float64, h*h)
		blas.Dgemm(gblas.NoTrans, gblas.NoTrans, h, h, h, 1, p, h, pw[n-1], h, 0, pw[n], h)
	}
	// Copies of W_rec[v,u] at steps t1 < t2 (edge h_(t-1)[u] -> h_t[v]):
	// prefix into h_(t1-1)[u], middle from h_t1[v] to h_(t2-1)[u], suffix
	// out of h_t2[v]; each ordered pair of copies contributes
	// 2 w w (product of the other squares), hence the factor 4 w^2.
	acc := make([]float64, h*h)
	for t1 := 1; t1 < steps; t1++ {
		fa := k.fa[(t1-1)*h : t1*h]
		for t2 := t1 + 1; t2 < steps; t2++ {
			gb := k.gb[t2*h : (t2+1)*h]
			mid := pw[t2-1-t1]
			for v := 0; v < h; v++ {
				for u := 0; u < h; u++ {
					acc[v*h+u] += fa[u] * mid[u*h+v] * gb[v]
				}
			}
		}
	}
	for v := 0; v < h; v++ {
		for u := 0; u < h; u++ {
			w := float64(m.W.Data[v*ld+m.cfg.In+u])
			acc[v*h+u] *= 4 * w * w
		}
	}
	return acc
}
