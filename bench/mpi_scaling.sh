#!/usr/bin/env bash
# Data-parallel scaling on one machine: MPI allreduce latency and bandwidth
# against message size, and MNIST training throughput (examples/s of one
# epoch, no evaluation passes) with 1 process x T threads against N
# processes x 1 thread, for 784-1000-1000-10 and 784-4000-4000-10.
# Needs Open MPI (apt-get install openmpi-bin libopenmpi-dev).
#   bench/mpi_scaling.sh [N]        (default N = number of cores)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-$(nproc)}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
go build -tags mpi -o /tmp/fastpath-mpi ./cmd/fastpath
go test -tags mpi -c -o /tmp/fastpath-dist.test ./dist
echo "== $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) ($(nproc) cores)"
echo "== allreduce, $n processes"
mpirun -np "$n" --oversubscribe /tmp/fastpath-dist.test -test.run NONE -test.bench Allreduce -test.benchtime 100x | grep Benchmark
for hidden in 1000,1000 4000,4000; do
  echo "== training 784-${hidden//,/-}-10, batch 100, one epoch"
  one=$(/tmp/fastpath-mpi train -hidden "$hidden" -epochs 1 -eval-train=false -lr 0.01 -threads "$n" 2>&1 | grep -m1 'epoch 1/1:' || true)
  echo "1 process x $n threads: $one"
  dp=$(mpirun -np "$n" --oversubscribe /tmp/fastpath-mpi train -dist mpi -hidden "$hidden" -epochs 1 -eval-train=false -lr 0.01 -threads 1 2>&1 | grep -m1 'epoch 1/1:' || true)
  echo "$n processes x 1 thread: $dp"
done
