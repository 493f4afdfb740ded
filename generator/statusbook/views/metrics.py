"""Response metrics and incident counts, computed at build time from the incident lifecycle.

Four metrics, each measured from the declared `started` time:

    ttd  time to detect       detected     - started
    tta  time to acknowledge  acknowledged - started
    ttm  time to mitigate     mitigated    - started
    ttr  time to resolve      resolved     - started

Rules (all of them pure functions of the corpus, `now` and the site's timezone):

- Only incidents posted at `now` count (first update at or before `now`), as everywhere else.
- A metric needs both of its times declared in the incident's front matter (`started:` and the
  end time). Nothing is guessed: `Incident.started` falls back to the first update for display,
  but the first update comes after detection, so measuring from it would shorten every metric
  (often below zero). An incident without a declared `started` is therefore excluded from all
  four metrics, with the reason. A time declared later than `now` does not exist yet at `now`
  and counts as missing.
- TTR counts resolved incidents only (latest posted update `resolved`); an active incident is
  excluded from TTR with the reason "not resolved yet" (and counts for the other metrics when
  it has their times).
- Excluded incidents are never dropped silently: every Stat lists them, by id, with the reason.
- Median and 90th percentile use linear interpolation between closest ranks (the default of
  NumPy and R's type 7; the median is the usual one, the mean of the two middle values for an
  even count), computed exactly and rounded half up to the second. With one value both are
  that value; with none both are None.
- Groups: by severity (internal builds) or by impact (public builds, which carry no severity),
  and by quarter ("2026-Q3") of the incident's start in the site's timezone. An incident lands
  in the quarter and month its history page shows it under (`Incident.started`, which falls
  back to the first update), so an incident excluded for want of `started` still appears,
  excluded, in its quarter.
- Counts per month and per component per month (month of `Incident.started` in the site's
  timezone, as on the history pages) include every posted incident; they need no lifecycle.
  Months and quarters run without gaps from the first incident's to `now`'s.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from fractions import Fraction

from ..content.schema import DEFAULT_SEVERITIES
from ..model import Corpus, Impact, Incident, IncidentStatus
from .status import incident_status

METRICS = ("ttd", "tta", "ttm", "ttr")
#: The lifecycle time each metric ends at (all start at `started`).
END = {"ttd": "detected", "tta": "acknowledged", "ttm": "mitigated", "ttr": "resolved"}
LABELS = {
    "ttd": "Time to detect",
    "tta": "Time to acknowledge",
    "ttm": "Time to mitigate",
    "ttr": "Time to resolve",
}
GROUP_BY = ("severity", "impact")
#: Impacts, most severe first (as severities are declared).
IMPACT_ORDER = tuple(i.value for i in sorted(Impact, key=lambda i: -i.rank))
#: The group of incidents that declare no severity.
NO_SEVERITY = ""
NOT_RESOLVED = "not resolved yet"


@dataclass(frozen=True)
class Excluded:
    """An incident left out of one metric, and why."""

    incident_id: str
    reason: str  # "no started time", "no started or detected time", "not resolved yet", ...
    missing: tuple[str, ...] = ()  # the lifecycle times missing at `now`, in lifecycle order


@dataclass(frozen=True)
class Stat:
    """One metric over one group of incidents."""

    metric: str  # ttd | tta | ttm | ttr
    n: int  # incidents measured
    median: timedelta | None
    p90: timedelta | None
    excluded: tuple[Excluded, ...] = ()  # by incident id

    @property
    def label(self) -> str:
        return LABELS[self.metric]


@dataclass(frozen=True)
class GroupStats:
    """The four metrics over one group: a severity, an impact, a quarter, or everything."""

    key: str  # "SEV2", "major", "2026-Q3", "" (no severity), "all"
    label: (
        str  # for tables: "SEV2", "Major", "No impact", "2026 Q3", "No severity", "All incidents"
    )
    incident_ids: tuple[str, ...]  # every posted incident in the group, by id
    ttd: Stat
    tta: Stat
    ttm: Stat
    ttr: Stat

    @property
    def count(self) -> int:
        return len(self.incident_ids)

    def stat(self, metric: str) -> Stat:
        if metric not in METRICS:
            raise KeyError(metric)
        found: Stat = getattr(self, metric)
        return found

    @property
    def stats(self) -> tuple[Stat, Stat, Stat, Stat]:
        return (self.ttd, self.tta, self.ttm, self.ttr)


@dataclass(frozen=True)
class ComponentCounts:
    """Incidents affecting one component, per month (aligned with Metrics.months)."""

    component_id: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Metrics:
    group_by: str  # severity | impact
    overall: GroupStats  # every posted incident
    groups: tuple[GroupStats, ...]  # by severity or impact, most severe first
    quarters: tuple[GroupStats, ...]  # oldest first, no gaps, up to now's quarter
    months: tuple[str, ...]  # "2026-03", oldest first, no gaps, up to now's month
    per_month: tuple[int, ...]  # incidents per month, aligned with months
    per_component: tuple[ComponentCounts, ...]  # the corpus's component order

    def group(self, key: str) -> GroupStats:
        for g in self.groups:
            if g.key == key:
                return g
        raise KeyError(key)

    def quarter(self, key: str) -> GroupStats:
        for q in self.quarters:
            if q.key == key:
                return q
        raise KeyError(key)


# --- computing ---------------------------------------------------------------------------------

#: Per metric: the duration, or why the incident is excluded.
Measured = dict[str, timedelta | Excluded]


def compute(
    corpus: Corpus,
    now: datetime,
    tz: tzinfo,
    group_by: str,
    order: Sequence[str] | None = None,
) -> Metrics:
    """Metrics of the incidents posted at `now`, grouped by `group_by` and by quarter.

    `order` lists the groups, most severe first (the site's `severities` for "severity"; the
    impacts for "impact" by default). Every listed group appears, even with no incident; values
    outside it follow in alphabetical order, and incidents with no severity come last.
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}, not {group_by!r}")
    posted = sorted((i for i in corpus.incidents if i.updates[0].at <= now), key=lambda i: i.id)
    measured = {i.id: _measure(i, now) for i in posted}

    def stats(key: str, label: str, members: Sequence[Incident]) -> GroupStats:
        return _group(key, label, members, measured)

    overall = stats("all", "All incidents", posted)
    if order is None:
        order = DEFAULT_SEVERITIES if group_by == "severity" else IMPACT_ORDER
    by_value: dict[str, list[Incident]] = defaultdict(list)
    for incident in posted:
        by_value[_group_value(incident, group_by)].append(incident)
    keys = list(dict.fromkeys(order))
    keys += sorted(k for k in by_value if k not in keys and k != NO_SEVERITY)
    if NO_SEVERITY in by_value and NO_SEVERITY not in keys:
        keys.append(NO_SEVERITY)
    groups = tuple(stats(k, _group_label(k, group_by), by_value.get(k, [])) for k in keys)

    by_quarter: dict[str, list[Incident]] = defaultdict(list)
    by_month: Counter[str] = Counter()
    by_component: dict[str, Counter[str]] = defaultdict(Counter)
    for incident in posted:
        local = incident.started.astimezone(tz)
        by_quarter[quarter_key(local)].append(incident)
        month = f"{local.year:04d}-{local.month:02d}"
        by_month[month] += 1
        for cid in dict.fromkeys(incident.components):
            by_component[cid][month] += 1
    quarters: tuple[GroupStats, ...] = ()
    months: tuple[str, ...] = ()
    if posted:
        first = min(i.started for i in posted).astimezone(tz)
        last = max(now.astimezone(tz), max(i.started for i in posted).astimezone(tz))
        quarters = tuple(
            stats(q, quarter_label(q), by_quarter.get(q, [])) for q in _quarter_range(first, last)
        )
        months = tuple(_month_range(first, last))
    component_ids = [c.id for c in corpus.components]
    component_ids += sorted(set(by_component) - set(component_ids))
    return Metrics(
        group_by=group_by,
        overall=overall,
        groups=groups,
        quarters=quarters,
        months=months,
        per_month=tuple(by_month[m] for m in months),
        per_component=tuple(
            ComponentCounts(cid, tuple(by_component[cid][m] for m in months))
            for cid in component_ids
        ),
    )


