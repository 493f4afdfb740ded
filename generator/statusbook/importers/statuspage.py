"""Read a Statuspage v2 export into Statusbook terms.

The export is a folder with the public v2 API's responses: `components.json`
(`{"components": [...]}`; groups are components with `group: true` and their members carry
`group_id`), `incidents.json` (`{"incidents": [...]}`, each with `incident_updates` holding
`status`, `body`, `created_at`, `display_at` and `affected_components` with `code` and
`new_status`) and, optionally, `scheduled-maintenances.json`
(`{"scheduled_maintenances": [...]}`, with `scheduled_for` and `scheduled_until`). A bare list
instead of the wrapping object is accepted too. The mapping is documented in docs/migrating.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .common import (
    CLOSING_MESSAGE,
    DESCRIPTION_MAX,
    EMPTY_MESSAGE,
    NAME_MAX,
    ComponentSpec,
    Entry,
    GroupSpec,
    ImportFailure,
    Skip,
    Source,
    Update,
    fit,
    iso,
    normalize_text,
    one_line,
    parse_time,
    slugify,
    unique,
)

INCIDENT_STATUSES = ("investigating", "identified", "monitoring", "resolved")
MAINTENANCE_STATUSES = ("scheduled", "in_progress", "verifying", "completed", "cancelled")
#: Statuses that do not belong to the kind of entry they appear in.
INCIDENT_STATUS_FOR = {"postmortem": "resolved", "completed": "resolved"}
MAINTENANCE_STATUS_FOR = {
    "investigating": "in_progress",
    "identified": "in_progress",
    "monitoring": "verifying",
    "resolved": "completed",
    "postmortem": "completed",
}
IMPACTS = ("none", "minor", "major", "critical")
DECLARABLE = ("operational", "degraded_performance", "partial_outage", "major_outage")
#: The pseudo-entry Statuspage puts in affected_components when none was affected.
NO_COMPONENTS = "No components were affected by this update."


def _load(path: Path, key: str, required: bool) -> list[dict[str, Any]]:
    if not path.is_file():
        if required:
            raise ImportFailure(f"{path} not found: PATH must be a Statuspage export folder")
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailure(f"{path.name} is not valid JSON: {exc}") from exc
    if isinstance(data, dict):
        data = data.get(key)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportFailure(f"{path.name} does not hold a list of {key.replace('_', ' ')}")
    return data


def read_export(folder: Path) -> Source:
    """Everything importable from the export in `folder`, with what was skipped and why."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise ImportFailure(f"{folder} is not a folder")
    components = _load(folder / "components.json", "components", True)
    incidents = _load(folder / "incidents.json", "incidents", True)
    scheduled = _load(folder / "scheduled-maintenances.json", "scheduled_maintenances", False)
    source = Source("statuspage")
    ids = _Ids(*_components(components, source))

    by_id: dict[str, tuple[dict[str, Any], str]] = {}
    for name, items in (("incidents.json", incidents), ("scheduled-maintenances.json", scheduled)):
        for n, item in enumerate(items):
            key = str(item.get("id") or f"{name}#{n}")
            seen = by_id.get(key)
            updates = len(item.get("incident_updates") or [])
            if seen is None or updates > len(seen[0].get("incident_updates") or []):
                by_id[key] = (item, name)
    for key in sorted(by_id):
        item, name = by_id[key]
        origin = f"{name}: {key}" + (f" ({one_line(item['name'])})" if item.get("name") else "")
        try:
            entry = _entry(key, origin, item, ids, source)
        except Skip as exc:
            source.skipped.append((origin, str(exc)))
            continue
        source.entries.append(entry)
        body = normalize_text(item.get("postmortem_body") or "")
        if body and entry.kind == "incident":
            published = parse_time(item.get("postmortem_published_at"))
            source.entries.append(
                Entry(
                    kind="postmortem",
                    key=key,
                    origin=f"{origin}, postmortem",
                    day=entry.day,
                    slug=entry.slug,
                    title=entry.title,
                    body=body,
                    incident_key=key,
                    status="published" if published else "draft",
                    published=published.date() if published else None,
                )
            )
    return source


