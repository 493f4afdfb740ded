"""The home page loads only the part of Material's stylesheets it can use; every element on it
must still be styled exactly as the full stylesheets style it."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

# Every computed property of every element and of its ::before and ::after, folded into one
# number per box in the page (the strings themselves would be megabytes); on a difference the
# second call names the properties.
_STYLES = """(detail) => {
  // Standard properties only: custom ones matter through the values they feed.
  const names = Array.from(getComputedStyle(document.documentElement))
    .filter((name) => !name.startsWith('--'));
  const out = [];
  // What is drawn: <html>, <body> and all in it (the head differs by one <link>).
  const elements = [document.documentElement, document.body,
                    ...document.body.querySelectorAll('*')];
  elements.forEach((el, i) => {
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      const values = names.map((name) => cs.getPropertyValue(name));
      if (detail) {
        const label = el.tagName + '.' + el.className + (pseudo || '');
        out.push(detail.includes(out.length) ? [label, names, values] : null);
        continue;
      }
      const text = values.join('\u0000');
      let h = 2166136261;
      for (let k = 0; k < text.length; k++) { h ^= text.charCodeAt(k); h = Math.imul(h, 16777619); }
      out.push(h >>> 0);
    }
  });
  return out;
}"""

_HOME_CSS = re.compile(r'<link rel="stylesheet" href="(assets/statusbook/home\.[0-9a-f]+\.css)">')


def _material_links(site: Path) -> str:
    sheets = sorted((site / "assets" / "stylesheets").glob("*.min.css"))
    main = [p for p in sheets if p.name.startswith("main.")]
    palette = [p for p in sheets if p.name.startswith("palette.")]
    assert len(main) == 1 and len(palette) == 1, sheets
    return "".join(
        f'<link rel="stylesheet" href="assets/stylesheets/{p.name}">' for p in (*main, *palette)
    )


def _styles(page) -> list[int]:
    page.wait_for_load_state("load")
    return page.evaluate(_STYLES, None)


def _differences(full_page, subset_page, full: list[int], sub: list[int]) -> list[str]:
    if len(full) != len(sub):
        return [f"{len(full)} boxes with Material's stylesheets, {len(sub)} with the subset"]
    wrong = [i for i, (a, b) in enumerate(zip(full, sub, strict=True)) if a != b][:5]
    if not wrong:
        return []
    a, b = full_page.evaluate(_STYLES, wrong), subset_page.evaluate(_STYLES, wrong)
    out = []
    for i in wrong:
        name, text_a = a[i]
        props_a = dict(p.split(":", 1) for p in text_a.split(";") if ":" in p)
        props_b = dict(p.split(":", 1) for p in b[i][1].split(";") if ":" in p)
        changed = {k: (v, props_b.get(k)) for k, v in props_a.items() if props_b.get(k) != v}
        out.append(f"{name}: {changed}")
    return out


@pytest.mark.parametrize(
    "viewport,scheme,drawer",
    [
        ("desktop", "light", False),
        ("desktop", "dark", False),
        ("mobile", "light", False),
        ("mobile", "dark", True),
    ],
)
def test_every_element_of_the_home_page_is_styled_as_with_materials_full_stylesheets(
    site, open_context, base_url, viewport, scheme, drawer
):
    html = (site / "index.html").read_text(encoding="utf-8")
    found = _HOME_CSS.search(html)
    assert found, "the light home page links its stylesheet subset"
    assert "assets/stylesheets/main." not in html
    full_html = html.replace(found.group(), _material_links(site), 1)

    context, recorder = open_context(viewport=viewport, scheme=scheme)
    full_page = context.new_page()
    full_page.route(base_url, lambda route: route.fulfill(body=full_html, content_type="text/html"))
    full_page.goto(base_url)
    subset_page = context.new_page()
    subset_page.goto(base_url)
    for page in (full_page, subset_page):
        page.evaluate("document.fonts.ready")
        if scheme == "dark":  # the toggle, as a reader would use it
            label = page.locator('[data-md-component="palette"] label:not([hidden])')
            if page.evaluate("document.body.dataset.mdColorScheme") != "slate":
                label.click()
            page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        if drawer:  # the drawer: a checkbox; with script, a button stands in for its label
            page.locator(
                '.md-header .sb-menu-button, .md-header label[for="__drawer"]:not([hidden])'
            ).click()
            assert page.locator("#__drawer").is_checked()
    full, sub = _styles(full_page), _styles(subset_page)
    assert len(sub) > 300, "the home page has its elements"
    assert _differences(full_page, subset_page, full, sub) == []


def test_the_home_stylesheet_is_a_fraction_of_materials(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    found = _HOME_CSS.search(html)
    assert found
    subset = (site / found.group(1)).read_bytes()
    material = b"".join(
        p.read_bytes() for p in sorted((site / "assets" / "stylesheets").glob("*.min.css"))
    )
    ratio = len(gzip.compress(subset, 9)) / len(gzip.compress(material, 9))
    assert ratio < 0.6, f"the subset is {ratio:.0%} of Material's stylesheets, gzipped"
    # Other pages keep Material's stylesheets and bundle: search and navigation need them.
    other = next((site / "incidents").glob("*/index.html")).read_text(encoding="utf-8")
    assert "assets/stylesheets/main." in other and "home." not in other