def _measure(incident: Incident, now: datetime) -> Measured:
    """Each metric's duration for one incident, or why it is excluded."""
    declared = {name: at for name, at in incident.lifecycle if at <= now}
    resolved = incident_status(incident, now) is IncidentStatus.RESOLVED
    out: Measured = {}
    for metric in METRICS:
        end = END[metric]
        if metric == "ttr" and not resolved:
            out[metric] = Excluded(incident.id, NOT_RESOLVED)
            continue
        missing = tuple(name for name in ("started", end) if name not in declared)
        if missing:
            out[metric] = Excluded(incident.id, f"no {' or '.join(missing)} time", missing)
        else:
            out[metric] = declared[end] - declared["started"]
    return out


def _group(
    key: str, label: str, members: Sequence[Incident], measured: dict[str, Measured]
) -> GroupStats:
    ids = tuple(sorted(i.id for i in members))
    per_metric = []
    for metric in METRICS:
        values = []
        excluded = []
        for iid in ids:
            result = measured[iid][metric]
            if isinstance(result, Excluded):
                excluded.append(result)
            else:
                values.append(result)
        values.sort()
        per_metric.append(
            Stat(
                metric=metric,
                n=len(values),
                median=percentile(values, 50),
                p90=percentile(values, 90),
                excluded=tuple(excluded),
            )
        )
    return GroupStats(key, label, ids, *per_metric)


