#!/usr/bin/env bash
# Measures fastpath against OpenBLAS and BLIS in one run, on the same shapes
# and thread counts, with the machine's FMA peak from both the C probe and
# fastpath's own assembly probe.
#
#   apt-get install -y libopenblas-dev libblis-dev gcc   # once
#   bench/compare.sh [s|d] [threads...]                  # e.g. bench/compare.sh s 1 2
#   IMPLS="avx512 avx2" bench/compare.sh s 1 2           # fastpath once per kernel set
#
# Needs ../shared/baselines (the C benchmarks) beside the checkout, or
# BASELINES=/path/to/baselines. Output: one block per thread count; compare
# ratios within a block, since the machine is shared and noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
prec=${1:-s}
shift || true
threads=("${@:-1 2}")
read -r -a threads <<<"${threads[*]}"
shapes=${SHAPES:-"512 1024 2048 100x784x4000 100x4000x4000 4000x100x4000 784x100x4000"}
src=${BASELINES:-../shared/baselines}
out=${OUT_DIR:-/tmp/fastpath-baselines}
"$src/build.sh" "$out" >/dev/null
go build -o "$out/fastpath" ./cmd/fastpath
for t in "${threads[@]}"; do
  echo "=== threads=$t prec=$prec $(date -u +%FT%TZ)"
  "$out/fma_peak" "$t" 5 | grep "threads=$t " || true
  OPENBLAS_NUM_THREADS=$t "$out/bench_openblas" "$prec" $shapes
  BLIS_NUM_THREADS=$t "$out/bench_blis" "$prec" $shapes
  for impl in ${IMPLS:-best}; do
    [ "$impl" = best ] && impl=""
    "$out/fastpath" bench -compare=false -kernels=false -prec "$prec" -threads "$t" \
      ${impl:+-impl "$impl"} -shapes "$(echo $shapes | tr ' ' ',')" 2>/dev/null
  done
done
