//go:build linux

package asm

import (
	"syscall"
	"testing"
	"unsafe"
)

// TestSgemmHalfMaskPageEnd puts the last row of B flush against an
// inaccessible page: the masked kernels must read only the columns they
// are given (a full 16-wide load there would fault).
func TestSgemmHalfMaskPageEnd(t *testing.T) {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip("mmap:", err)
	}
	defer syscall.Munmap(mem)
	if err := syscall.Mprotect(mem[page:], syscall.PROT_NONE); err != nil {
		t.Skip("mprotect:", err)
	}
	all := unsafe.Slice((*float32)(unsafe.Pointer(&mem[0])), page/4)
	for _, impl := range AvailableImpls() {
		for _, v := range []struct {
			mr   int
			kern func(k int, a, b []float32, ldb int, c []float32, ldc, cols int)
		}{{impl.SMR, impl.SgemmHalfMask}, {impl.SMRAlt, impl.SgemmHalfMaskAlt}} {
			if v.kern == nil {
				continue
			}
			h := impl.SNR / 2
			for _, cols := range []int{1, 3, h - 1} {
				const k, ldb = 5, 20
				n := (k-1)*ldb + cols
				b := all[len(all)-n:]
				for i := range b {
					b[i] = 1
				}
				a := make([]float32, k*v.mr)
				for i := range a {
					a[i] = 2
				}
				c := make([]float32, v.mr*h)
				v.kern(k, a, b, ldb, c, h, cols)
				if c[0] != 2*k || c[cols-1] != 2*k || (cols < h && c[cols] != 0) {
					t.Fatalf("%s mr=%d cols=%d: row 0 = %v", impl.Name, v.mr, cols, c[:h])
				}
			}
		}
	}
}
