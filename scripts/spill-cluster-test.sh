#!/usr/bin/env bash
# Data larger than the executors' storage memory, on a 2-worker standalone cluster with 1 GB
# executors: SPILL_ROWS rows (default 200,000) × 100 integer features, 2 classes, generated into a CSV file and
# trained with train.shuffle = chunks, 2 partitions, SPILL_EPOCHS epochs (default 3):
#   ample     the executors' default storage memory (spark.memory.fraction 0.6): every chunk fits in memory
#   barrier   spark.memory.fraction = SPILL_MEMORY_FRACTION (default 0.03): the executors' storage memory is a
#             third or less of the chunks, which spill to disk and are read back; the barrier protocol
#   driver    the same under the driver protocol
#   kill      the barrier run again, with worker 2 and its executor killed (SIGKILL) once the first epoch is
#             written: its chunk blocks, their refs and its shuffle files go with it; a fresh worker joins
# Both spilling runs must train to the end with the ample run's weights_sha256, have chunks on disk
# (summary.json's train_chunk_bytes_disk) and read chunks back from disk (chunk_reads); the ample run has none on
# disk, and the driver protocol's tasks read no chunk from another executor (they run where their chunks are).
# The kill run must lose an executor (executors_lost), re-run its barrier job (barrier_attempts >= 2) and still
# end with the ample run's weights_sha256.
# Prints the measured ratio of the chunks' bytes to the executors' storage memory (executor_storage_bytes, Spark's
# own figure) and
#   ratio out-of-core-vs-in-memory   samples/s of the spilling barrier run ÷ the ample run (same plan), in the
#                                    steady state (epochs 2 to SPILL_EPOCHS) when there are 2 or more
# About 6 minutes on 2 cores, the kill run about 2 of them (343 s in all, 107 s for the kill run, here).
# Environment: SPILL_KILL (0 skips the kill run), SPILL_ROWS, SPILL_MEMORY_FRACTION, SPILL_EPOCHS (default 3),
# SPILL_HIDDEN (the hidden layer's width, default 32), SPILL_PROTOCOLS (the spilling runs, default "barrier
# driver"), SPILL_PORT and SPILL_WEBUI_PORT (the master's ports, default 7077 and 8080), MVN_FLAGS (e.g. -o),
# SPARKPROP_CLUSTER_DIR (see local-cluster.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
base="${SPARKPROP_CLUSTER_DIR:-$root/.cluster}"
work="$base/spill-test"
cluster="$root/scripts/local-cluster.sh"
rows="${SPILL_ROWS:-200000}"
fraction="${SPILL_MEMORY_FRACTION:-0.03}"
epochs="${SPILL_EPOCHS:-3}"
hidden="${SPILL_HIDDEN:-32}"
protocols="${SPILL_PROTOCOLS:-barrier driver}"
failures=0
source "$root/scripts/cluster-faults.sh"

say() { echo "spill-cluster-test: $*"; }
ok() { say "ok   $*"; }
fail() { failures=$((failures + 1)); say "FAIL $*"; }
kill_pid=""
trap '[[ -n "$kill_pid" ]] && kill -KILL "$kill_pid" 2>/dev/null; "$cluster" stop >/dev/null 2>&1 || true' EXIT
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$work/$1/summary.json" "$2"; }

rm -rf "$work"
mkdir -p "$work"
t_start=$SECONDS
# Features are small integers (a short CSV for 8 bytes per cached value); the label is the sign of a fixed
# linear map of them, with 5 % of the labels flipped.
python3 - "$work/spill.csv" "$rows" <<'PY'
import sys
import numpy as np
path, rows = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(25)
w = rng.normal(size=100)
with open(path, "w") as out:
    for start in range(0, rows, 50000):
        x = rng.integers(0, 100, size=(min(50000, rows - start), 100))
        y = ((x - 49.5) @ w > 0).astype(int) ^ (rng.random(len(x)) < 0.05)
        np.savetxt(out, np.column_stack([x, y]), fmt="%d", delimiter=",")
