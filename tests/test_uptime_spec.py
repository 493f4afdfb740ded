"""Uptime at the edges: the window's first instant, incidents crossing it, whole days down,
the moment `now` itself, and what the strip says about each bar.

`NOW` is 12:00 UTC on 10 May 2026, so the 90-day window opens at 00:00 UTC on 10 February and
holds 89.5 days up to `now`; every test names the instants it relies on.
"""

from __future__ import annotations

from datetime import date, timezone

import pytest

from conftest import corpus, incident, t, upd, window
from statusbook.model import ComponentStatus as CS
from statusbook.views import uptime

UTC = timezone.utc
NOW = t("2026-05-10T12:00")
WINDOW_START = "2026-02-10T00:00"  # the oldest day of 90, ending 10 May
FIRST_DAY = date(2026, 2, 10)
DAY = 86400
WINDOW_SECONDS = 89.5 * DAY


def outage(ident, start, end=None, status="major_outage", component="api", started=None):
    """COMPONENT in STATUS from START; resolved at END, or still going."""
    updates = [upd(start, components={component: status})]
    if end:
        updates.append(upd(end, "resolved", components={component: "operational"}))
    return incident(ident, updates, impact="minor", components=[component], started=started)


def ninety(*incidents, maintenance=(), now=NOW):
    return uptime.compute(corpus(incidents, maintenance), now, UTC, days=90)["api"]


# --- the window's start ----------------------------------------------------------------------


def test_an_outage_in_the_first_hour_of_the_oldest_day_counts():
    up = ninety(outage("early", WINDOW_START, "2026-02-10T01:00"))
    assert up.days[0].day == FIRST_DAY
    assert (up.days[0].down_seconds, up.days[0].worst) == (3600, CS.MAJOR_OUTAGE)
    assert up.days[0].incident_ids == ("early",)
    assert up.percent == pytest.approx(100 * (1 - 3600 / WINDOW_SECONDS))


def test_an_incident_crossing_the_window_start_counts_from_the_start():
    """Down since 3 February, resolved at 06:00 on the window's first day: six hours in it."""
    up = ninety(outage("long", "2026-02-03T00:00", "2026-02-10T06:00"))
    assert up.days[0].down_seconds == 6 * 3600
    assert up.days[0].incident_ids == ("long",)
    assert all(d.down_seconds == 0 for d in up.days[1:])


def test_an_incident_whose_updates_all_precede_the_window_still_counts_while_unresolved():
    """Last word on 1 February, never resolved: down on every day of the window."""
    up = ninety(outage("forgotten", "2026-02-01T00:00"))
    assert [d.worst for d in up.days] == [CS.MAJOR_OUTAGE] * 90
    assert up.percent == 0.0
    assert up.percent_text == "0.00%"


def test_a_declared_start_before_the_window_counts_from_the_window_start():
    inc = incident(
        "declared",
        [upd("2026-02-10T02:00"), upd("2026-02-10T03:00", "resolved")],
        impact="critical",
        started="2026-02-09T20:00",
    )
    assert ninety(inc).days[0].down_seconds == 3 * 3600


def test_an_incident_resolved_exactly_at_the_window_start_is_outside_it():
    up = ninety(outage("edge", "2026-02-09T20:00", WINDOW_START))
    assert up.percent == 100.0
    assert up.days[0].incident_ids == ()


def test_an_old_resolved_incident_does_not_stop_the_others_from_counting():
    """Incidents are newest first, but nothing may rely on it: an old one anywhere is skipped
    alone."""
    old = outage("old", "2026-01-01T00:00", "2026-01-01T01:00")
    recent = outage("recent", "2026-05-01T00:00", "2026-05-01T01:00")
    for order in ([old, recent], [recent, old]):
        up = ninety(*order)
        assert [d.incident_ids for d in up.days if d.incident_ids] == [("recent",)]


