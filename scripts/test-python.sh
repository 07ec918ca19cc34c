#!/usr/bin/env bash
# The Python package's test suite: builds jar and wheel (scripts/build-python.sh), installs the wheel with
# pyspark 4.1.0 (the pom's spark.version, with its ML and Spark Connect client extras) and pytest, and runs
# python/tests against the installed package (local[2], a few minutes). Arguments go to pytest.
# It installs into the python3 on the PATH; where that is the system's (PEP 668: "externally-managed-environment"),
# use a virtual environment, or set PIP_BREAK_SYSTEM_PACKAGES=1 as .ci/run does on its throwaway machine.
# SPARKPROP_SKIP_MVN and SPARKPROP_MVN_ARGS: see scripts/build-python.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PIP_DISABLE_PIP_VERSION_CHECK=1
scripts/build-python.sh
python3 -m pip install -q "pyspark[ml,connect]==4.1.0" "pytest==9.2.0"
wheel=(python/dist/sparkprop-*.whl)
python3 -m pip install -q "${wheel[0]}[connect,test]"
# The version number does not change between builds: reinstall the package itself, leaving its dependencies.
python3 -m pip install -q --force-reinstall --no-deps "${wheel[0]}"
python3 -m pytest -q python/tests "$@"
