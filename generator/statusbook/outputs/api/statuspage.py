"""The Statuspage-compatible documents (`api/v2/...`), as Atlassian Statuspage publishes them.

Many tools already read Statuspage's public v2 API (dashboards, chat bots, Prometheus
exporters), so we publish the same files with the same field names, enums and nesting; a
static site cannot answer queries, so every endpoint is a file computed at build time for
`now`. Statuspage fields that have no meaning here are constants (docs/api.md lists them).
Internal-only fields (severity, roles, notes, lifecycle times other than start and resolution)
are never written.
"""

from __future__ import annotations

from ...model import (
    STATUS_FOR_IMPACT,
    Component,
    ComponentStatus,
    Group,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
)
from ...views import status as st
from .context import Context, worse
from .serialise import V2, JsonObj, sp_id, sp_time
from .timeline import ENDED, RUNNING, Entry, incident_entries, maintenance_entries

MAX_LIST = 50  # Statuspage's incidents.json and scheduled-maintenances.json hold the 50 newest

#: Statuspage has no "cancelled" maintenance: a cancelled window is reported as completed.
SP_MAINTENANCE_STATUS = {
    MaintenanceStatus.SCHEDULED: "scheduled",
    MaintenanceStatus.IN_PROGRESS: "in_progress",
    MaintenanceStatus.VERIFYING: "verifying",
    MaintenanceStatus.COMPLETED: "completed",
    MaintenanceStatus.CANCELLED: "completed",
}


# --- Statuspage objects ------------------------------------------------------------------------


def page_object(ctx: Context) -> JsonObj:
    url = ctx.settings.site_url.rstrip("/") if ctx.settings.site_url else "/"
    return {
        "id": ctx.page_id,
        "name": ctx.settings.site_name,
        "url": url,
        "time_zone": ctx.settings.timezone,
        "updated_at": sp_time(ctx.page_updated),
    }


def status_object(ctx: Context) -> JsonObj:
    return {"indicator": ctx.overall.indicator, "description": ctx.overall.description}


def component_object(ctx: Context, component: Component) -> JsonObj:
    group_id = sp_id("group", component.group_id) if component.group_id else None
    return {
        "id": sp_id("component", component.id),
        "name": component.name,
        "status": ctx.statuses[component.id].value,
        "created_at": sp_time(ctx.epoch),
        "updated_at": sp_time(ctx.component_updated(component.id)),
        "position": ctx.positions[component.id],
        "description": component.description or None,
        "showcase": True,  # every component shows an uptime strip
        "start_date": ctx.epoch.astimezone(ctx.tz).date().isoformat(),
        "group_id": group_id,
        "page_id": ctx.page_id,
        "group": False,
        "only_show_if_degraded": False,
    }


def group_object(ctx: Context, group: Group) -> JsonObj:
    worst = ComponentStatus.OPERATIONAL
    for cid in group.component_ids:
        worst = worse(worst, ctx.statuses[cid])
    updated = max((ctx.component_updated(cid) for cid in group.component_ids), default=ctx.epoch)
    return {
        "id": sp_id("group", group.id),
        "name": group.name,
        "status": worst.value,
        "created_at": sp_time(ctx.epoch),
        "updated_at": sp_time(updated),
        "position": ctx.positions[f"group:{group.id}"],
        "description": group.description or None,
        "showcase": False,
        "start_date": None,
        "group_id": None,
        "page_id": ctx.page_id,
        "group": True,
        "only_show_if_degraded": False,
        "components": [sp_id("component", cid) for cid in group.component_ids],
    }


def component_list(ctx: Context) -> list[JsonObj]:
    """Display order: each group followed by its members, then components outside any group."""
    out = []
    for group in ctx.corpus.groups:
        out.append(group_object(ctx, group))
        out.extend(component_object(ctx, ctx.components[cid]) for cid in group.component_ids)
    out.extend(component_object(ctx, c) for c in ctx.corpus.components if not c.group_id)
    return out


def _affected(ctx: Context, cid: str, old: ComponentStatus, new: ComponentStatus) -> JsonObj:
    return {
        "code": sp_id("component", cid),
        "name": ctx.display_name(cid),
        "old_status": old.value,
        "new_status": new.value,
    }


