#!/usr/bin/env python3
"""Profile one Statusbook build of the converted benchmark corpus with cProfile.

usage: PYTHON=... $PYTHON bench/profile_build.py [--n 1000] [--top 25] [--out FILE.prof]
       [--site DIR] [--no-cache] [--validate] [--phases]

Builds SITE (default: $BENCH_WORK/statusbook-N, as bench/run.py prepares it; run
`bench/run.sh --reps 1 --no-pageweight --no-serve N` once first, or pass --site) in this
process under cProfile (`statusbook build -q --now NOW`), saves the profile, and prints:
the top functions by cumulative and by own (total) time, own time summed by area (YAML,
validation, Markdown, Jinja templates, Material, search plugin, file writing, ...), and the
cumulative time of the main stages. --validate profiles `statusbook validate` instead;
--no-cache a cold run; --phases runs without cProfile and prints the wall and CPU time of
the main stages (set STATUSBOOK_JOBS=1 to see the work of worker processes split by stage).
Don't run it while a benchmark is running.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

WORK = Path(
    os.environ.get("BENCH_WORK")
    or os.path.join(os.environ.get("TMPDIR", "/tmp"), "statusbook-bench")
).resolve()
NOW = os.environ.get("NOW", "2026-01-01T00:00:00Z")

_IO_CALLS = (
    "write",
    "open",
    "mkdir",
    "stat",
    "rename",
    "unlink",
    "rmdir",
    "scandir",
    "listdir",
    "read",
    "chmod",
    "utime",
    "copyfile",
    "sendfile",
    "close",
)
_RE_FILES = ("/re/__init__.py", "/re/_parser.py", "/re/_compiler.py")
_STDLIB_PATHS = ("/pathlib.py", "/shutil.py", "/os.py", "/posixpath.py", "/genericpath.py")
_PAGE_MODULES = ("render", "status", "entries", "history", "postmortems", "metrics", "stamped")


def _ours(*names: str):
    """A test for own time spent in the named statusbook modules."""
    return lambda f, fn: any(f.endswith("statusbook/" + name) for name in names)


# (area, test on "filename:function"), first match wins; own time only
AREAS = [
    ("YAML parsing (PyYAML/libyaml)", lambda f, fn: "/yaml/" in f or "_yaml" in f),
    ("statusbook: content/frontmatter.py (YAML nodes -> values)", _ours("content/frontmatter.py")),
    (
        "statusbook: content/ validate + schema + load",
        _ours(
            "content/validate.py", "content/schema.py", "content/load.py", "errors.py", "clock.py"
        ),
    ),
    (
        "statusbook: model + views/ status/uptime/timeline/visibility/site",
        _ours(
            "model.py",
            "views/status.py",
            "views/uptime.py",
            "views/timeline.py",
            "views/visibility.py",
            "views/site.py",
        ),
    ),
    (
        "statusbook: outputs/pages/ + markup.py",
        _ours(*(f"outputs/pages/{m}.py" for m in _PAGE_MODULES), "outputs/markup.py"),
    ),
    (
        "statusbook: feeds/badges/ical",
        _ours("outputs/feeds.py", "outputs/badges.py", "outputs/ical.py", "outputs/__init__.py"),
    ),
    (
        "statusbook: hosts/ (plugin, material) / cli/",
        _ours(
            "hosts/mkdocs_plugin.py",
            "hosts/site_files.py",
            "hosts/material.py",
            "cli/main.py",
            "cli/build.py",
            "cli/common.py",
        ),
    ),
    ("statusbook templates (compiled Jinja)", lambda f, fn: "statusbook/templates" in f),
    ("Material templates (compiled Jinja)", lambda f, fn: "/material/templates" in f),
    ("Material python (plugins, extensions)", lambda f, fn: "/material/" in f),
    ("MkDocs search plugin", lambda f, fn: "mkdocs/contrib/search" in f),
    ("MkDocs core", lambda f, fn: "/mkdocs/" in f),
    ("Markdown (python-markdown, pymdownx)", lambda f, fn: "/markdown/" in f or "/pymdownx/" in f),
    ("Jinja2 runtime/compiler, MarkupSafe", lambda f, fn: "/jinja2/" in f or "/markupsafe/" in f),
    ("nh3 (HTML sanitiser)", lambda f, fn: "nh3" in f or "nh3" in fn),
    ("feedgen / lxml", lambda f, fn: "feedgen" in f or "lxml" in f or "lxml" in fn),
    (
        "file I/O (open, write, mkdir, stat, rename)",
        lambda f, fn: f == "~" and any(x in fn for x in _IO_CALLS),
    ),
    (
        "regular expressions (re, builtin)",
        lambda f, fn: f.endswith(_RE_FILES) or (f == "~" and ("re.Pattern" in fn or "_sre" in fn)),
    ),
    ("zoneinfo / datetime", lambda f, fn: "zoneinfo" in f or "datetime" in fn),
    ("stdlib pathlib/shutil/os", lambda f, fn: f.endswith(_STDLIB_PATHS)),
    ("stdlib other (python)", lambda f, fn: "/lib/python3" in f and "site-packages" not in f),
    ("builtins (str ops, dict, sorted, ...)", lambda f, fn: f == "~"),
]

#: (label, module, function or Class.method): the main stages. The profile reports their
#: cumulative time; --phases wraps them with timers (in this process: worker processes' time
#: shows as the wall time of the call that waits for them).
STAGES = [
    ("mkdocs build (whole)", "mkdocs.commands.build", "build"),
    (
        "plugin.on_config (load + views)",
        "statusbook.hosts.mkdocs_plugin",
        "StatusbookPlugin.on_config",
    ),
    ("content.load_configured (+ lint when asked)", "statusbook.content.load", "load_configured"),
    ("content.load (read + parse + validate content/)", "statusbook.content.load", "load"),
    ("frontmatter.parse_markdown", "statusbook.content.frontmatter", "parse_markdown"),
    ("lint.lint_content", "statusbook.lint.blameless", "lint_content"),
    ("worker pools (map_batches)", "statusbook.workers", "map_batches"),
    (
        "plugin.on_pre_build (every page of ours rendered)",
        "statusbook.hosts.mkdocs_plugin",
        "StatusbookPlugin.on_pre_build",
    ),
    ("mkdocs _build_page (all MkDocs pages)", "mkdocs.commands.build", "_build_page"),
    ("mkdocs _populate_page (markdown of MkDocs pages)", "mkdocs.commands.build", "_populate_page"),
    (
        "plugin.on_post_build (pages written, feeds, sitemap)",
        "statusbook.hosts.mkdocs_plugin",
        "StatusbookPlugin.on_post_build",
    ),
    ("stamped.all_stamped_pages", "statusbook.outputs.pages.stamped", "all_stamped_pages"),
    ("outputs.collect_files (feeds, badges, ical, json)", "statusbook.outputs", "collect_files"),
    (
        "search plugin on_post_build (index)",
        "material.plugins.search.plugin",
        "SearchPlugin.on_post_build",
    ),
    ("Markdown.convert (all)", "markdown.core", "Markdown.convert"),
    ("jinja2 Template.render (all)", "jinja2.environment", "Template.render"),
    (
        "theme files copy (Files.copy_static_files)",
        "mkdocs.structure.files",
        "Files.copy_static_files",
    ),
]


def _source_end(module: str) -> str | None:
    """How the file of `module` ends, as cProfile names it (None: not installed)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        return None
    if spec is None:
        return None
    tail = "/__init__.py" if spec.submodule_search_locations is not None else ".py"
    return module.replace(".", "/") + tail


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--site")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--out")
    ap.add_argument("--no-cache", action="store_true", help="profile a cold build")
    ap.add_argument("--validate", action="store_true", help="`statusbook validate`, not build")
    ap.add_argument(
        "--phases",
        action="store_true",
        help="no cProfile: wall and CPU time of the main stages, as they run",
    )
    a = ap.parse_args(argv)
    site = Path(a.site or WORK / f"statusbook-{a.n}").resolve()
    out = Path(a.out or WORK / f"statusbook-{a.n}.prof").resolve()
    if not (site / "mkdocs.yml").is_file():
        sys.exit(
            f"{site}/mkdocs.yml not found: run bench/run.sh --reps 1 --no-pageweight "
            f"--no-serve {a.n} first, or pass --site"
        )
    os.chdir(site)
    # like measure.py: no previous output, so the build does not pay for deleting it
    import shutil

    shutil.rmtree(site / "site-profile", ignore_errors=True)
    from statusbook.cli.main import main as cli

    command = ["validate"] if a.validate else ["build", "-q", "--now", NOW, "-d", "site-profile"]
    command += ["--no-cache"] * a.no_cache
    if a.phases:
        return phases(cli, command, site, a.n)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    try:
        cli(command, standalone_mode=False)
    finally:
        prof.disable()
    wall = time.perf_counter() - t0
    prof.dump_stats(str(out))
    print(
        f"profiled `statusbook {' '.join(command)}` of {site} (N={a.n}): {wall:.2f} s under "
        f"cProfile; profile {out}\n"
    )

    for key, title in (("cumulative", "cumulative"), ("tottime", "total (own)")):
        buf = io.StringIO()
        st = pstats.Stats(str(out), stream=buf)
        st.sort_stats(key).print_stats(a.top)
        text = buf.getvalue()
        body = text[text.find("   ncalls") :]
        print(f"## top {a.top} by {title} time\n\n```\n{body.rstrip()}\n```\n")

    st = pstats.Stats(str(out))
    total = sum(v[2] for v in st.stats.values())
    areas: dict[str, float] = {}
    for (f, _line, fn), (_cc, _nc, tt, _ct, _callers) in st.stats.items():
        area = next((name for name, test in AREAS if test(f, fn)), "other")
        areas[area] = areas.get(area, 0.0) + tt
    print(f"## own time by area (total {total:.2f} s under the profiler)\n")
    print("| area | s | share |\n|---|---:|---:|")
    for name, t in sorted(areas.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {t:.2f} | {t / total * 100:.1f}% |")
    print("\n## cumulative time of the main stages\n")
    print("| stage | calls | cumulative s | share |\n|---|---:|---:|---:|")
    for label, module, qualname in STAGES:
        file_end, func = _source_end(module), qualname.split(".")[-1]
        hits = [
            (v[1], v[3])
            for (f, _l, fn), v in st.stats.items()
            if file_end and f.endswith(file_end) and fn == func
        ]
        if hits:
            calls = sum(h[0] for h in hits)
            cum = max(h[1] for h in hits)
            print(f"| {label} | {calls:,} | {cum:.2f} | {cum / total * 100:.1f}% |")
    return 0


def phases(cli, command: list[str], site: Path, n: int) -> int:
    """Run the command once with timers around STAGES; print wall and CPU time of each."""
    import importlib

    rows: dict[str, list[float]] = {}
    start = time.perf_counter()

    def timed(real, label):
        def wrapper(*args, **kwargs):
            t, c = time.perf_counter(), time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                row = rows.setdefault(label, [0, 0.0, 0.0, t - start])
                row[0] += 1
                row[1] += time.perf_counter() - t
                row[2] += time.process_time() - c

        return wrapper

    for label, module_name, path in STAGES:
        if _source_end(module_name) is None:
            continue
        owner = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for part in parents:
            owner = getattr(owner, part)
        real = getattr(owner, name, None)
        if real is None:
            continue
        wrapped = timed(real, label)
        setattr(owner, name, wrapped)
        for module in list(sys.modules.values()):  # modules that imported it by name
            if (
                getattr(module, "__name__", "").startswith("statusbook")
                and getattr(module, name, None) is real
            ):
                setattr(module, name, wrapped)
    imports = time.process_time()
    code = 0
    try:
        cli(command, standalone_mode=False)
    except SystemExit as exc:
        code = exc.code or 0
    total = time.perf_counter() - start
    print(
        f"`statusbook {' '.join(command)}` in {site} (N={n}), jobs "
        f"{os.environ.get('STATUSBOOK_JOBS', 'default')}: {total:.2f} s wall after imports "
        f"({imports:.2f} s CPU before it: Python and imports)\n"
    )
    print("| stage | calls | wall s | CPU s (this process) | starts at s |")
    print("|---|---:|---:|---:|---:|")
    for label, (calls, wall, cpu, first) in sorted(rows.items(), key=lambda kv: kv[1][3]):
        print(f"| {label} | {calls:,} | {wall:.2f} | {cpu:.2f} | {first:.2f} |")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
