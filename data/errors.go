package data

import (
	"fmt"
	"strings"
)

// Panic messages. Only programmer errors panic (a wrong buffer size, an
// index out of range, a bad argument); bad files and bad data return a
// *FormatError or an I/O error instead. The checks of each function run
// in a fixed order before any work.
const (
	badSplit     = "data: split size out of range"
	badIndex     = "data: index out of range"
	badBatchRows = "data: batch rows differ from the number of indices"
	badBatchCols = "data: batch columns differ from the feature dimension"
	shortBatchX  = "data: insufficient length of batch data"
	shortBatchY  = "data: insufficient length of batch labels"
	badStride    = "data: stride smaller than the number of columns"
	badSize      = "data: downsample size must be positive"
	noShape      = "data: dataset has no image shape"
	badClasses   = "data: dataset has no classes"
	negClasses   = "data: negative class count"
	badIDXDims   = "data: IDX needs 1 to 255 dimensions"
	bigIDXDim    = "data: IDX dimension out of range"
	badIDXData   = "data: IDX data length differs from the product of its dimensions"
	badCSVShape  = "data: CSV height and width must both be set, positive"
	badPerm      = "data: negative permutation length"
)

// FormatError reports bad data in a file or stream: what was wrong and
// where. Name is the file name given to the reader ("" when none); for
// binary (IDX) input Offset is the byte offset in the decompressed stream
// (-1 when the error has no position); for text (CSV) input Line and
// Column (1-based; 0 when unknown) locate the field. Err, when not nil, is
// the underlying cause (io.ErrUnexpectedEOF for a truncated file, a gzip
// or flate error for a corrupted compressed stream) and is returned by
// Unwrap.
type FormatError struct {
	Name   string
	Offset int64
	Line   int
	// Field is the 1-based number of the CSV field at fault (0 when the
	// error is not about one field); Column is its 1-based character
	// position on the line.
	Field  int
	Column int
	Msg    string
	Err    error
}

// Error formats the error as "data: NAME: offset N: MSG: ERR", leaving out
// the parts that are not known.
func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("data: ")
	if e.Name != "" {
		b.WriteString(e.Name)
		b.WriteString(": ")
	}
	switch {
	case e.Line > 0 && e.Field > 0:
		fmt.Fprintf(&b, "line %d, field %d (column %d): ", e.Line, e.Field, e.Column)
	case e.Line > 0 && e.Column > 0:
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	case e.Offset >= 0:
		fmt.Fprintf(&b, "offset %d: ", e.Offset)
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying cause, if any.
func (e *FormatError) Unwrap() error { return e.Err }
