//go:build (!amd64 && !arm64) || purego || noasm

package asm

// prefetchLines does nothing in builds without assembly.
func prefetchLines(p uintptr, stride, rows, lines int) {}
