"""Time `serve` rebuilds in one process, without the server: what an edit costs after MkDocs
notices it. bench/run.py measures edit-to-browser under a real `statusbook serve` (polling and
reload included); this isolates the rebuild, for A/B runs of a change and for cProfile.

    python bench/serve_rebuild.py --n 1000 [--edits 3] [--profile]

Works on a copy of $BENCH_WORK/statusbook-N (prepared by bench/run.sh), so the corpus the
benchmark uses is never edited.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from profile_build import NOW, WORK  # the benchmark's work folder and build time

SERVE_URL = "http://127.0.0.1:8000/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the last rebuild")
    args = parser.parse_args()
    source = WORK / f"statusbook-{args.n}"
    if not (source / "mkdocs.yml").is_file():
        print(f"{source} not found: run bench/run.sh {args.n} first", file=sys.stderr)
        return 2
    # The build time the benchmark uses (`serve` has no --now here), so that the same pages
    # depend on the clock.
    moment = datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(source, site, ignore=shutil.ignore_patterns("site", "site-*"))
        out = Path(tmp) / "out"

        def config():  # what `mkdocs serve` does before each build
            loaded = load_config(config_file=str(site / "mkdocs.yml"), site_dir=str(out))
            loaded.site_url = SERVE_URL
            return loaded

        first = config()
        first.plugins.on_startup(command="serve", dirty=True)  # as `statusbook serve` runs it
        started = time.perf_counter()
        build(first, serve_url=SERVE_URL, dirty=True)
        print(f"first build: {time.perf_counter() - started:.2f} s wall")
        incident = sorted((site / "content" / "incidents").rglob("*.md"))[0]
        profile = None
        for k in range(args.edits):
            with incident.open("a", encoding="utf-8") as f:
                f.write(f"\nEdit {k} for the rebuild benchmark.\n")
            if args.profile and k == args.edits - 1:
                profile = cProfile.Profile()
                profile.enable()
            wall, cpu = time.perf_counter(), time.process_time()
            build(config(), serve_url=SERVE_URL, dirty=True)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if profile is not None:
                profile.disable()
            print(f"rebuild {k + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
