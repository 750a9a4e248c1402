//go:build !linux

package hugepage

import "unsafe"

// advise does nothing where the hint is not implemented.
func advise(p unsafe.Pointer, n int) {}
