#!/usr/bin/env bash
# Build time of several checkouts on one corpus, repetitions interleaved (A B C, A B C, ...)
# so that a noisy machine slows all of them alike: warm (the cache one untimed build left)
# and cold (--no-cache), CPU (user + system, worker processes included) and wall, medians.
# The corpus is $BENCH_WORK/statusbook-N, as `bench/run.sh N` converts it.
# usage: bench/compare_checkouts.sh N REPS LABEL=CHECKOUT ...
#        (each CHECKOUT/.venv/bin/statusbook installed from that checkout, e.g. a worktree)
# e.g.:  bench/compare_checkouts.sh 1000 5 before=/tmp/before after=.
set -euo pipefail
n=$1 reps=$2
shift 2
corpus=${BENCH_WORK:-/tmp/statusbook-bench}/statusbook-$n
[ -d "$corpus" ] || { echo "$corpus missing: run bench/run.sh --reps 1 $n first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for spec in "$@"; do
  label=${spec%%=*}
  cp -r "$corpus" "$work/$label"
  rm -rf "$work/$label/.cache"
done
run() { # LABEL CHECKOUT MODE: one timed build, a line "label mode cpu wall" on stdout
  local label=$1 statusbook=$(realpath "$2")/.venv/bin/statusbook mode=$3 flag=()
  [ "$mode" = cold ] && flag=(--no-cache)
  (cd "$work/$label" && /usr/bin/time -f "$label $mode %U %S %e" -o "$work/time" \
    "$statusbook" build -q --now 2026-01-01T00:00:00Z -d "$work/out-$label" "${flag[@]}" \
    >/dev/null 2>"$work/log") || { tail -5 "$work/log" >&2; exit 1; }
  awk '{printf "%s %s %.2f %.2f\n", $1, $2, $3 + $4, $5}' "$work/time"
}
for spec in "$@"; do run "${spec%%=*}" "${spec#*=}" warm >/dev/null; done # the cache, untimed
for _ in $(seq "$reps"); do
  for mode in warm cold; do
    for spec in "$@"; do run "${spec%%=*}" "${spec#*=}" $mode; done
  done
done | tee "$work/all" >&2
python3 - "$work/all" "$@" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
print("| checkout | build | CPU s, median (min-max) | wall s, median |")
print("|---|---|---:|---:|")
for mode in ("warm", "cold"):
    for spec in sys.argv[2:]:
        label = spec.split("=", 1)[0]
        cpu = [float(r[2]) for r in rows if r[:2] == [label, mode]]
        wall = [float(r[3]) for r in rows if r[:2] == [label, mode]]
        print(f"| {label} | {mode} | {statistics.median(cpu):.2f} ({min(cpu):.2f}-{max(cpu):.2f})"
              f" | {statistics.median(wall):.2f} |")
PY
