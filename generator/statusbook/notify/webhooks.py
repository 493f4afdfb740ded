"""Statuspage-shaped webhook payloads for what changed between two public corpora.

A static site sends nothing itself; a CI job or a small relay can call `changes()` with the
public corpus it last announced and the new one, POST each payload to its subscribers, and
remember `key(payload)` so that a retried or repeated run never announces anything twice.

Payloads have the fields, in the order, of Statuspage's own webhooks: an "incident" payload
for each new update of an incident or maintenance window (so a new incident's first update
announces it), and a "component_update" payload for each component whose status differs.
The incident and component objects come from outputs/api/statuspage.py, so they match the JSON API.
"""

from __future__ import annotations

from datetime import datetime, time, timezone
from typing import Any

from ..model import ComponentStatus, Corpus, Postmortem
from ..outputs.api.context import Context
from ..outputs.api.serialise import sp_id, sp_time
from ..outputs.api.statuspage import component_object, incident_object, maintenance_object
from ..outputs.api.timeline import incident_entries, maintenance_entries
from ..views.site import Settings

JsonObj = dict[str, Any]

#: The component fields Statuspage's webhooks carry, in their order.
_COMPONENT_FIELDS = (
    "status",
    "name",
    "created_at",
    "updated_at",
    "position",
    "description",
    "showcase",
    "id",
    "page_id",
    "group_id",
)


def changes(
    before: Corpus | None,
    after: Corpus,
    now: datetime,
    *,
    since: datetime | None = None,
    settings: Settings | None = None,
) -> list[JsonObj]:
    """Payloads for every update and status change in `after` at `now` that `before` lacks.

    `before` is read as of `since` (default: `now`). Pass the time of the previous run as
    `since` to also announce what the clock did in between (updates written ahead that are now
    due, maintenance windows starting and ending); `before=None` means nothing was announced
    yet. Each update appears once, keyed by its incident and its time; payloads come oldest
    first.
    """
    settings = settings or Settings()
    since = since or now
    contexts: dict[datetime, Context] = {}

    def context_at(moment: datetime) -> Context:
        if moment not in contexts:
            contexts[moment] = Context(after, moment, settings)
        return contexts[moment]

    known = _published_update_ids(before, since) if before is not None else set()
    events: list[tuple[datetime, int, JsonObj]] = []
    for incident in after.incidents:
        for entry in incident_entries(incident, now):
            if entry.id not in known:
                ctx = context_at(entry.update.at)
                pm = ctx.postmortems.get(incident.id, [None])[0]
                obj = incident_object(ctx, incident)
                payload = incident_payload(ctx, obj, entry.id, pm, now)
                events.append((entry.update.at, 0, payload))
    for window in after.maintenance:
        for entry in maintenance_entries(window, now):
            if entry.id not in known:
                ctx = context_at(entry.update.at)
                obj = maintenance_object(ctx, window)
                payload = incident_payload(ctx, obj, entry.id, None, now)
                events.append((entry.update.at, 0, payload))

    current = context_at(now)
    previous = Context(before, since, settings) if before is not None else None
    existed = {c.id for c in before.components} if before is not None else None
    for component in after.components:
        if existed is not None and component.id not in existed:
            continue  # a component that is new has no status to change from
        old = previous.statuses[component.id] if previous else ComponentStatus.OPERATIONAL
        new = current.statuses[component.id]
        if old is not new:
            changed_at = current.last_change(component.id) or now
            payload = _component_payload(current, component.id, old, new, changed_at, now)
            events.append((changed_at, 1, payload))
    # Oldest first; at one moment the incident update before the status change it caused, and
    # otherwise content order (stable sort), so equal times keep their posting order.
    events.sort(key=lambda e: e[:2])
    return [payload for _, _, payload in events]


def key(payload: JsonObj) -> str:
    """A stable de-duplication key: the incident and its update, or the component change."""
    if "incident" in payload:
        incident = payload["incident"]
        return f"incident/{incident['id']}/update/{incident['incident_updates'][0]['id']}"
    update = payload["component_update"]
    return f"component/{update['component_id']}/update/{update['id']}"


