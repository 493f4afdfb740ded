"""A static, Statuspage-compatible JSON API (`api/v2/...`) and Statusbook's own richer JSON.

Many tools already read Atlassian Statuspage's public v2 API (dashboards, chat bots, Prometheus
exporters), so we publish the same files with the same field names, enums and nesting; a
static site cannot answer queries, so every endpoint is a file computed at build time for
`view.now`. Statuspage fields that have no meaning here are constants (docs/api.md lists them).

Only `view.corpus` is read: it has already been filtered for visibility. Internal-only fields
(severity, roles, notes, lifecycle times other than start and resolution) are never written.

Output is deterministic: ids are hashes of our ids, times come from content (never the clock,
only `now`), key order is fixed by construction and json.dumps' options are fixed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, timezone
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from ..model import (
    STATUS_FOR_IMPACT,
    Component,
    ComponentStatus,
    Corpus,
    Group,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Postmortem,
    Update,
)
from ..views import status as st
from ..views.site import Settings, SiteView
from . import slo_api
from .schemas import strict_object

JsonObj = dict[str, Any]

V2 = "api/v2/"
OWN = "api/statusbook/v1/"
MAX_LIST = 50  # Statuspage's incidents.json and scheduled-maintenances.json hold the 50 newest

_EPSILON = timedelta(microseconds=1)
_RUNNING = (MaintenanceStatus.IN_PROGRESS.value, MaintenanceStatus.VERIFYING.value)
_ENDED = (MaintenanceStatus.COMPLETED.value, MaintenanceStatus.CANCELLED.value)
_RESOLVED = IncidentStatus.RESOLVED.value

#: Statuspage has no "cancelled" maintenance: a cancelled window is reported as completed.
SP_MAINTENANCE_STATUS = {
    MaintenanceStatus.SCHEDULED: "scheduled",
    MaintenanceStatus.IN_PROGRESS: "in_progress",
    MaintenanceStatus.VERIFYING: "verifying",
    MaintenanceStatus.COMPLETED: "completed",
    MaintenanceStatus.CANCELLED: "completed",
}

#: Bodies of the updates Statuspage's auto-transition would post when the clock moves a window.
AUTO_START_MESSAGE = "The scheduled maintenance window has started."
AUTO_END_MESSAGE = "The scheduled maintenance window has ended."


# --- primitives --------------------------------------------------------------------------------


def sp_id(kind: str, key: str) -> str:
    """A 12-character Statuspage-style id, stable for as long as our id does not change.

    Derived from the kind and our own id only (not the site's address), so moving the site to
    another domain keeps every id.
    """
    digest = hashlib.sha256(f"statusbook:{kind}:{key}".encode()).digest()
    return base64.b32hexencode(digest).decode("ascii")[:12].lower()


def sp_time(moment: datetime | None) -> str | None:
    """Statuspage's format for a UTC page: milliseconds and a 'Z'."""
    if moment is None:
        return None
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def dumps(document: Any, *, pretty: bool = False) -> bytes:
    """The one serialisation every API file uses, so builds are byte-identical."""
    if pretty:
        text = json.dumps(document, ensure_ascii=False, indent=2, separators=(",", ": "))
    else:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def _worse(a: ComponentStatus, b: ComponentStatus) -> ComponentStatus:
    return a if a.rank >= b.rank else b


# --- timelines ---------------------------------------------------------------------------------


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
        if started_by_clock and not (latest and latest[0] in _RUNNING):
            update = Update(window.start, MaintenanceStatus.IN_PROGRESS.value, AUTO_START_MESSAGE)
            entries.append(
                Entry(update, sp_id("update", f"{window.id}|{sp_time(window.start)}|auto"), True)
            )
    if window.end <= now:
        latest = [u.status for u in posted if u.at <= window.end][-1:]
        ended_by_clock = st.maintenance_state(window, window.end) is MaintenanceStatus.COMPLETED
        if ended_by_clock and not (latest and latest[0] in _ENDED):
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


# --- the shared context ------------------------------------------------------------------------


def _first_moments(corpus: Corpus, now: datetime) -> list[datetime]:
    """Each entry's first recorded moment up to `now`: the epoch is the earliest of them."""
    moments = []
    for incident in corpus.incidents:
        posted = st.updates_until(incident.updates, now)
        if posted:
            moments.extend((posted[0].at, incident.started))
    for window in corpus.maintenance:
        posted = st.updates_until(window.updates, now)
        if posted:
            moments.append(posted[0].at)
        if window.start <= now:
            moments.append(window.start)
    return moments


class Context:
    """One public corpus at one moment, with what every serialiser needs, computed once.

    The page build makes one from its SiteView; webhooks make one per moment they describe.
    """

    def __init__(
        self,
        corpus: Corpus,
        now: datetime,
        settings: Settings,
        *,
        statuses: dict[str, ComponentStatus] | None = None,
        overall: st.Overall | None = None,
    ) -> None:
        self.corpus = corpus
        self.now = now
        self.settings = settings
        self.tz = ZoneInfo(settings.timezone)
        self.statuses = (
            statuses if statuses is not None else st.current_component_statuses(corpus, now)
        )
        self.overall = overall if overall is not None else st.overall(corpus, now)
        self.page_id = sp_id("page", settings.site_url or settings.site_name)
        self.base = settings.site_url or "/"
        self.components = {c.id: c for c in corpus.components}
        self.groups = {g.id: g for g in corpus.groups}
        self.postmortems: dict[str, list[Postmortem]] = {}
        for pm in corpus.postmortems:
            for iid in pm.incident_ids:
                self.postmortems.setdefault(iid, []).append(pm)
        self._changes: dict[str, datetime | None] = {}
        self._recent: dict[datetime, tuple[Corpus, list[datetime]]] = {}

    @classmethod
    def of(cls, view: SiteView) -> Context:
        return cls(
            view.corpus, view.now, view.settings, statuses=view.statuses, overall=view.overall
        )

    # -- facts derived from the whole corpus

    @cached_property
    def positions(self) -> dict[str, int]:
        """Statuspage numbers top-level entries (groups, then loose components) and, separately,
        each group's members, from 1, in the order of components.yml."""
        out: dict[str, int] = {}
        for n, group in enumerate(self.corpus.groups, 1):
            out[f"group:{group.id}"] = n
            for m, cid in enumerate(group.component_ids, 1):
                out[cid] = m
        loose = [c for c in self.corpus.components if not c.group_id]
        for n, component in enumerate(loose, len(self.corpus.groups) + 1):
            out[component.id] = n
        return out

    @cached_property
    def epoch(self) -> datetime:
        """The first moment the content records: components have existed at least since then."""
        return min(_first_moments(self.corpus, self.now), default=self.now)

    def at(self, moment: datetime, since: datetime) -> Context:
        """This corpus at an earlier `moment` (at or after `since`), for many such moments.

        A Context of its own would read the whole corpus for each moment (statuses, epoch);
        this one reads only the incidents that can still be active after `since`, and shares
        what does not depend on the moment (each component's incidents and windows).
        """
        if since not in self._recent:
            live = [
                i
                for i in self.corpus.incidents
                if i.updates
                and not (i.updates[-1].status == _RESOLVED and i.updates[-1].at < since)
            ]
            recent = replace(self.corpus, incidents=tuple(live))
            self._recent[since] = (recent, _first_moments(self.corpus, since))
        recent, earlier = self._recent[since]
        ctx = Context(
            self.corpus,
            moment,
            self.settings,
            statuses=st.current_component_statuses(recent, moment),
            overall=st.overall(recent, moment),
        )
        # What happened up to `since` is the same at every later moment.
        ctx.__dict__["epoch"] = min([*earlier, *_first_moments(recent, moment)], default=moment)
        ctx.__dict__["_by_component"] = self._by_component
        return ctx

    @cached_property
    def _by_component(self) -> dict[str, tuple[list[Incident], list[Maintenance]]]:
        index: dict[str, tuple[list[Incident], list[Maintenance]]] = {
            c.id: ([], []) for c in self.corpus.components
        }
        for incident in self.corpus.incidents:
            for cid in incident.components:
                if cid in index:
                    index[cid][0].append(incident)
        for window in self.corpus.maintenance:
            for cid in window.components:
                if cid in index:
                    index[cid][1].append(window)
        return index

    def status_at(self, cid: str, moment: datetime) -> ComponentStatus:
        """The component's status at any moment (views/status.py's rule, for one component)."""
        incidents, windows = self._by_component[cid]
        result = ComponentStatus.OPERATIONAL
        for window in windows:
            if st.is_under_maintenance(window, moment):
                result = _worse(result, ComponentStatus.UNDER_MAINTENANCE)
        for incident in incidents:
            first, last = incident.updates[0], incident.updates[-1]
            if moment < first.at or (last.status == _RESOLVED and last.at <= moment):
                continue  # cheap test first: long histories are mostly resolved incidents
            if st.is_active(incident, moment):
                declared = st.component_statuses(incident, moment).get(cid)
                if declared is not None:
                    result = _worse(result, declared)
        return result

    def last_change(self, cid: str) -> datetime | None:
        """When the component last changed status, up to `now` (None: never)."""
        if cid not in self._changes:
            incidents, windows = self._by_component[cid]
            moments = {u.at for i in incidents for u in i.updates}
            for window in windows:
                moments.update((window.start, window.end, *(u.at for u in window.updates)))
            found = None
            for moment in sorted((m for m in moments if m <= self.now), reverse=True):
                if self.status_at(cid, moment) != self.status_at(cid, moment - _EPSILON):
                    found = moment
                    break
            self._changes[cid] = found
        return self._changes[cid]

    def component_updated(self, cid: str) -> datetime:
        return self.last_change(cid) or self.epoch

    @cached_property
    def page_updated(self) -> datetime:
        """The latest published update of anything, so the value moves only when content does."""
        moments = [self.epoch]
        for incident in self.corpus.incidents:
            posted = st.updates_until(incident.updates, self.now)
            if posted:
                moments.append(posted[-1].at)
        for window in self.corpus.maintenance:
            entries = maintenance_entries(window, self.now)
            if entries:
                moments.append(entries[-1].update.at)
        return max(moments)

    def display_name(self, cid: str) -> str:
        """Statuspage names a grouped component 'Group - Component' in affected_components."""
        component = self.components[cid]
        group = self.groups.get(component.group_id)
        return f"{group.name} - {component.name}" if group else component.name


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
        worst = _worse(worst, ctx.statuses[cid])
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
            ComponentStatus.UNDER_MAINTENANCE if status in _RUNNING else ComponentStatus.OPERATIONAL
        )
        affected = [_affected(ctx, cid, before, after) for cid in window.components]
        sp_status = SP_MAINTENANCE_STATUS[MaintenanceStatus(status)]
        updates.append(_update_object(ctx, own_id, entry, sp_status, affected))
        ended_at = entry.update.at if status in _ENDED else None
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


