"""The code stays clean under the project's ruff rules (pyproject.toml, [tool.ruff]): the
package, its tests and the benchmark scripts. CI installs ruff with the test extras."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_ruff_reports_nothing() -> None:
    if importlib.util.find_spec("ruff") is None:
        if os.environ.get("CI"):
            pytest.fail("ruff is missing (CI must have it: it is a test extra)", pytrace=False)
        pytest.skip("ruff is not installed: pip install -e '.[test]'")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--output-format",
            "concise",
            "generator",
            "tests",
            "bench",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
