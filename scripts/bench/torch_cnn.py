#!/usr/bin/env python3
"""The PyTorch CPU anchor of `cnn-vs-torch-fp32` in scripts/bench.sh: conf/fashion-mnist-cnn.conf's network
(conv2d 32 3x3 same relu, max-pool 2, conv2d 64 3x3 relu, max-pool 2, flatten, dense 128 relu, dropout 0.3,
softmax 10), Adam (lr 1e-3), min-max scaled Fashion-MNIST as (1, 28, 28) images, float32.

Usage: torch_cnn.py BATCH SECONDS THREADS[,THREADS...] [DATA_DIR]. For each thread count, in the order given,
prints "torch-cnn batch=<B> threads=<T> dtype=float32 samples_per_s=<x>".
Timed as torch_mlp.py (torch_timing.py): shuffled gather, forward, backward and the Adam step; loading is not
timed; per thread count 1 s of warm-up, then the best of two windows of SECONDS/2 (outside load only slows a
window down).
"""
import sys

import torch

import torch_timing


def main():
    batch = int(sys.argv[1])
    seconds = float(sys.argv[2])
    thread_counts = [int(t) for t in sys.argv[3].split(",")]
    root = sys.argv[4] if len(sys.argv) > 4 else torch_timing.DATA_DIR
    torch.manual_seed(42)
    x, y = torch_timing.fashion_mnist(root, torch.float32)
    x = x.reshape(-1, 1, 28, 28).contiguous()

    nn = torch.nn
    net = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(64 * 6 * 6, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    net.train()
    step = torch_timing.adam_step(net, x, y, batch)
    for threads in thread_counts:
        torch.set_num_threads(threads)
        best = torch_timing.best_samples_per_second(step, batch, warmup=1.0, seconds=seconds, windows=2)
        print(f"torch-cnn batch={batch} threads={threads} dtype=float32 samples_per_s={best:.0f}", flush=True)


if __name__ == "__main__":
    main()
