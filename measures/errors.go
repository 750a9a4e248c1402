package measures

// Panic messages for programmer errors, checked before any work. Bad data
// (a label out of range, a feature count that does not match the network,
// an empty dataset) and bad options are returned as errors instead.
const (
	errNilNetwork = "measures: nil network"
	errPathP      = "measures: path-norm exponent p must be positive and finite"
	errMatrix     = "measures: matrix has a negative or inconsistent shape"
	errPercentile = "measures: percentile outside [0, 100] or of an empty sample"
)

const errNorms = "measures: layer norms do not match the network's dense layers"
