#!/usr/bin/env python3
"""PyTorch twin of fastpath's rnn benchmarks (go test -bench . ./rnn).

Times forward + backward (and, with --step, an SGD update) of a single-layer
ReLU RNN, torch.nn.RNN(nonlinearity='relu'), with a linear read-out of the
last step and softmax cross-entropy: the sequential-MNIST shapes (input 1,
T = 784 steps, 10 classes) for each hidden size, batch and thread count.
Prints one key=value line per configuration; ms_per_step is the median of
--samples timed batches after --warmup untimed ones.

  python3 bench/pytorch_rnn.py                      # the default grid
  python3 bench/pytorch_rnn.py --hidden 100 --batch 16 --threads 1,2

Written for PyTorch 1.13 on CPU (python3-torch on Debian 12).
"""
import argparse
import statistics
import time

import torch


def ints(s):
    return [int(v) for v in s.split(",") if v]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hidden", type=ints, default=[100, 250, 500, 1000])
    p.add_argument("--batch", type=ints, default=[16, 32, 64, 128])
    p.add_argument("--threads", type=ints, default=[1, 2])
    p.add_argument("--steps", type=int, default=784)
    p.add_argument("--samples", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--step", action="store_true", help="also time an SGD update (momentum 0.9) per batch")
    a = p.parse_args()

    torch.manual_seed(1)
    print(f"impl=pytorch version={torch.__version__} max_threads={torch.get_num_threads()}")
    for threads in a.threads:
        torch.set_num_threads(threads)
        for hidden in a.hidden:
            for batch in a.batch:
                rnn = torch.nn.RNN(input_size=1, hidden_size=hidden, nonlinearity="relu")
                out = torch.nn.Linear(hidden, 10)
                params = list(rnn.parameters()) + list(out.parameters())
                opt = torch.optim.SGD(params, lr=1e-4, momentum=0.9)
                x = torch.rand(a.steps, batch, 1)
                y = torch.randint(0, 10, (batch,))
                loss_fn = torch.nn.CrossEntropyLoss()

                def one():
                    opt.zero_grad(set_to_none=True)
                    h, _ = rnn(x)
                    loss = loss_fn(out(h[-1]), y)
                    loss.backward()
                    if a.step:
                        torch.nn.utils.clip_grad_norm_(params, 10.0)
                        opt.step()

                for _ in range(a.warmup):
                    one()
                times = []
                for _ in range(a.samples):
                    t0 = time.perf_counter()
                    one()
                    times.append(time.perf_counter() - t0)
                ms = 1000 * statistics.median(times)
                flops = 3 * 2 * batch * hidden * (hidden + 1) * a.steps
                print(f"impl=pytorch threads={threads} hidden={hidden} batch={batch} T={a.steps} "
                      f"step={int(a.step)} ms_per_step={ms:.2f} gflops={flops / ms / 1e6:.2f}", flush=True)


if __name__ == "__main__":
    main()