def _published_update_ids(corpus: Corpus, moment: datetime) -> set[str]:
    ids = {e.id for i in corpus.incidents for e in incident_entries(i, moment)}
    ids.update(e.id for m in corpus.maintenance for e in maintenance_entries(m, moment))
    return ids


def _meta(now: datetime) -> JsonObj:
    # A static site has no subscriptions to manage: the sender fills these in if it has them.
    return {"unsubscribe": "", "documentation": "", "generated_at": sp_time(now)}


def page_object(ctx: Context) -> JsonObj:
    return {
        "id": ctx.page_id,
        "status_indicator": ctx.overall.indicator,
        "status_description": ctx.overall.description,
    }


def webhook_component(component: JsonObj) -> JsonObj:
    return {name: component[name] for name in _COMPONENT_FIELDS}


def _postmortem_published(pm: Postmortem | None) -> str | None:
    if pm is None or pm.date is None:
        return None
    return sp_time(datetime.combine(pm.date, time(0), timezone.utc))


def incident_payload(
    ctx: Context, obj: JsonObj, update_id: str, pm: Postmortem | None, now: datetime
) -> JsonObj:
    """Statuspage's incident webhook for one update, from the API's incident object.

    The object describes the incident as of the update's time; updates posted in the same
    second after this one are left out, so the announced update is always the first listed.
    """
    is_maintenance = obj["impact"] == "maintenance"
    ids = [u["id"] for u in obj["incident_updates"]]
    updates = obj["incident_updates"][ids.index(update_id) :]
    incident = {
        "name": obj["name"],
        "status": obj["status"],
        "created_at": obj["created_at"],
        "updated_at": obj["updated_at"],
        "monitoring_at": obj["monitoring_at"],
        "resolved_at": obj["resolved_at"],
        "impact": obj["impact"],
        "shortlink": obj["shortlink"],
        "postmortem_ignored": False,
        "postmortem_body": pm.body if pm else None,
        "postmortem_body_last_updated_at": _postmortem_published(pm),
        "postmortem_published_at": _postmortem_published(pm),
        "postmortem_notified_subscribers": False,
        "postmortem_notified_twitter": False,
        "backfilled": False,
        "scheduled_for": obj.get("scheduled_for"),
        "scheduled_until": obj.get("scheduled_until"),
        "scheduled_remind_prior": False,
        "scheduled_reminded_at": None,
        "impact_override": None,
        "scheduled_auto_in_progress": is_maintenance,
        "scheduled_auto_completed": is_maintenance,
        "id": obj["id"],
        "page_id": obj["page_id"],
        "incident_updates": [
            {
                "status": u["status"],
                "body": u["body"],
                "created_at": u["created_at"],
                "wants_twitter_update": False,
                "twitter_updated_at": None,
                "updated_at": u["updated_at"],
                "display_at": u["display_at"],
                "affected_components": u["affected_components"],
                "custom_tweet": None,
                "deliver_notifications": True,
                "id": u["id"],
                "incident_id": u["incident_id"],
            }
            for u in updates
        ],
        "components": [webhook_component(c) for c in obj["components"]],
    }
    return {"meta": _meta(now), "page": page_object(ctx), "incident": incident}


def _component_payload(
    ctx: Context,
    cid: str,
    old: ComponentStatus,
    new: ComponentStatus,
    changed_at: datetime,
    now: datetime,
) -> JsonObj:
    component = webhook_component(component_object(ctx, ctx.components[cid]))
    update_key = f"{cid}|{sp_time(changed_at)}|{old.value}|{new.value}"
    return {
        "meta": _meta(now),
        "page": page_object(ctx),
        "component": component,
        "component_update": {
            "old_status": old.value,
            "new_status": new.value,
            "created_at": sp_time(changed_at),
            "component_type": "Component",
            "id": sp_id("component-update", update_key),
            "component_id": component["id"],
        },
    }
