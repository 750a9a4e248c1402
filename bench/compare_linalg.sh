#!/usr/bin/env bash
# Times gonum's linear algebra (mat.Dense.Mul, Cholesky, LU, Dense.Solve,
# QR, SVD, EigenSym, Dense.Inverse) on three BLAS implementations under
# gonum's LAPACK in one run: gonum's native code, OpenBLAS through
# gonum.org/v1/netlib (cgo) on its best kernels for this CPU, and fastpath
# (blas.Implementation). The program is bench/netlib, a module of its own so
# that fastpath stays free of cgo.
#
#   apt-get install -y gcc libopenblas-dev       # once
#   bench/compare_linalg.sh                      # all operations, n = 100..2000, 1 and 2 threads
#   bench/compare_linalg.sh -ops chol,lu -sizes 1000,4000 -threads 2
#   bench/compare_linalg.sh -native=false -sizes 2000,4000  # OpenBLAS and fastpath only
#
# Arguments go to bench/netlib (-ops, -sizes, -threads, -samples, -native). Samples
# are interleaved across the three, with a 200 ms pause before each so that
# OpenBLAS's spinning worker threads are asleep when the next one starts.
# bench/rival_kernels.sh sets OPENBLAS_CORETYPE (these machines pin
# OpenBLAS to AVX2 in the environment); the first line of the output says
# which kernels OpenBLAS ran (core=); check it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/rival_kernels.sh
. bench/rival_kernels.sh
cd bench/netlib
CGO_ENABLED=1 go run . "$@"
