"""What a reader meets on the pages (issue #21, items 7-9): each built in tmp_path and read back."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import build, write_site

# A group and an ungrouped component after it (components.yml's `components:`).
COMPONENTS = """\
groups:
  - id: core
    name: Core
    components:
      - id: api
        name: API
      - id: dashboard
        name: Dashboard
components:
  - id: billing
    name: Billing
  - id: status-emails
    name: Status e-mails
"""

RESOLVED = """\
---
title: API errors
impact: major
components: [api]
updates:
  - at: 2026-04-28T09:10:00Z
    status: investigating
    message: We are looking into it.
    next_update: 2026-04-28T09:40:00Z
  - at: 2026-04-28T09:35:00Z
    status: identified
    message: Found it.
    next_update: 2026-04-28T10:05:00Z
  - at: 2026-04-28T10:00:00Z
    status: resolved
    message: Fixed.
---
"""

ACTIVE = """\
---
title: Slow dashboard
impact: minor
components: [dashboard, billing]
updates:
  - at: 2026-05-10T09:00:00Z
    status: investigating
    message: Pages load slowly.
    next_update: 2026-05-10T11:00:00Z
  - at: 2026-05-10T11:00:00Z
    status: identified
    message: A slow query.
    next_update: 2026-05-10T13:00:00Z
    components:
      dashboard: degraded_performance
      billing: partial_outage
---
"""

POSTMORTEM = """\
---
title: API errors on 28 April
incidents: [2026-04-28-api-errors]
status: published
date: 2026-05-02
action_items:
  - description: Alert on the error rate.
    owner: API team
    due: 2026-05-20
    priority: P1
    status: open
---
## Summary

A bad deploy.

## Action items

The items and their status are in the table below.

## Lessons learned

Deploys need a canary.
"""

PAST_WINDOW = """\
---
title: Database upgrade
components: [api]
start: 2026-05-01T02:00:00Z
end: 2026-05-01T03:00:00Z
updates:
  - at: 2026-04-20T10:00:00Z
    status: scheduled
    message: We will upgrade the database.
    next_update: 2026-05-01T02:00:00Z
---
"""

NEXT_WINDOW = """\
---
title: Network work
components: [api]
start: 2026-05-20T02:00:00Z
end: 2026-05-20T03:00:00Z
updates:
  - at: 2026-05-09T10:00:00Z
    status: scheduled
    message: We will replace a switch.
