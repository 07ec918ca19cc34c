#!/usr/bin/env bash
# Builds the Python package: the application jar (mvn package), copied into python/src/sparkprop/jars/, then
# the wheel in python/dist/. Prints the wheel's path and size; fails if the wheel reaches 100 MB.
# SPARKPROP_SKIP_MVN=1: reuse spark-job/target's jar as it is (no Maven run), e.g. right after `mvn verify`.
# SPARKPROP_MVN_ARGS: extra Maven arguments (e.g. -o to build offline from a filled ~/.m2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ -z "${SPARKPROP_SKIP_MVN:-}" ]]; then
  # shellcheck disable=SC2086  # word splitting wanted: several arguments
  mvn -B -ntp -q ${SPARKPROP_MVN_ARGS:-} package -DskipTests
fi
# The Spark 4.1 line (Scala 2.13), the one pyspark 4.1 runs.
jar=(spark-job/target/sparkprop-spark-job_2.13-*-app.jar)
[[ ${#jar[@]} -eq 1 && -f "${jar[0]}" ]] || { echo "build-python: no single application jar: ${jar[*]}" >&2; exit 1; }
# Python's zipfile rather than unzip, which a fresh machine may lack.
if ! python3 -m zipfile -t "${jar[0]}" >/dev/null 2>&1; then
  echo "build-python: ${jar[0]} is not a readable jar" >&2
  exit 1
fi
# The jar must be the thin one: pyspark brings Spark, and a second copy of it on the classpath breaks both.
if python3 -m zipfile -l "${jar[0]}" | grep -c '^org/apache/spark/' >/dev/null; then  # -c reads it all: no SIGPIPE
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
