"""`statusbook build` of the Ferryline fixture: Europe/Berlin days, maintenance in progress,
30-day strips."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import build_fixture

FIXTURE = "ferryline"
MAINTENANCE = "2026-05-10-ticket-database-migration"
BLANK_BOARD = "2026-05-08-departure-board-blank"
SEAT_ERRORS = "2026-04-30-late-night-seat-errors"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _, out = build_fixture(FIXTURE, tmp_path_factory.mktemp("ferryline"))
    return out


def page(out, rel: str = "") -> BeautifulSoup:
    path = out / rel / "index.html"
    assert path.is_file(), f"{rel or 'home'} page was not written"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def components(out) -> dict:
    return {
        text(li.select_one(".sb-component-name")): li for li in page(out).select("li.sb-component")
    }


def test_banner_says_under_maintenance_when_only_maintenance_is_running(site):
    assert text(page(site).select_one("#sb-overall")) == "Service Under Maintenance"


def test_running_maintenance_is_shown_in_progress_with_its_latest_update(site):
    home = page(site)
    section = home.select_one('section[aria-labelledby="sb-running"]')
    assert section is not None, "no 'Maintenance in progress' section"
    assert text(section.select_one("h2")) == "Maintenance in progress"
    link = section.select_one("article h3 a")
    assert (text(link), link["href"]) == (
        "Ticket database migration",
        f"maintenance/{MAINTENANCE}/",
    )
    assert "In progress" in text(section)
    assert "The migration has started" in text(section)
    assert home.select_one('section[aria-labelledby="sb-upcoming"]') is None
    assert home.select_one('section[aria-labelledby="sb-active"]') is None


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("Ticket shop", "Under maintenance"),
        ("Seat reservations", "Operational"),
        ("Departure board", "Operational"),
    ],
    ids=["ticket-shop", "seat-reservations", "departure-board"],
)
def test_component_statuses_during_maintenance(site, name, status):
    row = components(site)[name]
    assert text(row.select_one(".sb-component-head .sb-pill")) == status


def test_ungrouped_component_is_listed_after_the_groups_under_its_own_heading(site):
    groups = page(site).select(".sb-group")
    assert len(groups) == 2
    assert text(groups[0].select_one(".sb-group-head span")) == "Booking"
    assert "Under maintenance" in text(groups[0].select_one(".sb-group-head"))
    # Not under Booking: its name heads a section of its own (issue #21).
    assert text(groups[1].select_one("h3.sb-group-head")) == "Departure board Operational"
    assert [text(a) for a in groups[1].select(".sb-component-name")] == ["Departure board"]


def test_strips_have_the_configured_number_of_days(site):
    for name, row in components(site).items():
        assert len(row.select("li.sb-day")) == 30, name


def test_outage_across_local_midnight_marks_both_local_days(site):
    """21:30-22:30 UTC on 8 May is 23:30-00:30 in Berlin: the bars of 8 and 9 May both show it."""
    bars = {
        text(b).split(":")[0]: b for b in components(site)["Departure board"].select("li.sb-day")
    }
    for day in ("8 May 2026", "9 May 2026"):
        assert "sb-s-major_outage" in bars[day]["class"], day
        assert text(bars[day]) == f"{day}: major outage. Departure board shows no departures"
    for day in ("7 May 2026", "10 May 2026"):
        assert "sb-s-operational" in bars[day]["class"], day


def test_uptime_percent_over_thirty_local_days(site):
    """1 h down out of 29 days and 14 h (11 April 00:00 CEST to 10 May 14:00 CEST)."""
    row = components(site)["Departure board"]
    assert text(row.select_one(".sb-uptime-pct")).startswith("99.85% uptime")


def test_today_bar_shows_maintenance(site):
    today = components(site)["Ticket shop"].select("li.sb-day")[-1]
    assert "sb-s-under_maintenance" in today["class"]
    assert text(today) == "10 May 2026: under maintenance. Ticket database migration"


def test_history_months_follow_the_site_timezone(site):
    """The seat errors began at 22:30 UTC on 30 April, which is 1 May in Berlin."""
    index = page(site, "history")
    assert [a["href"] for a in index.select(".sb-months a")] == ["../history/2026-05/"]
    assert not (site / "history" / "2026-04").exists()
    may = page(site, "history/2026-05")
    hrefs = [a["href"] for a in may.select("a.sb-row-title")]
    assert f"../../incidents/{SEAT_ERRORS}/" in hrefs
    assert f"../../incidents/{BLANK_BOARD}/" in hrefs
    assert f"../../maintenance/{MAINTENANCE}/" in hrefs


def test_past_incidents_cover_the_configured_recent_days(site):
    section = page(site).select_one('section[aria-labelledby="sb-recent"]')
    days = [text(h) for h in section.select("h3.sb-day-head")]
    assert days == [f"{d} May 2026" for d in range(10, 3, -1)]
    titles = [text(a) for a in section.select("a.sb-row-title")]
    assert "Departure board shows no departures" in titles
    assert "Seat reservation errors after midnight" not in titles  # 1 May: older than 7 days


def test_maintenance_page_shows_in_progress(site):
    doc = page(site, f"maintenance/{MAINTENANCE}")
    assert text(doc.select_one(".sb-banner-text")) == "Scheduled maintenance: in progress"
    updates = doc.select("ol.sb-updates > li.sb-update")
    assert [u.select_one("time")["datetime"] for u in updates] == [
        "2026-05-10T11:02:00Z",
        "2026-05-03T08:00:00Z",
    ]


def test_component_page_under_maintenance(site):
    doc = page(site, "components/ticket-shop")
    assert text(doc.select_one(".sb-banner-text")) == "Under maintenance"
    assert len(doc.select("li.sb-day")) == 30
