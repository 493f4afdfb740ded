#!/usr/bin/env bash
# Statusbook's performance benchmark (see bench/run.py for what it measures and writes).
# usage: bench/run.sh [--reps R] [--no-pageweight] [--no-serve] [N ...]   (N: 100 1000 10000)
# env:   PYTHON  interpreter with statusbook installed (default: .venv/bin/python; if
#                missing, .venv is created and statusbook installed)
#        BENCH_WORK, SEED, BENCH_KIT, NOW: see bench/run.py
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${PYTHON:-}" ]; then
  if [ -x "$root/.venv/bin/python" ]; then
    PYTHON=$root/.venv/bin/python
  else
    python3 -m venv "$root/.venv"
    "$root/.venv/bin/python" -m pip install --quiet -e "$root"
    PYTHON=$root/.venv/bin/python
  fi
fi
export PYTHON
exec "$PYTHON" "$root/bench/run.py" "$@"
