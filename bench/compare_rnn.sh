#!/usr/bin/env bash
# Times fastpath's ReLU RNN training step (forward + BPTT, `go test -bench
# Gradient ./rnn`) against PyTorch's nn.RNN(nonlinearity='relu')
# (bench/pytorch_rnn.py) on the sequential-MNIST shapes (T = 784, one input,
# ten classes), in interleaved rounds so that load from other processes hits
# both alike.
#
#   apt-get install -y python3-torch       # once (Debian 12: PyTorch 1.13)
#   bench/compare_rnn.sh                   # ROUNDS=3 THREADS=2 by default
#
# PyTorch runs in two threading configurations, threads BLAS (OpenBLAS)
# threads with one OpenMP thread, and one BLAS thread with threads OpenMP
# threads (both pools spinning on the same cores is several times slower
# than either). Compare fastpath with the better one, within a round.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
threads=${THREADS:-2}
# shellcheck source=bench/torch_python.sh
. bench/torch_python.sh
out=${OUT_DIR:-/tmp/fastpath-rnn}
mkdir -p "$out"
go test -c -o "$out/rnn.test" ./rnn
for r in $(seq "$rounds"); do
  echo "=== round $r threads=$threads $(date -u +%FT%TZ)"
  GOMAXPROCS=$threads "$out/rnn.test" -test.run XXX -test.bench 'Gradient/' -test.benchtime 10x | grep '^Benchmark'
  for grid in "--hidden 100 --batch 16,32,64,128" "--hidden 250,500,1000 --batch 16" "--hidden 1000 --batch 128"; do
    # shellcheck disable=SC2086
    OPENBLAS_NUM_THREADS=$threads "$py" bench/pytorch_rnn.py --threads 1 $grid --samples 5 | grep '^impl=pytorch threads' | sed "s/^/config=blas$threads-omp1 /"
    # shellcheck disable=SC2086
    OPENBLAS_NUM_THREADS=1 "$py" bench/pytorch_rnn.py --threads "$threads" $grid --samples 5 | grep '^impl=pytorch threads' | sed "s/^/config=blas1-omp$threads /"
  done
done
