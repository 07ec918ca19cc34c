"""What torch_mlp.py and torch_cnn.py share: Fashion-MNIST read and min-max scaled as the JVM run reads it, one
Adam training step on a shuffled batch, and the timing of those steps (best window of several, after a warm-up).

Loading is not timed. A window runs steps until its length has passed (and at least one step) and reports
samples/s over that window; outside load only slows a window down, so the best window is the estimate.
"""
import time

import torch

import fmnist

DATA_DIR = fmnist.DATA_DIR


def fashion_mnist(root, dtype):
    """The training images as (n, 784) rows min-max scaled per pixel (as data.scale = auto does), and labels."""
    x, y = fmnist.scaled_train(root)
    return torch.from_numpy(x).to(dtype), torch.from_numpy(y)


def adam_step(net, x, y, batch):
    """A function taking one training step: the next batch of a reshuffled-per-epoch order, forward, softmax
    cross-entropy, backward and Adam (lr 1e-3)."""
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x.shape[0]
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

    return step


def window(step, batch, secs):
    """Samples/s of the steps run in one window of secs seconds."""
    steps = 0
    start = time.perf_counter()
    while True:
        now = time.perf_counter()
        if now - start > secs and steps > 0:
            return steps * batch / (now - start)
        step()
        steps += 1


def best_samples_per_second(step, batch, warmup, seconds, windows):
    """warmup seconds of untimed steps, then the best of `windows` windows of seconds / windows each."""
    window(step, batch, warmup)
    return max(window(step, batch, seconds / windows) for _ in range(windows))
