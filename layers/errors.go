package layers

import "errors"

// Panic messages for programmer errors (mismatched shapes, invalid
// arguments), checked before any work is done. Bad data, files and
// configuration are reported as errors instead.
const (
	errSize         = "layers: layer size must be positive"
	errScaledPlan   = "layers: ScaledSGD plan does not fit the network (factor or velocity lengths)"
	errTooLarge     = "layers: layer beyond MaxFeatures or MaxParams"
	errNoLayers     = "layers: network has no layers"
	errChain        = "layers: layer input size differs from the previous layer's output size"
	errInputCols    = "layers: input columns differ from the network's input size"
	errRows         = "layers: negative number of rows"
	errInputShape   = "layers: input stride smaller than its columns, or data shorter than rows x stride"
	errLabelCount   = "layers: number of labels differs from the number of rows"
	errLabelRange   = "layers: label out of range"
	errPredictLen   = "layers: prediction slice shorter than the number of rows"
	errProbShape    = "layers: probability matrix is not rows x OutSize()"
	errDropoutP     = "layers: dropout probability outside [0, 1)"
	errNoLR         = "layers: optimizer has no learning-rate schedule"
	errOptimizerNet = "layers: optimizer state belongs to a network of another shape"
	errNilNetwork   = "layers: nil network"
	errNilOptimizer = "layers: nil optimizer"
	errLayerReused  = "layers: layer used twice in one network"
	errUnknownLayer = "layers: unknown layer type"
	errUnknownInit  = "layers: unknown initialisation"
	errDataShape    = "layers: InMemory dataset is inconsistent (see InMemory.Validate)"
	errBatchShape   = "layers: batch buffers do not match the indices and the dataset"
	errBatchIndex   = "layers: example index out of range"
	errAlpha        = "layers: DDP-Normalization alpha outside [0, 1]"
	errDDPPlace     = "layers: a DDPNorm layer must directly follow a Dense layer without ReLU"
	errNormSettings = "layers: normalization momentum outside (0, 1] or eps not positive and finite"
)

// ErrFormat is wrapped by every error that reports a malformed model file
// (bad magic, unsupported version, impossible shapes, checksum mismatch).
// A truncated file reports io.ErrUnexpectedEOF instead.
var ErrFormat = errors.New("layers: invalid model file")

// ErrStop, returned by TrainConfig.OnEpoch, ends training early without an
// error.
var ErrStop = errors.New("layers: stop training")
