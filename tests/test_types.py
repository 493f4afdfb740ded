"""mypy --strict passes on the core (content, model, views, outputs, errors, clock, context):
the packages and options are in pyproject.toml's [tool.mypy]."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_the_core_passes_mypy_strict(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found in ")


def test_the_configuration_covers_the_core_and_is_strict():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    with (REPO / "pyproject.toml").open("rb") as f:
        config = tomllib.load(f)["tool"]["mypy"]
    assert config["strict"] is True
    core = {"content", "model.py", "views", "outputs", "errors.py", "clock.py", "context.py"}
    assert {Path(p).name for p in config["files"]} == core
