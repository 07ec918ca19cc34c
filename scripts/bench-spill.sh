#!/usr/bin/env bash
# Training out of core against in memory: runs scripts/spill-cluster-test.sh RUNS times (default 1)
# with SPILL_EPOCHS=5 and SPILL_HIDDEN=128 (unless set: a [100, 128, 2] network, whose steps cost more than the
# 32-unit network of the test, so the ratio is not only the cost of reading chunks) and the barrier protocol only
# (SPILL_PROTOCOLS=barrier), without the run that loses a worker (SPILL_KILL=0), and prints, per run, its
#   ratio out-of-core-vs-in-memory   steady-state samples/s (epochs 2 to 5) of the barrier run whose chunks spill
#                                    to disk (1 GB executors, spark.memory.fraction = SPILL_MEMORY_FRACTION) ÷ the
#                                    same run with the default storage memory, every chunk in memory; same data,
#                                    plan and weights
# and the measured ratio of the chunks' bytes to the executors' storage memory. Usage: scripts/bench-spill.sh [RUNS]
# Environment: as scripts/spill-cluster-test.sh (SPILL_ROWS, SPILL_MEMORY_FRACTION, SPILL_PORT, MVN_FLAGS).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-1}"
for ((i = 1; i <= runs; i++)); do
  log="$(mktemp)"
  SPILL_KILL="${SPILL_KILL:-0}" SPILL_EPOCHS="${SPILL_EPOCHS:-5}" SPILL_HIDDEN="${SPILL_HIDDEN:-128}" SPILL_PROTOCOLS="${SPILL_PROTOCOLS:-barrier}" \
    "$root/scripts/spill-cluster-test.sh" >"$log" 2>&1 || { cat "$log"; rm -f "$log"; exit 1; }
  grep -E "x the executors' storage memory|samples/s, " "$log" | sed 's/^spill-cluster-test: /bench-spill: /'
  grep "^ratio out-of-core-vs-in-memory=" "$log"
  rm -f "$log"
done
