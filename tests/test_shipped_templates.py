"""Our templates ship compiled (templates/compiled.json), so a build without a cache does not
compile them: the shipped code must be what Jinja makes of today's templates, and anything it
does not match (an edited template, a site's override, another Jinja) is compiled as before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jinja2

from statusbook.outputs.pages.render import _environment
from statusbook.outputs.pages.shipped import (
    PACKAGE_TEMPLATES,
    SHIPPED,
    Shipped,
    TemplateLoader,
    generate,
    settings_of,
    source_digest,
)

REFRESH = "run `python -m statusbook.outputs.pages.shipped` to refresh it"


def _ours() -> dict[str, str]:
    return {
        f"statusbook/{p.name}": p.read_text(encoding="utf-8")
        for p in sorted((PACKAGE_TEMPLATES / "statusbook").glob("*.html"))
    }


def _loading(env: jinja2.Environment) -> list[str]:
    """The names whose code the environment's loader compiles from source, as it loads all."""
    compiled: list[str] = []
    real = env.compile

    def spy(source, name=None, filename=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return real(source, name, filename, *args, **kwargs)

    env.compile = spy  # type: ignore[method-assign]
    for name in _ours():
        env.get_template(name)
    return compiled


def test_every_template_of_ours_is_shipped_as_it_is_today() -> None:
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))["templates"]
    assert sorted(shipped) == sorted(_ours()), f"templates added or removed: {REFRESH}"
    stale = [n for n, source in _ours().items() if shipped[n]["source"] != source_digest(source)]
    assert not stale, f"{stale} changed since compiled.json was written: {REFRESH}"


def test_the_shipped_code_is_what_this_jinja_generates_or_is_not_used() -> None:
    env = _environment((PACKAGE_TEMPLATES,))
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    if data["settings"] == settings_of(env):
        assert data == generate(env), REFRESH
        assert _loading(env) == [], "our templates are not compiled again"
    else:  # another Jinja version (CI installs the latest): every template compiled as before
        assert sorted(_loading(env)) == sorted(_ours())


def test_a_template_edited_since_is_compiled_from_its_source(tmp_path: Path) -> None:
    stale = json.loads(SHIPPED.read_text(encoding="utf-8"))
    stale["templates"]["statusbook/incident.html"]["source"] = "0" * 32
    path = tmp_path / "compiled.json"
    path.write_text(json.dumps(stale), encoding="utf-8")
    env = _environment((PACKAGE_TEMPLATES,))
    env.loader = TemplateLoader([PACKAGE_TEMPLATES], Shipped(path))
    compiled = _loading(env)
    if stale["settings"] == settings_of(env):
        assert compiled == ["statusbook/incident.html"]
    else:
        assert "statusbook/incident.html" in compiled


def test_a_sites_override_never_runs_the_shipped_code(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    (overrides / "statusbook").mkdir(parents=True)
    # Byte for byte our own template: only where it lives differs.
    shutil.copy(PACKAGE_TEMPLATES / "statusbook" / "embed.html", overrides / "statusbook")
    env = _environment((overrides, PACKAGE_TEMPLATES))
    compiled = _loading(env)
    assert "statusbook/embed.html" in compiled
    assert env.get_template("statusbook/embed.html").filename == str(
        overrides / "statusbook" / "embed.html"
    )


def test_shipped_code_reports_errors_at_the_templates_own_file_and_line() -> None:
    env = _environment((PACKAGE_TEMPLATES,))
    template = env.get_template("statusbook/incident.html")
    assert template.filename == str(PACKAGE_TEMPLATES / "statusbook" / "incident.html")
    assert template.root_render_func.__code__.co_filename == template.filename


def test_settings_other_than_the_shipped_ones_use_no_shipped_code(tmp_path: Path) -> None:
    env = _environment((PACKAGE_TEMPLATES,))
    env.trim_blocks = False  # changes what the same template compiles to
    assert settings_of(env) != json.loads(SHIPPED.read_text(encoding="utf-8"))["settings"]
    assert sorted(_loading(env)) == sorted(_ours())


def test_a_helper_a_page_calls_often_is_a_filter_and_a_global_with_one_result(tmp_path) -> None:
    """Our templates write `u.at|iso` (Jinja calls a filter directly); a site's override that
    calls `iso(u.at)`, as templates did before, still works and shows the same text."""
    from datetime import datetime, timezone

    from statusbook.cache.site_cache import SiteCache
    from statusbook.model import Corpus
    from statusbook.outputs.pages.render import BUILD_FILTERS, Renderer
    from statusbook.views.site import Settings, SiteView

    (tmp_path / "statusbook").mkdir()
    (tmp_path / "statusbook" / "probe.html").write_text(
        "{{ iso(at) }}|{{ at|iso }}|{{ fmt_time(at) }}|{{ at|fmt_time }}|"
        "{{ fmt_day(at.date()) }}|{{ at.date()|fmt_day }}|{{ msg(text) }}|{{ text|msg }}|"
        "{{ status_label(s) }}|{{ s|status_label }}",
        encoding="utf-8",
    )
    empty = Corpus(groups=(), components=(), incidents=(), maintenance=(), postmortems=())
    at = datetime(2026, 5, 10, 12, 30, tzinfo=timezone.utc)
    cache = SiteCache(tmp_path / "cache", enabled=False)
    r = Renderer(SiteView(empty, at, Settings(), cache.render), [tmp_path], cache)
    html = r.render("probe.html", "", at=at, text="*up* again", s="major_outage")
    pairs = html.split("|")
    assert pairs == [
        "2026-05-10T12:30:00Z", "2026-05-10T12:30:00Z",
        "2026-05-10 12:30 UTC", "2026-05-10 12:30 UTC",
        "10 May 2026", "10 May 2026",
        "<p><em>up</em> again</p>", "<p><em>up</em> again</p>",
        "Major outage", "Major outage",
    ]  # fmt: skip
    assert set(BUILD_FILTERS) <= set(r.env.filters) and set(BUILD_FILTERS) <= set(r.env.globals)


def test_a_build_filter_used_outside_a_build_says_so() -> None:
    env = _environment((PACKAGE_TEMPLATES,))
    template = env.from_string("{{ x|iso }}")
    try:
        template.render(x=1)
    except RuntimeError as exc:
        assert "'iso' filter is bound by a build's Renderer" in str(exc)
    else:
        raise AssertionError("an unbound filter rendered")
