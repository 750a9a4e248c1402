// Package dist runs fastpath across processes and machines on an existing
// distributed engine, MPI: a small communicator interface (rank, size, and
// in-place allreduce, broadcast and barrier on float32 and float64 slices,
// with no allocation per call), its single-process implementation, and an
// MPI implementation built only with the "mpi" build tag (a thin cgo
// binding to the MPI C library; the default build stays pure Go).
//
// Build and run with Open MPI (Debian: apt-get install openmpi-bin
// libopenmpi-dev):
//
//	go build -tags mpi -o fastpath ./cmd/fastpath
//	mpirun -np 2 ./fastpath ...
//
// Every MPI return code is checked and turned into an error; the
// communicator's error handler is set to return errors instead of
// aborting, and MPI is initialised with MPI_THREAD_SERIALIZED, the calls
// of one process serialized by a mutex, so that any goroutine may use the
// communicator.
package dist
