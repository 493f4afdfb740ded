"""The example site in German and in Arabic (right to left) in a real browser: axe finds no
WCAG 2.2 AA violation, nothing scrolls sideways, is cut off or overlaps, and the pages say
which language and direction they are in (issue #20). Screenshots for a person to look at go
to test-artifacts/screenshots/lang-*.png."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE_SITE, build

from .conftest import VIEWPORTS, _serve
from .helpers import EXAMPLE_NOW, layout_problems, page_types
from .test_a11y import axe_violations

KINDS = ["home", "incident", "maintenance", "component", "history", "postmortem", "postmortems"]
LANGUAGES = {"de": "ltr", "ar": "rtl"}
MENU = {"de": "Menü", "ar": "القائمة"}  # the menu button's name, from the catalogue


def _built(tmp_path_factory, code: str) -> Path:
    root = tmp_path_factory.mktemp(f"example-{code}")
    for name in ("mkdocs.yml", "content", "pages", "overrides"):
        source = EXAMPLE_SITE / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  language: en\n", f"  language: {code}\n")
    config.write_text(text, encoding="utf-8")
    out = root / "site"
    result = build(root, "-d", str(out), "--now", EXAMPLE_NOW, "-q")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[dict[str, tuple[Path, str]]]:
    """Each language's site and its address, served for the module."""
    servers = {}
    built = {code: _built(tmp_path_factory, code) for code in LANGUAGES}
    generators = {code: _serve(path) for code, path in built.items()}
    for code, gen in generators.items():
        httpd = next(gen)
        servers[code] = (built[code], f"http://127.0.0.1:{httpd.server_address[1]}/")
    yield servers
    for gen in generators.values():
        next(gen, None)


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
@pytest.mark.parametrize("code", list(LANGUAGES))
def test_pages_in_another_language_pass_axe_and_lay_out(
    browser, axe_source, sites, screenshots, code, viewport
):
    site, base = sites[code]
    kinds = page_types(site)
    context = browser.new_context(**VIEWPORTS[viewport], reduced_motion="reduce")
    context.add_init_script(axe_source)
    page = context.new_page()
    report = []
    try:
        for kind in KINDS:
            url = base + kinds[kind]
            found = axe_violations(page, axe_source, url)
            state = page.evaluate(
                """() => [document.documentElement.lang, getComputedStyle(document.body).direction,
                          (document.querySelector('.sb-menu-button') || {}).ariaLabel]"""
            )
            if state != [code, LANGUAGES[code], MENU[code]]:
                report.append(f"{kind}: lang/direction {state}")
            report += [f"{kind}: axe: {v}" for v in found]
            report += [f"{kind}: layout: {p}" for p in layout_problems(page)]
            page.screenshot(path=str(screenshots / f"lang-{code}-{viewport}-{kind}.png"))
    finally:
        context.close()
    assert not report, f"{code} ({viewport}):\n  " + "\n  ".join(report)