def _update_object(
    ctx: Context, owner_sp_id: str, entry: Entry, status: str, affected: list[JsonObj]
) -> JsonObj:
    at = sp_time(entry.update.at)
    return {
        "id": entry.id,
        "status": status,
        "body": entry.update.message,
        "incident_id": owner_sp_id,
        "created_at": at,
        "updated_at": at,
        "display_at": at,
        "affected_components": affected,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def incident_status(ctx: Context, incident: Incident) -> str:
    """The latest posted status; 'postmortem' once resolved with a published postmortem."""
    status = st.incident_status(incident, ctx.now)
    assert status is not None, "only posted incidents are published"
    if status is IncidentStatus.RESOLVED and ctx.postmortems.get(incident.id):
        return "postmortem"
    return status.value


def incident_object(ctx: Context, incident: Incident) -> JsonObj:
    """A posted incident as Statuspage publishes it (updates newest first)."""
    entries = incident_entries(incident, ctx.now)
    own_id = sp_id("incident", incident.id)
    before = {cid: ComponentStatus.OPERATIONAL for cid in incident.components}
    declared = {cid: STATUS_FOR_IMPACT[incident.impact] for cid in incident.components}
    updates = []
    monitoring_at = None
    previous = None
    for entry in entries:
        update = entry.update
        declared.update(update.components)
        if update.status == IncidentStatus.RESOLVED.value:
            after = {cid: ComponentStatus.OPERATIONAL for cid in incident.components}
        else:
            after = dict(declared)
        affected = [_affected(ctx, cid, before[cid], after[cid]) for cid in incident.components]
        updates.append(_update_object(ctx, own_id, entry, update.status, affected))
        if update.status == IncidentStatus.MONITORING.value and previous != update.status:
            monitoring_at = update.at
        previous = update.status
        before = after
    updates.reverse()
    return {
        "id": own_id,
        "name": incident.title,
        "status": incident_status(ctx, incident),
        "created_at": sp_time(entries[0].update.at),
        "updated_at": sp_time(entries[-1].update.at),
        "monitoring_at": sp_time(monitoring_at),
        "resolved_at": sp_time(st.resolved_at(incident, ctx.now)),
        "impact": incident.impact.value,
        "shortlink": f"{ctx.base}incidents/{incident.id}/",
        "started_at": sp_time(incident.started),
        "page_id": ctx.page_id,
        "incident_updates": updates,
        "components": [component_object(ctx, ctx.components[cid]) for cid in incident.components],
    }


def maintenance_object(ctx: Context, window: Maintenance) -> JsonObj:
    """A maintenance window as Statuspage publishes a scheduled maintenance."""
    entries = maintenance_entries(window, ctx.now)
    own_id = sp_id("incident", window.id)  # Statuspage keeps maintenance among incidents
    state = st.maintenance_state(window, ctx.now)
    before = ComponentStatus.OPERATIONAL
    updates = []
    ended_at = None
    for entry in entries:
        status = entry.update.status
        after = (
            ComponentStatus.UNDER_MAINTENANCE if status in RUNNING else ComponentStatus.OPERATIONAL
        )
        affected = [_affected(ctx, cid, before, after) for cid in window.components]
        sp_status = SP_MAINTENANCE_STATUS[MaintenanceStatus(status)]
        updates.append(_update_object(ctx, own_id, entry, sp_status, affected))
        ended_at = entry.update.at if status in ENDED else None
        before = after
    updates.reverse()
    created = entries[0].update.at if entries and not entries[0].synthetic else window.start
    ended = state in (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)
    return {
        "id": own_id,
        "name": window.title,
        "status": SP_MAINTENANCE_STATUS[state],
        "created_at": sp_time(created),
        "updated_at": sp_time(entries[-1].update.at if entries else created),
        "monitoring_at": None,
        "resolved_at": sp_time(ended_at if ended else None),
        "impact": "maintenance",
        "shortlink": f"{ctx.base}maintenance/{window.id}/",
        "started_at": sp_time(created),
        "page_id": ctx.page_id,
        "incident_updates": updates,
        "components": [component_object(ctx, ctx.components[cid]) for cid in window.components],
        "scheduled_for": sp_time(window.start),
        "scheduled_until": sp_time(window.end),
    }


# --- Statuspage documents ----------------------------------------------------------------------


def posted_incidents(ctx: Context) -> list[Incident]:
    """Incidents with at least one update at `now`, newest first (content may be written ahead)."""
    return [i for i in ctx.corpus.incidents if st.updates_until(i.updates, ctx.now)]


def _windows(ctx: Context, *states: MaintenanceStatus) -> list[Maintenance]:
    return [m for m in ctx.corpus.maintenance if st.maintenance_state(m, ctx.now) in states]


def statuspage_documents(ctx: Context) -> dict[str, JsonObj]:
    """Every v2 endpoint, by path; each document is computed once and shared where reused."""
    page = page_object(ctx)
    status = status_object(ctx)
    components = component_list(ctx)
    incidents = posted_incidents(ctx)
    incident_objects = {i.id: incident_object(ctx, i) for i in incidents[:MAX_LIST]}
    unresolved = [i for i in incidents if st.is_active(i, ctx.now)]
    for incident in unresolved:
        incident_objects.setdefault(incident.id, incident_object(ctx, incident))
    windows = {m.id: maintenance_object(ctx, m) for m in ctx.corpus.maintenance}
    upcoming = _windows(ctx, MaintenanceStatus.SCHEDULED)
    active = _windows(ctx, MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)
    current_ids = {m.id for m in (*upcoming, *active)}
    current = [m for m in ctx.corpus.maintenance if m.id in current_ids]
    unresolved_objects = [incident_objects[i.id] for i in unresolved]
    return {
        f"{V2}summary.json": {
            "page": page,
            "components": components,
            "incidents": unresolved_objects,
            "scheduled_maintenances": [windows[m.id] for m in current],
            "status": status,
        },
        f"{V2}status.json": {"page": page, "status": status},
        f"{V2}components.json": {"page": page, "components": components},
        f"{V2}incidents.json": {
            "page": page,
            "incidents": [incident_objects[i.id] for i in incidents[:MAX_LIST]],
        },
        f"{V2}incidents/unresolved.json": {"page": page, "incidents": unresolved_objects},
        f"{V2}scheduled-maintenances.json": {
            "page": page,
            "scheduled_maintenances": [windows[m.id] for m in ctx.corpus.maintenance[:MAX_LIST]],
        },
        f"{V2}scheduled-maintenances/upcoming.json": {
            "page": page,
            "scheduled_maintenances": [windows[m.id] for m in upcoming],
        },
        f"{V2}scheduled-maintenances/active.json": {
            "page": page,
            "scheduled_maintenances": [windows[m.id] for m in active],
        },
    }
