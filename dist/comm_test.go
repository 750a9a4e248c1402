package dist

import (
	"errors"
	"fmt"
	"testing"
)

// TestLocal: the single process is rank 0 of 1, its collectives leave the
// buffers as they are, and a root other than 0 is an error.
func TestLocal(t *testing.T) {
	c, err := Open("local")
	if err != nil {
		t.Fatal(err)
	}
	if c.Rank() != 0 || c.Size() != 1 {
		t.Fatalf("rank %d of %d", c.Rank(), c.Size())
	}
	a, b := []float32{1, 2, 3}, []float64{4, 5}
	if c.AllreduceSum32(a) != nil || c.AllreduceSum64(b) != nil || c.Broadcast32(a, 0) != nil || c.Broadcast64(b, 0) != nil || c.Barrier() != nil {
		t.Fatal("a collective failed")
	}
	if a[0] != 1 || a[2] != 3 || b[1] != 5 {
		t.Errorf("buffers changed: %v %v", a, b)
	}
	if c.Broadcast32(a, 1) == nil || c.Broadcast64(b, -1) == nil {
		t.Error("a bad root was accepted")
	}
	if _, err := Open("tcp"); err == nil {
		t.Error("an unknown communicator was accepted")
	}
}

// TestOpenMPIWithoutTag: without the mpi tag, Open("mpi") says how to get
// it.
func TestOpenMPIWithoutTag(t *testing.T) {
	if HasMPI {
		t.Skip("built with MPI")
	}
	if _, err := Open("mpi"); !errors.Is(err, ErrNoMPI) {
		t.Errorf("Open(mpi): %v, want ErrNoMPI", err)
	}
}

// TestGroup: goroutine ranks sum and broadcast like the serial reference.
func TestGroup(t *testing.T) {
	for _, size := range []int{1, 2, 3} {
		cs := NewGroup(size)
		done := make(chan error, size)
		for _, c := range cs {
			go func() {
				a := []float32{float32(c.Rank()), 1}
				b := []float64{float64(c.Rank() * 10)}
				if err := c.AllreduceSum32(a); err != nil {
					done <- err
					return
				}
				if err := c.Broadcast64(b, size-1); err != nil {
					done <- err
					return
				}
				if a[0] != float32(size*(size-1)/2) || a[1] != float32(size) || b[0] != float64((size-1)*10) {
					done <- fmt.Errorf("rank %d: %v %v", c.Rank(), a, b)
					return
				}
				done <- c.Barrier()
			}()
		}
		for range size {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
	}
}
