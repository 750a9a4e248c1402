package blas

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/fastpath-go/fastpath/asm"
	gblas "gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

func TestMain(m *testing.M) {
	fmt.Println("blas:", asm.Describe())
	// Small problems would run on gonum's code (see smallGemv and
	// smallTri); the tests check fastpath's. TestSmallNative checks the
	// hand-over. Benchmarks time what users get: a binary run with -bench
	// keeps the hand-over (and its tests check gonum's code on small sizes;
	// run the tests without -bench).
	flag.Parse()
	if flag.Lookup("test.bench").Value.String() == "" {
		gemvNative, triNative, l1Native, symvNative, gerNative, trvNative, syrNative, syrkNative, symmNative = 0, -1, 0, 0, 0, 0, 0, 0, 0
	}
	os.Exit(m.Run())
}

// forEachImpl runs f with every available asm implementation selected.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, impl := range asm.AvailableImpls() {
		t.Run("impl="+impl.Name, func(t *testing.T) {
			prev, err := asm.Use(impl.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer asm.Restore(prev)
			f(t)
		})
	}
}

// withBlocking runs f with small block sizes (a multiple of the kernel shape)
// so that small problems cross every MC, KC and NC boundary. The direct
// path, which has no blocks, is off: the small problems of these tests
// would take it (TestSgemmDirectPath covers it).
func withBlocking(mcPanels, kc, ncPanels int, f func()) {
	blockingOverride = func(mr, nr, _, k int) blocking {
		return blocking{mr: mr, nr: nr, mc: mcPanels * mr, kc: kc, nc: ncPanels * nr}
	}
	defer func() { blockingOverride = nil }()
	withoutDirect(f)
}

// withoutDirect runs f with the direct path off.
func withoutDirect(f func()) {
	prev := directOff
	directOff = true
	defer func() { directOff = prev }()
	f()
}

func withThreads(n int, f func()) {
	prev := SetThreads(n)
	defer SetThreads(prev)
	f()
}

const guard = 8

// gemmCase is one GEMM problem with operands in guard-padded buffers.
type gemmCase struct {
	tA, tB           gblas.Transpose
	m, n, k          int
	lda, ldb, ldc    int
	alpha, beta      float64
	a, b, c0         []float64 // float64 copies of the operands (C before the call)
	bias             []float64
	relu             bool
	abuf, bbuf, cbuf []float32
}

func newGemmCase(r *rand.Rand, tA, tB gblas.Transpose, m, n, k, pad int, alpha, beta float64) *gemmCase {
	g := &gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, beta: beta}
	ar, ac := m, k
	if tA != gblas.NoTrans {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB != gblas.NoTrans {
		br, bc = n, k
	}
	g.lda, g.ldb, g.ldc = max(ac+pad, 1), max(bc+pad, 1), max(n+pad, 1)
	fill := func(rows, cols, ld int) ([]float64, []float32) {
		size := 0
		if rows > 0 {
			size = (rows-1)*ld + cols
		}
		buf := make([]float32, size+2*guard)
		for i := range buf {
			buf[i] = -999
		}
		v := make([]float64, size)
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				x := float32(r.NormFloat64())
				buf[guard+i*ld+j] = x
				v[i*ld+j] = float64(x)
			}
		}
		return v, buf
	}
	g.a, g.abuf = fill(ar, ac, g.lda)
	g.b, g.bbuf = fill(br, bc, g.ldb)
	g.c0, g.cbuf = fill(m, n, g.ldc)
	return g
}

func (g *gemmCase) slices() (a, b, c []float32) {
	return g.abuf[guard : len(g.abuf)-guard], g.bbuf[guard : len(g.bbuf)-guard], g.cbuf[guard : len(g.cbuf)-guard]
}

// check compares C with a float64 reference under the bound
// |c - ref| <= 2(k+2) u (|alpha| |A||B| + |beta C|) and checks the guards
// and the gaps between rows of C.
func (g *gemmCase) check(t *testing.T, nanC bool) {
	t.Helper()
	_, _, c := g.slices()
	for _, buf := range [][]float32{g.abuf, g.bbuf, g.cbuf} {
		for i := 0; i < guard; i++ {
			if buf[i] != -999 || buf[len(buf)-1-i] != -999 {
				t.Fatalf("%v: write outside the operands", g)
			}
		}
	}
	opA := func(i, p int) float64 {
		if g.tA != gblas.NoTrans {
			return g.a[p*g.lda+i]
		}
		return g.a[i*g.lda+p]
	}
	opB := func(p, j int) float64 {
		if g.tB != gblas.NoTrans {
			return g.b[j*g.ldb+p]
		}
		return g.b[p*g.ldb+j]
	}
	const u = 0x1p-24
	for i := 0; i < g.m; i++ {
		for j := g.n; g.n > 0 && j < g.ldc && i < g.m-1; j++ {
			if c[i*g.ldc+j] != -999 {
				t.Fatalf("%v: C[%d][%d] outside the matrix was written", g, i, j)
			}
		}
		for j := 0; j < g.n; j++ {
			var s, mag float64
			if g.alpha != 0 {
				for p := 0; p < g.k; p++ {
					x := opA(i, p) * opB(p, j)
					s += x
					mag += math.Abs(x)
				}
			}
			s *= g.alpha
			mag *= math.Abs(g.alpha)
			if g.beta != 0 {
				s += g.beta * g.c0[i*g.ldc+j]
				mag += math.Abs(g.beta * g.c0[i*g.ldc+j])
			}
			if g.bias != nil {
				s += g.bias[j]
				mag += math.Abs(g.bias[j])
			}
			if g.relu && !(s > 0) {
				s = 0
			}
			got := float64(c[i*g.ldc+j])
			tol := 2*float64(g.k+3)*u*mag + 1e-30
			if math.IsNaN(got) || math.Abs(got-s) > tol {
				t.Fatalf("%v nanC=%v: C[%d][%d] = %g, want %g (tol %g)", g, nanC, i, j, got, s, tol)
			}
		}
	}
}

func (g *gemmCase) String() string {
	return fmt.Sprintf("tA=%c tB=%c m=%d n=%d k=%d lda=%d ldb=%d ldc=%d alpha=%g beta=%g bias=%v relu=%v",
		g.tA, g.tB, g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.alpha, g.beta, g.bias != nil, g.relu)
}

