"""The example site in Chromium, as a customer sees it: content, navigation, no JavaScript,
phones and desktops, light and dark, and no request to anyone but the site itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import EXAMPLE_SITE

from .conftest import VIEWPORTS
from .helpers import EXAMPLE_NOW, csp_violations, layout_problems

# --- what the example content says, from the model (not from the pages under test) -------------


@dataclass
class Expected:
    now: datetime
    corpus: object
    overall: str
    groups: list[tuple[str, list[tuple[str, str, str]]]]  # group name, [(id, name, status label)]
    active: list[tuple[str, str]]  # (id, title)
    upcoming: list[tuple[str, str]]  # (id, title)
    tz: ZoneInfo


@pytest.fixture(scope="module")
def expected() -> Expected:
    from mkdocs.config import load_config

    from statusbook.clock import parse_now
    from statusbook.content import load as content
    from statusbook.views import status as st
    from statusbook.views.visibility import public_view

    config = load_config(config_file=str(EXAMPLE_SITE / "mkdocs.yml"))
    options = config.plugins["statusbook"].config
    loaded = content.load_configured(EXAMPLE_SITE, options)
    assert loaded.corpus is not None, [f.format_text() for f in loaded.errors]
    corpus = public_view(loaded.corpus)
    now = parse_now(EXAMPLE_NOW)
    statuses = st.current_component_statuses(corpus, now)
    names = {c.id: c.name for c in corpus.components}
    groups = [
        (g.name, [(cid, names[cid], statuses[cid].label) for cid in g.component_ids])
        for g in corpus.groups
    ]
    loose = [(c.id, c.name, statuses[c.id].label) for c in corpus.components if not c.group_id]
    if loose:
        groups.append(("", loose))
    active = [(i.id, i.title) for i in st.active_incidents(corpus, now)]
    upcoming = [(m.id, m.title) for m in corpus.maintenance if st.is_upcoming(m, now)]
    # The example is built for a moment with something to show; otherwise these tests say little.
    assert active, f"no active incident in the example content at {EXAMPLE_NOW}"
    assert upcoming, f"no upcoming maintenance in the example content at {EXAMPLE_NOW}"
    return Expected(
        now=now,
        corpus=corpus,
        overall=st.overall(corpus, now).description,
        groups=groups,
        active=active,
        upcoming=upcoming,
        tz=ZoneInfo(options.timezone),
    )


def squash(text: str) -> str:
    return " ".join(text.split())


# --- the home page -----------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_home_shows_overall_status_every_component_the_incident_and_the_maintenance(
    open_context, base_url, expected, viewport
):
    context, _ = open_context(viewport=viewport)
    page = context.new_page()
    page.goto(base_url)

    banner = page.locator("#sb-overall")
    assert banner.is_visible()
    assert squash(banner.inner_text()) == expected.overall

    names = page.locator(".sb-component-name")
    shown = [squash(t) for t in names.all_inner_texts()]
    want = [name for _, rows in expected.groups for _, name, _ in rows]
    assert shown == want, "components missing or out of order"
    for group, rows in expected.groups:
        if group:
            head = page.locator(".sb-group-head", has_text=group)
            assert head.is_visible(), f"group {group} not shown"
        for cid, name, label in rows:
            row = page.locator(".sb-component", has=page.locator(f'a[href="components/{cid}/"]'))
            assert row.locator(".sb-component-name").is_visible(), name
            pill = row.locator(".sb-pill")
            assert pill.is_visible(), f"{name}: no visible status"
            assert squash(pill.inner_text()) == label, f"{name}: wrong status"
            assert row.locator(".sb-strip").is_visible(), f"{name}: no uptime strip"
            assert re.search(r"\d+(\.\d+)?% uptime", row.locator(".sb-uptime-pct").inner_text())

    active = page.locator("#sb-active").locator("xpath=..")
    for iid, title in expected.active:
        link = active.locator(f'a[href="incidents/{iid}/"]')
        assert link.is_visible(), f"active incident {title} not shown"
        assert squash(link.inner_text()) == title
    upcoming = page.locator("#sb-upcoming").locator("xpath=..")
    for mid, title in expected.upcoming:
        link = upcoming.locator(f'a[href="maintenance/{mid}/"]')
        assert link.is_visible(), f"upcoming maintenance {title} not shown"
        assert squash(link.inner_text()) == title


@pytest.mark.parametrize(("viewport", "days"), [("desktop", 90), ("mobile", 30)])
def test_uptime_strips_show_90_days_on_desktop_and_30_on_phones(
    open_context, base_url, viewport, days
):
    context, _ = open_context(viewport=viewport)
    page = context.new_page()
    page.goto(base_url)
    widths = page.eval_on_selector_all(
        "ol.sb-strip",
        """strips => strips.map(s => [...s.children]
             .filter(li => li.checkVisibility())
             .map(li => li.getBoundingClientRect().width))""",
    )
    assert widths
    for bars in widths:
        assert len(bars) == days
        assert min(bars) >= 2, f"day bars {min(bars):.1f}px wide cannot be told apart"


# --- clicking through --------------------------------------------------------------------------


def test_click_through_incident_history_postmortem_and_back(open_context, base_url, expected):
    from statusbook.views import timeline

    corpus = expected.corpus
    postmortem = next(p for p in corpus.postmortems if p.incident_ids)
    incident = next(i for i in corpus.incidents if i.id == postmortem.incident_ids[0])
    month = timeline.month_slug(timeline.month_of(incident.started, expected.tz))
    active_id, active_title = expected.active[0]

    context, recorder = open_context()
    page = context.new_page()
    page.goto(base_url)

    # Home -> the active incident.
    page.get_by_role("link", name=active_title, exact=True).first.click()
    assert page.url == f"{base_url}incidents/{active_id}/"
    assert squash(page.locator("h1").inner_text()) == active_title
    assert page.locator(".sb-updates > li").count() >= 1

    # -> History (main navigation) -> the month of an incident with a postmortem -> it.
    page.locator(".md-tabs__link", has_text="History").click()
    assert page.url == f"{base_url}history/"
    page.locator(f'a[href="../history/{month}/"]').click()
    assert page.url == f"{base_url}history/{month}/"
    page.locator(f'.sb-row-title[href="../../incidents/{incident.id}/"]').click()
    assert page.url == f"{base_url}incidents/{incident.id}/"
    assert squash(page.locator("h1").inner_text()) == incident.title

    # -> its postmortem -> back to the incident from the postmortem's facts.
    page.locator(".sb-pm-link a", has_text=postmortem.title).click()
    assert page.url == f"{base_url}postmortems/{postmortem.id}/"
    assert postmortem.title in squash(page.locator("h1").inner_text())
    page.locator(".sb-facts").get_by_role("link", name=incident.title).click()
    assert page.url == f"{base_url}incidents/{incident.id}/"

    # The browser's Back button retraces the way.
    page.go_back()
    assert page.url == f"{base_url}postmortems/{postmortem.id}/"
    page.go_back()
    assert page.url == f"{base_url}incidents/{incident.id}/"
    page.go_back()
    assert page.url == f"{base_url}history/{month}/"
    page.go_forward()
    assert page.url == f"{base_url}incidents/{incident.id}/"

    # Breadcrumbs: the month, then the status page.
    page.locator(".sb-crumbs a").nth(1).click()
    assert page.url == f"{base_url}history/{month}/"
    page.locator(".sb-crumbs a", has_text="Status").click()
    assert page.url == base_url
    assert page.locator("#sb-overall").is_visible()

    # Postmortems tab -> the postmortem -> crumb back to the list.
    page.locator(".md-tabs__link", has_text="Postmortems").click()
    assert page.url == f"{base_url}postmortems/"
    page.locator(".sb-row-title", has_text=postmortem.title).click()
    assert page.url == f"{base_url}postmortems/{postmortem.id}/"
    page.locator(".sb-crumbs a", has_text="Postmortems").click()
    assert page.url == f"{base_url}postmortems/"

    # A component from the home page, and its incidents.
    page.goto(base_url)
    first = expected.groups[0][1][0]
    page.locator(f'a.sb-component-name[href="components/{first[0]}/"]').click()
    assert page.url == f"{base_url}components/{first[0]}/"
    assert squash(page.locator("h1").inner_text()) == first[1]
    assert not recorder.errors, recorder.errors


# --- without JavaScript ------------------------------------------------------------------------

TEXT_JS = """() => {
  const root = document.querySelector('.md-content') || document.body;
  return {
    text: root.innerText,
    hidden: [...root.querySelectorAll('.sb-tip')].map(t => t.textContent.trim()),
    links: [...root.querySelectorAll('a[href]')]
      .filter(a => a.checkVisibility()).map(a => a.getAttribute('href')),
    // Controls that scripts add or reveal (filters): progressive enhancement, not content.
    controls: [...root.querySelectorAll('form')].map(f => f.innerText),
  };
}"""


def test_without_javascript_every_piece_of_content_is_there(open_context, base_url, pages):
    with_js, _ = open_context()
    without_js, _ = open_context(javascript=False)
    a, b = with_js.new_page(), without_js.new_page()
    missing = {}
    for kind, path in pages.items():
        a.goto(base_url + path)
        b.goto(base_url + path)
        if kind != "embed":  # Material swaps no-js for js when its script runs
            assert "no-js" in b.evaluate("document.documentElement.className"), kind
        full, bare = a.evaluate(TEXT_JS), b.evaluate(TEXT_JS)
        lines = {squash(x) for x in bare["text"].splitlines() if x.strip()}
        lines |= {squash(x) for form in full["controls"] for x in form.splitlines()}
        lost = [
            squash(x) for x in full["text"].splitlines() if x.strip() and squash(x) not in lines
        ]
        lost += [f"day label: {t}" for t in full["hidden"] if t not in bare["hidden"]]
        lost += [f"link: {h}" for h in full["links"] if h not in bare["links"]]
        if lost:
            missing[kind] = lost[:10]
        assert bare["text"].strip(), f"{kind}: no text without JavaScript"
    assert not missing, f"content visible with JavaScript but not without it: {missing}"


def test_without_javascript_the_home_page_keeps_banner_components_and_navigation(
    open_context, base_url, expected
):
    context, _ = open_context(javascript=False)
    page = context.new_page()
    page.goto(base_url)
    assert squash(page.locator("#sb-overall").inner_text()) == expected.overall
    for _, rows in expected.groups:
        for _, name, label in rows:
            row = page.locator(".sb-component", has=page.get_by_role("link", name=name, exact=True))
            assert row.locator(".sb-pill").is_visible()
            assert squash(row.locator(".sb-pill").inner_text()) == label
    for tab in ("Status", "History", "Postmortems", "About"):
        assert page.locator(".md-tabs__link", has_text=tab).is_visible(), tab
    page.locator(".md-tabs__link", has_text="History").click()
    assert page.url == f"{base_url}history/"


# --- phones and desktops, light and dark -------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_layout_no_horizontal_scroll_no_overlap(
    open_context, base_url, pages, screenshots, viewport, scheme
):
    context, _ = open_context(viewport=viewport, scheme=scheme)
    page = context.new_page()
    problems = {}
    for kind, path in pages.items():
        page.goto(base_url + path)
        if kind != "embed":
            want = "slate" if scheme == "dark" else "default"
            assert page.get_attribute("body", "data-md-color-scheme") == want, kind
        found = layout_problems(page)
        if found:
            problems[kind] = found
        page.screenshot(path=screenshots / f"{viewport}-{scheme}-{kind}.png", full_page=True)
    assert not problems, f"layout problems ({viewport}, {scheme}): {problems}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_palette_toggle_switches_scheme_and_keeps_the_layout(
    open_context, base_url, pages, screenshots, viewport
):
    context, _ = open_context(viewport=viewport, scheme="light")
    page = context.new_page()
    page.goto(base_url)
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")

    toggle = page.locator('[data-md-component="palette"] label:not([hidden])')
    assert toggle.count() == 1 and toggle.is_visible()
    toggle.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg != light_bg
    problems = {"home": layout_problems(page)}
    page.screenshot(path=screenshots / f"{viewport}-toggled-dark-home.png", full_page=True)

    # The choice sticks while browsing.
    page.goto(base_url + pages["incident"])
    assert body.get_attribute("data-md-color-scheme") == "slate"
    problems["incident"] = layout_problems(page)
    page.screenshot(path=screenshots / f"{viewport}-toggled-dark-incident.png", full_page=True)

    page.locator('[data-md-component="palette"] label:not([hidden])').click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    assert not {k: v for k, v in problems.items() if v}, problems


# --- requests ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def visits(browser, base_url, pages, server):
    """Every page type in both viewports with JavaScript, plus a search; what they requested."""
    from .helpers import Recorder

    recorders, violations, served_from = [], {}, len(server.log)
    for viewport in VIEWPORTS:
        context = browser.new_context(**VIEWPORTS[viewport], service_workers="block")
        recorder = Recorder(base_url)
        recorder.attach(context)
        recorders.append(recorder)
        page = context.new_page()
        # Every page on the desktop; on a phone the same files load, so two pages suffice.
        kinds = list(pages) if viewport == "desktop" else ["home", "incident"]
        for kind in kinds:
            path = pages[kind]
            page.goto(base_url + path, wait_until="networkidle")
            found = csp_violations(page)
            if found:
                violations[f"{viewport} {kind}"] = found
        # Search runs in a worker that fetches the index: that must stay local too. (The home
        # page has no search: it is kept light.)
        page.goto(base_url + pages["incident"])
        if viewport == "desktop":
            page.locator(".md-search__input").click()
        else:
            page.locator('label[for="__search"].md-header__button').click()
        page.locator(".md-search__input").press_sequentially("card payments", delay=20)
        page.locator(".md-search-result__item").first.wait_for(state="visible")
        page.wait_for_load_state("networkidle")
        context.close()
    return recorders, violations, server.log[served_from:]


def test_pages_make_no_request_to_any_host_but_the_site(visits, base_url):
    recorders, _, _ = visits
    requested = [url for r in recorders for url in r.requests]
    assert any(url.endswith("search_index.json") for url in requested), "search did not run"
    foreign = sorted({url for r in recorders for url in r.foreign()})
    assert not foreign, f"requests to other hosts: {foreign}"


def test_every_request_succeeds_and_nothing_is_blocked(visits):
    recorders, violations, served = visits
    failed = [f for r in recorders for f in r.failed]
    bad = [b for r in recorders for b in r.bad_responses]
    not_found = sorted({f"{code} {path}" for path, code in served if code >= 400})
    assert not failed, f"failed requests: {failed}"
    assert not bad, f"error responses: {bad}"
    assert not violations, f"Content-Security-Policy violations: {violations}"
    assert not not_found, f"the server answered errors to: {not_found}"


def test_pages_log_no_console_errors(visits):
    recorders, _, _ = visits
    # Resources that failed to load are the previous test's business.
    errors = [e for r in recorders for e in r.errors if "Failed to load resource" not in e]
    assert not errors, f"console errors: {errors}"
