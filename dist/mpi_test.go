//go:build mpi && cgo

package dist

import (
	"fmt"
	"math"
	"os"
	"testing"
)

// The MPI tests run under mpirun with any number of ranks (and alone, as a
// singleton of size 1):
//
//	go test -tags mpi -c -o dist.test ./dist
//	mpirun -np 3 --oversubscribe ./dist.test
var world Comm

func TestMain(m *testing.M) {
	c, err := Open("mpi")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	world = c
	code := m.Run()
	if err := world.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// value is rank r's element i: integers below 2^20, so that every sum over
// ranks is exact in float32 and float64 whatever the reduction order.
func value(r, i int) float64 { return float64((i*7919+r*104729)%(1<<20)) - (1 << 19) }

// TestMPIAllreduce checks the sums against the serial reference at sizes
// from 0 to over a million, odd lengths among them, in float32 and float64,
// and fractional values within rounding.
func TestMPIAllreduce(t *testing.T) {
	rank, size := world.Rank(), world.Size()
	for _, n := range []int{0, 1, 7, 1000, 65537, 1<<20 + 3} {
		a := make([]float32, n)
		b := make([]float64, n)
		for i := range n {
			a[i], b[i] = float32(value(rank, i)), value(rank, i)
		}
		if err := world.AllreduceSum32(a); err != nil {
			t.Fatal(err)
		}
		if err := world.AllreduceSum64(b); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			want := 0.0
			for r := range size {
				want += value(r, i)
			}
			if float64(a[i]) != want || b[i] != want {
				t.Fatalf("n=%d [%d]: float32 %v, float64 %v, want %v (%d ranks)", n, i, a[i], b[i], want, size)
			}
		}
	}
	x := []float64{math.Pi * float64(rank+1)}
	if err := world.AllreduceSum64(x); err != nil {
		t.Fatal(err)
	}
	if want := math.Pi * float64(size*(size+1)/2); math.Abs(x[0]-want) > 1e-12*want {
		t.Errorf("sum of pi*(rank+1): %v, want %v", x[0], want)
	}
}

// TestMPIBroadcast broadcasts from every root.
func TestMPIBroadcast(t *testing.T) {
	rank, size := world.Rank(), world.Size()
	for root := range size {
		for _, n := range []int{0, 3, 100001} {
			a := make([]float32, n)
			b := make([]float64, n)
			for i := range n {
				a[i], b[i] = float32(value(rank, i)), value(rank, i)
			}
			if err := world.Broadcast32(a, root); err != nil {
				t.Fatal(err)
			}
			if err := world.Broadcast64(b, root); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				if float64(a[i]) != value(root, i) || b[i] != value(root, i) {
					t.Fatalf("root %d n=%d [%d]: %v %v, want %v", root, n, i, a[i], b[i], value(root, i))
				}
			}
		}
	}
	if err := world.Broadcast32(nil, size); err == nil {
		t.Error("root = size accepted")
	}
	if err := world.Barrier(); err != nil {
		t.Fatal(err)
	}
}

// TestMPIAllocs: a collective allocates nothing.
func TestMPIAllocs(t *testing.T) {
	a := make([]float32, 1000)
	if n := testing.AllocsPerRun(10, func() { world.AllreduceSum32(a) }); n != 0 {
		t.Errorf("AllreduceSum32: %v allocations", n)
	}
}
