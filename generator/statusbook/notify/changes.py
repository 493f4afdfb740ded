"""What to announce after a deploy: the difference between two published states.

Notifications are computed from what the live site published before a deploy and what the new
build publishes, not from git history: a run that GitHub replaced, a failed deploy, a form post
or the clock moving a maintenance window all end up in the next published state, so whichever
run first publishes a change announces it, and the run after it sees it already published.

`state()` is what every public build writes to `api/statusbook/v1/state.json` (STATE_PATH):
the identity of every published update, the ready-made payload of the recent ones, each
component's status and each overdue "next update" promise. `changes(previous, current)` is a
pure function of two such documents; it returns the payloads notify/webhooks.py makes (Statuspage's
shape) plus a Statusbook-only "overdue_update" payload.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from ..model import Corpus
from ..outputs.api.context import Context
from ..outputs.api.serialise import OWN, sp_id, sp_time
from ..outputs.api.statuspage import component_object, incident_object, maintenance_object
from ..outputs.api.timeline import Entry, incident_entries, maintenance_entries
from ..views import status as st
from ..views.site import Settings, SiteView
from . import webhooks

JsonObj = dict[str, Any]

STATE_PATH = f"{OWN}state.json"
FORMAT = "statusbook-state"
VERSION = 1

#: Updates dated longer ago than this when a build first publishes them (an imported history,
#: a backfilled incident) are recorded as published but never announced: no flood of old news.
HORIZON = timedelta(days=7)

#: How far back `published` lists updates: only an update recent enough to be announced needs
#: its identity in the next state, and twice the horizon leaves room for a run whose clock is
#: behind the live site's. It keeps state.json small however long the history.
REMEMBERED = 2 * HORIZON


class StateError(ValueError):
    """A document that is not a state this version can read."""


# --- the published state -----------------------------------------------------------------------


def state(corpus: Corpus, now: datetime, settings: Settings) -> JsonObj:
    """The state a build publishes for `corpus` (already the public view) at `now`."""
    current = Context(corpus, now, settings)
    oldest = now - HORIZON
    contexts: dict[datetime, Context] = {now: current}

    def context_at(moment: datetime) -> Context:
        if moment not in contexts:
            contexts[moment] = current.at(moment, oldest)
        return contexts[moment]

    published: list[str] = []
    recent: list[JsonObj] = []
    # Content order, each oldest first: webhooks.changes orders events the same way.
    remembered = now - REMEMBERED
    for incident in corpus.incidents:
        if not incident.updates or incident.updates[-1].at < remembered:
            continue  # updates are in time order (validate checks it)
        for entry in incident_entries(incident, now):
            if entry.update.at >= remembered:
                published.append(entry.id)
            if entry.update.at >= oldest:
                ctx = context_at(entry.update.at)
                pm = ctx.postmortems.get(incident.id, [None])[0]
                obj = incident_object(ctx, incident)
                payload = webhooks.incident_payload(ctx, obj, entry.id, pm, now)
                recent.append(_recent(entry, payload))
    for window in corpus.maintenance:
        for entry in maintenance_entries(window, now):
            if entry.update.at >= remembered:
                published.append(entry.id)
            if entry.update.at >= oldest:
                ctx = context_at(entry.update.at)
                obj = maintenance_object(ctx, window)
                payload = webhooks.incident_payload(ctx, obj, entry.id, None, now)
                recent.append(_recent(entry, payload))
    components = []
    for component in corpus.components:
        obj = component_object(current, component)
        components.append(
            {
                "id": component.id,
                "status": current.statuses[component.id].value,
                "changed_at": sp_time(current.last_change(component.id) or now),
                "component": webhooks.webhook_component(obj),
            }
        )
    overdue = []
    for incident in corpus.incidents:
        promised = st.overdue_update(incident, now)
        if promised is not None:
            overdue.append(_overdue(current, incident.id, promised))
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": sp_time(now),
        "site": {
            "name": settings.site_name,
            "url": current.base,
            "page_id": current.page_id,
        },
        "page": webhooks.page_object(current),
        "published": sorted(set(published)),
        "recent": recent,
        "components": components,
        "overdue": overdue,
    }


def no_previous_state(reason: str) -> JsonObj:
    """What `snapshot` writes when the live site has no state: a later notify announces nothing."""
    return {"format": FORMAT, "version": VERSION, "site": None, "reason": reason}


def files(view: SiteView) -> dict[str, bytes]:
    """state.json for the public edition; the internal edition publishes none (it is not the
    page readers were told about, and it would announce internal content)."""
    if view.settings.internal:
        return {}
    return {STATE_PATH: dumps(state(view.corpus, view.now, view.settings))}


def dumps(document: JsonObj) -> bytes:
    """Sorted keys, compact, one trailing newline: the same bytes for the same state."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def loads(data: bytes | str) -> JsonObj:
    """A state document, checked enough that `changes()` cannot trip over it."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StateError(f"not JSON ({type(exc).__name__} at character {_pos(exc)})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateError(f'not a Statusbook state (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise StateError(
            f"state version {document.get('version')!r}; this Statusbook reads version {VERSION}"
        )
    if document.get("site") is None:
        return document
    for name, kind in (("published", list), ("recent", list), ("components", list)):
        if not isinstance(document.get(name), kind):
            raise StateError(f"the state has no {name!r} list")
    if not isinstance(document.get("overdue"), list) or not isinstance(
        document.get("generated_at"), str
    ):
        raise StateError("the state lacks 'overdue' or 'generated_at'")
    return document


def is_absent(document: JsonObj) -> bool:
    return document.get("site") is None


# --- what changed ------------------------------------------------------------------------------


def changes(previous: JsonObj, current: JsonObj) -> list[JsonObj]:
    """Payloads for what `current` publishes that `previous` did not, oldest first.

    A previous state that says "no site" (a first deploy) announces nothing. Every update
    `previous` lists is never new again; a component is announced when its status differs from
    the one `previous` published (a component new in `current` has nothing to change from); an
    overdue promise is announced by the first state that shows it.
    """
    if is_absent(previous) or is_absent(current):
        return []
    meta = {"unsubscribe": "", "documentation": "", "generated_at": current["generated_at"]}
    known = set(previous["published"])
    events: list[tuple[str, int, JsonObj]] = []
    for item in current["recent"]:
        if item["id"] not in known:
            events.append((item["at"], 0, {"meta": meta, **item["payload"]}))
    old = {c["id"]: c["status"] for c in previous["components"]}
    for component in current["components"]:
        before, after = old.get(component["id"]), component["status"]
        if before is not None and before != after:
            payload = _component_payload(current, component, before, meta)
            events.append((component["changed_at"], 1, payload))
    announced = {o["id"] for o in previous["overdue"]}
    for item in current["overdue"]:
        if item["id"] not in announced:
            payload = {"meta": meta, "page": current["page"], "overdue_update": item["notice"]}
            events.append((item["notice"]["promised_at"], 2, payload))
    # At one moment: the incident update, then the status change it caused, then a promise
    # that fell due; otherwise the order of the content (the sort is stable).
    events.sort(key=lambda e: e[:2])
    return [payload for _, _, payload in events]


def key(payload: JsonObj) -> str:
    """A stable identity for a payload (webhooks.key, plus overdue notices)."""
    if "overdue_update" in payload:
        notice = payload["overdue_update"]
        return f"overdue/{notice['incident_id']}/{notice['id']}"
    return webhooks.key(payload)


def keys(payloads: Iterable[JsonObj]) -> list[str]:
    return [key(p) for p in payloads]


# --- helpers -----------------------------------------------------------------------------------


def _recent(entry: Entry, payload: JsonObj) -> JsonObj:
    payload = {name: value for name, value in payload.items() if name != "meta"}
    return {"id": entry.id, "at": sp_time(entry.update.at), "payload": payload}


def _overdue(ctx: Context, incident_id: str, promised: datetime) -> JsonObj:
    incident = next(i for i in ctx.corpus.incidents if i.id == incident_id)
    posted = st.updates_until(incident.updates, ctx.now)
    sp_incident = sp_id("incident", incident_id)
    notice_id = sp_id("overdue", f"{incident_id}|{sp_time(promised)}")
    return {
        "id": notice_id,
        "notice": {
            "id": notice_id,
            "incident_id": sp_incident,
            "name": incident.title,
            "status": posted[-1].status,
            "shortlink": f"{ctx.base}incidents/{incident_id}/",
            "last_update_at": sp_time(posted[-1].at),
            "promised_at": sp_time(promised),
        },
    }


def _component_payload(current: JsonObj, component: JsonObj, old: str, meta: JsonObj) -> JsonObj:
    """webhooks._component_payload, from the state's copy of the component."""
    new, changed_at = component["status"], component["changed_at"]
    update_key = f"{component['id']}|{changed_at}|{old}|{new}"
    return {
        "meta": meta,
        "page": current["page"],
        "component": component["component"],
        "component_update": {
            "old_status": old,
            "new_status": new,
            "created_at": changed_at,
            "component_type": "Component",
            "id": sp_id("component-update", update_key),
            "component_id": component["component"]["id"],
        },
    }


def _pos(exc: Exception) -> int:
    return int(getattr(exc, "pos", getattr(exc, "start", 0)))
