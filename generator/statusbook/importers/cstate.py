"""Read a cState (Hugo) site into Statusbook terms.

cState keeps components as `params.systems` (name, description, category, link) grouped by
`params.categories` in the Hugo config, and one Markdown file per issue in content/issues/ with
front matter `title`, `date`, `resolved`, `resolvedWhen`, `severity` (down | disrupted | notice),
`affected` (system names), `informational`, `pin`, `draft`. Updates are paragraphs in the body,
each followed by a `{{< track "TIME" >}}` stamp, newest first. The mapping is documented in
docs/migrating.md; every choice made here is listed there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
from .cstate_files import (
    DATE_PREFIX,
    GAP,
    INCIDENT_LABELS,
    KNOWN,
    MAINTENANCE_LABELS,
    NOTICE,
    SEVERITY_IMPACT,
    SHORTCODE,
    _read_text,
    label_of,
    load_config,
    lower_keys,
    split_front_matter,
    split_updates,
    truthy,
)

#: How an importer step reports something it could not carry over.
Warn = Callable[[str], None]

# --- the site ------------------------------------------------------------------------------------


class _Components:
    """Systems and categories -> groups and components, and `affected` names -> ids."""

    def __init__(self, params: dict[str, Any], where: str, source: Source) -> None:
        self.source, self.where = source, where
        self.ids: dict[str, str] = {}
        self.taken: set[str] = set()
        self.folded: dict[str, str] = {}
        categories = [
            c if isinstance(c, dict) else {"name": c} for c in params.get("categories") or []
        ]
        systems = [s if isinstance(s, dict) else {"name": s} for s in params.get("systems") or []]
        cats = {}
        for raw in categories:
            cat = lower_keys(raw)
            name = str(cat.get("name") or "").strip()
            if not name or name in cats:
                continue
            cats[name] = cat
            self._extra(cat, ("name", "description", "untitled", "closed"), f"category '{name}'")
            if truthy(cat.get("closed")):
                source.warn(
                    where,
                    f"category '{name}': 'closed' (collapsed) has no equivalent; groups are "
                    "always open",
                )
        members: dict[str, list[ComponentSpec]] = {name: [] for name in cats}
        for raw in systems:
            system = lower_keys(raw)
            name = one_line(system.get("name") or "")
            if not name:
                source.warn(where, "a system without a name was left out")
                continue
            if name in self.ids:
                source.warn(where, f"system '{name}' is listed twice; the second was left out")
                continue
            spec = self._spec(name, system)
            category = one_line(system.get("category") or "")
            if not category or (category in cats and truthy(cats[category].get("untitled"))):
                if not category and cats:
                    source.warn(
                        where, f"system '{name}' has no category; imported outside any group"
                    )
                source.components.append(spec)
                continue
            if category not in cats:
                source.warn(
                    where,
                    f"system '{name}' names category '{category}', which is not defined; made a "
                    "group of it",
                )
                cats[category] = {"name": category}
                members[category] = []
            members[category].append(spec)
        for name, cat in cats.items():
            if truthy(cat.get("untitled")):
                continue
            if not members[name]:
                source.warn(where, f"category '{name}' has no systems; not imported")
                continue
            gid = unique(slugify(name) or "group", self.taken)
            description, cut = fit(one_line(cat.get("description") or ""), DESCRIPTION_MAX)
            if cut:
                source.warn(
                    where, f"category '{name}': description cut to {DESCRIPTION_MAX} characters"
                )
            source.groups.append(GroupSpec(gid, fit(name, NAME_MAX)[0], description, members[name]))

    def _extra(self, raw: dict[str, Any], known: tuple[str, ...], what: str) -> None:
        for key, value in raw.items():
            if key not in known and value not in (None, "", False, "false"):
                self.source.warn(self.where, f"{what}: '{key}' has no equivalent; not imported")

    def _spec(self, name: str, system: dict[str, Any]) -> ComponentSpec:
        where, source = self.where, self.source
        cid = unique(slugify(name) or "component", self.taken)
        self.ids[name] = cid
        self.folded.setdefault(name.casefold(), cid)
        shown, cut = fit(name, NAME_MAX)
        if cut:
            source.warn(where, f"system '{name}': name cut to {NAME_MAX} characters")
        description, cut = fit(one_line(system.get("description") or ""), DESCRIPTION_MAX)
        if cut:
            source.warn(where, f"system '{name}': description cut to {DESCRIPTION_MAX} characters")
        link = str(system.get("link") or "").strip()
        if link and not re.match(r"^https?://[^/\s]+", link):
            source.warn(
                where, f"system '{name}': link '{link}' is not an http(s) URL; not imported"
            )
            link = ""
        if str(system.get("histogram", "")).strip().lower() == "false":
            source.warn(
                where,
                f"system '{name}': 'histogram: false' has no equivalent; every component shows "
                "its uptime",
            )
        self._extra(
            system, ("name", "description", "category", "link", "histogram"), f"system '{name}'"
        )
        return ComponentSpec(cid, shown, description, link)

    def resolve(self, name: str, origin: str) -> str:
        """The component id for an `affected` name; unknown names become new components."""
        name = one_line(name)
        if name in self.ids:
            return self.ids[name]
        if name.casefold() in self.folded:
            cid = self.folded[name.casefold()]
            self.source.warn(origin, f"affected system '{name}' matched '{cid}' only ignoring case")
            self.ids[name] = cid
            return cid
        spec = self._spec(name, {})
        self.source.components.append(spec)
        self.source.warn(
            origin,
            f"affected system '{name}' is not in the config's systems; added it as a component "
            "outside any group",
        )
        return spec.id


def read_site(site: Path) -> Source:
    """Everything importable from the cState site at `site`, with what was skipped and why."""
    site = site.resolve()
    config, config_name = load_config(site)
    issues = site / str(config.get("contentdir") or "content") / "issues"
    if not issues.is_dir():
        raise ImportFailure(
            f"{issues} not found: PATH must be a cState site (with content/issues/)"
        )
    source = Source("cstate")
    if not config_name:
        source.warn(
            "config",
            "no Hugo config found (config.yml, hugo.toml, ...): components come from the "
            "issues' 'affected' names",
        )
    tz: tzinfo = timezone.utc
    zone = str(config.get("timezone") or "").strip()
    if zone:
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            source.warn(
                config_name, f"timeZone '{zone}' is unknown; times without a zone are read as UTC"
            )
    components = _Components(config.get("params") or {}, config_name or "config", source)
    for path in sorted(issues.rglob("*.md")):
        rel = path.relative_to(issues).as_posix()
        if path.name.startswith("_index.") or any(p.startswith(".") for p in rel.split("/")):
            continue
        origin = f"content/issues/{rel}"
        try:
            front, body = split_front_matter(_read_text(path))
            source.entries.append(_issue(rel, origin, front, body, tz, components, source))
        except Skip as exc:
            source.skipped.append((origin, str(exc)))
    return source


def _time(value: Any, tz: tzinfo, what: str) -> datetime:
    moment = parse_time(value, tz)
    if moment is None:
        raise Skip(f"{what} '{value}' is not a time")
    return moment


def _issue(
    rel: str,
    origin: str,
    fm: dict[str, Any],
    body: str,
    tz: tzinfo,
    components: _Components,
    source: Source,
) -> Entry:
    """One content/issues file -> an incident or maintenance entry."""

    def warn(message: str) -> None:
        source.warn(origin, message)

    raw_title = fm.get("title")
    if not isinstance(raw_title, str) or not raw_title.strip():
        raise Skip("it has no title")
    title = one_line(raw_title)
    if "\n" in raw_title.strip():
        warn("the title spans several lines; joined into one")
    if fm.get("date") in (None, ""):
        raise Skip("it has no date")
    date = _time(fm["date"], tz, "date")
    resolved = truthy(fm.get("resolved", False))
    informational = truthy(fm.get("informational", False))
    severity = str(fm.get("severity") or "").strip().lower()
    when_raw = fm.get("resolvedwhen")
    resolved_when = parse_time(when_raw, tz) if when_raw not in (None, "") else None
    unplaced: list[str] = []
    if when_raw not in (None, "") and resolved_when is None:
        warn(f"resolvedWhen '{when_raw}' is not a time; kept in the internal notes")
        unplaced.append(f"resolvedWhen {when_raw}")
    for key, value in fm.items():
        if key not in KNOWN and value not in (None, "", False, "false", [], {}):
            warn(f"'{key}: {value}' has no equivalent in Statusbook; not imported")
    if truthy(fm.get("pin", False)):
        warn(
            "'pin: true' has no equivalent (active incidents are always listed first); not imported"
        )
    affected = fm.get("affected") or []
    if isinstance(affected, str):
        affected = [a for a in affected.split(",") if a.strip()]
    ids = list(dict.fromkeys(components.resolve(str(a), origin) for a in affected))
    for name in sorted({m.group(1) for m in SHORTCODE.finditer(body)} - {"track"}):
        warn(f"Hugo shortcode '{name}' is kept as text; Statusbook does not render shortcodes")

    prelude, parts, trailing = split_updates(normalize_text(body))
    stamped = sorted(
        ((_time(stamp, tz, "update time"), -pos, text) for stamp, text, pos in parts),
        key=lambda s: (s[0], s[1]),  # equal times: the lower in the body is the older
    )
    stem = Path(rel).parent.name if Path(rel).stem == "index" else Path(rel).stem
    slug = slugify(DATE_PREFIX.sub("", stem)) or slugify(title) or "issue"
    entry = Entry(
        kind="incident",
        key=rel,
        origin=origin,
        day=date.date(),
        slug=slug,
        title=title,
        components=ids,
        visibility="internal" if truthy(fm.get("draft", False)) else "",
    )

    if not informational and severity in NOTICE:
        if resolved_when is not None and resolved_when > date:
            return _maintenance(entry, date, resolved_when, prelude, stamped, trailing, body, warn)
        warn(
            "a notice without an end (resolvedWhen after date) cannot be a maintenance window; "
            "imported as an incident with impact none"
        )
    _set_impact(entry, informational, severity, warn)
    labels = _add_updates(entry, date, prelude, stamped, trailing, warn)
    _close(entry, informational, resolved, resolved_when, bool(stamped), labels[-1], warn)
    _place_times(entry, date, resolved, resolved_when, stamped, unplaced, origin, warn)
    return entry


def _set_impact(entry: Entry, informational: bool, severity: str, warn: Warn) -> None:
    """The incident's impact from cState's severity (a post without an outage: none)."""
    if informational:
        entry.impact = "none"
    elif severity in SEVERITY_IMPACT:
        entry.impact = SEVERITY_IMPACT[severity]
    elif severity in NOTICE:
        entry.impact = "none"
    elif not severity:
        entry.impact = "none"
        warn("it has no severity; imported with impact none")
    else:
        raise Skip(f"unknown severity '{severity}' (cState has down, disrupted and notice)")


def _add_updates(
    entry: Entry,
    date: datetime,
    prelude: str,
    stamped: list[tuple[datetime, int, str]],
    trailing: str,
    warn: Warn,
) -> list[str | None]:
    """The updates, oldest first, with the status each one's label gives (None: no label);
    an issue without stamps is one update at its date."""
    labels: list[str | None] = []
    if stamped:
        entry.body = "\n\n".join(p for p in (prelude, trailing) if p)
        status = "investigating"
        for at, _, text in stamped:
            label = INCIDENT_LABELS.get(label_of(text))
            status = label or status
            labels.append(label)
            entry.updates.append(Update(at, status, _message(text, warn)))
    else:
        text = prelude
        if len(text) > 20000:
            entry.body, text = text, "The details are in the description below."
            warn("the text is longer than an update may be; moved to the incident's description")
        label = INCIDENT_LABELS.get(label_of(text))
        labels.append(label)
        entry.updates.append(Update(date, label or "investigating", _message(text, warn)))
    return labels


def _close(
    entry: Entry,
    informational: bool,
    resolved: bool,
    resolved_when: datetime | None,
    stamped: bool,
    last_label: str | None,
    warn: Warn,
) -> None:
    """The newest update's status as cState's `resolved` says: closed with a resolved update
    (the newest, one at resolvedWhen, or one added at the newest's time), or kept open."""
    last = entry.updates[-1]
    if informational:
        last.status = "resolved"  # a post, not an outage: history only, never active
    elif resolved:
        if last.status == "resolved":
            pass
        elif (
            resolved_when
            and resolved_when > last.at
            and (not stamped or resolved_when - last.at <= GAP)
        ):
            entry.updates.append(Update(resolved_when, "resolved", CLOSING_MESSAGE, synthetic=True))
        elif last_label is None:
            last.status = "resolved"
        else:
            entry.updates.append(Update(last.at, "resolved", CLOSING_MESSAGE, synthetic=True))
            warn(
                f"resolved, but its newest update says '{last.status}' and resolvedWhen "
                "does not follow it; closed at the newest update's time"
            )
    elif last.status == "resolved":
        last.status = "monitoring"
        warn(
            "the newest update reads as resolved but 'resolved' is not true: imported as "
            "monitoring (still active)"
        )


def _place_times(
    entry: Entry,
    date: datetime,
    resolved: bool,
    resolved_when: datetime | None,
    stamped: list[tuple[datetime, int, str]],
    unplaced: list[str],
    origin: str,
    warn: Warn,
) -> None:
    """cState's date and resolvedWhen as lifecycle times where they fit the updates, else
    in the internal notes."""
    first, final = entry.updates[0], entry.updates[-1]
    if stamped and date != first.at:
        if date < first.at and first.at - date <= GAP:
            entry.lifecycle["started"] = date
        else:
            unplaced.append(f"date {iso(date)}")
            warn(
                f"date {iso(date)} does not fit the update times "
                f"({iso(first.at)} to {iso(stamped[-1][0])}); kept in the internal notes"
            )
    if resolved_when is not None and resolved_when != final.at:
        start = entry.lifecycle.get("started", first.at)
        if resolved and final.status == "resolved" and start <= resolved_when <= final.at:
            entry.lifecycle["resolved"] = resolved_when
        else:
            unplaced.append(f"resolvedWhen {iso(resolved_when)}")
            why = "'resolved' is not true" if not resolved else "it does not fit the update times"
            warn(
                f"resolvedWhen {iso(resolved_when)} is not used ({why}); kept in the internal notes"
            )
    entry.day = entry.lifecycle.get("started", first.at).date()
    if unplaced:
        entry.notes = (
            f"Imported from cState ({origin}). Times it gives that do not fit the updates: "
            + "; ".join(unplaced)
            + "."
        )


def _message(text: str, warn) -> str:
    if text.strip():
        return text
    warn("an update has no text; it reads 'No message was posted with this update.'")
    return EMPTY_MESSAGE


def _maintenance(
    entry: Entry,
    start: datetime,
    end: datetime,
    prelude: str,
    stamped: list[tuple[datetime, int, str]],
    trailing: str,
    body: str,
    warn,
) -> Entry:
    """A notice with an end: a maintenance window from `date` to `resolvedWhen`."""
    entry.kind, entry.start, entry.end = "maintenance", start, end
    if not stamped:
        entry.body = prelude
        return entry
    entry.body = "\n\n".join(p for p in (prelude, trailing) if p)
    for at, _, text in stamped:
        status = MAINTENANCE_LABELS.get(label_of(text))
        if status is None:
            status = "scheduled" if at < start else "in_progress" if at < end else "completed"
        entry.updates.append(Update(at, status, _message(text, warn)))
    return entry
