"""Material's stylesheets ship parsed (hosts/theme_styles.json.gz), so a build without a cache
does not parse them for the home page's subset: the shipped rules must be what this compiler
makes of the installed Material's stylesheets, a cold build of the example site must parse
none of them, and what the file does not hold as it is today (another stylesheet, another
compiler) is parsed as before, with the same page as the result."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import material
import pytest

from conftest import EXAMPLE_SITE, NOW, build, snapshot
from statusbook.hosts import theme_styles
from statusbook.hosts.theme_styles import (
    SHIPPED,
    compiled,
    compiler,
    from_json,
    generate,
    merged,
    read,
    shipped,
    to_json,
    write,
)
from statusbook.outputs import stylesheet_rules

STYLESHEETS = Path(material.__file__).resolve().parent / "templates" / "assets" / "stylesheets"
REFRESH = "run `python -m statusbook.hosts.theme_styles`"
SMALL = b"@media print{.a,.b td{x:1}}.c[data-y]{z:2}@font-face{font-family:f}"


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the stylesheets parsed from now on."""
    sizes: list[int] = []
    real = stylesheet_rules.compile_css

    def spy(css: str):  # type: ignore[no-untyped-def]
        sizes.append(len(css))
        return real(css)

    monkeypatch.setattr(stylesheet_rules, "compile_css", spy)
    return sizes


def test_the_shipped_rules_are_what_this_compiler_makes_of_the_installed_materials_stylesheets():
    data = read()
    assert data.get("compiler") == compiler(), f"made by another compiler: {REFRESH}"
    sheets = sorted(STYLESHEETS.glob("*.css"))
    assert [p.name.split(".")[0] for p in sheets] == ["main", "palette"]
    for path in sheets:
        raw = path.read_bytes()
        found = shipped(raw)
        assert found is not None, f"{path} is not shipped: {REFRESH}"
        assert found == stylesheet_rules.compile_css(raw.decode("utf-8")), path.name


def test_the_json_form_gives_back_equal_rules_selectors_and_needs():
    rules = stylesheet_rules.compile_css(SMALL.decode())
    assert [kind for kind, _, _ in rules] == ["group", "rule", "keep"]
    assert from_json(to_json(rules)) == rules
    needs = from_json(to_json(rules))[0][2][0][1][1][0]
    assert needs == (frozenset({"b"}), frozenset(), frozenset({"td"}), frozenset())


def test_a_stylesheet_the_file_does_not_hold_is_parsed(monkeypatch):
    parses = _parses(monkeypatch)
    assert shipped(SMALL) is None
    assert compiled(SMALL) == stylesheet_rules.compile_css(SMALL.decode())
    assert parses == [len(SMALL), len(SMALL)]


def test_rules_made_by_another_compiler_are_not_used(monkeypatch):
    raw = (next(STYLESHEETS.glob("palette.*.css"))).read_bytes()
    assert shipped(raw) is not None
    monkeypatch.setattr(theme_styles, "compiler", lambda: "another compiler")
    assert shipped(raw) is None
    parses = _parses(monkeypatch)
    assert compiled(raw) == stylesheet_rules.compile_css(raw.decode())
    assert len(parses) == 2


def test_an_unreadable_file_is_no_file(tmp_path):
    broken = tmp_path / "theme_styles.json.gz"
    broken.write_bytes(b"not gzip")
    assert read(broken) == {}
    assert shipped(SMALL, broken) is None
    assert compiled(SMALL, broken) == stylesheet_rules.compile_css(SMALL.decode())


def test_a_refresh_writes_the_same_bytes_and_keeps_other_versions(tmp_path):
    again = tmp_path / "again.json.gz"
    write(merged(read(), compiler(), generate(STYLESHEETS)), again)
    assert again.read_bytes() == SHIPPED.read_bytes()
    assert gzip.decompress(again.read_bytes()).startswith(b'{"compiler":')
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.css").write_bytes(SMALL)
    mixed = merged(read(), compiler(), generate(other))
    assert set(mixed["stylesheets"]) == set(read()["stylesheets"]) | {
        hashlib.sha256(SMALL).hexdigest()
    }
    assert set(merged(read(), "another compiler", generate(other))["stylesheets"]) == {
        hashlib.sha256(SMALL).hexdigest()
    }


def _example(tmp_path: Path, name: str) -> Path:
    site = tmp_path / name
    site.mkdir()
    shutil.copy2(EXAMPLE_SITE / "mkdocs.yml", site)
    for part in ("content", "pages", "overrides"):
        shutil.copytree(EXAMPLE_SITE / part, site / part)
    return site


def test_a_cold_build_parses_no_stylesheet_and_makes_the_same_site_as_parsing(
    tmp_path, monkeypatch
):
    parses = _parses(monkeypatch)
    site = _example(tmp_path, "site")
    result = build(site, "-d", str(tmp_path / "shipped"), "--now", NOW, "-q", "--no-cache")
    assert result.exit_code == 0, result.output
    assert parses == []
    homes = list((tmp_path / "shipped" / "assets" / "statusbook").glob("home.*.css"))
    assert len(homes) == 1 and homes[0].stat().st_size > 1000

    monkeypatch.setattr(theme_styles, "shipped", lambda raw, path=SHIPPED: None)
    result = build(site, "-d", str(tmp_path / "parsed"), "--now", NOW, "-q", "--no-cache")
    assert result.exit_code == 0, result.output
    assert len(parses) == 2  # Material's main and palette stylesheets
    assert snapshot(tmp_path / "shipped") == snapshot(tmp_path / "parsed")


def test_a_build_served_from_the_file_does_not_import_the_css_parser(tmp_path):
    site = _example(tmp_path, "site")
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('parser', 'tinycss2' in sys.modules, file=sys.stderr))\n"
        "from statusbook.cli.main import run\n"
        f"sys.argv = ['statusbook', 'build', '-q', '--no-cache', '--now', {NOW!r}, '-d', 'out']\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=site, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "parser False" in done.stderr
    assert list((site / "out" / "assets" / "statusbook").glob("home.*.css"))
