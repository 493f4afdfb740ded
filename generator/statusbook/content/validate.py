"""Parsed documents -> model objects, or findings that say where and how to fix them.

Each function appends to `doc.findings` and returns None when the document cannot become a
model object; it never raises on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..clock import CLOCK_SKEW, format_utc, humanize_duration
from ..errors import Finding, Severity, did_you_mean
from ..model import (
    LIFECYCLE,
    ActionItem,
    ActionStatus,
    Component,
    ComponentStatus,
    Group,
    Impact,
    Incident,
    IncidentStatus,
    Maintenance,
    Objective,
    Postmortem,
    PostmortemStatus,
    Roles,
    Runbook,
    SloWindow,
    Update,
    Visibility,
)
from .frontmatter import Document, KeyPath
from .placement import check_markers
from .schema import (
    COMPONENTS_FIELDS,
    DEFAULT_PRIORITIES,
    MAINTENANCE_FIELDS,
    RESERVED_POSTMORTEM_IDS,
    incident_fields,
    postmortem_fields,
)
from .values import check_fields

# --- per content type --------------------------------------------------------------------------


def build_components(doc: Document) -> tuple[list[Group], list[Component]]:
    """components.yml -> groups and components in display order."""
    if doc.data is None:
        if not doc.findings:
            doc.error((), "components.yml is empty", "define at least one component")
        return [], []
    check_markers(doc)
    data = check_fields(doc, COMPONENTS_FIELDS, doc.data, ())
    if data is None:
        return [], []
    groups: list[Group] = []
    components: list[Component] = []
    seen: dict[str, KeyPath] = {}

    def claim(ident: str, path: KeyPath) -> bool:
        if ident in seen:
            first = doc.pos(seen[ident])[0]
            doc.error(
                path, f"id '{ident}' is used twice (first on line {first})", "give each its own id"
            )
            return False
        seen[ident] = path
        return True

    def make(raw: Mapping[str, Any], path: KeyPath, group_id: str) -> Component | None:
        if "id" not in raw or "name" not in raw or not claim(raw["id"], (*path, "id")):
            return None
        return Component(
            id=raw["id"],
            name=raw["name"],
            description=raw.get("description") or "",
            link=raw.get("link") or "",
            group_id=group_id,
            slo=_objective(raw.get("slo")),
            runbooks=_runbooks(raw.get("runbooks")),
        )

    for gi, raw_group in enumerate(data.get("groups") or []):
        gpath: KeyPath = ("groups", gi)
        if (
            "id" not in raw_group
            or "name" not in raw_group
            or not claim(raw_group["id"], (*gpath, "id"))
        ):
            continue
        members = []
        for ci, raw in enumerate(raw_group.get("components") or []):
            component = make(raw, (*gpath, "components", ci), raw_group["id"])
            if component:
                components.append(component)
                members.append(component.id)
        if not members and raw_group.get("components") == []:
            doc.error(
                (*gpath, "components"),
                f"group '{raw_group['id']}' has no components",
                "add one, or remove the group",
            )
        groups.append(
            Group(
                raw_group["id"],
                raw_group["name"],
                raw_group.get("description") or "",
                tuple(members),
            )
        )
    for ci, raw in enumerate(data.get("components") or []):
        component = make(raw, ("components", ci), "")
        if component:
            components.append(component)
    if not components and not doc.findings:
        doc.error((), "no components are defined", "add a 'groups:' or 'components:' list")
    return groups, components


def _objective(raw: Mapping[str, Any] | None) -> Objective | None:
    """The checked `slo:` mapping as an Objective; None when absent or its target failed."""
    if not raw or "target" not in raw:
        return None
    return Objective(
        target=raw["target"],
        window=SloWindow(raw.get("window") or "30d"),
        partial_outage=raw.get("partial_outage", 0.3),
        degraded_performance=raw.get("degraded_performance", 0.0),
        count_maintenance=raw.get("maintenance") == "counted",
    )


def _runbooks(raw: list[Mapping[str, Any]] | None) -> tuple[Runbook, ...]:
    """The runbooks whose title and link both passed their checks (the others were reported)."""
    return tuple(Runbook(r["title"], r["link"]) for r in raw or () if "title" in r and "link" in r)


def build_incident(
    doc: Document,
    ident: str,
    component_ids: Mapping[str, Any] | None,
    severities: tuple[str, ...],
) -> Incident | None:
    """`component_ids` None: components.yml has errors, so references to it are not checked."""
    if doc.data is None:
        return None
    check_markers(doc)
    data = check_fields(doc, incident_fields(severities), doc.data, ())
    if data is None:
        return None
    unknown = _check_component_refs(doc, data.get("components", []), component_ids)
    # A misspelt id in `components:` is reported once, there: the updates that name the
    # component as it should be spelt are not also "not listed".
    updates = _build_updates(
        doc, data.get("updates"), listed=data.get("components"), check_listed=not unknown
    )
    lifecycle = tuple((name, data[name]) for name in LIFECYCLE if data.get(name) is not None)
    _check_lifecycle_order(doc, lifecycle)
    for name, moment in lifecycle:
        line, col = doc.pos((name,))
        doc.past_times.append((moment, line, col, f"'{name}'"))
    raw_updates = doc.data.get("updates") if isinstance(doc.data, dict) else None
    complete = (
        updates is not None and isinstance(raw_updates, list) and len(updates) == len(raw_updates)
    )
    if isinstance(raw_updates, list) and not raw_updates:
        doc.error(("updates",), "'updates' is empty", "add the first update (at, status, message)")
    # Only judge the resolved time when every update could be read: a broken last update is
    # reported once, on its own line.
    if (
        complete
        and updates
        and "resolved" in data
        and updates[-1].status != IncidentStatus.RESOLVED.value
    ):
        doc.error(
            ("resolved",),
            f"the incident has a 'resolved' time but its last update is '{updates[-1].status}'",
            "add a final update with status: resolved, or remove 'resolved:'",
            key=True,
        )
    required = ("title", "impact", "components", "updates")
    if not updates or any(k not in data for k in required):
        return None
    roles = data.get("roles") or {}
    return Incident(
        id=ident,
        path=doc.path,
        title=data["title"],
        impact=Impact(data["impact"]),
        components=tuple(dict.fromkeys(data["components"])),
        updates=tuple(updates),
        body=doc.body,
        severity=data.get("severity") or "",
        visibility=Visibility(data.get("visibility") or "public"),
        lifecycle=lifecycle,
        notes=data.get("notes") or "",
        runbooks=_runbooks(data.get("runbooks")),
        roles=Roles(
            commander=roles.get("commander") or "",
            communications=roles.get("communications") or "",
            scribe=roles.get("scribe") or "",
            experts=tuple(roles.get("experts") or ()),
        ),
    )


def build_maintenance(
    doc: Document, ident: str, component_ids: Mapping[str, Any] | None
) -> Maintenance | None:
    if doc.data is None:
        return None
    check_markers(doc)
    data = check_fields(doc, MAINTENANCE_FIELDS, doc.data, ())
    if data is None:
        return None
    _check_component_refs(doc, data.get("components", []), component_ids)
    updates = _build_updates(doc, data.get("updates") or [], listed=None, check_listed=False)
    start, end = data.get("start"), data.get("end")
    if start and end and end <= start:
        doc.error(
            ("end",),
            f"the window ends ({_fmt(end)}) before it starts ({_fmt(start)})",
            "check the dates; 'end' must be later than 'start'",
        )
        return None
    if any(k not in data for k in ("title", "components", "start", "end")) or updates is None:
        return None
    return Maintenance(
        id=ident,
        path=doc.path,
        title=data["title"],
        components=tuple(dict.fromkeys(data["components"])),
        start=start,
        end=end,
        updates=tuple(updates),
        body=doc.body,
        visibility=Visibility(data.get("visibility") or "public"),
    )


def build_postmortem(
    doc: Document,
    ident: str,
    priorities: tuple[str, ...] = DEFAULT_PRIORITIES,
    sections: tuple[str, ...] = (),
) -> Postmortem | None:
    if doc.data is None:
        return None
    if ident in RESERVED_POSTMORTEM_IDS or ident.startswith("year-"):
        doc.findings.append(
            Finding(
                doc.path,
                0,
                0,
                f"'{ident}' is reserved for a page of the postmortem library",
                f"rename the file, e.g. to {ident}-postmortem.md",
            )
        )
    check_markers(doc)
    data = check_fields(doc, postmortem_fields(priorities), doc.data, ())
    if data is None or any(k not in data for k in ("title", "incidents", "status")):
        return None
    if not data["incidents"]:
        doc.error(("incidents",), "'incidents' is empty", "name the incident(s) it covers by id")
        return None
    if data["status"] == "published" and sections:
        present = {h.strip().lower() for h in re.findall(r"^##\s+(.+?)\s*#*\s*$", doc.body, re.M)}
        for name in sections:
            if name.lower() not in present:
                doc.findings.append(
                    Finding(
                        doc.path,
                        doc.body_line,
                        0,
                        f"published postmortem has no '## {name}' section",
                        "add the section (write 'None.' if there is nothing to say), "
                        "or change postmortem_sections in mkdocs.yml",
                        Severity.WARNING,
                    )
                )
    if data["status"] == "published":
        _check_placeholders(doc)
    actions = tuple(
        ActionItem(
            description=a["description"],
            owner=a["owner"],
            due=a["due"],
            priority=a["priority"],
            status=ActionStatus(a["status"]),
            link=a.get("link") or "",
        )
        for a in data.get("action_items") or []
        if {"description", "owner", "due", "priority", "status"} <= a.keys()
    )
    return Postmortem(
        id=ident,
        path=doc.path,
        title=data["title"],
        incident_ids=tuple(dict.fromkeys(data["incidents"])),
        status=PostmortemStatus(data["status"]),
        body=doc.body,
        visibility=Visibility(data.get("visibility") or "public"),
        date=data.get("date"),
        summary=data.get("summary") or "",
        tags=tuple(sorted(set(data.get("tags") or ()))),
        action_items=actions,
        authors=tuple(data.get("authors") or ()),
    )


#: The line `statusbook new postmortem` leaves in each section (authoring.PLACEHOLDER; not
#: imported: validation does not depend on the authoring commands).
_PLACEHOLDER = re.compile(r"^\s*TODO\s*$")
_SECTION = re.compile(r"^##\s+(.+?)\s*#*\s*$")


def _check_placeholders(doc: Document) -> None:
    """A warning when a published postmortem still holds the draft's placeholder: published
    unchanged, the page would show "TODO" to customers. One warning for the file, at the
    first one, naming every section that has it (a fresh draft has one in each)."""
    section = ""
    fence = False
    found: list[tuple[int, int, str]] = []
    for n, line in enumerate(doc.body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence:
            continue
        heading = _SECTION.match(line)
        if heading:
            section = heading.group(1)
        elif _PLACEHOLDER.match(line):
            found.append((doc.body_line + n, line.index("TODO") + 1, section))
    if not found:
        return
    first, col, _ = found[0]
    names = list(dict.fromkeys(f"'## {name}'" if name else "its opening" for *_, name in found))
    lines = ", ".join(str(n) for n, _, _ in found)
    doc.findings.append(
        Finding(
            doc.path,
            first,
            col,
            "the published postmortem still holds the placeholder 'TODO' in "
            + (names[0] if len(names) == 1 else f"{len(names)} sections: " + ", ".join(names))
            + f" (line{'s' if len(found) > 1 else ''} {lines})",
            "write each of them (or 'None.' when there is nothing to say), "
            "or keep 'status: draft' until they are done",
            Severity.WARNING,
        )
    )


def _check_component_refs(doc: Document, ids: list[str], known: Mapping[str, Any] | None) -> bool:
    """Report each unknown component id; True when there was one."""
    if known is None:
        return False
    unknown = False
    for i, ident in enumerate(ids):
        if ident not in known:
            unknown = True
            doc.error(
                ("components", i),
                f"unknown component '{ident}'",
                did_you_mean(ident, known) + " (components are defined in content/components.yml)",
            )
    return unknown


def _build_updates(
    doc: Document, raw: Any, listed: list[str] | None, check_listed: bool
) -> list[Update] | None:
    """Updates in file order; checks order, next_update promises and component mentions
    (against `listed` when `check_listed`), and notes each `at` that must not be in the
    future."""
    if raw is None:
        return None
    updates: list[Update] = []
    previous: datetime | None = None
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not {"at", "status", "message"} <= item.keys():
            continue  # already reported by check_fields
        at = item["at"]
        if previous is not None and at < previous:
            doc.error(
                ("updates", i, "at"),
                f"update {i + 1} ({_fmt(at)}) is earlier than the update before it "
                f"({_fmt(previous)})",
                "list updates oldest first, and check the date and timezone of both",
            )
        previous = at
        if not item.get("scheduled"):
            line, col = doc.pos(("updates", i, "at"))
            doc.past_times.append((at, line, col, f"update {i + 1}"))
        next_update = item.get("next_update")
        if next_update is not None and next_update <= at:
            doc.error(
                ("updates", i, "next_update"),
                f"next_update ({_fmt(next_update)}) is not after the update itself ({_fmt(at)})",
                "promise a time after 'at', e.g. 30 minutes later",
            )
        changes = item.get("components") or {}
        for key in changes:
            if check_listed and listed is not None and key not in listed:
                doc.error(
                    ("updates", i, "components", key),
                    f"update {i + 1} changes component '{key}', which the incident does not list",
                    f"add '{key}' to the incident's 'components:'",
                    key=True,
                )
        updates.append(
            Update(
                at=at,
                status=item["status"],
                message=item["message"],
                components=tuple((k, ComponentStatus(v)) for k, v in changes.items()),
                next_update=next_update,
            )
        )
    return updates


def future_times(doc: Document, clock: datetime) -> list[Finding]:
    """An error for each time of the file that is later than the clock (by more than
    CLOCK_SKEW): an update dated in the future is hidden until then, so a typo in its date
    would make it vanish from the page without a word. `scheduled: true` on an update says
    the future time is meant."""
    out = []
    for moment, line, col, what in doc.past_times:
        ahead = moment - clock
        if ahead <= CLOCK_SKEW:
            continue
        scheduled = what.startswith("update")
        out.append(
            Finding(
                doc.path,
                line,
                col,
                f"{what} is dated {format_utc(moment)}, {humanize_duration(ahead)} in the future "
                f"(the clock says {format_utc(clock)})",
                "check the date and timezone"
                + (
                    "; to publish it at that time on purpose, add 'scheduled: true' to the update"
                    if scheduled
                    else ""
                ),
            )
        )
    return out


def _check_lifecycle_order(doc: Document, lifecycle: tuple[tuple[str, datetime], ...]) -> None:
    for (before, t1), (after, t2) in zip(lifecycle, lifecycle[1:], strict=False):
        if t2 < t1:
            doc.error(
                (after,),
                f"'{after}' ({_fmt(t2)}) is earlier than '{before}' ({_fmt(t1)})",
                "lifecycle times run started <= detected <= acknowledged <= mitigated <= resolved",
            )


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
