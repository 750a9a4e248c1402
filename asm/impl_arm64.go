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
		Sgemm:           sgemmNEON,
		DMR:             neonDMR,
		DNR:             neonDNR,
		Dgemm:           dgemmNEON,
		Relu:            reluNEON,
		ReluBackward:    reluBackwardNEON,
		BiasRelu:        biasReluNEON,
		ScaleShift:      scaleShiftNEON,
		MulAdd:          mulAddNEON,
		PathMV:          pathMVNEON,
		PathMTV:         pathMTVNEON,
		SDot:            sdotNEON,
		DDot:            ddotNEON,
		SAxpy:           saxpyNEON,
		DAxpy:           daxpyNEON,
		IDamax:          idamaxNEON,
		DScalInc:        dscalIncNEON,
		DAsumInc:        dasumIncNEON,
		DSumSqInc:       dsumSqIncNEON,
		SScal:           sscalNEON,
		SAsum:           sasumNEON,
		SSumSq:          ssumSqNEON,
		ISamax:          isamaxNEON,
		SSwap:           sswapNEON,
		DSwap:           dswapNEON,
		SRot:            srotNEON,
		DRot:            drotNEON,
		SGemvN4:         sgemvN4NEON,
		DGemvN4:         dgemvN4NEON,
		SGemvT4:         sgemvT4NEON,
		DGemvT4:         dgemvT4NEON,
		SSymv4:          ssymv4NEON,
		DSymv4:          dsymv4NEON,
		SGD:             sgdNEON,
		SGDMomentum:     sgdMomentumNEON,
		AdaGrad:         adaGradNEON,
		PathSGD:         pathSGDNEON,
		PathSGDMomentum: pathSGDMomentumNEON,
		Peak32:          peak32NEONAsm,
		Peak64:          peak64NEONAsm,
	})
}
