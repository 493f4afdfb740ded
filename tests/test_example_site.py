"""The repository's own example site: it validates, and its internal content stays internal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T10:00:00Z"
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


def test_the_example_is_built_for_the_moment_mkdocs_yml_pins(example, tmp_path):
    """Built on any day, the example shows the story it was written to show (issue #21)."""
    out = tmp_path / "site"
    result = run_cli(["build", "-f", example / "mkdocs.yml", "-d", out, "-q"])
    assert result.exit_code == 0, result.output
    home = (out / "index.html").read_text("utf-8")
    assert f'As of <time datetime="{NOW}">' in home
    active = home.split('id="sb-active"', 1)[1].split("</section>", 1)[0]
    assert 'href="incidents/2026-11-23-invoice-email-delays/"' in active
    assert "Next update by" in active and "sb-overdue" not in active
    upcoming = home.split('id="sb-upcoming"', 1)[1].split("</section>", 1)[0]
    assert 'href="maintenance/2026-12-02-database-upgrade/"' in upcoming


def test_the_browser_tests_and_the_screenshot_use_the_pinned_moment():
    """tests/browser and the README screenshot show the site as `statusbook build` makes it."""
    from browser.helpers import EXAMPLE_NOW
    from statusbook.cli import _statusbook_options

    pinned = _statusbook_options(ROOT / "mkdocs.yml").now
    assert pinned is not None and pinned.strftime("%Y-%m-%dT%H:%M:%SZ") == NOW == EXAMPLE_NOW


def test_status_reports_as_of_the_pinned_moment(example):
    result = run_cli(["status", "-f", example / "mkdocs.yml"])
    assert result.exit_code == 0, result.output
    assert "As of 2026-11-23 10:00 UTC" in result.output
    assert "owe readers an update" not in result.output
    assert "2026-12-02-database-upgrade" in result.output
