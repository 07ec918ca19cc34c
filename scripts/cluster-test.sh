#!/usr/bin/env bash
# The Spark engine on a real standalone cluster (2 workers on 127.0.0.1), with faults:
#   reference  train on local[2] and on the cluster (same spark.partitions): same weights_sha256
#   barrier    spark.protocol = barrier on the cluster: the same weights_sha256 as the driver protocol
#   a) SIGKILL one worker and its executor mid-training: the run finishes with the undisturbed weights
#   b) SIGKILL the driver mid-training: `train --resume --out DIR` finishes with the undisturbed weights
#   c) stop the cluster: none of its processes is left
# Prints the time per epoch on local[2] and on the cluster. Takes about 4-5 minutes on 2 cores.
#
# Environment: CLUSTER_TEST_EPOCHS (default 20), MVN_FLAGS (e.g. -o), SPARKPROP_CLUSTER_DIR (see local-cluster.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
base="${SPARKPROP_CLUSTER_DIR:-$root/.cluster}"
work="$base/test"
cluster="$root/scripts/local-cluster.sh"
submit="$root/scripts/submit.sh"
epochs="${CLUSTER_TEST_EPOCHS:-20}"
# spirals: 300 rows, 10 steps of 32 per epoch, a [2, 100, 3] network; four partitions over two executors.
train_args=(train --config conf/spirals.conf --set spark.partitions=4 --set "train.epochs=$epochs")
failures=0
passed=0
bg_pids=()

say() { echo "cluster-test: $*"; }
ok() { passed=$((passed + 1)); say "ok   $*"; }
fail() { failures=$((failures + 1)); say "FAIL $*"; }

