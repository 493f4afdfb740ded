"""Service level objectives: the error budget of a component is a pure function of its history.

The property tests compare `slo.measure` with a reference that walks the window one minute at a
time and asks, for each minute, which declared spans cover it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from conftest import corpus, incident, t, upd, window
from statusbook.model import ComponentStatus as CS
from statusbook.model import Objective, SloWindow
from statusbook.views import slo

NOW = t("2026-05-10T12:00")
MONTH = 30 * 24 * 60  # minutes in a 30-day window
GOAL = Objective(target=99.9)  # 30 days, partial outage 0.3, degraded 0, maintenance excluded


def outage(ident: str, start: str, end: str, status: str, component: str = "api"):
    return incident(
        ident,
        [
            upd(start, components={component: status}),
            upd(end, "resolved", components={component: "operational"}),
        ],
        impact="minor",
        components=[component],
    )


def report(*incidents, maintenance=(), objective=GOAL) -> slo.Report:
    site = corpus(incidents, maintenance)
    site = replace(site, components=(replace(site.components[0], slo=objective),))
    return slo.compute(site, NOW)["api"]


def test_a_quiet_month_meets_the_objective_with_the_whole_budget_left():
    r = report()
    assert r.counted_minutes == MONTH
    assert r.budget_minutes == pytest.approx(43.2)  # 0.1% of 43,200 minutes
    assert (r.spent_minutes, r.spends, r.availability, r.met) == (0, (), 100.0, True)
    assert r.burn == (0.0,) * 30


def test_a_major_outage_spends_its_minutes_and_names_the_incident():
    r = report(outage("db", "2026-05-09T10:00", "2026-05-09T10:30", "major_outage"))
    assert r.spent_minutes == pytest.approx(30)
    assert r.spends == (slo.Spend("db", pytest.approx(30)),)
    assert r.remaining_minutes == pytest.approx(13.2)
    assert r.met
    assert r.availability == pytest.approx(100 * (1 - 30 / MONTH))
    assert r.burn[-3] == 0 and r.burn[-2] == pytest.approx(30) and r.burn[-1] == pytest.approx(30)


def test_an_outage_longer_than_the_budget_misses_the_objective():
    r = report(outage("db", "2026-05-09T10:00", "2026-05-09T11:00", "major_outage"))
    assert not r.met
    assert r.remaining_minutes == pytest.approx(43.2 - 60)
    assert r.remaining_share < 0


@pytest.mark.parametrize(
    ("status", "objective", "spent"),
    [
        ("partial_outage", GOAL, 0.3 * 60),
        ("partial_outage", Objective(99.9, partial_outage=0.5), 30),
        ("degraded_performance", GOAL, 0),
        ("degraded_performance", Objective(99.9, degraded_performance=0.1), 6),
    ],
    ids=["partial-default", "partial-0.5", "degraded-default-free", "degraded-0.1"],
)
def test_each_status_spends_its_configured_share(status, objective, spent):
    r = report(outage("x", "2026-05-09T10:00", "2026-05-09T11:00", status), objective=objective)
    assert r.spent_minutes == pytest.approx(spent)


def test_overlapping_incidents_are_counted_once_and_the_worst_is_charged():
    r = report(
        outage("slow", "2026-05-09T10:00", "2026-05-09T11:00", "partial_outage"),
        outage("down", "2026-05-09T10:20", "2026-05-09T10:40", "major_outage"),
    )
    # 40 partial minutes (0.3 each) outside the major outage, 20 whole minutes inside it.
    assert r.spent_minutes == pytest.approx(40 * 0.3 + 20)
    assert r.spends == (slo.Spend("down", pytest.approx(20)), slo.Spend("slow", pytest.approx(12)))


def test_maintenance_leaves_the_window_unless_counted():
    work = window("upgrade", "2026-05-09T01:00", "2026-05-09T03:00")
    excluded = report(maintenance=[work])
    assert excluded.counted_minutes == MONTH - 120
    assert excluded.spent_minutes == 0
    counted = report(maintenance=[work], objective=Objective(99.9, count_maintenance=True))
    assert counted.counted_minutes == MONTH
    assert counted.spends == (slo.Spend("upgrade", pytest.approx(120)),)


def test_an_outage_during_maintenance_is_still_spent():
    r = report(
        outage("db", "2026-05-09T02:00", "2026-05-09T02:10", "major_outage"),
        maintenance=[window("upgrade", "2026-05-09T01:00", "2026-05-09T03:00")],
    )
    assert r.counted_minutes == MONTH - 110
    assert r.spent_minutes == pytest.approx(10)


def test_only_the_part_inside_the_rolling_window_counts():
    # The window opens 2026-04-10T12:00; an outage across that moment counts its last hour.
    r = report(outage("old", "2026-04-10T10:00", "2026-04-10T13:00", "major_outage"))
    assert r.spent_minutes == pytest.approx(60)
    assert r.burn[0] == pytest.approx(60)
    ninety = report(
        outage("old", "2026-04-10T10:00", "2026-04-10T13:00", "major_outage"),
        objective=Objective(99.9, window=SloWindow.DAYS_90),
    )
    assert ninety.spent_minutes == pytest.approx(180)
    assert len(ninety.burn) == 90


def test_an_open_incident_spends_up_to_now():
    open_one = incident(
        "live", [upd("2026-05-10T11:00", components={"api": "major_outage"})], components=["api"]
    )
    assert report(open_one).spent_minutes == pytest.approx(60)


def test_a_group_adds_minutes_and_meets_its_objectives_only_when_every_member_does():
    site = corpus([outage("db", "2026-05-09T10:00", "2026-05-09T11:00", "major_outage")])
    site = replace(site, components=tuple(replace(c, slo=GOAL) for c in site.components))
    reports = slo.compute(site, NOW)
    group = slo.groups(site, reports)["core"]
    assert group.counted_minutes == 3 * MONTH
    assert group.budget_minutes == pytest.approx(3 * 43.2)
    assert group.spent_minutes == pytest.approx(60)
    assert (group.met_count, group.met) == (2, False)
    assert group.spends == (slo.Spend("db", pytest.approx(60)),)
    assert group.burn[-2:] == (pytest.approx(60), pytest.approx(60))
    assert group.burn[-3] == 0


def test_components_without_an_objective_have_no_report():
    assert slo.compute(corpus(), NOW) == {}


# --- against a minute-by-minute reference ------------------------------------------------------

_STATUSES = [
    CS.UNDER_MAINTENANCE,
    CS.DEGRADED_PERFORMANCE,
    CS.PARTIAL_OUTAGE,
    CS.MAJOR_OUTAGE,
]
_START = NOW - timedelta(days=30)


@hs.composite
def histories(draw):
    """Spans on whole minutes, from before the window opens to after `now`, any overlap."""
    count = draw(hs.integers(0, 8))
    spans = []
    for n in range(count):
        first = draw(hs.integers(-600, MONTH + 300))
        length = draw(hs.integers(1, 3000))
        status = draw(hs.sampled_from(_STATUSES))
        spans.append(
            (
                _START + timedelta(minutes=first),
                _START + timedelta(minutes=first + length),
                status,
                f"s{n}",
            )
        )
    return spans


objectives = hs.builds(
    Objective,
    target=hs.sampled_from([90.0, 99.0, 99.5, 99.9, 99.99]),
    partial_outage=hs.sampled_from([0.0, 0.3, 0.5, 1.0]),
    degraded_performance=hs.sampled_from([0.0, 0.1, 1.0]),
    count_maintenance=hs.booleans(),
)


def reference(spans, objective):
    """Counted minutes, spent minutes and spent by the end of each day, one minute at a time."""
    cost = slo.weights(objective)
    counted = spent = 0.0
    per_day = [0.0] * 30
    for minute in range(MONTH):
        at = _START + timedelta(minutes=minute)
        statuses = [s[2] for s in spans if s[0] <= at < s[1]]
        worst = max(statuses, key=lambda s: s.rank, default=CS.OPERATIONAL)
        weight = cost[worst]
        if weight is None:
            continue
        counted += 1
        spent += weight
        per_day[minute // (24 * 60)] += weight
    burn, running = [], 0.0
    for day in per_day:
        running += day
        burn.append(running)
    return counted, spent, burn


@settings(max_examples=60, deadline=None)
@given(histories(), objectives)
def test_the_budget_agrees_with_a_minute_by_minute_reference(spans, objective):
    got = slo.measure("api", objective, spans, NOW)
    counted, spent, burn = reference(spans, objective)
    assert got.counted_minutes == pytest.approx(counted)
    assert got.spent_minutes == pytest.approx(spent)
    assert list(got.burn) == pytest.approx(burn)
    assert sum(s.minutes for s in got.spends) == pytest.approx(spent)
    assert got.met is (spent <= (1 - objective.target / 100) * counted + 1e-9)


@settings(max_examples=30, deadline=None)
@given(histories())
def test_the_spend_of_each_source_is_what_it_alone_would_spend_where_it_is_worst(spans):
    """Each minute is charged to one source: the one with the worst status (earliest first)."""
    objective = Objective(99.9, partial_outage=0.5, degraded_performance=0.25)
    got = {s.source_id: s.minutes for s in slo.measure("api", objective, spans, NOW).spends}
    cost = slo.weights(objective)
    expected: dict[str, float] = {}
    ordered = sorted(spans, key=lambda s: (s[0], s[3]))
    for minute in range(0, MONTH, 1):
        at = _START + timedelta(minutes=minute)
        covering = [s for s in ordered if s[0] <= at < s[1]]
        if not covering:
            continue
        worst = max(covering, key=lambda s: s[2].rank)
        if cost[worst[2]]:
            expected[worst[3]] = expected.get(worst[3], 0) + cost[worst[2]]
    assert got == pytest.approx(expected)


# --- whole histories: incidents with updates, and maintenance windows ------------------------

_DECLARED = ["operational", "degraded_performance", "partial_outage", "major_outage"]
_DEFAULT = {"none": None, "minor": 1, "major": 2, "critical": 3}  # index into _DECLARED


def _at(minute: int):
    return _START + timedelta(minutes=minute)


@hs.composite
def site_histories(draw):
    """Incidents on `api` (an impact, status updates, resolved or still open) and maintenance
    windows, all on whole minutes; returns the corpus and, per incident, its plan."""
    plans, incidents = [], []
    for n in range(draw(hs.integers(0, 5))):
        start = draw(hs.integers(-300, MONTH - 10))
        impact = draw(hs.sampled_from(list(_DEFAULT)))
        steps = sorted(draw(hs.lists(hs.integers(0, 2000), min_size=1, max_size=3)))
        statuses = [draw(hs.sampled_from(_DECLARED)) for _ in steps]
        resolved = draw(hs.one_of(hs.none(), hs.integers(steps[-1] + 1, steps[-1] + 600)))
        changes = [(start + s, status) for s, status in zip(steps, statuses, strict=True)]
        end = None if resolved is None else start + resolved
        if any(m >= MONTH for m, _ in changes) or (end is not None and end >= MONTH):
            continue  # every update is posted by `now`
        updates = [
            upd(_at(m).isoformat()[:16], components={"api": status}) for m, status in changes
        ]
        if end is not None:
            updates.append(upd(_at(end).isoformat()[:16], "resolved"))
        incidents.append(incident(f"i{n}", updates, impact=impact, components=["api"]))
        plans.append((start, impact, changes, end))
    windows, spans = [], []
    for n in range(draw(hs.integers(0, 2))):
        first = draw(hs.integers(-100, MONTH - 10))
        last = first + draw(hs.integers(1, 600))
        windows.append(window(f"m{n}", _at(first).isoformat()[:16], _at(last).isoformat()[:16]))
        spans.append((first, last))
    return corpus(incidents, windows), plans, spans


def _segments(impact: str, changes, end):
    """The minutes [a, b) in each status one incident declares for `api`, straight from its
    plan: from its first update (the impact's default until one sets a status) to its
    resolution, or to `now` while it is open."""
    first = changes[0][0]
    points = [(first, _DECLARED[_DEFAULT[impact] or 0]), *changes]
    stop = MONTH if end is None else end
    for (a, status), (b, _) in zip(points, [*points[1:], (stop, None)], strict=True):
        yield a, b, CS(status)


@settings(max_examples=40, deadline=None)
@given(site_histories(), objectives)
def test_whole_histories_agree_with_a_minute_by_minute_reading_of_the_files(history, objective):
    site, plans, maintenance = history
    site = replace(site, components=(replace(site.components[0], slo=objective),))
    got = slo.compute(site, NOW)["api"]
    # The worst status of each minute of the window, marked minute by minute.
    worst = [CS.OPERATIONAL] * MONTH
    marks = [seg for _, impact, changes, end in plans for seg in _segments(impact, changes, end)]
    marks += [(a, b, CS.UNDER_MAINTENANCE) for a, b in maintenance]
    for a, b, status in marks:
        for minute in range(max(a, 0), min(b, MONTH)):
            if status.rank > worst[minute].rank:
                worst[minute] = status
    cost = slo.weights(objective)
    counted = [cost[status] for status in worst if cost[status] is not None]
    assert got.counted_minutes == pytest.approx(len(counted))
    assert got.spent_minutes == pytest.approx(sum(counted))