func (g *gemmCase) run(nanC bool) {
	a, b, c := g.slices()
	if nanC {
		for i := range c {
			if c[i] != -999 {
				c[i] = float32(math.NaN())
			}
		}
	}
	Sgemm(g.tA, g.tB, g.m, g.n, g.k, float32(g.alpha), a, g.lda, b, g.ldb, float32(g.beta), c, g.ldc)
}

var transposes = []gblas.Transpose{gblas.NoTrans, gblas.Trans}

func TestSgemmSizes(t *testing.T) {
	sizes := []int{0, 1, 2, 3, 5, 6, 7, 8, 13, 16, 17, 31, 33}
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		withBlocking(2, 8, 2, func() {
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, m := range sizes {
						for _, n := range sizes {
							for _, k := range []int{0, 1, 7, 8, 9, 17, 40} {
								g := newGemmCase(r, tA, tB, m, n, k, (m+n+k)%3, 1, 0)
								g.run(true)
								g.check(t, true)
							}
						}
					}
				}
			}
		})
	})
}

func TestSgemmAlphaBeta(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		withBlocking(2, 8, 2, func() {
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, alpha := range []float64{0, 1, -1, 0.5} {
						for _, beta := range []float64{0, 1, 2} {
							for _, sh := range [][3]int{{7, 37, 19}, {30, 5, 9}, {13, 17, 0}} {
								g := newGemmCase(r, tA, tB, sh[0], sh[1], sh[2], 3, alpha, beta)
								nan := beta == 0
								g.run(nan)
								g.check(t, nan)
							}
						}
					}
				}
			}
		})
	})
}

// TestSgemmLarge uses the real cache-derived blocking on sizes that cross
// MC, KC and NC boundaries (block sizes plus one).
func TestSgemmLarge(t *testing.T) {
	impl := asm.Current()
	bl := packedBlocking(impl.SMR, impl.SNR, 4, 1<<20)
	shapes := [][3]int{{bl.mc + 1, 2*impl.SNR + 3, bl.kc + 1}, {5, bl.nc + 1, 70}, {97, 101, 2*bl.kc + 3}}
	if testing.Short() {
		shapes = shapes[:1]
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, sh := range shapes {
		for _, tA := range transposes {
			for _, tB := range transposes {
				g := newGemmCase(r, tA, tB, sh[0], sh[1], sh[2], 1, 0.5, 2)
				withoutDirect(func() { g.run(false) })
				g.check(t, false)
			}
		}
	}
}

func l2Size() int {
	_, l2, _ := asm.CacheSizes()
	return l2
}

// TestSgemmDirectPath covers the direct path (direct.go) through Sgemm:
// every row count of the last tile and column counts around the panel
// width, depths around the kernel's unrolling, op(A) = A and Aᵀ with
// padded strides, alpha and beta cases (beta = 0 with NaN in C, which
// must not leak), one to seven threads with bit-identical results (the
// threshold lowered so that small problems split), and B transposed,
// which the direct kernel cannot read and leaves to the engine.
func TestSgemmDirectPath(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		if asm.Current().SgemmDirect == nil {
			t.Skip("no direct kernel")
		}
		r := rand.New(rand.NewPCG(21, 22))
		for _, m := range []int{1, 7, 8, 9, 16, 23} {
			for _, n := range []int{1, 15, 16, 17, 32, 33, 70} {
				for _, k := range []int{1, 2, 5, 64, 101} {
					if useDirect(m, n, k, n+1, 4, asm.Current().DirectMR, asm.Current().DirectMaxK) != directColsOuter {
						t.Fatalf("%dx%dx%d: not on the direct path", m, n, k)
					}
					for _, tA := range transposes {
						for _, tB := range transposes {
							ab := [][2]float64{{1, 0}, {-0.5, 1}, {1.5, -2}}[(m+n+k)%3]
							g := newGemmCase(r, tA, tB, m, n, k, (m+k)%3, ab[0], ab[1])
							checkThreadCounts(t, g, ab[1] == 0, 1, 2, 3, 7)
						}
					}
				}
			}
		}
		// A row stride of B that maps a panel's rows onto few L1 sets keeps
		// products with more than two row tiles off the direct path.
		if useDirect(100, 1024, 64, 1024, 4, asm.Current().DirectMR, asm.Current().DirectMaxK) != directNone || useDirect(100, 1000, 64, 1024, 8, asm.Current().DirectMR, asm.Current().DirectMaxK) != directNone ||
			useDirect(2*asm.Current().DirectMR, 1024, 64, 1024, 4, asm.Current().DirectMR, asm.Current().DirectMaxK) != directColsOuter || useDirect(100, 1000, 64, 1000, 4, asm.Current().DirectMR, asm.Current().DirectMaxK) != directColsOuter {
			t.Fatal("B's conflicting row stride not handled")
		}
		// Nor does a C larger than directMaxCL2 L2s take it.
		if m := l2Size() * directMaxCL2 / 4 / 500; useDirect(m+1, 500, 16, 501, 4, asm.Current().DirectMR, asm.Current().DirectMaxK) != directNone || useDirect(m-1, 500, 16, 501, 4, asm.Current().DirectMR, asm.Current().DirectMaxK) == directNone {
			t.Fatal("the bound on C not applied")
		}
		// The depth-outer order and a transposed B keep the tighter bounds.
		if n, l2 := 100, l2Size(); asm.Current().DirectMaxK == 0 &&
			(useDirect(l2*directMaxCL2Depth/4/n-1, n, 5000, n, 4, asm.Current().DirectMR, 0) != directDepthOuter ||
				useDirect(l2*directMaxCL2Depth/4/n+1, n, 5000, n, 4, asm.Current().DirectMR, 0) != directNone) {
			t.Fatal("the depth-outer order's bound on C not applied")
		}
		if n, l2 := 200, l2Size(); useDirectTransposedB(l2*directMaxCL2TransposedB/4/n-1, n, 64, 4, asm.Current().DirectMR, asm.Current().DirectMaxK) == directNone ||
			useDirectTransposedB(l2*directMaxCL2TransposedB/4/n+1, n, 64, 4, asm.Current().DirectMR, asm.Current().DirectMaxK) != directNone {
			t.Fatal("the transposed B's bound on C not applied")
		}
		// The depth is blocked only beyond directWholeDepth.
		if kc := directKC(8, 32, 4, directWholeDepth); kc != directWholeDepth {
			t.Fatalf("directKC(depth %d) = %d", directWholeDepth, kc)
		}
		if kc := directKC(8, 32, 4, directWholeDepth+477); kc >= directWholeDepth+477 {
			t.Fatalf("directKC(depth %d) = %d: not blocked", directWholeDepth+477, kc)
		}
		// Larger products split over threads by column panels, and (few
		// panels, many row tiles) by row tiles; products whose op(A)
		// exceeds the L2 share but whose B does not, on the rows-outer
		// order; a product deeper than directWholeDepth, in depth blocks;
		// and Cs of three L2s.
		_, l2, _ := asm.CacheSizes()
		mBig := l2/directL2Share/4/130 + 5
		// Deep products whose op(A) and B both exceed the share, with few
		// columns: depth blocks outer, two of them (100 columns: the dot
		// tail as well).
		kDeep := func(m, n int) int { return l2/directL2Share/4/min(m, n) + 37 }
		for _, sh := range [][4]int{{40, 300, 90, 0}, {300, 20, 40, 0}, {mBig, 20, 130, 1}, {mBig, 45, 130, 1}, {mBig / 4, 37, 600, 1}, {41, 70, directWholeDepth + 477, 0},
			{60, 70, kDeep(60, 70), 2}, {41, 100, kDeep(41, 100), 2},
			// C between two and four L2s (directMaxCL2).
			{l2 * 3 / (4 * 700), 700, 40, 0}, {l2 * 3 / (4 * 300), 300, 64, 1}} {
			m, n, k := sh[0], sh[1], sh[2]
			want := []directOrder{directColsOuter, directRowsOuter, directDepthOuter}[sh[3]]
			if want == directDepthOuter && (k+directDepthKC(n, k, 4)-1)/directDepthKC(n, k, 4) < 2 {
				t.Fatalf("%dx%dx%d: one depth block", m, k, n)
			}
			if maxK := asm.Current().DirectMaxK; maxK > 0 && k > maxK {
				want = directNone
			}
			if useDirect(m, n, k, n+1, 4, asm.Current().DirectMR, asm.Current().DirectMaxK) != want {
				t.Fatalf("%dx%dx%d: order %d, want %d", m, n, k, useDirect(m, n, k, n+1, 4, asm.Current().DirectMR, asm.Current().DirectMaxK), want)
			}
			tA := transposes[(m+n)%2]
			g := newGemmCase(r, tA, gblas.NoTrans, m, n, k, 1, 1, 1)
			_, _, c := g.slices()
			c0 := append([]float32(nil), c...)
			var ref []float32
			for _, threads := range []int{1, 2, 3} {
				copy(c, c0)
				withThreads(threads, func() { gemmPoolTestHook(func() { g.run(false) }) })
				g.check(t, false)
				if ref == nil {
					ref = append([]float32(nil), c...)
				} else if !slices.Equal(ref, c) {
					t.Fatalf("%v: %d threads differ from 1", g, threads)
				}
			}
		}
	})
}

