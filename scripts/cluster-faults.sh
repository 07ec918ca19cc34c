# Sourced by the cluster tests: wait for a run's epochs and kill a worker of scripts/local-cluster.sh with its
# executor. Needs $base (the cluster folder, SPARKPROP_CLUSTER_DIR or <repo>/.cluster).

# Epochs a run has written to DIR/metrics.csv.
epochs_done() { [[ -f "$1/metrics.csv" ]] && echo $(($(wc -l <"$1/metrics.csv") - 1)) || echo 0; }

# wait_epochs DIR N PID: waits until DIR has at least N epochs in metrics.csv while PID is alive; fails after
# 300 s.
wait_epochs() {
  local dir="$1" n="$2" pid="$3" deadline=$((SECONDS + 300))
  while (($(epochs_done "$dir") < n)); do
    kill -0 "$pid" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}

# worker_pids N: worker N's PID and those of the executors it launched (processes whose folder is its work folder).
worker_pids() {
  local n="$1" pids p
  pids=("$(cat "$base/run/worker-$n.pid")")
  for p in /proc/[0-9]*; do
    [[ "$(readlink "$p/cwd" 2>/dev/null || true)" == "$base/run/work/worker-$n/"* ]] && pids+=("${p#/proc/}")
  done
  echo "${pids[*]}"
}

# kill_worker N: kills worker N and the executor it launched with SIGKILL; prints the PIDs.
kill_worker() {
  local victims
  read -r -a victims <<<"$(worker_pids "$1")"
  kill -KILL "${victims[@]}"
  echo "${victims[*]}"
}