def _group_value(incident: Incident, group_by: str) -> str:
    if group_by == "severity":
        return incident.severity or NO_SEVERITY
    return incident.impact.value


def _group_label(key: str, group_by: str) -> str:
    if group_by == "impact":
        return "No impact" if key == Impact.NONE.value else key.capitalize()
    return key or "No severity"


def percentile(values: Iterable[timedelta], percent: int) -> timedelta | None:
    """The `percent`th percentile (0-100), linear interpolation between closest ranks (type 7),
    exact, rounded half up to the second; None for no values."""
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    xs = sorted(v // timedelta(microseconds=1) for v in values)
    if not xs:
        return None
    position = Fraction((len(xs) - 1) * percent, 100)
    low = math.floor(position)
    high = min(low + 1, len(xs) - 1)
    value = xs[low] + (xs[high] - xs[low]) * (position - low)  # microseconds, exact
    return timedelta(seconds=math.floor(value / 1_000_000 + Fraction(1, 2)))


# --- calendar ----------------------------------------------------------------------------------


def quarter_key(local: datetime) -> str:
    """'2026-Q3' for a time already in the site's timezone."""
    return f"{local.year:04d}-Q{(local.month - 1) // 3 + 1}"


def quarter_label(key: str) -> str:
    """'2026-Q3' -> '2026 Q3'."""
    return key.replace("-", " ")


def _quarter_range(first: datetime, last: datetime) -> list[str]:
    out = []
    year, q = first.year, (first.month - 1) // 3
    while (year, q) <= (last.year, (last.month - 1) // 3):
        out.append(f"{year:04d}-Q{q + 1}")
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)
    return out


def _month_range(first: datetime, last: datetime) -> list[str]:
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# --- formatting --------------------------------------------------------------------------------


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


def format_duration(value: timedelta | None) -> str:
    """'45 s', '4 min', '1 h', '1 h 12 min', '2 d', '2 d 3 h'; '—' for None.

    Two units at most: under a minute in seconds, under a day to the minute, from a day on to
    the hour, rounded half up ('1 h 59 min 40 s' reads '2 h').
    """
    if value is None:
        return "—"
    if value < timedelta(0):
        return "-" + format_duration(-value)
    seconds = _half_up(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = _half_up(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h" if not minutes else f"{hours} h {minutes} min"
    days, hours = divmod(_half_up(seconds / 3600), 24)
    return f"{days} d" if not hours else f"{days} d {hours} h"


def duration_iso(value: timedelta) -> str:
    """An HTML/ISO 8601 duration for <time datetime=...>: 'PT4M', 'PT1H12M', 'P2DT3H', 'PT0S'."""
    seconds = _half_up(abs(value.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    out = "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")
    return out if out != "P" else "PT0S"


def in_hours(value: timedelta | None) -> float | None:
    """A duration in hours (for charts), or None."""
    return None if value is None else value / timedelta(hours=1)


def in_minutes(value: timedelta | None) -> float | None:
    """A duration in minutes (for charts), or None."""
    return None if value is None else value / timedelta(minutes=1)