cleanup() {
  local p
  for p in ${bg_pids[@]+"${bg_pids[@]}"}; do
    kill -KILL "$p" 2>/dev/null || true
  done
  "$cluster" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$1" "$2"; }
epochs_done() { [[ -f "$1/metrics.csv" ]] && echo $(($(wc -l <"$1/metrics.csv") - 1)) || echo 0; }
# Steady-state seconds per epoch from metrics.csv: (elapsed at the last epoch - at the first) / (epochs - 1).
per_epoch() {
  python3 - "$1/metrics.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
t = [float(r["elapsed_seconds"]) for r in rows]
print(f"{(t[-1] - t[0]) / (len(t) - 1):.3f}" if len(t) > 1 else "n/a")
PY
}
# Waits until DIR has at least N epochs in metrics.csv while PID is alive; fails after 300 s.
wait_epochs() {
  local dir="$1" n="$2" pid="$3" deadline=$((SECONDS + 300))
  while (($(epochs_done "$dir") < n)); do
    kill -0 "$pid" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
check_summary() {
  local dir="$1" what="$2" s="$1/summary.json"
  if [[ ! -f "$s" ]]; then
    fail "$what: no summary.json in $dir"
    return
  fi
  local e p eng acc
  e="$(json_field "$s" epochs)"
  p="$(json_field "$s" partitions)"
  eng="$(json_field "$s" engine)"
  acc="$(json_field "$s" train_accuracy)"
  if [[ "$e" == "$epochs" && "$p" == 4 && "$eng" == spark ]]; then
    ok "$what: summary.json epochs $e, partitions $p, engine $eng, master $(json_field "$s" spark_master), train_accuracy $acc"
  else
    fail "$what: summary.json epochs '$e' partitions '$p' engine '$eng'"
  fi
}

t_start=$SECONDS
say "building (mvn install)"
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} install -DskipTests
rm -rf "$work"
mkdir -p "$work"

say "local[2] reference run"
scripts/sparkprop "${train_args[@]}" --set train.engine=spark --master 'local[2]' --out "$work/local2" \
  >"$work/local2.log" 2>&1 || { tail -30 "$work/local2.log"; fail "local[2] run failed"; }
check_summary "$work/local2" "local[2]"
h_local="$(json_field "$work/local2/summary.json" weights_sha256 2>/dev/null || echo none)"

say "starting a 2-worker cluster"
"$cluster" start --workers 2 --cores 1 --memory 1g

say "undisturbed cluster run"
"$submit" "${train_args[@]}" --out "$work/plain" >"$work/plain.log" 2>&1 \
  || { tail -30 "$work/plain.log"; fail "cluster run failed"; }
check_summary "$work/plain" "cluster"
h="$(json_field "$work/plain/summary.json" weights_sha256 2>/dev/null || echo none)"
if [[ "$h" == "$h_local" && "$h" != none ]]; then
  ok "cluster weights_sha256 equals local[2]'s: $h"
else
  fail "cluster weights_sha256 $h differs from local[2]'s $h_local"
fi

# The barrier protocol on the cluster (one barrier task per executor core, so 2 partitions) ends with the same
# weights as the driver protocol on local[2].
say "barrier protocol on the cluster vs the driver protocol on local[2], spark.partitions=2"
two=(--set spark.partitions=2)
scripts/sparkprop "${train_args[@]}" "${two[@]}" --set train.engine=spark --set spark.protocol=driver \
  --master 'local[2]' --out "$work/local2-p2" >"$work/local2-p2.log" 2>&1 \
  || { tail -30 "$work/local2-p2.log"; fail "local[2] driver-protocol run failed"; }
"$submit" "${train_args[@]}" "${two[@]}" --set spark.protocol=barrier --out "$work/barrier" \
  >"$work/barrier.log" 2>&1 || { tail -30 "$work/barrier.log"; fail "cluster barrier run failed"; }
hd="$(json_field "$work/local2-p2/summary.json" weights_sha256 2>/dev/null || echo none)"
hb="$(json_field "$work/barrier/summary.json" weights_sha256 2>/dev/null || echo none)"
pb="$(json_field "$work/barrier/summary.json" spark_protocol 2>/dev/null || echo none)"
if [[ "$hb" == "$hd" && "$hb" != none && "$pb" == barrier ]]; then
  ok "cluster barrier-protocol weights_sha256 equals local[2] driver-protocol's: $hb"
else
  fail "cluster barrier run (protocol '$pb') weights_sha256 $hb, local[2] driver protocol $hd"
fi

# b) the driver dies: resume from the last checkpoint.
say "b) driver killed with SIGKILL mid-training, then train --resume"
"$submit" "${train_args[@]}" --out "$work/driver-kill" >"$work/driver-kill.log" 2>&1 &
pid=$!
bg_pids+=("$pid")
if wait_epochs "$work/driver-kill" $((epochs / 3)) "$pid"; then
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  killed_at="$(epochs_done "$work/driver-kill")"
  say "driver (PID $pid) killed after epoch $killed_at of $epochs; checkpoints: $(ls "$work/driver-kill/checkpoints" | tr '\n' ' ')"
  "$submit" "${train_args[@]}" --resume --out "$work/driver-kill" >"$work/driver-resume.log" 2>&1 \
    || { tail -30 "$work/driver-resume.log"; fail "resume after driver kill failed"; }
  check_summary "$work/driver-kill" "resumed"
  hr="$(json_field "$work/driver-kill/summary.json" weights_sha256 2>/dev/null || echo none)"
  if ((killed_at < epochs)) && [[ "$hr" == "$h" ]]; then
    ok "b) resumed run's weights_sha256 equals the undisturbed run's"
  else
    fail "b) resumed weights_sha256 $hr, undisturbed $h (killed after epoch $killed_at)"
  fi
else
  tail -30 "$work/driver-kill.log"
  fail "b) the run ended before it could be killed"
fi

# a) a worker and its executor die: Spark reruns the lost tasks and rebuilds the lost cached blocks.
say "a) worker 2 and its executor killed with SIGKILL mid-training"
"$submit" "${train_args[@]}" --out "$work/worker-kill" >"$work/worker-kill.log" 2>&1 &
pid=$!
bg_pids+=("$pid")
if wait_epochs "$work/worker-kill" $((epochs / 3)) "$pid"; then
  victims=("$(cat "$base/run/worker-2.pid")")
  for p in /proc/[0-9]*; do
    [[ "$(readlink "$p/cwd" 2>/dev/null || true)" == "$base/run/work/worker-2/"* ]] && victims+=("${p#/proc/}")
  done
  kill -KILL "${victims[@]}"
  say "killed PIDs ${victims[*]} (worker 2 and its executor) after epoch $(epochs_done "$work/worker-kill") of $epochs"
  rc=0
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    tail -30 "$work/worker-kill.log"
    fail "a) the run failed after the worker was killed (exit $rc)"
  else
    check_summary "$work/worker-kill" "worker killed"
    hw="$(json_field "$work/worker-kill/summary.json" weights_sha256 2>/dev/null || echo none)"
    lost="$(grep -c -i 'lost executor\|ExecutorLostFailure\|executor.*removed\|Lost task' "$work/worker-kill.log" || true)"
    say "driver log lines about the lost executor/tasks: $lost"
    if [[ "$hw" == "$h" ]]; then
      ok "a) weights_sha256 with a worker killed equals the undisturbed run's"
    else
      fail "a) weights_sha256 $hw with a worker killed, undisturbed $h"
    fi
  fi
else
  tail -30 "$work/worker-kill.log"
  fail "a) the run ended before the worker could be killed"
fi

# c) stop: no process of the cluster is left.
say "c) stopping the cluster"
cluster_pids=()
for f in "$base"/run/*.pid; do cluster_pids+=("$(cat "$f")"); done
"$cluster" stop
left=()
for p in "${cluster_pids[@]}"; do kill -0 "$p" 2>/dev/null && left+=("$p"); done
for p in /proc/[0-9]*; do
  [[ "$(readlink "$p/cwd" 2>/dev/null || true)" == "$base/run"* ]] && left+=("${p#/proc/}")
done
if [[ ${#left[@]} -eq 0 ]]; then
  ok "c) no process of the cluster is left (checked PIDs ${cluster_pids[*]} and the run folder)"
else
  fail "c) still running: ${left[*]}"
fi

echo
say "time per epoch (spirals, $epochs epochs, spark.partitions=4, 10 steps/epoch):"
say "  local[2]           $(per_epoch "$work/local2" 2>/dev/null || echo n/a) s"
say "  2-worker cluster   $(per_epoch "$work/plain" 2>/dev/null || echo n/a) s"
say "with spark.partitions=2: local[2] driver protocol $(per_epoch "$work/local2-p2" 2>/dev/null || echo n/a) s," \
  "2-worker cluster barrier protocol $(per_epoch "$work/barrier" 2>/dev/null || echo n/a) s"
say "total $((SECONDS - t_start)) s; logs in $work"
echo "cluster-test: $passed passed, $failures failed"
((failures == 0))
