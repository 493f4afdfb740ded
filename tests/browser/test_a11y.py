"""Accessibility of the example site: axe-core at WCAG 2.2 AA plus best practice on every page
type (both editions, phone and desktop, light and dark) and on every other page, status never by
colour alone, uptime bars readable in grayscale and usable from the keyboard and by touch, and a
keyboard walk through every page type in which every stop is visible and in view (issue #22)."""

from __future__ import annotations

import re

import pytest

from .conftest import VIEWPORTS
from .helpers import PAGE_KINDS, address, html_pages, page_types

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) =>
      `${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\\s+/g, ' ')}`),
  }));
}"""

SETUPS = {
    "desktop-light": ("desktop", "light"),
    "desktop-dark": ("desktop", "dark"),
    "mobile-light": ("mobile", "light"),
    "mobile-dark": ("mobile", "dark"),
}


@pytest.fixture(scope="module")
def axe_tabs(browser, axe_source):
    """One page per setup, reused for every address (a context per test would cost more)."""
    contexts, tabs = [], {}
    for name, (viewport, scheme) in SETUPS.items():
        context = browser.new_context(
            **VIEWPORTS[viewport], color_scheme=scheme, reduced_motion="reduce"
        )
        # In every document before its own scripts: no page policy applies to init scripts,
        # and axe is parsed by the browser once per page load without a round trip.
        context.add_init_script(axe_source)
        contexts.append(context)
        tabs[name] = context.new_page()
    yield tabs
    for context in contexts:
        context.close()


def axe_violations(page, axe_source: str, url: str) -> list[str]:
    page.goto(url)
    found = page.evaluate(RUN_AXE, AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n      "
        + "\n      ".join(v["nodes"][:5])
        + (f"\n      ... and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "")
        for v in found
    ]


@pytest.mark.parametrize("setup", list(SETUPS))
@pytest.mark.parametrize("edition", ["public", "internal"])
def test_axe_finds_no_wcag22_aa_violation_on_any_page_type(
    request, axe_tabs, axe_source, pages, edition, setup
):
    """Every kind of page (the library's too), one tab per setup; all findings in one report."""
    if edition == "public":
        base, kinds = request.getfixturevalue("base_url"), pages
    else:
        base = request.getfixturevalue("internal_base_url")
        kinds = page_types(request.getfixturevalue("internal_site"))
    assert set(PAGE_KINDS) <= set(kinds) and "metrics" in kinds
    report = []
    for kind, path in kinds.items():
        found = axe_violations(axe_tabs[setup], axe_source, base + path)
        report += [f"{kind} page, /{path}: {v}" for v in found]
    assert not report, f"{edition} edition, {setup}:\n  " + "\n  ".join(report)


def test_axe_finds_no_violation_on_any_other_page(axe_tabs, axe_source, base_url, site, pages):
    """Every page the kinds above do not cover (other incidents, months, library pages, 404)."""
    covered = set(pages.values())
    others = [address(rel) for rel in html_pages(site) if address(rel) not in covered]
    assert others
    by_rule: dict[str, list[str]] = {}
    for path in others:
        for violation in axe_violations(axe_tabs["desktop-light"], axe_source, base_url + path):
            rule, _, detail = violation.partition("\n")
            by_rule.setdefault(rule, []).append(f"/{path}{detail}")
    report = "\n".join(
        f"{rule} on {len(hits)} of {len(others)} pages, e.g.\n  " + "\n  ".join(hits[:2])
        for rule, hits in sorted(by_rule.items())
    )
    assert not by_rule, report


# --- status is text, colour only repeats it ----------------------------------------------------

COLOUR_ALONE_JS = """() => {
  const text = (el) => (el.textContent || '').replace(/\\s+/g, ' ').trim();
  const hiddenFromAT = (el) => {
    for (let a = el; a; a = a.parentElement) {
      if (a.getAttribute && a.getAttribute('aria-hidden') === 'true') return true;
    }
    const s = getComputedStyle(el);
    return s.display === 'none' || s.visibility === 'hidden';
  };
  const out = {days: [], problems: []};
  for (const day of document.querySelectorAll('li.sb-day')) {
    const label = text(day);
    out.days.push(label);
    if (!label) out.problems.push(`a day bar has no text: ${day.outerHTML.slice(0, 120)}`);
    const tip = day.querySelector('.sb-tip');
    if (day.checkVisibility() && (!tip || hiddenFromAT(tip)))
      out.problems.push(`a day's label is hidden from assistive tech: ${label}`);
  }
  for (const strip of document.querySelectorAll('ol.sb-strip')) {
    if (!(strip.getAttribute('aria-label') || '').trim())
      out.problems.push('a strip has no aria-label');
  }
  // Anything coloured by a status: pills, impact badges, states, banners, cards, day bars.
  const coloured =
    '[class*="sb-s-"], .sb-pill, .sb-impact, .sb-state, .sb-banner, .sb-card, .sb-embed';
  for (const el of document.querySelectorAll(coloured)) {
    // A key's mark is a picture of a bar beside the words that name it.
    if (el.matches('.sb-key-mark[aria-hidden="true"]') && text(el.parentElement)) continue;
    if (!text(el))
      out.problems.push(`coloured element without text: ${el.outerHTML.slice(0, 120)}`);
  }
  for (const card of document.querySelectorAll('.sb-card')) {
    if (!card.querySelector('.sb-impact, .sb-state'))
      out.problems.push(`card whose colour is not written out: ${text(card).slice(0, 60)}`);
  }
  return out;
}"""

DAY_LABEL = re.compile(
    r"\d{1,2} [A-Z][a-z]{2} \d{4}: (no incidents|(degraded performance|partial outage|"
    r"major outage|under maintenance|operational)\. .+)"
)


def test_status_is_never_conveyed_by_colour_alone(open_context, base_url, site, pages):
    context, _ = open_context()
    page = context.new_page()
    problems, days = {}, 0
    for path in [pages["home"], pages["component"], pages["embed"], *_strip_pages(site, pages)]:
        page.goto(base_url + path)
        found = page.evaluate(COLOUR_ALONE_JS)
        bad = [d for d in found["days"] if not DAY_LABEL.fullmatch(d)]
        days += len(found["days"])
        if found["problems"] or bad:
            problems[path] = found["problems"][:10] + [f"odd day label: {d}" for d in bad[:5]]
    assert days >= 90, "no uptime strip found"
    assert not problems, problems


def _strip_pages(site, pages) -> list[str]:
    """More pages with status colours: other components, incidents and months (a sample)."""
    return [
        address(rel)
        for rel in html_pages(site)
        if rel.startswith(("components/", "incidents/", "history/"))
        and address(rel) not in pages.values()
    ][:12]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_uptime_bars_have_text_alternatives_in_the_accessibility_tree(
    open_context, base_url, pages, viewport
):
    context, _ = open_context(viewport=viewport)
    page = context.new_page()
    page.goto(base_url + pages["component"])
    strip = page.locator("ol.sb-strip").first
    tree = strip.aria_snapshot()
    items = re.findall(r'listitem: "?([^"\n]+)"?', tree)
    visible = strip.evaluate("s => [...s.children].filter(li => li.checkVisibility()).length")
    assert re.search(r'list "[^"]+: daily status, last \d+ days"', tree), tree[:300]
    assert len(items) == visible, "every bar a reader can see is announced, with its label"
    assert all(DAY_LABEL.fullmatch(i) for i in items), [
        i for i in items if not DAY_LABEL.fullmatch(i)
    ]
    percent = page.locator(".sb-uptime-pct").first.inner_text()
    assert re.search(r"\d+(\.\d+)?% uptime", percent)


# --- keyboard ----------------------------------------------------------------------------------

FOCUS_STYLE_JS = """() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  // Material hides its palette radios and shows the label next to them.
  const shown = el.matches('input.md-option') ? el.nextElementSibling : el;
  const pick = (s) => ({
    outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
    outlineVisible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
    boxShadow: s.boxShadow,
    background: s.backgroundColor,
    border: s.borderColor,
    color: s.color,
  });
  const focused = pick(getComputedStyle(shown));
  el.blur();
  const blurred = pick(getComputedStyle(shown));
  el.focus();  // back where Tab put it, so the next Tab goes on from here
  return {
    // Material's search field shows focus by opening its search panel, not by a ring.
    materialSearch: el.matches('.md-search__input'),
    what: `<${el.tagName.toLowerCase()} ${el.className}> `
      + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40),
    link: el.matches('a[href]'),
    inContent: !!el.closest('.md-content'),
    visible: shown.checkVisibility(),
    focused, blurred,
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["home", "incident", "component"])
def test_keyboard_focus_is_visible(open_context, base_url, pages, kind, scheme):
    context, _ = open_context(scheme=scheme)
    page = context.new_page()
    page.goto(base_url + pages[kind])
    problems, content_links = [], 0
    for _ in range(60):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE_JS)
        if state is None or not state["visible"] or state["materialSearch"]:
            continue
        f, b = state["focused"], state["blurred"]
        ring = (f["outlineVisible"] and f["outline"] != b["outline"]) or (
            f["boxShadow"] != "none" and f["boxShadow"] != b["boxShadow"]
        )
        if state["link"] and not ring:
            problems.append(f"{state['what']}: no focus outline or shadow ({f} vs {b})")
        elif not ring and f == b:
            problems.append(f"{state['what']}: focus changes nothing visible")
        content_links += state["link"] and state["inContent"]
        if content_links >= 8:
            break
    assert content_links >= 3, "Tab never reached the links in the page's content"
    assert not problems, problems
