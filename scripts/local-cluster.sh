#!/usr/bin/env bash
# A Spark standalone cluster on this machine, bound to 127.0.0.1: one Master and N Worker JVMs.
#
#   scripts/local-cluster.sh start [--spark LINE] [--workers N] [--cores C] [--memory M] [--port P] [--webui-port P]
#   scripts/local-cluster.sh add-worker     # one more worker, sized like the others (replaces a killed one)
#   scripts/local-cluster.sh status
#   scripts/local-cluster.sh stop
#   scripts/local-cluster.sh spark-home [--spark LINE]   # assemble the runtime if needed, print its SPARK_HOME
#                                           # (without --spark: the running cluster's, else the default line's)
#
# --spark LINE: the Spark line, 4.1 (default: Spark 4.1 on Scala 2.13) or 3.5 (Spark 3.5 on Scala 2.12, the
# build's -Pspark-3.5); scripts/spark-line.sh reads the versions from pom.xml. The runtime is assembled from
# Maven Central artifacts of the very Spark and Scala versions the build pins for that line
# (scripts/spark-runtime/pom.xml): a SPARK_HOME-style folder .cluster/spark-<version>/ whose jars/ links to the
# jars in the local Maven repository. The running cluster's line is in .cluster/run/spark-line (submit.sh
# picks the matching application jar from its SPARK_HOME). Logs, PID files and the workers' work directories (executor
# stdout/stderr, drivers of --deploy-mode cluster) live under the run folder .cluster/run/.
# `stop` ends exactly the processes `start` launched, by PID, plus the executor and driver JVMs those workers
# launched (found as processes whose working directory is inside the run folder).
#
# Environment: SPARKPROP_CLUSTER_DIR (default <repo>/.cluster), MVN (default mvn), MVN_FLAGS (e.g. -o).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${SPARKPROP_CLUSTER_DIR:-$root/.cluster}"
run="$base/run"
mvn_cmd="${MVN:-mvn}"

die() { echo "local-cluster: $*" >&2; exit 1; }
log() { echo "local-cluster: $*" >&2; }

source "$root/scripts/spark-line.sh"

# The SPARK_HOME of the Spark version pinned for the line spark_line_load loaded, assembled once (jars/ holds
# links into ~/.m2).
ensure_runtime() {
  local version="$spark_version" home cp
  home="$base/spark-$version"
  # Rebuilt when missing, when a link points nowhere (the Maven repository was cleaned), or when the runtime's
  # pom changed (e.g. spark-sql and spark-mllib joined it).
  if [[ ! -f "$home/.complete" || "$root/scripts/spark-runtime/pom.xml" -nt "$home/.complete" \
      || -n "$(find -L "$home/jars" -type l -print -quit 2>/dev/null)" ]]; then
    log "assembling Spark $version runtime in $home (Maven Central artifacts)"
    rm -rf "$home"
    mkdir -p "$home/jars" "$home/conf"
    cp="$home/.classpath"
    # shellcheck disable=SC2086
    "$mvn_cmd" -q -B ${MVN_FLAGS:-} $mvn_profile -f "$root/scripts/spark-runtime/pom.xml" dependency:build-classpath \
      -DincludeScope=runtime -Dmdep.outputFile="$cp" >&2 || die "mvn could not resolve the Spark runtime"
    tr ':' '\n' <"$cp" | while read -r jar || [[ -n "$jar" ]]; do
      [[ -n "$jar" ]] && ln -sf "$jar" "$home/jars/$(basename "$jar")"
    done
    # A RELEASE file makes Spark's launcher use jars/ (as in a binary distribution), not a build tree.
    echo "Spark $version (Scala $scala_binary) assembled from Maven Central by sparkprop" >"$home/RELEASE"
    touch "$home/.complete"
  fi
  echo "$home"
}

source "$root/scripts/java-opens.sh"

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# PIDs of processes whose working directory is inside the run folder: executors and cluster-mode drivers.
run_children() {
  local p cwd
  for p in /proc/[0-9]*; do
    cwd="$(readlink "$p/cwd" 2>/dev/null || true)"
    [[ "$cwd" == "$run/work/"* ]] && echo "${p#/proc/}"
  done
  return 0
}

