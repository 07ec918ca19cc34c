#!/usr/bin/env bash
# Installs the Debian packages sparkprop uses beyond Java and Maven, if they are missing:
#   libopenblas0-pthread   native BLAS for the `blas` backend (dev.ludovic.netlib loads it through JNI)
#   dataset-fashion-mnist  the Fashion-MNIST IDX files under /usr/share/datasets/fashion-mnist/
#   python3-pip            only when python3 has no pip: scripts/test-python.sh pip-installs the pinned pyspark
#   python3-venv           only when python3 -m venv cannot bootstrap pip (no ensurepip): scripts/test-python.sh
#                          --spark-line 3.5 makes a virtual environment
# Needs root (or sudo). Safe to run again: it does nothing when everything is there.
set -euo pipefail
wanted=(libopenblas0-pthread dataset-fashion-mnist)
missing=()
for p in "${wanted[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
[[ ${#missing[@]} -eq 0 ]] && exit 0
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
