#!/usr/bin/env bash
# Both Spark lines train the same rows and partitions to the same weights: spirals with 2 partitions on
#   4.1   the default line (Spark 4.1, Scala 2.13), local[2], driver protocol
#   3.5   the -Pspark-3.5 line (Spark 3.5, Scala 2.12): a 2-worker standalone cluster of Spark 3.5 (auto picks the
#         barrier protocol there), and local[2] with the driver protocol
# and checks that the three weights_sha256 are equal and that each summary.json's spark_version names the Spark
# that ran it. Builds what is missing (mvn package, with -Pspark-3.5 for the 3.5 line). About 2 minutes on 2
# cores once both lines are built.
#
# Environment: SPARK_LINES_TEST_EPOCHS (default 20), MVN_FLAGS (e.g. -o), SPARKPROP_CLUSTER_DIR (see
# local-cluster.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
base="${SPARKPROP_CLUSTER_DIR:-$root/.cluster}"
work="$base/lines-test"
cluster="$root/scripts/local-cluster.sh"
epochs="${SPARK_LINES_TEST_EPOCHS:-20}"
args=(train --config conf/spirals.conf --set spark.partitions=2 --set "train.epochs=$epochs")
source "$root/scripts/spark-line.sh"
failures=0

say() { echo "spark-lines-test: $*"; }
ok() { say "ok   $*"; }
fail() { failures=$((failures + 1)); say "FAIL $*"; }
trap '"$cluster" stop >/dev/null 2>&1 || true' EXIT
field() {
  [[ -f "$1/summary.json" ]] || { echo ""; return; }
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$1/summary.json" "$2"
}
# check RUN LINE PROTOCOL: summary.json names Spark LINE.x and the protocol; prints nothing, counts failures.
check() {
  local v p
  v="$(field "$work/$1" spark_version)"
  p="$(field "$work/$1" spark_protocol)"
  if [[ "$v" == "$2".* && "$p" == "$3" ]]; then
    ok "$1: Spark $v, protocol $p, weights_sha256 $(field "$work/$1" weights_sha256)"
  else
    fail "$1: summary.json says spark_version '$v' protocol '$p' (want $2.x, $3)"
  fi
}
# build LINE: that line's jars, unless they are there already.
build() {
  spark_line_load "$1"
  if [[ ! -f "$app_jar" || ! -f "$job_jar" || ! -f "$root/spark-job/$target_sub/classpath.txt" ]]; then
    say "building the Spark $spark_line line (mvn $mvn_profile package)"
    # shellcheck disable=SC2086
    mvn -q -B ${MVN_FLAGS:-} $mvn_profile package -DskipTests
  fi
}

t_start=$SECONDS
build 4.1
build 3.5
rm -rf "$work"
mkdir -p "$work"

say "Spark 4.1 line: local[2], driver protocol"
scripts/sparkprop "${args[@]}" --set train.engine=spark --set spark.protocol=driver --master 'local[2]' \
  --out "$work/local-4.1" >"$work/local-4.1.log" 2>&1 || { tail -30 "$work/local-4.1.log"; fail "4.1 local run failed"; }
check local-4.1 4.1 driver

say "Spark 3.5 line: local[2], driver protocol"
SPARKPROP_SPARK_LINE=3.5 scripts/sparkprop "${args[@]}" --set train.engine=spark --set spark.protocol=driver \
  --master 'local[2]' --out "$work/local-3.5" >"$work/local-3.5.log" 2>&1 \
  || { tail -30 "$work/local-3.5.log"; fail "3.5 local run failed"; }
check local-3.5 3.5 driver

say "Spark 3.5 line: a 2-worker standalone cluster"
"$cluster" start --spark 3.5 --workers 2 --cores 1 --memory 1g
scripts/submit.sh "${args[@]}" --out "$work/cluster-3.5" >"$work/cluster-3.5.log" 2>&1 \
  || { tail -30 "$work/cluster-3.5.log"; fail "3.5 cluster run failed"; }
check cluster-3.5 3.5 barrier
"$cluster" stop >/dev/null

h41="$(field "$work/local-4.1" weights_sha256)"
for run in local-3.5 cluster-3.5; do
  h="$(field "$work/$run" weights_sha256)"
  if [[ -n "$h" && "$h" == "$h41" ]]; then
    ok "$run weights_sha256 equals the 4.1 line's"
  else
    fail "$run weights_sha256 '$h', the 4.1 line's '$h41'"
  fi
done
say "total $((SECONDS - t_start)) s; logs in $work"
((failures == 0)) && say "passed" || say "$failures failed"
((failures == 0))