// TestSgemmNarrowStream covers the narrow path's prefetch stream on the
// in-place kernel calls with more row panels than narrowStreamMaxPanels:
// on a 48 KiB L1 the calls carry the stream for any number of row panels
// (a short last group, whose calls are too few for the stream, gets no
// prefetches), on a 32 KiB one they fall back to bursts. Several groups,
// several depth blocks, B read in place (a row stride that is not a
// multiple of 256 bytes) and packed, one and two threads.
func TestSgemmNarrowStream(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		mr, nr := impl.SMR, impl.SNR
		r := rand.New(rand.NewPCG(13, 14))
		// Eleven row panels (beyond narrowStreamMaxPanels), and three, whose
		// last group of one micro-panel has fewer calls than line columns.
		for _, m := range []int{(narrowStreamMaxPanels+2)*mr + 3, 2*mr + 1} {
			for _, l1 := range []int{32 << 10, 48 << 10} {
				for _, n := range []int{2*narrowGroup*nr + nr, 3 * narrowGroup * nr} {
					for _, pad := range []int{0, 1} {
						for _, threads := range []int{1, 2} {
							g := newGemmCase(r, gblas.NoTrans, gblas.NoTrans, m, n, 3*16+5, pad, 1, 0)
							withCaches(l1, 1<<20, 4<<20, func() {
								withThreads(threads, func() {
									withBlocking(narrowStreamMaxPanels+3, 16, 64, func() {
										bl := newBlocking(mr, nr, 4, g.k)
										if !useNarrow(m, g.k, (n+nr-1)/nr, 1, 4, bl) {
											t.Fatalf("%v: not on the narrow path", g)
										}
										gemmPoolTestHook(func() { g.run(true) })
									})
								})
							})
							g.check(t, true)
						}
					}
				}
			}
		}
	})
}

// TestSgemmNarrow covers the narrow path (all rows in one A block, A packed
// once, each column group run through the whole depth with its B slices
// packed just before use and the next slice prefetched): several groups
// with a partial last one, depths smaller and larger than the number of
// kernel calls per group, both transposes of A and B, beta 0.5, one and two
// threads.
func TestSgemmNarrow(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		mr, nr := impl.SMR, impl.SNR
		r := rand.New(rand.NewPCG(11, 12))
		for _, kc := range []int{2, 8, 37} {
			for _, m := range []int{1, mr + 1, 4 * mr} {
				for _, n := range []int{3, 2 * narrowGroup * nr, 5*narrowGroup*nr + nr + 5} {
					for _, k := range []int{5, 2*kc + 1} {
						for _, tA := range transposes {
							for _, tB := range transposes {
								for _, threads := range []int{1, 2} {
									for _, beta := range []float64{0, 0.5} {
										// pad 0 gives B a row stride that is
										// a multiple of 256 bytes for the
										// wider n (B packed), pad 1 one that
										// is not (B read in place).
										pad := int(beta * 2)
										g := newGemmCase(r, tA, tB, m, n, k, pad, 1, beta)
										withThreads(threads, func() {
											withBlocking(4, kc, 64, func() {
												bl := newBlocking(mr, nr, 4, k)
												nP := (n + nr - 1) / nr
												if !useNarrow(m, k, nP, 1, 4, bl) {
													t.Fatalf("%v: not on the narrow path", g)
												}
												gemmPoolTestHook(func() { g.run(beta == 0) })
											})
										})
										g.check(t, beta == 0)
									}
								}
							}
						}
					}
				}
			}
		}
	})
}