---
"""

OLD_INCIDENT = RESOLVED.replace("2026-04-28", "2026-03-02").replace("API errors", "Old errors")

NOW = "2026-05-10T12:00:00Z"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("reader")
    write_site(
        root / "src",
        {
            "content/incidents/2026-04-28-api-errors.md": RESOLVED,
            "content/incidents/2026-05-10-slow-dashboard.md": ACTIVE,
            "content/postmortems/2026-04-28-api-errors.md": POSTMORTEM,
            "content/incidents/2026-03-02-old-errors.md": OLD_INCIDENT,
            "content/maintenance/2026-05-01-database-upgrade.md": PAST_WINDOW,
            "content/maintenance/2026-05-20-network-work.md": NEXT_WINDOW,
        },
        components=COMPONENTS,
    )
    out = root / "out"
    result = build(root / "src", "-d", str(out), "--now", NOW, "-q")
    assert result.exit_code == 0, result.output
    return out


def page(out, rel: str = "") -> BeautifulSoup:
    return BeautifulSoup((out / rel / "index.html").read_text("utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


# --- item 9: the postmortem's own words stay above the action items table ----------------------


def test_action_items_table_follows_the_text_under_its_heading(site):
    body = page(site, "postmortems/2026-04-28-api-errors").select_one(".sb-body")
    heading = body.select_one("h2#action-items")
    after = [n for n in heading.find_next_siblings() if n.name]
    assert after[0].name == "p" and "in the table below" in text(after[0])
    assert after[1].select_one("table") is not None, "the table comes right after the sentence"
    assert after[2].name == "h2" and text(after[2]) == "Lessons learned"


# --- item 8: "Next update by" only where it is a live promise ----------------------------------


def test_a_resolved_incident_shows_no_next_update_promise(site):
    incident = page(site, "incidents/2026-04-28-api-errors")
    assert "Next update" not in text(incident.select_one(".sb-page"))


def test_an_active_incident_shows_only_its_current_promise(site):
    incident = page(site, "incidents/2026-05-10-slow-dashboard")
    promises = [text(p) for p in incident.select(".sb-page .sb-next, .sb-page .sb-banner-time")]
    assert promises == ["Next update by 2026-05-10 13:00 UTC"]


def test_a_past_windows_promise_is_not_shown(site):
    window = page(site, "maintenance/2026-05-01-database-upgrade")
    assert "Next update" not in text(window.select_one(".sb-page"))


# --- item 7: the history page shows the recent past across month boundaries -------------------


def test_history_opens_with_the_last_30_days_across_months(site):
    history = page(site, "history")
    first = history.select_one(".sb-page h2")
    assert text(first) == "Last 30 days"
    rows = first.find_next_sibling("ul").select(".sb-row-title")
    assert [text(r) for r in rows] == ["Slow dashboard", "Database upgrade", "API errors"]
    assert "Old errors" not in text(first.find_next_sibling("ul"))
    months = [text(a) for a in history.select(".sb-months a")]
    assert months == ["May 2026", "April 2026", "March 2026"]


def test_history_never_says_no_incidents_beside_a_month_that_has_some(site, tmp_path):
    """Early in a month, with only maintenance so far, the page still shows last month."""
    out = tmp_path / "early"
    result = build(site.parent / "src", "-d", str(out), "--now", "2026-05-02T12:00:00Z", "-q")
    assert result.exit_code == 0, result.output
    history = page(out, "history")
    assert "No incidents reported in" not in text(history)
    recent = history.select_one(".sb-page h2").find_next_sibling("ul")
    assert [text(r) for r in recent.select(".sb-row-title")] == ["Database upgrade", "API errors"]


def test_history_of_a_quiet_month_says_so_in_words_that_match_the_index(tmp_path):
    src = write_site(tmp_path / "src", {"content/incidents/2026-03-02-old-errors.md": OLD_INCIDENT})
    out = tmp_path / "out"
    assert build(src, "-d", str(out), "--now", NOW, "-q").exit_code == 0
    history = page(out, "history")
    assert "No incidents or maintenance in the last 30 days." in text(history)
    assert [text(a) for a in history.select(".sb-months a")] == ["March 2026"]


# --- item 8: the home page names what is affected; ungrouped components head their section ----


def test_home_banner_names_and_links_the_affected_components(site):
    affected = page(site).select_one(".sb-banner .sb-banner-affected")
    assert text(affected) == (
        "Affected: Dashboard (degraded performance), Billing (partial outage)"
    )
    links = [a["href"] for a in affected.select("a")]
    assert links == ["components/dashboard/", "components/billing/"]


def test_all_operational_banner_names_nothing(site, tmp_path):
    out = tmp_path / "calm"
    result = build(site.parent / "src", "-d", str(out), "--now", "2026-05-09T12:00:00Z", "-q")
    assert result.exit_code == 0, result.output
    assert page(out).select_one(".sb-banner-affected") is None


def test_each_ungrouped_component_is_a_section_headed_by_its_name(site):
    components = page(site).select_one("#sb-components").parent
    sections = components.select(".sb-group")
    heads = [text(s.select_one(".sb-group-head")) for s in sections]
    assert heads == [
        "Core Degraded performance",
        "Billing Partial outage",
        "Status e-mails Operational",
    ]
    billing = sections[1]
    assert billing.select_one("h3 a.sb-component-name")["href"] == "components/billing/"
    assert [text(a) for a in billing.select(".sb-component-name")] == ["Billing"]
    assert len(billing.select(".sb-strip")) == 1


# --- item 8: a component page lists its maintenance, past and upcoming ------------------------


def test_component_page_lists_past_and_upcoming_maintenance(site):
    api = page(site, "components/api")
    heads = {text(h): h for h in api.select(".sb-page h2")}
    upcoming = heads["Scheduled maintenance"].find_next_sibling("ul")
    assert [text(r) for r in upcoming.select(".sb-row-title")] == ["Network work"]
    past = heads["Past maintenance"].find_next_sibling("ul")
    assert [text(r) for r in past.select(".sb-row-title")] == ["Database upgrade"]
    assert "Completed" in text(past)


def test_component_without_maintenance_has_no_maintenance_sections(site):
    heads = [text(h) for h in page(site, "components/billing").select(".sb-page h2")]
    assert "Past maintenance" not in heads and "Scheduled maintenance" not in heads


def test_history_lists_a_long_open_incident_among_the_recent(tmp_path):
    """Started two months ago and still open: it belongs to the recent past, not only to March."""
    still_open = OLD_INCIDENT.split("  - at: 2026-03-02T10:00:00Z")[0] + "---\n"
    src = write_site(tmp_path / "src", {"content/incidents/2026-03-02-old-errors.md": still_open})
    out = tmp_path / "out"
    assert build(src, "-d", str(out), "--now", NOW, "-q").exit_code == 0, "build failed"
    recent = page(out, "history").select_one(".sb-page h2").find_next_sibling("ul")
    assert [text(r) for r in recent.select(".sb-row-title")] == ["Old errors"]
