package blas

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
)

// withCaches runs f with the block sizes derived from the given caches.
func withCaches(l1, l2, l3 int, f func()) {
	old := cacheSizes
	cacheSizes = func() (int, int, int) { return l1, l2, l3 }
	defer func() { cacheSizes = old }()
	f()
}

// TestPackedBlocking checks the packed engine's block sizes on a 32 KiB L1
// (deep KC) and a 48 KiB one (newBlocking's sizes), and the invariants
// every blocking keeps: equal depth blocks that cover k, MC a multiple of
// MR, NC a multiple of NR within maxNC.
func TestPackedBlocking(t *testing.T) {
	type want struct{ kc, mc int }
	cases := []struct {
		l1, l2, l3      int
		mr, nr, elem, k int
		deep            bool
		want            want // checked when kc > 0
	}{
		{32 << 10, 1 << 20, 32 << 20, 10, 32, 4, 1024, true, want{512, 340}},
		{32 << 10, 1 << 20, 32 << 20, 10, 32, 4, 2000, true, want{500, 340}},
		{32 << 10, 1 << 20, 32 << 20, 10, 16, 8, 1024, true, want{512, 170}},
		{32 << 10, 1 << 20, 32 << 20, 10, 32, 4, 100, false, want{100, 0}},
		{32 << 10, 1 << 20, 4 << 20, 6, 16, 4, 4096, true, want{512, 0}},
		{48 << 10, 1 << 20, 4 << 20, 10, 32, 4, 1024, false, want{256, 340}},
		{48 << 10, 1 << 20, 4 << 20, 10, 16, 8, 1024, false, want{0, 0}},
	}
	for _, c := range cases {
		withCaches(c.l1, c.l2, c.l3, func() {
			bl, base := packedBlocking(c.mr, c.nr, c.elem, c.k), newBlocking(c.mr, c.nr, c.elem, c.k)
			if !c.deep && bl != base {
				t.Errorf("%+v: packed %+v, want newBlocking's %+v", c, bl, base)
			}
			if c.deep && bl.kc <= base.kc {
				t.Errorf("%+v: packed kc %d not deeper than %d", c, bl.kc, base.kc)
			}
			if c.want.kc > 0 && bl.kc != c.want.kc {
				t.Errorf("%+v: kc %d, want %d", c, bl.kc, c.want.kc)
			}
			if c.want.mc > 0 && bl.mc != c.want.mc {
				t.Errorf("%+v: mc %d, want %d", c, bl.mc, c.want.mc)
			}
			for _, b := range []blocking{bl, base} {
				nb := (c.k + b.kc - 1) / b.kc
				if b.kc > maxKC || nb*b.kc < c.k || (nb-1)*b.kc >= c.k || nb*b.kc-c.k >= nb {
					t.Errorf("%+v: kc %d does not split k = %d into equal blocks", c, b.kc, c.k)
				}
				if b.mc%c.mr != 0 || b.mc <= 0 || b.nc%c.nr != 0 || b.nc <= 0 || b.nc > maxNC {
					t.Errorf("%+v: mc %d / nc %d not multiples of %d / %d within bounds", c, b.mc, b.nc, c.mr, c.nr)
				}
				if b.mc*b.kc*c.elem > c.l2*2/3 {
					t.Errorf("%+v: A block %d x %d over two thirds of L2", c, b.mc, b.kc)
				}
			}
		})
	}
}

// TestDirectSmallL1 checks that the direct path leaves depths beyond
// directMaxKSmallL1 with column panels outer to the engine on a 32 KiB L1
// only, and keeps row tiles outer at every depth.
func TestDirectSmallL1(t *testing.T) {
	const mr = 8
	for _, c := range []struct {
		l1, k int
		want  directOrder
	}{
		{32 << 10, 784, directNone},
		{32 << 10, directMaxKSmallL1 + 1, directNone},
		{32 << 10, directMaxKSmallL1, directColsOuter},
		{32 << 10, 512, directColsOuter},
		{48 << 10, 784, directColsOuter},
	} {
		withCaches(c.l1, 1<<20, 32<<20, func() {
			if got := useDirect(100, 1000, c.k, 1001, 4, mr, 0); got != c.want {
				t.Errorf("L1 %d KiB, 100x%dx1000: order %d, want %d", c.l1>>10, c.k, got, c.want)
			}
			// Few columns: row tiles outer at every depth.
			if got := useDirect(1000, 64, c.k, 65, 4, mr, 0); got != directRowsOuter {
				t.Errorf("L1 %d KiB, 1000x%dx64: order %d, want %d", c.l1>>10, c.k, got, directRowsOuter)
			}
		})
	}
}

