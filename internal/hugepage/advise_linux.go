package hugepage

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// advise asks the kernel to back the whole huge pages inside the n bytes
// at p with huge pages (madvise MADV_HUGEPAGE). A large slice fresh from
// the operating system is not yet touched, so its first writes fault in
// huge pages; memory the Go heap reuses keeps its small pages until the
// kernel's khugepaged collapses them. A refusal (no transparent huge
// pages, an emulator) changes nothing but speed, so errors are ignored.
func advise(p unsafe.Pointer, n int) {
	lo, hi := alignedRange(uintptr(p), n)
	if hi == lo {
		return
	}
	_ = unix.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, lo-uintptr(p))), hi-lo), unix.MADV_HUGEPAGE)
}
