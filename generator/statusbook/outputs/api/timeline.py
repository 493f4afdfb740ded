"""Each entry's timeline as the API publishes it: its posted updates and, for maintenance, the
transitions the clock made, each with an id that webhooks can de-duplicate on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ...model import Incident, Maintenance, MaintenanceStatus, Update
from ...views import status as st
from .serialise import sp_id, sp_time

RUNNING = (MaintenanceStatus.IN_PROGRESS.value, MaintenanceStatus.VERIFYING.value)
ENDED = (MaintenanceStatus.COMPLETED.value, MaintenanceStatus.CANCELLED.value)

#: Bodies of the updates Statuspage's auto-transition would post when the clock moves a window.
AUTO_START_MESSAGE = "The scheduled maintenance window has started."
AUTO_END_MESSAGE = "The scheduled maintenance window has ended."


@dataclass(frozen=True)
class Entry:
    """One update as published: a posted update, or a clock transition of a maintenance window.

    `id` is derived from the entry's incident id and time (plus an ordinal for updates posted in
    the same second), so it survives edits to other updates and can key webhook de-duplication.
    """

    update: Update
    id: str
    synthetic: bool = False


def incident_entries(incident: Incident, now: datetime) -> list[Entry]:
    """The incident's posted updates, oldest first."""
    return _keyed(incident.id, st.updates_until(incident.updates, now))


def maintenance_entries(window: Maintenance, now: datetime) -> list[Entry]:
    """Posted updates plus the transitions the clock made, as Statuspage's auto-transition would.

    Statusbook starts and ends a window by the clock when no update says otherwise; Statuspage
    posts an update when that happens. Publishing one keeps `status` and the latest update in
    agreement for clients that read either.
    """
    posted = st.updates_until(window.updates, now)
    entries = _keyed(window.id, posted)
    if window.start <= now:
        latest = [u.status for u in posted if u.at <= window.start][-1:]
        started_by_clock = (
            st.maintenance_state(window, window.start) is MaintenanceStatus.IN_PROGRESS
        )
        if started_by_clock and not (latest and latest[0] in RUNNING):
            update = Update(window.start, MaintenanceStatus.IN_PROGRESS.value, AUTO_START_MESSAGE)
            entries.append(
                Entry(update, sp_id("update", f"{window.id}|{sp_time(window.start)}|auto"), True)
            )
    if window.end <= now:
        latest = [u.status for u in posted if u.at <= window.end][-1:]
        ended_by_clock = st.maintenance_state(window, window.end) is MaintenanceStatus.COMPLETED
        if ended_by_clock and not (latest and latest[0] in ENDED):
            update = Update(window.end, MaintenanceStatus.COMPLETED.value, AUTO_END_MESSAGE)
            entries.append(
                Entry(update, sp_id("update", f"{window.id}|{sp_time(window.end)}|auto"), True)
            )
    return sorted(entries, key=lambda e: (e.update.at, e.synthetic))


def _keyed(owner_id: str, updates: Iterable[Update]) -> list[Entry]:
    entries = []
    seen: dict[datetime, int] = {}
    for update in updates:
        ordinal = seen.get(update.at, 0)
        seen[update.at] = ordinal + 1
        key = f"{owner_id}|{sp_time(update.at)}|{ordinal}"
        entries.append(Entry(update, sp_id("update", key)))
    return entries
