//go:build !purego && !noasm

package asm

import "golang.org/x/sys/cpu"

// hasAVX2FMA reports whether the AVX2+FMA kernels can run: x/sys/cpu folds
// OS support for the YMM state into HasAVX2, but FMA is a separate bit.
var hasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// registerArch registers the AVX2+FMA implementation and, after it (so that
// it is preferred where available), the AVX-512 one.
func registerArch() {
	avx2 := &Impl{
		Name:            "avx2",
		Available:       hasAVX2FMA,
		SMR:             avx2SMR,
		SNR:             avx2SNR,
		Sgemm:           sgemmAVX2,
		SgemmScaleC:     true,
		SgemmDescend:    sgemmDescendAVX2,
		SgemmHalf:       sgemmHalfAVX2,
		SgemmLow:        sgemmLowAVX2,
		SgemmStridedLow: sgemmStridedLowAVX2,
		SLowMR:          avx2LowMR,
		SgemmHalfMask:   sgemmHalfMaskAVX2,
		SgemmStrided:    sgemmStridedAVX2,
		DMR:             avx2DMR,
		DNR:             avx2DNR,
		Dgemm:           dgemmAVX2,
		DgemmStrided:    dgemmStridedAVX2,
		Transpose:       transposeAVX2,
		PackPanels32:    packPanels32AVX2,
		PackPanels64:    packPanels64AVX2,
		Relu:            reluAVX2,
		ReluBackward:    reluBackwardAVX2,
		BiasRelu:        biasReluAVX2,
		ScaleShift:      scaleShiftAVX2,
		MulAdd:          mulAddAVX2,
		PathMV:          pathMVAVX2,
		PathMTV:         pathMTVAVX2,
		SDot:            sdotAVX2,
		DDot:            ddotAVX2,
		SAxpy:           saxpyAVX2,
		DAxpy:           daxpyAVX2,
		IDamax:          idamaxAVX2,
		DDotInc:         ddotIncAVX2,
		DAxpyInc:        daxpyIncAVX2,
		DScalInc:        dscalIncAVX2,
		DAsumInc:        dasumIncAVX2,
		DSumSqInc:       dsumSqIncAVX2,
		SScal:           sscalAVX2,
		SAsum:           sasumAVX2,
		SSumSq:          ssumSqAVX2,
		ISamax:          isamaxAVX2,
		SSwap:           sswapAVX2,
		DSwap:           dswapAVX2,
		SRot:            srotAVX2,
		DRot:            drotAVX2,
		SGemvN4:         sgemvN4AVX2,
		DGemvN4:         dgemvN4AVX2,
		SGemvT4:         sgemvT4AVX2,
		DGemvT4:         dgemvT4AVX2,
		SSymv4:          ssymv4AVX2,
		DSymv4:          dsymv4AVX2,
		SGD:             sgdAVX2,
		SGDMomentum:     sgdMomentumAVX2,
		AdaGrad:         adaGradAVX2,
		PathSGD:         pathSGDAVX2,
		PathSGDMomentum: pathSGDMomentumAVX2,
		PathSums:        pathSumsAVX2,
		Peak32:          peak32AVX2,
		Peak64:          peak64AVX2,
		SgemmDirect:     sgemmDirectAVX2,
		SgemmDot:        sgemmDotAVX2,
		DotMR:           avx2DotMR,
		DotNR:           avx2DotNR,
		DgemmDirect:     dgemmDirectAVX2,
		DirectMR:        avx2DirectMR,
		SDirectNR:       avx2SDirectNR,
		DDirectNR:       avx2DDirectNR,
		DirectMaxK:      avx2DirectMaxK,
	}
	register(avx2)

	// AVX-512: the AVX2 implementation with the 512-bit GEMM micro-kernels
	// and peak probes, 64-byte moves for packing, and the path-norm
	// products on zmm (in cache they are bound by the float32-to-float64
	// conversions, eight per instruction here). The memory-bound kernels
	// (ReLU, level 1, optimizer updates) stay on ymm registers: they run at
	// the load/store bandwidth with either width.
	avx512 := *avx2
	avx512.Name = "avx512"
	avx512.Available = hasAVX512
	avx512.SMR, avx512.SNR, avx512.Sgemm = avx512SMR, avx512SNR, sgemmAVX512
	avx512.SgemmStrided, avx512.DgemmStrided = sgemmStridedAVX512, dgemmStridedAVX512
	avx512.SMRAlt, avx512.SgemmAlt, avx512.SgemmStridedAlt = avx512SMRAlt, sgemm8AVX512, sgemmStrided8AVX512
	avx512.SgemmScaleC = true
	avx512.SgemmDescend = sgemmDescendAVX512
	avx512.SgemmHalf, avx512.SgemmHalfAlt = sgemmHalfAVX512, sgemmHalf8AVX512
	avx512.SgemmLow, avx512.SgemmStridedLow, avx512.SLowMR = nil, nil, 0
	avx512.SgemmRows, avx512.SgemmRowsHalf, avx512.SRowsMR = sgemmRowsAVX512, sgemmRowsHalfAVX512, avx512SMR
	avx512.SgemmHalfMask, avx512.SgemmHalfMaskAlt = sgemmHalfMaskAVX512, sgemmHalfMask8AVX512
	avx512.DMR, avx512.DNR, avx512.Dgemm = avx512DMR, avx512DNR, dgemmAVX512
	avx512.DMRAlt, avx512.DgemmAlt, avx512.DgemmStridedAlt = avx512DMRAlt, dgemm8AVX512, dgemmStrided8AVX512
	avx512.PackPanels32, avx512.PackPanels64 = packPanels32AVX512, packPanels64AVX512
	avx512.Peak32, avx512.Peak64 = peak32AVX512, peak64AVX512
	avx512.PathMV, avx512.PathMTV, avx512.PathSums = pathMVAVX512, pathMTVAVX512, pathSumsAVX512
	avx512.SgemmDirect, avx512.DgemmDirect = sgemmDirectAVX512, dgemmDirectAVX512
	avx512.DirectMR, avx512.SDirectNR, avx512.DDirectNR, avx512.DirectMaxK = avx512DirectMR, avx512SDirectNR, avx512DDirectNR, 0
	avx512.SgemmDot, avx512.DotMR, avx512.DotNR = sgemmDotAVX512, avx512DotMR, avx512DotNR
	avx512.DgemmDot, avx512.DDotMR, avx512.DDotNR = dgemmDotAVX512, avx512DotMR, avx512DotNR
	register(&avx512)
}
