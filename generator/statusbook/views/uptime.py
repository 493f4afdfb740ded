"""Uptime per component and per day, computed from incident history at build time.

Counting rule (Statuspage's convention): a minute of major_outage is a minute down, a minute of
partial_outage counts as `partial_weight` (default 0.3) of a minute down, degraded_performance
and under_maintenance count as up. Overlapping incidents never count twice: at each moment the
component has its worst status. Days are calendar days in the site's timezone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from ..model import ComponentStatus, Corpus, Incident
from .status import maintenance_interval, status_changes, updates_until

DOWN_WEIGHT = {
    ComponentStatus.OPERATIONAL: 0.0,
    ComponentStatus.UNDER_MAINTENANCE: 0.0,
    ComponentStatus.DEGRADED_PERFORMANCE: 0.0,
    ComponentStatus.PARTIAL_OUTAGE: 0.3,
    ComponentStatus.MAJOR_OUTAGE: 1.0,
}


@dataclass(frozen=True)
class Day:
    """One bar of the strip."""

    day: date
    worst: ComponentStatus
    down_seconds: float  # weighted
    incident_ids: tuple[str, ...]
    in_future: bool = False


@dataclass(frozen=True)
class Uptime:
    component_id: str
    days: tuple[Day, ...]  # oldest first
    percent: float  # over the window up to `now`

    @property
    def percent_text(self) -> str:
        """Rounded down: 99.996% is shown as 99.99%, never as 100% when there was downtime."""
        return f"{math.floor(self.percent * 100) / 100:.2f}%"


Interval = tuple[datetime, datetime, ComponentStatus, str]  # start, end, status, source id


def incident_intervals(incident: Incident, now: datetime) -> dict[str, list[Interval]]:
    """Per component, the stretches of each status this incident declared, up to `now`."""
    posted = updates_until(incident.updates, now)
    if not posted:
        return {}
    end_of_incident = now
    if posted[-1].status == "resolved":
        end_of_incident = posted[-1].at
    changes = [c for c in status_changes(incident) if c[0] <= now]
    by_component: dict[str, list[tuple[datetime, ComponentStatus]]] = defaultdict(list)
    for at, cid, status in sorted(changes, key=lambda c: c[0]):
        by_component[cid].append((at, status))
    out: dict[str, list[Interval]] = {}
    for cid, points in by_component.items():
        spans: list[Interval] = []
        for (at, status), nxt in zip(points, [*points[1:], None], strict=True):
            stop = nxt[0] if nxt else end_of_incident
            if stop > at and status is not ComponentStatus.OPERATIONAL:
                spans.append((at, stop, status, incident.id))
        out[cid] = spans
    return out


def compute(
    corpus: Corpus,
    now: datetime,
    tz: tzinfo,
    days: int = 90,
    partial_weight: float = 0.3,
) -> dict[str, Uptime]:
    """Uptime of every component over the last `days` calendar days (today included)."""
    weights = {**DOWN_WEIGHT, ComponentStatus.PARTIAL_OUTAGE: partial_weight}
    today = now.astimezone(tz).date()
    first_day = today - timedelta(days=days - 1)
    window_start = datetime.combine(first_day, time(0), tz)
    intervals: dict[str, list[Interval]] = defaultdict(list)
    for incident in corpus.incidents:
        if incident.updates[-1].at < window_start and incident.started < window_start:
            if incident.updates[-1].status == "resolved":
                continue  # ended before the window: cheap skip for long histories
        for cid, spans in incident_intervals(incident, now).items():
            intervals[cid].extend(s for s in spans if s[1] > window_start)
    for window in corpus.maintenance:
        span = maintenance_interval(window, now)
        if span and span[1] > window_start:
            for cid in window.components:
                intervals[cid].append(
                    (span[0], span[1], ComponentStatus.UNDER_MAINTENANCE, window.id)
                )
    result = {}
    for component in corpus.components:
        result[component.id] = _component_uptime(
            component.id, intervals.get(component.id, []), first_day, today, now, tz, weights
        )
    return result


def _component_uptime(
    cid: str,
    spans: list[Interval],
    first_day: date,
    today: date,
    now: datetime,
    tz: tzinfo,
    weights: dict[ComponentStatus, float],
) -> Uptime:
    bars = []
    total_down = 0.0
    total_seconds = 0.0
    day = first_day
    while day <= today:
        start = datetime.combine(day, time(0), tz)
        end = min(datetime.combine(day + timedelta(days=1), time(0), tz), now)
        todays = [s for s in spans if s[0] < end and s[1] > start] if end > start else []
        worst, down = _sweep(todays, start, end, weights)
        ids = tuple(sorted({s[3] for s in todays}))
        bars.append(Day(day, worst, down, ids, in_future=end <= start))
        total_down += down
        total_seconds += max((end - start).total_seconds(), 0)
        day += timedelta(days=1)
    percent = 100.0 * (1 - total_down / total_seconds) if total_seconds else 100.0
    return Uptime(cid, tuple(bars), max(percent, 0.0))


def _sweep(
    spans: list[Interval], start: datetime, end: datetime, weights: dict[ComponentStatus, float]
) -> tuple[ComponentStatus, float]:
    """Worst status within [start, end) and weighted seconds down, worst status at each moment."""
    if not spans:
        return ComponentStatus.OPERATIONAL, 0.0
    points = sorted(
        {start, end, *(max(s[0], start) for s in spans), *(min(s[1], end) for s in spans)}
    )
    worst = ComponentStatus.OPERATIONAL
    down = 0.0
    for a, b in zip(points, points[1:], strict=False):
        covering = [s[2] for s in spans if s[0] <= a and s[1] >= b]
        if not covering:
            continue
        status = max(covering, key=lambda st: st.rank)
        if status.rank > worst.rank:
            worst = status
        down += weights[status] * (b - a).total_seconds()
    return worst, down
