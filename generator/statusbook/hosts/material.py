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
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata

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
