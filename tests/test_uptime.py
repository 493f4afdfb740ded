"""Uptime per component and per calendar day: pure functions of the model, `now` and a timezone."""

from __future__ import annotations

from datetime import date, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from conftest import corpus, incident, t, upd, window
from statusbook.model import ComponentStatus as CS
from statusbook.views import uptime

UTC = timezone.utc
NOW = t("2026-05-10T12:00")  # half a day into today: 43,200 seconds of "today"
HALF_DAY = 12 * 3600


def outage(ident: str, start: str, end: str, status: str, component: str = "api"):
    """An incident that puts COMPONENT in STATUS from START until it resolves at END."""
    return incident(
        ident,
        [
            upd(start, components={component: status}),
            upd(end, "resolved", components={component: "operational"}),
        ],
        impact="minor",
        components=[component],
    )


def one_day(*incidents, maintenance=()):
    return uptime.compute(corpus(incidents, maintenance), NOW, UTC, days=1)


@pytest.mark.parametrize(
    ("status", "down_seconds", "percent", "text"),
    [
        ("major_outage", 3600, 100 * (1 - 3600 / HALF_DAY), "91.66%"),
        ("partial_outage", 0.3 * 3600, 100 * (1 - 0.3 * 3600 / HALF_DAY), "97.50%"),
        ("degraded_performance", 0, 100.0, "100.00%"),
    ],
    ids=["major-outage-counts-fully", "partial-outage-weighted-0.3", "degraded-counts-as-up"],
)
def test_one_hour_incident_in_a_one_day_window(status, down_seconds, percent, text):
    up = one_day(outage("i", "2026-05-10T09:00", "2026-05-10T10:00", status))["api"]
    assert len(up.days) == 1
    assert up.days[0].worst is CS(status)
    assert up.days[0].down_seconds == pytest.approx(down_seconds)
    assert up.days[0].incident_ids == ("i",)
    assert up.percent == pytest.approx(percent)
    assert up.percent_text == text


def test_unaffected_component_is_fully_up():
    result = one_day(outage("i", "2026-05-10T09:00", "2026-05-10T10:00", "major_outage"))
    assert result["billing"].percent == 100.0
    assert result["billing"].days[0].worst is CS.OPERATIONAL
    assert result["billing"].days[0].incident_ids == ()


def test_partial_weight_is_configurable():
    c = corpus([outage("i", "2026-05-10T09:00", "2026-05-10T10:00", "partial_outage")])
    up = uptime.compute(c, NOW, UTC, days=1, partial_weight=0.5)["api"]
    assert up.days[0].down_seconds == pytest.approx(1800)


@pytest.mark.parametrize(
    ("first", "second", "down_seconds", "worst"),
    [
        (
            ("2026-05-10T09:00", "2026-05-10T10:00", "major_outage"),
            ("2026-05-10T09:30", "2026-05-10T10:30", "major_outage"),
            5400,
            CS.MAJOR_OUTAGE,
        ),
        (
            ("2026-05-10T09:00", "2026-05-10T11:00", "partial_outage"),
            ("2026-05-10T10:00", "2026-05-10T10:30", "major_outage"),
            0.5 * 3600 + 0.3 * 1.5 * 3600,
            CS.MAJOR_OUTAGE,
        ),
        (
            ("2026-05-10T09:00", "2026-05-10T11:00", "major_outage"),
            ("2026-05-10T09:30", "2026-05-10T10:00", "degraded_performance"),
            7200,
            CS.MAJOR_OUTAGE,
        ),
    ],
    ids=[
        "same-status-overlap-counted-once",
        "worse-status-wins-while-overlapping",
        "nested-milder-incident",
    ],
)
def test_overlapping_incidents_are_not_double_counted(first, second, down_seconds, worst):
    """At each moment only the worst status counts, so overlaps never add up."""
    up = one_day(outage("a", *first), outage("b", *second))["api"]
    assert up.days[0].down_seconds == pytest.approx(down_seconds)
    assert up.days[0].worst is worst
    assert up.days[0].incident_ids == ("a", "b")
    assert up.percent == pytest.approx(100 * (1 - down_seconds / HALF_DAY))


def test_impact_default_counts_from_declared_start_until_resolved():
    """Before any update sets a status, the component has its impact's default status."""
    inc = incident(
        "i",
        [upd("2026-05-10T09:30"), upd("2026-05-10T10:00", "resolved")],
        impact="critical",
        started="2026-05-10T09:00",
    )
    up = one_day(inc)["api"]
    assert up.days[0].worst is CS.MAJOR_OUTAGE
    assert up.days[0].down_seconds == pytest.approx(3600)


