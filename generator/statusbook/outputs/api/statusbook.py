"""Statusbook's own document (api/statusbook/v1/status.json): everything public the model knows,
in our own shape, for readers that want more than Statuspage's fields (uptime days, objectives,
postmortems, when the next update is due). Its schema is in schema.py."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from ...model import Component, Group, Incident, Maintenance, MaintenanceStatus, Postmortem, Update
from ...views import status as st
from ...views.site import Settings, SiteView
from ...views.uptime import Day, Uptime
from . import objectives
from .context import Context
from .serialise import OWN, JsonObj, iso, sp_id
from .statuspage import group_object, posted_incidents, status_object


def _own_update(update: Update) -> JsonObj:
    return {
        "at": iso(update.at),
        "status": update.status,
        "message": update.message,
        "components": {cid: s.value for cid, s in update.components},
        "next_update": iso(update.next_update),
    }


def _own_incident(ctx: Context, incident: Incident) -> JsonObj:
    now = ctx.now
    posted = st.updates_until(incident.updates, now)
    active = st.is_active(incident, now)
    resolved = st.resolved_at(incident, now)
    return {
        "id": incident.id,
        "statuspage_id": sp_id("incident", incident.id),
        "title": incident.title,
        "url": f"{ctx.base}incidents/{incident.id}/",
        "impact": incident.impact.value,
        "status": posted[-1].status,
        "active": active,
        "started_at": iso(incident.started),
        "resolved_at": iso(resolved),
        "duration_seconds": int(st.duration(incident, now).total_seconds()),
        "first_update_at": iso(posted[0].at),
        "last_update_at": iso(posted[-1].at),
        "next_update_due": iso(posted[-1].next_update if active else None),
        "update_overdue": st.overdue_update(incident, now) is not None,
        "components": list(incident.components),
        "component_statuses": (
            {cid: s.value for cid, s in st.component_statuses(incident, now).items()}
            if active
            else {}
        ),
        "body": incident.body,
        "updates": [_own_update(u) for u in posted],
        "postmortems": [
            {"id": pm.id, "url": f"{ctx.base}postmortems/{pm.id}/"}
            for pm in ctx.postmortems.get(incident.id, [])
        ],
    }


def _own_maintenance(ctx: Context, window: Maintenance) -> JsonObj:
    worked = st.maintenance_interval(window, ctx.now)
    return {
        "id": window.id,
        "statuspage_id": sp_id("incident", window.id),
        "title": window.title,
        "url": f"{ctx.base}maintenance/{window.id}/",
        "state": st.maintenance_state(window, ctx.now).value,
        "start": iso(window.start),
        "end": iso(window.end),
        "worked": {"start": iso(worked[0]), "end": iso(worked[1])} if worked else None,
        "components": list(window.components),
        "body": window.body,
        "updates": [_own_update(u) for u in st.updates_until(window.updates, ctx.now)],
    }


def _uptime_window(ctx: Context, days: int) -> tuple[date, date, datetime]:
    """The strip's last day (today in the site's zone), its first day, and when that began."""
    today = ctx.now.astimezone(ctx.tz).date()
    first_day = today - timedelta(days=days - 1)
    return today, first_day, datetime.combine(first_day, time(0), ctx.tz)


def _incidents_shown(ctx: Context, window_start: datetime) -> list[Incident]:
    """Posted incidents that are active or touch the uptime window."""
    now = ctx.now
    return [
        i
        for i in posted_incidents(ctx)
        if st.is_active(i, now)
        or i.started >= window_start
        or (st.resolved_at(i, now) or now) >= window_start
    ]


def _maintenance_shown(ctx: Context, window_start: datetime) -> list[Maintenance]:
    """Maintenance that ends inside the uptime window, or is not over yet."""
    return [
        m
        for m in ctx.corpus.maintenance
        if m.end >= window_start
        or st.maintenance_state(m, ctx.now)
        not in (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)
    ]


def _own_day(day: Day, maintenance_ids: set[str]) -> JsonObj:
    """One day of a strip; uptime counts incidents and windows together, the API splits them."""
    return {
        "date": day.day.isoformat(),
        "worst_status": day.worst.value,
        "down_seconds": round(day.down_seconds, 3),
        "incident_ids": [x for x in day.incident_ids if x not in maintenance_ids],
        "maintenance_ids": [x for x in day.incident_ids if x in maintenance_ids],
        "in_future": day.in_future,
    }


def _own_component(
    ctx: Context, component: Component, uptime: Uptime, maintenance_ids: set[str]
) -> JsonObj:
    return {
        "id": component.id,
        "statuspage_id": sp_id("component", component.id),
        "name": component.name,
        "description": component.description,
        "link": component.link,
        "group_id": component.group_id or None,
        "status": ctx.statuses[component.id].value,
        "url": f"{ctx.base}components/{component.id}/",
        "uptime": {
            # Rounded down, so 99.999% never shows as 100%.
            "percent": math.floor(uptime.percent * 100) / 100,
            "days": [_own_day(day, maintenance_ids) for day in uptime.days],
        },
    }


def _own_group(ctx: Context, group: Group) -> JsonObj:
    return {
        "id": group.id,
        "statuspage_id": sp_id("group", group.id),
        "name": group.name,
        "description": group.description,
        "status": group_object(ctx, group)["status"],
        "components": list(group.component_ids),
    }


def _own_postmortem(ctx: Context, pm: Postmortem) -> JsonObj:
    return {
        "id": pm.id,
        "title": pm.title,
        "url": f"{ctx.base}postmortems/{pm.id}/",
        "date": pm.date.isoformat() if pm.date else None,
        "summary": pm.summary,
        "tags": list(pm.tags),
        "incident_ids": list(pm.incident_ids),
    }


def _own_page(ctx: Context, settings: Settings) -> JsonObj:
    return {
        "id": ctx.page_id,
        "name": settings.site_name,
        "url": ctx.base,
        "description": settings.site_description,
        "time_zone": settings.timezone,
    }


def statusbook_document(view: SiteView, ctx: Context | None = None) -> JsonObj:
    """Everything public the model knows, in our own shape (schema: api/statusbook/v1/)."""
    ctx = ctx or Context.of(view)
    settings = view.settings
    today, first_day, window_start = _uptime_window(ctx, settings.uptime_days)
    maintenance_ids = {m.id for m in ctx.corpus.maintenance}
    return {
        "schema": f"{ctx.base}{OWN}schema.json",
        "version": 1,
        "generated_at": iso(ctx.now),
        "page": _own_page(ctx, settings),
        "status": status_object(ctx),
        "uptime_window": {
            "days": settings.uptime_days,
            "first_day": first_day.isoformat(),
            "last_day": today.isoformat(),
            "partial_outage_weight": settings.partial_weight,
        },
        "groups": [_own_group(ctx, group) for group in ctx.corpus.groups],
        "components": [
            _own_component(ctx, c, view.uptime[c.id], maintenance_ids)
            for c in ctx.corpus.components
        ],
        "objectives": objectives.document(ctx.corpus, view.objectives),
        "incidents": [_own_incident(ctx, i) for i in _incidents_shown(ctx, window_start)],
        "maintenance": [_own_maintenance(ctx, m) for m in _maintenance_shown(ctx, window_start)],
        "postmortems": [_own_postmortem(ctx, pm) for pm in ctx.corpus.postmortems],
    }
