#!/usr/bin/env bash
# Builds what the #18 redesign promised not to change, with one checkout's statusbook, so that
# two checkouts can be compared with `diff -r`: the example site (public and internal, cold,
# then warm from the cache the cold builds left) and the benchmark's N=1,000 corpus (cold,
# then warm). The corpus is $BENCH_WORK/statusbook-1000, as `bench/run.sh 1000` converts it.
# usage: bench/same_outputs.sh CHECKOUT OUT_DIR   (CHECKOUT/.venv/bin/statusbook must exist)
# e.g.:  git worktree add --detach /tmp/before HEAD~3 && (cd /tmp/before && python3 -m venv
#        .venv && .venv/bin/pip install -q -e .); bench/same_outputs.sh /tmp/before /tmp/a;
#        bench/same_outputs.sh . /tmp/b; diff -r /tmp/a /tmp/b
set -euo pipefail
checkout=$(realpath "$1")
out=$(realpath -m "$2")
statusbook="$checkout/.venv/bin/statusbook"
corpus=${BENCH_WORK:-/tmp/statusbook-bench}/statusbook-1000
[ -d "$corpus" ] || { echo "$corpus missing: run bench/run.sh --reps 1 1000 first" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build() { # SITE_DIR OUT_NAME NOW [ARGS...]: one quiet build (the corpus warns about sections)
  local site=$1 name=$2 now=$3
  shift 3
  (cd "$site" && "$statusbook" build -q --now "$now" -d "$out/$name" "$@" 2>"$work/$name.log") ||
    { cat "$work/$name.log" >&2; exit 1; }
}
mkdir "$work/example"
cp -r "$checkout/mkdocs.yml" "$checkout/content" "$checkout/pages" "$work/example/"
[ -d "$checkout/overrides" ] && cp -r "$checkout/overrides" "$work/example/"
example_now=2026-11-23T15:00:00Z
build "$work/example" example-public $example_now --no-cache
build "$work/example" example-internal $example_now --no-cache --internal
build "$work/example" example-warm $example_now
build "$work/example" example-warm $example_now # the first warm build wrote the cache
cp -r "$corpus" "$work/corpus"
rm -rf "$work/corpus/.cache" "$work/corpus/site"
build "$work/corpus" corpus-cold 2026-01-01T00:00:00Z --no-cache
build "$work/corpus" corpus-warm 2026-01-01T00:00:00Z
build "$work/corpus" corpus-warm 2026-01-01T00:00:00Z
echo "$(find "$out" -type f | wc -l) files in $out"
