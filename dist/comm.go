package dist

import (
	"errors"
	"fmt"
)

// Comm is a group of cooperating processes, each with a rank in
// [0, Size()). The collective operations must be called by every rank in
// the same order with slices of the same length; they work in place.
type Comm interface {
	// Rank is this process's index; Size the number of processes.
	Rank() int
	Size() int
	// AllreduceSum32 and AllreduceSum64 replace buf on every rank by the
	// elementwise sum of the ranks' bufs.
	AllreduceSum32(buf []float32) error
	AllreduceSum64(buf []float64) error
	// Broadcast32 and Broadcast64 copy root's buf into every rank's.
	Broadcast32(buf []float32, root int) error
	Broadcast64(buf []float64, root int) error
	// Barrier returns once every rank has called it.
	Barrier() error
	// Close ends the process's participation (MPI_Finalize); the
	// communicator must not be used after.
	Close() error
}

// ErrNoMPI is returned by Open("mpi") in a build without the mpi tag.
var ErrNoMPI = errors.New("dist: this build has no MPI support (rebuild with -tags mpi and an MPI library: apt-get install libopenmpi-dev)")

// Open returns the communicator named by kind: "local" (or "") is the
// single process; "mpi" joins the MPI job this process was started in
// (mpirun), and is available only in builds with the mpi tag.
func Open(kind string) (Comm, error) {
	switch kind {
	case "", "local":
		return Local{}, nil
	case "mpi":
		return openMPI()
	}
	return nil, fmt.Errorf("dist: unknown communicator %q (want local or mpi)", kind)
}

// Local is the communicator of a single process: rank 0 of 1, where every
// collective leaves its buffer as it is.
type Local struct{}

// Rank returns 0.
func (Local) Rank() int { return 0 }

// Size returns 1.
func (Local) Size() int { return 1 }

// AllreduceSum32 leaves buf unchanged (the sum over one rank).
func (Local) AllreduceSum32([]float32) error { return nil }

// AllreduceSum64 leaves buf unchanged.
func (Local) AllreduceSum64([]float64) error { return nil }

// Broadcast32 checks root and leaves buf unchanged.
func (Local) Broadcast32(_ []float32, root int) error { return checkRoot(root, 1) }

// Broadcast64 checks root and leaves buf unchanged.
func (Local) Broadcast64(_ []float64, root int) error { return checkRoot(root, 1) }

// Barrier returns at once.
func (Local) Barrier() error { return nil }

// Close does nothing.
func (Local) Close() error { return nil }

func checkRoot(root, size int) error {
	if root < 0 || root >= size {
		return fmt.Errorf("dist: broadcast root %d outside [0, %d)", root, size)
	}
	return nil
}
