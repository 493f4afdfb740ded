"""Every assumption Statusbook makes about the HTML that Material for MkDocs renders.

The plugin edits Material's output after it is rendered: a Content-Security-Policy after the
charset tag, feed links before `</head>`, a lighter home page without Material's script
bundle and with a subset of its stylesheets, postmortems added to the search index. Each edit
first finds the markers it relies on. A missing marker is never skipped silently:

- where the page would lose something it must have (the security policy, feed discovery, the
  search index's shape), `MaterialChanged` fails the build with a message naming the marker
  and the installed Material version;
- where the page still works without the edit (the lighter home page), the page is left as
  Material rendered it and a warning says which marker is missing.

Material's templates: https://github.com/squidfunk/mkdocs-material/tree/master/src/templates
(base.html renders the charset meta, the stylesheet links, `__config` and the bundle script).

Material's header also has accessibility problems our pages must not inherit (#22): a search
dialog without a name, a menu button (a <label>) the keyboard cannot reach, a closed search
result box that takes a Tab stop, the closed side menu's links in the tab order, no room kept
for the sticky header when focus scrolls the page. The second half of this module fixes them
by editing the rendered HTML (EDITS) and by CSS and a script aimed at the theme's elements
(CSS, JS: they name only the SELECTORS listed). Each edit names the exact text it expects;
`patch` reports every edit it could not apply, the build turns that into a warning (an error
under --strict), and the tests build with --strict and look for each selector in the
rendered pages: a theme upgrade that changes this markup fails a test instead of silently
bringing a problem back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from importlib import metadata

from ..i18n import Lang
from ..outputs.labels import N_

Warn = Callable[[str], None]


class MaterialChanged(Exception):
    """Material's output lacks a marker an edit must have: the build cannot go on."""


@dataclass(frozen=True)
class Marker:
    """A piece of Material's output that an edit relies on."""

    name: str  # as the message shows it
    pattern: re.Pattern[str]
    needed_for: str  # what breaks without it

    def find(self, html: str) -> re.Match[str] | None:
        return self.pattern.search(html)


CHARSET = Marker(
    '<meta charset="utf-8">',
    re.compile(re.escape('<meta charset="utf-8">')),
    "the Content-Security-Policy meta tag goes right after it",
)
HEAD_END = Marker(
    "</head>", re.compile(re.escape("</head>")), "the feed discovery links go before it"
)
BODY_START = Marker("<body ...>", re.compile(re.escape("<body ")), "the light home page's class")
BODY_END = Marker("</body>", re.compile(re.escape("</body>")), "the palette toggle's script")
BUNDLE = Marker(
    '<script src=".../assets/javascripts/bundle.<hash>.min.js"></script>',
    re.compile(r'\s*<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>'),
    "the light home page leaves Material's script bundle out",
)
CONFIG_SCRIPT = Marker(
    '<script id="__config" type="application/json">',
    re.compile(r'\s*<script id="__config" type="application/json">.*?</script>', re.S),
    "the light home page leaves the bundle's configuration out with it",
)
STYLESHEET = Marker(
    '<link rel="stylesheet" href="assets/stylesheets/(main|palette).<hash>.min.css">',
    re.compile(
        r'<link rel="stylesheet" '
        r'href="(?P<href>assets/stylesheets/(?:main|palette)\.[0-9a-f]+\.min\.css)">'
    ),
    "the light home page replaces Material's stylesheets with the part of them it uses",
)
#: Every marker, for the test that runs them against the installed Material's real output.
MARKERS = (CHARSET, HEAD_END, BODY_START, BODY_END, BUNDLE, CONFIG_SCRIPT, STYLESHEET)


def version() -> str:
    """The installed Material for MkDocs, as messages name it."""
    try:
        return metadata.version("mkdocs-material")
    except metadata.PackageNotFoundError:
        return "(version unknown)"


def missing(marker: Marker, where: str) -> str:
    """The message for a marker `where` (a page's path) lacks."""
    return (
        f"statusbook: {where}: Material for MkDocs {version()} rendered no {marker.name}, "
        f"but {marker.needed_for} (hint: use a Material version this Statusbook supports, "
        "see README.md, or report it with the page's HTML)"
    )


def insert_after_charset(html: str, tag: str, where: str) -> str:
    """`tag` right after the charset meta, where a Content-Security-Policy must be: before any
    script or stylesheet of the page."""
    found = CHARSET.find(html)
    if found is None:
        raise MaterialChanged(missing(CHARSET, where))
    return html[: found.end()] + tag + html[found.end() :]


