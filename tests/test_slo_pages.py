"""Objectives as readers see them: the home page, the component page (text, chart, table), the
internal edition's spend per incident, and the `objectives` of Statusbook's own API."""

from __future__ import annotations

import json

import jsonschema
import pytest
from bs4 import BeautifulSoup

from conftest import build, write_site

NOW = "2026-05-10T12:00:00Z"
COMPONENTS = """\
groups:
  - id: core
    name: Core
    components:
      - id: api
        name: API
        slo: {target: 99.9, window: 30d}
      - id: dashboard
        name: Dashboard
        slo: {target: 99.99, window: 90d, partial_outage: 1}
components:
  - id: billing
    name: Billing
"""
OUTAGE = """\
---
title: API down
impact: critical
severity: SEV1
components: [api, dashboard]
updates:
  - at: 2026-05-09T10:00:00Z
    status: investigating
    message: The API is down.
    components: {api: major_outage, dashboard: partial_outage}
  - at: 2026-05-09T10:30:00Z
    status: resolved
    message: Fixed.
    components: {api: operational, dashboard: operational}
---
"""


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    root = tmp_path_factory.mktemp("slo")
    site = write_site(
        root / "site",
        {"content/incidents/2026-05-09-api-down.md": OUTAGE},
        components=COMPONENTS,
    )
    out = {}
    for name, extra in (("public", ()), ("internal", ("--internal",))):
        out[name] = root / name
        result = build(site, "-d", out[name], "--now", NOW, *extra)
        assert result.exit_code == 0, result.output
    return out


def _page(folder, rel):
    return BeautifulSoup((folder / rel).read_text("utf-8"), "html.parser")


def _named_svg(svg):
    """The chart's accessible name and description, through aria-labelledby."""
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    return svg.find(id=title_id).get_text(), svg.find(id=desc_id).get_text()


def test_the_home_page_lists_each_objective_in_words_and_a_gauge(editions):
    section = _page(editions["public"], "index.html").find(id="sb-objectives").parent
    text = " ".join(section.get_text(" ").split())
    assert "Core 1 of 2 objectives met" in text
    rows = section.select("li.sb-slo-row")
    assert [r.select_one(".sb-slo-name a").get_text() for r in rows] == ["API", "Dashboard"]
    api, dashboard = (" ".join(r.get_text(" ").split()) for r in rows)
    assert "Met" in api and "13.2 min of 43.2 min budget left" in api
    assert "99.930% available, objective 99.9% over 30 days" in api
    assert "Missed" in dashboard and "over budget by 17 min" in dashboard  # 30 - 12.96
    title, desc = _named_svg(rows[0].find("svg"))
    assert title == "API: error budget spent"
    assert desc == "30 min of a 43.2 min budget spent; 13.2 min of 43.2 min left."


def test_the_component_page_states_the_objective_and_draws_the_burn(editions):
    page = _page(editions["public"], "components/api/index.html")
    section = page.find(id="sb-slo").parent
    text = " ".join(section.get_text(" ").split())
    assert "Objective met: 99.930% available over the last 30 days" in text
    assert "Error budget: 43.2 min. Spent: 30 min. Remaining: 13.2 min (30% of the budget)." in text
    title, desc = _named_svg(section.find("svg"))
    assert title == "API: error budget burn, last 30 days"
    assert "30 min of a 43.2 min budget; objective met" in desc
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in section.select("tbody tr")]
    assert rows == [["9 May 12:00 UTC", "30 min"]]  # rolling days end at the time of `now`
    assert section.select(".sb-slo-spends") == []  # per incident: internal edition only


def test_the_internal_edition_adds_spend_per_incident_with_link_and_severity(editions):
    section = _page(editions["internal"], "components/dashboard/index.html").find(id="sb-slo")
    table = section.parent.select_one(".sb-slo-spends table")
    row = table.select_one("tbody tr")
    link = row.find("a")
    assert (link["href"], link.get_text()) == ("../../incidents/2026-05-09-api-down/", "API down")
    assert [td.get_text() for td in row.find_all("td")] == ["SEV1", "30 min"]


def test_a_component_without_an_objective_shows_none(editions):
    page = _page(editions["public"], "components/billing/index.html")
    assert page.find(id="sb-slo") is None


def test_the_api_publishes_the_objectives_under_its_schema(editions):
    api = editions["public"] / "api/statusbook/v1"
    doc = json.loads((api / "status.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(json.loads((api / "schema.json").read_text("utf-8"))).validate(
        doc
    )
    by_id = {c["component_id"]: c for c in doc["objectives"]["components"]}
    assert list(by_id) == ["api", "dashboard"]
    api_slo = by_id["api"]
    assert (api_slo["target"], api_slo["window"], api_slo["met"]) == (99.9, "30d", True)
    assert (api_slo["budget_minutes"], api_slo["spent_minutes"]) == (43.2, 30.0)
    assert api_slo["remaining_minutes"] == 13.2
    assert api_slo["availability"] == 99.9305
    assert api_slo["spent_by"] == [
        {"id": "2026-05-09-api-down", "kind": "incident", "minutes": 30.0}
    ]
    assert len(api_slo["burn"]) == 30
    assert api_slo["burn"][-1] == {"end": NOW, "spent_minutes": 30.0}
    assert api_slo["burn"][-2] == {"end": "2026-05-09T12:00:00Z", "spent_minutes": 30.0}
    assert api_slo["burn"][-3]["spent_minutes"] == 0
    assert by_id["dashboard"]["budget_minutes"] == pytest.approx(12.96)
    assert by_id["dashboard"]["met"] is False
    (group,) = doc["objectives"]["groups"]
    assert (group["group_id"], group["met_count"], group["met"]) == ("core", 1, False)
    assert group["spent_minutes"] == 60.0
    assert group["burn"] == []  # a 30-day and a 90-day window: days do not line up
