#!/usr/bin/env bash
# The Spark engine on a real standalone cluster (2 workers on 127.0.0.1), with faults:
#   reference  4 partitions on 2 task slots: spark.protocol = auto picks driver (and says why), on local[2] and
#              on the cluster alike, with the same weights_sha256
#   barrier    2 partitions: auto picks barrier on the cluster; the same weights_sha256 as the driver protocol
#              on local[2]
#   a) SIGKILL one worker and its executor mid-training, under the barrier protocol (the default there) and
#      under the driver protocol; a fresh worker joins. Each run must have lost an executor (summary.json's
#      executors_lost), the barrier run must record its re-run attempt (barrier_attempts), and both finish
#      with their undisturbed run's weights_sha256
#   b) SIGKILL the driver mid-training: `train --resume --out DIR` trains only the remaining epochs
#      (resumed_from_epoch) and finishes with the undisturbed weights
#   c) stop the cluster: none of its processes is left
# Prints the time per epoch of both protocols. Takes about 5 minutes on 2 cores.
#
# Environment: CLUSTER_TEST_EPOCHS (default 20) for the protocol comparisons, CLUSTER_TEST_LONG_EPOCHS (default
# 300, about 10 s under the barrier protocol) for the runs killed under the barrier protocol, MVN_FLAGS (e.g.
# -o), SPARKPROP_CLUSTER_DIR (see local-cluster.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
base="${SPARKPROP_CLUSTER_DIR:-$root/.cluster}"
work="$base/test"
cluster="$root/scripts/local-cluster.sh"
submit="$root/scripts/submit.sh"
epochs="${CLUSTER_TEST_EPOCHS:-20}"
long="${CLUSTER_TEST_LONG_EPOCHS:-300}"
# spirals: 300 rows, 10 steps of 32 per epoch, a [2, 100, 3] network.
base_args=(train --config conf/spirals.conf)
four=(--set spark.partitions=4 --set "train.epochs=$epochs")
two=(--set spark.partitions=2 --set "train.epochs=$epochs")
two_long=(--set spark.partitions=2 --set "train.epochs=$long")
failures=0
passed=0
bg_pids=()
source "$root/scripts/cluster-faults.sh"

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

json_field() {
  [[ -f "$1" ]] || { echo ""; return; }
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2], ""); print(str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"
}
sha() { json_field "$1/summary.json" weights_sha256; }
# Two hashes that are equal and not empty.
same_sha() { [[ -n "$1" && "$1" == "$2" ]]; }
# Steady-state seconds per epoch from metrics.csv: (elapsed at the last epoch - at the first) / (epochs - 1).
per_epoch() {
  python3 - "$1/metrics.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
t = [float(r["elapsed_seconds"]) for r in rows]
print(f"{(t[-1] - t[0]) / (len(t) - 1):.3f}" if len(t) > 1 else "n/a")
PY
}
# check_summary DIR WHAT EPOCHS PARTITIONS PROTOCOL
check_summary() {
  local dir="$1" what="$2" want_e="$3" want_p="$4" want_proto="$5" s="$1/summary.json"
  if [[ ! -f "$s" ]]; then
    fail "$what: no summary.json in $dir"
    return
  fi
  local e p eng proto why
  e="$(json_field "$s" epochs)"
  p="$(json_field "$s" partitions)"
  eng="$(json_field "$s" engine)"
  proto="$(json_field "$s" spark_protocol)"
  why="$(json_field "$s" spark_protocol_reason)"
  if [[ "$e" == "$want_e" && "$p" == "$want_p" && "$eng" == spark && "$proto" == "$want_proto" ]]; then
    ok "$what: epochs $e, partitions $p, protocol $proto ($why), master $(json_field "$s" spark_master)"
  else
    fail "$what: summary.json epochs '$e' partitions '$p' engine '$eng' protocol '$proto' ($why)"
  fi
}
# worker_kill_run NAME WORKER EXPECTED_SHA PROTOCOL ARGS...: trains in the background, kills worker WORKER and its
# executor after a third of the epochs, starts a replacement worker, and checks the outcome.
worker_kill_run() {
  local name="$1" n="$2" want="$3" protocol="$4" total
  shift 4
  total="$(sed -n 's/.*train.epochs=\([0-9]*\).*/\1/p' <<<"$*")"
  "$submit" "${base_args[@]}" "$@" --out "$work/$name" >"$work/$name.log" 2>&1 &
  local pid=$!
  bg_pids+=("$pid")
  if ! wait_epochs "$work/$name" $((total / 3)) "$pid"; then
    tail -30 "$work/$name.log"
    fail "a) $name: the run ended before worker $n could be killed"
    return
  fi
  local at victims
  victims="$(kill_worker "$n")"
  at="$(epochs_done "$work/$name")"
  if kill -0 "$pid" 2>/dev/null && ((at < total)); then
    ok "a) $name: worker $n and its executor (PIDs $victims) killed after epoch $at of $total, run still going"
  else
    fail "a) $name: the kill did not land mid-training (epoch $at of $total)"
  fi
  "$cluster" add-worker
  local rc=0
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    tail -30 "$work/$name.log"
    fail "a) $name: the run failed after the worker was killed (exit $rc)"
    return
  fi
  local s="$work/$name/summary.json" lost attempts failed_tasks
  check_summary "$work/$name" "a) $name" "$total" 2 "$protocol"
  lost="$(json_field "$s" executors_lost)"
  attempts="$(json_field "$s" barrier_attempts)"
  failed_tasks="$(json_field "$s" failed_tasks)"
  if [[ "$lost" =~ ^[0-9]+$ ]] && ((lost >= 1)); then
    ok "a) $name: Spark lost $lost executor(s); failed tasks $failed_tasks, barrier attempts ${attempts:-n/a}"
  else
    fail "a) $name: summary.json says executors_lost '$lost'"
  fi
  if [[ "$protocol" == barrier ]]; then
    if [[ "$attempts" =~ ^[0-9]+$ ]] && ((attempts >= 2)); then
      ok "a) $name: the barrier job was re-run ($attempts attempts)"
    else
      fail "a) $name: summary.json says barrier_attempts '$attempts'"
    fi
  fi
  if same_sha "$(sha "$work/$name")" "$want"; then
    ok "a) $name: weights_sha256 equals the undisturbed run's"
  else
    fail "a) $name: weights_sha256 '$(sha "$work/$name")', undisturbed '$want'"
  fi
}

