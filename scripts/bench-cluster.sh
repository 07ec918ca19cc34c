#!/usr/bin/env bash
# The cluster step on this project's 2-worker standalone cluster (1 core each): an 8k-row MNIST-style LIBSVM
# file (the first 8,000 Fashion-MNIST training images, pixels / 255), a 784-256-10 network, batch 256,
# 2 partitions, trained with spark.protocol's default (auto), with driver and with barrier. Prints samples/s
# from each run's summary.json (whole epochs, job start-up included) and steady-state samples/s from its
# metrics.csv (rows × (epochs − 1) ÷ the time from the first epoch's end to the last's), and
#   ratio cluster-auto-vs-driver     the default ÷ the driver protocol (steady state)
#   ratio cluster-auto-vs-barrier    the default ÷ an explicit barrier protocol (steady state)
# An untimed one-epoch run goes first. The three runs must end with the same weights_sha256. Usage: scripts/bench-cluster.sh [EPOCHS] (default 20:
# a barrier run pays its job start once).
# Needs scripts/install-deps.sh's Fashion-MNIST package and the Maven build (it runs mvn install).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
epochs="${1:-20}"
work="${SPARKPROP_CLUSTER_DIR:-$root/.cluster}/bench"
cluster="$root/scripts/local-cluster.sh"
rm -rf "$work"
mkdir -p "$work"
trap '"$cluster" stop >/dev/null 2>&1 || true' EXIT

python3 - "$work/mnist-8k.libsvm" <<'PY'
import gzip, struct, sys
src = "/usr/share/datasets/fashion-mnist/"
with gzip.open(src + "train-images-idx3-ubyte.gz") as f:
    _, n, rows, cols = struct.unpack(">IIII", f.read(16))
    pixels = f.read(8000 * rows * cols)
with gzip.open(src + "train-labels-idx1-ubyte.gz") as f:
    f.read(8)
    labels = f.read(8000)
with open(sys.argv[1], "w") as out:
    d = rows * cols
    for r in range(8000):
        img = pixels[r * d:(r + 1) * d]
        feats = " ".join(f"{i + 1}:{v / 255:.6g}" for i, v in enumerate(img) if v)
        out.write(f"{labels[r]} {feats}\n")
PY
mvn -q -B ${MVN_FLAGS:-} install -DskipTests
"$cluster" start --workers 2 --cores 1 --memory 2g >/dev/null
args=(train --set "data.train=$work/mnist-8k.libsvm" --set data.format=libsvm --set data.num-features=784
      --set data.validation-fraction=0 --set data.scale=none --set "model.hidden=[256]" --set train.batch-size=256
      --set spark.partitions=2 --set "train.epochs=$epochs" --set optimizer.learning-rate=0.001)
declare -A sps steady sha
# The first application on a fresh cluster also pays for its cold start (executor JVMs reading the jars from
# disk): one untimed epoch first, so the run measured first (auto) is not penalised for going first.
scripts/submit.sh "${args[@]}" --set train.epochs=1 --out "$work/warm-up" >"$work/warm-up.log" 2>&1 \
  || { tail -20 "$work/warm-up.log"; exit 1; }
for proto in auto driver barrier; do
  extra=()
  [[ $proto != auto ]] && extra=(--set "spark.protocol=$proto")
  scripts/submit.sh "${args[@]}" "${extra[@]}" --out "$work/$proto" >"$work/$proto.log" 2>&1 \
    || { tail -20 "$work/$proto.log"; exit 1; }
  read -r sps[$proto] sha[$proto] used why < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(round(s["samples_per_second"]), s["weights_sha256"], s["spark_protocol"], repr(s["spark_protocol_reason"]))' \
    "$work/$proto/summary.json")
  steady[$proto]="$(python3 -c '
import csv, sys
t = [float(r["elapsed_seconds"]) for r in csv.DictReader(open(sys.argv[1]))]
print(round(8000 * (len(t) - 1) / (t[-1] - t[0])))' "$work/$proto/metrics.csv")"
  echo "cluster protocol=$proto used=$used reason=$why samples_per_s=${sps[$proto]} steady_samples_per_s=${steady[$proto]}"
done
[[ "${sha[auto]}" == "${sha[driver]}" && "${sha[auto]}" == "${sha[barrier]}" ]] \
  || { echo "bench-cluster: weights differ between protocols: ${sha[*]}" >&2; exit 1; }
echo "cluster weights_sha256 equal for all three runs: ${sha[auto]}"
awk -v a="${steady[auto]}" -v d="${steady[driver]}" -v b="${steady[barrier]}" \
  'BEGIN { printf "ratio cluster-auto-vs-driver=%.2f\nratio cluster-auto-vs-barrier=%.2f\n", a / d, a / b }'
