#!/usr/bin/env bash
# Builds the Python package: the application jar of each Spark line (scripts/spark-line.sh: Spark 4.1 on Scala 2.13,
# Spark 3.5 on Scala 2.12; mvn package, with the line's profile), copied into python/src/sparkprop/jars/<line>/,
# then the wheel in python/dist/. sparkprop.jar_path() picks the jar of the installed pyspark's line. Prints the
# wheel's path and size; fails if the wheel reaches 100 MB.
# SPARKPROP_SKIP_MVN=1: reuse each line's jar as it is (no Maven run), e.g. after `mvn verify` and
# `mvn -Pspark-3.5 verify`.
# SPARKPROP_MVN_ARGS: extra Maven arguments (e.g. -o to build offline from a filled ~/.m2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=spark-line.sh
source scripts/spark-line.sh
rm -rf python/src/sparkprop/jars python/dist python/build python/src/*.egg-info
for line in $(spark_line_names); do
  spark_line_load "$line"
  if [[ -z "${SPARKPROP_SKIP_MVN:-}" ]]; then
    # shellcheck disable=SC2086  # word splitting wanted: several arguments, or none
    mvn -B -ntp -q ${SPARKPROP_MVN_ARGS:-} $mvn_profile package -DskipTests
  fi
  [[ -f "$app_jar" ]] || { echo "build-python: no application jar of the Spark $line line: $app_jar" >&2; exit 1; }
  # Python's zipfile rather than unzip, which a fresh machine may lack.
  if ! python3 -m zipfile -t "$app_jar" >/dev/null 2>&1; then
    echo "build-python: $app_jar is not a readable jar" >&2
    exit 1
  fi
  # The jar must be the thin one: pyspark brings Spark, and a second copy of it on the classpath breaks both.
  if python3 -m zipfile -l "$app_jar" | grep -c '^org/apache/spark/' >/dev/null; then  # -c reads it all: no SIGPIPE
    echo "build-python: $app_jar contains Spark classes; expected the thin application jar" >&2
    exit 1
  fi
  mkdir -p "python/src/sparkprop/jars/$line"
  cp "$app_jar" "python/src/sparkprop/jars/$line/"
done
python3 -m pip wheel -q --no-deps -w python/dist ./python
rm -rf python/build python/src/*.egg-info
wheel=(python/dist/sparkprop-*.whl)
size=$(stat -c %s "${wheel[0]}")
echo "wheel: ${wheel[0]} ($((size / 1024)) KiB)"
if (( size >= 100 * 1024 * 1024 )); then
  echo "build-python: the wheel is ${size} bytes, over the 100 MB limit" >&2
  exit 1
fi
