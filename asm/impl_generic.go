package asm

// genericImpl is the pure-Go implementation, compiled on every platform and
// used as the test oracle for the assembly ones.
var genericImpl = &Impl{
	Name:            "generic",
	Available:       true,
	SMR:             genericMR,
	SNR:             genericNR,
	Sgemm:           sgemmGeneric,
	SgemmStrided:    sgemmStridedGeneric,
	DMR:             genericMR,
	DNR:             genericNR,
	Dgemm:           dgemmGeneric,
	Transpose:       TransposeGeneric,
	PackPanels32:    PackPanelsGeneric32,
	PackPanels64:    PackPanelsGeneric64,
	Relu:            ReluGeneric,
	ReluBackward:    ReluBackwardGeneric,
	BiasRelu:        BiasReluGeneric,
	PathMV:          PathMVGeneric,
	PathMTV:         PathMTVGeneric,
	SDot:            SDotGeneric,
	DDot:            DDotGeneric,
	SAxpy:           SAxpyGeneric,
	DAxpy:           DAxpyGeneric,
	SGD:             SGDGeneric,
	SGDMomentum:     SGDMomentumGeneric,
	AdaGrad:         AdaGradGeneric,
	PathSGD:         PathSGDGeneric,
	PathSGDMomentum: PathSGDMomentumGeneric,
	Peak32:          peakGeneric32,
	Peak64:          peakGeneric64,
}
