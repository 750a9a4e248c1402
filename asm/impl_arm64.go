//go:build !purego && !noasm

package asm

// registerArch registers the NEON implementation; NEON (Advanced SIMD) is
// mandatory on arm64.
func registerArch() {
	register(&Impl{
		Name:      "neon",
		Available: true,
	})
}
