"""Properties of the build as a whole: reproducible, atomic, and the same as `mkdocs build`."""

from __future__ import annotations

import os
import re

from conftest import NOW, build, build_fixture, copy_fixture, differences, snapshot
from statusbook.clock import parse_now

FIXTURE = "pebblepost"
OUTAGE_FILE = "content/incidents/2026/2026-05-03-tracking-api-outage.md"


def test_two_builds_with_the_same_now_are_byte_identical(tmp_path):
    _, first = build_fixture(FIXTURE, tmp_path / "a")
    _, second = build_fixture(FIXTURE, tmp_path / "b")
    a, b = snapshot(first), snapshot(second)
    assert len(a) > 20
    assert not differences(a, b)


def test_invalid_content_leaves_the_previous_site_untouched(tmp_path):
    site, out = build_fixture(FIXTURE, tmp_path)
    before = snapshot(out)
    assert "index.html" in before

    bad = site / OUTAGE_FILE
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("impact: critical", "impact: catastrophic")
    )
    result = build(site, "-d", str(out), "--now", NOW, "-q")

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{OUTAGE_FILE}:3:9" in result.output
    assert "'impact' is 'catastrophic', which is not allowed" in result.output
    assert not differences(before, snapshot(out))
    leftovers = sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))
    assert not leftovers, "staging or backup folders were left next to the site"


def test_failed_first_build_creates_no_site_and_no_staging_folder(tmp_path):
    site = copy_fixture(FIXTURE, tmp_path / "site")
    bad = site / OUTAGE_FILE
    bad.write_text(bad.read_text(encoding="utf-8").replace("status: resolved", "status: fixed"))
    out = tmp_path / "out"
    result = build(site, "-d", str(out), "--now", NOW, "-q")
    assert result.exit_code == 1
    assert OUTAGE_FILE in result.output
    assert not out.exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_successful_rebuild_replaces_the_site_and_removes_stale_files(tmp_path):
    site, out = build_fixture(FIXTURE, tmp_path)
    stale = out / "stale.txt"
    stale.write_text("from an older build")
    result = build(site, "-d", str(out), "--now", NOW, "-q")
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert (out / "index.html").is_file()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_mkdocs_build_and_statusbook_build_give_the_same_pages(tmp_path, monkeypatch):
    """With SOURCE_DATE_EPOCH fixing `now`, the plugin alone gives what the command gives."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    epoch = str(int(parse_now(NOW).timestamp()))
    site = copy_fixture(FIXTURE, tmp_path / "site")

    via_command = tmp_path / "via-command"
    result = build(site, "-d", str(via_command), "-q", env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 0, result.output

    via_mkdocs = tmp_path / "via-mkdocs"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    cwd = os.getcwd()
    cfg = load_config(config_file=str(site / "mkdocs.yml"), site_dir=str(via_mkdocs))
    mkdocs_build(cfg)
    assert os.getcwd() == cwd

    pages = ["index.html"] + sorted(
        p.relative_to(via_command).as_posix()
        for p in (via_command / "incidents").rglob("index.html")
    )
    assert len(pages) == 4  # home and three public incidents
    different = [
        rel for rel in pages if (via_command / rel).read_bytes() != (via_mkdocs / rel).read_bytes()
    ]
    assert not different
    # And the moment is the one SOURCE_DATE_EPOCH gave, not the clock.
    home = (via_mkdocs / "index.html").read_text(encoding="utf-8")
    assert re.search(r'As of <time datetime="2026-05-10T12:00:00Z">', home)


def test_source_date_epoch_and_now_give_the_same_site(tmp_path):
    epoch = str(int(parse_now(NOW).timestamp()))
    site = copy_fixture(FIXTURE, tmp_path / "site")
    with_now = tmp_path / "with-now"
    with_epoch = tmp_path / "with-epoch"
    assert build(site, "-d", str(with_now), "--now", NOW, "-q").exit_code == 0
    result = build(site, "-d", str(with_epoch), "-q", env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 0, result.output
    assert not differences(snapshot(with_now), snapshot(with_epoch))
