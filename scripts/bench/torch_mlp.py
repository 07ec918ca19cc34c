#!/usr/bin/env python3
"""The PyTorch CPU anchor of scripts/bench.sh: the same 784-256-128-10 relu / softmax cross-entropy MLP, Adam
(lr 1e-3), min-max scaled Fashion-MNIST and batch as the JVM run, in PyTorch's default float32 (or float64).

Usage: torch_mlp.py BATCH SECONDS THREADS [DTYPE] [DATA_DIR]. Prints
"torch batch=<B> threads=<T> dtype=<D> samples_per_s=<x>".
Timed as numpy_mlp.py: shuffled gather, forward, backward and the Adam step, after 2 s of warm-up; loading
is not timed; the best of three windows of SECONDS/3 (outside load only slows a window down).
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
    threads = int(sys.argv[3])
    dtype = sys.argv[4] if len(sys.argv) > 4 else "float32"
    root = sys.argv[5] if len(sys.argv) > 5 else "/usr/share/datasets/fashion-mnist"
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    dt = {"float32": torch.float32, "float64": torch.float64}[dtype]
    x = idx(os.path.join(root, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float64)
    y = idx(os.path.join(root, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    x = torch.from_numpy((x - lo) / span).to(dt)
    y = torch.from_numpy(y)
    n = x.shape[0]

    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                              torch.nn.ReLU(), torch.nn.Linear(128, 10)).to(dt)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
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

    window(2.0)
    best = max(window(seconds / 3) for _ in range(3))
    print(f"torch batch={batch} threads={threads} dtype={dtype} samples_per_s={best:.0f}")


if __name__ == "__main__":
    main()