PY
say "data: $rows rows × 100 features, $(( $(stat -c %s "$work/spill.csv") / 1000000 )) MB of CSV ($((SECONDS - t_start)) s)"
cat >"$work/spill.conf" <<CONF
data { train = "file://$work/spill.csv", format = csv, validation-fraction = 0, scale = standard }
model { hidden = [$hidden], activation = relu, loss = softmax-cross-entropy }
optimizer { name = adam, learning-rate = 0.001 }
train { engine = spark, epochs = $epochs, batch-size = 1024, seed = 7, shuffle = chunks, chunk-rows = 65536 }
spark { partitions = 2 }
CONF

# Workers of 2 GB for executors of 1 GB: an application's executor can start while the last one's is still exiting.
"$cluster" start --workers 2 --cores 1 --memory 2g --port "${SPILL_PORT:-7077}" --webui-port "${SPILL_WEBUI_PORT:-8080}" >/dev/null
# train NAME FRACTION PROTOCOL: one run with spark.memory.fraction FRACTION on its 1 GB executors.
train() {
  scripts/submit.sh --executor-memory 1g --conf "spark.memory.fraction=$2" train --config "$work/spill.conf" \
    --set "spark.protocol=$3" --out "$work/$1" >"$work/$1.log" 2>&1 \
    || { tail -30 "$work/$1.log"; fail "$1: the run failed"; return 1; }
}

train ample 0.6 auto || true
ample_sha="$(field ample weights_sha256 2>/dev/null || true)"
if [[ -n "$ample_sha" && "$(field ample train_chunk_bytes_disk)" == 0 ]]; then
  ok "ample: $(field ample train_chunk_bytes_memory) bytes of chunks all in memory ($(field ample executor_storage_bytes) bytes of storage memory), $(field ample spark_protocol) protocol"
else
  fail "ample: no weights or chunks on disk ($(field ample train_chunk_bytes_disk 2>/dev/null || true))"
fi
for proto in $protocols; do
  train "$proto" "$fraction" "$proto" || continue
  mem="$(field "$proto" train_chunk_bytes_memory)"
  disk="$(field "$proto" train_chunk_bytes_disk)"
  storage="$(field "$proto" executor_storage_bytes)"
  used="$(field "$proto" spark_protocol)"
  ratio="$(python3 -c "print(f'{($mem + $disk) / $storage:.2f}')")"
  reads="$(field "$proto" chunk_reads)"
  say "$proto: chunks $mem bytes in memory + $disk on disk = ${ratio}x the executors' storage memory ($storage bytes); chunk reads $reads"
  from_disk="$(python3 -c 'import ast,sys; print(ast.literal_eval(sys.argv[1]).get("disk", 0))' "$reads")"
  remote="$(python3 -c 'import ast,sys; print(ast.literal_eval(sys.argv[1]).get("network", 0))' "$reads")"
  if [[ "$used" != "$proto" ]]; then
    fail "$proto: ran the $used protocol"
  elif [[ "$(field "$proto" epochs)" != "$epochs" ]]; then
    fail "$proto: did not train to the end"
  elif (( disk == 0 )) || ! python3 -c "import sys; sys.exit(0 if $ratio >= 3 else 1)"; then
    fail "$proto: chunks are ${ratio}x the storage memory ($disk bytes on disk); want >= 3 with a spill"
  elif (( from_disk == 0 )); then
    fail "$proto: no chunk was read back from disk"
  elif [[ "$proto" == driver ]] && (( remote != 0 )); then
    fail "driver: $remote chunk reads from other executors: the step tasks did not run where their chunks are"
  elif [[ "$(field "$proto" weights_sha256)" != "$ample_sha" ]]; then
    fail "$proto: weights_sha256 $(field "$proto" weights_sha256) differs from the ample run's $ample_sha"
  else
    ok "$proto: spilled to disk, trained $epochs epochs to the ample run's weights_sha256 $ample_sha"
  fi
