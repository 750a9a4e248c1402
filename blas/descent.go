package blas

import (
	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// descent is the SGD step Descent32 fuses into a product: W (rows ld
// apart) takes w = w - lr*(c + wd*w) with the product's C as the gradient.
type descent struct {
	w      []float32
	ld     int
	lr, wd float32
}

// Descent32 computes C = alpha*op(A)*op(B) + beta*C as Gemm32 does, then
// takes the plain SGD step on W with C as the gradient: every element
// becomes w - float32(lr*(c + float32(wd*w))), exactly as asm.SGD(w, c,
// lr, wd) steps each row. W has C's shape. With C a velocity V and beta
// the momentum mu this is a step of SGD with momentum: V = mu*V + G, W -=
// lr*V, G = alpha*op(A)*op(B) the weight gradient.
//
// Where the product runs on the packed engine with a kernel that has a
// descent epilogue (asm.Impl.SgemmDescend: the AVX2, AVX-512 and NEON
// kernels and the generic one) and W has C's stride, each tile of W takes
// its step right after the kernel stores the tile of C, while both are in
// cache: the pass over C, W and its reading back from memory are saved.
// Elsewhere a pass after the product takes the step. The results are the same bit
// for bit either way, and the product's are those of Gemm32 with the same
// arguments. It panics with "blas: dimension mismatch" unless op(A) is
// C.Rows x K, op(B) is K x C.Cols and W is C.Rows x C.Cols.
func Descent32(tA, tB gblas.Transpose, alpha float32, a, b blas32.General, beta float32, c, w blas32.General, lr, wd float32) {
	m, n, k := gemmDims(tA, tB, a.Rows, a.Cols, b.Rows, b.Cols, c.Rows, c.Cols)
	if w.Rows != m || w.Cols != n {
		panic(badDims)
	}
	ldc, ldw := max(c.Stride, 1), max(w.Stride, 1)
	aT, bT := checkGemm(tA, tB, m, n, k, max(a.Stride, 1), max(b.Stride, 1), ldc, len(a.Data), len(b.Data), len(c.Data))
	if ldw < max(1, n) {
		panic(badLdW)
	}
	if m > 0 && n > 0 && len(w.Data) < (m-1)*ldw+n {
		panic(shortW)
	}
	d := descent{w: w.Data, ld: ldw, lr: lr, wd: wd}
	if sgemmDescend(aT, bT, m, n, k, alpha, a.Data, max(a.Stride, 1), b.Data, max(b.Stride, 1), beta, c.Data, ldc, nil, false, &d) {
		return
	}
	if m == 0 || n == 0 {
		return
	}
	task := descentPass{c: c.Data, ldc: ldc, w: w.Data, ldw: ldw, m: m, n: n, lr: lr, wd: wd}
	Run(&task, ElementwiseParts(m*n))
}

// descentPass is Descent32's step as a pass of its own, split by rows.
type descentPass struct {
	c, w     []float32
	ldc, ldw int
	m, n     int
	lr, wd   float32
}

func (t *descentPass) RunPart(part, parts int) {
	lo, hi := part*t.m/parts, (part+1)*t.m/parts
	if t.ldc == t.n && t.ldw == t.n {
		// Contiguous: one call on the part's rows.
		asm.SGD(t.w[lo*t.n:hi*t.n], t.c[lo*t.n:hi*t.n], t.lr, t.wd)
		return
	}
	for i := lo; i < hi; i++ {
		asm.SGD(t.w[i*t.ldw:i*t.ldw+t.n], t.c[i*t.ldc:i*t.ldc+t.n], t.lr, t.wd)
	}
}