t_start=$SECONDS
say "building (mvn install)"
# shellcheck disable=SC2086
mvn -q -B ${MVN_FLAGS:-} install -DskipTests
rm -rf "$work"
mkdir -p "$work"

say "local[2] reference run, 4 partitions"
scripts/sparkprop "${base_args[@]}" "${four[@]}" --set train.engine=spark --master 'local[2]' --out "$work/local4" \
  >"$work/local4.log" 2>&1 || { tail -30 "$work/local4.log"; fail "local[2] run failed"; }
check_summary "$work/local4" "local[2]" "$epochs" 4 driver
h_local="$(sha "$work/local4")"

say "starting a 2-worker cluster"
"$cluster" start --workers 2 --cores 1 --memory 1g

say "cluster run, 4 partitions on 2 task slots"
"$submit" "${base_args[@]}" "${four[@]}" --out "$work/plain4" >"$work/plain4.log" 2>&1 \
  || { tail -30 "$work/plain4.log"; fail "cluster run failed"; }
check_summary "$work/plain4" "cluster, 4 partitions" "$epochs" 4 driver
h4="$(sha "$work/plain4")"
if same_sha "$h4" "$h_local"; then
  ok "cluster weights_sha256 equals local[2]'s: $h4"
else
  fail "cluster weights_sha256 '$h4' differs from local[2]'s '$h_local'"
fi
if [[ "$(json_field "$work/plain4/summary.json" spark_protocol_reason)" == "4 partitions but 2 task slots" ]]; then
  ok "auto explains its choice: 4 partitions but 2 task slots"
else
  fail "spark_protocol_reason is '$(json_field "$work/plain4/summary.json" spark_protocol_reason)'"
fi

# With one partition per task slot the default protocol on the cluster is barrier; it ends with the same weights
# as the driver protocol on local[2].
say "2 partitions: the default (barrier) on the cluster vs the driver protocol on local[2]"
scripts/sparkprop "${base_args[@]}" "${two[@]}" --set train.engine=spark --set spark.protocol=driver \
  --master 'local[2]' --out "$work/local2-p2" >"$work/local2-p2.log" 2>&1 \
  || { tail -30 "$work/local2-p2.log"; fail "local[2] driver-protocol run failed"; }
"$submit" "${base_args[@]}" "${two[@]}" --out "$work/barrier" >"$work/barrier.log" 2>&1 \
  || { tail -30 "$work/barrier.log"; fail "cluster barrier run failed"; }
