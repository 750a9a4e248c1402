//go:build mpi && cgo

package dist

import (
	"fmt"
	"testing"
)

// BenchmarkAllreduce measures MPI_Allreduce of float32 buffers from 1 to
// 16M values: latency (us/op) and bus bandwidth (GB/s of the buffer). Every
// rank must run the same number of iterations, so give a fixed count:
//
//	go test -tags mpi -c -o dist.test ./dist
//	mpirun -np 2 ./dist.test -test.run NONE -test.bench Allreduce -test.benchtime 200x
func BenchmarkAllreduce(b *testing.B) {
	for _, n := range []int{1, 1 << 10, 1 << 14, 1 << 18, 1 << 20, 1 << 22, 1 << 24} {
		b.Run(fmt.Sprintf("ranks=%d/n=%d", world.Size(), n), func(b *testing.B) {
			buf := make([]float32, n)
			b.SetBytes(int64(4 * n))
			if err := world.Barrier(); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := world.AllreduceSum32(buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "us/op")
		})
	}
}
