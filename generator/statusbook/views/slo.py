"""Service level objectives and error budgets, computed from the incident history at build time.

Definitions (docs/guide.md, "Service level objectives", says the same for readers):

- The window is rolling: the `30d` or `90d` before `now`, to the second, not calendar days.
- At each moment the component has its worst declared status, from every incident and
  maintenance window that names it: overlapping incidents are counted once, and the incident
  whose status is the worst is the one charged (the earliest of them on a tie).
- A minute of major outage spends a whole minute of the error budget; partial outage and
  degraded performance spend the objective's `partial_outage` and `degraded_performance`
  shares of one (defaults 0.3 and 0).
- Maintenance is excluded by default: a minute under maintenance with nothing worse declared
  leaves the window (it is neither up nor down). With `maintenance: counted` it is down.
- Availability = 1 - spent / counted minutes; budget = (1 - target) x counted minutes;
  remaining = budget - spent (negative once the objective is missed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model import ComponentStatus, Corpus, Objective
from .status import maintenance_interval
from .uptime import Interval, incident_intervals

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Spend:
    """The budget one incident (or counted maintenance window) spent, in minutes."""

    source_id: str
    minutes: float


@dataclass(frozen=True)
class Report:
    """One component's objective over its window at `now`."""

    component_id: str
    objective: Objective
    window_start: datetime
    window_end: datetime
    counted_minutes: float  # the window less excluded maintenance
    spent_minutes: float
    spends: tuple[Spend, ...]  # most spent first
    burn: tuple[float, ...]  # spent by the end of each day of the window, cumulative

    @property
    def budget_minutes(self) -> float:
        return (1 - self.objective.target / 100) * self.counted_minutes

    @property
    def remaining_minutes(self) -> float:
        return self.budget_minutes - self.spent_minutes

    @property
    def availability(self) -> float:
        """Percent of the counted minutes the component was up (100 when none were counted)."""
        if self.counted_minutes <= 0:
            return 100.0
        return max(0.0, 100.0 * (1 - self.spent_minutes / self.counted_minutes))

    @property
    def met(self) -> bool:
        # Compared on minutes, not rounded percentages: 99.899...% must not read as met.
        return self.spent_minutes <= self.budget_minutes + 1e-9

    @property
    def remaining_share(self) -> float:
        """Remaining budget as a share of the budget (negative when overspent)."""
        budget = self.budget_minutes
        if budget <= 0:
            return 0.0 if self.spent_minutes > 0 else 1.0
        return self.remaining_minutes / budget


@dataclass(frozen=True)
class GroupReport:
    """The objectives of a group's members taken together: minutes add up, and the group
    meets its objectives when every member meets its own."""

    group_id: str
    members: tuple[Report, ...]

    @property
    def counted_minutes(self) -> float:
        return sum(r.counted_minutes for r in self.members)

    @property
    def spent_minutes(self) -> float:
        return sum(r.spent_minutes for r in self.members)

    @property
    def budget_minutes(self) -> float:
        return sum(r.budget_minutes for r in self.members)

    @property
    def remaining_minutes(self) -> float:
        return self.budget_minutes - self.spent_minutes

    @property
    def availability(self) -> float:
        counted = self.counted_minutes
        return 100.0 if counted <= 0 else max(0.0, 100.0 * (1 - self.spent_minutes / counted))

    @property
    def met_count(self) -> int:
        return sum(1 for r in self.members if r.met)

    @property
    def met(self) -> bool:
        return self.met_count == len(self.members)

    @property
    def burn(self) -> tuple[float, ...]:
        """The members' burns added day by day when they share a window, else empty (days of
        a 30-day and a 90-day window do not line up)."""
        if len({r.objective.window for r in self.members}) != 1:
            return ()
        return tuple(map(sum, zip(*(r.burn for r in self.members), strict=True)))

    @property
    def spends(self) -> tuple[Spend, ...]:
        total: dict[str, float] = defaultdict(float)
        for report in self.members:
            for spend in report.spends:
                total[spend.source_id] += spend.minutes
        return _ranked(total)