def test_maintenance_before_the_window_is_not_on_the_strip_but_crossing_it_is():
    before = window("before", "2026-02-09T22:00", WINDOW_START)
    crossing = window("crossing", "2026-02-09T23:00", "2026-02-10T01:00")
    up = ninety(maintenance=[before, crossing])
    assert up.days[0].incident_ids == ("crossing",)
    assert up.days[0].worst is CS.UNDER_MAINTENANCE


# --- whole days and the whole window ---------------------------------------------------------


def test_a_full_day_outage_is_a_whole_day_down():
    up = ninety(outage("day", "2026-05-03T00:00", "2026-05-04T00:00"))
    by_day = {d.day: d for d in up.days}
    assert by_day[date(2026, 5, 3)].down_seconds == DAY
    assert by_day[date(2026, 5, 4)].down_seconds == 0
    assert by_day[date(2026, 5, 4)].incident_ids == ()
    assert up.percent == pytest.approx(100 * (1 - DAY / WINDOW_SECONDS))


def test_a_total_outage_is_zero_percent():
    up = ninety(outage("all", "2026-01-01T00:00"))
    assert up.percent == 0.0
    assert up.percent_text == "0.00%"
    assert sum(d.down_seconds for d in up.days) == WINDOW_SECONDS


def test_a_total_partial_outage_is_seventy_percent():
    up = ninety(outage("all", "2026-01-01T00:00", status="partial_outage"))
    assert up.percent == pytest.approx(70.0)
    assert up.percent_text == "70.00%"


def test_a_partial_weight_above_one_never_gives_a_negative_percent():
    c = corpus([outage("all", "2026-01-01T00:00", status="partial_outage")])
    up = uptime.compute(c, NOW, UTC, days=90, partial_weight=2.0)["api"]
    assert up.percent == 0.0


# --- now and today -----------------------------------------------------------------------------


def test_at_midnight_today_has_no_time_yet_and_is_marked_future():
    midnight = t("2026-05-10T00:00")
    up = ninety(outage("i", "2026-05-09T23:00"), now=midnight)
    today, yesterday = up.days[-1], up.days[-2]
    assert (today.in_future, today.down_seconds, today.incident_ids) == (True, 0, ())
    assert today.worst is CS.OPERATIONAL
    assert (yesterday.in_future, yesterday.down_seconds) == (False, 3600)
    assert up.percent == 100 * (1 - 3600 / (89 * DAY))  # today adds no second at all


def test_today_is_not_future_one_second_after_midnight():
    up = ninety(now=t("2026-05-10T00:00:01"))
    assert up.days[-1].in_future is False
    assert all(not d.in_future for d in up.days)


def test_an_update_exactly_at_now_counts_from_now_on():
    inc = incident(
        "i",
        [
            upd("2026-05-10T11:00", components={"api": "partial_outage"}),
            upd("2026-05-10T12:00", components={"api": "major_outage"}),
        ],
    )
    today = ninety(inc).days[-1]
    assert today.down_seconds == pytest.approx(0.3 * 3600)
    assert today.worst is CS.PARTIAL_OUTAGE


def test_an_incident_not_yet_posted_counts_nothing():
    up = ninety(outage("later", "2026-05-10T13:00", "2026-05-10T14:00"))
    assert up.percent == 100.0
    assert up.days[-1].incident_ids == ()


def test_a_resolution_exactly_at_now_ends_the_outage_at_now():
    up = ninety(outage("i", "2026-05-10T11:00", "2026-05-10T12:00"))
    assert up.days[-1].down_seconds == 3600


# --- what a bar says ----------------------------------------------------------------------------


def test_an_operational_stretch_inside_an_incident_is_up_and_not_worst():
    inc = incident(
        "i",
        [
            upd("2026-05-10T08:00", components={"api": "major_outage"}),
            upd("2026-05-10T09:00", components={"api": "operational"}),
            upd("2026-05-10T10:00", components={"api": "degraded_performance"}),
            upd("2026-05-10T11:00", "resolved", components={"api": "operational"}),
        ],
    )
    today = ninety(inc).days[-1]
    assert today.down_seconds == 3600
    assert today.worst is CS.MAJOR_OUTAGE


