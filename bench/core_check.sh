# Sourced by bench/compare_rnn.sh and bench/compare_pytorch.sh: the host
# behind these machines sometimes withholds the second vCPU for minutes, and
# a round run then compares nothing. probe_cores FASTPATH T LOG appends
# fastpath's FMA peak probe on 1 and T threads to LOG (lines "bench: FMA
# peak s t=N: X GFLOP/s"); warn_withheld LOG prints a warning for every
# probe on T > 1 threads below 0.75 x T x the best one-thread figure of the
# run (bench/compare.sh checks its rounds the same way).
probe_cores() {
  "$1" bench -prec s -compare=false -kernels=false -threads "1,$2" -samples 3 -shapes 64 2>&1 |
    grep 'FMA peak s t=' | tee -a "$3" || true
}

warn_withheld() {
  awk '/FMA peak s t=/ {
      t = $5; sub("t=", "", t); sub(":", "", t); v = $6
      if (t == 1) { if (v > p1) p1 = v; next }
      n++; rt[n] = t; rv[n] = v
    }
    END {
      for (i = 1; i <= n; i++) if (rv[i] < 0.75 * rt[i] * p1)
        printf "WARNING: FMA probe %d on %d threads: %.0f GFLOP/s against %.0f on one thread: the host did not give the run %d cores around then; that round'"'"'s %d-thread figures are not comparisons\n", i, rt[i], rv[i], p1, rt[i], rt[i]
    }' "$1"
}