def test_active_incident_counts_until_now():
    inc = incident("i", [upd("2026-05-10T11:00", components={"api": "major_outage"})])
    up = one_day(inc)["api"]
    assert up.days[0].down_seconds == pytest.approx(3600)


def test_updates_after_now_do_not_count():
    inc = incident(
        "i",
        [
            upd("2026-05-10T11:00", components={"api": "degraded_performance"}),
            upd("2026-05-10T11:30", components={"api": "major_outage"}),
            upd("2026-05-10T12:30", components={"api": "major_outage"}),
        ],
    )
    up = one_day(inc)["api"]
    assert up.days[0].down_seconds == pytest.approx(1800)


def test_maintenance_counts_as_up_but_shows_on_the_bar():
    m = window("m", "2026-05-10T08:00", "2026-05-10T10:00")
    up = one_day(maintenance=[m])["api"]
    assert up.days[0].worst is CS.UNDER_MAINTENANCE
    assert up.days[0].down_seconds == 0
    assert up.days[0].incident_ids == ("m",)
    assert up.percent == 100.0


@pytest.mark.parametrize(
    ("tz", "split"),
    [
        (ZoneInfo("Europe/Berlin"), {date(2026, 5, 9): 1800, date(2026, 5, 10): 1800}),
        (UTC, {date(2026, 5, 9): 3600, date(2026, 5, 10): 0}),
    ],
    ids=["europe-berlin-splits-at-local-midnight", "utc-keeps-it-on-one-day"],
)
def test_days_are_calendar_days_in_the_site_timezone(tz, split):
    """21:30-22:30 UTC on 9 May is 23:30-00:30 in Berlin (CEST, UTC+2): two local days."""
    c = corpus([outage("i", "2026-05-09T21:30", "2026-05-09T22:30", "major_outage")])
    up = uptime.compute(c, NOW, tz, days=3)["api"]
    by_day = {d.day: d for d in up.days}
    assert {day: by_day[day].down_seconds for day in split} == pytest.approx(split)
    for day, seconds in split.items():
        assert (by_day[day].worst is CS.MAJOR_OUTAGE) == (seconds > 0)
        assert (by_day[day].incident_ids == ("i",)) == (seconds > 0)


def test_berlin_today_starts_at_local_midnight():
    """At 23:30 UTC on 9 May it is already 10 May in Berlin."""
    up = uptime.compute(corpus(), t("2026-05-09T23:30"), ZoneInfo("Europe/Berlin"), days=2)["api"]
    assert [d.day for d in up.days] == [date(2026, 5, 9), date(2026, 5, 10)]


@pytest.mark.parametrize("days", [1, 7, 90], ids=["1-day", "7-days", "90-days"])
def test_days_are_oldest_first_and_count_equals_window(days):
    up = uptime.compute(corpus(), NOW, UTC, days=days)["api"]
    assert len(up.days) == days
    assert up.days[-1].day == date(2026, 5, 10)
    assert up.days[0].day == date(2026, 5, 10) - timedelta(days=days - 1)
    assert all(b.day - a.day == timedelta(days=1) for a, b in pairwise(up.days))


def test_outage_before_the_window_is_not_counted():
    c = corpus([outage("old", "2026-01-05T09:00", "2026-01-05T10:00", "major_outage")])
    up = uptime.compute(c, NOW, UTC, days=90)["api"]
    assert up.percent == 100.0
    assert all(d.worst is CS.OPERATIONAL for d in up.days)


def test_percent_covers_window_up_to_now():
    """90 days ending half-way through today is 89.5 days; one hour down in it."""
    c = corpus([outage("i", "2026-05-03T14:00", "2026-05-03T15:00", "major_outage")])
    up = uptime.compute(c, NOW, UTC, days=90)["api"]
    assert up.percent == pytest.approx(100 * (1 - 3600 / (89.5 * 86400)))
    assert up.percent_text == "99.95%"
    marked = [d for d in up.days if d.incident_ids]
    assert [(d.day, d.worst) for d in marked] == [(date(2026, 5, 3), CS.MAJOR_OUTAGE)]


@pytest.mark.parametrize(
    ("percent", "text"),
    [
        (99.996, "99.99%"),
        (99.999999, "99.99%"),
        (100.0, "100.00%"),
        (99.95, "99.95%"),
        (91.6666, "91.66%"),
        (0.0, "0.00%"),
    ],
    ids=["99.996", "almost-100", "exactly-100", "two-decimals-kept", "91.666", "zero"],
)
def test_percent_text_rounds_down(percent, text):
    assert uptime.Uptime("api", (), percent).percent_text == text