class _Ids:
    """Statuspage component id -> provisional id, and the ids in use."""

    def __init__(self, ids: dict[str, str], taken: set[str]) -> None:
        self.ids, self.taken = ids, taken

    def get(self, code: str, name: str, source: Source, origin: str) -> str:
        """The id for a Statuspage component id; one not in components.json is added."""
        if code in self.ids:
            return self.ids[code]
        cid = unique(slugify(name) or "component", self.taken)
        self.ids[code] = cid
        source.components.append(ComponentSpec(cid, fit(one_line(name), NAME_MAX)[0] or cid))
        source.warn(
            origin,
            f"component {code} ('{name}') is not in components.json; added it outside any group",
        )
        return cid


def _components(items: list[dict[str, Any]], source: Source) -> tuple[dict[str, str], set[str]]:
    """components.json -> groups and components; returns (Statuspage id -> id, ids in use)."""
    where = "components.json"
    order = sorted(items, key=lambda c: (c.get("position") is None, c.get("position") or 0))
    groups = [c for c in order if c.get("group") is True]
    group_ids = {str(g.get("id")) for g in groups}
    members: dict[str, list[dict[str, Any]]] = {gid: [] for gid in group_ids}
    loose: list[dict[str, Any]] = []
    for c in order:
        if c.get("group") is True:
            continue
        gid = str(c.get("group_id") or "")
        if gid and gid not in group_ids:
            source.warn(
                where,
                f"component '{c.get('name')}' names group {gid}, which is not in the file; "
                "imported outside any group",
            )
        (members[gid] if gid in members else loose).append(c)

    # Plain names for ids; a name used twice gets its group's name in front.
    names = [one_line(c.get("name") or "") for c in order if c.get("group") is not True]
    twice = {slugify(n) for n in names if [slugify(m) for m in names].count(slugify(n)) > 1}
    group_name = {str(g.get("id")): one_line(g.get("name") or "") for g in groups}
    taken: set[str] = set()
    ids: dict[str, str] = {}
    unmapped: dict[str, int] = {}

    def spec(c: dict[str, Any]) -> ComponentSpec | None:
        name = one_line(c.get("name") or "")
        if not name or not c.get("id"):
            source.warn(where, "a component without an id or a name was left out")
            return None
        base = slugify(name) or "component"
        if base in twice:
            base = slugify(f"{group_name.get(str(c.get('group_id') or ''), '')} {name}") or base
        cid = unique(base, taken)
        ids[str(c["id"])] = cid
        shown, cut = fit(name, NAME_MAX)
        if cut:
            source.warn(where, f"component '{name}': name cut to {NAME_MAX} characters")
        description, cut = fit(one_line(c.get("description") or ""), DESCRIPTION_MAX)
        if cut:
            source.warn(
                where, f"component '{name}': description cut to {DESCRIPTION_MAX} characters"
            )
        if c.get("only_show_if_degraded") is True:
            unmapped["only_show_if_degraded"] = unmapped.get("only_show_if_degraded", 0) + 1
        if c.get("showcase") is False:
            unmapped["showcase: false"] = unmapped.get("showcase: false", 0) + 1
        if c.get("start_date"):
            unmapped["start_date"] = unmapped.get("start_date", 0) + 1
        if c.get("status") not in (None, "operational"):
            source.warn(
                where,
                f"component '{name}' is '{c['status']}' now; Statusbook derives a component's "
                "status from incidents, so it shows operational unless an incident says otherwise",
            )
        return ComponentSpec(cid, shown, description)

    for g in groups:
        gid = str(g.get("id"))
        specs = [s for s in (spec(c) for c in members[gid]) if s]
        if not specs:
            source.warn(where, f"group '{g.get('name')}' has no components; not imported")
            continue
        description, _ = fit(one_line(g.get("description") or ""), DESCRIPTION_MAX)
        source.groups.append(GroupSpec("", fit(group_name[gid], NAME_MAX)[0], description, specs))
    source.components.extend(s for s in (spec(c) for c in loose) if s)
    for group in source.groups:  # group ids after component ids: components get the plain ones
        group.id = unique(slugify(group.name) or "group", taken)
    for what, count in sorted(unmapped.items()):
        source.warn(
            where,
            f"'{what}' ({count} component{'s' if count > 1 else ''}) has no equivalent; not "
            "imported",
        )
    return ids, taken


