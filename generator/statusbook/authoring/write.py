"""Writing content: new incident and maintenance files, updates, resolutions, cancellations.

Pure functions from (existing text, what the engineer said) to new text. The command line
calls them, validates the result with the same checks as a build, and only then writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..clock import format_utc, humanize_duration, iso_z
from ..model import (
    LIFECYCLE,
    STATUS_FOR_IMPACT,
    Corpus,
    Impact,
    Incident,
    Maintenance,
    MaintenanceStatus,
    Runbook,
)
from ..views.status import is_active, maintenance_state
from .editing import append_update, remove_field, render_update, scalar, set_field

DEFAULT_TEMPLATES = {
    "investigating": (
        "We are investigating problems with {components}. Next update by {next_update}."
    ),
    "identified": (
        "We have found the cause of the problems with {components} and are working on a fix. "
        "Next update by {next_update}."
    ),
    "monitoring": (
        "A fix is in place and {components} are recovering. We are watching closely. "
        "Next update by {next_update}."
    ),
    "resolved": "This incident is resolved: {components} work normally again.",
    "maintenance": (
        "We will carry out maintenance on {components} from {start} to {end}. "
        "Details follow on this page."
    ),
    "cancelled": "This maintenance is cancelled. We will announce a new date here.",
}


@dataclass(frozen=True)
class Templates:
    texts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TEMPLATES))

    @classmethod
    def with_site(cls, site: dict[str, str]) -> Templates:
        return cls({**DEFAULT_TEMPLATES, **{str(k): str(v) for k, v in site.items()}})

    def fill(self, name: str, **values: str) -> str:
        text = self.texts.get(name, "")
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        return text


def slugify(title: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "incident"


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def new_incident_text(
    title: str,
    impact: Impact,
    components: list[str],
    at: datetime,
    status: str,
    message: str,
    component_status: dict[str, str] | None = None,
    next_update: datetime | None = None,
    severity: str = "",
    internal: bool = False,
) -> str:
    """A new incident file with its first update; affected components take the impact's
    default status unless the engineer gave one."""
    statuses = {cid: STATUS_FOR_IMPACT[impact].value for cid in components}
    statuses.update(component_status or {})
    lines = ["---", f"title: {scalar(title)}", f"impact: {impact.value}"]
    if severity:
        lines.append(f"severity: {severity}")
    lines.append(f"components: [{', '.join(components)}]")
    if internal:
        lines.append("visibility: internal")
    lines.append(f"started: {iso_z(at)}")
    lines.append("updates:")
    lines += render_update("  ", at, status, message, statuses or None, next_update)
    lines += ["---", ""]
    return "\n".join(lines)


def add_update(
    text: str,
    at: datetime,
    status: str,
    message: str,
    component_status: dict[str, str] | None = None,
    next_update: datetime | None = None,
) -> str:
    return append_update(text, at, status, message, component_status or None, next_update)


def resolve_text(text: str, incident: Incident, at: datetime, message: str) -> str:
    """Final update with every affected component operational, and the `resolved` time."""
    operational = {cid: "operational" for cid in incident.components}
    out = append_update(text, at, "resolved", message, operational or None, None)
    return set_field(out, "resolved", iso_z(at), after=LIFECYCLE)


def reopen_text(
    text: str,
    at: datetime,
    status: str,
    message: str,
    component_status: dict[str, str],
    next_update: datetime | None,
) -> str:
    """A resolved incident active again: its `resolved` time goes (it is no longer resolved),
    and a new update follows the resolved one, which stays in the timeline: readers see that
    it was resolved, and when it came back."""
    out = remove_field(text, "resolved")
    return append_update(out, at, status, message, component_status or None, next_update)


def new_maintenance_text(
    title: str,
    components: list[str],
    start: datetime,
    end: datetime,
    at: datetime,
    message: str,
    body: str = "",
    internal: bool = False,
) -> str:
    lines = [
        "---",
        f"title: {scalar(title)}",
        f"components: [{', '.join(components)}]",
        f"start: {iso_z(start)}",
        f"end: {iso_z(end)}",
    ]
    if internal:
        lines.append("visibility: internal")
    lines.append("updates:")
    lines += render_update("  ", at, "scheduled", message)
    lines += ["---", body.strip(), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def cancel_text(text: str, at: datetime, message: str) -> str:
    return append_update(text, at, "cancelled", message)


def find_entry(corpus: Corpus, key: str, kind: str, now: datetime) -> Incident | Maintenance:
    """An incident or maintenance by id, file path, or the unique start of its id, with or
    without the date ids begin with: `login` finds 2026-03-14-login-fails, since nobody
    typing on a phone during an outage should have to type the date. When nothing matches,
    the message lists those still open at `now`."""
    pool: list[Incident | Maintenance] = list(
        corpus.incidents if kind == "incident" else corpus.maintenance
    )
    normalized = key.replace("\\", "/").rstrip("/")
    for entry in pool:
        if entry.id == key or entry.path == normalized or entry.path.endswith("/" + normalized):
            return entry
    stem = normalized.rsplit("/", 1)[-1].removesuffix(".md")
    matches = [e for e in pool if stem and _starts_with(e.id, stem)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        current = [e.id for e in pool if _is_open(e, now)][:8]  # the corpus lists newest first
        hint = f"; open now: {', '.join(current)}" if current else ""
        raise LookupError(f"no {kind} matches '{key}'{hint}")
    shown = ", ".join(e.id for e in matches[:8])
    raise LookupError(f"'{key}' matches {len(matches)} {kind}s ({shown}); give more of the id")


def _is_open(entry: Incident | Maintenance, now: datetime) -> bool:
    """An active incident, or a window neither completed nor cancelled, as the site shows it."""
    if isinstance(entry, Incident):
        return is_active(entry, now)
    ended = (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)
    return maintenance_state(entry, now) not in ended


_DATED = re.compile(r"\d{4}-\d{2}-\d{2}-")


def _starts_with(ident: str, stem: str) -> bool:
    """Whether an id, or the id without the date it begins with (`new` names files
    YYYY-MM-DD-title), starts with `stem`."""
    undated = ident[11:] if _DATED.match(ident) else ident
    return ident.startswith(stem) or undated.startswith(stem)


def relative_time(text: str, base: datetime) -> datetime:
    """'+30m' from `base`, or an absolute time ('now' is the clock)."""
    from ..clock import parse_now

    return parse_now(text, reference=base)


def describe_due(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    delta = moment - now
    if delta < timedelta(0):
        return f"OVERDUE since {format_utc(moment)}"
    return f"due {format_utc(moment)}"


#: What each section of a new postmortem draft holds until someone writes it; a published
#: postmortem that still has it gets a warning (validate.build_postmortem).
PLACEHOLDER = "TODO"

SECTION_GUIDANCE = {
    "summary": "Two or three sentences: what happened, who was affected, how it ended.",
    "impact": "Who was affected, for how long, and how much (requests, customers, money).",
    "timeline": "Compiled from the status updates; add what happened behind the scenes.",
    "contributing factors": "Several conditions that together allowed this, each a property "
    "of a system or process. No single root cause is needed, and no person is a cause.",
    "detection": "How we found out, and how we could find out sooner.",
    "response and recovery": "What we did to mitigate and recover, and what slowed us down.",
    "what went well": "",
    "what went poorly": "",
    "where we got lucky": "",
    "action items": "Track them in `action_items:` above; they appear as a table here.",
    "lessons learned": "",
    # Not the word the block markers use: any HTML comment that mentions it is reported as
    # a look-alike marker (markers.py), which made every draft with this section unwritable.
    "supporting links": "Dashboards, tickets, chat logs (links only staff can open go in a "
    "block hidden from the public site, as in the Impact section).",
}


def _link_text(title: str) -> str:
    """A title as Markdown link text: brackets escaped so they cannot end the link."""
    return title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


#: The draft's frontmatter after its title and incident: a draft, with the fields to fill in
#: shown as comments, so that it validates as written.
_DRAFT_FIELDS = (
    "status: draft                  # publish with: status: published",
    "# summary: One or two sentences for the library.",
    "tags: []",
    "# action_items:",
    "#   - description: What will change",
    "#     owner: Owning team",
    "#     due: YYYY-MM-DD",
    "#     priority: P2",
    "#     status: open             # open | in_progress | done | wont_do",
    "#     link: https://tracker.example/ISSUE-1",
)


def _internal(*lines: str) -> list[str]:
    """Lines in a block only the internal edition shows."""
    return ["<!-- internal -->", *lines, "<!-- /internal -->"]


def _impact_facts(incident: Incident, component_names: dict[str, str]) -> list[str]:
    """What the incident records about its impact: components, start, duration, response times."""
    from ..views.library import durations

    affected = join_names([component_names.get(c, c) for c in incident.components])
    end = incident.timestamp("resolved") or (
        incident.updates[-1].at if incident.updates[-1].status == "resolved" else None
    )
    facts = [
        f"- Impact: {incident.impact.value}",
        f"- Affected: {affected}",
        f"- Started: {format_utc(incident.started)}",
    ]
    if end:
        facts.append(f"- Duration: {humanize_duration(end - incident.started)}")
    for label, span in durations(incident):
        facts.append(f"- {label}: {humanize_duration(span)}")
    return facts


def _role_lines(incident: Incident) -> list[str]:
    roles = incident.roles
    return [
        f"- {name}: {value}"
        for name, value in (
            ("Incident commander", roles.commander),
            ("Communications", roles.communications),
            ("Scribe", roles.scribe),
            ("Subject matter experts", ", ".join(roles.experts)),
        )
        if value
    ]


def _timeline_lines(incident: Incident) -> list[str]:
    from ..views.library import lifecycle_rows

    return [
        f"- {at:%Y-%m-%d %H:%M} {what}" + (f": {text}" if text else "")
        for at, what, text in lifecycle_rows(incident)
    ]


def _runbook_block(
    incident: Incident, component_runbooks: Mapping[str, tuple[Runbook, ...]] | None
) -> list[str]:
    """The incident's runbooks, then its components', each once; nothing when there are none."""
    runbooks = list(incident.runbooks)
    for cid in incident.components:
        runbooks += (component_runbooks or {}).get(cid, ())
    links = [f"- [{_link_text(r.title)}](<{r.link}>)" for r in dict.fromkeys(runbooks)]
    return ["", *_internal("Runbooks:", "", *links)] if links else []


def _section_facts(key: str, incident: Incident, component_names: dict[str, str]) -> list[str]:
    """What a section starts with, from the incident, before its placeholder."""
    if key == "impact":
        lines = ["", *_impact_facts(incident, component_names)]
        if incident.severity:  # internal: only the internal edition shows it
            lines += ["", *_internal(f"Severity: {incident.severity}")]
        return lines
    if key == "timeline":
        return ["", "All times UTC.", "", *_timeline_lines(incident)]
    if key == "response and recovery" and (role_lines := _role_lines(incident)):
        return ["", *_internal("Roles:", "", *role_lines)]
    return []


def new_postmortem_text(
    incident: Incident,
    sections: tuple[str, ...],
    component_names: dict[str, str],
    component_runbooks: Mapping[str, tuple[Runbook, ...]] | None = None,
) -> str:
    """A draft with everything the incident already knows, so nothing is typed twice.

    Runbooks (the incident's, then its components') go in an internal block: responders
    reviewing the draft start from them, and the public edition never shows them."""
    lines = [
        "---",
        f"title: {scalar(incident.title)}",
        f"incidents: [{incident.id}]",
        *_DRAFT_FIELDS,
        "---",
    ]
    keys = [name.lower() for name in sections]
    # Under "Supporting links" when the site has it, else at the end of the last section.
    runbooks_at = "supporting links" if "supporting links" in keys else (keys or [""])[-1]
    for name in sections:
        key = name.lower()
        lines += ["", f"## {name}", ""]
        guidance = SECTION_GUIDANCE.get(key, "")
        if guidance:
            lines.append(f"<!-- {guidance} -->")
        lines += _section_facts(key, incident, component_names)
        if key == runbooks_at:
            lines += _runbook_block(incident, component_runbooks)
        lines.append("")
        lines.append(PLACEHOLDER)
    return "\n".join(lines).rstrip() + "\n"