check_summary "$work/barrier" "cluster, 2 partitions" "$epochs" 2 barrier
if same_sha "$(sha "$work/barrier")" "$(sha "$work/local2-p2")"; then
  ok "cluster barrier-protocol weights_sha256 equals local[2] driver-protocol's: $(sha "$work/barrier")"
else
  fail "cluster barrier weights_sha256 '$(sha "$work/barrier")', local[2] driver protocol '$(sha "$work/local2-p2")'"
fi

say "undisturbed long runs: barrier ($long epochs, 2 partitions) and driver ($epochs epochs, 2 partitions)"
"$submit" "${base_args[@]}" "${two_long[@]}" --out "$work/long" >"$work/long.log" 2>&1 \
  || { tail -30 "$work/long.log"; fail "long barrier run failed"; }
check_summary "$work/long" "long barrier run" "$long" 2 barrier
h_long="$(sha "$work/long")"
"$submit" "${base_args[@]}" "${two[@]}" --set spark.protocol=driver --out "$work/driver2" >"$work/driver2.log" 2>&1 \
  || { tail -30 "$work/driver2.log"; fail "driver-protocol run failed"; }
check_summary "$work/driver2" "driver-protocol run" "$epochs" 2 driver
h_driver="$(sha "$work/driver2")"

# b) the driver dies: resume from the last checkpoint.
say "b) driver killed with SIGKILL mid-training (barrier protocol), then train --resume"
"$submit" "${base_args[@]}" "${two_long[@]}" --out "$work/driver-kill" >"$work/driver-kill.log" 2>&1 &
pid=$!
bg_pids+=("$pid")
if wait_epochs "$work/driver-kill" $((long / 3)) "$pid"; then
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  killed_at="$(epochs_done "$work/driver-kill")"
  ckpt="$(ls "$work/driver-kill/checkpoints" | sort | tail -1)"
  say "driver (PID $pid) killed after epoch $killed_at of $long; newest checkpoint $ckpt"
  "$submit" "${base_args[@]}" "${two_long[@]}" --resume --out "$work/driver-kill" >"$work/driver-resume.log" 2>&1 \
    || { tail -30 "$work/driver-resume.log"; fail "resume after driver kill failed"; }
  check_summary "$work/driver-kill" "b) resumed" "$long" 2 barrier
  from="$(json_field "$work/driver-kill/summary.json" resumed_from_epoch)"
  if [[ "$from" =~ ^[0-9]+$ ]] && ((from > 0 && from <= killed_at && killed_at < long)); then
    ok "b) the resumed run started after epoch $from (killed after $killed_at) and trained only the rest"
  else
    fail "b) resumed_from_epoch '$from' (killed after epoch $killed_at of $long)"
  fi
  if same_sha "$(sha "$work/driver-kill")" "$h_long"; then
    ok "b) resumed run's weights_sha256 equals the undisturbed run's"
  else
    fail "b) resumed weights_sha256 '$(sha "$work/driver-kill")', undisturbed '$h_long'"
  fi
else
  tail -30 "$work/driver-kill.log"
  fail "b) the run ended before it could be killed"
fi

# a) a worker and its executor die: the barrier job is re-run from the epoch in progress (the driver protocol
# re-runs the lost tasks) and the lost cached blocks are rebuilt; a fresh worker takes the dead one's place.
say "a) a worker and its executor killed with SIGKILL mid-training, barrier protocol (the default)"
worker_kill_run worker-kill-barrier 2 "$h_long" barrier "${two_long[@]}"
say "a) a worker and its executor killed with SIGKILL mid-training, driver protocol"
worker_kill_run worker-kill-driver 3 "$h_driver" driver "${two[@]}" --set spark.protocol=driver

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
say "time per epoch (spirals, 10 steps/epoch, 2-worker cluster):"
say "  4 partitions, driver protocol (auto)   local[2] $(per_epoch "$work/local4" 2>/dev/null || echo n/a) s," \
  "cluster $(per_epoch "$work/plain4" 2>/dev/null || echo n/a) s"
say "  2 partitions: local[2] driver protocol $(per_epoch "$work/local2-p2" 2>/dev/null || echo n/a) s," \
  "cluster barrier protocol (auto) $(per_epoch "$work/barrier" 2>/dev/null || echo n/a) s"
say "total $((SECONDS - t_start)) s; logs in $work"
echo "cluster-test: $passed passed, $failures failed"
((failures == 0))
