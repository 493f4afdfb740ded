"""What the plugin writes besides MkDocs' own pages, and the edits it makes to them: stamped
pages poured into the shell page, the sitemap, search entries for our pages, the favicon that
shows the status, the home page's stylesheet subset and the Content-Security-Policy.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import io
import os
import re
from datetime import date
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files

from ..cache.site_cache import SiteCache
from ..outputs.pages.render import Page
from . import material

# The plugin's logger prefix ("statusbook:"), as in mkdocs_plugin.py.
log = get_plugin_logger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
CSS_URI = "assets/statusbook/statusbook.css"
JS_URI = "assets/statusbook/library.js"
PALETTE_URI = "assets/statusbook/palette.js"
UPTIME_JS_URI = "assets/statusbook/uptime.js"
FAVICON_URI = "assets/statusbook/favicon.svg"
SHELL_URI = "_statusbook/shell.md"
SHELL_PATH = "_statusbook/shell/"
# The shell's content holds "<h1" so that Material's content partial adds no heading of its own.
CONTENT_MARK = "<!--statusbook:content <h1>-->"
TITLE_MARK = "statusbook-title-0f9c2e"
DESC_MARK = "statusbook-description-0f9c2e"


def index_postmortems(site_dir: Path, pages: list[Page]) -> None:
    """Make postmortems findable with Material's search: they are stamped, not MkDocs pages,
    so the search plugin never saw them. One entry each (title and text, capped) keeps the
    index small on large sites."""
    index_path = site_dir / "search" / "search_index.json"
    if not index_path.is_file():
        return  # search is off
    entries = []
    for page in pages:
        if not page.path.startswith("postmortems/") or page.path.count("/") != 2:
            continue
        if page.path.startswith(("postmortems/year-", "postmortems/actions/")):
            continue
        text = _TAGS.sub(" ", page.html)
        text = " ".join(html.unescape(text).split())[:SEARCH_TEXT_LIMIT]
        # Material's search shows title and text as HTML: escape what came from content.
        entries.append(
            {"location": page.path, "title": html.escape(page.title), "text": html.escape(text)}
        )
    index = index_path.read_text(encoding="utf-8")
    where = "search/search_index.json"
    index_path.write_text(material.add_search_entries(index, entries, where), encoding="utf-8")


_TAGS = re.compile(r"<[^>]+>")
PROGRESS_EVERY = 2000  # pages between progress lines on large sites (hidden by --quiet)
SEARCH_TEXT_LIMIT = 800  # summary and opening: enough to find it, small on large sites


_CHARSET = re.compile(r'@charset "[^"]*";')


def minify_css(css: str) -> str:
    """Comments and layout whitespace out: the stylesheet is on every page's critical path."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};,>])\s*", r"\1", css)
    return css.replace(";}", "}").strip() + "\n"


def status_favicon(indicator: str) -> bytes:
    """A dot in the colour of the overall status."""
    from ..outputs.badges import _OVERALL_FILL

    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
        f'<circle cx="8" cy="8" r="7" fill="{_OVERALL_FILL[indicator]}"/></svg>\n'
    ).encode()


def lighten_styles_of(
    output: str, files: Files | None, cache: SiteCache | None
) -> tuple[str, tuple[str, bytes] | None]:
    """The home page with Material's stylesheets replaced by the part of them it can use
    (outputs/stylesheet.py): one request of about 10 KiB gzipped instead of two of 24."""
    from ..outputs.stylesheet import page_tokens, select
    from .theme_styles import compiled

    if files is None or cache is None:
        return output, None
    hrefs = material.stylesheets(output, "index.md", log.warning)
    if not hrefs:
        return output, None
    sources = [files.get_file_from_path(href) for href in hrefs]
    if any(f is None or not f.abs_src_path for f in sources):
        return output, None
    tokens = page_tokens(output, [(ASSETS / "palette.js").read_text(encoding="utf-8")])
    parts = []
    for f in sources:
        raw = Path(f.abs_src_path).read_bytes()
        # Material's own stylesheets come parsed with the package (theme_styles.py)
        rules = cache.memo("stylesheets", raw, lambda r=raw: compiled(r))
        parts.append(select(rules, tokens))
    css = '@charset "UTF-8";' + _CHARSET.sub("", "".join(parts)) + "\n"
    data = css.encode("utf-8")
    rel = f"assets/statusbook/home.{hashlib.sha256(data).hexdigest()[:10]}.css"
    # the subset takes the first link's place; the others go
    return material.replace_stylesheets(output, rel), (rel, data)