def _time(value: Any, what: str) -> datetime:
    moment = parse_time(value, timezone.utc)
    if moment is None:
        raise Skip(f"{what} '{value}' is not a time")
    return moment


def _entry(key: str, origin: str, item: dict[str, Any], ids: _Ids, source: Source) -> Entry:
    """One incident or scheduled maintenance -> an Entry."""

    def warn(message: str) -> None:
        source.warn(origin, message)

    title = one_line(item.get("name") or "")
    if not title:
        raise Skip("it has no name")
    raw_updates = item.get("incident_updates") or []
    statuses = {str(u.get("status")) for u in raw_updates} | {str(item.get("status"))}
    maintenance = (
        bool(item.get("scheduled_for"))
        or item.get("impact") == "maintenance"
        or bool(statuses & set(MAINTENANCE_STATUSES[:3]))
    )
    components: list[str] = []
    for c in item.get("components") or []:
        if isinstance(c, dict) and c.get("id"):
            components.append(ids.get(str(c["id"]), str(c.get("name") or ""), source, origin))

    updates = _updates(raw_updates, maintenance, ids, source, origin, components, warn)

    started = parse_time(item.get("started_at")) or parse_time(item.get("created_at"))
    if maintenance:
        return _maintenance(key, origin, item, title, components, updates, warn)
    if not updates:
        at = started or _time(item.get("created_at"), "created_at")
        status = str(item.get("status") or "investigating")
        status = INCIDENT_STATUS_FOR.get(status, status)
        if status not in INCIDENT_STATUSES:
            raise Skip(f"status '{status}' is not a Statuspage incident status")
        warn(f"it has no updates; imported with one '{status}' update at {iso(at)}")
        updates.append(Update(at, status, EMPTY_MESSAGE))
    impact = str(item.get("impact") or "")
    if impact not in IMPACTS:
        warn(f"impact '{impact}' is not none, minor, major or critical; imported as none")
        impact = "none"
    entry = Entry(
        kind="incident",
        key=key,
        origin=origin,
        day=(started or updates[0].at).date(),
        slug=slugify(title) or "incident",
        title=title,
        impact=impact,
        components=list(dict.fromkeys(components)),
        updates=updates,
    )
    resolved_at = parse_time(item.get("resolved_at"))
    _close(item, updates, resolved_at, warn)
    _place_times(entry, item, started, resolved_at, origin, warn)
    return entry


#: How an importer step reports something it could not carry over.
Warn = Callable[[str], None]


def _updates(
    raw_updates: list[Any],
    maintenance: bool,
    ids: _Ids,
    source: Source,
    origin: str,
    components: list[str],
    warn: Warn,
) -> list[Update]:
    """The updates, oldest first by the time shown, their statuses mapped to ours; the
    components they affect join `components`."""
    ordered: list[tuple[tuple[datetime, datetime, int], Update]] = []
    for n, raw in enumerate(raw_updates):
        when = raw.get("display_at") or raw.get("created_at")
        at = _time(when, f"update {n + 1}'s time")
        status = str(raw.get("status") or "")
        allowed, fallback = (
            (MAINTENANCE_STATUSES, MAINTENANCE_STATUS_FOR)
            if maintenance
            else (INCIDENT_STATUSES, INCIDENT_STATUS_FOR)
        )
        if status not in allowed:
            if status not in fallback:
                raise Skip(f"update status '{status}' is not a Statuspage status")
            warn(f"update status '{status}' imported as '{fallback[status]}'")
            status = fallback[status]
        message = normalize_text(raw.get("body") or "")
        if not message:
            warn(f"the update of {iso(at)} has no text; it reads '{EMPTY_MESSAGE}'")
            message = EMPTY_MESSAGE
        changes: dict[str, str] = {}
        for affected in raw.get("affected_components") or []:
            if not isinstance(affected, dict) or not affected.get("code"):
                if isinstance(affected, dict) and affected.get("name") not in (None, NO_COMPONENTS):
                    warn(f"affected component '{affected.get('name')}' has no code; not imported")
                continue
            cid = ids.get(str(affected["code"]), str(affected.get("name") or ""), source, origin)
            components.append(cid)
            new = str(affected.get("new_status") or "")
            if maintenance:
                if new not in ("under_maintenance", "operational", ""):
                    warn(
                        f"a maintenance update sets {cid} to '{new}', which a maintenance "
                        "window cannot say; not imported"
                    )
            elif new in DECLARABLE:
                changes[cid] = new
            elif new:
                warn(
                    f"the update of {iso(at)} sets {cid} to '{new}', which an incident cannot "
                    "declare; not imported"
                )
        created = parse_time(raw.get("created_at"))
        # Oldest first by the time shown; posts shown at one time keep the order they were made.
        ordered.append(((at, created or at, -n), Update(at, status, message, changes)))
    updates = [u for _, u in sorted(ordered, key=lambda o: o[0])]
    return updates


