#!/usr/bin/env bash
# The Python package's test suite: builds jar and wheel (scripts/build-python.sh), installs the wheel with
# pyspark 4.1.0 (the pom's spark.version, with its ML and Spark Connect client extras) and pytest, and runs
# python/tests against the installed package (local[2], a few minutes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/build-python.sh
python3 -m pip install -q "pyspark[ml,connect]==4.1.0" "pytest==9.2.0"
wheel=(python/dist/sparkprop-*.whl)
python3 -m pip install -q "${wheel[0]}[connect,test]"
# The version number does not change between builds: reinstall the package itself, leaving its dependencies.
python3 -m pip install -q --force-reinstall --no-deps "${wheel[0]}"
python3 -m pytest -q python/tests "$@"