// TestNarrowPrefetchSmallL1 runs narrow-path products whose B is read in
// place, which prefetch their next slices on a 32 KiB L1 (in bursts, or
// inside the kernel calls: narrowStream, with a short last depth block
// whose calls have fewer steps than their share of rows), and checks them
// against a float64 reference and bit for bit against the same blocking
// without those prefetches (a 48 KiB L1), float32 and float64, on one and
// two threads.
func TestNarrowPrefetchSmallL1(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		if impl.SgemmStrided == nil || impl.DgemmStrided == nil {
			t.Skip("no in-place kernel")
		}
		r := rand.New(rand.NewPCG(41, 42))
		for _, threads := range []int{1, 2} {
			for _, sh := range [][3]int{{20, 300, 600}, {37, 129, 1000}, {10, 64, 1100}, {16, 1100, 700}} {
				m, k, n := sh[0], sh[1], sh[2]
				g := newGemmCase(r, gblas.NoTrans, gblas.NoTrans, m, n, k, 1, 1, 0)
				var res [2][]float32
				onBothL1s(threads, func(i int) {
					bl := packedBlocking(impl.SMR, impl.SNR, 4, k)
					if !useNarrow(m, k, (n+bl.nr-1)/bl.nr, threads, 4, bl) || !stridedFriendly(g.ldb, 4, impl.SNR) {
						t.Fatalf("%v: not on the narrow path with B in place", g)
					}
					g.run(true)
					g.check(t, true)
					_, _, c := g.slices()
					res[i] = append([]float32(nil), c...)
				})
				for j := range res[0] {
					if math.Float32bits(res[0][j]) != math.Float32bits(res[1][j]) {
						t.Fatalf("%v, %d threads: c[%d] = %g with the prefetches, %g without", g, threads, j, res[0][j], res[1][j])
					}
				}
			}
			// float64, against a naive product.
			m, k, n := 23, 150, 700
			lda, ldb, ldc := k+1, n+1, n+1
			a, b := make([]float64, m*lda), make([]float64, k*ldb)
			for i := range a {
				a[i] = r.NormFloat64()
			}
			for i := range b {
				b[i] = r.NormFloat64()
			}
			var res [2][]float64
			onBothL1s(threads, func(i int) {
				bl := packedBlocking(impl.DMR, impl.DNR, 8, k)
				if !useNarrow(m, k, (n+bl.nr-1)/bl.nr, threads, 8, bl) || !stridedFriendly(ldb, 8, impl.DNR) {
					t.Fatalf("%dx%dx%d: not on the narrow path with B in place", m, k, n)
				}
				res[i] = make([]float64, m*ldc)
				Dgemm(gblas.NoTrans, gblas.NoTrans, m, n, k, 1, a, lda, b, ldb, 0, res[i], ldc)
			})
			checkNaive64(t, threads, m, n, k, a, lda, b, ldb, res[0], ldc)
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					if got := res[0][i*ldc+j]; math.Float64bits(got) != math.Float64bits(res[1][i*ldc+j]) {
						t.Fatalf("float64, %d threads: c[%d][%d] = %g with the prefetches, %g without", threads, i, j, got, res[1][i*ldc+j])
					}
				}
			}
		}
	})
}

// onBothL1s runs f(0) on a 32 KiB L1 and f(1) on a 48 KiB one, with the
// given thread count and a test blocking of 16 row panels and depth 64.
func onBothL1s(threads int, f func(i int)) {
	for i, l1 := range []int{32 << 10, 48 << 10} {
		withCaches(l1, 1<<20, 32<<20, func() {
			withThreads(threads, func() {
				withBlocking(16, 64, 64, func() { f(i) })
			})
		})
	}
}

