//go:build !mpi || !cgo

package dist

const mpiBuilt = false

func openMPI() (Comm, error) { return nil, ErrNoMPI }
