//go:build !purego && !noasm

package asm

// registerArch registers the NEON implementation; NEON (Advanced SIMD) is
// mandatory on arm64.
func registerArch() {
	register(&Impl{
		Name:            "neon",
		Available:       true,
		SMR:             neonSMR,
		SNR:             neonSNR,
		Sgemm:           sgemm8x12,
		DMR:             neonDMR,
		DNR:             neonDNR,
		Dgemm:           dgemm8x6,
		Relu:            reluNEONChecked,
		ReluBackward:    reluBackwardNEONChecked,
		BiasRelu:        biasReluNEONChecked,
		PathMV:          pathMVNEONChecked,
		PathMTV:         pathMTVNEONChecked,
		SDot:            sdotNEONChecked,
		DDot:            ddotNEONChecked,
		SAxpy:           saxpyNEONChecked,
		DAxpy:           daxpyNEONChecked,
		SGD:             sgdNEONChecked,
		SGDMomentum:     sgdMomentumNEONChecked,
		AdaGrad:         adaGradNEONChecked,
		PathSGD:         pathSGDNEONChecked,
		PathSGDMomentum: pathSGDMomentumNEONChecked,
		Peak32:          peak32NEON,
		Peak64:          peak64NEON,
	})
}
