"""Hostile content cannot reach readers as markup, script or links, and internal content cannot
reach the public site.

A fixture site puts `<script>`, quotes, `</title>`, `]]>`, Jinja syntax, right-to-left
overrides, newlines, `javascript:` and `data:` links and raw HTML with event handlers and
iframes in every field a contributor writes. Its "clean twin" has the same files with plain
text, so the scripts each page should carry are known: the twin's.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import re
import threading
import xml.etree.ElementTree as ET
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import build, unavailable, write_site

NOW = "2026-05-10T12:00:00Z"
SITE_URL = "https://status.hostile.example/"

#: Everything a title or name can hold that must stay text.
EVIL = (
    "Evil <script>alert(1)</script> <img src=x onerror=alert(2)> \"q\" 'a' </title> ]]> "
    "{{ 7*7 }} {% raw %} \u202egnp.exe"
)
#: The same in 100 characters or fewer (names of components and groups).
EVIL_NAME = '<script>alert(1)</script> "q" </title> ]]> {{ 7*7 }} {% raw %} \u202egnp'
#: Jinja that would print a number nothing else on the site prints, if it were evaluated.
JINJA_PRODUCT = "{{ 7*7191 }}"
EVALUATED = "50337"

#: Markdown and raw HTML for messages and bodies.
EVIL_MARKDOWN = """\
First line <script>alert(3)</script> and "quotes" and </title> and ]]> and {{ 7*7 }} and {% raw %}
second line with a right-to-left override \u202e here and {{ 7*7191 }}

[js link](javascript:alert(4)) [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)
[spaced js](  javascript:alert(6)) <https://fine.example/ok>

<a href="javascript:alert(7)">raw js</a> <a href="JaVaScRiPt:alert(8)">mixed case</a>
<a href="&#106;avascript:alert(9)">entity</a> <a href="java&#x09;script:alert(10)">tab</a>
<a href="data:text/html,<script>alert(11)</script>">raw data</a> <a href="vbscript:msgbox(12)">vb</a>

<img src="x" onerror="alert(13)"> <svg onload="alert(14)"><circle r="1"/></svg>
<iframe src="https://evil.example/"></iframe> <object data="https://evil.example/x"></object>
<embed src="https://evil.example/x"> <form action="https://evil.example/"><input name="q"></form>
<div onclick="alert(15)" style="background:url(javascript:alert(16))">div</div>
<style>body { display: none }</style> <base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<math><mtext><table><mglyph><style><img src=x onerror=alert(17)></style></mglyph></table></mtext></math>

[ref link][r]

[r]: javascript:alert(18)

```html
<script>alert("in a code block is fine: it is text")</script>
```
"""

#: Unique markers planted in internal-only places; none may reach a public file.
MARKERS = {
    "internal incident title": "LEAKMARK-INCTITLE-K3M9",
    "internal incident id": "leakmark-incid-k3m9",
    "internal incident message": "LEAKMARK-INCMSG-K3M9",
    "internal incident body": "LEAKMARK-INCBODY-K3M9",
    "notes of a public incident": "LEAKMARK-NOTES-P8Q1",
    "severity of a public incident": "LEAKMARK-SEV-Z7W2",
    "roles: commander": "LEAKMARK-ROLECMD-C4V8",
    "roles: experts": "LEAKMARK-ROLEEXP-R5T6",
    "draft postmortem title": "LEAKMARK-DRAFTTITLE-H6J7",
    "draft postmortem id": "leakmark-draftid-h6j7",
    "draft postmortem body": "LEAKMARK-DRAFTBODY-H6J7",
    "draft postmortem summary": "LEAKMARK-DRAFTSUM-H6J7",
    "internal postmortem title": "LEAKMARK-IPMTITLE-B2N4",
    "internal postmortem body": "LEAKMARK-IPMBODY-B2N4",
    "internal block of a public postmortem": "LEAKMARK-IBLOCK-D9F3",
    "internal maintenance title": "LEAKMARK-IMAINT-X1Y5",
    "internal maintenance id": "leakmark-imaintid-x1y5",
}
INTERNAL_INCIDENT = f"2026-05-10-{MARKERS['internal incident id']}"
DRAFT_POSTMORTEM = f"2026-05-09-{MARKERS['draft postmortem id']}"
INTERNAL_MAINTENANCE = f"2026-05-20-{MARKERS['internal maintenance id']}"


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def block(text: str, indent: int = 6) -> str:
    """A YAML literal block scalar's lines."""
    pad = " " * indent
    return "\n".join(pad + line if line else "" for line in text.splitlines())


