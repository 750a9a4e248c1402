package main

import "fmt"

func genPeak() *asmFile {
	f := newFile(`
FMA peak loops: 24 independent vector fmla per iteration on registers only
(accumulators V8-V31, multiplicands V0 and V1). With a 4-cycle fmla latency
and two or four FMA pipes, 24 chains are more than enough to saturate them.`)
	genPeakLoop(f, "peak32NEONAsm", s4)
	genPeakLoop(f, "peak64NEONAsm", d2)
	return f
}

func genPeakLoop(f *asmFile, name string, a arr) {
	p := info(a)
	flops := 24 * p.lanes * 2
	// 2^-10: the accumulators grow by 2^-20 per iteration, staying normal
	// and finite for any realistic iteration count.
	bits := "$0x3a800000"
	if a == d2 {
		bits = "$0x3f50000000000000"
	}
	f.text(name, 16, fmt.Sprintf(`
func %s(iters int) int
Per iteration: 24 fmla x %d lanes x 2 flops = %d flops. Returns %d*iters
(0 if iters <= 0).`, name, p.lanes, flops, flops))
	f.in("MOVD iters+0(FP), R0")
	f.in("MOVD $0, R1")
	f.in("CMP $0, R0")
	f.in("BLE done")
	f.zero(8, 24)
	f.in("MOVD %s, R2", bits)
	f.in("VDUP R2, %s", v(0, a))
	f.in("VDUP R2, %s", v(1, a))
	f.in("MOVD R0, R3")
	f.label("loop")
	for t := 0; t < 24; t++ {
		f.in("VFMLA %s, %s, %s", v(1, a), v(0, a), v(8+t, a))
	}
	f.in("SUBS $1, R3, R3")
	f.in("BNE loop")
	f.in("MOVD $%d, R2", flops)
	f.in("MUL R2, R0, R1")
	f.label("done")
	f.in("MOVD R1, ret+8(FP)")
	f.in("RET")
}
