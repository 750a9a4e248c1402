#!/usr/bin/env bash
# Times fastpath's ReLU RNN training step (forward + BPTT, `go test -bench
# Gradient ./rnn`) against oneDNN's vanilla-RNN primitive (rnn_onednn from
# ../shared/baselines: forward_training + backward, ReLU, f32, input 1) on the
# sequential-MNIST shapes (T = 784), in interleaved rounds so that load from
# other processes hits both alike, at each thread count.
#
#   apt-get install -y gcc libdnnl-dev        # once
#   bench/compare_rnn.sh [threads...]         # default: 1 2; ROUNDS=3
#   PYTORCH=1 bench/compare_rnn.sh            # PyTorch's nn.RNN beside them
#
# The summary gives, per hidden size, batch and thread count, the median
# over rounds of each one's ms per step and oneDNN / fastpath (above 1:
# fastpath is faster). rnn_onednn --check verifies oneDNN against a naive
# RNN first. PyTorch (python3-torch; OpenBLAS on its best kernels, see
# bench/rival_kernels.sh) runs in two threading configurations, threads BLAS
# threads with one OpenMP thread and the reverse; the better one counts.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=("${@:-1 2}")
read -r -a threads <<<"${threads[*]}"
rounds=${ROUNDS:-3}
src=${BASELINES:-../shared/baselines}
out=${OUT_DIR:-/tmp/fastpath-rnn}
mkdir -p "$out"
# shellcheck source=bench/rival_kernels.sh
. bench/rival_kernels.sh
"$src/build.sh" "$out" >/dev/null
OMP_NUM_THREADS=1 "$out/rnn_onednn" --check >"$out/onednn-check.txt" || { cat "$out/onednn-check.txt" >&2; echo "rnn_onednn --check failed" >&2; exit 1; }
if [ "${PYTORCH:-0}" = 1 ]; then
  # shellcheck source=bench/torch_python.sh
  . bench/torch_python.sh
fi
go test -c -o "$out/rnn.test" ./rnn
go build -o "$out/fastpath" ./cmd/fastpath
# shellcheck source=bench/core_check.sh
. bench/core_check.sh
shapes="100:16 100:32 100:64 100:128 250:16 500:16 1000:16 1000:128"
log="$out/compare-rnn.log"
: >"$log"
for r in $(seq "$rounds"); do
  for t in "${threads[@]}"; do
    echo "=== round=$r threads=$t $(date -u +%FT%TZ)" | tee -a "$log"
    probe_cores "$out/fastpath" "$t" "$log"
    GOMAXPROCS=$t "$out/rnn.test" -test.run XXX -test.bench 'Gradient/' -test.benchtime 10x |
      grep '^Benchmark' | sed "s/^/fastpath threads=$t /" | tee -a "$log"
    args=""
    for s in $shapes; do args="$args ${s%%:*} ${s##*:} 784"; done
    # shellcheck disable=SC2086
    OMP_NUM_THREADS=$t "$out/rnn_onednn" $args | grep '^anchor' | tee -a "$log"
    if [ "${PYTORCH:-0}" = 1 ]; then
      for grid in "--hidden 100 --batch 16,32,64,128" "--hidden 250,500,1000 --batch 16" "--hidden 1000 --batch 128"; do
        # shellcheck disable=SC2086
        OPENBLAS_NUM_THREADS=$t "$py" bench/pytorch_rnn.py --threads 1 $grid --samples 5 | grep '^impl=pytorch threads' | sed "s/threads=1 /threads=$t /" | tee -a "$log"
        if [ "$t" -gt 1 ]; then
          # shellcheck disable=SC2086
          OPENBLAS_NUM_THREADS=1 "$py" bench/pytorch_rnn.py --threads "$t" $grid --samples 5 | grep '^impl=pytorch threads' | tee -a "$log"
        fi
      done
    fi
  done
done

echo
echo "=== summary: ms per step (T = 784), median over $rounds rounds; onednn/fp = oneDNN ms / fastpath ms"
awk "$(cat bench/median.awk)"'
  function field(name,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] } return "" }
  /^fastpath threads=/ {
    split($3, p, "/"); h = p[3]; sub("hidden=", "", h); b = p[4]; sub("batch=", "", b); t = field("threads")
    for (i = 4; i < NF; i++) if ($(i + 1) == "ms/step") add("fp" SUBSEP h SUBSEP b SUBSEP t, $i)
    rows[h SUBSEP b SUBSEP t] = 1
  }
  /^anchor part=rnn lib=onednn/ { add("dnn" SUBSEP field("hidden") SUBSEP field("batch") SUBSEP field("threads"), field("median_ms")); isa = field("isa") }
  /^impl=pytorch threads=/ {
    add("pt" SUBSEP field("hidden") SUBSEP field("batch") SUBSEP field("threads"), field("ms_per_step")); pt = 1
  }
  END {
    printf "%6s %5s %3s %10s %10s %9s", "hidden", "batch", "thr", "fastpath", "onednn", "onednn/fp"
    if (pt) printf " %10s %8s", "pytorch*", "pt/fp"
    printf "   (oneDNN isa=%s)\n", isa
    for (r in rows) {
      split(r, q, SUBSEP); fk = "fp" SUBSEP r; dk = "dnn" SUBSEP r; pk = "pt" SUBSEP r
      fp = median(fk); dn = (dk in cnt) ? median(dk) : 0
      printf "%6s %5s %3s %10.2f %10.2f %9.2f", q[1], q[2], q[3], fp, dn, (fp > 0 ? dn / fp : 0)
      if (pt) {
        # the better (lower) of the two threading configurations: the lowest half of the samples
        best = 0; for (i = 1; i <= cnt[pk]; i++) if (best == 0 || vals[pk, i] < best) best = vals[pk, i]
        printf " %10.2f %8.2f", best, (fp > 0 ? best / fp : 0)
      }
      printf "\n"
    }
    if (pt) print "* PyTorch: the lowest ms over rounds and both threading configurations"
  }' "$log" | { read -r head; echo "$head"; sort -k3,3n -k1,1n -k2,2n; }
warn_withheld "$log"
