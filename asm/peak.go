package asm

// The peak kernels measure the machine's floating-point limit: a loop of
// independent multiply-adds held in registers, touching no memory. They
// compute nothing useful; benchmarks time them to obtain the FMA peak every
// other kernel is reported against.

// peakGeneric32 runs iters iterations of eight independent scalar
// multiply-adds and returns the number of flops executed (16 per iteration).
func peakGeneric32(iters int) int {
	a0, a1, a2, a3, a4, a5, a6, a7 := float32(0), float32(1), float32(2), float32(3), float32(4), float32(5), float32(6), float32(7)
	const m, c = 0.999999, 1e-7
	for i := 0; i < iters; i++ {
		a0 = a0*m + c
		a1 = a1*m + c
		a2 = a2*m + c
		a3 = a3*m + c
		a4 = a4*m + c
		a5 = a5*m + c
		a6 = a6*m + c
		a7 = a7*m + c
	}
	// Depend on the result, without shared state, so that the loop is kept
	// and concurrent calls do not race.
	if a0+a1+a2+a3+a4+a5+a6+a7 == -1 {
		return 0
	}
	return 16 * iters
}

// peakGeneric64 is peakGeneric32 on float64.
func peakGeneric64(iters int) int {
	a0, a1, a2, a3, a4, a5, a6, a7 := 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0
	const m, c = 0.999999999, 1e-9
	for i := 0; i < iters; i++ {
		a0 = a0*m + c
		a1 = a1*m + c
		a2 = a2*m + c
		a3 = a3*m + c
		a4 = a4*m + c
		a5 = a5*m + c
		a6 = a6*m + c
		a7 = a7*m + c
	}
	if a0+a1+a2+a3+a4+a5+a6+a7 == -1 {
		return 0
	}
	return 16 * iters
}
