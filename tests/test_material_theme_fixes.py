"""The theme adapter (material.py): what we assume about Material's HTML holds for the
installed theme, and a change in that HTML is reported instead of silently undoing a fix."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import EXAMPLE_SITE, build
from statusbook.hosts import material

EXAMPLE_NOW = "2026-11-23T15:00:00Z"


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The example site, built --strict: an edit that no longer matches would fail it."""
    out = tmp_path_factory.mktemp("example") / "site"
    result = build(EXAMPLE_SITE, "-d", str(out), "--now", EXAMPLE_NOW, "-q", "--strict")
    assert result.exit_code == 0, result.output
    return out


def _pages_with_header(site: Path) -> list[Path]:
    return [
        p for p in sorted(site.rglob("*.html")) if 'data-md-toggle="drawer"' in p.read_text("utf-8")
    ]


def test_every_page_with_the_theme_header_has_every_fix(example):
    pages = _pages_with_header(example)
    assert len(pages) > 20 and example / "404.html" in pages
    for path in pages:
        html = path.read_text("utf-8")
        doc = BeautifulSoup(html, "html.parser")
        for edit in material.EDITS:
            assert edit.replace in html, f"{path}: {edit.why}"
        missing = [s for s in material.SELECTORS if doc.select_one(s) is None]
        assert not missing, f"{path.relative_to(example)} lacks what our CSS/JS aims at: {missing}"
        assert f"{material.JS_URI}" in html, "the menu button script is on every page"


def test_the_adapter_css_is_in_the_stylesheet_and_names_only_known_selectors(example):
    css = (example / "assets" / "statusbook" / "statusbook.css").read_text("utf-8")
    assert "scroll-padding-top:3.4rem" in css.replace(" ", "")
    for selector in ("#__drawer", ".md-sidebar--primary", ".md-search__scrollwrap", ".md-tabs"):
        assert selector in material.CSS
        assert any(selector in known for known in material.SELECTORS), selector


def test_a_change_in_the_theme_html_is_reported_with_what_to_do():
    page = (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
        '<div class="md-search" role="dialog" data-md-component="search">'
    )
    patched, missing = material.patch(page)
    assert patched == page
    assert missing == [material.EDITS[0].why]
    message = material.missing_message(missing, "about.md")
    assert message.startswith("about.md: the theme's HTML changed")
    assert "hint: update generator/statusbook/hosts/material.py" in message


def test_a_site_without_search_needs_no_search_fix(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for name in ("content", "pages", "overrides"):
        (site / name).symlink_to(EXAMPLE_SITE / name)
    config = (EXAMPLE_SITE / "mkdocs.yml").read_text("utf-8")
    assert "plugins:\n  - search\n" in config
    (site / "mkdocs.yml").write_text(config.replace("plugins:\n  - search\n", "plugins:\n"))
    result = build(site, "-d", str(tmp_path / "out"), "--now", EXAMPLE_NOW, "-q", "--strict")
    assert result.exit_code == 0, result.output
    assert (
        'data-md-component="search"' not in (tmp_path / "out" / "about" / "index.html").read_text()
    )


def test_a_page_without_the_theme_header_is_left_alone():
    assert material.patch("<main><h1>Embed</h1></main>") == ("<main><h1>Embed</h1></main>", [])


def test_every_scrollable_table_is_a_focusable_region_with_a_label_of_its_own(example):
    regions = 0
    for path in sorted(example.rglob("*.html")):
        doc = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        wraps = doc.select(".sb-table-wrap")
        for wrap in wraps:
            assert wrap.get("tabindex") == "0" and wrap.get("role") == "region", path
        labels = Counter(w.get("aria-label", "") for w in wraps)
        assert all(labels) and max(labels.values(), default=1) == 1, (path, labels)
        regions += len(wraps)
    assert regions >= 5


def test_the_embed_page_has_a_level_one_heading(example):
    doc = BeautifulSoup((example / "embed" / "index.html").read_text("utf-8"), "html.parser")
    assert [h.get_text(strip=True) for h in doc.select("h1")] == ["Minor Service Outage"]