// TestSplitThreads checks the engine's factoring of the threads into row
// and column groups against a brute-force minimum of the same cost (tiles,
// the row panels of A each thread packs, and the tiles computed with B
// panels other threads packed when the rows are split), and the cases it
// decides: the columns where B would be shared for little saving, the rows
// where A is transposed and its packing would be repeated, or where the
// columns are few.
func TestSplitThreads(t *testing.T) {
	const mr, nr = 10, 32
	for _, c := range []struct {
		threads, m, n int
		aT            bool
		tm, tn        int
	}{
		{2, 1280, 1024, false, 1, 2}, // 1024³: 64x(32+0.85)+0.25x1024 > 128x(16+0.85)
		{2, 1000, 3200, false, 1, 2},
		{2, 10, 3200, false, 1, 2}, // one row panel: the columns
		{2, 30, 3200, false, 1, 2},
		{2, 100, 1024, true, 2, 1},   // A dear to pack (transposed, beyond L2): 5x34.5+0.15x80 < 10x18.5
		{2, 1000, 1024, false, 1, 2}, // 1000x100x1000:TN, A within L2: 50x32.85+0.25x800 > 100x16.85
		{2, 250, 256, true, 2, 1},    // the RNN's weight gradient at 250 units: 13x10.5+0.15x52 < 25x6.5
		{2, 250, 256, false, 1, 2},   // untransposed: 13x8.85+0.25x52 > 25x4.85
		{2, 1000, 128, false, 2, 1},  // few columns: 50x4.85+0.25x100 < 100x2.85
		{4, 20, 3200, false, 1, 4},
		{16, 960, 3200, true, 16, 1}, // 6x102.5+0.15x563 < 12x52.5+0.15x525 < ...
		{1, 70, 288, false, 1, 1},
		// A last column panel one column wide counts as 1/32 of one:
		// 513³ splits its 17 panels 8 | 8 + 1/32, not 9 | 8.
		{2, 513, 513, false, 1, 2},
		{2, 777, 555, false, 1, 2}, // 39x(17.34+0.85)+0.25x338 > 78x9.85
		{2, 300, 300, false, 2, 1}, // 15x(9.375+0.85)+0.25x70 < 30x5.85
		{2, 1000, 1000, true, 2, 1},
	} {
		tm, tn := splitThreads(c.threads, c.m, c.n, mr, nr, c.aT)
		if tm != c.tm || tn != c.tn {
			t.Errorf("splitThreads(%d, %d, %d, %d, %d, %v) = %d, %d; want %d, %d", c.threads, c.m, c.n, mr, nr, c.aT, tm, tn, c.tm, c.tn)
		}
	}
	for _, c := range []struct {
		total, unit, parts int
		want               float64
	}{
		{513, 32, 2, 257.0 / 32}, // panels 0-7 | 8-16, the last one column wide
		{555, 32, 2, 9},          // 0-8 | 9-17 (8 + 11/32)
		{1000, 10, 2, 50},        // exact
		{513, 10, 2, 26},         // 0-25 | 26-51 (25 + 3/10)
		{20, 10, 4, 1},           // two panels for four parts: two get none
		{1, 32, 1, 1.0 / 32.0},   // one column
	} {
		if got := largestPart(c.total, c.unit, c.parts); got != c.want {
			t.Errorf("largestPart(%d, %d, %d) = %v; want %v", c.total, c.unit, c.parts, got, c.want)
		}
	}
	for _, aT := range []bool{false, true} {
		pack, share := splitPackCost, splitShareCost
		if aT {
			pack, share = splitPackCostT, splitShareCostT
		}
		for threads := 1; threads <= 12; threads++ {
			for m := 1; m <= 400; m += 29 {
				for n := 1; n <= 1300; n += 157 {
					tm, tn := splitThreads(threads, m, n, mr, nr, aT)
					if tm*tn != threads {
						t.Fatalf("splitThreads(%d, %d, %d, %v) = %d, %d: not a factoring", threads, m, n, aT, tm, tn)
					}
					cost := func(tm, tn int) float64 {
						rows, cols := largestPart(m, mr, tm), largestPart(n, nr, tn)
						return rows*(cols+pack) + share*rows*cols*float64(tm-1)/float64(tm)
					}
					for d := 1; d <= threads; d++ {
						if threads%d == 0 && cost(d, threads/d) < cost(tm, tn) {
							t.Fatalf("splitThreads(%d, %d, %d, %v) = %d, %d; %d, %d costs less", threads, m, n, aT, tm, tn, d, threads/d)
						}
					}
				}
			}
		}
	}
}