# The master's state as JSON, summarised by python3 (on every machine of this kind; jq and curl may not be):
# `master_info count` prints the number of ALIVE workers, `master_info list` one line per worker and app.
master_info() {
  python3 - "$1" "http://127.0.0.1:$(cat "$run/webui-port")/json/" <<'PY' 2>/dev/null
import json, sys, urllib.request
what, url = sys.argv[1], sys.argv[2]
try:
    m = json.load(urllib.request.urlopen(url, timeout=5))
except Exception:
    print(0 if what == "count" else "", end="")
    sys.exit(0)
if what == "count":
    print(sum(1 for w in m.get("workers", []) if w.get("state") == "ALIVE"))
else:
    for w in m.get("workers", []):
        print(f"worker: {w['id']}  {w['host']}:{w['port']}  {w['state']}  cores {w['coresused']}/{w['cores']}"
              f"  memory {w['memoryused']}/{w['memory']} MiB")
    for a in m.get("activeapps", []):
        print(f"app: {a['id']}  {a['name']}  cores {a['cores']}")
PY
}

# Worker number $1 with $2 cores and $3 memory, registering with the run's master.
launch_worker() {
  local i="$1" home
  home="$(cat "$run/spark-home")"
  mkdir -p "$run/work/worker-$i"
  (cd "$run/work/worker-$i" && SPARK_HOME="$home" SPARK_SCALA_VERSION="$(cat "$run/scala-binary")" SPARK_LOCAL_IP=127.0.0.1 \
      SPARK_LOCAL_HOSTNAME=127.0.0.1 SPARK_LOG_DIR="$run/logs" OPENBLAS_NUM_THREADS=1 \
      exec java -Xmx512m "${JAVA_OPENS[@]}" -cp "$home/jars/*" \
      org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port 0 --cores "$2" \
      --memory "$3" --work-dir "$run/work/worker-$i" "$(cat "$run/master-url")" \
      >"$run/logs/worker-$i.log" 2>&1) &
  echo $! >"$run/worker-$i.pid"
}

# `spark-home [--spark LINE]`: that line's runtime; without --spark the running cluster's, else the default line's.
cmd_spark_home() {
  local line=""
  case "${1:-}" in
    --spark) [[ $# -ge 2 ]] || die "spark-home: --spark needs a line (4.1 or 3.5)"; line="$2" ;;
    "") if [[ -f "$run/master.pid" && -f "$run/spark-home" ]] && alive "$(cat "$run/master.pid")"; then
          cat "$run/spark-home"
          return 0
        fi ;;
    *) die "spark-home: unknown option $1 (expected --spark LINE)" ;;
  esac
  spark_line_load "$line"
  ensure_runtime
}

# One more worker (the next number), sized like the ones `start` launched; waits until it has registered.
cmd_add_worker() {
  [[ -f "$run/master.pid" ]] && alive "$(cat "$run/master.pid")" || die "add-worker: no cluster is running"
  local i=1 size
  while [[ -f "$run/worker-$i.pid" ]]; do i=$((i + 1)); done
  read -r -a size <"$run/worker-size"
  launch_worker "$i" "${size[0]}" "${size[1]}"
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    alive "$(cat "$run/worker-$i.pid")" || die "worker $i exited (log: $run/logs/worker-$i.log)"
    if grep -q "Successfully registered with master" "$run/logs/worker-$i.log" 2>/dev/null; then
      log "worker $i registered (PID $(cat "$run/worker-$i.pid"))"
      return 0
    fi
    sleep 0.5
  done
  die "worker $i did not register within 60 s (log: $run/logs/worker-$i.log)"
}

