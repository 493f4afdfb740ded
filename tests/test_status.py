"""Status rollup and maintenance states: pure functions of the model and `now`."""

from __future__ import annotations

import pytest

from conftest import corpus, incident, t, upd, window
from statusbook.model import ComponentStatus as CS
from statusbook.model import IncidentStatus, MaintenanceStatus
from statusbook.views import status as st

NOW = t("2026-05-10T12:00")


# --- one incident's component statuses ---------------------------------------------------------


@pytest.mark.parametrize(
    ("impact", "expected"),
    [
        ("none", CS.OPERATIONAL),
        ("minor", CS.DEGRADED_PERFORMANCE),
        ("major", CS.PARTIAL_OUTAGE),
        ("critical", CS.MAJOR_OUTAGE),
    ],
    ids=["none", "minor", "major", "critical"],
)
def test_component_takes_impact_default_when_no_update_declares_a_status(impact, expected):
    inc = incident("i", [upd("2026-05-10T10:00")], impact=impact, components=["api", "billing"])
    assert st.component_statuses(inc, NOW) == {"api": expected, "billing": expected}


@pytest.mark.parametrize(
    ("updates", "expected"),
    [
        (
            [upd("2026-05-10T10:00", components={"api": "partial_outage"})],
            {"api": CS.PARTIAL_OUTAGE, "billing": CS.DEGRADED_PERFORMANCE},
        ),
        (
            [
                upd("2026-05-10T10:00", components={"api": "major_outage"}),
                upd("2026-05-10T11:00", "identified", components={"api": "degraded_performance"}),
            ],
            {"api": CS.DEGRADED_PERFORMANCE, "billing": CS.DEGRADED_PERFORMANCE},
        ),
        (
            [
                upd("2026-05-10T10:00", components={"api": "partial_outage"}),
                upd("2026-05-10T11:00", "identified", components={"billing": "major_outage"}),
            ],
            {"api": CS.PARTIAL_OUTAGE, "billing": CS.MAJOR_OUTAGE},
        ),
        (
            [
                upd("2026-05-10T10:00", components={"api": "partial_outage"}),
                upd("2026-05-10T12:30", "identified", components={"api": "major_outage"}),
            ],
            {"api": CS.PARTIAL_OUTAGE, "billing": CS.DEGRADED_PERFORMANCE},
        ),
    ],
    ids=[
        "declared-status-beats-impact-default",
        "latest-declared-status-wins",
        "each-component-keeps-its-own-latest",
        "update-after-now-is-ignored",
    ],
)
def test_component_statuses_follow_posted_updates(updates, expected):
    inc = incident("i", updates, impact="minor", components=["api", "billing"])
    assert st.component_statuses(inc, NOW) == expected


def test_incident_with_no_update_posted_yet_is_not_active():
    inc = incident("future", [upd("2026-05-10T13:00")], impact="critical")
    assert st.incident_status(inc, NOW) is None
    assert not st.is_active(inc, NOW)
    assert st.current_component_statuses(corpus([inc]), NOW)["api"] is CS.OPERATIONAL


@pytest.mark.parametrize(
    ("now", "posted"),
    [
        ("2026-05-10T09:59", 0),  # before the first
        ("2026-05-10T10:00", 1),  # an update is posted at its own minute
        ("2026-05-10T12:59", 2),
        ("2026-05-10T13:00", 3),  # the last one too: all of them
        ("2026-05-11T00:00", 3),
    ],
)
def test_updates_until_keeps_those_posted_at_now_in_order(now, posted):
    updates = (
        upd("2026-05-10T10:00"),
        upd("2026-05-10T11:00", "monitoring"),
        upd("2026-05-10T13:00", "resolved"),
    )
    assert st.updates_until(updates, t(now)) == updates[:posted]
    assert st.updates_until((), t(now)) == ()


def test_incident_status_is_latest_posted_update():
    inc = incident(
        "i",
        [
            upd("2026-05-10T10:00"),
            upd("2026-05-10T11:00", "monitoring"),
            upd("2026-05-10T13:00", "resolved"),
        ],
    )
    assert st.incident_status(inc, NOW) is IncidentStatus.MONITORING
    assert st.is_active(inc, NOW)
    assert st.incident_status(inc, t("2026-05-10T13:00")) is IncidentStatus.RESOLVED
    assert not st.is_active(inc, t("2026-05-10T13:00"))


# --- the rollup over the whole corpus ----------------------------------------------------------

RUNNING = window("db", "2026-05-10T11:00", "2026-05-10T14:00")  # in progress at NOW
UPCOMING = window("later", "2026-05-11T01:00", "2026-05-11T03:00")


