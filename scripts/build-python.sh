#!/usr/bin/env bash
# Builds the Python package: the application jar (mvn package), copied into python/src/sparkprop/jars/, then
# the wheel in python/dist/. Prints the wheel's path and size; fails if the wheel reaches 100 MB.
# SPARKPROP_SKIP_MVN=1: reuse spark-job/target's jar as it is (no Maven run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ -z "${SPARKPROP_SKIP_MVN:-}" ]]; then
  mvn -B -ntp -q package -DskipTests
fi
jar=(spark-job/target/sparkprop-spark-job-*-app.jar)
[[ ${#jar[@]} -eq 1 && -f "${jar[0]}" ]] || { echo "build-python: no single application jar: ${jar[*]}" >&2; exit 1; }
unzip -tq "${jar[0]}" >/dev/null || { echo "build-python: ${jar[0]} is not a readable jar" >&2; exit 1; }
# The jar must be the thin one: pyspark brings Spark, and a second copy of it on the classpath breaks both.
if unzip -l "${jar[0]}" | grep -q ' org/apache/spark/'; then
  echo "build-python: ${jar[0]} contains Spark classes; expected the thin application jar" >&2
  exit 1
fi
rm -rf python/src/sparkprop/jars python/dist python/build python/src/*.egg-info
mkdir -p python/src/sparkprop/jars
cp "${jar[0]}" python/src/sparkprop/jars/
python3 -m pip wheel -q --no-deps -w python/dist ./python
rm -rf python/build python/src/*.egg-info
wheel=(python/dist/sparkprop-*.whl)
size=$(stat -c %s "${wheel[0]}")
echo "wheel: ${wheel[0]} ($((size / 1024)) KiB)"
if (( size >= 100 * 1024 * 1024 )); then
  echo "build-python: the wheel is ${size} bytes, over the 100 MB limit" >&2
  exit 1
fi
