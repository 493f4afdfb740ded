"""The repository's own example site: it validates, and its internal content stays internal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T15:00:00Z"
MARKERS = ("INTERNAL-ONLY-MARKER-7f3a", "INTERNAL-ONLY-MARKER-pm-5d1c")


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("example")
    for name in ("mkdocs.yml", "content", "pages", "overrides"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        else:
            shutil.copy(source, site / name)
    return site


def _files_containing(folder: Path, needle: str) -> list[str]:
    return [
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and needle.encode() in p.read_bytes()
    ]


def test_example_content_validates_without_findings(example):
    result = run_cli(["validate", "-f", example / "mkdocs.yml"])
    assert result.exit_code == 0, result.output
    assert "OK: 11 components, 25 incidents" in result.output


def test_example_markers_reach_only_the_internal_edition(example):
    public = example / "public"
    internal = example / "internal"
    built = run_cli(["build", "-f", example / "mkdocs.yml", "-d", public, "--now", NOW, "-q"])
    assert built.exit_code == 0
    result = run_cli(
        ["build", "-f", example / "mkdocs.yml", "-d", internal, "--now", NOW, "-q", "--internal"]
    )
    assert result.exit_code == 0, result.output
    for marker in MARKERS:
        assert _files_containing(public, marker) == [], marker
        assert _files_containing(internal, marker), f"{marker} missing from the internal edition"


def test_content_schemas_are_published_with_the_site(example):
    out = example / "public"
    if not out.is_dir():
        built = run_cli(["build", "-f", example / "mkdocs.yml", "-d", out, "--now", NOW, "-q"])
        assert built.exit_code == 0
    for kind in ("components", "incident", "maintenance", "postmortem"):
        schema = json.loads((out / "schemas" / "v1" / f"{kind}.schema.json").read_text("utf-8"))
        assert schema["$schema"].startswith("https://json-schema.org/")
        assert schema["type"] == "object"
