"""The postmortem library as data: one row per postmortem, action items across all of them.

Pure functions over the (already visibility-filtered) corpus; pages and the JSON index that
the library's filters read are both made from these rows, so they always agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from ..model import ActionItem, ActionStatus, Corpus, Incident, Postmortem


@dataclass(frozen=True)
class Row:
    """A postmortem with what the library filters on."""

    postmortem: Postmortem
    incidents: tuple[Incident, ...]
    day: date  # published date, else the day its first incident started
    impacts: tuple[str, ...]
    severities: tuple[str, ...]  # empty in public builds
    components: tuple[str, ...]
    open_actions: int
    overdue_actions: int
    done_actions: int

    @property
    def year(self) -> int:
        return self.day.year

    @property
    def action_state(self) -> str:
        """'overdue', 'open', 'done' (all closed) or 'none' (no action items)."""
        if self.overdue_actions:
            return "overdue"
        if self.open_actions:
            return "open"
        return "done" if self.postmortem.action_items else "none"


def rows(corpus: Corpus, now: datetime, tz: tzinfo) -> list[Row]:
    """Newest first."""
    incidents = {i.id: i for i in corpus.incidents}
    today = now.astimezone(tz).date()
    out = []
    for pm in corpus.postmortems:
        covered = tuple(incidents[i] for i in pm.incident_ids if i in incidents)
        if pm.date:
            day = pm.date
        elif covered:
            day = min(i.started for i in covered).astimezone(tz).date()
        else:
            day = today
        items = pm.action_items
        out.append(
            Row(
                postmortem=pm,
                incidents=covered,
                day=day,
                impacts=tuple(sorted({i.impact.value for i in covered})),
                severities=tuple(sorted({i.severity for i in covered if i.severity})),
                components=tuple(sorted({c for i in covered for c in i.components})),
                open_actions=sum(1 for a in items if a.status.is_open),
                overdue_actions=sum(1 for a in items if is_overdue(a, today)),
                done_actions=sum(1 for a in items if a.status is ActionStatus.DONE),
            )
        )
    out.sort(key=lambda r: (r.day, r.postmortem.id), reverse=True)
    return out


def is_overdue(item: ActionItem, today: date) -> bool:
    return item.status.is_open and item.due < today


@dataclass(frozen=True)
class TrackedItem:
    item: ActionItem
    postmortem: Postmortem
    overdue_days: int  # 0 when not overdue


def open_items(corpus: Corpus, now: datetime, tz: tzinfo) -> list[TrackedItem]:
    """Every open or in-progress item: overdue first (most overdue on top), then by due date."""
    today = now.astimezone(tz).date()
    tracked = [
        TrackedItem(item, pm, max((today - item.due).days, 0))
        for pm in corpus.postmortems
        for item in pm.action_items
        if item.status.is_open
    ]
    return sorted(
        tracked,
        key=lambda t: (
            0 if t.overdue_days else 1,
            -t.overdue_days,
            t.item.due,
            t.item.priority,
            t.postmortem.id,
            t.item.description,
        ),
    )


@dataclass(frozen=True)
class QuarterRate:
    quarter: str  # "2026-Q3", by due date
    done: int
    counted: int  # all items due that quarter except won't-do

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.counted) if self.counted else None


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def completion_by_quarter(corpus: Corpus) -> list[QuarterRate]:
    """Share of items due in each quarter that are done; won't-do items are not counted."""
    done: dict[str, int] = defaultdict(int)
    counted: dict[str, int] = defaultdict(int)
    for pm in corpus.postmortems:
        for item in pm.action_items:
            if item.status is ActionStatus.WONT_DO:
                continue
            q = quarter_of(item.due)
            counted[q] += 1
            if item.status is ActionStatus.DONE:
                done[q] += 1
    return [QuarterRate(q, done[q], counted[q]) for q in sorted(counted, reverse=True)]


def lifecycle_rows(incident: Incident) -> list[tuple[datetime, str, str]]:
    """The incident's compiled timeline: lifecycle times and every posted update, in order."""
    events = [(at, name.capitalize(), "") for name, at in incident.lifecycle]
    events += [(u.at, u.status.capitalize(), first_sentence(u.message)) for u in incident.updates]
    order = {"Started": 0, "Detected": 1, "Acknowledged": 2, "Mitigated": 4, "Resolved": 5}
    return sorted(events, key=lambda e: (e[0], order.get(e[1], 3)))


def first_sentence(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    for stop in (". ", "! ", "? "):
        cut = flat.find(stop)
        if 0 < cut < limit:
            return flat[: cut + 1]
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def durations(incident: Incident) -> list[tuple[str, timedelta]]:
    """Time to detect / acknowledge / mitigate / resolve, from `started`, where recorded."""
    started = incident.timestamp("started")
    if started is None:
        return []
    names = {
        "detected": "Time to detect",
        "acknowledged": "Time to acknowledge",
        "mitigated": "Time to mitigate",
        "resolved": "Time to resolve",
    }
    out = []
    for key, label in names.items():
        moment = incident.timestamp(key)
        if moment is not None:
            out.append((label, moment - started))
    return out
