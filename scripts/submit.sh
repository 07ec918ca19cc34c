#!/usr/bin/env bash
# Submits a sparkprop command to a Spark cluster through Spark's own SparkSubmit, with the thin application jar.
#
#   scripts/submit.sh [--master URL] [--deploy-mode client|cluster] [spark-submit options...] <command> [args...]
#
#   --master URL        default: the cluster of scripts/local-cluster.sh (.cluster/run/master-url), else
#                       spark://127.0.0.1:7077; any spark://, yarn or k8s:// URL works with a matching SPARK_HOME
#   --deploy-mode MODE  client (default: the driver is this process) or cluster (the driver runs on a worker;
#                       give --out and data paths that the worker can reach, e.g. absolute or hdfs:// paths)
#   other --options before <command> go to spark-submit as they are (--conf k=v, --executor-memory 2g,
#   --executor-cores 1, --total-executor-cores 4, --num-executors 2, --driver-memory 2g, --name N, ...)
#
# <command> [args...] are sparkprop's (train, evaluate, predict, gradcheck): `--config FILE` is shipped with
# --files and passed as an absolute path (on YARN in cluster mode: as the file's name, which the driver finds in
# its container's working directory; elsewhere a cluster-mode driver needs the path readable where it runs);
# `--set KEY=VALUE` overrides travel as application arguments. `train` gets `--set train.engine=spark` first,
# so a cluster run uses the Spark engine unless a later --set says otherwise.
#
# SPARK_HOME: the Spark installation whose SparkSubmit and jars are used (default: the running cluster's of
# scripts/local-cluster.sh, else the runtime it assembles for the default line). The application jar matches its
# Spark line, read from SPARK_HOME/jars/spark-core_*: spark-job/target/sparkprop-spark-job_2.13-*-app.jar for
# Spark 4.x (Scala 2.13), spark-job/target/spark-3.5/sparkprop-spark-job_2.12-*-app.jar for Spark 3.5 (Scala
# 2.12); built when missing. SPARKPROP_DRIVER_MEMORY or --driver-memory: the driver's heap (default 2g in
# client mode, Spark's 1g in cluster mode, where it must fit a worker's --memory).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/spark-line.sh"

die() { echo "submit: $*" >&2; exit 2; }

master=""
mode="client"
driver_mem="${SPARKPROP_DRIVER_MEMORY:-}"
spark_args=()
while [[ $# -gt 0 && "$1" == -* ]]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --master=*) master="${1#*=}"; shift ;;
    --deploy-mode) mode="$2"; shift 2 ;;
    --deploy-mode=*) mode="${1#*=}"; shift ;;
    --driver-memory) driver_mem="$2"; shift 2 ;;
    --supervise|--verbose) spark_args+=("$1"); shift ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --*=*) spark_args+=("$1"); shift ;;
    --*) [[ $# -ge 2 ]] || die "$1 needs a value"; spark_args+=("$1" "$2"); shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ $# -ge 1 ]] || die "usage: submit.sh [--master URL] [--deploy-mode client|cluster] <command> [args...]"
[[ "$mode" == client || "$mode" == cluster ]] || die "--deploy-mode must be client or cluster, not $mode"
if [[ -z "$master" ]]; then
  if [[ -f "$root/.cluster/run/master-url" ]]; then
    master="$(cat "$root/.cluster/run/master-url")"
  else
    master="spark://127.0.0.1:7077"
  fi
fi

command="$1"
shift
app_args=("$command")
[[ "$command" == train ]] && app_args+=(--set train.engine=spark)
files=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --config|--config=*)
      if [[ "$1" == --config ]]; then
        [[ $# -ge 2 ]] || die "--config needs a file"
        f="$2"; shift 2
      else
        f="${1#*=}"; shift
      fi
      [[ -f "$f" ]] || die "--config $f: no such file"
      f="$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
      files+=("$f")
      # YARN puts --files in the driver container's working directory; a standalone (or Kubernetes) driver
      # reads its config before Spark starts, so it gets the absolute path (a shared or same-machine path).
      if [[ "$mode" == cluster && "$master" == yarn* ]]; then app_args+=(--config "$(basename "$f")"); else app_args+=(--config "$f"); fi
      ;;
    *) app_args+=("$1"); shift ;;
  esac
done

if [[ -z "${SPARK_HOME:-}" ]]; then
  SPARK_HOME="$("$root/scripts/local-cluster.sh" spark-home)"
fi
export SPARK_HOME
line="$(spark_line_of_home "$SPARK_HOME")" || exit 2
spark_line_load "$line"
jar="$app_jar"
if [[ ! -f "$jar" ]]; then
  echo "submit: building the application jar for Spark $spark_line (mvn $mvn_profile package)..." >&2
  # shellcheck disable=SC2086
  (cd "$root" && mvn -q -B ${MVN_FLAGS:-} $mvn_profile package -DskipTests >&2)
fi
export SPARK_SCALA_VERSION="$scala_binary"
case "$master" in
  *127.0.0.1*|*localhost*|local*) export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" ;;
esac

source "$root/scripts/java-opens.sh"
opens="$JAVA_OPENS_STRING"

submit=(--master "$master" --deploy-mode "$mode" --class io.sparkprop.cli.Main --name "sparkprop $command"
  --conf "spark.driver.extraJavaOptions=$opens" --conf "spark.executor.extraJavaOptions=$opens"
  --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1)
if [[ "$mode" == cluster ]]; then
  # Wait for the driver to finish, so this script's exit status is the run's.
  submit+=(--conf spark.standalone.submit.waitAppCompletion=true)
  # The driver runs in a worker's memory: Spark's default (1g) unless asked for.
  [[ -n "$driver_mem" ]] && submit+=(--driver-memory "$driver_mem")
fi
if [[ ${#files[@]} -gt 0 ]]; then
  submit+=(--files "$(IFS=,; echo "${files[*]}")")
fi

export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
# Client mode: this JVM is the driver, so its heap and --add-opens are set here (SparkSubmit cannot).
java_cmd=(java "-Xmx${driver_mem:-2g}" $opens
  "-Dlog4j2.configurationFile=${SPARKPROP_LOG4J:-$root/scripts/spark-runtime/log4j2.properties}"
  -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit
  "${submit[@]}" ${spark_args[@]+"${spark_args[@]}"} "$jar" "${app_args[@]}")
if [[ "$mode" == cluster && "$master" == spark://* ]]; then
  # Spark's standalone client exits 0 even when the driver FAILED: read the state it reports.
  state="$(mktemp)"
  rc=0
  "${java_cmd[@]}" 2>&1 | tee "$state" || rc=$?
  if grep -Eq 'State of driver .* is (FAILED|ERROR|KILLED)' "$state"; then
    echo "submit: the driver failed; its output is in the worker's work directory, driver-*/stderr" >&2
    rc=1
  fi
  rm -f "$state"
  exit "$rc"
fi
exec "${java_cmd[@]}"
