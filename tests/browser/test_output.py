"""Every file of the built example site is valid: HTML (the Nu HTML checker), links and anchors,
feeds, JSON, SVG, the maintenance calendar and the sitemap."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

from .helpers import html_pages

SITE_URL = "https://status.quillstack.example/"  # site_url in the example's mkdocs.yml
LOCAL = "http://site.invalid/"  # stands for the site's root while resolving relative links

#: Errors the Nu checker reports in Material for MkDocs' own base template, which Statusbook
#: does not render and cannot fix: Material puts autocomplete="off" on its hidden checkbox
#: toggles (drawer, search), which HTML allows only on text-like inputs. Each entry is
#: (start of the message, a string the offending markup contains): as narrow as possible.
MATERIAL_ERRORS = [
    (
        "Attribute “autocomplete” is only allowed when the input type is",
        'class="md-toggle"',
    ),
]


def _is_material_error(message: dict) -> bool:
    return any(
        message.get("message", "").startswith(start) and marker in message.get("extract", "")
        for start, marker in MATERIAL_ERRORS
    )


# --- HTML --------------------------------------------------------------------------------------


def test_every_page_passes_the_nu_html_checker(site, vnu_jar):
    pages = html_pages(site)
    svgs = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.svg"))
    own_css = [
        p.relative_to(site).as_posix()
        for p in (site / "assets" / "statusbook" / "statusbook.css", site / "embed" / "embed.css")
        if p.is_file()
    ]
    assert len(pages) >= 40
    # One JVM for every file: starting Java per file would take minutes.
    done = subprocess.run(
        ["java", "-Xss2m", "-jar", str(vnu_jar), "--format", "json", "--exit-zero-always",
         "--also-check-svg", "--also-check-css", *pages, *svgs, *own_css],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [
        m
        for m in messages
        if m["type"] in ("error", "non-document-error") and not _is_material_error(m)
    ]
    report = "\n".join(
        f"{m.get('url', '?').split(str(site))[-1]}:{m.get('lastLine', '?')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()[:160]!r}"
        for m in errors[:30]
    )
    assert not errors, f"{len(errors)} errors from the Nu HTML checker:\n{report}"


# --- links and anchors -------------------------------------------------------------------------

_LINK_ATTRIBUTES = {
    "a": "href",
    "area": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "form": "action",
}


def _ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {t["id"] for t in soup.find_all(id=True)} | {
            t["name"] for t in soup.find_all("a", attrs={"name": True})
        }
    return cache[path]


def _target(site: Path, url: str) -> Path | None:
    """The file a URL of this site (resolved against LOCAL) stands for, or None if external."""
    if url.startswith(SITE_URL):
        url = LOCAL + url[len(SITE_URL) :]
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != LOCAL:
        return None
    path = unquote(parts.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return site / path


def check_url(site: Path, page_url: str, raw: str, ids: dict[Path, set[str]]) -> str | None:
    """A problem with one link of one page, or None."""
    raw = raw.strip()
    scheme = urlsplit(raw).scheme.lower()
    if scheme in ("javascript", "data", "vbscript", "file"):
        return f"{scheme}: link {raw[:60]!r}"
    if scheme in ("mailto", "tel"):
        return None
    url = urljoin(page_url, raw)
    target = _target(site, url)
    if target is None:
        return None  # another site: not checked here (no network)
    if not target.is_file():
        if target.is_dir() and (target / "index.html").is_file():
            target = target / "index.html"
        else:
            return f"{raw} -> {target.relative_to(site)} does not exist"
    fragment = unquote(urlsplit(url).fragment)
    if fragment and target.suffix == ".html" and fragment not in _ids(target, ids):
        return f"{raw} -> no id {fragment!r} in {target.relative_to(site)}"
    return None


def test_every_internal_link_and_anchor_resolves(site):
    ids: dict[Path, set[str]] = {}
    problems: dict[str, list[str]] = {}
    checked = 0
    for rel in html_pages(site):
        soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
        page_url = LOCAL + rel
        for tag, attribute in _LINK_ATTRIBUTES.items():
            for element in soup.find_all(tag, attrs={attribute: True}):
                checked += 1
                problem = check_url(site, page_url, element[attribute], ids)
                if problem:
                    problems.setdefault(rel, []).append(f"<{tag}> {problem}")
        for element in soup.find_all(srcset=True):
            for candidate in element["srcset"].split(","):
                problem = check_url(site, page_url, candidate.split()[0], ids)
                if problem:
                    problems.setdefault(rel, []).append(f"srcset {problem}")
    assert checked > 1000
    report = "\n".join(f"{rel}:\n  " + "\n  ".join(p[:8]) for rel, p in problems.items())
    assert not problems, f"broken links on {len(problems)} pages:\n{report}"


def test_css_references_resolve(site):
    problems = []
    for css in [site / "assets" / "statusbook" / "statusbook.css", site / "embed" / "embed.css"]:
        text = css.read_text(encoding="utf-8")
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            problem = check_url(site, LOCAL + css.relative_to(site).as_posix(), ref, {})
            if problem and not ref.startswith("data:"):
                problems.append(f"{css.name}: {problem}")
    assert not problems


def test_search_index_sitemap_and_feed_links_point_at_pages(site):
    ids: dict[Path, set[str]] = {}
    problems = []
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        problem = check_url(site, LOCAL, doc["location"], ids)
        if problem:
            problems.append(f"search index: {problem}")
    locs = sitemap_urls(site)
    assert len(locs) >= 40
    for loc in locs:
        assert loc.startswith(SITE_URL), loc
        problem = check_url(site, LOCAL, loc, ids)
        if problem:
            problems.append(f"sitemap: {problem}")
    import feedparser

    for feed in sorted([*site.rglob("*.rss"), *site.rglob("*.atom")]):
        parsed = feedparser.parse(feed.read_bytes())
        for entry in parsed.entries:
            for link in [entry.get("link", "")] + [
                x.get("href", "") for x in entry.get("links", [])
            ]:
                if link:
                    problem = check_url(site, LOCAL, link, ids)
                    if problem:
                        problems.append(f"{feed.relative_to(site)}: {problem}")
    assert not problems, "\n".join(sorted(set(problems))[:30])


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(site: Path) -> list[str]:
    """Every page address in sitemap.xml, following a sitemap index to its sitemaps."""
    urls, queue, seen = [], ["sitemap.xml"], set()
    while queue:
        rel = queue.pop(0)
        assert rel not in seen, f"{rel} is listed twice"
        seen.add(rel)
        root = ET.fromstring((site / rel).read_bytes())
        locs = [(e.text or "").strip() for e in root.iter(f"{SITEMAP_NS}loc")]
        if root.tag == f"{SITEMAP_NS}sitemapindex":
            for loc in locs:
                assert loc.startswith(SITE_URL), loc
                target = _target(site, loc)
                assert target is not None and target.is_file(), f"{rel}: {loc} does not exist"
                queue.append(target.relative_to(site).as_posix())
        else:
            assert root.tag == f"{SITEMAP_NS}urlset", f"{rel}: root is {root.tag}"
            urls += locs
    return urls


def test_sitemap_lists_every_page_and_its_gzip_matches(site):
    sitemap = (site / "sitemap.xml").read_bytes()
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == sitemap
    listed = {url[len(SITE_URL) :] for url in sitemap_urls(site)}
    pages = {
        rel[: -len("index.html")]
        for rel in html_pages(site)
        if rel.endswith("index.html") and not rel.startswith("embed/")
    }
    assert not pages - listed, f"pages missing from the sitemap: {sorted(pages - listed)}"


# --- feeds, JSON, SVG, calendar ----------------------------------------------------------------


def test_every_feed_parses_without_errors(site):
    import feedparser

    feeds = sorted([*site.rglob("*.rss"), *site.rglob("*.atom")])
    assert len(feeds) >= 6
    problems = {}
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        rel = feed.relative_to(site).as_posix()
        if parsed.bozo:
            problems[rel] = repr(parsed.bozo_exception)
        elif not parsed.version.startswith("rss" if feed.suffix == ".rss" else "atom"):
            problems[rel] = f"parsed as {parsed.version!r}"
        elif not parsed.feed.get("title"):
            problems[rel] = "no title"
        for entry in parsed.entries:
            if not entry.get("title") or not entry.get("link") or not entry.get("id"):
                problems[rel] = f"entry without title, link or id: {entry.get('title')!r}"
    assert not problems, problems
    everything = feedparser.parse((site / "feeds" / "all.atom").read_bytes())
    assert len(everything.entries) >= 10


def test_atom_entries_carry_the_html_timeline_like_rss(site):
    """Both formats of a feed hold the same entries with the same HTML body (the timeline)."""
    import feedparser

    problems = []
    for atom in sorted(site.rglob("*.atom")):
        rss = atom.with_suffix(".rss")
        a, r = feedparser.parse(atom.read_bytes()), feedparser.parse(rss.read_bytes())
        assert [e.link for e in a.entries] == [e.link for e in r.entries], atom.name
        for entry, twin in zip(a.entries, r.entries, strict=True):
            html = [c for c in entry.get("content", []) if c.get("type") == "text/html"]
            want = twin.get("content", [{}])[0].get("value", "")
            if not html or " ".join(html[0]["value"].split()) != " ".join(want.split()):
                problems.append(f"{atom.relative_to(site)}: {entry.title}")
    assert not problems, f"Atom entries without the HTML body their RSS twin has: {problems[:5]}"


def test_every_json_file_parses(site):
    files = sorted(site.rglob("*.json"))
    assert any(p.name == "search_index.json" for p in files)
    problems = {}
    for path in files:
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            problems[path.relative_to(site).as_posix()] = str(exc)
    assert not problems, problems


def test_every_svg_parses_as_xml_and_has_a_text_alternative(site):
    svgs = sorted(site.rglob("*.svg"))
    assert any(p.name == "status.svg" for p in svgs)
    problems = {}
    for path in svgs:
        rel = path.relative_to(site).as_posix()
        try:
            root = ET.fromstring(path.read_bytes())
        except ET.ParseError as exc:
            problems[rel] = f"not XML: {exc}"
            continue
        if root.tag != "{http://www.w3.org/2000/svg}svg":
            problems[rel] = f"root element is {root.tag}"
        elif rel.startswith("badges/"):
            title = root.find("{http://www.w3.org/2000/svg}title")
            if title is None or not (title.text or "").strip() or not root.get("aria-label"):
                problems[rel] = "badge without <title> and aria-label"
    assert not problems, problems


def test_maintenance_calendar_parses_with_icalendar(site, pages):
    import icalendar  # a dependency of the package: the calendar's serialiser

    calendar = icalendar.Calendar.from_ical((site / "maintenance.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events
    uids, urls = set(), set()
    for event in events:
        for name in ("UID", "DTSTART", "DTEND", "DTSTAMP", "SUMMARY", "URL"):
            assert event.get(name) is not None, f"event without {name}: {event.get('SUMMARY')}"
        assert event.decoded("DTEND") > event.decoded("DTSTART")
        uids.add(str(event["UID"]))
        urls.add(str(event["URL"]))
        problem = check_url(site, LOCAL, str(event["URL"]), {})
        assert problem is None, problem
    assert len(uids) == len(events), "UIDs are not unique"
    # The calendar keeps 90 days of the past; the upcoming window is certainly in it.
    assert SITE_URL + pages["maintenance"] in urls


def test_every_page_declares_its_icon(site):
    """Without <link rel=icon> a browser asks for /favicon.ico, which the site does not have."""
    missing = []
    for rel in html_pages(site):
        soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
        icon = soup.find("link", rel=lambda r: r and "icon" in r)
        if icon is None:
            missing.append(rel)
    assert not missing, (
        f"pages without an icon (the browser requests /favicon.ico, a 404): {missing}"
    )
