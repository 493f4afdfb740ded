"""The code stays clean under the project's ruff rules (pyproject.toml, [tool.ruff]): the
package, its tests and the benchmark scripts, checked and formatted. CI installs ruff with the
test extras."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FOLDERS = ("generator", "tests", "bench")


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    """`ruff ARGS` over the project's folders, without writing a cache."""
    if importlib.util.find_spec("ruff") is None:
        if os.environ.get("CI"):
            pytest.fail("ruff is missing (CI must have it: it is a test extra)", pytrace=False)
        pytest.skip("ruff is not installed: pip install -e '.[test]'")
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", *FOLDERS],
        cwd=REPO,
        capture_output=True,
        text=True,
    )


def test_ruff_reports_nothing() -> None:
    run = _ruff("check", "--output-format", "concise")
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format_would_change_nothing() -> None:
    """One layout everywhere, so that a diff shows what changed and nothing else."""
    run = _ruff("format", "--check")
    assert run.returncode == 0, "run `ruff format generator tests bench`:\n" + run.stdout