def insert_before_head_end(html: str, tags: str, where: str) -> str:
    found = HEAD_END.find(html)
    if found is None:
        raise MaterialChanged(missing(HEAD_END, where))
    return html[: found.start()] + tags + html[found.start() :]


def insert_after_body_start(html: str, tags: str) -> str:
    """`tags` first inside <body>; before everything when there is no <body> tag (serve's
    problems banner: shown either way, so no marker is required)."""
    head, sep, tail = html.partition("<body")
    if not sep:
        return tags + html
    end = tail.index(">") + 1
    return head + sep + tail[:end] + tags + tail[end:]


def without_bundle(html: str, body_class: str, script_src: str, where: str, warn: Warn) -> str:
    """The page without Material's script bundle and its configuration, with `body_class` on
    <body> and our own `script_src` before </body>; the page unchanged (and a warning) when
    any of the markers is missing."""
    for marker in (BUNDLE, CONFIG_SCRIPT, BODY_START, BODY_END):
        if marker.find(html) is None:
            warn(missing(marker, where) + "; the page keeps Material's scripts")
            return html
    lighter = BUNDLE.pattern.sub("", html, count=1)
    lighter = CONFIG_SCRIPT.pattern.sub("", lighter, count=1)
    lighter = lighter.replace("<body ", f'<body class="{body_class}" ', 1)
    return lighter.replace("</body>", f'<script src="{script_src}" defer></script></body>', 1)


def stylesheets(html: str, where: str, warn: Warn) -> list[str]:
    """The site-relative paths of Material's stylesheets the page links, in order; none (and
    a warning) when the page links them in a form this module does not know."""
    found = [m.group("href") for m in STYLESHEET.pattern.finditer(html)]
    if not found:
        warn(missing(STYLESHEET, where) + "; the page keeps Material's stylesheets")
    return found


def replace_stylesheets(html: str, href: str) -> str:
    """One stylesheet link to `href` in the first Material stylesheet's place; the others go."""
    first = STYLESHEET.find(html)
    assert first is not None, "call stylesheets() first"
    return STYLESHEET.pattern.sub(
        lambda m: f'<link rel="stylesheet" href="{href}">' if m.start() == first.start() else "",
        html,
    )


def add_search_entries(index_json: str, entries: Iterable[dict[str, str]], where: str) -> str:
    """Material's search index (search/search_index.json) with `entries` appended to its
    "docs" list ({"location", "title", "text"}, as the search plugin writes them)."""
    index = json.loads(index_json)
    if not isinstance(index, dict) or not isinstance(index.get("docs"), list):
        raise MaterialChanged(
            f"statusbook: {where}: the search index of Material for MkDocs {version()} has no "
            '"docs" list, but postmortems are added to it (hint: use a Material version this '
            "Statusbook supports, see README.md, or turn the search plugin off)"
        )
    index["docs"].extend(entries)
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


