package blas

// Panic messages, identical to gonum's (gonum.org/v1/gonum/blas/gonum) so
// that fastpath is a drop-in backend. Checks run in gonum's order, before
// any work.
const (
	badTranspose       = "blas: illegal transpose"
	mLT0               = "blas: m < 0"
	nLT0               = "blas: n < 0"
	kLT0               = "blas: k < 0"
	badLdA             = "blas: bad leading dimension of A"
	badLdB             = "blas: bad leading dimension of B"
	badLdC             = "blas: bad leading dimension of C"
	shortA             = "blas: insufficient length of a"
	shortB             = "blas: insufficient length of b"
	shortC             = "blas: insufficient length of c"
	shortBias          = "blas: insufficient length of bias"
	errPackedShape     = "blas: PackedB32 needs K, N >= 1, m >= 0 and leading dimensions of at least the row length"
	errPackedWorkspace = "blas: MulSplit needs at least one workspace"
	errPackedEmpty     = "blas: PackedB32 used before Pack"
	badThreads         = "blas: negative thread count"
	badDims            = "blas: dimension mismatch"
	badLdW             = "blas: bad leading dimension of W"
	shortW             = "blas: insufficient length of w"
)

// Panic messages of the level-2 routines (GEMV), identical to gonum's.
const (
	zeroIncX = "blas: zero x index increment"
	zeroIncY = "blas: zero y index increment"
	shortX   = "blas: insufficient length of x"
	shortY   = "blas: insufficient length of y"
)
