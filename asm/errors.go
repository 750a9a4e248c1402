package asm

// Panic messages for programmer errors, checked before any kernel runs.
const (
	errLength    = "asm: slice lengths do not match"
	errShortA    = "asm: insufficient length of packed a"
	errShortB    = "asm: insufficient length of packed b"
	errShortC    = "asm: insufficient length of c"
	errShortBias = "asm: insufficient length of bias"
	errShortW    = "asm: insufficient length of w"
	errShortG    = "asm: insufficient length of g"
	errShortV    = "asm: insufficient length of v"
	errLdc       = "asm: ldc smaller than the tile width"
	errLdb       = "asm: ldb smaller than the micro-panel width"
	errLdw       = "asm: ldw smaller than the row length"
	errLdd       = "asm: transpose destination stride smaller than the row count"
	errShortGemv = "asm: gemv rows or vector too short"
	errShortInc  = "asm: strided vector too short or increment not positive"
	errNegK      = "asm: negative k"
	errUnknown   = "asm: unknown implementation"
	errNotAvail  = "asm: implementation not available on this CPU"
	errDirect    = "asm: direct kernel tile, depth or strides out of range"
	errDot       = "asm: dot kernel tile, depth or strides out of range"
	errDirectA   = "asm: insufficient length of a"
	errDirectB   = "asm: insufficient length of b"
	errPrefetch  = "asm: prefetch rows outside pf"
	errLda       = "asm: lda smaller than the depth"
	errRowsFlags = "asm: row-reading kernel takes no flag but Accumulate"
)