// TestSgemmThreads checks that results are bit-identical for any thread
// count: k is never split, so every tile is computed the same way.
func TestSgemmThreads(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, sh := range [][3]int{{3, 200, 50}, {100, 300, 70}, {301, 29, 90}, {64, 64, 600}} {
			for _, tA := range transposes {
				g := newGemmCase(r, tA, gblas.NoTrans, sh[0], sh[1], sh[2], 2, 1, 1)
				a, b, c := g.slices()
				var ref []float32
				for _, threads := range []int{1, 2, 3, 4, 7} {
					cc := append([]float32(nil), c...)
					withThreads(threads, func() {
						withBlocking(3, 16, 4, func() {
							gemmPoolTestHook(func() {
								Sgemm(tA, gblas.NoTrans, g.m, g.n, g.k, 1, a, g.lda, b, g.ldb, 1, cc, g.ldc)
							})
						})
					})
					if ref == nil {
						ref = cc
						continue
					}
					for i := range cc {
						if math.Float32bits(cc[i]) != math.Float32bits(ref[i]) {
							t.Fatalf("%v: %d threads: c[%d] = %g, 1 thread %g", g, threads, i, cc[i], ref[i])
						}
					}
				}
			}
		}
	})
}

// gemmPoolTestHook lowers the serial threshold so that small test problems
// run in parallel.
func gemmPoolTestHook(f func()) {
	prev := parallelMinFlops
	parallelMinFlops = 0
	defer func() { parallelMinFlops = prev }()
	f()
}

func TestDgemm(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(9, 10))
		withBlocking(2, 8, 2, func() {
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, sh := range [][3]int{{0, 3, 3}, {1, 1, 1}, {7, 9, 17}, {13, 33, 40}, {25, 4, 3}, {5, 200, 30}} {
						for _, beta := range []float64{0, 1, 2} {
							m, n, k := sh[0], sh[1], sh[2]
							checkDgemm(t, r, tA, tB, m, n, k, -0.5, beta)
							checkDgemm(t, r, tA, tB, m, n, k, 1, beta) // alpha 1: packing copies A as is
						}
					}
				}
			}
		})
	})
}

// TestDgemmDirectPath covers the float64 direct path (direct.go) through
// Dgemm: last tiles of every row count, column counts around the 16-wide
// panel, depths around the kernel's unrolling and past a depth block,
// all transposes (B transposed leaves the direct path), alpha and beta
// cases, one and two threads (the threshold lowered), and a product on
// the rows-outer order.
func TestDgemmDirectPath(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		if asm.Current().DgemmDirect == nil {
			t.Skip("no direct kernel")
		}
		r := rand.New(rand.NewPCG(23, 24))
		for _, m := range []int{1, 7, 9, 16} {
			for _, n := range []int{1, 7, 8, 9, 16, 17, 40} {
				for _, k := range []int{1, 2, 5, 64, 300} {
					want := directColsOuter
					if maxK := asm.Current().DirectMaxK; maxK > 0 && k > maxK {
						want = directNone // deeper than the kernels win: the engine
					}
					if useDirect(m, n, k, n+1, 8, asm.Current().DirectMR, asm.Current().DirectMaxK) != want {
						t.Fatalf("%dx%dx%d: direct path order not %d", m, n, k, want)
					}
					for _, tA := range transposes {
						for _, tB := range transposes {
							for _, threads := range []int{1, 2} {
								ab := [][2]float64{{1, 0}, {-0.5, 1}, {1.5, -2}}[(m+n+k+threads)%3]
								withThreads(threads, func() {
									gemmPoolTestHook(func() { checkDgemm(t, r, tA, tB, m, n, k, ab[0], ab[1]) })
								})
							}
						}
					}
				}
			}
		}
		_, l2, _ := asm.CacheSizes()
		m := l2/directL2Share/8/70 + 3
		if useDirect(m, 20, 70, 21, 8, asm.Current().DirectMR, asm.Current().DirectMaxK) != directRowsOuter {
			t.Fatalf("%dx20x70: not on the rows-outer order", m)
		}
		for _, tA := range transposes {
			withThreads(2, func() { gemmPoolTestHook(func() { checkDgemm(t, r, tA, gblas.NoTrans, m, 20, 70, 1, 0.5) }) })
		}
		// Depth blocks outer: op(A) and B beyond the share, few columns.
		if maxK := asm.Current().DirectMaxK; maxK == 0 || maxK >= 2000 {
			m, n := 30, 50
			k := l2/directL2Share/8/m + 11
			if useDirect(m, n, k, n, 8, asm.Current().DirectMR, asm.Current().DirectMaxK) != directDepthOuter || (k+directDepthKC(n, k, 8)-1)/directDepthKC(n, k, 8) < 2 {
				t.Fatalf("%dx%dx%d: not on the depth-outer order in several blocks", m, k, n)
			}
			for i, tA := range transposes {
				withThreads(1+i, func() {
					gemmPoolTestHook(func() { checkDgemm(t, r, tA, gblas.NoTrans, m, n, k, -0.5, []float64{0, 1.5}[i]) })
				})
			}
		}
	})
}

func checkDgemm(t *testing.T, r *rand.Rand, tA, tB gblas.Transpose, m, n, k int, alpha, beta float64) {
	t.Helper()
	ar, ac := m, k
	if tA != gblas.NoTrans {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB != gblas.NoTrans {
		br, bc = n, k
	}
	lda, ldb, ldc := ac+2, bc+1, n+3
	mk := func(rows, ld int) []float64 {
		v := make([]float64, rows*ld)
		for i := range v {
			v[i] = r.NormFloat64()
		}
		return v
	}
	a, b, c := mk(ar, lda), mk(br, ldb), mk(m, ldc)
	c0 := append([]float64(nil), c...)
	if beta == 0 {
		for i := range c {
			c[i] = math.NaN()
		}
	}
	Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, mag float64
			for p := 0; p < k; p++ {
				var x, y float64
				if tA != gblas.NoTrans {
					x = a[p*lda+i]
				} else {
					x = a[i*lda+p]
				}
				if tB != gblas.NoTrans {
					y = b[j*ldb+p]
				} else {
					y = b[p*ldb+j]
				}
				s += x * y
				mag += math.Abs(x * y)
			}
			s *= alpha
			mag *= math.Abs(alpha)
			if beta != 0 {
				s += beta * c0[i*ldc+j]
				mag += math.Abs(beta * c0[i*ldc+j])
			}
			tol := 4 * float64(k+3) * 0x1p-53 * mag
			if got := c[i*ldc+j]; math.IsNaN(got) || math.Abs(got-s) > tol+1e-300 {
				t.Fatalf("tA=%c tB=%c m=%d n=%d k=%d beta=%g: C[%d][%d] = %g, want %g", tA, tB, m, n, k, beta, i, j, got, s)
			}
		}
	}
}

