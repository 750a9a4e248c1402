package asm

import (
	"math"
	"testing"
)

// TestPackPanels checks every implementation's panel packing against the
// element-wise definition (bit-exact: it is a copy), for panel widths that
// take the 64-byte, 32-byte and generic paths, with guard-padded buffers.
func TestPackPanels(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for _, nr := range []int{1, 4, 6, 8, 12, 16, 24, 32, 48} {
			for _, rows := range []int{0, 1, 3, 17} {
				for _, count := range []int{0, 1, 2, 5} {
					for _, pad := range []int{0, 3} {
						lds := count*nr + pad
						slen := 0
						if rows > 0 {
							slen = (rows-1)*lds + count*nr
						}
						seed := uint64(nr*10000 + rows*100 + count*10 + pad)
						src32, sok32 := guarded32(slen)
						fillElementwise(seed, src32)
						dst32, dok32 := guarded32(count * rows * nr)
						impl.PackPanels32(dst32, src32, lds, rows, nr, count)
						src64, sok64 := guarded64(slen)
						for i, v := range src32 {
							src64[i] = float64(v) * (1 + 0x1p-40)
						}
						dst64, dok64 := guarded64(count * rows * nr)
						impl.PackPanels64(dst64, src64, lds, rows, nr, count)
						if !sok32() || !dok32() || !sok64() || !dok64() {
							t.Fatalf("nr=%d rows=%d count=%d lds=%d: write outside the operands", nr, rows, count, lds)
						}
						for c := 0; c < count; c++ {
							for p := 0; p < rows; p++ {
								for j := 0; j < nr; j++ {
									d, s := c*rows*nr+p*nr+j, p*lds+c*nr+j
									if math.Float32bits(dst32[d]) != math.Float32bits(src32[s]) || math.Float64bits(dst64[d]) != math.Float64bits(src64[s]) {
										t.Fatalf("nr=%d rows=%d count=%d lds=%d: panel %d row %d col %d = %g / %g, want %g / %g",
											nr, rows, count, lds, c, p, j, dst32[d], dst64[d], src32[s], src64[s])
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

func TestPackPanelsPanics(t *testing.T) {
	forEachImpl(t, func(t *testing.T, impl *Impl) {
		for name, tc := range map[string]struct {
			want string
			f    func()
		}{
			"short src":  {errShortW, func() { impl.PackPanels32(make([]float32, 64), make([]float32, 63), 16, 4, 8, 2) }},
			"short dst":  {errShortC, func() { impl.PackPanels64(make([]float64, 63), make([]float64, 64), 16, 4, 8, 2) }},
			"small lds":  {errLdw, func() { impl.PackPanels32(make([]float32, 64), make([]float32, 64), 15, 4, 8, 2) }},
			"negative":   {errNegK, func() { impl.PackPanels64(nil, nil, 0, -1, 8, 2) }},
			"short src2": {errShortW, func() { impl.PackPanels64(make([]float64, 256), make([]float64, 100), 32, 4, 32, 1) }},
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

// FuzzPackPanels compares every implementation with the generic copy.
func FuzzPackPanels(f *testing.F) {
	f.Add(uint8(32), uint8(3), uint8(2), uint8(1), []byte{1, 2, 3, 4, 0, 0, 0xc0, 0x7f})
	f.Fuzz(func(t *testing.T, nrByte, rowsByte, countByte, padByte uint8, data []byte) {
		nr, rows, count, pad := int(nrByte%40)+1, int(rowsByte%9), int(countByte%5), int(padByte%4)
		src := bytesToFloat32(data)
		lds := count*nr + pad
		if rows == 0 || count == 0 || len(src) < (rows-1)*lds+count*nr {
			return
		}
		want := make([]float32, count*rows*nr)
		packPanelsGeneric32(want, src, lds, rows, nr, count)
		for _, impl := range AvailableImpls() {
			got := make([]float32, count*rows*nr)
			impl.PackPanels32(got, src, lds, rows, nr, count)
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("%s nr=%d rows=%d count=%d: element %d = %g, want %g", impl.Name, nr, rows, count, i, got[i], want[i])
			}
		}
	})
}

// BenchmarkPackPanels times packing a 192 x 128 block (four fp32 panels of
// 32) from a row-major matrix of 4000 columns held in cache.
func BenchmarkPackPanels(b *testing.B) {
	for _, impl := range AvailableImpls() {
		for _, nr := range []int{16, 32} {
			b.Run("impl="+impl.Name+"/nr="+itoa(nr), func(b *testing.B) {
				const rows, lds = 192, 4000
				count := 128 / nr
				src := make([]float32, rows*lds)
				dst := make([]float32, rows*128)
				b.SetBytes(int64(len(dst) * 4))
				b.ReportAllocs()
				for b.Loop() {
					impl.PackPanels32(dst, src, lds, rows, nr, count)
				}
			})
		}
	}
}