def _close(
    item: dict[str, Any], updates: list[Update], resolved_at: datetime | None, warn: Warn
) -> None:
    """A resolved (or postmortem) incident whose newest update is not resolved gets a
    resolved update; the opposite is reported."""
    closed = str(item.get("status")) in ("resolved", "postmortem")
    last = updates[-1]
    if closed and last.status != "resolved":
        at = resolved_at if resolved_at and resolved_at >= last.at else last.at
        updates.append(Update(at, "resolved", CLOSING_MESSAGE, synthetic=True))
        warn(
            f"it is {item.get('status')} but its newest update is '{last.status}'; added a "
            f"resolved update at {iso(at)}"
        )
    elif not closed and last.status == "resolved" and item.get("status"):
        warn(
            f"its status is '{item.get('status')}' but its newest update is resolved; imported "
            "as resolved"
        )


def _place_times(
    entry: Entry,
    item: dict[str, Any],
    started: datetime | None,
    resolved_at: datetime | None,
    origin: str,
    warn: Warn,
) -> None:
    """started_at, monitoring_at and resolved_at as lifecycle times, in order; those that do
    not fit go to the internal notes."""
    updates = entry.updates
    # Lifecycle: started_at -> started, monitoring_at -> mitigated, resolved_at -> resolved.
    unplaced: list[str] = []
    candidates = [
        ("started", started),
        ("mitigated", parse_time(item.get("monitoring_at"))),
        ("resolved", resolved_at if updates[-1].status == "resolved" else None),
    ]
    if resolved_at and updates[-1].status != "resolved":
        unplaced.append(f"resolved_at {iso(resolved_at)}")
    previous: datetime | None = None
    for name, moment in candidates:
        if moment is None:
            continue
        if previous is not None and moment < previous:
            unplaced.append(f"{name} {iso(moment)}")
            warn(
                f"{name} time {iso(moment)} is earlier than the one before it; kept in the "
                "internal notes"
            )
            continue
        entry.lifecycle[name] = moment
        previous = moment
    if unplaced:
        entry.notes = (
            f"Imported from Statuspage ({origin}). Times that do not fit: "
            + "; ".join(unplaced)
            + "."
        )


def _maintenance(
    key: str,
    origin: str,
    item: dict[str, Any],
    title: str,
    components: list[str],
    updates: list[Update],
    warn,
) -> Entry:
    start = _time(item.get("scheduled_for"), "scheduled_for")
    end = _time(item.get("scheduled_until"), "scheduled_until")
    if end <= start:
        raise Skip(f"its window ends ({iso(end)}) before it starts ({iso(start)})")
    impact = item.get("impact")
    if impact not in (None, "maintenance", "none"):
        warn(f"impact '{impact}' has no equivalent for a maintenance window; not imported")
    return Entry(
        kind="maintenance",
        key=key,
        origin=origin,
        day=start.date(),
        slug=slugify(title) or "maintenance",
        title=title,
        components=list(dict.fromkeys(components)),
        updates=updates,
        start=start,
        end=end,
    )
