//go:build !purego && !noasm

#include "textflag.h"

// func prefetchLines(p uintptr, stride, rows, lines int)
TEXT ·prefetchLines(SB), NOSPLIT, $0-32
	MOVD p+0(FP), R0
	MOVD stride+8(FP), R1
	MOVD rows+16(FP), R2
	MOVD lines+24(FP), R3
	CMP  $0, R2
	BLE  done
	CMP  $0, R3
	BLE  done

row:
	MOVD R0, R4
	MOVD R3, R5

line:
	PRFM (R4), PLDL2KEEP
	ADD  $64, R4
	SUBS $1, R5
	BNE  line
	ADD  R1, R0
	SUBS $1, R2
	BNE  row

done:
	RET
