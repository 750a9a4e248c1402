//go:build !purego && !noasm

package asm

// peak32NEONAsm runs iters iterations of 24 independent float32x4 fmla on
// registers (24 x 4 lanes x 2 = 192 flops per iteration) and returns
// 192*iters, or 0 if iters <= 0:
//
//	for i := 0; i < iters; i++ { for r := range acc { acc[r] += m * m } } // acc, m: [4]float32
//
//go:noescape
func peak32NEONAsm(iters int) int

// peak64NEONAsm is peak32NEONAsm on float64x2: 24 x 2 lanes x 2 = 96 flops per
// iteration; it returns 96*iters.
//
//go:noescape
func peak64NEONAsm(iters int) int