# --- Statusbook's own JSON ---------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _own_update(update: Update) -> JsonObj:
    return {
        "at": _iso(update.at),
        "status": update.status,
        "message": update.message,
        "components": {cid: s.value for cid, s in update.components},
        "next_update": _iso(update.next_update),
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
        "started_at": _iso(incident.started),
        "resolved_at": _iso(resolved),
        "duration_seconds": int(st.duration(incident, now).total_seconds()),
        "first_update_at": _iso(posted[0].at),
        "last_update_at": _iso(posted[-1].at),
        "next_update_due": _iso(posted[-1].next_update if active else None),
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
        "start": _iso(window.start),
        "end": _iso(window.end),
        "worked": {"start": _iso(worked[0]), "end": _iso(worked[1])} if worked else None,
        "components": list(window.components),
        "body": window.body,
        "updates": [_own_update(u) for u in st.updates_until(window.updates, ctx.now)],
    }


def statusbook_document(view: SiteView, ctx: Context | None = None) -> JsonObj:
    """Everything public the model knows, in our own shape (schema: api/statusbook/v1/)."""
    ctx = ctx or Context.of(view)
    now = ctx.now
    settings = view.settings
    today = now.astimezone(ctx.tz).date()
    first_day = today - timedelta(days=settings.uptime_days - 1)
    window_start = datetime.combine(first_day, time(0), ctx.tz)
    maintenance_ids = {m.id for m in ctx.corpus.maintenance}
    incidents = [
        i
        for i in posted_incidents(ctx)
        if st.is_active(i, now)
        or i.started >= window_start
        or (st.resolved_at(i, now) or now) >= window_start
    ]
    windows = [
        m
        for m in ctx.corpus.maintenance
        if m.end >= window_start
        or st.maintenance_state(m, now)
        not in (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)
    ]
    components = []
    for component in ctx.corpus.components:
        uptime = view.uptime[component.id]
        components.append(
            {
                "id": component.id,
                "statuspage_id": sp_id("component", component.id),
                "name": component.name,
                "description": component.description,
                "link": component.link,
                "group_id": component.group_id or None,
                "status": ctx.statuses[component.id].value,
                "url": f"{ctx.base}components/{component.id}/",
                "uptime": {
                    "percent": math.floor(uptime.percent * 100) / 100,
                    "days": [
                        {
                            "date": day.day.isoformat(),
                            "worst_status": day.worst.value,
                            "down_seconds": round(day.down_seconds, 3),
                            "incident_ids": [
                                x for x in day.incident_ids if x not in maintenance_ids
                            ],
                            "maintenance_ids": [
                                x for x in day.incident_ids if x in maintenance_ids
                            ],
                            "in_future": day.in_future,
                        }
                        for day in uptime.days
                    ],
                },
            }
        )
    return {
        "schema": f"{ctx.base}{OWN}schema.json",
        "version": 1,
        "generated_at": _iso(now),
        "page": {
            "id": ctx.page_id,
            "name": settings.site_name,
            "url": ctx.base,
            "description": settings.site_description,
            "time_zone": settings.timezone,
        },
        "status": status_object(ctx),
        "uptime_window": {
            "days": settings.uptime_days,
            "first_day": first_day.isoformat(),
            "last_day": today.isoformat(),
            "partial_outage_weight": settings.partial_weight,
        },
        "groups": [
            {
                "id": group.id,
                "statuspage_id": sp_id("group", group.id),
                "name": group.name,
                "description": group.description,
                "status": group_object(ctx, group)["status"],
                "components": list(group.component_ids),
            }
            for group in ctx.corpus.groups
        ],
        "components": components,
        "objectives": slo_api.document(ctx.corpus, view.objectives),
        "incidents": [_own_incident(ctx, i) for i in incidents],
        "maintenance": [_own_maintenance(ctx, m) for m in windows],
        "postmortems": [
            {
                "id": pm.id,
                "title": pm.title,
                "url": f"{ctx.base}postmortems/{pm.id}/",
                "date": pm.date.isoformat() if pm.date else None,
                "summary": pm.summary,
                "tags": list(pm.tags),
                "incident_ids": list(pm.incident_ids),
            }
            for pm in ctx.corpus.postmortems
        ],
    }


