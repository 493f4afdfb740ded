#!/usr/bin/env python3
"""Time the blameless lint alone on the benchmark corpus, in one process.

usage: $PYTHON bench/lint_bench.py [--n 10000] [--reps 3] [--extra DIR]

Generates N synthetic incidents with the kit's gen_corpus.py (../shared/bench/), converts them
with bench/convert.py into $BENCH_WORK/lint-N (once; reused after), reads every incident,
maintenance and postmortem file into memory, then times `lint_text` over all of them in this
process (no cache, no workers), so the figure is the lint's own CPU cost, comparable between
two versions of lint/blameless.py. --extra DIR adds the Markdown files of DIR (e.g. a real
postmortem corpus), each linted 100 times, as a second figure: the synthetic corpus is short and
regular, real postmortems are long. Prints the median of --reps runs for each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KIT = (HERE.parent.parent / "shared" / "bench").resolve()
WORK = Path(os.environ.get("BENCH_WORK") or "/tmp/statusbook-bench").resolve()


def _site(n: int) -> Path:
    site = WORK / f"lint-{n}"
    if (site / "content").is_dir():
        return site
    WORK.mkdir(parents=True, exist_ok=True)
    corpus = WORK / f"lint-{n}.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(KIT / "gen_corpus.py"),
            "--format",
            "json",
            "--n",
            str(n),
            "--out",
            str(corpus),
        ],
        check=True,
    )
    subprocess.run([sys.executable, str(HERE / "convert.py"), str(corpus), str(site)], check=True)
    return site


def _files(site: Path) -> list[tuple[str, str, str]]:
    from statusbook.lint.blameless import FOLDER_KINDS

    out = []
    for folder, kind in FOLDER_KINDS.items():
        for path in sorted((site / "content" / folder).rglob("*.md")):
            out.append((str(path), path.read_text(encoding="utf-8"), kind))
    return out


def _time(files: list[tuple[str, str, str]], reps: int) -> tuple[float, int]:
    from statusbook.lint.blameless import Rules, lint_text

    rules = Rules()
    times, count = [], 0
    for _ in range(reps):
        t = time.process_time()
        count = sum(len(lint_text(p, text, kind, rules)) for p, text, kind in files)
        times.append(time.process_time() - t)
    return sorted(times)[len(times) // 2], count


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--extra", type=Path)
    a = ap.parse_args()
    files = _files(_site(a.n))
    cpu, found = _time(files, a.reps)
    print(
        f"synthetic N={a.n}: {len(files)} files, lint CPU {cpu:.2f} s "
        f"({cpu / len(files) * 1000:.3f} ms/file), {found} findings"
    )
    if a.extra:
        real = [
            (str(p), p.read_text(encoding="utf-8"), "postmortem")
            for p in sorted(a.extra.glob("*.md"))
        ] * 100
        cpu, found = _time(real, a.reps)
        print(
            f"{a.extra.name} x100: {len(real)} files, lint CPU {cpu:.2f} s "
            f"({cpu / len(real) * 1000:.3f} ms/file), {found} findings"
        )


if __name__ == "__main__":
    main()
