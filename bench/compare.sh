#!/usr/bin/env bash
# Measures fastpath's GEMM against the best rivals in one run: oneDNN
# (dnnl_sgemm, JIT kernels), OpenBLAS and BLIS, each on its best kernels for
# this CPU, with the machine's FMA peak, on the same shapes and thread
# counts, in interleaved rounds (so that load from other processes hits
# every library alike); the summary compares fastpath with the best rival of
# each shape and thread count.
#
#   apt-get install -y gcc libopenblas-dev libblis-dev libdnnl-dev   # once
#   bench/compare.sh [s|d] [threads...]          # e.g. bench/compare.sh s 1 2
#   ISA=avx2 bench/compare.sh s 1 2              # everyone on AVX2 kernels
#
# Kernel selection decides these comparisons (see ../shared/baselines/build.sh):
# bench/rival_kernels.sh sets OPENBLAS_CORETYPE and BLIS_ARCH_TYPE from the
# CPU (the machines here pin OpenBLAS to AVX2 in the environment; BLIS 0.9
# may fall back to generic C); oneDNN picks its ISA itself. ISA=avx2 pins
# everyone to AVX2: fastpath -impl avx2, OpenBLAS Haswell, BLIS zen3,
# oneDNN ONEDNN_MAX_CPU_ISA=AVX2. Every rival's line says which kernels ran
# (core=); check it.
#
# Environment: SHAPES (MxKxN[:XY] list; default the cubes and the training
# shapes), ROUNDS (default 3), BASELINES (default ../shared/baselines),
# OUT_DIR (default /tmp/fastpath-baselines), ALL_KERNELS (default 1: also
# run each rival's other kernel family, OpenBLAS Haswell, BLIS's other one
# of skx/zen3, oneDNN capped at AVX2, and take the best of all as the bar,
# which matters on CPUs such as Zen 4 where the AVX2 kernels can win; 0
# runs each rival once, on the kernels rival_kernels.sh picks). The figure of each library is
# the median over rounds of its per-round median. Compare ratios within one
# run: the machine is shared and its clock varies.
set -euo pipefail
cd "$(dirname "$0")/.."
prec=${1:-s}
shift || true
threads=("${@:-1 2}")
read -r -a threads <<<"${threads[*]}"
shapes=${SHAPES:-"512 1024 2048 100x784x4000 100x4000x4000 4000x100x4000 784x100x4000"}
rounds=${ROUNDS:-3}
src=${BASELINES:-../shared/baselines}
out=${OUT_DIR:-/tmp/fastpath-baselines}
"$src/build.sh" "$out" >/dev/null
go build -o "$out/fastpath" ./cmd/fastpath

# shellcheck source=bench/rival_kernels.sh
. bench/rival_kernels.sh
onednn_env=()
[ -n "$onednn_isa" ] && onednn_env=(ONEDNN_MAX_CPU_ISA="$onednn_isa")
echo "# $(date -u +%FT%TZ) prec=$prec rounds=$rounds"

log="$out/compare-$prec.log"
: >"$log"
for r in $(seq "$rounds"); do
  for t in "${threads[@]}"; do
    echo "=== round=$r threads=$t $(date -u +%FT%TZ)" | tee -a "$log"
    "$out/fma_peak" "$t" 5 | grep "threads=$t " | tee -a "$log" || true
    # shellcheck disable=SC2086
    OPENBLAS_NUM_THREADS=$t "$out/bench_openblas" "$prec" $shapes | tee -a "$log"
    # shellcheck disable=SC2086
    BLIS_ARCH_TYPE=$blis_arch BLIS_NUM_THREADS=$t "$out/bench_blis" "$prec" $shapes | tee -a "$log"
    if [ "$prec" = s ] && [ -x "$out/bench_onednn" ]; then
      # shellcheck disable=SC2086
      env ${onednn_env[@]+"${onednn_env[@]}"} OMP_NUM_THREADS=$t "$out/bench_onednn" "$prec" $shapes | tee -a "$log"
    fi
    if [ "${ALL_KERNELS:-1}" = 1 ] && [ "$isa" != avx2 ]; then
      # Each rival's other kernel family too (on Zen 4, whose 512-bit
      # FMAs run at the 256-bit rate, BLIS's zen3 kernels beat its skx ones):
      # the summary takes the best of every library and kernel set.
      # shellcheck disable=SC2086
      OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=$t "$out/bench_openblas" "$prec" $shapes | tee -a "$log"
      alt_blis=6
      [ "$blis_arch" = 6 ] && alt_blis=0
      # shellcheck disable=SC2086
      BLIS_ARCH_TYPE=$alt_blis BLIS_NUM_THREADS=$t "$out/bench_blis" "$prec" $shapes | tee -a "$log"
      if [ "$prec" = s ] && [ -x "$out/bench_onednn" ]; then
        # shellcheck disable=SC2086
        ONEDNN_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS=$t "$out/bench_onednn" "$prec" $shapes | tee -a "$log"
      fi
    fi
    "$out/fastpath" bench -compare=false -kernels=false -prec "$prec" -threads "$t" \
      ${fp_impl:+-impl "$fp_impl"} -shapes "$(echo $shapes | tr ' ' ',')" -csv "$out/fastpath.csv" >/dev/null 2>&1
    grep '^gemm,' "$out/fastpath.csv" | sed "s/^/fastpath-csv round=$r /" | tee -a "$log"
    grep '^peak,' "$out/fastpath.csv" | sed "s/^/fastpath-csv round=$r /" | tee -a "$log"
  done