def hostile_files(evil: str, markdown: str, name: str) -> dict[str, str]:
    """The content files; `evil`, `markdown`, `name` are hostile strings or plain stand-ins."""
    m = MARKERS
    return {
        "content/components.yml": f"""\
groups:
  - id: core
    name: {q("Core " + name)}
    description: {q("Group " + evil)}
    components:
      - id: api
        name: {q("API " + name)}
        description: {q("The API " + evil)}
        link: "https://docs.hostile.example/api?a=1&b=%22%3C"
      - id: dashboard
        name: {q('Dash "quoted" </title> ]]>')}
components:
  - id: billing
    name: {q("Billing " + name)}
""",
        "content/incidents/2026/2026-05-10-hostile.md": f"""\
---
title: {q(evil)}
impact: major
severity: {m["severity of a public incident"]}
components: [api, dashboard]
started: 2026-05-10T09:00:00Z
notes: |
  Responders only: {m["notes of a public incident"]}
roles:
  commander: {m["roles: commander"]}
  experts: [{m["roles: experts"]}]
updates:
  - at: 2026-05-10T09:05:00Z
    status: investigating
    message: |
{block(markdown)}
    components:
      api: partial_outage
    next_update: 2026-05-10T13:00:00Z
  - at: 2026-05-10T10:00:00Z
    status: identified
    message: {q("One line " + evil + " " + JINJA_PRODUCT)}
---
{markdown}
""",
        "content/incidents/2026/2026-05-01-resolved.md": f"""\
---
title: {q("Resolved " + evil)}
impact: minor
components: [dashboard]
updates:
  - at: 2026-05-01T09:05:00Z
    status: investigating
    message: |
{block(markdown)}
  - at: 2026-05-01T10:05:00Z
    status: resolved
    message: Fixed.
---
{markdown}
""",
        f"content/incidents/2026/{INTERNAL_INCIDENT}.md": f"""\
---
title: {m["internal incident title"]}
impact: critical
visibility: internal
components: [billing]
updates:
  - at: 2026-05-10T08:00:00Z
    status: investigating
    message: {m["internal incident message"]}
    components:
      billing: major_outage
---
{m["internal incident body"]}
""",
        "content/maintenance/2026-05-14-hostile-window.md": f"""\
---
title: {q("Window " + evil)}
components: [api]
start: 2026-05-14T02:00:00Z
end: 2026-05-14T04:00:00Z
updates:
  - at: 2026-05-09T12:00:00Z
    status: scheduled
    message: |
{block(markdown)}
---
{markdown}
""",
        f"content/maintenance/{INTERNAL_MAINTENANCE}.md": f"""\
---
title: {m["internal maintenance title"]}
components: [billing]
start: 2026-05-20T02:00:00Z
end: 2026-05-20T04:00:00Z
visibility: internal
---
Internal only.
""",
        "content/postmortems/2026-05-01-resolved.md": f"""\
---
title: {q("Postmortem " + evil)}
incidents: [2026-05-01-resolved, {INTERNAL_INCIDENT}]
status: published
date: 2026-05-05
summary: {q("Summary " + evil)}
---
{markdown}

<!-- internal -->
{m["internal block of a public postmortem"]}
<!-- /internal -->

After the block.
""",
        f"content/postmortems/{DRAFT_POSTMORTEM}.md": f"""\
---
title: {m["draft postmortem title"]}
incidents: [2026-05-10-hostile]
status: draft
summary: {m["draft postmortem summary"]}
---
{m["draft postmortem body"]}
""",
        "content/postmortems/2026-05-10-internal-pm.md": f"""\
---
title: {m["internal postmortem title"]}
incidents: [2026-05-10-hostile]
status: published
visibility: internal
---
{m["internal postmortem body"]}
""",
    }


MKDOCS = f"""\
site_name: Hostile Status
site_description: A site whose contributors are not friends.
site_url: {SITE_URL}
docs_dir: pages
theme:
  name: material
  font: false
plugins:
  - search
  - statusbook:
      severities: [{MARKERS["severity of a public incident"]}, SEV2]
      postmortem_sections: []
"""


def _build(root: Path, evil: str, markdown: str, name: str, *args: str) -> Path:
    files = hostile_files(evil, markdown, name)
    write_site(root / "src", files, components=None, mkdocs=MKDOCS)
    out = root / "out"
    result = build(root / "src", "-d", str(out), "--now", NOW, "-q", *args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("hostile"), EVIL, EVIL_MARKDOWN, EVIL_NAME)


@pytest.fixture(scope="module")
def twin(tmp_path_factory) -> Path:
    """The same site with plain text: its pages carry exactly the scripts pages should."""
    plain = "Plain words here"
    return _build(tmp_path_factory.mktemp("twin"), plain, plain + "\n\nMore plain words.\n", plain)


