//go:build (!amd64 && !arm64) || purego || noasm

package asm

// registerArch registers nothing: this build has only the generic kernels.
func registerArch() {}
