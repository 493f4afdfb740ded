"""The one cache a host makes and hands down (cache/site_cache.py), and the keys it keeps
results by (cache/keys.py): digests of content, never repr() of model objects."""

from __future__ import annotations

import ast
import dataclasses
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import statusbook
from conftest import copy_fixture
from statusbook.cache.keys import digest_of
from statusbook.cache.site_cache import SiteCache
from statusbook.content import load as content
from statusbook.model import Impact, Update
from statusbook.outputs.markup import Markup

CORE = (
    "content",
    "model.py",
    "views",
    "outputs",
    "i18n",
    "errors.py",
    "clock.py",
    "context.py",
)
#: Module-level memos the core may keep, and why: none holds anything read from content.
ALLOWED = {
    # Field tables built from settings (severities, priorities): constants, not results.
    "schema.py @functools.lru_cache(maxsize=16)": "field tables",
    "values.py _BY_NAME": "field tables by identity",
    # Catalogues and CLDR data of the package's languages, read once: data files, not results.
    "__init__.py @functools.lru_cache(maxsize=32)": "a language's catalogue, rules, Lang",
}


def _site_options(site: Path):
    from statusbook.cli.common import statusbook_options

    return statusbook_options(site / "mkdocs.yml")


def _update(**changes):
    fields = {
        "at": datetime(2026, 3, 14, 9, 10, tzinfo=timezone.utc),
        "status": "investigating",
        "message": "We are looking into it.",
    }
    names = {f.name for f in dataclasses.fields(Update)}
    return Update(**{k: v for k, v in {**fields, **changes}.items() if k in names})


def test_equal_content_gives_equal_keys_and_any_change_another():
    assert digest_of("page", _update()) == digest_of("page", _update())
    assert digest_of(_update()) != digest_of(_update(message="We are looking into it!"))
    assert digest_of(_update()) != digest_of(
        _update(at=datetime(2026, 3, 14, 9, 11, tzinfo=timezone.utc))
    )
    assert digest_of("ab", "c") != digest_of("a", "bc")
    assert digest_of((1,)) != digest_of(("1",)) != digest_of((True,))
    assert digest_of(Impact.MAJOR) != digest_of(Impact.MAJOR.value)


def test_the_same_moment_in_two_zones_is_two_keys():
    utc = datetime(2026, 3, 14, 9, 0, tzinfo=timezone.utc)
    assert digest_of(utc) != digest_of(utc.astimezone(ZoneInfo("Europe/Berlin")))
    assert digest_of(date(2026, 3, 14)) != digest_of("2026-03-14")
    assert digest_of(timedelta(days=1)) != digest_of(timedelta(seconds=1))


def test_sets_and_dicts_give_one_key_whatever_their_order():
    assert digest_of(frozenset({"a", "b", "c"})) == digest_of(frozenset({"c", "b", "a"}))
    assert digest_of({"a": 1, "b": 2}) == digest_of({"b": 2, "a": 1})
    assert digest_of({"a": 1}) != digest_of({"a": 2})


def test_a_type_without_an_encoding_is_refused_rather_than_keyed_by_repr():
    class Opaque:
        pass

    with pytest.raises(TypeError, match="no key encoding for .*Opaque"):
        digest_of(Opaque())


def test_a_hosts_cache_keeps_checked_files_across_its_runs(tmp_path, monkeypatch):
    """`serve` hands the same SiteCache to every rebuild: unchanged files are not checked
    again, even with the disk cache off."""
    site = copy_fixture("pebblepost", tmp_path / "site")
    checked = []
    real = content._check_file
    monkeypatch.setattr(content, "_check_file", lambda *a: checked.append(a[1]) or real(*a))
    kept = SiteCache(site, enabled=False)
    first = content.load_configured(site, _site_options(site), cache=True, site_cache=kept)
    assert first.corpus is not None and checked
    checked.clear()
    again = content.load_configured(site, _site_options(site), cache=True, site_cache=kept)
    assert checked == [] and again.corpus == first.corpus


def test_without_a_hosts_cache_nothing_is_kept_between_calls(tmp_path, monkeypatch):
    """No module-level cache: a call that is handed no cache starts from nothing."""
    site = copy_fixture("pebblepost", tmp_path / "site")
    checked = []
    real = content._check_file
    monkeypatch.setattr(content, "_check_file", lambda *a: checked.append(a[1]) or real(*a))
    content.load_configured(site, _site_options(site), cache=True, no_cache=True)
    first = len(checked)
    content.load_configured(site, _site_options(site), cache=True, no_cache=True)
    assert first > 0 and len(checked) == 2 * first


