package asm

import (
	"math"
	"testing"
)

// signalingNaN32 are float32 signaling NaNs (quiet bit 22 clear). Arm's
// fmaxnm quiets a signaling NaN instead of returning the other operand, so a
// ReLU built on fmaxnm alone would return NaN for them; the reference returns
// +0. The fuzzers reach these too, but this test pins them.
var signalingNaN32 = []float32{
	math.Float32frombits(0x7f800001), math.Float32frombits(0xff800001),
	math.Float32frombits(0x7fbfffff), math.Float32frombits(0xffa00000),
}

func TestReluSignalingNaN(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, n := range []int{1, 3, 4, 5, 16, 17, 21, 37} {
			x := make([]float32, n)
			other := make([]float32, n)
			for i := range x {
				x[i] = signalingNaN32[i%len(signalingNaN32)]
				other[i] = float32(i) - 2
			}
			want := make([]float32, n)
			got := make([]float32, n)
			check := func(what string) {
				t.Helper()
				if i := sameBits(got, want); i >= 0 {
					t.Fatalf("%s n=%d: element %d = %08x, want %08x", what, n, i, math.Float32bits(got[i]), math.Float32bits(want[i]))
				}
			}
			reluGeneric(want, x)
			impl.Relu(got, x)
			check("relu")
			reluBackwardGeneric(want, other, x) // signaling NaN in y
			impl.ReluBackward(got, other, x)
			check("relu backward, NaN y")
			reluBackwardGeneric(want, x, other) // signaling NaN in dy: copied bit for bit
			impl.ReluBackward(got, x, other)
			check("relu backward, NaN dy")
			biasReluGeneric(want, x, other)
			impl.BiasRelu(got, x, other)
			check("bias relu, NaN x")
			biasReluGeneric(want, other, x)
			impl.BiasRelu(got, other, x)
			check("bias relu, NaN bias")
		}
	})
}

// TestGemmMicroSignalingNaN checks the fused epilogue with a signaling NaN
// in the bias: the sum is NaN, and ReLU maps it to +0.
func TestGemmMicroSignalingNaN(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		mr, nr, k := impl.SMR, impl.SNR, 3
		a := make([]float32, k*mr)
		b := make([]float32, k*nr)
		for i := range a {
			a[i] = 1
		}
		for i := range b {
			b[i] = -1
		}
		bias := make([]float32, nr)
		for j := range bias {
			bias[j] = 10
		}
		bias[nr-1] = signalingNaN32[0]
		for _, flags := range []GemmFlags{AddBias, AddBias | ReLU} {
			c := make([]float32, mr*nr)
			impl.Sgemm(k, a, b, c, nr, bias, flags)
			for i := 0; i < mr; i++ {
				for j := 0; j < nr; j++ {
					got := c[i*nr+j]
					switch {
					case j == nr-1 && flags&ReLU != 0:
						if math.Float32bits(got) != 0 {
							t.Fatalf("flags=%d: relu(sNaN) = %08x, want +0", flags, math.Float32bits(got))
						}
					case j == nr-1:
						if !math.IsNaN(float64(got)) {
							t.Fatalf("flags=%d: C[%d][%d] = %g, want NaN", flags, i, j, got)
						}
					case got != float32(10-k):
						t.Fatalf("flags=%d: C[%d][%d] = %g, want %d", flags, i, j, got, 10-k)
					}
				}
			}
		}
	})
}