def test_the_worst_status_of_a_day_is_the_worst_any_moment_had():
    inc = incident(
        "i",
        [
            upd("2026-05-10T08:00", components={"api": "partial_outage"}),
            upd("2026-05-10T09:00", components={"api": "degraded_performance"}),
            upd("2026-05-10T10:00", "resolved", components={"api": "operational"}),
        ],
    )
    assert ninety(inc).days[-1].worst is CS.PARTIAL_OUTAGE


def test_two_updates_at_the_same_instant_leave_no_empty_stretch():
    inc = incident(
        "i",
        [
            upd("2026-05-10T08:00", components={"api": "degraded_performance"}),
            upd("2026-05-10T08:00", components={"api": "major_outage"}),
            upd("2026-05-10T09:00", "resolved", components={"api": "operational"}),
        ],
    )
    spans = uptime.incident_intervals(inc, NOW)["api"]
    assert spans == [(t("2026-05-10T08:00"), t("2026-05-10T09:00"), CS.MAJOR_OUTAGE, "i")]


def test_incident_intervals_end_at_the_resolution_or_at_now():
    resolved = outage("r", "2026-05-10T08:00", "2026-05-10T09:00")
    ongoing = outage("o", "2026-05-10T08:00")
    assert uptime.incident_intervals(resolved, NOW)["api"][0][1] == t("2026-05-10T09:00")
    assert uptime.incident_intervals(ongoing, NOW)["api"][0][1] == NOW
    assert uptime.incident_intervals(outage("f", "2026-05-11T00:00"), NOW) == {}


def test_a_bar_lists_each_incident_once_in_id_order():
    first = outage("b-second", "2026-05-10T08:00", "2026-05-10T09:00")
    second = incident(
        "a-first",
        [
            upd("2026-05-10T08:30", components={"api": "partial_outage"}),
            upd("2026-05-10T08:45", components={"api": "major_outage"}),
            upd("2026-05-10T10:00", "resolved", components={"api": "operational"}),
        ],
        impact="minor",
    )
    today = ninety(first, second).days[-1]
    assert today.incident_ids == ("a-first", "b-second")
    assert today.down_seconds == 2 * 3600


def test_a_one_day_window_at_midnight_has_no_time_and_is_fully_up():
    up = uptime.compute(corpus(), t("2026-05-10T00:00"), UTC, days=1)["api"]
    assert up.percent == 100.0
    assert [d.in_future for d in up.days] == [True]


def test_the_window_is_ninety_days_unless_told_otherwise():
    result = uptime.compute(corpus(), NOW, UTC)
    assert [(cid, len(u.days), u.component_id) for cid, u in result.items()] == [
        ("api", 90, "api"),
        ("dashboard", 90, "dashboard"),
        ("billing", 90, "billing"),
    ]


def test_cancelled_and_unstarted_maintenance_leave_no_mark():
    cancelled = window(
        "cancelled", "2026-05-10T02:00", "2026-05-10T04:00", [upd("2026-05-09T09:00", "cancelled")]
    )
    later = window("later", "2026-05-10T14:00", "2026-05-10T16:00")
    up = ninety(maintenance=[cancelled, later])
    assert up.days[-1].incident_ids == ()
    assert up.days[-1].worst is CS.OPERATIONAL


def test_a_status_lasts_until_the_resolving_update_even_when_later_updates_name_no_component():
    inc = incident(
        "i",
        [
            upd("2026-05-10T08:00", components={"api": "major_outage"}),
            upd("2026-05-10T09:00", "monitoring"),
            upd("2026-05-10T10:00", "monitoring"),
            upd("2026-05-10T11:00", "resolved"),
        ],
    )
    assert ninety(inc).days[-1].down_seconds == 3 * 3600
