"""The Material adapter (hosts/material.py): each marker it relies on is found in the installed
Material's real output, and a missing one fails the build, or warns, naming it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import NOW, build, write_site
from statusbook.hosts import material

MKDOCS_WITH_OVERRIDES = """\
site_name: Test Status
docs_dir: pages
theme:
  name: material
  custom_dir: overrides
plugins:
  - search
  - statusbook
"""


def _build(root: Path, light_home: bool) -> Path:
    """A real build with the installed Material: search on, one ordinary page."""
    mkdocs = MKDOCS_WITH_OVERRIDES.replace("  custom_dir: overrides\n", "").replace(
        "  - statusbook\n", f"  - statusbook:\n      light_home: {str(light_home).lower()}\n"
    )
    site = write_site(root / "site", {"pages/about.md": "# About\n\nA page.\n"}, mkdocs=mkdocs)
    result = build(site, "-d", str(root / "out"), "--now", NOW, "-q")
    assert result.exit_code == 0, result.output
    return root / "out"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("light"), light_home=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The home page as Material rendered it (light_home off): only the policy and the feed
    links added, every marker where Material puts it."""
    out = _build(tmp_path_factory.mktemp("plain"), light_home=False)
    return (out / "index.html").read_text(encoding="utf-8")


def test_the_installed_material_renders_every_marker(page):
    absent = [m.name for m in material.MARKERS if m.find(page) is None]
    assert absent == [], f"Material {material.version()} changed: {absent}"


def test_every_edit_took_effect_on_the_real_pages(built):
    about = (built / "about" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta charset="utf-8"><meta http-equiv="Content-Security-Policy"', about)
    assert 'type="application/rss+xml"' in about.split("</head>")[0]
    home = (built / "index.html").read_text(encoding="utf-8")
    assert material.BUNDLE.find(home) is None and material.CONFIG_SCRIPT.find(home) is None
    assert '<body class="sb-lite" ' in home
    assert material.STYLESHEET.find(home) is None  # the subset replaced them
    assert re.search(r'<link rel="stylesheet" href="assets/statusbook/home\.[0-9a-f]+\.css">', home)
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert isinstance(index["docs"], list) and index["docs"]


def _without(html: str, marker: material.Marker) -> str:
    stripped = marker.pattern.sub("", html)
    assert marker.find(stripped) is None
    return stripped


@pytest.mark.parametrize(
    ("marker", "edit"),
    [
        (material.CHARSET, lambda html: material.insert_after_charset(html, "<x>", "about/")),
        (material.HEAD_END, lambda html: material.insert_before_head_end(html, "<x>", "about/")),
    ],
    ids=["charset", "head-end"],
)
def test_a_missing_marker_the_page_needs_fails_naming_it_and_the_version(page, marker, edit):
    with pytest.raises(material.MaterialChanged) as caught:
        edit(_without(page, marker))
    message = str(caught.value)
    assert message.startswith("statusbook: about/: ")
    assert marker.name in message
    assert f"Material for MkDocs {material.version()}" in message
    assert "hint:" in message


@pytest.mark.parametrize(
    "marker",
    [material.BUNDLE, material.CONFIG_SCRIPT, material.BODY_START, material.BODY_END],
    ids=lambda m: m.name,
)
def test_a_missing_marker_of_the_light_home_page_warns_and_keeps_the_page(page, marker):
    warnings: list[str] = []
    original = _without(page, marker)
    assert material.without_bundle(original, "sb-lite", "x.js", "index", warnings.append) == (
        original
    )
    assert len(warnings) == 1
    assert marker.name in warnings[0] and material.version() in warnings[0]
    assert "the page keeps Material's scripts" in warnings[0]


def test_stylesheets_in_an_unknown_form_warn_and_are_kept(page):
    warnings: list[str] = []
    reordered = re.sub(
        r'<link rel="stylesheet" href="([^"]+)">', r'<link href="\1" rel="stylesheet">', page
    )
    assert material.stylesheets(reordered, "index", warnings.append) == []
    assert len(warnings) == 1 and material.STYLESHEET.name in warnings[0]
    assert material.stylesheets(page, "index", warnings.append)[0].startswith(
        "assets/stylesheets/main."
    )


def test_a_search_index_without_docs_fails_naming_it():
    with pytest.raises(material.MaterialChanged, match=r'no "docs" list'):
        material.add_search_entries('{"config": {}}', [], "search/search_index.json")
    merged = material.add_search_entries('{"docs": []}', [{"location": "a/"}], "search")
    assert json.loads(merged) == {"docs": [{"location": "a/"}]}


def test_a_theme_without_the_charset_tag_fails_the_build_with_one_clear_message(tmp_path):
    """The policy is never silently dropped: an override that writes the charset another way
    stops the build, and the previous site is left alone."""
    override = (
        '{% extends "base.html" %}\n{% block site_meta %}<meta charset="UTF-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">{% endblock %}\n'
    )
    site = write_site(
        tmp_path / "site", {"overrides/main.html": override}, mkdocs=MKDOCS_WITH_OVERRIDES
    )
    result = build(site, "-d", str(tmp_path / "out"), "--now", NOW, "-q")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f'Material for MkDocs {material.version()} rendered no <meta charset="utf-8">' in (
        result.output
    )
    assert "Content-Security-Policy" in result.output
    assert not (tmp_path / "out").exists()


def test_the_serve_problems_banner_goes_first_inside_body_or_first_of_all(page):
    """`serve`'s problems banner: first thing in <body>, or before the page without one."""
    placed = material.insert_after_body_start(page, "<div id=x></div>")
    assert re.search(r"<body [^>]*><div id=x></div>", placed)
    assert material.insert_after_body_start("<p>no body</p>", "<b>") == "<b><p>no body</p>"
