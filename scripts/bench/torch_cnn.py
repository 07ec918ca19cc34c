#!/usr/bin/env python3
"""The PyTorch CPU anchor of `cnn-vs-torch-fp32` in scripts/bench.sh: conf/fashion-mnist-cnn.conf's network
(conv2d 32 3x3 same relu, max-pool 2, conv2d 64 3x3 relu, max-pool 2, flatten, dense 128 relu, dropout 0.3,
softmax 10), Adam (lr 1e-3), min-max scaled Fashion-MNIST as (1, 28, 28) images, float32.

Usage: torch_cnn.py BATCH SECONDS THREADS[,THREADS...] [DATA_DIR]. For each thread count, in the order given,
prints "torch-cnn batch=<B> threads=<T> dtype=float32 samples_per_s=<x>".
Timed as torch_mlp.py: shuffled gather, forward, backward and the Adam step; loading is not timed; per thread
count 1 s of warm-up, then the best of two windows of SECONDS/2 (outside load only slows a window down).
"""
import gzip
import os
import sys
import time

import numpy as np
import torch


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    batch = int(sys.argv[1])
    seconds = float(sys.argv[2])
    thread_counts = [int(t) for t in sys.argv[3].split(",")]
    root = sys.argv[4] if len(sys.argv) > 4 else "/usr/share/datasets/fashion-mnist"
    torch.manual_seed(42)
    x = idx(os.path.join(root, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float64)
    y = idx(os.path.join(root, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    x = torch.from_numpy((x - lo) / span).to(torch.float32).reshape(-1, 1, 28, 28).contiguous()
    y = torch.from_numpy(y)
    n = x.shape[0]

    nn = torch.nn
    net = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(64 * 6 * 6, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    state = {"perm": torch.randperm(n), "pos": 0}

    def step():
        if state["pos"] + batch > n:
            state["perm"] = torch.randperm(n)
            state["pos"] = 0
        rows = state["perm"][state["pos"]:state["pos"] + batch]
        state["pos"] += batch
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[rows]), y[rows])
        loss.backward()
        opt.step()

    def window(secs):
        steps = 0
        start = time.perf_counter()
        while True:
            now = time.perf_counter()
            if now - start > secs and steps > 0:
                return steps * batch / (now - start)
            step()
            steps += 1

    for threads in thread_counts:
        torch.set_num_threads(threads)
        window(1.0)
        best = max(window(seconds / 2) for _ in range(2))
        print(f"torch-cnn batch={batch} threads={threads} dtype=float32 samples_per_s={best:.0f}", flush=True)


if __name__ == "__main__":
    main()
