#!/usr/bin/env bash
# A cold Statusbook build and the floor, interleaved (floor, Statusbook, floor, ...), with their
# CPU split into user and system time: the benchmark's cpu_s is their sum, and on this machine
# the system part of a build moves between runs by more than the floor's whole margin (the
# kernel's cost of creating files after others were deleted; see the 2026-12-06 results).
# Output folders are removed before each run, untimed, as bench/measure.py does.
# usage: bench/user_sys.sh N REPS
#        (the corpus and floor sources are the ones `bench/run.sh N` prepared)
set -euo pipefail
n=$1 reps=$2
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_WORK:-/tmp/statusbook-bench}
kit=${BENCH_KIT:-$root/../shared/bench}
py=${PYTHON:-$root/.venv/bin/python}
site=$work/statusbook-$n floor=$work/floor-$n
for d in "$site/content" "$floor/src"; do
  [ -d "$d" ] || { echo "$d missing: run bench/run.sh --reps 1 $n first" >&2; exit 2; }
done
log=$(mktemp)
trap 'rm -f "$log" "$log.t"' EXIT
timed() { # LABEL DIR OUT CMD...: one run, "label user sys wall" appended to $log
  local label=$1 dir=$2 out=$3
  shift 3
  rm -rf "${dir:?}/$out"
  (cd "$dir" && /usr/bin/time -f "$label %U %S %e" -o "$log.t" "$@" >/dev/null 2>&1)
  cat "$log.t" >> "$log"
}
for _ in $(seq "$reps"); do
  timed floor "$floor" out "$py" "$kit/floor_render.py" render src out --jobs 1
  timed statusbook-cold "$site" site "$(dirname "$py")/statusbook" build -q \
    --now 2026-01-01T00:00:00Z --no-cache
done
"$py" - "$log" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, user, system, wall = line.split()
    runs.setdefault(label, []).append((float(user), float(system), float(wall)))
med = {k: [statistics.median(r[i] for r in v) for i in range(3)] for k, v in runs.items()}
for label, (user, system, wall) in med.items():
    print(f"{label:16} user {user:.2f} s  system {system:.2f} s  cpu {user + system:.2f} s"
          f"  wall {wall:.2f} s  (median of {len(runs[label])})")
f, s = med["floor"], med["statusbook-cold"]
print(f"statusbook-cold / floor: user {s[0] / f[0]:.2f}x  system {s[1] / f[1]:.2f}x"
      f"  cpu {(s[0] + s[1]) / (f[0] + f[1]):.2f}x")
EOF
