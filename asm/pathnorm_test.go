package asm

import (
	"math"
	"testing"
)

var pathShapes = [][2]int{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {1, 7}, {7, 1}, {3, 8}, {8, 3}, {5, 17}, {17, 5}, {16, 16}, {33, 65}, {64, 129}, {100, 784}, {257, 31},
	{100, 100}, {6, 42}, {12, 46}, {9, 90}, {46, 12}, {90, 9}, {2, 36}, {36, 2}, {1, 32}, {4, 63}}

// pathRef computes (W∘W) x or its transpose with a compensated float64 sum
// and returns the magnitude sum for the error bound.
func pathRef(w []float32, ldw, rows, cols int, x []float64, trans bool) (y, mag []float64) {
	n := rows
	if trans {
		n = cols
	}
	y, mag = make([]float64, n), make([]float64, n)
	comp := make([]float64, n)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			f := float64(w[i*ldw+j])
			var o int
			var v float64
			if trans {
				o, v = j, f*f*x[i]
			} else {
				o, v = i, f*f*x[j]
			}
			yy := v - comp[o]
			tt := y[o] + yy
			comp[o] = (tt - y[o]) - yy
			y[o] = tt
			mag[o] += math.Abs(v)
		}
	}
	return y, mag
}

func testPath(t *testing.T, impl *Impl, trans bool) {
	for si, sh := range pathShapes {
		rows, cols := sh[0], sh[1]
		for _, pad := range []int{0, 3} {
			ldw := cols + pad
			if ldw == 0 {
				ldw = 1
			}
			r := newRand(uint64(si*10 + pad))
			wlen := 0
			if rows > 0 {
				wlen = (rows-1)*ldw + cols
			}
			w, wok := guarded32(wlen)
			randSlice32(r, w)
			nx, ny := cols, rows
			if trans {
				nx, ny = rows, cols
			}
			x, xok := guarded64(nx)
			for i := range x {
				x[i] = math.Abs(r.NormFloat64()) // path-norm vectors are non-negative
			}
			y, yok := guarded64(ny)
			for i := range y {
				y[i] = math.NaN() // must be overwritten, never read
			}
			want := make([]float64, ny)
			if trans {
				impl.PathMTV(y, w, ldw, x)
				pathMTVGeneric(want, w, ldw, x)
			} else {
				impl.PathMV(y, w, ldw, x)
				pathMVGeneric(want, w, ldw, x)
			}
			if !wok() || !xok() || !yok() {
				t.Fatalf("%dx%d ldw=%d: write outside the operands", rows, cols, ldw)
			}
			ref, mag := pathRef(w, ldw, rows, cols, x, trans)
			k := cols
			if trans {
				k = rows
			}
			for i := range y {
				tol := 2*float64(k+1)*0x1p-53*mag[i] + 1e-300
				if math.IsNaN(y[i]) || math.Abs(y[i]-ref[i]) > tol || math.Abs(want[i]-ref[i]) > tol {
					t.Fatalf("%dx%d ldw=%d trans=%v: y[%d] = %g, generic %g, reference %g", rows, cols, ldw, trans, i, y[i], want[i], ref[i])
				}
			}
		}
	}
}

func TestPathMV(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) { testPath(t, impl, false) })
}

func TestPathMTV(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) { testPath(t, impl, true) })
}

func TestPathPanics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		w := make([]float32, 11)
		for name, tc := range map[string]struct {
			want string
			f    func()
		}{
			"short w":   {errShortW, func() { impl.PathMV(make([]float64, 3), w, 4, make([]float64, 4)) }},
			"small ldw": {errLdw, func() { impl.PathMTV(make([]float64, 4), w, 3, make([]float64, 2)) }},
		} {
			func() {
				defer func() {
					if r := recover(); r != tc.want {
						t.Errorf("%s: panic = %v, want %q", name, r, tc.want)
					}
				}()
				tc.f()
			}()
		}
	})
}

func FuzzPathMV(f *testing.F) {
	f.Add(uint8(3), []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0xc0, 0x7f, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, colsByte uint8, data []byte) {
		w := bytesToFloat32(data)
		cols := int(colsByte%40) + 1
		rows := len(w) / cols
		w = w[:rows*cols]
		x := make([]float64, cols)
		xt := make([]float64, rows)
		for i := range x {
			x[i] = float64(i%5) + 0.25
		}
		for i := range xt {
			xt[i] = float64(i%3) + 0.5
		}
		for _, impl := range AvailableImpls() {
			for _, trans := range []bool{false, true} {
				var got, want []float64
				if trans {
					got, want = make([]float64, cols), make([]float64, cols)
					impl.PathMTV(got, w, cols, xt)
					pathMTVGeneric(want, w, cols, xt)
				} else {
					got, want = make([]float64, rows), make([]float64, rows)
					impl.PathMV(got, w, cols, x)
					pathMVGeneric(want, w, cols, x)
				}
				for i := range got {
					g, e := got[i], want[i]
					if math.IsNaN(e) != math.IsNaN(g) || (!math.IsNaN(e) && !math.IsInf(e, 0) && math.Abs(g-e) > 1e-12*math.Abs(e)+1e-300) ||
						(math.IsInf(e, 0) && g != e) {
						t.Fatalf("%s trans=%v: y[%d] = %g, generic %g", impl.Name, trans, i, g, e)
					}
				}
			}
		}
	})
}