@pytest.fixture(scope="module")
def internal(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("internal"), EVIL, EVIL_MARKDOWN, EVIL_NAME, "--internal")


def html_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


def soup_of(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def every_file(out: Path):
    """(relative path, text) of every file; .gz decompressed."""
    for path in sorted(out.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            yield path.relative_to(out).as_posix(), data.decode("utf-8", errors="replace")


# --- markup and script ------------------------------------------------------------------------


def _scripts(soup: BeautifulSoup) -> list[tuple[str, str]]:
    return [(json.dumps(sorted(s.attrs.items())), s.get_text()) for s in soup.find_all("script")]


def test_the_hostile_site_builds_the_same_pages_as_its_twin(hostile, twin):
    assert html_files(hostile) == html_files(twin)
    assert "incidents/2026-05-10-hostile/index.html" in html_files(hostile)


def test_no_script_from_content_appears_in_any_page(hostile, twin):
    extra = {}
    for rel in html_files(hostile):
        got, want = _scripts(soup_of(hostile, rel)), _scripts(soup_of(twin, rel))
        if got != want:
            extra[rel] = [s for s in got if s not in want][:3]
    assert not extra, f"scripts that the plain site does not have: {extra}"


_ACTIVE_TAGS = ["iframe", "frame", "frameset", "object", "embed", "applet", "base", "math", "svg"]


def test_no_event_handler_frame_or_foreign_markup_from_content(hostile, twin):
    problems = {}
    for rel in html_files(hostile):
        page, plain = soup_of(hostile, rel), soup_of(twin, rel)
        found = []
        for element in page.find_all(True):
            handlers = [a for a in element.attrs if a.lower().startswith("on")]
            if handlers:
                found.append(f"<{element.name} {handlers}>")
        for tag in _ACTIVE_TAGS + ["style", "form", "input", "meta", "link"]:
            if len(page.find_all(tag)) != len(plain.find_all(tag)):
                found.append(f"{len(page.find_all(tag))} <{tag}> vs {len(plain.find_all(tag))}")
        for element in page.find_all(style=True):
            if re.search(r"url\(|expression\(|javascript", element["style"], re.I):
                found.append(f"style attribute {element['style']!r}")
        if found:
            problems[rel] = found[:8]
    assert not problems, problems


_URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite",
                   "background", "srcset"]  # fmt: skip
_BAD_SCHEME = re.compile(r"^(javascript|data|vbscript|file):", re.I)


def _scheme_problem(url: str) -> bool:
    # Browsers ignore ASCII whitespace and control characters inside a scheme.
    squeezed = re.sub(r"[\x00-\x20]", "", url)
    return bool(_BAD_SCHEME.match(squeezed))


def test_javascript_and_data_links_are_gone(hostile):
    problems = {}
    for rel in html_files(hostile):
        found = [
            f"<{e.name} {attr}={e[attr]!r}>"
            for e in soup_of(hostile, rel).find_all(True)
            for attr in _URL_ATTRIBUTES
            if e.has_attr(attr) and _scheme_problem(str(e[attr]))
        ]
        if found:
            problems[rel] = found[:5]
    assert not problems, problems
    # The sanitiser still lets ordinary links through (the test above is not vacuous).
    incident = soup_of(hostile, "incidents/2026-05-10-hostile/index.html")
    assert incident.find("a", href="https://fine.example/ok")


def test_template_syntax_in_content_is_never_evaluated(hostile):
    for rel, text in every_file(hostile):
        assert EVALUATED not in text, f"{rel}: content was evaluated as a template"
    incident = soup_of(hostile, "incidents/2026-05-10-hostile/index.html")
    assert "{{ 7*7 }}" in incident.find("h1").get_text()
    assert "{% raw %}" in incident.find("h1").get_text()
    assert "7191" in incident.get_text()  # the message's Markdown may take the `*` as emphasis


def test_titles_and_names_stay_text_in_elements_and_attributes(hostile):
    incident = soup_of(hostile, "incidents/2026-05-10-hostile/index.html")
    assert incident.find("h1").get_text() == EVIL
    assert EVIL in incident.title.get_text(), "the <title> was broken out of"
    home = soup_of(hostile, "index.html")
    names = [a.get_text() for a in home.select(".sb-component-name")]
    assert names == ["API " + EVIL_NAME, 'Dash "quoted" </title> ]]>', "Billing " + EVIL_NAME]
    labels = [ol["aria-label"] for ol in home.select("ol.sb-strip")]
    assert labels[0].startswith("API " + EVIL_NAME), labels[0]
    assert labels[1].startswith('Dash "quoted" </title> ]]>'), labels[1]


def test_every_html_page_has_the_content_security_policy(hostile):
    missing, weak = [], []
    for rel in html_files(hostile):
        meta = soup_of(hostile, rel).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        if meta is None:
            missing.append(rel)
            continue
        policy = {
            part.split()[0]: part.split()[1:] for part in meta["content"].split(";") if part.strip()
        }
        if (
            policy.get("default-src") != ["'self'"]
            or "'unsafe-inline'" in policy.get("script-src", [])
            or policy.get("object-src") != ["'none'"]
        ):
            weak.append(f"{rel}: {meta['content']}")
    assert not missing, f"pages without a Content-Security-Policy: {missing}"
    assert not weak, weak


def _active_html(fragment: str) -> list[str]:
    """What in an HTML fragment (from a feed, the search index or JSON) could run."""
    soup = BeautifulSoup(fragment, "html.parser")
    found = [f"<{t.name}>" for t in soup.find_all(["script", *_ACTIVE_TAGS, "style", "form"])]
    found += [
        f"<{e.name} {a}>"
        for e in soup.find_all(True)
        for a in e.attrs
        if a.lower().startswith("on")
    ]
    found += [
        f"<{e.name} {a}={e[a]!r}>"
        for e in soup.find_all(True)
        for a in _URL_ATTRIBUTES
        if e.has_attr(a) and _scheme_problem(str(e[a]))
    ]
    return found


def test_feeds_parse_and_carry_no_active_content(hostile):
    import feedparser

    feeds = sorted([*hostile.rglob("*.rss"), *hostile.rglob("*.atom")])
    assert feeds
    problems = {}
    for feed in feeds:
        rel = feed.relative_to(hostile).as_posix()
        parsed = feedparser.parse(feed.read_bytes())
        if parsed.bozo:
            problems[rel] = f"does not parse: {parsed.bozo_exception!r}"
            continue
        # Feed readers render these as HTML: check the raw XML, not feedparser's sanitised copy.
        # RSS <description> and <content:encoded> hold HTML; Atom says so with type="html".
        root = ET.fromstring(feed.read_bytes())
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            is_html = (
                tag in ("description", "encoded")
                if feed.suffix == ".rss"
                else tag in ("content", "summary") and element.get("type") in ("html", "xhtml")
            )
            if is_html and element.text:
                found = _active_html(element.text)
                if found:
                    problems.setdefault(rel, []).append(f"<{tag}>: {found[:3]}")
    assert not problems, problems
    everything = feedparser.parse((hostile / "feeds" / "all.atom").read_bytes())
    assert any(e.title.endswith("] " + EVIL) for e in everything.entries), (
        "the hostile incident is in the feed"
    )


def _strings(value: Any, key: str = ""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def test_json_files_load_and_their_html_is_clean(hostile):
    files = sorted(hostile.rglob("*.json"))
    assert files
    problems = {}
    for path in files:
        rel = path.relative_to(hostile).as_posix()
        document = json.loads(path.read_text(encoding="utf-8"))
        for key, value in _strings(document):
            # Material's search renders the index's text and titles as HTML; API fields named
            # *html are HTML by contract. Plain-text fields may hold "<script>" as text.
            if rel.endswith("search_index.json") or "html" in key.lower():
                found = _active_html(value)
                if found:
                    problems.setdefault(rel, []).extend(f"{key}: {f}" for f in found[:3])
    assert not problems, {k: v[:6] for k, v in problems.items()}


def test_svg_badges_parse_as_xml(hostile):
    badges = sorted(hostile.rglob("*.svg"))
    assert len(badges) >= 3
    for path in badges:
        root = ET.fromstring(path.read_bytes())  # raises on broken XML
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert not [
            e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "foreignObject")
        ]
        assert not [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
    api = ET.fromstring((hostile / "badges" / "components" / "api.svg").read_bytes())
    title = api.find("{http://www.w3.org/2000/svg}title")
    assert title is not None and "API " + EVIL_NAME in (title.text or "")


def test_maintenance_calendar_parses_and_keeps_the_text(hostile):
    import icalendar  # a dependency of the package: the calendar's serialiser

    calendar = icalendar.Calendar.from_ical((hostile / "maintenance.ics").read_bytes())
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {"2026-05-14-hostile-window"}
    event = events["2026-05-14-hostile-window"]
    assert str(event["SUMMARY"]) == "Maintenance: Window " + EVIL
    assert "second line with a right-to-left override \u202e here" in str(event["DESCRIPTION"])


def _dialogs_in_browser(out: Path, bypass_csp: bool) -> list[str]:
    """Visit every page (and search) in Chromium; the alert()s that content managed to run.

    Playwright's sync API runs in a thread of its own: the browser suite may already have a
    session's Playwright running an event loop in the main thread.
    """
    if importlib.util.find_spec("playwright") is None:
        unavailable("Playwright for Python is not installed (pip install playwright)")
    if not Path("/usr/bin/chromium").is_file():
        unavailable("/usr/bin/chromium not found (Debian package chromium)")
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["dialogs"] = _visit_everything(out, bypass_csp)
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=300)
    assert not worker.is_alive(), "the browser run did not finish in 5 minutes"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["dialogs"]


def _visit_everything(out: Path, bypass_csp: bool) -> list[str]:
    from playwright import sync_api

    chromium = Path("/usr/bin/chromium")
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out))
    )
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    dialogs: list[str] = []
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium),
                args=["--no-sandbox", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync"],
            )  # fmt: skip
            context = browser.new_context(bypass_csp=bypass_csp)
            # Nothing leaves the machine, whatever the content asks for.
            context.route(re.compile(r"^(?!http://127\.0\.0\.1:).*"), lambda route: route.abort())
            page = context.new_page()
            page.on(
                "dialog", lambda d: (dialogs.append(f"{page.url}: alert({d.message})"), d.dismiss())
            )
            for rel in html_files(out):
                page.goto(base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
                page.mouse.move(200, 300)
            # Material's search renders titles and text from the index as HTML: search on a
            # normal page and on the 404 page (which GitHub Pages serves for any bad address).
            for rel in ("incidents/2026-05-10-hostile/", "404.html"):
                page.goto(base + rel)
                page.locator(".md-search__input").click()
                page.locator(".md-search__input").press_sequentially("Evil", delay=10)
                page.locator(".md-search-result__item").first.wait_for(state="visible")
                page.locator(".md-search-result__item").first.hover()
                page.wait_for_timeout(300)
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    return sorted(set(dialogs))


def test_content_cannot_run_script_in_a_browser(hostile):
    """As readers get the site: the sanitiser and, where present, the CSP."""
    dialogs = _dialogs_in_browser(hostile, bypass_csp=False)
    assert not dialogs, f"content ran script: {dialogs}"


def test_content_cannot_run_script_even_without_the_csp(hostile):
    """The sanitiser alone must hold: the CSP is the second line, not the only one."""
    dialogs = _dialogs_in_browser(hostile, bypass_csp=True)
    assert not dialogs, f"content ran script once the CSP was out of the way: {dialogs}"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


# --- internal content --------------------------------------------------------------------------


def test_internal_markers_appear_in_no_file_of_the_public_build(hostile):
    leaks: dict[str, list[str]] = {}
    files = 0
    for rel, text in every_file(hostile):
        files += 1
        lowered = (rel + "\n" + text).lower()
        for where, marker in MARKERS.items():
            if marker.lower() in lowered:
                leaks.setdefault(where, []).append(rel)
    assert files > 30
    kinds = {rel.rsplit(".", 1)[-1] for rel, _ in every_file(hostile)}
    assert {"html", "json", "xml", "rss", "atom", "svg", "ics"} <= kinds
    assert not leaks, f"internal content in the public build: {leaks}"


def test_the_markers_are_real_they_show_in_the_internal_edition(internal):
    """Guards the test above: each marker but the draft's is on the internal site."""
    text = "\n".join(rel + "\n" + t for rel, t in every_file(internal)).lower()
    never = {k for k in MARKERS if k.startswith("draft")}
    shown = {k for k, marker in MARKERS.items() if marker.lower() in text}
    assert shown == set(MARKERS) - never, (
        f"not in the internal edition: {set(MARKERS) - never - shown}"
    )
    assert not shown & never, "a draft postmortem reached the internal edition"


def test_internal_incident_changes_nothing_public(hostile):
    home = soup_of(hostile, "index.html")
    rows = {
        row.select_one(".sb-component-name").get_text(): row.select_one(".sb-pill").get_text()
        for row in home.select(".sb-component")
    }
    assert rows["Billing " + EVIL_NAME] == "Operational"
    assert home.select_one("#sb-overall").get_text(strip=True) != "Major Service Outage"
    billing = soup_of(hostile, "components/billing/index.html")
    days = billing.select("li.sb-day")
    assert days and all("no incidents" in d.get_text() for d in days[-3:])
    assert "100" in (hostile / "badges" / "components" / "billing-uptime.svg").read_text()