def test_validate_and_lint_never_read_the_rendered_pages(tmp_path, monkeypatch):
    """The rendered pages are most of a warm cache; checking content needs none of them,
    so `validate` and `lint` leave the file unread (a build reads it)."""
    from conftest import build, run_cli
    from statusbook.cache.store import RenderStore

    site = copy_fixture("pebblepost", tmp_path / "site")
    built = build(site, "--now", "2026-05-10T12:00:00Z", "-d", tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert any(site.joinpath(".cache").rglob("rendered.pickle"))
    read = []
    real = RenderStore._load
    monkeypatch.setattr(RenderStore, "_load", staticmethod(lambda p: read.append(p) or real(p)))
    for command in (["validate"], ["lint"]):
        result = run_cli([*command, "-f", site / "mkdocs.yml"])
        assert result.exit_code == 0, result.output
    assert read == []
    build(site, "--now", "2026-05-10T12:00:00Z", "-d", tmp_path / "out")
    assert read, "a build reads the rendered pages"


def test_converted_markdown_is_kept_by_the_store_it_was_handed(tmp_path):
    one, other = SiteCache(tmp_path / "a", enabled=False), SiteCache(tmp_path / "b", False)
    Markup(one.render).message("We *restarted* the workers.")
    assert list(one.render.texts) == [("We *restarted* the workers.", "message")]
    assert other.render.texts == {}


def test_memo_computes_once_per_cache():
    made = []
    kept = SiteCache(Path("/nonexistent-site"), enabled=False)
    for _ in range(2):
        assert kept.memo("parsed", b"source", lambda: made.append(1) or "value") == "value"
    assert made == [1]
    SiteCache(Path("/nonexistent-site"), enabled=False).memo("parsed", b"source", lambda: 2)


def test_the_core_keeps_no_results_in_module_globals():
    """No lru_cache/functools.cache and no module-level dict, list or set assigned a
    mutable empty value in the core: results live in the cache the host hands in."""
    package = Path(statusbook.__file__).parent
    offenders = []
    for part in CORE:
        files = [package / part] if part.endswith(".py") else (package / part).rglob("*.py")
        for path in files:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for deco in node.decorator_list:
                        text = ast.unparse(deco)
                        if "lru_cache" in text or text.endswith("cache"):
                            offenders.append(f"{path.name} @{text}")
                value = getattr(node, "value", None)
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and _empty_mutable(value):
                    target = ast.unparse(getattr(node, "target", None) or node.targets[0])
                    offenders.append(f"{path.name} {target}")
    assert sorted(set(offenders) - set(ALLOWED)) == []


def _empty_mutable(value: ast.expr | None) -> bool:
    if isinstance(value, (ast.Dict, ast.List, ast.Set)):
        return not getattr(value, "keys", None) and not getattr(value, "elts", None)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id in ("dict", "list", "set", "MemoryCache") and not value.args
    return False


def test_serve_rebuilds_reuse_the_compiled_templates(tmp_path, monkeypatch):
    """`serve` keeps its plugin, and the plugin its SiteCache, across rebuilds (MkDocs reloads
    the config each time): the Jinja environment in it keeps our compiled templates, so a
    rebuild after an edit compiles none of them again, even with the disk cache off."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig

    from statusbook.clock import parse_now
    from statusbook.outputs.pages.shipped import TemplateLoader

    site = copy_fixture("pebblepost", tmp_path / "site")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(parse_now("2026-05-10T12:00:00Z").timestamp())))
    monkeypatch.setenv("STATUSBOOK_NO_CACHE", "1")  # no bytecode on disk: memory only
    compiled: list[str] = []  # templates loaded: compiled, or made from the shipped code
    real = TemplateLoader.load

    def spy(self, environment, name, *args, **kwargs):
        if name.startswith("statusbook/"):
            compiled.append(name)
        return real(self, environment, name, *args, **kwargs)

    monkeypatch.setattr(TemplateLoader, "load", spy)
    # MkDocs keeps such plugins in its config schema, for the process: this test's serve
    # plugin must not be the one later in-process builds get.
    monkeypatch.setattr(dict(MkDocsConfig._schema)["plugins"], "plugin_cache", {})
    out = tmp_path / "out"
    incident = sorted((site / "content" / "incidents").rglob("*.md"))[0]
    plugins, per_build = [], []
    for n in range(3):
        config = load_config(str(site / "mkdocs.yml"), site_dir=str(out))
        plugins.append(config.plugins["statusbook"])
        if n == 0:
            config.plugins.on_startup(command="serve", dirty=False)
        compiled.clear()
        mkdocs_build(config, dirty=n > 0)
        per_build.append(sorted(set(compiled)))
        incident.write_text(incident.read_text("utf-8").replace("title: ", "title: Edited "))
    assert plugins[0] is plugins[1] is plugins[2], "MkDocs keeps a plugin with on_startup"
    assert "statusbook/incident.html" in per_build[0] and "statusbook/home.html" in per_build[0]
    assert per_build[1:] == [[], []], "rebuilds compile none of our templates again"
    page = out / "incidents" / incident.stem / "index.html"
    assert "Edited Edited " in page.read_text("utf-8"), "the rebuilds show the edits"


def _serve_builds(site: Path, out: Path, edited: Path, seen: list, after_first=None) -> list:
    """Two builds of `site` into `out` as `serve` runs them (one plugin kept, the second
    build dirty), the title of `edited` edited after each: what `seen` collected in each."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    per_build = []
    for n in range(2):
        config = load_config(str(site / "mkdocs.yml"), site_dir=str(out))
        if n == 0:
            config.plugins.on_startup(command="serve", dirty=False)
        seen.clear()
        mkdocs_build(config, dirty=n > 0)
        per_build.append(list(seen))
        edited.write_text(edited.read_text("utf-8").replace("title: ", "title: Edited "))
        if n == 0 and after_first is not None:
            after_first()
    return per_build


def _assert_as_a_fresh_serve_builds(site: Path, served: Path, edited: Path, fresh: Path) -> None:
    """The content as served last (one edit undone), built from scratch by a new plugin with
    nothing kept: the same pages, byte for byte, and no other."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    edited.write_text(edited.read_text("utf-8").replace("title: Edited Edited ", "title: Edited "))
    config = load_config(str(site / "mkdocs.yml"), site_dir=str(fresh))
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config)
    pages = sorted(p.relative_to(fresh) for p in fresh.rglob("*.html"))
    assert pages == sorted(p.relative_to(served) for p in served.rglob("*.html"))
    for rel in pages:
        assert (served / rel).read_bytes() == (fresh / rel).read_bytes(), rel


def test_serve_rebuilds_digest_only_the_entries_that_changed(tmp_path, monkeypatch):
    """An unchanged file gives `serve`'s next rebuild the same model object, so the keys of
    its pages are not worked out again; the edited entry's are, and the rebuilt site is
    the one a fresh build of the edited content makes."""
    from mkdocs.config.defaults import MkDocsConfig

    from statusbook.clock import parse_now
    from statusbook.model import Incident, Maintenance, Postmortem
    from statusbook.outputs.pages import render

    site = copy_fixture("pebblepost", tmp_path / "site")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(parse_now("2026-05-10T12:00:00Z").timestamp())))
    monkeypatch.setenv("STATUSBOOK_NO_CACHE", "1")  # nothing on disk: memory only
    digested: list[str] = []
    real = render.key_of

    def spy(*parts):
        if len(parts) == 1 and isinstance(parts[0], (Incident, Maintenance, Postmortem)):
            digested.append(parts[0].id)
        return real(*parts)

    monkeypatch.setattr(render, "key_of", spy)
    monkeypatch.setattr(dict(MkDocsConfig._schema)["plugins"], "plugin_cache", {})
    incident = sorted((site / "content" / "incidents").rglob("*.md"))[0]
    first, rebuild = map(sorted, _serve_builds(site, tmp_path / "served", incident, digested))
    assert incident.stem in first and len(first) >= 3  # the others too
    assert rebuild == [incident.stem], "only the edited incident is digested again"

    monkeypatch.setattr(dict(MkDocsConfig._schema)["plugins"], "plugin_cache", {})
    _assert_as_a_fresh_serve_builds(site, tmp_path / "served", incident, tmp_path / "fresh")


def _incident_pages(site: Path) -> list[str]:
    """The incident pages of a built site, as page paths ('incidents/x/')."""
    return [f"incidents/{p.parent.name}/" for p in (site / "incidents").glob("*/index.html")]


def test_serve_rebuilds_stamp_only_pages_that_changed_and_restore_deleted_ones(
    tmp_path, monkeypatch
):
    """A page whose shell and content are what the last rebuild wrote keeps its file: it is
    neither placed into the shell again nor hashed. The edited incident's page is, and so
    is an unchanged page whose file went missing; the site is the one a fresh build makes."""
    from mkdocs.config.defaults import MkDocsConfig

    from statusbook.clock import parse_now
    from statusbook.hosts import mkdocs_plugin

    site = copy_fixture("pebblepost", tmp_path / "site")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(parse_now("2026-05-10T12:00:00Z").timestamp())))
    monkeypatch.setenv("STATUSBOOK_NO_CACHE", "1")
    stamped: list[str] = []
    real = mkdocs_plugin._stamp

    def spy(head, tail, page):
        stamped.append(page.path)
        return real(head, tail, page)

    monkeypatch.setattr(mkdocs_plugin, "_stamp", spy)
    monkeypatch.setattr(dict(MkDocsConfig._schema)["plugins"], "plugin_cache", {})
    edited = sorted((site / "content" / "incidents").rglob("*.md"))[0]
    served = tmp_path / "served"
    gone: list[str] = []

    def lose_a_page() -> None:  # an unchanged incident's page goes missing
        gone.append(next(p for p in sorted(_incident_pages(served)) if edited.stem not in p))
        (served / gone[0] / "index.html").unlink()

    first, rebuild = map(set, _serve_builds(site, served, edited, stamped, lose_a_page))
    assert f"incidents/{edited.stem}/" in rebuild
    assert gone[0] in rebuild, "a deleted file is written again"
    assert len(rebuild) < len(first) / 2, (len(rebuild), len(first))

    monkeypatch.setattr(dict(MkDocsConfig._schema)["plugins"], "plugin_cache", {})
    _assert_as_a_fresh_serve_builds(site, served, edited, tmp_path / "fresh")


SERVE_TWICE = """
import gc, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
counts = []
for n in range(3):
    config = load_config(sys.argv[1] + "/mkdocs.yml", site_dir=sys.argv[2])
    if n == 0:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config, dirty=n > 0)
    counts.append(gc.get_freeze_count())
