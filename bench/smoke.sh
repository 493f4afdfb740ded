#!/usr/bin/env bash
# Benchmark smoke test for CI: N=50, one repetition, no page weight, no serve; well under 60 s.
# Exits non-zero if the Statusbook build fails or an INTERNAL-ONLY- token reaches the site.
# Writes nothing into the work tree (results and scratch go under $TMPDIR).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=${TMPDIR:-/tmp}/statusbook-bench-smoke
export BENCH_WORK=${BENCH_WORK:-$tmp/work}
exec "$here/run.sh" --reps 1 --no-pageweight --no-serve --results-dir "$tmp/results" \
  --name smoke 50 "$@"
