"""Ordering and grouping over time: history months, recent days, an incident's timeline."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, tzinfo

from .model import Corpus, Incident, Maintenance, Update

Month = tuple[int, int]  # (year, month)


def month_of(moment: datetime, tz: tzinfo) -> Month:
    local = moment.astimezone(tz)
    return (local.year, local.month)


def month_slug(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def by_month(
    corpus: Corpus, now: datetime, tz: tzinfo
) -> dict[Month, tuple[list[Incident], list[Maintenance]]]:
    """Incidents by the month they started, maintenance by the month of its window, newest first.

    Entries not yet posted at `now` are left out (an incident whose first update is later).
    """
    months: dict[Month, tuple[list[Incident], list[Maintenance]]] = defaultdict(lambda: ([], []))
    for incident in corpus.incidents:
        if incident.updates[0].at <= now:
            months[month_of(incident.started, tz)][0].append(incident)
    for window in corpus.maintenance:
        if window.start <= now:
            months[month_of(window.start, tz)][1].append(window)
    return dict(sorted(months.items(), reverse=True))


def recent_days(
    corpus: Corpus, now: datetime, tz: tzinfo, days: int
) -> list[tuple[date, list[Incident], list[Maintenance]]]:
    """The last `days` calendar days, newest first, each with what started that day."""
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    slots: dict[date, tuple[list[Incident], list[Maintenance]]] = {
        first + timedelta(days=n): ([], []) for n in range(days)
    }
    for incident in corpus.incidents:
        day = incident.started.astimezone(tz).date()
        if day in slots and incident.updates[0].at <= now:
            slots[day][0].append(incident)
    for window in corpus.maintenance:
        day = window.start.astimezone(tz).date()
        if day in slots and window.start <= now:
            slots[day][1].append(window)
    return [(day, *slots[day]) for day in sorted(slots, reverse=True)]


def recent_entries(
    corpus: Corpus, now: datetime, tz: tzinfo, days: int
) -> list[Incident | Maintenance]:
    """What went on in the last `days` calendar days (today included), newest start first:
    the history page's recent past, which crosses month boundaries (early in a month the
    month alone is nearly empty). An incident counts when it started, was updated or is
    still open in those days; a window when it started or ended in them. Only what is
    posted at `now`, as by_month."""
    first = now.astimezone(tz).date() - timedelta(days=days - 1)

    def recent(moment: datetime) -> bool:
        return moment.astimezone(tz).date() >= first

    found: list[tuple[datetime, str, Incident | Maintenance]] = []
    for incident in corpus.incidents:
        posted = [u for u in incident.updates if u.at <= now]
        if posted and (
            recent(incident.started) or recent(posted[-1].at) or posted[-1].status != "resolved"
        ):
            found.append((incident.started, incident.id, incident))
    for window in corpus.maintenance:
        if window.start <= now and (recent(window.start) or recent(min(window.end, now))):
            found.append((window.start, window.id, window))
    found.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    return [entry for _, _, entry in found]


def newest_first(updates: tuple[Update, ...]) -> list[Update]:
    """Readers want the latest news on top; file order is oldest first."""
    return list(reversed(updates))