// TestGemmFewColumns covers the transposed path for products with few
// columns and many rows (fewColumns: C^T computed on the narrow path into
// scratch, then transposed into C): n from 1 to two micro-panels, m just
// past an A block and larger, every transpose, alpha 1 and -0.5, beta 0
// (C full of NaN, and C contiguous, which takes the asm transpose) and 0.5,
// one and two threads; the shapes are checked to take the path.
func TestGemmFewColumns(t *testing.T) {
	impl := asm.Current()
	r := rand.New(rand.NewPCG(21, 22))
	for _, k := range []int{128, 231} {
		mc := newBlocking(1, impl.SNR, 4, k).mc
		for _, m := range []int{mc + 1, 4*mc + 7} {
			for _, n := range []int{1, 5, impl.SNR, impl.SNR + 1, 2 * impl.SNR} {
				if !fewColumns(m, n, k, impl.SNR, 4) {
					t.Fatalf("m=%d n=%d k=%d does not take the transposed path", m, n, k)
				}
				for i, tA := range transposes {
					tB := transposes[(i+n)%2]
					for _, ab := range [][2]float64{{1, 0}, {-0.5, 0.5}} {
						for _, pad := range []int{0, 2} {
							withThreads(1+(m+n+pad)%2, func() {
								g := newGemmCase(r, tA, tB, m, n, k, pad, ab[0], ab[1])
								nan := ab[1] == 0
								g.run(nan)
								g.check(t, nan)
							})
						}
					}
				}
			}
		}
	}
}

// TestDgemmFewColumns covers the float64 transposed path (fewColumns64:
// op(A) transposed, few columns, many rows): n from 1 to two micro-panels,
// m just past an A block and larger, both transposes of B, alpha 1 and
// -0.5, beta 0 (C full of NaN) and 0.5, one and two threads; the shapes are
// checked to take the path, and the same shapes with A not transposed (the
// general path) are checked beside them.
func TestDgemmFewColumns(t *testing.T) {
	impl := asm.Current()
	r := rand.New(rand.NewPCG(23, 24))
	for _, k := range []int{128, 231} {
		mc := newBlocking(1, impl.DNR, 8, k).mc
		for _, m := range []int{mc + 1, 3*mc + 5} {
			for _, n := range []int{1, 5, impl.DNR, impl.DNR + 1, 2 * impl.DNR} {
				if !fewColumns64(true, m, n, k, impl.DNR) || fewColumns64(false, m, n, k, impl.DNR) {
					t.Fatalf("m=%d n=%d k=%d: the transposed path is not taken exactly when A is transposed", m, n, k)
				}
				for _, tA := range transposes {
					for i, tB := range transposes {
						ab := [][2]float64{{1, 0}, {-0.5, 0.5}}[(i+n)%2]
						withThreads(1+(m+n+i)%2, func() {
							checkDgemm(t, r, tA, tB, m, n, k, ab[0], ab[1])
						})
					}
				}
			}
		}
	}
}

// TestDirectTransposedB checks the selection of the direct path for a
// transposed B (copied into scratch space first), the copy's row stride,
// and products on it, one deeper than directWholeDepth (several depth
// blocks), both orders
// and a scratch stride that differs from n, against the float64 reference
// (the small shapes run in TestSgemmDirectPath and TestDgemmDirectPath
// with every transpose), bit-identical for 1, 2 and 3 threads.
func TestDirectTransposedB(t *testing.T) {
	for _, elem := range []int{4, 8} {
		per := 64 / elem
		for n := 1; n <= 300; n++ {
			ld := directStride(n, elem)
			if ld < n || ld%per != 0 || ld/per%2 != 1 || ld-n >= 2*per {
				t.Fatalf("directStride(%d, %d) = %d", n, elem, ld)
			}
		}
	}
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		if impl.SgemmDirect == nil {
			t.Skip("no direct kernel")
		}
		mr, maxK := impl.DirectMR, impl.DirectMaxK
		if useDirectTransposedB(16, 100, 100, 4, mr, maxK) != directColsOuter {
			t.Fatal("16x100x100 with B transposed not on the direct path")
		}
		// A transposed B beyond the L2 share stays on the engine.
		_, l2, _ := asm.CacheSizes()
		if k := l2 / directL2Share / 4 / 256; useDirectTransposedB(16, 256, k+1, 4, mr, maxK) != directNone {
			t.Fatal("a large transposed B on the direct path")
		}
		r := rand.New(rand.NewPCG(31, 32))
		for _, sh := range [][3]int{{37, 256, 200}, {130, 64, 250}, {l2 / directL2Share / 4 / 90, 40, 90}, {37, 40, directWholeDepth + 76}} {
			m, n, k := sh[0], sh[1], sh[2]
			if maxK > 0 && k > maxK {
				continue
			}
			if useDirectTransposedB(m, n, k, 4, mr, maxK) == directNone {
				t.Fatalf("%dx%dx%d: not on the direct path", m, n, k)
			}
			for _, tA := range transposes {
				for i, ab := range [][2]float64{{1, 0}, {-0.5, 1}, {1.5, -2}} {
					g := newGemmCase(r, tA, gblas.Trans, m, n, k, i, ab[0], ab[1])
					checkThreadCounts(t, g, ab[1] == 0, 1, 2, 3)
					withThreads(2, func() { gemmPoolTestHook(func() { checkDgemm(t, r, tA, gblas.Trans, m, n, k, ab[0], ab[1]) }) })
				}
			}
		}
	})
}

