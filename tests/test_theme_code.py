"""Material's templates ship as Jinja's generated code (hosts/theme_code.json), so a build
without a cache does not compile them: the shipped code must be what this Jinja makes of the
installed Material's templates, a cold build of the example site must compile none of them,
and a template the file does not hold as it is today (another Material, a site's override, an
edit) is compiled from its source as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import material
import pytest
from jinja2.bccache import Bucket, BytecodeCache

from conftest import EXAMPLE_SITE, NOW, build
from statusbook.hosts.theme_code import SHIPPED, ThemeCode, generate, merged, read, write
from statusbook.outputs.pages.shipped import settings_of, source_digest

MATERIAL = Path(material.__file__).resolve().parent
REFRESH = "run `python -m statusbook.hosts.theme_code` from the repository's top folder"


def _theme_environment() -> jinja2.Environment:
    """MkDocs' environment for the example site's theme, as a build makes it."""
    from mkdocs.config import load_config

    return load_config(str(EXAMPLE_SITE / "mkdocs.yml")).theme.get_env()


class _Memory(BytecodeCache):
    """A site cache that keeps buckets in a dict."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


def _compiled_names(env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names this environment compiles from source from now on."""
    names: list[str] = []
    real = env.compile

    def spy(source, name=None, filename=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        names.append(name)
        return real(source, name, filename, *args, **kwargs)

    monkeypatch.setattr(env, "compile", spy)
    return names


def test_the_shipped_code_is_what_this_jinja_makes_of_the_installed_materials_templates():
    env = _theme_environment()
    data = read()
    assert data.get("settings") == settings_of(env), f"made for other settings: {REFRESH}"
    current = {}
    for name, codes in data["templates"].items():
        source = (MATERIAL / "templates" / name).read_text(encoding="utf-8")
        digest = source_digest(source)
        if digest in codes:
            current[name] = codes[digest]
            assert codes[digest] == env.compile(source, name, raw=True), name
    # The pages every site has come from templates of the installed Material.
    for name in ("main.html", "base.html", "404.html", "partials/header.html"):
        assert name in current, f"{name} of Material {material.__file__} is not shipped: {REFRESH}"


def test_a_cold_build_of_the_example_site_compiles_none_of_materials_templates(
    tmp_path, monkeypatch
):
    compiled: list[tuple[str, str]] = []
    real = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append((name, filename or ""))
        return real(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy2(EXAMPLE_SITE / "mkdocs.yml", site)
    for part in ("content", "pages", "overrides"):
        shutil.copytree(EXAMPLE_SITE / part, site / part)
    result = build(site, "-d", str(tmp_path / "out"), "--now", NOW, "-q", "--no-cache")
    assert result.exit_code == 0, result.output
    ours = [name for name, filename in compiled if Path(filename).is_relative_to(MATERIAL)]
    # Material's search plugin makes environments of its own for its settings' defaults.
    assert set(ours) <= {"partials/language.html", "partials/languages/en.html"}, ours
    # The site's own override is compiled, as it must be.
    assert "partials/copyright.html" in [name for name, _ in compiled]


@pytest.fixture
def theme(tmp_path: Path) -> tuple[Path, Path]:
    """A one-template theme folder and a shipped file made for it."""
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "page.html").write_text("<p>{{ greeting }}, {{ name|upper }}</p>", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(folder)]))
    shipped = tmp_path / "theme_code.json"
    seen = {"page.html": str(folder / "page.html")}
    write(merged({}, settings_of(env), generate(env, seen, folder)), shipped)
    return folder, shipped


def _env(folder: Path, cache: BytecodeCache, **settings: object) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder)]),
        bytecode_cache=cache,
        **settings,  # type: ignore[arg-type]
    )


def test_a_shipped_template_is_not_compiled_and_renders_the_same(theme, monkeypatch):
    folder, shipped = theme
    code = ThemeCode(None, shipped)
    env = _env(folder, code)
    compiled = _compiled_names(env, monkeypatch)
    assert env.get_template("page.html").render(greeting="Hi", name="ada") == "<p>Hi, ADA</p>"
    assert compiled == []
    assert code.seen == {"page.html": str(folder / "page.html")}


def test_an_edited_template_is_compiled_from_its_source(theme, monkeypatch):
    folder, shipped = theme
    (folder / "page.html").write_text("<p>{{ greeting }}!</p>", encoding="utf-8")
    env = _env(folder, ThemeCode(None, shipped))
    compiled = _compiled_names(env, monkeypatch)
    assert env.get_template("page.html").render(greeting="Hi") == "<p>Hi!</p>"
    assert compiled == ["page.html"]


def test_code_made_for_other_settings_is_not_used(theme, monkeypatch):
    folder, shipped = theme
    env = _env(folder, ThemeCode(None, shipped), autoescape=True)
    compiled = _compiled_names(env, monkeypatch)
    assert env.get_template("page.html").render(greeting="<b>", name="x") == "<p>&lt;b&gt;, X</p>"
    assert compiled == ["page.html"]


def test_the_sites_cache_comes_first_and_keeps_the_shipped_code(theme, monkeypatch):
    folder, shipped = theme
    site_cache = _Memory()
    env = _env(folder, ThemeCode(site_cache, shipped))
    env.get_template("page.html")
    assert len(site_cache.kept) == 1, "the shipped code was not handed to the site's cache"
    # The next build reads it there, even when the shipped file is gone.
    shipped.unlink()
    again = _env(folder, ThemeCode(site_cache, shipped))
    compiled = _compiled_names(again, monkeypatch)
    assert again.get_template("page.html").render(greeting="Hey", name="bo") == "<p>Hey, BO</p>"
    assert compiled == []


def test_a_refresh_keeps_other_versions_of_a_template_made_with_the_same_settings():
    old = {"settings": "S", "templates": {"base.html": {"old": "code 1"}, "gone.html": {"g": "x"}}}
    new = {"base.html": {"new": "code 2"}}
    assert merged(old, "S", new)["templates"] == {
        "base.html": {"old": "code 1", "new": "code 2"},
        "gone.html": {"g": "x"},
    }
    assert merged(old, "other", new) == {"settings": "other", "templates": new}


def test_the_shipped_file_is_in_the_package():
    assert SHIPPED.is_file() and SHIPPED.parent.name == "hosts"
