package pathsgd

import (
	"fmt"
	"math"
	"testing"

	"github.com/fastpath-go/fastpath/layers"
)

// edge names one parameter: dense layer k, unit v, and input u (u = -1 for
// the bias).
type edge struct{ k, v, u int }

// bruteForce enumerates every path of net (from an input unit or a bias
// source to an output unit) and returns phi_p^p and pi of every edge, the
// sum over the paths through it of the product of |w|^p over its other
// edges.
func bruteForce(net *layers.Network, p float64) (phiP float64, pi map[edge]float64) {
	dense := net.Dense()
	pi = map[edge]float64{}
	weight := func(e edge) float64 {
		l := dense[e.k]
		if e.u < 0 {
			return math.Pow(math.Abs(float64(l.B[e.v])), p)
		}
		return math.Pow(math.Abs(float64(l.W.Data[e.v*l.W.Stride+e.u])), p)
	}
	var walk func(k, u int, path []edge)
	finish := func(path []edge) {
		prod := 1.0
		for _, e := range path {
			prod *= weight(e)
		}
		phiP += prod
		for i, e := range path {
			other := 1.0
			for j, o := range path {
				if j != i {
					other *= weight(o)
				}
			}
			pi[e] += other
		}
	}
	// walk extends a path that has reached unit u of the input of dense
	// layer k.
	walk = func(k, u int, path []edge) {
		if k == len(dense) {
			finish(path)
			return
		}
		for v := 0; v < dense[k].OutSize(); v++ {
			walk(k+1, v, append(path[:len(path):len(path)], edge{k, v, u}))
		}
	}
	for u := 0; u < dense[0].InSize(); u++ {
		walk(0, u, nil)
	}
	for k, l := range dense {
		for v := 0; v < l.OutSize(); v++ {
			walk(k+1, v, []edge{{k, v, -1}})
		}
	}
	return phiP, pi
}

func TestPathNormBruteForce(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for _, sizes := range [][]int{{3, 4, 3, 2}, {2, 3}, {4, 5, 2, 3, 2}, {3, 1, 1, 2}} {
			for _, p := range []float64{1, 2, 3, 0.5} {
				net := newNet(t, sizes, 7, true, 0)
				var s Sums
				s.Compute(net, p)
				phiP, pi := bruteForce(net, p)
				name := fmt.Sprintf("%v p=%g", sizes, p)
				if got := math.Pow(s.Phi(), p); relErr(got, phiP) > 1e-12 {
					t.Errorf("%s: phi^p = %.17g, brute force %.17g", name, got, phiP)
				}
				if got, want := s.LogPhiP(), math.Log(phiP); math.Abs(got-want) > 1e-12 {
					t.Errorf("%s: log phi^p = %g, want %g", name, got, want)
				}
				for e, want := range pi {
					var got float64
					if e.u < 0 {
						got = s.PiBias(e.k, e.v)
					} else {
						got = s.Pi(e.k, e.v, e.u)
					}
					if relErr(got, want) > 1e-12 {
						t.Errorf("%s: pi%v = %.17g, brute force %.17g", name, e, got, want)
					}
				}
				if got := Phi(net, p); relErr(got, s.Phi()) > 1e-15 {
					t.Errorf("%s: PathNorm %g, Sums %g", name, got, s.Phi())
				}
			}
		}
	})
}

// TestPathNormIdentity checks sum_e |w_e|^p pi_e = d phi_p^p without
// biases: every path has d edges.
func TestPathNormIdentity(t *testing.T) {
	for _, sizes := range [][]int{{3, 4, 3, 2}, {5, 7, 6, 4, 3}, {20, 30, 10}} {
		for _, p := range []float64{1, 2, 3} {
			net := newNet(t, sizes, 3, false, 0)
			var s Sums
			s.Compute(net, p)
			sum := 0.0
			for k, l := range net.Dense() {
				for v := 0; v < l.OutSize(); v++ {
					for u := 0; u < l.InSize(); u++ {
						sum += math.Pow(math.Abs(float64(l.W.Data[v*l.W.Stride+u])), p) * s.Pi(k, v, u)
					}
				}
			}
			d := float64(len(net.Dense()))
			if want := d * math.Exp(s.LogPhiP()); relErr(sum, want) > 1e-12 {
				t.Errorf("%v p=%g: sum |w|^p pi = %.17g, d phi^p = %.17g", sizes, p, sum, want)
			}
		}
	}
}

