package asm

import (
	"math"
	"testing"
)

// fillElementwise fills x with random values and, every few elements, the
// special values (NaN, ±0, ±Inf, denormals).
func fillElementwise(seed uint64, x []float32) {
	r := newRand(seed)
	for i := range x {
		if r.IntN(3) == 0 {
			x[i] = special32[r.IntN(len(special32))]
		} else {
			x[i] = float32(r.NormFloat64())
		}
	}
}

func sameBits(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

func TestRelu(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			for _, off := range []int{0, 1, 3} { // misaligned starts
				x, xok := guarded32(n + off)
				x = x[off:]
				fillElementwise(uint64(n*7+off), x)
				dst, dok := guarded32(n)
				want := make([]float32, n)
				reluGeneric(want, x)
				impl.Relu(dst, x)
				if !xok() || !dok() {
					t.Fatalf("n=%d: write outside the operands", n)
				}
				if i := sameBits(dst, want); i >= 0 {
					t.Fatalf("n=%d off=%d: relu(%g) = %g (bits %08x), want %g", n, off, x[i], dst[i], math.Float32bits(dst[i]), want[i])
				}
				// In place.
				in := append([]float32(nil), x...)
				impl.Relu(in, in)
				if i := sameBits(in, want); i >= 0 {
					t.Fatalf("n=%d in place: element %d = %g, want %g", n, i, in[i], want[i])
				}
			}
		}
	})
}

func TestReluBackward(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			y, yok := guarded32(n)
			dy, dyok := guarded32(n)
			fillElementwise(uint64(n), y)
			fillElementwise(uint64(n+1000), dy)
			dx, dxok := guarded32(n)
			want := make([]float32, n)
			reluBackwardGeneric(want, dy, y)
			impl.ReluBackward(dx, dy, y)
			if !yok() || !dyok() || !dxok() {
				t.Fatalf("n=%d: write outside the operands", n)
			}
			if i := sameBits(dx, want); i >= 0 {
				t.Fatalf("n=%d: y=%g dy=%g: dx = %g, want %g", n, y[i], dy[i], dx[i], want[i])
			}
			impl.ReluBackward(dy, dy, y) // dx aliasing dy
			if i := sameBits(dy, want); i >= 0 {
				t.Fatalf("n=%d in place: element %d = %g, want %g", n, i, dy[i], want[i])
			}
		}
	})
}

func TestBiasRelu(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range lengths {
			x, xok := guarded32(n)
			bias, bok := guarded32(n)
			fillElementwise(uint64(n+5), x)
			fillElementwise(uint64(n+6), bias)
			dst, dok := guarded32(n)
			want := make([]float32, n)
			biasReluGeneric(want, x, bias)
			impl.BiasRelu(dst, x, bias)
			if !xok() || !bok() || !dok() {
				t.Fatalf("n=%d: write outside the operands", n)
			}
			if i := sameBits(dst, want); i >= 0 {
				t.Fatalf("n=%d: relu(%g + %g) = %g, want %g", n, x[i], bias[i], dst[i], want[i])
			}
		}
	})
}

func TestElementwisePanics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		a, b := make([]float32, 4), make([]float32, 5)
		for name, f := range map[string]func(){
			"relu":         func() { impl.Relu(a, b) },
			"reluBackward": func() { impl.ReluBackward(a, a, b) },
			"biasRelu":     func() { impl.BiasRelu(a, a, b) },
		} {
			func() {
				defer func() {
					if r := recover(); r != errLength {
						t.Errorf("%s: panic = %v, want %q", name, r, errLength)
					}
				}()
				f()
			}()
		}
	})
}

func FuzzRelu(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x7f, 1, 2, 3, 4, 0, 0, 0xc0, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		x := bytesToFloat32(data)
		bias := make([]float32, len(x))
		for i := range bias {
			bias[i] = x[len(x)-1-i]
		}
		want := make([]float32, len(x))
		got := make([]float32, len(x))
		for _, impl := range AvailableImpls() {
			reluGeneric(want, x)
			impl.Relu(got, x)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("%s relu(%g) = %g, want %g", impl.Name, x[i], got[i], want[i])
			}
			reluBackwardGeneric(want, bias, x)
			impl.ReluBackward(got, bias, x)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("%s relu backward: element %d = %g, want %g", impl.Name, i, got[i], want[i])
			}
			biasReluGeneric(want, x, bias)
			impl.BiasRelu(got, x, bias)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("%s bias relu: element %d = %g, want %g", impl.Name, i, got[i], want[i])
			}
		}
	})
}

// bytesToFloat32 decodes little-endian float32 bit patterns, so the fuzzer
// reaches NaN payloads, infinities and denormals.
func bytesToFloat32(data []byte) []float32 {
	x := make([]float32, len(data)/4)
	for i := range x {
		x[i] = math.Float32frombits(uint32(data[4*i]) | uint32(data[4*i+1])<<8 | uint32(data[4*i+2])<<16 | uint32(data[4*i+3])<<24)
	}
	return x
}