// TestDirectDotTail checks when the direct path computes its last column
// panel on the dot kernel (directDotTail: at most one dot tile of columns
// past whole panels of a kernel at least eight dot tiles wide, at least 32
// rows, depth 64 and m*k 8192) and products that take it: 1 to 4 columns
// past the last whole panel, a last row tile short of the kernel's, the
// parts of two and three threads splitting the rows or the columns, B
// transposed (the direct path's transposed copy), padded strides and
// alpha/beta (NaN in C with beta = 0), against the float64 reference and
// bit-identical at 1, 2, 3 and 7 threads; with the dot tail off the same
// products agree to rounding (the reference's bound holds for both).
func TestDirectDotTail(t *testing.T) {
	for _, c := range []struct {
		m, n, k, nr, dotNR int
		want               bool
	}{
		{100, 100, 100, 32, 4, true}, {32, 97, 256, 32, 4, true}, {32, 100, 300, 32, 4, true}, {1000, 100, 1000, 32, 4, true},
		{100, 102, 100, 32, 4, false}, {100, 96, 100, 32, 4, false}, {100, 4, 100, 32, 4, false}, {31, 100, 1000, 32, 4, false},
		{100, 100, 63, 32, 4, false}, {64, 100, 100, 32, 4, false}, {100, 100, 100, 16, 4, false}, {100, 100, 100, 32, 0, false},
	} {
		if got := directDotTail(c.m, c.n, c.k, c.nr, c.dotNR); got != c.want {
			t.Errorf("directDotTail(%dx%dx%d, nr %d, dot %d) = %v, want %v", c.m, c.k, c.n, c.nr, c.dotNR, got, c.want)
		}
	}
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		if impl.SgemmDirect == nil || !directDotTail(100, 100, 100, impl.SDirectNR, impl.DotNR) {
			t.Skip("no dot tail on this implementation")
		}
		mr, nr, maxK := impl.DirectMR, impl.SDirectNR, impl.DirectMaxK
		r := rand.New(rand.NewPCG(41, 42))
		for i, sh := range [][3]int{{100, 100, 100}, {37, nr + 1, 256}, {64, 3*nr + 2, 200}, {45, 2*nr + 3, 300}, {300, nr + 4, 64}, {33, 4*nr + 4, 800}} {
			m, n, k := sh[0], sh[1], sh[2]
			for _, tB := range transposes {
				order := useDirect(m, n, k, n+i%2, 4, mr, maxK)
				if tB == gblas.Trans {
					order = useDirectTransposedB(m, n, k, 4, mr, maxK)
				}
				if order == directNone || !directDotTail(m, n, k, nr, impl.DotNR) {
					t.Fatalf("%dx%dx%d: not on the direct path's dot tail", m, k, n)
				}
				ab := [][2]float64{{1, 0}, {-0.5, 1}, {1.5, -2}, {0.75, 0}}[(i+int(tB))%4]
				g := newGemmCase(r, gblas.NoTrans, tB, m, n, k, i%2, ab[0], ab[1])
				_, _, c := g.slices()
				c0 := append([]float32(nil), c...)
				checkThreadCounts(t, g, ab[1] == 0, 1, 2, 3, 7)
				copy(c, c0)
				directDotTailOff = true
				checkThreadCounts(t, g, ab[1] == 0, 2)
				directDotTailOff = false
			}
		}
		// Steady-state calls allocate nothing (the copies' buffer is reused).
		m, n, k := 100, 100, 100
		a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		for _, threads := range []int{1, 2} {
			withThreads(threads, func() {
				f := func() { Sgemm(gblas.NoTrans, gblas.NoTrans, m, n, k, 1, a, k, b, n, 0, c, n) }
				f()
				if got := testing.AllocsPerRun(10, f); got != 0 {
					t.Errorf("dot tail, %d threads: %v allocations per call", threads, got)
				}
			})
		}
	})
}

// checkThreadCounts runs g at each thread count from the same C, checks
// each result against the float64 reference and requires the bits of the
// first.
func checkThreadCounts(t *testing.T, g *gemmCase, nanC bool, counts ...int) {
	t.Helper()
	_, _, c := g.slices()
	c0 := append([]float32(nil), c...)
	var ref []float32
	for _, threads := range counts {
		copy(c, c0)
		withThreads(threads, func() { gemmPoolTestHook(func() { g.run(nanC) }) })
		g.check(t, nanC)
		if ref == nil {
			ref = append([]float32(nil), c...)
			continue
		}
		for i := range c {
			if math.Float32bits(c[i]) != math.Float32bits(ref[i]) {
				t.Fatalf("%v: %d threads: c[%d] = %g, %d thread(s) %g", g, threads, i, c[i], counts[0], ref[i])
			}
		}
	}
}

// TestDotPath checks the selection of the dot path (A not transposed, B
// transposed, few rows for the depth) and products on it, tiles cut at
// every edge (m and n not multiples of 4, depths around the sixteen-wide
// steps), with padded strides, alpha/beta (NaN in C with beta = 0) against
// the float64 reference and bit-identical at 1, 2, 3 and 7 threads.
func TestDotPath(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		if impl.SgemmDot == nil {
			t.Skip("no dot kernel")
		}
		mr := impl.DotMR
		type sel struct {
			aT, bT  bool
			m, n, k int
			want    bool
		}
		cases := []sel{{true, true, 4, 100, 1000, false}, {false, false, 4, 100, 1000, false}, {true, false, 4, 100, 1000, false},
			{false, true, 1, 100, 1000, true}, {false, true, 32, 1000, 1000, true}, {false, true, 49, 1000, 4000, false},
			{false, true, 8, 1000, l2Size() / directL2Share / 4 / 8, true}, {false, true, 8, 1000, l2Size()/directL2Share/4/8 + 1, false}}
		mid := 96 // 9 to 16 rows: the dot path from this depth
		if smallL1() {
			mid = dotMidKSmallL1
		}
		if mr >= 4 {
			cases = append(cases, sel{false, true, 8, 100, 32, true}, sel{false, true, 8, 100, 31, false},
				sel{false, true, 16, 100, mid, true}, sel{false, true, 16, 100, mid - 1, false}, sel{false, true, 17, 100, 511, false},
				sel{false, true, 48, 100, 512, true})
		} else {
			cases = append(cases, sel{false, true, 4, 100, 64, true}, sel{false, true, 4, 100, 63, false},
				sel{false, true, 16, 100, 100, false}, sel{false, true, 16, 1000, 256, true}, sel{false, true, 32, 100, 512, true},
				sel{false, true, 33, 1000, 1000, false})
		}
		if impl.DgemmDot != nil {
			for _, c := range []sel{{false, true, 8, 100, 32, true}, {false, true, 16, 100, 96, true}, {false, true, 16, 100, 95, false},
				{false, true, 24, 100, 512, true}, {false, true, 25, 1000, 1000, false}, {true, true, 4, 100, 1000, false}} {
				if got := useDot64(c.aT, c.bT, c.m, c.n, c.k, impl.DDotMR); got != c.want {
					t.Fatalf("useDot64(%v, %v, m=%d, n=%d, k=%d) = %v", c.aT, c.bT, c.m, c.n, c.k, got)
				}
			}
		}
		for _, c := range cases {
			if got := useDot(c.aT, c.bT, c.m, c.n, c.k, mr); got != c.want {
				t.Fatalf("useDot(%v, %v, m=%d, n=%d, k=%d) = %v", c.aT, c.bT, c.m, c.n, c.k, got)
			}
		}
		r := rand.New(rand.NewPCG(41, 42))
		for _, sh := range [][3]int{{1, 37, 1000}, {3, 5, 65}, {4, 101, 100}, {16, 130, 600}, {13, 97, 529}, {30, 70, 600}} {
			m, n, k := sh[0], sh[1], sh[2]
			if !useDot(false, true, m, n, k, mr) {
				t.Fatalf("%dx%dx%d: not on the dot path", m, k, n)
			}
			for i, ab := range [][2]float64{{1, 0}, {-0.5, 1}, {1.5, -2}} {
				g := newGemmCase(r, gblas.NoTrans, gblas.Trans, m, n, k, i, ab[0], ab[1])
				checkThreadCounts(t, g, ab[1] == 0, 1, 2, 3, 7)
				if impl.DgemmDot != nil && m <= 24 && useDot64(false, true, m, n, k, impl.DDotMR) {
					for _, threads := range []int{1, 2} {
						withThreads(threads, func() {
							gemmPoolTestHook(func() { checkDgemm(t, r, gblas.NoTrans, gblas.Trans, m, n, k, ab[0], ab[1]) })
						})
					}
				}
			}
			// A dense layer's forward pass (Affine32: bias and ReLU in the
			// kernel's epilogue, C not read).
			checkAffineNT(t, r, m, n, k, 2)
		}
	})
}