def _nullable(kind: str, **extra: Any) -> JsonObj:
    return {"type": [kind, "null"], **extra}


_TIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
}
_DAY = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_SP_ID = {"type": "string", "pattern": "^[0-9a-z]{12}$"}
_COMPONENT_STATUS = {"enum": [s.value for s in ComponentStatus]}


_UPDATE = strict_object(
    {
        "at": {"$ref": "#/$defs/time"},
        "status": {"type": "string"},
        "message": {"type": "string"},
        "components": {"type": "object", "additionalProperties": _COMPONENT_STATUS},
        "next_update": _nullable("string", format="date-time"),
    }
)

#: The JSON Schema of api/statusbook/v1/status.json. Bump the version (a new folder) on any
#: change that could break a reader; adding an optional field is not one.
SCHEMA: JsonObj = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Statusbook status API, version 1",
    "description": "Everything a Statusbook site publishes about its status, as one document.",
    "$defs": {"time": _TIME, "day": _DAY, "id": _ID, "statuspage_id": _SP_ID, "update": _UPDATE},
    **strict_object(
        {
            "schema": {"type": "string"},
            "version": {"const": 1},
            "generated_at": {"$ref": "#/$defs/time"},
            "page": strict_object(
                {
                    "id": {"$ref": "#/$defs/statuspage_id"},
                    "name": {"type": "string"},
                    "url": {"type": "string"},
                    "description": {"type": "string"},
                    "time_zone": {"type": "string"},
                }
            ),
            "status": strict_object(
                {
                    "indicator": {"enum": ["none", "minor", "major", "critical", "maintenance"]},
                    "description": {"type": "string"},
                }
            ),
            "uptime_window": strict_object(
                {
                    "days": {"type": "integer", "minimum": 1},
                    "first_day": {"$ref": "#/$defs/day"},
                    "last_day": {"$ref": "#/$defs/day"},
                    "partial_outage_weight": {"type": "number", "minimum": 0, "maximum": 1},
                }
            ),
            "groups": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "statuspage_id": {"$ref": "#/$defs/statuspage_id"},
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "status": _COMPONENT_STATUS,
                        "components": {"type": "array", "items": {"$ref": "#/$defs/id"}},
                    }
                ),
            },
            "components": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "statuspage_id": {"$ref": "#/$defs/statuspage_id"},
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "link": {"type": "string"},
                        "group_id": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "null"}]},
                        "status": _COMPONENT_STATUS,
                        "url": {"type": "string"},
                        "uptime": strict_object(
                            {
                                "percent": {"type": "number", "minimum": 0, "maximum": 100},
                                "days": {
                                    "type": "array",
                                    "items": strict_object(
                                        {
                                            "date": {"$ref": "#/$defs/day"},
                                            "worst_status": _COMPONENT_STATUS,
                                            "down_seconds": {"type": "number", "minimum": 0},
                                            "incident_ids": {
                                                "type": "array",
                                                "items": {"$ref": "#/$defs/id"},
                                            },
                                            "maintenance_ids": {
                                                "type": "array",
                                                "items": {"$ref": "#/$defs/id"},
                                            },
                                            "in_future": {"type": "boolean"},
                                        }
                                    ),
                                },
                            }
                        ),
                    }
                ),
            },
            "objectives": slo_api.SCHEMA,
            "incidents": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "statuspage_id": {"$ref": "#/$defs/statuspage_id"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "impact": {"enum": ["none", "minor", "major", "critical"]},
                        "status": {"enum": [s.value for s in IncidentStatus]},
                        "active": {"type": "boolean"},
                        "started_at": {"$ref": "#/$defs/time"},
                        "resolved_at": _nullable("string", format="date-time"),
                        "duration_seconds": {"type": "integer", "minimum": 0},
                        "first_update_at": {"$ref": "#/$defs/time"},
                        "last_update_at": {"$ref": "#/$defs/time"},
                        "next_update_due": _nullable("string", format="date-time"),
                        "update_overdue": {"type": "boolean"},
                        "components": {"type": "array", "items": {"$ref": "#/$defs/id"}},
                        "component_statuses": {
                            "type": "object",
                            "additionalProperties": _COMPONENT_STATUS,
                        },
                        "body": {"type": "string"},
                        "updates": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"$ref": "#/$defs/update"},
                        },
                        "postmortems": {
                            "type": "array",
                            "items": strict_object(
                                {"id": {"$ref": "#/$defs/id"}, "url": {"type": "string"}}
                            ),
                        },
                    }
                ),
            },
            "maintenance": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "statuspage_id": {"$ref": "#/$defs/statuspage_id"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "state": {"enum": [s.value for s in MaintenanceStatus]},
                        "start": {"$ref": "#/$defs/time"},
                        "end": {"$ref": "#/$defs/time"},
                        "worked": {
                            "anyOf": [
                                {"type": "null"},
                                strict_object(
                                    {
                                        "start": {"$ref": "#/$defs/time"},
                                        "end": {"$ref": "#/$defs/time"},
                                    }
                                ),
                            ]
                        },
                        "components": {"type": "array", "items": {"$ref": "#/$defs/id"}},
                        "body": {"type": "string"},
                        "updates": {"type": "array", "items": {"$ref": "#/$defs/update"}},
                    }
                ),
            },
            "postmortems": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "date": {"anyOf": [{"$ref": "#/$defs/day"}, {"type": "null"}]},
                        "summary": {"type": "string"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "incident_ids": {"type": "array", "items": {"$ref": "#/$defs/id"}},
                    }
                ),
            },
        }
    ),
}


# --- the generator -----------------------------------------------------------------------------


def files(view: SiteView) -> dict[str, bytes]:
    """Every API file, by path relative to the site root."""
    ctx = Context.of(view)
    out = {path: dumps(doc) for path, doc in statuspage_documents(ctx).items()}
    out[f"{OWN}status.json"] = dumps(statusbook_document(view, ctx))
    out[f"{OWN}schema.json"] = dumps(SCHEMA, pretty=True)
    return out
