"""Plain helpers for the browser tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: The moment the example site is built for (mkdocs.yml pins it with `now:`): an incident is
#: active and its next update not yet due, a maintenance window is upcoming.
EXAMPLE_NOW = "2026-11-23T10:00:00Z"


# --- page types --------------------------------------------------------------------------------

_MONTH = re.compile(r"\d{4}-\d{2}")
_DATED_ID = re.compile(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]+")


def _newest(site: Path, folder: str, name: re.Pattern[str]) -> str:
    found = sorted(
        p.parent.name for p in site.glob(f"{folder}/*/index.html") if name.fullmatch(p.parent.name)
    )
    assert found, f"the built site has no page under {folder}/ matching {name.pattern}"
    return f"{folder}/{found[-1]}/"


#: The kinds of page every site has (page_types may add more when the site has them).
PAGE_KINDS = [
    "home",
    "incident",
    "maintenance",
    "component",
    "month",
    "history",
    "postmortem",
    "postmortems",
    "about",
    "embed",
]


def page_types(site: Path) -> dict[str, str]:
    """One address per kind of page, relative to the site root ('' is the home page).

    The newest incident, maintenance, month and postmortem: at EXAMPLE_NOW the newest incident
    is active and the newest maintenance is upcoming, the most interesting states to render.
    Pages of the postmortem library (action items, years) are added when the site has them.
    """
    components = sorted(p.parent.name for p in site.glob("components/*/index.html"))
    assert components, "the built site has no component pages"
    component = "api" if "api" in components else components[0]
    extra = {}
    if (site / "postmortems" / "actions" / "index.html").is_file():
        extra["actions"] = "postmortems/actions/"
    if (site / "postmortems" / "metrics" / "index.html").is_file():
        extra["metrics"] = "postmortems/metrics/"
    years = sorted(p.parent.name for p in site.glob("postmortems/year-*/index.html"))
    if years:
        extra["postmortem-year"] = f"postmortems/{years[-1]}/"
    return {
        "home": "",
        "incident": _newest(site, "incidents", _DATED_ID),
        "maintenance": _newest(site, "maintenance", _DATED_ID),
        "component": f"components/{component}/",
        "month": _newest(site, "history", _MONTH),
        "history": "history/",
        "postmortem": _newest(site, "postmortems", _DATED_ID),
        "postmortems": "postmortems/",
        "about": "about/",
        "embed": "embed/",
        **extra,
    }


def html_pages(site: Path) -> list[str]:
    """Every HTML file of the site, relative to its root, sorted."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def address(rel_file: str) -> str:
    """'incidents/x/index.html' -> 'incidents/x/'; '404.html' stays."""
    return rel_file[: -len("index.html")] if rel_file.endswith("index.html") else rel_file


# --- what the browser did ----------------------------------------------------------------------

#: Registered before any page script runs: the page's CSP violations, as the browser reports them.
CSP_PROBE = """
window.__sbViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__sbViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} `
    + `in ${e.sourceFile || document.location.href}:${e.lineNumber}`);
});
"""


@dataclass
class Recorder:
    """Every request, failed request, console error and uncaught error of one context."""

    base_url: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)

    def attach(self, context: Any) -> None:
        context.add_init_script(CSP_PROBE)
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        context.on(
            "response",
            lambda r: self.bad_responses.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        context.on("page", self._watch)

    def _watch(self, page: Any) -> None:
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"console {m.type} on {page.url}: {m.text} {m.location}")
                if m.type in ("error", "assert")
                else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"uncaught on {page.url}: {e}"))

    def foreign(self) -> list[str]:
        """Requests to anything but the test server (data: and blob: stay in the page)."""
        own = urlsplit(self.base_url)
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
                out.append(url)
        return out


def csp_violations(page: Any) -> list[str]:
    return page.evaluate("window.__sbViolations || []")


# --- layout ------------------------------------------------------------------------------------

#: Elements that must never overlap one another (ancestors and descendants excepted).
KEY_ELEMENTS = [
    ".md-header__title",
    ".md-header__button:not(.md-logo)",
    ".md-search",
    ".md-tabs__link",
    ".sb-page h1",
    ".sb-page h2",
    ".sb-page h3",
    ".sb-crumbs",
    ".sb-banner",
    ".sb-banner-text",
    ".sb-banner-time",
    ".sb-banner-affected",
    ".sb-group-head > span",
    ".sb-pill",
    ".sb-component-name",
    ".sb-strip",
    ".sb-strip-legend > span",
    ".sb-row-title",
    ".sb-row-meta > *",
    ".sb-row-summary",
    ".sb-update-head > *",
    ".sb-next",
    ".sb-facts > div",
    ".sb-pager a",
    ".sb-months a",
    ".sb-embed h1",
    ".sb-embed p",
    ".sb-embed-item span",
    ".md-footer-meta .md-copyright",
]

#: Where every visible element must lie inside the viewport horizontally.
CONTAINED = ".md-header, .md-tabs, .md-content, .md-footer, .sb-embed"

LAYOUT_JS = """
({keys, contained, width}) => {
  const visible = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const name = (el) => {
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const classes = typeof el.className === 'string' ? el.className.trim() : '';
    const cls = classes ? '.' + classes.split(/\\s+/).join('.') : '';
    return `<${el.tagName.toLowerCase()}${cls}> "${text}"`;
  };
  const rectsOf = (el) => [...el.getClientRects()].filter((r) => r.width > 1 && r.height > 1);
  // Inside a scroll container or a clipped box an element may extend past the viewport.
  const clippedByAncestor = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) return true;
    }
    return false;
  };
  const seen = new Set();
  const boxes = [];
  for (const sel of keys) {
    for (const el of document.querySelectorAll(sel)) {
      if (seen.has(el) || !visible(el)) continue;
      seen.add(el);
      const rects = rectsOf(el);
      if (rects.length) boxes.push({el, rects});
    }
  }
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      let hit = null;
      for (const ra of a.rects) for (const rb of b.rects) {
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 1 && h > 1) hit = `${Math.round(w)}x${Math.round(h)}px`;
      }
      if (hit) overlaps.push(`${name(a.el)} overlaps ${name(b.el)} by ${hit}`);
    }
  }
  const outside = [];
  for (const root of document.querySelectorAll(contained)) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (!visible(el)) continue;
      for (const r of rectsOf(el)) {
        if ((r.right > width + 1 || r.left < -1) && !clippedByAncestor(el)) {
          const span = `x=${Math.round(r.left)}..${Math.round(r.right)}`;
          outside.push(`${name(el)} spans ${span}, viewport ${width}`);
          break;
        }
      }
    }
  }
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
    clientWidth: document.documentElement.clientWidth,
    overlaps,
    outside: outside.slice(0, 20),
  };
}
"""


def layout_problems(page: Any) -> list[str]:
    """Horizontal scrolling, overlapping key elements and elements poking out of the viewport.

    A phone browser given a page wider than its screen widens the layout viewport (innerWidth
    grows to fit, then the page is zoomed out), so scrollWidth <= innerWidth alone would pass:
    innerWidth must also still be the device's width.
    """
    width = page.viewport_size["width"]
    found = page.evaluate(LAYOUT_JS, {"keys": KEY_ELEMENTS, "contained": CONTAINED, "width": width})
    problems = []
    if found["scrollWidth"] > found["innerWidth"] or found["innerWidth"] > width:
        problems.append(
            f"scrolls horizontally: scrollWidth {found['scrollWidth']}, innerWidth "
            f"{found['innerWidth']}, device width {width}"
        )
    problems += found["overlaps"]
    problems += found["outside"]
    return problems