// TestPathNormRescaling checks that phi_p is invariant to node rescaling
// while the max-norm is not, on nets up to depth 10 with unit scales up to
// 10^±3 (each f_i[v] then carries its unit's scale^p, up to 10^9).
func TestPathNormRescaling(t *testing.T) {
	r := newRand(5)
	for _, sizes := range [][]int{{3, 4, 3, 2}, {20, 16, 16, 16, 16, 16, 16, 16, 16, 16, 10}} {
		for _, p := range []float64{1, 2, 3} {
			net := newNet(t, sizes, 11, true, 0)
			phi0 := Phi(net, p)
			max0 := MaxNorm(net, 2)
			c := net.Clone()
			Rescale(c, randomScales(c, r, 3))
			phi1 := Phi(c, p)
			// The float32 rounding of the rescaled weights changes each
			// |w|^p by a relative 3p*2^-24 at most.
			if e := relErr(phi0, phi1); e > 1e-6 {
				t.Errorf("%v p=%g: phi %g, rescaled %g (relative %g)", sizes, p, phi0, phi1, e)
			}
			if e := relErr(max0, MaxNorm(c, 2)); e < 1e-2 {
				t.Errorf("%v: max-norm unchanged by rescaling (relative %g)", sizes, e)
			}
			if math.IsInf(phi1, 0) || math.IsNaN(phi1) || phi1 == 0 {
				t.Errorf("%v p=%g: phi = %g", sizes, p, phi1)
			}
		}
	}
}

// TestPathNormHuge checks the dynamic program on a depth-10 net whose
// path sums exceed the float64 range: phi_p^p = 8^11 (10^30)^(10p) is
// about 10^310 for p = 1 and 10^910 for p = 3.
func TestPathNormHuge(t *testing.T) {
	net := newNet(t, []int{8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8}, 2, false, 0)
	for _, l := range net.Dense() {
		for i := range l.W.Data {
			l.W.Data[i] = 1e30
		}
	}
	// Every one of the 8^11 paths has product (10^30)^(10p).
	var s Sums
	for _, p := range []float64{1, 2, 3} {
		s.Compute(net, p)
		want := 11*math.Log(8) + 10*p*math.Log(float64(float32(1e30)))
		if got := s.LogPhiP(); relErr(got, want) > 1e-14 {
			t.Errorf("p=%g: log phi^p = %g, want %g", p, got, want)
		}
		if want/p > math.Log(math.MaxFloat64) { // phi itself is beyond float64 (p = 1)
			if got := s.Phi(); !math.IsInf(got, 1) {
				t.Errorf("p=%g: phi = %g, want +Inf", p, got)
			}
			continue
		}
		if got, want := s.Phi(), math.Exp(want/p); relErr(got, want) > 1e-12 {
			t.Errorf("p=%g: phi = %g, want %g", p, got, want)
		}
	}
}

// TestMaxNormBound checks phi_p^p <= h_d MaxNorm^p without biases.
func TestMaxNormBound(t *testing.T) {
	for _, p := range []float64{1, 2, 3} {
		net := newNet(t, []int{6, 9, 7, 4}, 13, false, 0)
		phi, mx := Phi(net, p), MaxNorm(net, p)
		if math.Pow(phi, p) > 4*math.Pow(mx, p)*(1+1e-12) {
			t.Errorf("p=%g: phi^p = %g > h_d max^p = %g", p, math.Pow(phi, p), 4*math.Pow(mx, p))
		}
	}
}

func TestNormPanics(t *testing.T) {
	net := newNet(t, []int{2, 3, 2}, 1, false, 0)
	for name, tc := range map[string]struct {
		want string
		f    func()
	}{
		"nil net":   {errNilNet, func() { Phi(nil, 2) }},
		"p = 0":     {errP, func() { Phi(net, 0) }},
		"p = inf":   {errP, func() { Phi(net, math.Inf(1)) }},
		"p = NaN":   {errP, func() { MaxNorm(net, math.NaN()) }},
		"bad layer": {errLayer, func() { var s Sums; s.Compute(net, 2); s.Pi(2, 0, 0) }},
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
}
