package rnn

import "errors"

// Panic messages for programmer errors (mismatched shapes, invalid
// arguments), checked before any work is done. Bad data, files and
// configuration are reported as errors instead.
const (
	errSteps        = "rnn: batch has no steps or no rows"
	errXLen         = "rnn: X length differs from Steps*Rows*In"
	errH0Shape      = "rnn: H0 is not Rows x Hidden"
	errOutputs      = "rnn: output steps are not strictly increasing within [0, Steps)"
	errNoOutputs    = "rnn: batch has no output steps"
	errLabelLen     = "rnn: Labels length differs from len(Outputs)*Rows"
	errLabelRange   = "rnn: label out of range"
	errTargetLen    = "rnn: Targets length differs from len(Outputs)*Rows*Out"
	errTruncate     = "rnn: negative truncation length"
	errUnknownLoss  = "rnn: unknown loss"
	errNoGradient   = "rnn: optimizer step before any Gradient call"
	errOptimizerNet = "rnn: optimizer state belongs to a model of another shape"
	errScales       = "rnn: rescaling needs Hidden positive finite scales"
	errKappaSteps   = "rnn: kappa needs steps >= 1 and output steps within [0, steps)"
	errNilModel     = "rnn: nil model"
	errModelSizes   = "rnn: models of different sizes"
)

// ErrFormat is wrapped by every error that reports a malformed model file
// (bad magic, unsupported version, impossible shapes, checksum mismatch).
// A truncated file reports io.ErrUnexpectedEOF instead.
var ErrFormat = errors.New("rnn: invalid model file")
