// Package experiment holds fastpath's studies — the thesis's experiments as
// library code a Go program can run as well as the command line — and the
// machinery they share: a resumable runner that gives each cell of a study
// (optimizer x initialisation x step size x ...) its own directory with a
// training checkpoint and a per-epoch log, skips finished cells and
// continues an interrupted one bit for bit; progress for the whole study;
// independent cells side by side (Runner.Jobs goroutines, or the processes
// of an MPI communicator); the step-size protocol of the optimization
// studies (gridsearch.go); the list parser and the CSV and markdown writers
// of the result tables.
//
// Plots live in the sub-package experiment/plots, so that this package
// keeps the core library's small dependency set.
//
// The output directory of a study:
//
//	DIR/NAME.study.json        the study's name and settings (a resumed run must match)
//	DIR/cells/KEY/result.gob   a finished cell's result (encoding/gob: NaN and ±Inf kept)
//	DIR/cells/KEY/epochs.log   its per-epoch records, framed gob encodings
//	DIR/cells/KEY/run.fpck     the checkpoint of a cell in progress (removed when it finishes)
//	DIR/*.csv, *.md, *.png     the tables and plots written at the end
package experiment
