"""Fashion-MNIST as the reference scripts (numpy_mlp.py, torch_mlp.py, torch_cnn.py) read it: the training
images as (n, 784) float64 rows min-max scaled per pixel (as the JVM run's data.scale = auto does), and labels.
numpy only, so the numpy reference needs no torch.
"""
import gzip
import os

import numpy as np

DATA_DIR = "/usr/share/datasets/fashion-mnist"


def idx(path):
    """An IDX file (gzip) as a uint8 array of its shape."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def scaled_train(root=DATA_DIR):
    """(x, y): x (n, 784) float64 in [0, 1] per pixel's min and max over the set, y int64 labels."""
    x = idx(os.path.join(root, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float64)
    y = idx(os.path.join(root, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    return (x - lo) / span, y
