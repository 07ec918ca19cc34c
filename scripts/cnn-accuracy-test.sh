#!/usr/bin/env bash
# The convolutional network's accuracy goal: conf/fashion-mnist-cnn.conf (10 epochs, Adam with a
# cosine schedule, batch 128, float32) trained through the CLI on the Spark engine, local[2], must reach a test
# accuracy of at least CNN_MIN_ACCURACY (default 0.915), read from the run's summary.json. Prints each epoch's
# progress line, the test accuracy and the wall time (about 6 minutes on 2 idle cores; longer on a busy machine).
# Environment: CNN_MIN_ACCURACY, CNN_OUT (the run directory, default runs/cnn-accuracy).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
min="${CNN_MIN_ACCURACY:-0.915}"
out="${CNN_OUT:-runs/cnn-accuracy}"
rm -rf "$out"
start=$(date +%s)
scripts/sparkprop train --config conf/fashion-mnist-cnn.conf --master 'local[2]' --out "$out"
wall=$(($(date +%s) - start))
python3 - "$out/summary.json" "$min" "$wall" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
acc, goal, wall = s.get("test_accuracy"), float(sys.argv[2]), sys.argv[3]
print(f"cnn-accuracy-test: test_accuracy={acc} (goal >= {goal}), train_seconds={s.get('train_seconds', 0):.0f}, "
      f"wall {wall} s")
sys.exit(0 if acc is not None and acc >= goal else 1)
PY
