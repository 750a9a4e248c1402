#!/usr/bin/env python3
"""PyTorch's training throughput on fastpath's MNIST networks, for comparison.

Times full training steps (forward, softmax cross-entropy, backward, SGD with
momentum) of fully connected ReLU networks on one fixed synthetic
MNIST-shaped batch (uniform [0, 1) features, random labels), the same
measurement as `fastpath bench -train`: after a warm-up, several timed
windows of about --window seconds, and the median examples/s. One line per
network, thread count and threading configuration, in key=value form:

    impl=pytorch config=blas net=784-4000-4000-10 batch=100 threads=2 omp_threads=1 examples_per_s=655.3 ...

Usage (Debian: apt-get install -y python3-torch):

    python3 bench/pytorch_mlp.py --threads 1 2
    bench/compare_pytorch.sh 1 2     # fastpath and PyTorch in one run
"""

import argparse
import ctypes
import re
import statistics
import sys
import time

import torch
from torch import nn


def build(sizes):
    """nn.Sequential of Linear layers with ReLU between them (not after the last)."""
    layers = []
    for i in range(1, len(sizes)):
        layers.append(nn.Linear(sizes[i - 1], sizes[i]))
        if i < len(sizes) - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def measure(sizes, threads, omp_threads, batch, samples, window, seed=1):
    """Median examples/s of training steps, and the per-sample rates.

    The system BLAS runs the GEMMs on `threads` threads and PyTorch's own
    OpenMP pool (the elementwise operations, and the GEMMs of a PyTorch
    built with MKL) on `omp_threads`.
    """
    torch.set_num_threads(omp_threads)
    set_blas_threads(threads)
    torch.manual_seed(seed)
    model = build(sizes)
    opt = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch, sizes[0])
    y = torch.randint(0, sizes[-1], (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    # Warm up (allocator, thread pool, caches), then calibrate the window.
    for _ in range(3):
        step()
    t0 = time.perf_counter()
    step()
    one = time.perf_counter() - t0
    n = max(1, int(window / max(one, 1e-6)))
    rates = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        rates.append(n * batch / (time.perf_counter() - t0))
    return statistics.median(rates), rates


def blas_info():
    """The BLAS PyTorch was built with, from torch.__config__.show()."""
    m = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return m.group(1) if m else "unknown"


def loaded_blas():
    """The path of the BLAS library loaded into this process (Linux), or None.

    Debian's PyTorch calls the system BLAS (libblas.so.3, OpenBLAS by
    default), whose thread pool torch.set_num_threads does not size: without
    set_blas_threads, "1 thread" would run its GEMMs on every core.
    """
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if re.search(r"/lib(open)?blas[^/]*\.so", path):
                    return path
    except OSError:
        pass
    return None


def set_blas_threads(n):
    """Sizes the system BLAS's own thread pool (OpenBLAS or BLIS); returns how."""
    path = loaded_blas()
    if path is None:
        return "none-loaded"
    lib = ctypes.CDLL(path)
    for fn in ("openblas_set_num_threads", "bli_thread_set_num_threads"):
        if hasattr(lib, fn):
            getattr(lib, fn)(ctypes.c_int(n))
            return fn
    return "unknown"


def blas_core():
    """The kernel set the system BLAS runs (OpenBLAS's core name), or None."""
    path = loaded_blas()
    if path is None:
        return None
    lib = ctypes.CDLL(path)
    if not hasattr(lib, "openblas_get_corename"):
        return None
    lib.openblas_get_corename.restype = ctypes.c_char_p
    return lib.openblas_get_corename().decode()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts (torch.set_num_threads)")
    ap.add_argument("--nets", default="784-1000-1000-10,784-4000-4000-10",
                    help="comma-separated networks, layer sizes joined by dashes")
    ap.add_argument("--batch", type=int, default=100, help="mini-batch size")
    ap.add_argument("--samples", type=int, default=5, help="timed windows per figure (the median is reported)")
    ap.add_argument("--window", type=float, default=0.5, help="seconds per timed window")
    ap.add_argument("--plain-only", action="store_true",
                    help="measure torch.set_num_threads(N) only, not also N BLAS threads with 1 OpenMP thread")
    args = ap.parse_args(argv)
    try:
        nets = [[int(s) for s in net.split("-")] for net in args.nets.split(",") if net]
    except ValueError:
        ap.error("bad --nets %r (want layer sizes joined by dashes, such as 784-1000-1000-10)" % args.nets)
    if not nets or any(len(n) < 2 or min(n) < 1 for n in nets):
        ap.error("bad --nets %r" % args.nets)
    if args.batch < 1 or args.samples < 1 or min(args.threads) < 1 or not args.window > 0:
        ap.error("--batch, --samples, --threads and --window must be positive")
    torch.set_num_interop_threads(1)
    # A first GEMM loads the system BLAS, if PyTorch uses one.
    torch.ones(64, 64) @ torch.ones(64, 64)
    print("# torch %s, BLAS_INFO=%s, system BLAS %s (threads set by %s, core=%s), MKL-DNN %s"
          % (torch.__version__, blas_info(), loaded_blas(), set_blas_threads(1), blas_core(),
             torch.backends.mkldnn.is_available()),
          flush=True)
    system_blas = loaded_blas() is not None
    for t in args.threads:
        # torch.set_num_threads(t) is the plain setting. With a system BLAS
        # that has its own thread pool, PyTorch's OpenMP threads and the
        # BLAS threads then take turns on the cores, each pool spinning
        # while the other works, so the setting that leaves the
        # elementwise work on one thread and gives the GEMMs t threads is
        # measured too (config=blas); compare with the better of the two.
        configs = [("set_num_threads", t)]
        if system_blas and t > 1 and not args.plain_only:
            configs.append(("blas", 1))
        for sizes in nets:
            for name, omp in configs:
                med, rates = measure(sizes, t, omp, args.batch, args.samples, args.window)
                weights = sum(sizes[i - 1] * sizes[i] for i in range(1, len(sizes)))
                print("impl=pytorch config=%s net=%s batch=%d threads=%d omp_threads=%d examples_per_s=%.1f "
                      "ms_per_step=%.3f gflops=%.2f samples=%s"
                      % (name, "-".join(map(str, sizes)), args.batch, t, omp, med, 1e3 * args.batch / med,
                         6 * weights * med / 1e9, "/".join("%.0f" % r for r in rates)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
