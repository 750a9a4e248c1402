#!/usr/bin/env bash
# Measures fastpath's training step against PyTorch's in one run: the same
# networks, batch 100, SGD with momentum, synthetic MNIST-shaped data, the
# median of several timed windows, on each thread count in turn.
#
#   apt-get install -y python3-torch          # once (Debian 12: PyTorch 1.13)
#   bench/compare_pytorch.sh [threads...]     # default: 1 2
#
# Environment: SAMPLES (default 5), NETS (default
# 784-1000-1000-10,784-4000-4000-10), PYTHON (default: the first python3 on
# PATH, then /usr/bin/python3, that imports torch), OUT_DIR (default
# /tmp/fastpath-pytorch). The last lines compare fastpath with the better
# of PyTorch's two threading configurations (see bench/pytorch_mlp.py).
# The machine may be shared: compare ratios measured in one run. PyTorch
# links the system OpenBLAS: bench/rival_kernels.sh sets OPENBLAS_CORETYPE
# to its best kernels for this CPU (the machines here pin it to AVX2 in the
# environment), and pytorch_mlp.py prints the core OpenBLAS reports.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/rival_kernels.sh
. bench/rival_kernels.sh
threads=("${@:-1 2}")
read -r -a threads <<<"${threads[*]}"
samples=${SAMPLES:-5}
nets=${NETS:-784-1000-1000-10,784-4000-4000-10}
out=${OUT_DIR:-/tmp/fastpath-pytorch}
# shellcheck source=bench/torch_python.sh
. bench/torch_python.sh
mkdir -p "$out"
go build -o "$out/fastpath" ./cmd/fastpath
# shellcheck source=bench/core_check.sh
. bench/core_check.sh
: >"$out/fastpath.csv"
: >"$out/pytorch.txt"
: >"$out/probe.txt"
for t in "${threads[@]}"; do
  echo "=== threads=$t $(date -u +%FT%TZ)"
  probe_cores "$out/fastpath" "$t" "$out/probe.txt"
  "$out/fastpath" bench -train -threads "$t" -samples "$samples" -nets "$nets" -csv "$out/fastpath-$t.csv" 2>/dev/null
  tail -n +2 "$out/fastpath-$t.csv" >>"$out/fastpath.csv"
  "$py" bench/pytorch_mlp.py --threads "$t" --samples "$samples" --nets "$nets" | tee -a "$out/pytorch.txt"
done
echo "=== fastpath / PyTorch (PyTorch: the better threading configuration)"
awk -F, 'NR == FNR { fp[$1 "," $3] = $4; next }
  /^impl=pytorch/ {
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    k = v["net"] "," v["threads"]
    if (v["examples_per_s"] > best[k]) { best[k] = v["examples_per_s"]; cfg[k] = v["config"] }
  }
  END {
    for (k in best) if (k in fp) {
      split(k, p, ",")
      printf "net=%s threads=%s fastpath_examples_per_s=%.0f pytorch_examples_per_s=%.0f pytorch_config=%s ratio=%.2f\n",
        p[1], p[2], fp[k], best[k], cfg[k], fp[k] / best[k]
    }
  }' "$out/fastpath.csv" FS=' ' "$out/pytorch.txt" | sort
warn_withheld "$out/probe.txt"
