#!/usr/bin/env bash
# The native BLAS on a 2-worker standalone cluster (the default Spark line), spirals for a few epochs:
#   pinned    compute.backend = blas-bundled: every partition's executor reports the OpenBLAS bundled in the app
#             jar (gemm_kernels), one kernel, no warning
#   auto      every executor reports the system's BLAS when this machine has libblas.so.3, else the bundled one
#   mismatch  a third worker started with another OPENBLAS_CORETYPE: 3 partitions on 3 executors report two
#             kernels, and the run warns on stderr and in summary.json (gemm_kernel_warning)
#   jar       the app jar carries OpenBLAS for Linux x86-64 and ARM64 (only x86-64 runs here); its size is printed
# About a minute on 2 cores once the jar is built. Environment: MVN_FLAGS (e.g. -o), SPARKPROP_CLUSTER_DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
base="${SPARKPROP_CLUSTER_DIR:-$root/.cluster}"
work="$base/blas-test"
cluster="$root/scripts/local-cluster.sh"
args=(train --config conf/spirals.conf --set train.epochs=3)
failures=0

say() { echo "blas-cluster-test: $*"; }
ok() { say "ok   $*"; }
fail() { failures=$((failures + 1)); say "FAIL $*"; }
trap '"$cluster" stop >/dev/null 2>&1 || true' EXIT
# kernels RUN: "<distinct kernels>|<backends of the partitions>|<warning or empty>" from summary.json.
kernels() {
  python3 - "$work/$1/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
k = s.get("gemm_kernels", {})
names = sorted({kernel.split(" ")[0] for kernel in k})
print(f"{len(k)}|{','.join(names)}|{s.get('gemm_kernel_warning', '')}")
PY
}
train() {
  local name="$1"
  shift
  scripts/submit.sh "${args[@]}" "$@" --out "$work/$name" >"$work/$name.log" 2>&1 \
    || { tail -30 "$work/$name.log"; fail "$name: the run failed"; return 1; }
}

rm -rf "$work"
mkdir -p "$work"
t_start=$SECONDS
"$cluster" start --workers 2 --cores 1 --memory 1g >/dev/null

if train pinned --set spark.partitions=2 --set compute.backend=blas-bundled; then
  IFS='|' read -r n names warning <<<"$(kernels pinned)"
  if [[ "$n" == 1 && "$names" == blas-bundled && -z "$warning" ]]; then
    ok "pinned: both partitions' executors run the bundled OpenBLAS: $(python3 -c 'import json,sys; print(list(json.load(open(sys.argv[1]))["gemm_kernels"])[0])' "$work/pinned/summary.json")"
  else
    fail "pinned: $n kernel(s), backends '$names', warning '$warning'"
  fi
fi

app_jar="$(ls spark-job/target/sparkprop-spark-job_2.13-*-app.jar | head -1)"
listing="$(jar tf "$app_jar")"
for platform in linux-x86_64 linux-arm64; do
  if grep -qx "org/bytedeco/openblas/$platform/libopenblas.so.0" <<<"$listing"; then
    ok "jar: OpenBLAS for $platform is bundled"
  else
    fail "jar: no OpenBLAS for $platform in $app_jar"
  fi
done
say "app jar $(basename "$app_jar"): $(( $(stat -c %s "$app_jar") / 1000000 )) MB"

want=blas-bundled
ldconfig -p 2>/dev/null | grep -q 'libblas\.so\.3 ' && want=blas-system
if train auto --set spark.partitions=2; then
  IFS='|' read -r n names warning <<<"$(kernels auto)"
  if [[ "$n" == 1 && "$names" == "$want" ]]; then
    ok "auto: every executor runs $want"
  else
    fail "auto: $n kernel(s), backends '$names' (want $want)"
  fi
fi

other=Prescott
[[ "${OPENBLAS_CORETYPE:-}" == Prescott ]] && other=Nehalem
OPENBLAS_CORETYPE="$other" "$cluster" add-worker
if train mismatch --set spark.partitions=3 --set compute.backend=blas-bundled; then
  IFS='|' read -r n names warning <<<"$(kernels mismatch)"
  if [[ "$n" == 2 && "$warning" == *"OPENBLAS_CORETYPE=$other"* ]] \
      && grep -q "sparkprop: warning: the tasks run 2 different GEMM kernels" "$work/mismatch.log"; then
    ok "mismatch: two kernels reported and warned about (stderr and summary.json)"
  else
    fail "mismatch: $n kernel(s), warning '$warning'"
  fi
fi
"$cluster" stop >/dev/null
say "total $((SECONDS - t_start)) s; logs in $work"
((failures == 0)) && say "passed" || say "$failures failed"
((failures == 0))