done

echo
echo "=== summary: GFLOP/s, median over $rounds rounds; eff = fastpath / FMA peak of its ISA (fastpath's probe, same run); vs best = fastpath / best rival"
awk "$(cat bench/median.awk)"'
  function shape(m, k, n, tr) { if (m == k && k == n && tr == "NN") return m; return m "x" k "x" n (tr == "NN" ? "" : ":" tr) }
  /^anchor part=blas/ {
    delete f
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    s = shape(f["m"], f["k"], f["n"], f["trans"]); lib = f["lib"] "(" f["core"] ")"
    add(lib SUBSEP s SUBSEP f["threads"], f["median_gflops"])
    libs[lib] = 1; shapes[s] = 1; ths[f["threads"]] = 1
  }
  /^fastpath-csv/ {
    split($3, c, ",")
    if (c[1] == "gemm") {
      s = c[4]; sub(/:NN$/, "", s); if (s ~ /^[0-9]+x[0-9]+x[0-9]+$/) { split(s, d, "x"); if (d[1] == d[2] && d[2] == d[3]) s = d[1] }
      add("fastpath" SUBSEP s SUBSEP c[5], c[6]); shapes[s] = 1; ths[c[5]] = 1
    } else if (c[1] == "peak" && c[2] ~ /^fma-/) {
      add("peak" SUBSEP c[5], c[6])
    }
  }
  END {
    printf "%-18s %3s %9s %5s", "shape", "thr", "fastpath", "eff"
    for (lib in libs) printf " %20s", lib
    printf " %8s %6s\n", "best", "vs best"
    for (t in ths) for (s in shapes) {
      fk = "fastpath" SUBSEP s SUBSEP t
      if (!(fk in cnt)) continue
      fp = median(fk); pk = ("peak" SUBSEP t) in cnt ? median("peak" SUBSEP t) : 0
      printf "%-18s %3s %9.1f %5.2f", s, t, fp, (pk > 0 ? fp / pk : 0)
      best = 0; bl = "-"
      for (lib in libs) {
        k = lib SUBSEP s SUBSEP t
        if (k in cnt) { v = median(k); printf " %20.1f", v; if (v > best) { best = v; bl = lib } }
        else printf " %20s", "-"
      }
      printf " %8s %6.2f\n", bl, (best > 0 ? fp / best : 0)
    }
  }' "$log" | { read -r head; echo "$head"; sort -k2,2n -k1,1; }

# A host that takes a vCPU away from the run leaves its many-thread figures
# meaningless (seen on 2026-12-05: a two-thread FMA probe at one core's
# figure for several minutes): flag any round whose fastpath FMA peak on t
# threads is below 0.75 x t x the best one-thread peak of the run.
awk '/^fastpath-csv/ {
    split($3, c, ","); if (c[1] != "peak" || c[2] !~ /^fma-/) next
    t = c[5] + 0; v = c[6] + 0
    if (t == 1) { if (v > p1) p1 = v } else { rt[++n] = t; rv[n] = v; rr[n] = $2 }
  }
  END {
    if (p1 == 0) exit
    for (i = 1; i <= n; i++) if (rv[i] < 0.75 * rt[i] * p1)
      printf "WARNING: %s, %d threads: FMA peak %.0f GFLOP/s against %.0f on one thread: the host did not give this run %d cores; that round'"'"'s %d-thread figures are not comparisons of the libraries\n", rr[i], rt[i], rv[i], p1, rt[i], rt[i]
  }' "$log"