def theme_fixed(output: str, where: str) -> str:
    """The theme's accessibility problems fixed (material.py); a warning, an error under
    --strict, when its markup no longer matches what we fix."""
    output, missing = material.patch(output)
    if missing:
        log.warning(material.missing_message(missing, where))
    return output


def lighten(output: str) -> str:
    """The status home page without Material's script bundle (35 KiB gzipped, plus the search
    index and worker it loads): readers arrive here during an outage, often on a phone.
    Everything on the page is plain HTML already; only search (hidden) and the palette
    toggle (a small script of ours) used the bundle."""
    return material.without_bundle(output, "sb-lite", PALETTE_URI, "index.md", log.warning)


def add_head_links(output: str, prefix: str, site_name: str, where: str) -> str:
    """Feed discovery on every page: browsers and feed readers look for these links.

    They point at the root-level history.* pair: Material fetches `sitemap.xml` next to every
    rel=alternate link, and there is one at the root.
    """
    name = html.escape(site_name)
    links = (
        f'<link rel="alternate" type="application/rss+xml" title="{name} (RSS)" '
        f'href="{prefix}history.rss">'
        f'<link rel="alternate" type="application/atom+xml" title="{name} (Atom)" '
        f'href="{prefix}history.atom">'
    )
    return material.insert_before_head_end(output, links, where)


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def add_csp(output: str, where: str) -> str:
    """A Content-Security-Policy that allows only this site's files and the page's own
    inline scripts (by hash): content from a pull request cannot run script or load from
    elsewhere even if it slipped past the sanitiser."""
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(m.encode("utf-8")).digest()).decode() + "'"
            for m in _INLINE_SCRIPT.findall(output)
        }
    )
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(hashes),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return material.insert_after_charset(output, meta, where)


def _stamp(head: str, tail: str, page: Page) -> bytes:
    """A page placed into the shell Material rendered once."""
    return "".join((_fill(head, page), page.html, _fill(tail, page))).encode("utf-8")


def write_pages(first: int, step: int, shared: tuple[Path, str, str, list[Page]]) -> None:
    """In a worker: write every step-th page from the first (see workers.split_work)."""
    site_dir, head, tail, pages = shared
    for page in pages[first::step]:
        folder = os.path.join(site_dir, page.path)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "index.html"), "wb") as out:
            out.write(_stamp(head, tail, page))


def _fill(part: str, page: Page) -> str:
    return (
        part.replace(TITLE_MARK, html.escape(page.title))
        .replace(DESC_MARK, html.escape(page.description))
        .replace(SHELL_PATH, page.path)
    )


def _xml_text(text: str) -> str:
    """Text for an XML element: &, < and > escaped (xml.sax.saxutils.escape, without the
    import of urllib.request that module makes)."""
    return html.escape(text, quote=False)


def write_sitemap(
    config: MkDocsConfig, site_dir: Path, urls: list[tuple[str, date | None]]
) -> None:
    """sitemap.xml is a small index of per-section sitemaps.

    MkDocs' own sitemap lists only its pages. Ours lists every public page, split so that no
    file grows with the whole history: Material's script fetches sitemap.xml beside every
    rel=alternate link on each page view, and search engines cap a sitemap at 50,000 URLs.
    """
    base = (config.site_url or "/").rstrip("/") + "/"
    sections: dict[str, list[tuple[str, date | None]]] = {}
    for path, lastmod in urls:
        head = path.split("/", 1)[0] if path.count("/") >= 2 else "pages"
        if head == "incidents" and lastmod is not None:
            head = f"incidents-{lastmod.year}"
        sections.setdefault(head, []).append((path, lastmod))
    index_lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    (site_dir / "sitemaps").mkdir(exist_ok=True)
    for name in sorted(sections):
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for path, lastmod in sections[name]:
            entry = f"  <url><loc>{_xml_text(base + path)}</loc>"
            if lastmod:
                entry += f"<lastmod>{lastmod.isoformat()}</lastmod>"
            lines.append(entry + "</url>")
        lines.append("</urlset>")
        (site_dir / "sitemaps" / f"{name}.xml").write_bytes(
            ("\n".join(lines) + "\n").encode("utf-8")
        )
        index_lines.append(f"  <sitemap><loc>{_xml_text(base)}sitemaps/{name}.xml</loc></sitemap>")
    index_lines.append("</sitemapindex>")
    data = ("\n".join(index_lines) + "\n").encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(data)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", filename="", mtime=0) as gz:
        gz.write(data)
    (site_dir / "sitemap.xml.gz").write_bytes(buffer.getvalue())