// TestDotFew: products with few columns and many rows on the dot path
// (useDotFew), the selection rule at its boundaries, then against the
// float64 reference and bit-identical at 1, 2, 3 and 7 threads, with the
// rows of A split between threads (few column tiles, or A beyond L2) and
// with the columns split, alpha/beta cases with NaN in C where beta = 0,
// and as a dense layer's forward pass (bias and ReLU).
func TestDotFew(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		impl := asm.Current()
		if impl.SgemmDot == nil {
			t.Skip("no dot kernel")
		}
		mr := impl.DotMR
		bMax := l2Size() / directL2Share / 4 // n*k elements of B the rule allows
		type sel struct {
			aT, bT   bool
			m, n, k  int
			epilogue bool
			want     bool
		}
		for _, c := range []sel{
			{false, true, 100, 10, 1000, true, true}, {false, true, 100, 10, 64, true, true}, {false, true, 100, 10, 63, true, false},
			{false, true, 100, 32, 300, true, true}, {false, true, 100, 33, 511, true, false}, {false, true, 100, 64, 512, true, true},
			{false, true, 100, 65, 1000, true, false}, {true, true, 100, 10, 1000, true, false}, {false, false, 100, 10, 1000, true, false},
			{false, true, 100, 16, 256, false, true}, {false, true, 100, 16, 255, false, false}, {false, true, 100, 17, 1000, false, false},
			{false, true, 1000, 16, bMax / 16, false, true}, {false, true, 1000, 16, bMax/16 + 1, false, false},
			{false, true, 100, 32, bMax / 32, true, true}, {false, true, 100, 32, bMax/32 + 1, true, false},
		} {
			if got := useDotFew(c.aT, c.bT, c.m, c.n, c.k, mr, 4, c.epilogue); got != c.want {
				t.Fatalf("useDotFew(%v, %v, m=%d, n=%d, k=%d, epilogue %v) = %v", c.aT, c.bT, c.m, c.n, c.k, c.epilogue, got)
			}
		}
		r := rand.New(rand.NewPCG(43, 44))
		// {m, n, k}: four column tiles or fewer (rows split), more (columns
		// split), and A beyond L2 (rows split).
		mBig := l2Size()/directL2Share/(4*1000) + 3 // A beyond the L2 share at k = 1000
		if dotAFits(mBig, 1000, 4) {
			t.Fatalf("%dx1000 fits the L2 share", mBig)
		}
		for _, sh := range [][3]int{{100, 16, 256}, {37, 13, 300}, {101, 5, 1000}, {mBig, 10, 1000}} {
			m, n, k := sh[0], sh[1], sh[2]
			if useDot(false, true, m, n, k, mr) || !useDotFew(false, true, m, n, k, mr, 4, true) {
				t.Fatalf("%dx%dx%d: not on the few-column dot path", m, k, n)
			}
			if useDotFew(false, true, m, n, k, mr, 4, false) {
				for i, ab := range [][2]float64{{1, 0}, {-0.5, 1}, {1.5, -2}} {
					g := newGemmCase(r, gblas.NoTrans, gblas.Trans, m, n, k, i, ab[0], ab[1])
					checkThreadCounts(t, g, ab[1] == 0, 1, 2, 3, 7)
				}
			}
			checkAffineNT(t, r, m, n, k, 1, 2, 3, 7)
		}
		if impl.DgemmDot == nil {
			return
		}
		// float64: only with an epilogue, up to 32 columns.
		for _, c := range []sel{{false, true, 100, 32, 64, true, true}, {false, true, 100, 33, 1000, true, false},
			{false, true, 100, 10, 63, true, false}, {false, true, 100, 10, 1000, false, false}} {
			if got := useDotFew(c.aT, c.bT, c.m, c.n, c.k, impl.DDotMR, 8, c.epilogue); got != c.want {
				t.Fatalf("float64: useDotFew(%v, %v, m=%d, n=%d, k=%d, epilogue %v) = %v", c.aT, c.bT, c.m, c.n, c.k, c.epilogue, got)
			}
		}
		for _, sh := range [][3]int{{100, 10, 1000}, {37, 13, 300}, {l2Size()/directL2Share/(8*1000) + 3, 10, 1000}} {
			checkAffine64NT(t, r, sh[0], sh[1], sh[2], 1, 2, 3, 7)
		}
	})
}

