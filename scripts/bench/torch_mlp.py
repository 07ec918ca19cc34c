#!/usr/bin/env python3
"""The PyTorch CPU anchor of scripts/bench.sh: the same 784-256-128-10 relu / softmax cross-entropy MLP, Adam
(lr 1e-3), min-max scaled Fashion-MNIST and batch as the JVM run, in PyTorch's default float32 (or float64).

Usage: torch_mlp.py BATCH SECONDS THREADS [DTYPE] [DATA_DIR]. Prints
"torch batch=<B> threads=<T> dtype=<D> samples_per_s=<x>".
Timed as numpy_mlp.py (torch_timing.py): shuffled gather, forward, backward and the Adam step, after 2 s of
warm-up; loading is not timed; the best of three windows of SECONDS/3 (outside load only slows a window down).
"""
import sys

import torch

import torch_timing


def main():
    batch = int(sys.argv[1])
    seconds = float(sys.argv[2])
    threads = int(sys.argv[3])
    dtype = sys.argv[4] if len(sys.argv) > 4 else "float32"
    root = sys.argv[5] if len(sys.argv) > 5 else torch_timing.DATA_DIR
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    dt = {"float32": torch.float32, "float64": torch.float64}[dtype]
    x, y = torch_timing.fashion_mnist(root, dt)

    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                              torch.nn.ReLU(), torch.nn.Linear(128, 10)).to(dt)
    step = torch_timing.adam_step(net, x, y, batch)
    best = torch_timing.best_samples_per_second(step, batch, warmup=2.0, seconds=seconds, windows=3)
    print(f"torch batch={batch} threads={threads} dtype={dtype} samples_per_s={best:.0f}")


if __name__ == "__main__":
    main()