done
if [[ "${SPILL_KILL:-1}" != 0 ]]; then
  # The lost executor's chunk refs are rebuilt from their lineage (its input re-read, sorted and cut again) when
  # the barrier job re-runs the epoch in progress from the epoch's start.
  # The barrier stage checks every 2 s (Spark's default: 15 s) whether the slots it needs are back; on a loaded
  # machine the executors may take more than the default 30 s to register at the start.
  scripts/submit.sh --executor-memory 1g --conf "spark.memory.fraction=$fraction" \
    --conf spark.scheduler.barrier.maxConcurrentTasksCheck.interval=2s \
    --conf spark.scheduler.maxRegisteredResourcesWaitingTime=120s train --config "$work/spill.conf" \
    --set spark.protocol=barrier --out "$work/kill" >"$work/kill.log" 2>&1 &
  kill_pid=$!
  # The victims are found while the run starts (the scan of /proc takes a while), so the kill itself is
  # instant once the first epoch is written.
  deadline=$((SECONDS + 120))
  while victims="$(worker_pids 2)"; [[ "$victims" != *" "* ]] && ((SECONDS < deadline)) && kill -0 "$kill_pid" 2>/dev/null; do
    sleep 0.5
  done
  if [[ "$victims" == *" "* ]] && wait_epochs "$work/kill" 1 "$kill_pid"; then
    kill -KILL $victims
    at="$(epochs_done "$work/kill")"
    if kill -0 "$kill_pid" 2>/dev/null && ((at < epochs)); then
      say "kill: worker 2 and its executor (PIDs $victims) killed after epoch $at of $epochs"
    else
      fail "kill: the kill did not land mid-training (epoch $at of $epochs)"
    fi
    "$cluster" add-worker >/dev/null
    rc=0
    wait "$kill_pid" || rc=$?
    kill_pid=""
    lost="$(field kill executors_lost 2>/dev/null || true)"
    attempts="$(field kill barrier_attempts 2>/dev/null || true)"
    if ((rc != 0)); then
      tail -30 "$work/kill.log"
      fail "kill: the run failed after the worker was killed (exit $rc)"
    elif [[ ! "$lost" =~ ^[0-9]+$ ]] || ((lost < 1)) || [[ ! "$attempts" =~ ^[0-9]+$ ]] || ((attempts < 2)); then
      fail "kill: executors_lost '$lost', barrier_attempts '$attempts'; want >= 1 and >= 2"
    elif [[ "$(field kill weights_sha256)" != "$ample_sha" ]]; then
      fail "kill: weights_sha256 $(field kill weights_sha256) differs from the ample run's $ample_sha"
    else
      ok "kill: lost $lost executor(s), $attempts barrier attempts, chunk reads $(field kill chunk_reads); trained $epochs epochs to the ample run's weights_sha256"
    fi
  else
    tail -30 "$work/kill.log"
    fail "kill: the run ended before worker 2 and its executor could be killed (PIDs found: $victims)"
    kill_pid=""
  fi
fi
if [[ -f "$work/barrier/summary.json" && -f "$work/ample/summary.json" ]]; then
  # Steady state: rows × (epochs − 1) ÷ the time from the first epoch's end to the last's (metrics.csv), so the
  # reading of the CSV, the cutting into chunks and the job's start are left out; whole runs are printed too.
  steady() {
    python3 - "$work/$1/metrics.csv" "$rows" <<'PY'
import csv, sys
t = [float(r["elapsed_seconds"]) for r in csv.DictReader(open(sys.argv[1]))]
print(int(sys.argv[2]) * (len(t) - 1) / (t[-1] - t[0]) if len(t) > 1 else 0)
PY
  }
  a="$(field ample samples_per_second)"
  b="$(field barrier samples_per_second)"
  say "samples/s, barrier protocol, whole runs: in memory $(printf %.0f "$a"), spilling $(printf %.0f "$b")"
  if (( epochs > 1 )); then
    sa="$(steady ample)"
    sb="$(steady barrier)"
    say "samples/s, barrier protocol, epochs 2-$epochs: in memory $(printf %.0f "$sa"), spilling $(printf %.0f "$sb")"
    python3 -c "print(f'ratio out-of-core-vs-in-memory={$sb / $sa:.2f}')"
  else
    python3 -c "print(f'ratio out-of-core-vs-in-memory={$b / $a:.2f}')"
  fi
fi
"$cluster" stop >/dev/null
say "total $((SECONDS - t_start)) s; logs in $work"
((failures == 0)) && say "passed" || say "$failures failed"
((failures == 0))
