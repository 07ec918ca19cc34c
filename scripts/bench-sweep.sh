#!/usr/bin/env bash
# Small-trials benchmark: training wall time of a sweep of 8 small trials (wheat seeds, two hidden layers of 64)
# divided by that of the same sweep with one trial, as the sweep reports it (JVM start and data loading, equal
# for both, excluded; the end-to-end times go to stderr too). Prints "ratio sweep-8-small-trials-vs-one=<value>";
# the goal is <= 2. Env: PARALLELISM (default 8), ENGINE (local | spark, default local), EPOCHS (default 40),
# REPEATS (best of, default 3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
parallelism="${PARALLELISM:-8}"
engine="${ENGINE:-local}"
epochs="${EPOCHS:-40}"
repeats="${REPEATS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One config, two sweeps: 8 learning rates, or the first of them alone.
write_conf() { # $1 = file, $2 = values
  cat > "$1" <<CONF
data { train = "builtin:wheat-seeds", validation-fraction = 0.2 }
model { hidden = [64, 64], activation = relu }
optimizer { name = adam, learning-rate = 0.01 }
train { engine = $engine, epochs = $epochs, batch-size = 16, threads = 1, seed = 1 }
spark.partitions = 1
sweep {
  metric { name = val_accuracy }
  parameters { "optimizer.learning-rate" { values = [$2] } }
  parallelism = $parallelism
}
CONF
}
write_conf "$work/eight.conf" "0.001, 0.002, 0.003, 0.005, 0.007, 0.01, 0.02, 0.03"
write_conf "$work/one.conf" "0.001"

"$root/scripts/sparkprop" --version > /dev/null # build once, outside the timings

min() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }

seconds() { # prints "training end-to-end": the best of $repeats fresh sweeps of config $1
  local train="" total="" t0 t1 s
  for _ in $(seq "$repeats"); do
    rm -rf "$work/out"
    t0=$(date +%s.%N)
    "$root/scripts/sparkprop" sweep --config "$1" --out "$work/out" > /dev/null 2> "$work/log" \
      || { cat "$work/log" >&2; exit 1; }
    t1=$(date +%s.%N)
    s=$(sed -n 's/^sweep: [0-9]* training segments in \([0-9.]*\) s wall$/\1/p' "$work/log")
    train=$(min "$s" "$train")
    total=$(min "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$total")
  done
  echo "$train $total"
}

read -r one one_total < <(seconds "$work/one.conf")
read -r eight eight_total < <(seconds "$work/eight.conf")
echo "training wall: one trial ${one}s, 8 trials ${eight}s; end to end: ${one_total}s and ${eight_total}s" \
  "(engine $engine, parallelism $parallelism, $epochs epochs, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))" >&2
echo "ratio sweep-8-small-trials-vs-one=$(awk -v a="$eight" -v b="$one" 'BEGIN { printf "%.2f", a / b }')"
