#!/usr/bin/env python3
"""The numpy reference of scripts/bench.sh: a from-scratch 784-256-128-10 relu / softmax cross-entropy MLP
trained with Adam on Fashion-MNIST, float64, the same min-max scaling and batch as the JVM run.

Usage: numpy_mlp.py BATCH SECONDS [DATA_DIR]. Prints "numpy batch=<B> threads=<T> samples_per_s=<x>".
Timed: shuffled gather, forward, backward and the Adam step, after 2 s of warm-up; loading is not timed.
The result is the best of three windows of SECONDS/3 (as the JVM harness does: outside load only slows down).
numpy's BLAS uses every core unless OPENBLAS_NUM_THREADS says otherwise (bench.sh leaves it unset here).
"""
import os
import sys
import time

import numpy as np

import fmnist


def main():
    batch = int(sys.argv[1])
    seconds = float(sys.argv[2])
    root = sys.argv[3] if len(sys.argv) > 3 else fmnist.DATA_DIR
    x, y = fmnist.scaled_train(root)
    n = x.shape[0]

    rng = np.random.default_rng(42)
    sizes = [784, 256, 128, 10]
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        params += [rng.normal(0.0, np.sqrt(2.0 / a), (a, b)), np.zeros(b)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-8
    eye = np.eye(10)

    def step(xb, yb, t):
        w1, c1, w2, c2, w3, c3 = params
        z1 = xb @ w1 + c1
        h1 = np.maximum(z1, 0.0)
        z2 = h1 @ w2 + c2
        h2 = np.maximum(z2, 0.0)
        z3 = h2 @ w3 + c3
        z3 -= z3.max(axis=1, keepdims=True)
        e = np.exp(z3)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.log(p[np.arange(len(yb)), yb] + 1e-300).sum()
        d3 = (p - eye[yb]) / len(yb)
        g = [None] * 6
        g[4] = h2.T @ d3
        g[5] = d3.sum(axis=0)
        d2 = (d3 @ w3.T) * (z2 > 0)
        g[2] = h1.T @ d2
        g[3] = d2.sum(axis=0)
        d1 = (d2 @ w2.T) * (z1 > 0)
        g[0] = xb.T @ d1
        g[1] = d1.sum(axis=0)
        c_1 = 1 - b1 ** t
        c_2 = 1 - b2 ** t
        for i in range(6):
            m[i] *= b1
            m[i] += (1 - b1) * g[i]
            v[i] *= b2
            v[i] += (1 - b2) * g[i] * g[i]
            params[i] -= lr * (m[i] / c_1) / (np.sqrt(v[i] / c_2) + eps)
        return loss

    state = {"t": 0, "perm": rng.permutation(n), "pos": 0}

    def window(length):
        rows = 0
        start = time.perf_counter()
        while time.perf_counter() - start < length:
            if state["pos"] + batch > n:
                state["perm"], state["pos"] = rng.permutation(n), 0
            idx_b = state["perm"][state["pos"]:state["pos"] + batch]
            state["pos"] += batch
            state["t"] += 1
            step(x[idx_b], y[idx_b], state["t"])
            rows += batch
        return rows / (time.perf_counter() - start)

    window(2.0)
    best = max(window(seconds / 3) for _ in range(3))
    print("numpy batch=%d threads=%s samples_per_s=%.0f" % (
        batch, os.environ.get("OPENBLAS_NUM_THREADS", "all"), best))


if __name__ == "__main__":
    main()
