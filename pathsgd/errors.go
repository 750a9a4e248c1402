package pathsgd

// Panic messages for programmer errors, checked before any work is done.
const (
	errNilNet    = "pathsgd: nil network"
	errP         = "pathsgd: p must be finite and positive"
	errNoLR      = "pathsgd: optimizer has no learning-rate schedule"
	errOptimNet  = "pathsgd: optimizer state belongs to a network of another shape"
	errScales    = "pathsgd: scales do not match the network's hidden layers"
	errScale     = "pathsgd: scales must be finite and positive"
	errLayer     = "pathsgd: layer index out of range"
	errAlpha     = "pathsgd: alpha outside [0, 1]"
	errNoBatch   = "pathsgd: DDP-SGD needs the mini-batch of the last Network.Gradient call"
	errDDPShape  = "pathsgd: input does not match the DDP network"
	errDDPSizes  = "pathsgd: a DDP network needs at least two positive layer sizes"
	errDDPLabels = "pathsgd: number of labels differs from the number of rows"
	errDDPLabel  = "pathsgd: label out of range"
	errNormNet   = "pathsgd: the network has normalization layers (BatchNorm, DDPNorm); path norms, Path-SGD and DDP-SGD are defined for plain ReLU networks"
)