// checkAffine64NT checks Affine64 with A not transposed, B transposed, a
// bias and with and without the ReLU (padded strides; C not read: NaN
// before the call) against a reference summed in order with math.FMA,
// within the rounding bound of a k-term sum (2(k+1)u times the sum of the
// terms' magnitudes), bit-identical at each of the thread counts.
func checkAffine64NT(t *testing.T, r *rand.Rand, m, n, k int, threads ...int) {
	t.Helper()
	lda, ldb, ldc := k+3, k+1, n+5
	a, b := make([]float64, m*lda), make([]float64, n*ldb)
	for i := range a {
		a[i] = r.NormFloat64()
	}
	for i := range b {
		b[i] = r.NormFloat64()
	}
	bias := make([]float64, n)
	for j := range bias {
		bias[j] = r.NormFloat64()
	}
	for _, relu := range []bool{false, true} {
		var first []float64
		for _, th := range threads {
			c := make([]float64, m*ldc)
			for i := range c {
				c[i] = math.NaN()
			}
			withThreads(th, func() {
				Affine64(gblas.NoTrans, gblas.Trans, blas64.General{Rows: m, Cols: k, Stride: lda, Data: a},
					blas64.General{Rows: n, Cols: k, Stride: ldb, Data: b}, bias, relu, blas64.General{Rows: m, Cols: n, Stride: ldc, Data: c})
			})
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					var s, sa float64
					for p := 0; p < k; p++ {
						s = math.FMA(a[i*lda+p], b[j*ldb+p], s)
						sa += math.Abs(a[i*lda+p] * b[j*ldb+p])
					}
					s += bias[j]
					if relu {
						s = max(s, 0)
					}
					if got := c[i*ldc+j]; math.IsNaN(got) || math.Abs(got-s) > 2*float64(k+1)*0x1p-53*(sa+math.Abs(bias[j])) {
						t.Fatalf("%dx%dx%d relu=%v threads=%d: c[%d][%d] = %g, want %g", m, k, n, relu, th, i, j, got, s)
					}
				}
			}
			if first == nil {
				first = c
				continue
			}
			for i := range c {
				if math.Float64bits(c[i]) != math.Float64bits(first[i]) && !(math.IsNaN(c[i]) && math.IsNaN(first[i])) {
					t.Fatalf("%dx%dx%d relu=%v: c[%d] = %g on %d threads, %g on %d", m, k, n, relu, i, c[i], th, first[i], threads[0])
				}
			}
		}
	}
}

// checkAffineNT checks a dense layer's forward pass, Affine32 with A not
// transposed, B transposed, a bias and with and without the ReLU (C not
// read: NaN before the call), against the float64 reference at each of the
// thread counts, bit-identical between them; a NaN in a row of A gives +0
// after the ReLU across that row.
func checkAffineNT(t *testing.T, r *rand.Rand, m, n, k int, threads ...int) {
	t.Helper()
	for _, relu := range []bool{false, true} {
		g := newGemmCase(r, gblas.NoTrans, gblas.Trans, m, n, k, 1, 1, 0)
		g.relu = relu
		g.bias = make([]float64, n)
		bias32 := make([]float32, n)
		for j := range bias32 {
			bias32[j] = float32(r.NormFloat64())
			g.bias[j] = float64(bias32[j])
		}
		a, b, c := g.slices()
		affine := func(threads int) {
			for i := range c {
				if c[i] != -999 {
					c[i] = float32(math.NaN())
				}
			}
			withThreads(threads, func() {
				Affine32(gblas.NoTrans, gblas.Trans,
					blas32.General{Rows: m, Cols: k, Stride: g.lda, Data: a},
					blas32.General{Rows: n, Cols: k, Stride: g.ldb, Data: b},
					bias32, relu, blas32.General{Rows: m, Cols: n, Stride: g.ldc, Data: c})
			})
		}
		var first []float32
		for _, th := range threads {
			affine(th)
			g.check(t, true)
			if first == nil {
				first = append([]float32(nil), c...)
				continue
			}
			for i := range c {
				if math.Float32bits(c[i]) != math.Float32bits(first[i]) {
					t.Fatalf("%v: c[%d] = %g on %d threads, %g on %d", g, i, c[i], th, first[i], threads[0])
				}
			}
		}
		if relu {
			row := m - 1
			a[row*g.lda+k/2] = float32(math.NaN())
			affine(threads[0])
			for j := 0; j < n; j++ {
				if v := c[row*g.ldc+j]; math.Float32bits(v) != 0 {
					t.Fatalf("%dx%dx%d: NaN row after ReLU: c[%d][%d] = %g, want +0", m, k, n, row, j, v)
				}
			}
		}
	}
}

// TestSplitImbalance pins the direct path's measure of how evenly a split
// of tiles (the last one partial) shares the work.
func TestSplitImbalance(t *testing.T) {
	for _, c := range []struct {
		count, last, full, parts int
		want                     float64
	}{
		{4, 4, 32, 2, 2 / 1.5625},   // 128x100x100 on 32-column panels: 2 | 1.125
		{16, 8, 8, 2, 1},            // 128 rows in 8-row tiles
		{7, 4, 16, 2, 3.25 / 3.125}, // 100 columns in 16-column panels: 3 | 3.25
		{22, 2, 6, 2, 11 / (21.0 + 2.0/6) * 2},
		{5, 5, 5, 3, 2 / (5.0 / 3)},
		{3, 1, 4, 8, 1 / ((2 + 0.25) / 3)}, // more parts than tiles
		{1, 3, 8, 1, 1},
	} {
		if got := splitImbalance(c.count, c.last, c.full, c.parts); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("splitImbalance(%d, %d, %d, %d) = %v, want %v", c.count, c.last, c.full, c.parts, got, c.want)
		}
	}
}

// TestDirectSplitRows pins how the direct path shares its tiles between two
// threads (1 MiB of L2): the row tiles where the column panels are too few,
// or balance worse while B is small; otherwise the column panels, so that
// each thread streams only its part of a large B.
func TestDirectSplitRows(t *testing.T) {
	withCaches(48<<10, 1<<20, 4<<20, func() {
		for _, c := range []struct {
			order   directOrder
			m, k, n int
			threads int
			want    bool
		}{
			{directColsOuter, 16, 1000, 1000, 2, false}, // B 4 MB: columns, though the last panel has 8 columns
			{directColsOuter, 64, 500, 500, 2, false},   // B 1 MB
			{directColsOuter, 16, 300, 300, 2, true},    // B 360 KB: the rows balance better
			{directColsOuter, 128, 100, 100, 2, true},   // the columns split 2 | 1.125 panels
			{directColsOuter, 128, 128, 128, 2, false},  // both even: the columns
			{directColsOuter, 100, 100, 20, 2, true},    // one column panel
			{directColsOuter, 16, 1000, 1000, 1, false},
			{directRowsOuter, 1000, 64, 64, 2, true},
			{directDepthOuter, 100, 4000, 100, 2, true},
		} {
			if got := directSplitRows(c.order, c.m, c.n, c.k, 8, 32, 4, c.threads); got != c.want {
				t.Errorf("directSplitRows(%v, %dx%dx%d, %d threads) = %v, want %v", c.order, c.m, c.k, c.n, c.threads, got, c.want)
			}
		}
	})
}
