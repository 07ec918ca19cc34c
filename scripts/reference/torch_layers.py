#!/usr/bin/env python3
"""Reference values for the model.layers layer types, computed by PyTorch in float64.

For each case (one layer type, or several stacked) a network of those layers plus a dense output layer (logits)
with softmax cross-entropy is built from fixed weights. Written: the flat parameters in sparkprop's order
(docs/layers.md: conv2d W is PyTorch's (F, C, k, k) weight row-major, dense W is (out x in) column-major, i.e.
PyTorch's (out, in) weight transposed), the inputs and class targets, the summed loss, the softmax outputs, the
gradients of the summed loss with respect to the inputs and the parameters, and the parameters after one Adam
step (lr 0.01, betas (0.9, 0.999), eps 1e-8) on the mean gradient. A batch-norm layer's four vectors (gamma, beta,
running mean, running variance) sit in the flat order as its "bias"; the forward pass runs in training mode, so
"adam_params" holds the running statistics after it, and "eval_predictions" are the softmax outputs in evaluation
mode (running statistics) after the step. LayerTorchReferenceTest compares the Java engine with these within 1e-9.

Usage: torch_layers.py [OUTPUT]   (default trainer/src/test/resources/reference/layers-torch.json)
Needs torch and numpy; not run in CI (the JSON is checked in).
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
ROWS = 3
CLASSES = 3

# name, input shape [C, H, W], layers as model.layers spells them (activations given explicitly)
CASES = [
    ("conv2d same", [2, 5, 5], [
        {"type": "conv2d", "filters": 3, "kernel": 3, "stride": 1, "padding": 1, "activation": "tanh"},
        {"type": "flatten"}]),
    ("conv2d stride 2 padding 1", [2, 5, 6], [
        {"type": "conv2d", "filters": 2, "kernel": 3, "stride": 2, "padding": 1, "activation": "relu"},
        {"type": "flatten"}]),
    ("max-pool", [2, 4, 5], [{"type": "max-pool", "size": 2, "stride": 2}, {"type": "flatten"}]),
    ("avg-pool", [2, 5, 4], [{"type": "avg-pool", "size": 2, "stride": 1}, {"type": "flatten"}]),
    ("flatten", [2, 3, 2], [{"type": "flatten"}]),
    ("dense", [6, 1, 1], [{"type": "dense", "units": 4, "activation": "sigmoid"}]),
    ("stacked", [2, 6, 6], [
        {"type": "conv2d", "filters": 3, "kernel": 3, "stride": 1, "padding": 1, "activation": "relu"},
        {"type": "max-pool", "size": 2, "stride": 2},
        {"type": "conv2d", "filters": 4, "kernel": 2, "stride": 1, "padding": 0, "activation": "tanh"},
        {"type": "avg-pool", "size": 2, "stride": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 5, "activation": "tanh"}]),
    ("batch-norm 2d", [2, 3, 3], [{"type": "batch-norm", "momentum": 0.1, "epsilon": 1e-5}, {"type": "flatten"}]),
    ("batch-norm 1d", [5, 1, 1], [{"type": "batch-norm", "momentum": 0.3, "epsilon": 1e-3}]),
    ("batch-norm stacked", [2, 5, 5], [
        {"type": "conv2d", "filters": 3, "kernel": 3, "stride": 1, "padding": 1, "activation": "relu"},
        {"type": "batch-norm", "momentum": 0.1, "epsilon": 1e-5},
        {"type": "max-pool", "size": 2, "stride": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 4, "activation": "tanh"},
        {"type": "batch-norm", "momentum": 0.2, "epsilon": 1e-5}]),
    # appended after the older cases, so their seeds (the case's index) and values stay as they were
    ("layer-norm", [6, 1, 1], [{"type": "layer-norm", "epsilon": 1e-5}]),
    ("layer-norm image", [2, 3, 3], [
        {"type": "conv2d", "filters": 2, "kernel": 3, "stride": 1, "padding": 1, "activation": "tanh"},
        {"type": "layer-norm", "epsilon": 1e-3}, {"type": "flatten"}]),
    ("embedding", [6, 1, 1], [{"type": "embedding", "dim": 3}]),
    ("embedding stacked", [6, 1, 1], [
        {"type": "embedding", "dim": 2}, {"type": "dense", "units": 5, "activation": "tanh"},
        {"type": "layer-norm", "epsilon": 1e-5}]),
]

# the embedding cases' categorical columns: features 1 and 4, of 3 and 2 categories (codes 3 and 2: unseen)
CATEGORICAL = {"slots": [1, 4], "cardinalities": [3, 2]}

ACT = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid, "identity": lambda z: z}


def shapes_and_params(shape, layers, rng):
    """The weights (PyTorch layout, leaf tensors) of each weighted layer, output layer last."""
    params = []
    c, h, w = shape
    for l in layers:
        t = l["type"]
        if t == "conv2d":
            k, s, p, f = l["kernel"], l["stride"], l["padding"], l["filters"]
            params.append((rng.uniform(-0.5, 0.5, (f, c, k, k)), rng.uniform(-0.2, 0.2, f)))
            c, h, w = f, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        elif t in ("max-pool", "avg-pool"):
            k, s = l["size"], l["stride"]
            h, w = (h - k) // s + 1, (w - k) // s + 1
        elif t == "flatten":
            c, h, w = c * h * w, 1, 1
        elif t == "dense":
            params.append((rng.uniform(-0.5, 0.5, (l["units"], c)), rng.uniform(-0.2, 0.2, l["units"])))
            c = l["units"]
        elif t == "batch-norm":
            # gamma, beta (parameters), running mean and variance (buffers, not leaves of the gradient)
            params.append((rng.uniform(0.5, 1.5, c), rng.uniform(-0.2, 0.2, c), rng.uniform(-0.3, 0.3, c),
                           rng.uniform(0.5, 1.5, c)))
        elif t == "layer-norm":
            params.append((rng.uniform(0.5, 1.5, (c, h, w)), rng.uniform(-0.2, 0.2, (c, h, w))))
        elif t == "embedding":
            tables = [rng.normal(0, 1, (k + 1, l["dim"])) for k in CATEGORICAL["cardinalities"]]
            params.append((np.concatenate(tables), None))
            q = len(tables)
            c = c - q + q * l["dim"]
    params.append((rng.uniform(-0.5, 0.5, (CLASSES, c * h * w)), rng.uniform(-0.2, 0.2, CLASSES)))
    return [tuple(None if v is None else torch.tensor(v, requires_grad=i < 2) for i, v in enumerate(p))
            for p in params]


def forward(x, layers, params, training=True):
    i = 0
    a = x
    for l in layers:
        t = l["type"]
        if t == "conv2d":
            W, b = params[i]
            i += 1
            a = ACT[l["activation"]](F.conv2d(a, W, b, stride=l["stride"], padding=l["padding"]))
        elif t == "max-pool":
            a = F.max_pool2d(a, l["size"], l["stride"])
        elif t == "avg-pool":
            a = F.avg_pool2d(a, l["size"], l["stride"])
        elif t == "flatten":
            a = a.reshape(a.shape[0], -1)
        elif t == "dense":
            W, b = params[i]
            i += 1
            a = ACT[l["activation"]](a.reshape(a.shape[0], -1) @ W.t() + b)
        elif t == "batch-norm":
            g, b, mean, var = params[i]
            i += 1
            # per channel of (N, C, H, W), per feature of (N, C); updates mean and var in place when training
            a = F.batch_norm(a, mean, var, g, b, training=training, momentum=l["momentum"], eps=l["epsilon"])
        elif t == "layer-norm":
            W, b = params[i]
            i += 1
            a = F.layer_norm(a, tuple(a.shape[1:]), W.reshape(a.shape[1:]), b.reshape(a.shape[1:]), l["epsilon"])
        elif t == "embedding":
            W, _ = params[i]
            i += 1
            a = a.reshape(a.shape[0], -1)
            slots, parts, base = CATEGORICAL["slots"], [], 0
            for s, k in zip(slots, CATEGORICAL["cardinalities"]):
                parts.append(F.embedding(a[:, s].long(), W[base:base + k + 1]))
                base += k + 1
            parts.append(a[:, [f for f in range(a.shape[1]) if f not in slots]])
            a = torch.cat(parts, 1)
    W, b = params[i]
    return a.reshape(a.shape[0], -1) @ W.t() + b


def flat(tensors):
    """sparkprop's flat order: per weighted layer, W then b; a dense W as (out x in) column-major; conv2d, layer-norm
    (gamma, beta) and embedding (the tables one after another, no b) row-major as PyTorch holds them; batch-norm's
    four vectors in turn."""
    out = []
    for ts, conv in tensors:
        if len(ts) == 4:
            for t in ts:
                out.extend(t.reshape(-1).tolist())
            continue
        W, b = ts
        out.extend((W.reshape(-1) if conv else W.t().reshape(-1)).tolist())
        if b is not None:
            out.extend(b.reshape(-1).tolist())
    return out


def case(name, shape, layers, seed):
    rng = np.random.default_rng(seed)
    params = shapes_and_params(shape, layers, rng)
    weighted = ("conv2d", "dense", "batch-norm", "layer-norm", "embedding")
    conv = [l["type"] != "dense" for l in layers if l["type"] in weighted] + [False]
    embeds = layers[0]["type"] == "embedding"
    norm = any(l["type"] == "batch-norm" for l in layers)
    # before the forward pass, which moves batch-norm's running statistics in place
    before = flat(list(zip([tuple(None if t is None else t.detach().clone() for t in p) for p in params], conv)))
    values = rng.uniform(-1, 1, [ROWS] + shape)
    if embeds:  # codes 0..cardinality in the categorical slots, the last being the unseen-category row
        for s, k in zip(CATEGORICAL["slots"], CATEGORICAL["cardinalities"]):
            values[:, s, 0, 0] = [r % (k + 1) for r in range(ROWS)]
    x = torch.tensor(values, requires_grad=True)
    y = torch.tensor(rng.integers(0, CLASSES, ROWS))
    logits = forward(x, layers, params)
    loss = F.cross_entropy(logits, y, reduction="sum")
    loss.backward()
    grads = [tuple(None if t is None else t.grad.clone() if t.requires_grad else torch.zeros_like(t) for t in p)
             for p in params]
    leaves = [t for p in params for t in p if t is not None and t.requires_grad]
    opt = torch.optim.Adam(leaves, lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    for t in leaves:
        t.grad /= ROWS  # the step uses the mean gradient, as sparkprop's updater does
    opt.step()
    extra = {}
    if norm:
        with torch.no_grad():
            extra["eval_predictions"] = torch.softmax(forward(x, layers, params, False), 1).reshape(-1).tolist()
    return extra | {
        "name": name,
        "input_shape": shape,
        "layers": layers,
        "x": x.detach().reshape(-1).tolist(),
        "y": y.tolist(),
        "params": before,
        "loss": loss.item(),
        "predictions": torch.softmax(logits, 1).detach().reshape(-1).tolist(),
        "input_grad": x.grad.reshape(-1).tolist(),
        "grad": flat(list(zip(grads, conv))),
        "adam_params": flat(list(zip([tuple(None if t is None else t.detach() for t in p) for p in params], conv))),
    } | ({"categorical": CATEGORICAL} if embeds else {})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "trainer",
                                                               "src", "test", "resources", "reference",
                                                               "layers-torch.json")
    cases = [case(n, s, l, seed) for seed, (n, s, l) in enumerate(CASES)]
    doc = {"generator": "scripts/reference/torch_layers.py", "torch": torch.__version__, "classes": CLASSES,
           "adam": {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, "cases": cases}
    assert all(math.isfinite(c["loss"]) for c in cases)
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", out, len(cases), "cases")


if __name__ == "__main__":
    main()