cmd_start() {
  local workers=2 cores=1 memory=1g port=7077 webui=8080 line=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --spark) line="$2"; shift 2 ;;
      --workers) workers="$2"; shift 2 ;;
      --cores) cores="$2"; shift 2 ;;
      --memory) memory="$2"; shift 2 ;;
      --port) port="$2"; shift 2 ;;
      --webui-port) webui="$2"; shift 2 ;;
      *) die "start: unknown option $1 (expected --spark LINE --workers N --cores C --memory M --port P --webui-port P)" ;;
    esac
  done
  [[ "$workers" =~ ^[1-9][0-9]*$ ]] || die "--workers must be a positive integer"
  [[ "$cores" =~ ^[1-9][0-9]*$ ]] || die "--cores must be a positive integer"
  if [[ -f "$run/master.pid" ]] && alive "$(cat "$run/master.pid")"; then
    die "a cluster is already running (master PID $(cat "$run/master.pid")); run: $0 stop"
  fi
  spark_line_load "$line"
  local home
  home="$(ensure_runtime)"
  rm -rf "$run"
  mkdir -p "$run/logs" "$run/work"
  echo "$spark_line" >"$run/spark-line"
  echo "$scala_binary" >"$run/scala-binary"
  echo "spark://127.0.0.1:$port" >"$run/master-url"
  echo "$webui" >"$run/webui-port"
  echo "$home" >"$run/spark-home"

  export SPARK_HOME="$home" SPARK_SCALA_VERSION="$scala_binary" SPARK_LOCAL_IP=127.0.0.1
  export SPARK_LOCAL_HOSTNAME=127.0.0.1 SPARK_LOG_DIR="$run/logs" OPENBLAS_NUM_THREADS=1
  # Daemons stay small; executors get --memory each (spark.executor.memory of the application decides).
  (cd "$run" && exec java -Xmx512m "${JAVA_OPENS[@]}" -cp "$home/jars/*" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$port" --webui-port "$webui" >"$run/logs/master.log" 2>&1) &
  echo $! >"$run/master.pid"
  echo "$cores $memory" >"$run/worker-size"
  local i
  for ((i = 1; i <= workers; i++)); do
    launch_worker "$i" "$cores" "$memory"
  done
  log "waiting for the master and $workers worker(s) to register"
  local deadline=$((SECONDS + 120)) n=0
  while ((SECONDS < deadline)); do
    alive "$(cat "$run/master.pid")" || { tail -20 "$run/logs/master.log" >&2; cmd_stop >/dev/null 2>&1; die "the master exited (log: $run/logs/master.log)"; }
    for ((i = 1; i <= workers; i++)); do
      alive "$(cat "$run/worker-$i.pid")" || { tail -20 "$run/logs/worker-$i.log" >&2; cmd_stop >/dev/null 2>&1; die "worker $i exited (log: $run/logs/worker-$i.log)"; }
    done
    n="$(master_info count || echo 0)"
    if [[ "$n" -ge "$workers" ]]; then
      cmd_status
      return 0
    fi
    sleep 1
  done
  cmd_stop >/dev/null 2>&1 || true
  die "only $n of $workers workers registered within 120 s (logs: $run/logs)"
}

cmd_status() {
  [[ -f "$run/master.pid" ]] || { echo "no cluster (nothing under $run)"; return 1; }
  local mpid
  mpid="$(cat "$run/master.pid")"
  if ! alive "$mpid"; then
    echo "master: not running (stale run folder $run)"
    return 1
  fi
  echo "master: $(cat "$run/master-url")  Spark $(cat "$run/spark-line" 2>/dev/null || echo '?') line  (PID $mpid, web UI http://127.0.0.1:$(cat "$run/webui-port")/)"
  echo "SPARK_HOME=$(cat "$run/spark-home")"
  master_info list || true
  local f
  for f in "$run"/worker-*.pid; do
    [[ -f "$f" ]] || continue
    local p
    p="$(cat "$f")"
    echo "$(basename "$f" .pid): PID $p $(alive "$p" && echo running || echo 'not running')"
  done
  echo "logs: $run/logs  (executors: $run/work/worker-*/app-*/)"
}

# TERM, then KILL whatever is left after 10 s.
kill_pids() {
  local pids=("$@") p left
  [[ ${#pids[@]} -gt 0 ]] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    left=0
    for p in "${pids[@]}"; do alive "$p" && left=1; done
    ((left)) || return 0
    sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

cmd_stop() {
  [[ -d "$run" ]] || { echo "no cluster"; return 0; }
  local pids=() f p
  for f in "$run"/worker-*.pid; do
    [[ -f "$f" ]] && pids+=("$(cat "$f")")
  done
  kill_pids "${pids[@]}"
  [[ -f "$run/master.pid" ]] && kill_pids "$(cat "$run/master.pid")"
  # Executors (and cluster-mode drivers) that outlived a worker killed with SIGKILL.
  mapfile -t pids < <(run_children)
  kill_pids "${pids[@]}"
  local left=()
  for f in "$run"/*.pid; do
    [[ -f "$f" ]] || continue
    p="$(cat "$f")"
    alive "$p" && left+=("$p")
  done
  mapfile -t -O "${#left[@]}" left < <(run_children)
  if [[ ${#left[@]} -gt 0 ]]; then
    die "still running: ${left[*]}"
  fi
  rm -f "$run"/*.pid
  echo "cluster stopped"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  add-worker) cmd_add_worker ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  spark-home) shift; cmd_spark_home "$@" ;;
  *) echo "usage: $0 start [--spark LINE] [--workers N] [--cores C] [--memory M] [--port P] [--webui-port P] | add-worker | status | stop | spark-home [--spark LINE]" >&2; exit 2 ;;
esac