@pytest.mark.parametrize(
    ("incidents", "maintenance", "expected_api"),
    [
        ([], [], CS.OPERATIONAL),
        (
            [
                incident(
                    "a", [upd("2026-05-10T10:00", components={"api": "degraded_performance"})]
                ),
                incident("b", [upd("2026-05-10T10:30", components={"api": "partial_outage"})]),
            ],
            [],
            CS.PARTIAL_OUTAGE,
        ),
        (
            [
                incident("a", [upd("2026-05-10T10:00", components={"api": "major_outage"})]),
                incident(
                    "b", [upd("2026-05-10T10:30", components={"api": "degraded_performance"})]
                ),
            ],
            [],
            CS.MAJOR_OUTAGE,
        ),
        ([], [RUNNING], CS.UNDER_MAINTENANCE),
        (
            [incident("a", [upd("2026-05-10T10:00", components={"api": "degraded_performance"})])],
            [RUNNING],
            CS.DEGRADED_PERFORMANCE,
        ),
        (
            [incident("a", [upd("2026-05-10T10:00", components={"api": "operational"})])],
            [RUNNING],
            CS.UNDER_MAINTENANCE,
        ),
        (
            [
                incident(
                    "a",
                    [
                        upd("2026-05-10T09:00", components={"api": "major_outage"}),
                        upd("2026-05-10T10:00", "resolved", components={"api": "operational"}),
                    ],
                    impact="critical",
                )
            ],
            [],
            CS.OPERATIONAL,
        ),
        (
            [
                incident(
                    "a",
                    [upd("2026-05-10T09:00"), upd("2026-05-10T10:00", "resolved")],
                    impact="critical",
                )
            ],
            [],
            CS.OPERATIONAL,
        ),
        ([], [UPCOMING], CS.OPERATIONAL),
    ],
    ids=[
        "nothing-going-on",
        "worse-of-two-incidents",
        "worse-of-two-incidents-first-listed",
        "maintenance-alone",
        "incident-worse-than-maintenance",
        "maintenance-worse-than-operational-declaration",
        "resolved-incident-contributes-nothing",
        "resolved-without-declared-operational-contributes-nothing",
        "future-maintenance-changes-nothing",
    ],
)
def test_current_component_status_is_worst_of_active_incidents_and_maintenance(
    incidents, maintenance, expected_api
):
    statuses = st.current_component_statuses(corpus(incidents, maintenance), NOW)
    assert statuses["api"] is expected_api
    assert statuses["billing"] is CS.OPERATIONAL  # untouched components stay operational


@pytest.mark.parametrize(
    ("incidents", "maintenance", "indicator", "description"),
    [
        ([], [], "none", "All Systems Operational"),
        (
            [incident("a", [upd("2026-05-10T10:00")], impact="minor")],
            [],
            "minor",
            "Minor Service Outage",
        ),
        (
            [incident("a", [upd("2026-05-10T10:00")], impact="major")],
            [],
            "major",
            "Partial System Outage",
        ),
        (
            [incident("a", [upd("2026-05-10T10:00")], impact="critical")],
            [],
            "critical",
            "Major Service Outage",
        ),
        ([], [RUNNING], "maintenance", "Service Under Maintenance"),
        (
            [incident("a", [upd("2026-05-10T10:00")], impact="minor")],
            [RUNNING],
            "minor",
            "Minor Service Outage",
        ),
        (
            [
                incident(
                    "a",
                    [upd("2026-05-10T10:00", components={"api": "major_outage"})],
                    impact="none",
                )
            ],
            [],
            "critical",
            "Major Service Outage",
        ),
        (
            [
                incident(
                    "a",
                    [upd("2026-05-10T10:00", components={"api": "degraded_performance"})],
                    impact="critical",
                )
            ],
            [],
            "critical",
            "Major Service Outage",
        ),
        (
            [incident("a", [upd("2026-05-10T10:00")], impact="none")],
            [RUNNING],
            "maintenance",
            "Service Under Maintenance",
        ),
        (
            [
                incident(
                    "a",
                    [upd("2026-05-10T09:00"), upd("2026-05-10T10:00", "resolved")],
                    impact="critical",
                )
            ],
            [],
            "none",
            "All Systems Operational",
        ),
        (
            [incident("a", [upd("2026-05-10T12:01")], impact="critical")],
            [],
            "none",
            "All Systems Operational",
        ),
        ([], [UPCOMING], "none", "All Systems Operational"),
    ],
    ids=[
        "all-operational",
        "minor-impact",
        "major-impact",
        "critical-impact",
        "only-maintenance",
        "incident-beats-maintenance",
        "component-status-raises-the-indicator",
        "impact-raises-the-indicator",
        "impact-none-during-maintenance",
        "resolved-incident-ignored",
        "not-yet-posted-incident-ignored",
        "upcoming-maintenance-ignored",
    ],
)
def test_overall_banner(incidents, maintenance, indicator, description):
    result = st.overall(corpus(incidents, maintenance), NOW)
    assert (result.indicator, result.description) == (indicator, description)


