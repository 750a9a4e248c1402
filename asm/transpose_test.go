package asm

import (
	"math"
	"testing"
)

func TestTranspose(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, rows := range []int{0, 1, 6, 8, 10, 11, 12, 14, 16, 17, 24, 26, 27, 32} {
			for _, kc := range []int{0, 1, 7, 8, 9, 16, 31, 64, 100} {
				for _, pad := range []int{0, 3} {
					// dst strides: packed (rows), padded, and 16 (the
					// kernel's two-group pass) where it fits.
					for _, ldd := range []int{rows, rows + 5, 16} {
						if ldd < rows {
							continue
						}
						lds := kc + pad
						slen, dlen := 0, 0
						if rows > 0 && kc > 0 {
							slen, dlen = (rows-1)*lds+kc, (kc-1)*ldd+rows
						}
						src, sok := guarded32(slen)
						fillElementwise(uint64(rows*1000+kc*10+pad), src)
						dst, dok := guarded32(dlen)
						const canary = -7.5
						for i := range dst {
							dst[i] = canary
						}
						impl.Transpose(dst, src, lds, rows, kc, ldd)
						if !sok() || !dok() {
							t.Fatalf("rows=%d kc=%d lds=%d ldd=%d: write outside the operands", rows, kc, lds, ldd)
						}
						for p := 0; p < kc; p++ {
							for j := 0; j < ldd && p*ldd+j < dlen; j++ {
								got := dst[p*ldd+j]
								if j >= rows {
									if got != canary {
										t.Fatalf("rows=%d kc=%d ldd=%d: padding dst[%d*%d+%d] written", rows, kc, ldd, p, ldd, j)
									}
									continue
								}
								if want := src[j*lds+p]; math.Float32bits(got) != math.Float32bits(want) {
									t.Fatalf("rows=%d kc=%d lds=%d ldd=%d: dst[%d*%d+%d] = %g, want src[%d][%d] = %g", rows, kc, lds, ldd, p, ldd, j, got, j, p, want)
								}
							}
						}
					}
				}
			}
		}
	})
}

func TestTransposePanics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for name, tc := range map[string]struct {
			want string
			f    func()
		}{
			"short src":          {errShortW, func() { impl.Transpose(make([]float32, 64), make([]float32, 63), 8, 8, 8, 8) }},
			"short dst":          {errShortC, func() { impl.Transpose(make([]float32, 63), make([]float32, 64), 8, 8, 8, 8) }},
			"short dst with ldd": {errShortC, func() { impl.Transpose(make([]float32, 7*9+7), make([]float32, 64), 8, 8, 8, 9) }},
			"small lds":          {errLdw, func() { impl.Transpose(make([]float32, 64), make([]float32, 64), 7, 8, 8, 8) }},
			"small ldd":          {errLdd, func() { impl.Transpose(make([]float32, 64), make([]float32, 64), 8, 8, 8, 7) }},
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

func FuzzTranspose(f *testing.F) {
	f.Add(uint8(16), uint8(9), []byte{1, 2, 3, 4, 0, 0, 0xc0, 0x7f})
	f.Fuzz(func(t *testing.T, rowsByte, kcByte uint8, data []byte) {
		rows, kc := int(rowsByte%40), int(kcByte%40)
		src := bytesToFloat32(data)
		if rows == 0 || kc == 0 || len(src) < rows*kc {
			return
		}
		want := make([]float32, rows*kc)
		transposeGeneric(want, src, kc, rows, kc, rows)
		for _, impl := range AvailableImpls() {
			got := make([]float32, rows*kc)
			impl.Transpose(got, src, kc, rows, kc, rows)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("%s rows=%d kc=%d: element %d = %g, want %g", impl.Name, rows, kc, i, got[i], want[i])
			}
		}
	})
}

func BenchmarkTranspose(b *testing.B) {
	for _, impl := range AvailableImpls() {
		for _, rows := range []int{8, 16, 32} {
			b.Run("impl="+impl.Name+"/rows="+itoa(rows)+"/kc=384", func(b *testing.B) {
				kc, lds := 384, 1000
				src := make([]float32, (rows-1)*lds+kc)
				dst := make([]float32, rows*kc)
				b.SetBytes(int64(8 * rows * kc))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					impl.Transpose(dst, src, lds, rows, kc, rows)
				}
			})
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}