print(*counts)
"""


def test_serve_freezes_what_its_first_build_leaves_once(tmp_path):
    """After serve's first build, what is still alive is frozen out of later collections
    (their full collections then skip the site cache); rebuilds freeze nothing more, and
    what they make is still collected. In a process of its own: a test process may be frozen."""
    import subprocess
    import sys

    site = copy_fixture("pebblepost", tmp_path / "site")
    env = {**os.environ, "STATUSBOOK_NO_CACHE": "1", "SOURCE_DATE_EPOCH": "1778414400"}
    done = subprocess.run(
        [sys.executable, "-c", SERVE_TWICE, str(site), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    first, second, third = map(int, done.stdout.split())
    assert first > 10_000, "the modules, the cache and the model objects"
    # Frozen objects a rebuild replaces are freed (the count falls); none is frozen again.
    assert first >= second >= third > first - 10_000, (first, second, third)


def test_two_hosts_caches_share_no_template_environment(tmp_path):
    """The environment and the formatted times live in the cache they were made in: another
    site (or another test) in the same process starts from its own."""
    from statusbook.model import Corpus
    from statusbook.outputs.pages.render import Renderer
    from statusbook.views.site import Settings, SiteView

    empty = Corpus(groups=(), components=(), incidents=(), maintenance=(), postmortems=())
    now = datetime(2026, 5, 10, 12, tzinfo=timezone.utc)
    one, other = SiteCache(tmp_path / "a", enabled=False), SiteCache(tmp_path / "b", False)
    first = Renderer(SiteView(empty, now, Settings(), one.render), [], one)
    again = Renderer(SiteView(empty, now, Settings(), one.render), [], one)
    elsewhere = Renderer(SiteView(empty, now, Settings(), other.render), [], other)
    assert first.env is again.env and first.env is not elsewhere.env
    assert first.fmt_time(now) == "2026-05-10 12:00 UTC"
    assert one.live(("formatted times", "en"), dict) == {now: "2026-05-10 12:00 UTC"}
    assert other.live(("formatted times", "en"), dict) == {}


def test_formatted_times_kept_across_rebuilds_follow_the_sites_language(tmp_path):
    """`serve` keeps its cache while mkdocs.yml changes: a language switched mid-preview
    shows its own formats, not those the other language left in the memo."""
    from statusbook.model import Corpus
    from statusbook.outputs.pages.render import Renderer
    from statusbook.views.site import Settings, SiteView

    empty = Corpus(groups=(), components=(), incidents=(), maintenance=(), postmortems=())
    now = datetime(2026, 5, 10, 12, tzinfo=timezone.utc)
    kept = SiteCache(tmp_path, enabled=False)
    english = Renderer(SiteView(empty, now, Settings(), kept.render), [], kept)
    german = Renderer(SiteView(empty, now, Settings(language="de"), kept.render), [], kept)
    assert english.fmt_time(now) == "2026-05-10 12:00 UTC"
    assert english.fmt_day(now.date()) == "10 May 2026"
    assert german.fmt_time(now) != english.fmt_time(now)
    assert "10.05.2026" in german.fmt_time(now)
    assert german.fmt_day(now.date()) == "10.05.2026"
    assert english.fmt_time(now) == "2026-05-10 12:00 UTC"