@pytest.mark.parametrize(
    ("updates", "expected"),
    [
        ([upd("2026-05-10T10:00", next_update="2026-05-10T11:00")], t("2026-05-10T11:00")),
        ([upd("2026-05-10T10:00", next_update="2026-05-10T12:30")], None),
        (
            [
                upd("2026-05-10T10:00", next_update="2026-05-10T11:00"),
                upd("2026-05-10T11:00", "identified", next_update="2026-05-10T13:00"),
            ],
            None,
        ),
        (
            [
                upd("2026-05-10T10:00", next_update="2026-05-10T11:00"),
                upd("2026-05-10T10:50", "identified"),
            ],
            None,
        ),
        (
            [
                upd("2026-05-10T10:00", next_update="2026-05-10T11:00"),
                upd("2026-05-10T11:30", "resolved", next_update="2026-05-10T11:45"),
            ],
            None,
        ),
        ([upd("2026-05-10T10:00")], None),
        (
            [
                upd("2026-05-10T10:00", next_update="2026-05-10T11:00"),
                upd("2026-05-10T12:30", "identified"),
            ],
            t("2026-05-10T11:00"),
        ),
    ],
    ids=[
        "promise-passed",
        "promise-still-ahead",
        "newer-update-made-a-new-promise",
        "newer-update-without-promise",
        "resolved-incident-is-never-overdue",
        "no-promise",
        "update-written-ahead-does-not-count-yet",
    ],
)
def test_overdue_update(updates, expected):
    assert st.overdue_update(incident("i", updates), NOW) == expected


# --- maintenance states ------------------------------------------------------------------------

START, END = "2026-05-10T10:00", "2026-05-10T12:00"


@pytest.mark.parametrize(
    ("now", "updates", "expected"),
    [
        ("2026-05-10T09:00", [], MaintenanceStatus.SCHEDULED),
        ("2026-05-10T09:00", [upd("2026-05-09T09:00", "scheduled")], MaintenanceStatus.SCHEDULED),
        ("2026-05-10T10:00", [], MaintenanceStatus.IN_PROGRESS),
        ("2026-05-10T11:00", [], MaintenanceStatus.IN_PROGRESS),
        ("2026-05-10T12:00", [], MaintenanceStatus.COMPLETED),
        ("2026-05-10T13:00", [], MaintenanceStatus.COMPLETED),
        (
            "2026-05-10T09:45",
            [upd("2026-05-10T09:30", "in_progress")],
            MaintenanceStatus.IN_PROGRESS,
        ),
        ("2026-05-10T09:45", [upd("2026-05-10T09:30", "verifying")], MaintenanceStatus.VERIFYING),
        ("2026-05-10T11:00", [upd("2026-05-10T10:40", "completed")], MaintenanceStatus.COMPLETED),
        ("2026-05-10T09:00", [upd("2026-05-09T12:00", "cancelled")], MaintenanceStatus.CANCELLED),
        ("2026-05-10T11:00", [upd("2026-05-10T10:30", "cancelled")], MaintenanceStatus.CANCELLED),
        (
            "2026-05-10T14:00",
            [upd("2026-05-10T12:10", "in_progress")],
            MaintenanceStatus.IN_PROGRESS,
        ),
        (
            "2026-05-10T14:00",
            [upd("2026-05-10T12:10", "in_progress"), upd("2026-05-10T13:30", "completed")],
            MaintenanceStatus.COMPLETED,
        ),
        ("2026-05-10T14:00", [upd("2026-05-10T11:00", "in_progress")], MaintenanceStatus.COMPLETED),
        ("2026-05-10T09:00", [upd("2026-05-10T09:30", "in_progress")], MaintenanceStatus.SCHEDULED),
    ],
    ids=[
        "before-start-scheduled",
        "scheduled-update-before-start",
        "at-start-in-progress",
        "inside-window-in-progress",
        "at-end-completed",
        "after-end-completed",
        "early-in-progress-update-starts-it",
        "early-verifying-update",
        "completed-early",
        "cancelled-before-start",
        "cancelled-during-window",
        "in-progress-posted-after-end-keeps-it-going",
        "overrun-ends-with-completed-update",
        "in-progress-posted-inside-window-ends-with-window",
        "update-written-ahead-is-ignored",
    ],
)
def test_maintenance_state(now, updates, expected):
    assert st.maintenance_state(window("m", START, END, updates), t(now)) is expected


@pytest.mark.parametrize(
    "updates",
    [[], [upd("2026-05-09T09:00", "scheduled")], [upd("2026-05-10T13:00", "in_progress")]],
    ids=["no-updates", "scheduled-update", "start-update-written-ahead"],
)
def test_future_maintenance_never_changes_component_status(updates):
    future = window(
        "m", "2026-05-10T14:00", "2026-05-10T16:00", updates, components=["api", "billing"]
    )
    c = corpus(maintenance=[future])
    assert set(st.current_component_statuses(c, NOW).values()) == {CS.OPERATIONAL}
    assert st.overall(c, NOW).indicator == "none"
    assert st.is_upcoming(future, NOW)


def test_maintenance_started_early_puts_components_under_maintenance():
    early = window(
        "m", "2026-05-10T14:00", "2026-05-10T16:00", [upd("2026-05-10T11:50", "in_progress")]
    )
    statuses = st.current_component_statuses(corpus(maintenance=[early]), NOW)
    assert statuses["api"] is CS.UNDER_MAINTENANCE
    assert statuses["dashboard"] is CS.OPERATIONAL
