#!/usr/bin/env bash
# The Python package's test suite: builds jars and wheel (scripts/build-python.sh), installs the wheel with the
# pyspark of a Spark line and pytest, and runs python/tests against the installed package (local[2], a few minutes).
#   scripts/test-python.sh [--spark-line LINE] [pytest arguments]
# The default line (Spark 4.1): pyspark 4.1.0 (the pom's spark.version) with its ML and Spark Connect client
# extras, installed into the python3 on the PATH; where that is the system's (PEP 668:
# "externally-managed-environment"), use a virtual environment, or set PIP_BREAK_SYSTEM_PACKAGES=1 as .ci/run does
# on its throwaway machine.
# --spark-line 3.5: pyspark 3.5.9 (the spark-3.5 profile's spark.version) with its ML extra (which caps numpy below
# 2), in a fresh virtual environment python/.venv-3.5 made by python3 -m venv (nothing else from the machine's
# Python); the wheel's [pyspark] extra must accept that pyspark as it is.
# SPARKPROP_SKIP_MVN and SPARKPROP_MVN_ARGS: see scripts/build-python.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=spark-line.sh
source scripts/spark-line.sh
line=""
if [[ "${1:-}" == "--spark-line" ]]; then
  [[ $# -ge 2 ]] || { echo "test-python: --spark-line needs a line ($(spark_line_names))" >&2; exit 2; }
  line="$2"
  shift 2
fi
spark_line_load "$line"
default_line="$(spark_line_names)"; default_line="${default_line%% *}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
scripts/build-python.sh
wheel=(python/dist/sparkprop-*.whl)
if [[ "$spark_line" == "$default_line" ]]; then
  python3 -m pip install -q "pyspark[ml,connect]==$spark_version" "pytest==9.2.0"
  python3 -m pip install -q "${wheel[0]}[connect,test]"
  # The version number does not change between builds: reinstall the package itself, leaving its dependencies.
  python3 -m pip install -q --force-reinstall --no-deps "${wheel[0]}"
  python3 -m pytest -q python/tests "$@"
else
  venv="python/.venv-$spark_line"
  rm -rf "$venv"
  python3 -m venv "$venv"
  # One resolution: pip fails here if the wheel's [pyspark] extra does not accept this pyspark.
  "$venv/bin/python" -m pip install -q "pyspark[ml]==$spark_version" "pytest==9.2.0" "${wheel[0]}[pyspark,test]"
  "$venv/bin/python" -m pytest -q python/tests "$@"
fi