def weights(objective: Objective) -> dict[ComponentStatus, float | None]:
    """Budget spent per minute in each status; None: the minute leaves the window."""
    return {
        ComponentStatus.OPERATIONAL: 0.0,
        ComponentStatus.UNDER_MAINTENANCE: 1.0 if objective.count_maintenance else None,
        ComponentStatus.DEGRADED_PERFORMANCE: objective.degraded_performance,
        ComponentStatus.PARTIAL_OUTAGE: objective.partial_outage,
        ComponentStatus.MAJOR_OUTAGE: 1.0,
    }


def measure(
    component_id: str, objective: Objective, spans: list[Interval], now: datetime
) -> Report:
    """One component's report from the status intervals declared for it (any order, any
    overlap); the part of each interval inside the window counts."""
    days = objective.window.days
    start = now - days * _DAY
    cost = weights(objective)
    inside = [s for s in spans if s[0] < now and s[1] > start and s[1] > s[0]]
    # Elementary segments: between any two consecutive edges nothing changes. Day ends are
    # edges too, so each segment falls in one day of the burn.
    day_ends = [start + k * _DAY for k in range(1, days + 1)]
    edges = sorted(
        {
            start,
            now,
            *day_ends,
            *(max(s[0], start) for s in inside),
            *(min(s[1], now) for s in inside),
        }
    )
    # Spans join the sweep in start order, so on a tie for the worst status the earliest is
    # charged (max keeps the first of equals).
    inside.sort(key=lambda s: (s[0], s[3]))
    excluded = 0.0
    spent: dict[str, float] = defaultdict(float)
    per_day = [0.0] * days
    active: list[Interval] = []
    joined = 0
    for a, b in zip(edges, edges[1:], strict=False):
        while joined < len(inside) and inside[joined][0] <= a:
            active.append(inside[joined])
            joined += 1
        active = [s for s in active if s[1] > a]  # edges hold every end: it covers [a, b)
        if not active:
            continue
        worst = max(active, key=lambda s: s[2].rank)
        weight = cost[worst[2]]
        minutes = (b - a).total_seconds() / 60
        if weight is None:
            excluded += minutes
        elif weight > 0:
            spent[worst[3]] += weight * minutes
            per_day[min(int((a - start) / _DAY), days - 1)] += weight * minutes
    burn = []
    running = 0.0
    for day in per_day:
        running += day
        burn.append(running)
    return Report(
        component_id=component_id,
        objective=objective,
        window_start=start,
        window_end=now,
        counted_minutes=days * 24 * 60 - excluded,
        spent_minutes=float(sum(spent.values())),
        spends=_ranked(spent),
        burn=tuple(burn),
    )


def _ranked(spent: dict[str, float]) -> tuple[Spend, ...]:
    return tuple(
        Spend(source, minutes)
        for source, minutes in sorted(spent.items(), key=lambda kv: (-kv[1], kv[0]))
        if minutes > 0
    )


def compute(corpus: Corpus, now: datetime) -> dict[str, Report]:
    """The report of every component that declares an objective, by component id."""
    objectives = {c.id: c.slo for c in corpus.components if c.slo is not None}
    if not objectives:
        return {}
    earliest = now - max(o.window.days for o in objectives.values()) * _DAY
    spans: dict[str, list[Interval]] = defaultdict(list)
    for incident in corpus.incidents:
        if not objectives.keys() & set(incident.components):
            continue
        ended = incident.updates[-1].status == "resolved" and incident.updates[-1].at <= now
        if ended and incident.updates[-1].at < earliest:
            continue  # over before any window opened: cheap skip for long histories
        for cid, found in incident_intervals(incident, now).items():
            if cid in objectives:
                spans[cid].extend(found)
    for window in corpus.maintenance:
        worked = maintenance_interval(window, now)
        if worked is None or worked[1] <= earliest:
            continue
        for cid in window.components:
            if cid in objectives:
                spans[cid].append(
                    (worked[0], worked[1], ComponentStatus.UNDER_MAINTENANCE, window.id)
                )
    return {
        cid: measure(cid, objective, spans.get(cid, []), now)
        for cid, objective in objectives.items()
    }


def groups(corpus: Corpus, reports: dict[str, Report]) -> dict[str, GroupReport]:
    """Per group with at least one member that declares an objective."""
    out = {}
    for group in corpus.groups:
        members = tuple(reports[c] for c in group.component_ids if c in reports)
        if members:
            out[group.id] = GroupReport(group.id, members)
    return out
