//go:build !mpi || !cgo

package dist

// HasMPI reports whether this build has MPI support (the mpi build tag).
const HasMPI = false

func openMPI() (Comm, error) { return nil, ErrNoMPI }