// TestDearPackA checks when splitThreads counts A's packing as dear: A
// transposed and larger than L2 (1 MiB here), whatever the element size.
func TestDearPackA(t *testing.T) {
	withCaches(48<<10, 1<<20, 4<<20, func() {
		for _, c := range []struct {
			aT         bool
			m, k, elem int
			want       bool
		}{
			{true, 1000, 100, 4, false},   // 400 KB
			{true, 512, 512, 4, false},    // exactly 1 MiB
			{true, 512, 513, 4, true},     // just beyond
			{true, 4000, 100, 4, true},    // 1.6 MB
			{true, 1000, 100, 8, false},   // 800 KB
			{true, 1000, 200, 8, true},    // 1.6 MB
			{false, 4000, 4000, 4, false}, // untransposed: never
		} {
			if got := dearPackA(c.aT, c.m, c.k, c.elem); got != c.want {
				t.Errorf("dearPackA(%v, %d, %d, %d) = %v, want %v", c.aT, c.m, c.k, c.elem, got, c.want)
			}
		}
	})
}

// TestNarrowShallow checks the narrow path's row limit for shallow
// products: at depth narrowShallowK or less (narrowShallowKLargeL1 for
// float32 on a 48 KiB L1), only as many rows as a
// full-depth A block holds (with a 1 MiB L2: 340 float32 rows of the 10x32
// kernel on either L1, 170 float64 rows on a 32 KiB L1 and 250 on a 48 KiB
// one); deeper products keep the limit of their own block sizes.
func TestNarrowShallow(t *testing.T) {
	for _, c := range []struct{ l1, elem, nr, lim int }{
		{32 << 10, 4, 32, 340}, {48 << 10, 4, 32, 340}, {32 << 10, 8, 16, 170}, {48 << 10, 8, 16, 250},
	} {
		withCaches(c.l1, 1<<20, 32<<20, func() {
			narrow := func(m, k int) bool {
				return useNarrow(m, k, 100, 1, c.elem, packedBlocking(10, c.nr, c.elem, k))
			}
			if lim := packedBlocking(10, c.nr, c.elem, maxKC).mc; lim != c.lim {
				t.Fatalf("L1 %d KiB, %d-byte elements: full-depth MC %d, want %d", c.l1>>10, c.elem, lim, c.lim)
			}
			shallow := narrowShallowDepth(c.elem)
			want := narrowShallowK
			if c.l1 > deepKCMaxL1 && c.elem == 4 {
				want = narrowShallowKLargeL1
			}
			if shallow != want {
				t.Fatalf("L1 %d KiB, %d-byte elements: shallow depth %d, want %d", c.l1>>10, c.elem, shallow, want)
			}
			for _, k := range []int{1, 32, shallow} {
				if !narrow(100, k) || !narrow(c.lim, k) || narrow(c.lim+1, k) || narrow(1000, k) {
					t.Errorf("L1 %d KiB, %d-byte elements, k = %d: narrow for 100, %d, %d, 1000 rows = %v, %v, %v, %v; want true, true, false, false",
						c.l1>>10, c.elem, k, c.lim, c.lim+1, narrow(100, k), narrow(c.lim, k), narrow(c.lim+1, k), narrow(1000, k))
				}
			}
			// Past the shallow depth the depth's own A block decides.
			k := shallow + 36
			if mc := packedBlocking(10, c.nr, c.elem, k).mc; !narrow(mc, k) || narrow(mc+1, k) || mc <= c.lim {
				t.Errorf("L1 %d KiB, %d-byte elements, k = %d: MC %d, narrow for it %v and one more %v", c.l1>>10, c.elem, k, mc, narrow(mc, k), narrow(mc+1, k))
			}
		})
	}
}

// TestConflictInPlace checks which row strides of B that are not
// stridedFriendly are still read in place (conflictInPlace), and runs such
// products on every implementation, one and two threads: float32 through
// the gemmCase checks (guards, a float64 reference), float64 against a
// naive product.
func TestConflictInPlace(t *testing.T) {
	for _, c := range []struct {
		m, mr, nr, ldb, elem int
		want                 bool
	}{
		{16, 8, 32, 1024, 4, true},
		{40, 10, 32, 1024, 4, true},
		{41, 10, 32, 1024, 4, false}, // five row panels
		{16, 8, 32, 2048, 4, true},
		{16, 8, 32, 4096, 4, false}, // 16 KiB apart
		{16, 8, 16, 1024, 8, true},
		{16, 8, 16, 2048, 8, false},
		{16, 6, 16, 1024, 4, false}, // AVX2: a micro-panel row is one line
	} {
		if got := conflictInPlace(c.m, c.mr, c.nr, c.ldb, c.elem); got != c.want {
			t.Errorf("conflictInPlace(m=%d, mr=%d, nr=%d, ldb=%d, %d-byte) = %v", c.m, c.mr, c.nr, c.ldb, c.elem, got)
		}
	}
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(43, 44))
		for _, threads := range []int{1, 2} {
			withThreads(threads, func() {
				for _, sh := range [][3]int{{16, 300, 1000}, {37, 129, 1000}, {20, 700, 1000}} {
					m, k, n := sh[0], sh[1], sh[2]
					for _, beta := range []float64{0, 0.5} {
						g := newGemmCase(r, gblas.NoTrans, gblas.NoTrans, m, n, k, 24, 1, beta)
						if stridedFriendly(g.ldb, 4, asm.Current().SNR) {
							t.Fatalf("%v: ldb %d is not a conflict stride", g, g.ldb)
						}
						g.run(beta == 0) // NaN in C with beta = 0
						g.check(t, beta == 0)
					}
				}
				checkDgemmLdb(t, r, threads, 20, 150, 1000, 1024)
			})
		}
	})
}

