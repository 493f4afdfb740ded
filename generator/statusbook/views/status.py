"""Current state as of a given `now`: incidents, maintenance windows, components, the banner.

Everything here is a pure function of the model and `now`, so `--now` can replay any moment and
tests can pin one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model import (
    STATUS_FOR_IMPACT,
    ComponentStatus,
    Corpus,
    Impact,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Update,
)


def updates_until(updates: Sequence[Update], now: datetime) -> tuple[Update, ...]:
    """The updates already posted at `now` (content may hold updates written ahead).
    Updates are oldest first (content/validate.py rejects any other order), so when the last
    is posted all are: the common case, without a loop (called for every incident, often
    several times, by every build and `serve` rebuild)."""
    if updates and updates[-1].at <= now:
        return tuple(updates)
    return tuple(u for u in updates if u.at <= now)


# --- incidents ---------------------------------------------------------------------------------


def incident_status(incident: Incident, now: datetime) -> IncidentStatus | None:
    """The latest posted status, or None when the incident has not been posted yet."""
    posted = updates_until(incident.updates, now)
    return IncidentStatus(posted[-1].status) if posted else None


def is_active(incident: Incident, now: datetime) -> bool:
    status = incident_status(incident, now)
    return status is not None and status is not IncidentStatus.RESOLVED


def resolved_at(incident: Incident, now: datetime) -> datetime | None:
    """When the incident was resolved (its declared time, else the final update)."""
    posted = updates_until(incident.updates, now)
    if not posted or posted[-1].status != IncidentStatus.RESOLVED.value:
        return None
    declared = incident.timestamp("resolved")
    return declared if declared and declared <= now else posted[-1].at


def duration(incident: Incident, now: datetime) -> timedelta:
    """Start to resolution, or start to `now` while active."""
    end = resolved_at(incident, now) or now
    return max(end - incident.started, timedelta(0))


def component_statuses(incident: Incident, now: datetime) -> dict[str, ComponentStatus]:
    """Each affected component's status from this incident at `now` (latest declared wins)."""
    posted = updates_until(incident.updates, now)
    statuses = {cid: STATUS_FOR_IMPACT[incident.impact] for cid in incident.components}
    for update in posted:
        for cid, status in update.components:
            statuses[cid] = status
    return statuses


def status_changes(incident: Incident) -> list[tuple[datetime, str, ComponentStatus]]:
    """Every (time, component, status) the incident declares, starting from the impact default."""
    start = min(incident.started, incident.updates[0].at)
    changes = [(start, cid, STATUS_FOR_IMPACT[incident.impact]) for cid in incident.components]
    for update in incident.updates:
        changes.extend((update.at, cid, status) for cid, status in update.components)
    return changes


# --- maintenance -------------------------------------------------------------------------------


def maintenance_state(window: Maintenance, now: datetime) -> MaintenanceStatus:
    """The window's state at `now`: the clock decides, unless a posted update overrides it."""
    posted = updates_until(window.updates, now)
    latest = MaintenanceStatus(posted[-1].status) if posted else None
    if latest in (MaintenanceStatus.CANCELLED, MaintenanceStatus.COMPLETED):
        return latest
    running = (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)
    if latest in running:
        assert latest is not None
        # Started early, or still going: an update posted after the end keeps it open.
        if now < window.end or posted[-1].at >= window.end:
            return latest
        return MaintenanceStatus.COMPLETED
    if now < window.start:
        return MaintenanceStatus.SCHEDULED
    if now < window.end:
        return MaintenanceStatus.IN_PROGRESS
    return MaintenanceStatus.COMPLETED


def maintenance_interval(window: Maintenance, now: datetime) -> tuple[datetime, datetime] | None:
    """When the work actually ran (up to `now`), from the window and its updates."""
    if maintenance_state(window, now) is MaintenanceStatus.CANCELLED:
        return None
    posted = updates_until(window.updates, now)
    running = {MaintenanceStatus.IN_PROGRESS.value, MaintenanceStatus.VERIFYING.value}
    early = [u.at for u in posted if u.status in running and u.at < window.start]
    start = min([window.start, *early])
    if start > now:
        return None
    completed = [u.at for u in posted if u.status == MaintenanceStatus.COMPLETED.value]
    overrun = [u.at for u in posted if u.status in running and u.at >= window.end]
    if completed:
        end = completed[-1]
    elif overrun:
        end = now
    else:
        end = window.end
    end = min(end, now)
    return (start, end) if end > start else None


def is_under_maintenance(window: Maintenance, now: datetime) -> bool:
    return maintenance_state(window, now) in (
        MaintenanceStatus.IN_PROGRESS,
        MaintenanceStatus.VERIFYING,
    )


def is_upcoming(window: Maintenance, now: datetime) -> bool:
    return maintenance_state(window, now) is MaintenanceStatus.SCHEDULED


# --- rollup ------------------------------------------------------------------------------------


def current_component_statuses(corpus: Corpus, now: datetime) -> dict[str, ComponentStatus]:
    """Worst status per component among active incidents and running maintenance."""
    current = {c.id: ComponentStatus.OPERATIONAL for c in corpus.components}
    for window in corpus.maintenance:
        if is_under_maintenance(window, now):
            for cid in window.components:
                current[cid] = _worse(current[cid], ComponentStatus.UNDER_MAINTENANCE)
    for incident in corpus.incidents:
        if not is_active(incident, now):
            continue
        for cid, status in component_statuses(incident, now).items():
            current[cid] = _worse(current[cid], status)
    return current


def _worse(a: ComponentStatus, b: ComponentStatus) -> ComponentStatus:
    return a if a.rank >= b.rank else b


@dataclass(frozen=True)
class Overall:
    """The banner: Statuspage's indicator and its description."""

    indicator: str  # none | minor | major | critical | maintenance
    description: str


_DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major Service Outage",
    "maintenance": "Service Under Maintenance",
}
_INDICATOR_FOR_STATUS = {
    ComponentStatus.OPERATIONAL: Impact.NONE,
    ComponentStatus.UNDER_MAINTENANCE: Impact.NONE,
    ComponentStatus.DEGRADED_PERFORMANCE: Impact.MINOR,
    ComponentStatus.PARTIAL_OUTAGE: Impact.MAJOR,
    ComponentStatus.MAJOR_OUTAGE: Impact.CRITICAL,
}


def overall(corpus: Corpus, now: datetime) -> Overall:
    """Worst of the active incidents' impact and the components' statuses."""
    worst = Impact.NONE
    for incident in corpus.incidents:
        if is_active(incident, now) and incident.impact.rank > worst.rank:
            worst = incident.impact
    statuses = current_component_statuses(corpus, now)
    for status in statuses.values():
        candidate = _INDICATOR_FOR_STATUS[status]
        if candidate.rank > worst.rank:
            worst = candidate
    if worst is Impact.NONE and ComponentStatus.UNDER_MAINTENANCE in statuses.values():
        return Overall("maintenance", _DESCRIPTIONS["maintenance"])
    return Overall(worst.value, _DESCRIPTIONS[worst.value])


def active_incidents(corpus: Corpus, now: datetime) -> list[Incident]:
    return [i for i in corpus.incidents if is_active(i, now)]


def overdue_update(incident: Incident, now: datetime) -> datetime | None:
    """The promised next-update time when it has passed without a newer update."""
    posted = updates_until(incident.updates, now)
    if not posted or not is_active(incident, now):
        return None
    promise = posted[-1].next_update
    return promise if promise is not None and promise < now else None
