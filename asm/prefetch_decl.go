//go:build (amd64 || arm64) && !purego && !noasm

package asm

// prefetchLines issues a prefetch into L2 for lines 64-byte lines of each of rows
// rows, stride bytes apart, starting at p. Reference loop:
//
//	for r := 0; r < rows; r++ { for l := 0; l < lines; l++ { prefetch(p + r*stride + l*64) } }
//
// Prefetches never fault, so p need not be a Go pointer.
//
//go:noescape
func prefetchLines(p uintptr, stride, rows, lines int)