// checkDgemmLdb runs a float64 C = A*B (m x k times k x n, B with row
// stride ldb, random normal values) and checks it against a naive product.
func checkDgemmLdb(t *testing.T, r *rand.Rand, threads, m, k, n, ldb int) {
	t.Helper()
	a, b := make([]float64, m*k), make([]float64, k*ldb)
	for i := range a {
		a[i] = r.NormFloat64()
	}
	for i := range b {
		b[i] = r.NormFloat64()
	}
	c := make([]float64, m*n)
	Dgemm(gblas.NoTrans, gblas.NoTrans, m, n, k, 1, a, k, b, ldb, 0, c, n)
	checkNaive64(t, threads, m, n, k, a, k, b, ldb, c, n)
}

// checkNaive64 checks C = A*B (m x k times k x n, float64) against a naive
// product within Higham's bound on the magnitudes that entered each sum.
func checkNaive64(t *testing.T, threads, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	t.Helper()
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var want, mag float64
			for p := 0; p < k; p++ {
				want += a[i*lda+p] * b[p*ldb+j]
				mag += math.Abs(a[i*lda+p] * b[p*ldb+j])
			}
			if got := c[i*ldc+j]; math.Abs(got-want) > float64(2*(k+2))*0x1p-53*mag {
				t.Fatalf("float64, %d threads: c[%d][%d] = %g, want %g", threads, i, j, got, want)
			}
		}
	}
}

// TestStridedFriendly checks which row strides of B the in-place kernels
// read directly (one-line micro-panel rows: not a multiple of 256 bytes;
// two-line rows: not a multiple of 2048), and runs products with B at the
// strides the two-line rule newly admits (256- and 1024-byte multiples,
// 100 row panels' worth of depth) on every implementation, one and two
// threads: float32 through the gemmCase checks (guards, a float64
// reference, NaN in C with beta = 0), float64 against a naive product.
func TestStridedFriendly(t *testing.T) {
	for _, c := range []struct {
		ldb, elem, nr int
		want          bool
	}{
		{4000, 4, 32, true}, {4000, 4, 16, true}, {4000, 8, 16, true}, {4000, 8, 8, false},
		{4032, 4, 32, true}, {3840, 4, 32, true}, {3584, 4, 32, false}, {2048, 4, 32, false},
		{3712, 8, 16, true}, {3840, 8, 16, false}, {1088, 4, 16, false}, {1001, 4, 16, true},
	} {
		if got := stridedFriendly(c.ldb, c.elem, c.nr); got != c.want {
			t.Errorf("stridedFriendly(ldb=%d, %d-byte, nr=%d) = %v", c.ldb, c.elem, c.nr, got)
		}
	}
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		r := rand.New(rand.NewPCG(45, 46))
		for _, threads := range []int{1, 2} {
			withThreads(threads, func() {
				for _, sh := range [][4]int{{20, 300, 1000, 88}, {37, 600, 700, 68}} {
					m, k, n, pad := sh[0], sh[1], sh[2], sh[3]
					for _, beta := range []float64{0, 0.5} {
						g := newGemmCase(r, gblas.NoTrans, gblas.NoTrans, m, n, k, pad, 1, beta)
						if g.ldb*4%256 != 0 {
							t.Fatalf("%v: ldb %d is not a 256-byte multiple", g, g.ldb)
						}
						g.run(beta == 0)
						g.check(t, beta == 0)
					}
				}
				if !stridedFriendly(1056, 8, impl.DNR) && impl.DNR*8 >= 2*lineBytes {
					t.Fatal("float64 ldb 1056 not read in place")
				}
				checkDgemmLdb(t, r, threads, 23, 400, 1000, 1056)
			})
		}
	})
}