# The theme's accessibility fixes (#22) ---------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Replace `find` (exact text of Material's output) with `replace`, for the reason `why`,
    in every page that has `part` (the theme renders search only when the plugin is on)."""

    why: str
    find: str
    replace: str
    part: str = ""


# Material 9.x, src/templates/partials/search.html.
EDITS: tuple[Edit, ...] = (
    Edit(
        "the search dialog has no accessible name (axe aria-dialog-name)",
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
        part='data-md-component="search"',
    ),
)

#: The theme's elements CSS and JS below aim at: each is in every page with the theme's header.
SELECTORS: tuple[str, ...] = (
    "#__drawer",
    ".md-header",
    'label.md-header__button[for="__drawer"]',
    ".md-container",
    ".md-sidebar--primary",
    "#__search",
    ".md-search__scrollwrap",
    ".md-tabs__link",
    ".md-search",
    'label[for="__search"]',
    ".md-option",
    ".md-copyright",
)

# `.md-typeset` (Material's content class) scopes all of statusbook.css and is not listed here,
# nor `.md-typeset__scrollwrap`, which Material's script adds around tables at run time.
# Material hides the drawer's menu button from 76.25em up (its main.css), so does ours; below
# that the drawer slides in from off-screen, its links still focusable while it is out of view.
CSS = """
/* Material's header, made keyboard-friendly (generated from hosts/material.py) */
html { scroll-padding-top: 3.4rem; }
/* The light home page has no search script: hide the search field rather than show a dead one */
.sb-lite .md-search,
.sb-lite label[for="__search"] { display: none; }
/* Without Material's script its header buttons and palette toggle show no focus of their own */
.sb-lite .md-header__button:focus-visible,
.sb-lite .md-option:focus-visible + label { outline: 2px solid currentColor; outline-offset: 2px; }
/* The footer's copyright line: the theme's own colour for it falls short of 4.5:1 */
.md-copyright { color: var(--md-footer-fg-color--light); }
/* Tables scroll in our focusable region, not in Material's unlabelled wrapper inside it */
.sb-table-wrap .md-typeset__scrollwrap { overflow: visible; }
.md-header__button.sb-menu-button:focus-visible {
  outline: 2px solid currentColor;
  outline-offset: 2px;
}
@media screen and (min-width: 76.25em) {
  .md-header__button.sb-menu-button { display: none; }
}
/* Material fades the tabs out once the page scrolls ([hidden]); Shift+Tab still reaches them */
.md-tabs[hidden] .md-tabs__link:focus-visible { opacity: 1; transform: none; }
/* The search results box is a Tab stop (a scrollable region) even while search is closed */
#__search:not(:checked) ~ .md-header .md-search__scrollwrap { visibility: hidden; }
@media screen and (max-width: 76.2344em) {
  #__drawer:not(:checked) ~ .md-container .md-sidebar--primary { visibility: hidden; }
}
"""


JS_URI = "assets/statusbook/menu.js"

# Material's menu button is <label for="__drawer">: a pointer opens the drawer (a checkbox that
# CSS reacts to), the keyboard cannot reach it. This puts a real <button> in its place (a label
# may not take role=button): a Tab stop that Enter and Space press, announcing whether the menu
# is open; Esc closes the menu again. The label stays for pages read without script.
# https://www.w3.org/WAI/ARIA/apg/patterns/disclosure/
JS = """// Material's menu button made a keyboard button (generated from hosts/material.py).
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var label = document.querySelector('label.md-header__button[for="__drawer"]');
  if (!toggle || !label) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = label.className + " sb-menu-button";
  // The label carries the name in the site's language when it is not English (localized()).
  button.setAttribute("aria-label", label.getAttribute("data-sb-name") || "Menu");
  button.innerHTML = label.innerHTML;
  label.parentNode.insertBefore(button, label);
  label.hidden = true;
  function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
  function set(open) {
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));
    sync();
  }
  sync();
  toggle.addEventListener("change", sync);
  button.addEventListener("click", function () {
    set(!toggle.checked);
    // Into the menu that opened: its links come after the whole header in the page.
    var first = toggle.checked && document.querySelector(".md-sidebar--primary a[href]");
    if (first) first.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) {
      set(false);
      button.focus();
    }
  });
})();
"""


def patch(html: str) -> tuple[str, list[str]]:
    """The page with every edit applied, and the reason of each edit whose text was missing.

    A page without Material's header (the embed page) needs none of them: only pages that
    have the drawer are patched.
    """
    if 'data-md-toggle="drawer"' not in html:
        return html, []
    missing = []
    for edit in EDITS:
        if edit.find in html:
            html = html.replace(edit.find, edit.replace, 1)
        elif edit.part in html:
            missing.append(edit.why)
    return html, missing


#: Material's words that stay English whatever theme.language says, and the ones the edits above
#: add: Material 9.x src/templates/404.html, partials/header.html, partials/search.html.
NOT_FOUND = "<h1>404 - Not found</h1>"
DRAWER_LABEL = '<label class="md-header__button md-icon" for="__drawer">'
SEARCH_DIALOG_LABEL = 'role="dialog" aria-label="Search">'


def localized(html: str, lang: Lang) -> str:
    """The page with those words in the site's language (#20): the 404 heading, the search
    dialog's name and the menu button's (JS copies it from the drawer's label). English
    pages are left as they are."""
    if lang.is_source:
        return html
    not_found, menu, search = (
        escape(lang.gettext(word)) for word in (N_("Not found"), N_("Menu"), N_("Search"))
    )
    html = html.replace(NOT_FOUND, f"<h1>404 - {not_found}</h1>", 1)
    # A data attribute: aria-label is not allowed on a <label> bound to an input (Nu checker).
    html = html.replace(DRAWER_LABEL, f'{DRAWER_LABEL[:-1]} data-sb-name="{menu}">', 1)
    return html.replace(SEARCH_DIALOG_LABEL, f'role="dialog" aria-label="{search}">', 1)


def missing_message(missing: list[str], where: str) -> str:
    """One line for the build log: what no longer matches, and what to do."""
    return (
        f"{where}: the theme's HTML changed, so Statusbook could not fix: "
        + "; ".join(missing)
        + " (hint: update generator/statusbook/hosts/material.py to the new markup)"
    )
