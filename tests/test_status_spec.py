"""Status at the edges: the instants where a state changes, windows that overran or that the
clock closed, resolution times, and the order nothing may depend on.

The maintenance window is 10:00-12:00 UTC on 10 May 2026 throughout; an instant named in a
test is the instant it is about.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from conftest import corpus, incident, t, upd, window
from statusbook.model import ComponentStatus as CS
from statusbook.model import MaintenanceStatus as MS
from statusbook.views import status as st

START, END = "2026-05-10T10:00", "2026-05-10T12:00"


def maint(*updates, components=("api",)):
    return window("m", START, END, updates, components=components)


# --- maintenance: the scheduled end --------------------------------------------------------------


def test_a_window_worked_inside_its_hours_completes_at_the_scheduled_end_instant():
    """In progress since 10:30: at 11:59:59 still worked, at 12:00 the clock closes it."""
    worked = maint(upd("2026-05-10T10:30", "in_progress"))
    assert st.maintenance_state(worked, t("2026-05-10T11:59:59")) is MS.IN_PROGRESS
    assert st.maintenance_state(worked, t(END)) is MS.COMPLETED
    assert st.maintenance_interval(worked, t("2026-05-10T13:00")) == (t(START), t(END))


def test_a_window_the_clock_closed_is_no_longer_worked():
    closed = maint(upd("2026-05-10T11:00", "verifying"))
    now = t("2026-05-10T15:00")
    assert st.maintenance_state(closed, now) is MS.COMPLETED
    assert not st.is_under_maintenance(closed, now)
    assert st.current_component_statuses(corpus(maintenance=[closed]), now)["api"] is CS.OPERATIONAL
    assert st.maintenance_interval(closed, now) == (t(START), t(END))


def test_an_update_exactly_at_the_scheduled_end_keeps_the_window_open():
    """Posting 'in progress' at 12:00 says the work goes on: it overran."""
    overran = maint(upd(END, "in_progress"))
    now = t("2026-05-10T13:30")
    assert st.maintenance_state(overran, now) is MS.IN_PROGRESS
    assert st.is_under_maintenance(overran, now)
    assert st.maintenance_interval(overran, now) == (t(START), now)


def test_an_overrunning_window_runs_until_its_completed_update():
    overran = maint(
        upd("2026-05-10T10:05", "in_progress"),
        upd("2026-05-10T12:30", "verifying"),
        upd("2026-05-10T13:15", "completed"),
    )
    assert st.maintenance_state(overran, t("2026-05-10T13:00")) is MS.VERIFYING
    assert st.maintenance_interval(overran, t("2026-05-10T13:00")) == (
        t(START),
        t("2026-05-10T13:00"),
    )
    assert st.maintenance_state(overran, t("2026-05-10T14:00")) is MS.COMPLETED
    assert st.maintenance_interval(overran, t("2026-05-10T14:00")) == (
        t(START),
        t("2026-05-10T13:15"),
    )


def test_a_window_completed_early_ends_at_its_completed_update():
    done = maint(upd("2026-05-10T10:40", "completed"))
    assert st.maintenance_interval(done, t("2026-05-10T11:00")) == (t(START), t("2026-05-10T10:40"))
    assert st.maintenance_interval(done, t("2026-05-10T10:20")) == (t(START), t("2026-05-10T10:20"))


def test_the_last_completed_update_is_the_end():
    twice = maint(upd("2026-05-10T10:40", "completed"), upd("2026-05-10T11:10", "completed"))
    assert st.maintenance_interval(twice, t("2026-05-10T15:00")) == (
        t(START),
        t("2026-05-10T11:10"),
    )


# --- maintenance: the start ----------------------------------------------------------------------


def test_a_window_started_early_runs_from_its_first_running_update():
    early = maint(upd("2026-05-10T09:20", "verifying"), upd("2026-05-10T09:40", "in_progress"))
    assert st.maintenance_interval(early, t("2026-05-10T11:00")) == (
        t("2026-05-10T09:20"),
        t("2026-05-10T11:00"),
    )


def test_a_running_update_at_the_start_instant_is_not_early():
    on_time = maint(upd(START, "in_progress"))
    assert st.maintenance_interval(on_time, t("2026-05-10T11:00"))[0] == t(START)


def test_a_scheduled_update_before_the_start_does_not_start_it():
    announced = maint(upd("2026-05-09T10:00", "scheduled"))
    assert st.maintenance_interval(announced, t("2026-05-10T11:00")) == (
        t(START),
        t("2026-05-10T11:00"),
    )


def test_no_interval_before_the_work_starts_or_at_its_first_instant():
    assert st.maintenance_interval(maint(), t("2026-05-10T09:59")) is None
    assert st.maintenance_interval(maint(), t(START)) is None
    assert st.maintenance_interval(maint(), t("2026-05-10T10:00:01")) == (
        t(START),
        t("2026-05-10T10:00:01"),
    )


def test_a_cancelled_window_has_no_interval():
    cancelled = maint(upd("2026-05-10T10:30", "cancelled"))
    assert st.maintenance_interval(cancelled, t("2026-05-10T15:00")) is None
    assert st.maintenance_interval(cancelled, t("2026-05-10T10:20")) == (
        t(START),
        t("2026-05-10T10:20"),
    )


def test_a_window_completed_before_it_started_has_no_interval():
    skipped = maint(upd("2026-05-10T09:00", "completed"))
    assert st.maintenance_interval(skipped, t("2026-05-10T15:00")) is None


def test_upcoming_only_before_the_start():
    assert st.is_upcoming(maint(), t("2026-05-10T09:59:59"))
    assert not st.is_upcoming(maint(), t(START))


# --- incidents: resolution and duration ----------------------------------------------------------


def _resolved(declared=None):
    inc = incident("i", [upd("2026-05-10T09:00"), upd("2026-05-10T10:00", "resolved")])
    if declared:
        inc = replace(inc, lifecycle=(("resolved", t(declared)),))
    return inc


def test_resolved_at_is_the_declared_time_once_it_has_passed():
    inc = _resolved("2026-05-10T09:50")
    assert st.resolved_at(inc, t("2026-05-10T11:00")) == t("2026-05-10T09:50")


def test_resolved_at_is_the_declared_time_at_that_very_instant():
    inc = replace(
        incident("i", [upd("2026-05-10T09:00"), upd("2026-05-10T09:50", "resolved")]),
        lifecycle=(("resolved", t("2026-05-10T09:55")),),
    )
    assert st.resolved_at(inc, t("2026-05-10T09:55")) == t("2026-05-10T09:55")
    assert st.resolved_at(inc, t("2026-05-10T09:54")) == t("2026-05-10T09:50")


def test_resolved_at_without_a_declared_time_is_the_resolving_update():
    assert st.resolved_at(_resolved(), t("2026-05-10T11:00")) == t("2026-05-10T10:00")
    three = incident(
        "i",
        [upd("2026-05-10T09:00"), upd("2026-05-10T09:30", "monitoring"), upd(END, "resolved")],
    )
    assert st.resolved_at(three, t("2026-05-10T13:00")) == t(END)


def test_an_incident_is_not_resolved_before_its_resolving_update_is_posted():
    assert st.resolved_at(_resolved("2026-05-10T09:50"), t("2026-05-10T09:59")) is None
    assert st.resolved_at(_resolved(), t("2026-05-10T10:00")) == t("2026-05-10T10:00")
    assert st.resolved_at(incident("f", [upd("2026-05-11T00:00")]), t(START)) is None


def test_duration_runs_from_the_start_to_resolution_or_now():
    assert st.duration(_resolved(), t("2026-05-10T15:00")) == timedelta(hours=1)
    assert st.duration(_resolved(), t("2026-05-10T09:30")) == timedelta(minutes=30)
    assert st.duration(_resolved(), t("2026-05-10T08:00")) == timedelta(0)


def test_duration_counts_from_a_declared_start():
    inc = incident(
        "i",
        [upd("2026-05-10T09:00"), upd("2026-05-10T10:00", "resolved")],
        started="2026-05-10T08:15",
    )
    assert st.duration(inc, t("2026-05-10T12:00")) == timedelta(minutes=105)


# --- incidents: status changes -------------------------------------------------------------------


def test_status_changes_start_at_the_earlier_of_declared_start_and_first_update():
    inc = incident(
        "i",
        [upd("2026-05-10T09:00", components={"api": "partial_outage"})],
        impact="critical",
        components=["api", "billing"],
        started="2026-05-10T08:30",
    )
    assert st.status_changes(inc) == [
        (t("2026-05-10T08:30"), "api", CS.MAJOR_OUTAGE),
        (t("2026-05-10T08:30"), "billing", CS.MAJOR_OUTAGE),
        (t("2026-05-10T09:00"), "api", CS.PARTIAL_OUTAGE),
    ]
    late_declared = replace(inc, lifecycle=(("started", t("2026-05-10T09:30")),))
    assert st.status_changes(late_declared)[0][0] == t("2026-05-10T09:00")


def test_component_statuses_count_only_posted_updates():
    inc = incident(
        "i",
        [
            upd("2026-05-10T09:00", components={"api": "partial_outage"}),
            upd("2026-05-10T10:00", components={"api": "major_outage"}),
        ],
        impact="minor",
    )
    assert st.component_statuses(inc, t("2026-05-10T09:59")) == {"api": CS.PARTIAL_OUTAGE}
    assert st.component_statuses(inc, t("2026-05-10T10:00")) == {"api": CS.MAJOR_OUTAGE}


# --- the rollup ----------------------------------------------------------------------------------


def test_a_resolved_incident_listed_first_does_not_hide_an_active_one():
    over = incident("over", [upd("2026-05-10T08:00"), upd("2026-05-10T09:00", "resolved")])
    active = incident("active", [upd("2026-05-10T11:00", components={"api": "major_outage"})])
    now = t("2026-05-10T11:30")
    for order in ([over, active], [active, over]):
        c = corpus(order)
        assert st.current_component_statuses(c, now)["api"] is CS.MAJOR_OUTAGE
        assert st.overall(c, now).indicator == "critical"
        assert [i.id for i in st.active_incidents(c, now)] == ["active"]


def test_maintenance_and_an_active_incident_on_one_component_show_the_incident():
    active = incident(
        "a", [upd("2026-05-10T10:30", components={"api": "degraded_performance"})], impact="minor"
    )
    now = t("2026-05-10T11:00")
    c = corpus([active], [maint()])
    assert st.current_component_statuses(c, now)["api"] is CS.DEGRADED_PERFORMANCE
    assert st.overall(c, now).indicator == "minor"


def test_maintenance_alone_gives_the_maintenance_banner():
    banner = st.overall(corpus(maintenance=[maint()]), t("2026-05-10T11:00"))
    assert (banner.indicator, banner.description) == ("maintenance", "Service Under Maintenance")


def test_an_active_impact_none_incident_during_maintenance_keeps_the_maintenance_banner():
    quiet = incident("q", [upd("2026-05-10T10:30")], impact="none", components=["billing"])
    banner = st.overall(corpus([quiet], [maint()]), t("2026-05-10T11:00"))
    assert banner.indicator == "maintenance"


# --- promised updates ----------------------------------------------------------------------------


def test_a_promised_update_is_overdue_only_after_its_instant():
    inc = incident("i", [upd("2026-05-10T09:00", next_update="2026-05-10T09:30")])
    assert st.overdue_update(inc, t("2026-05-10T09:30")) is None
    assert st.overdue_update(inc, t("2026-05-10T09:30:01")) == t("2026-05-10T09:30")


def test_a_resolved_incident_owes_no_update():
    inc = incident(
        "i",
        [
            upd("2026-05-10T09:00"),
            upd("2026-05-10T09:10", "resolved", next_update="2026-05-10T09:20"),
        ],
    )
    assert st.overdue_update(inc, t("2026-05-10T10:00")) is None


@pytest.mark.parametrize("now", ["2026-05-10T08:00", "2026-05-10T10:00"])
def test_no_overdue_update_before_posting_or_without_a_promise(now):
    inc = incident("i", [upd("2026-05-10T09:00")])
    assert st.overdue_update(inc, t(now)) is None
