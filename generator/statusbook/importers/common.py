"""What every importer shares: the entry model, a careful YAML writer, merging components.yml,
stable ids, validation before anything is written, and the report.

An importer turns its source into a `Source` (Statusbook terms, provisional component ids);
`apply` does the rest:

1. merge the source's components into content/components.yml (existing entries are never
   silently changed: a difference is a conflict unless `overwrite`);
2. give every entry a file: the one imported from the same source entry before (found by the
   `# statusbook import KIND: KEY` comment in its frontmatter), else a new
   `<folder>/YYYY/YYYY-MM-DD-<slug>.md` with an id unique in the site;
3. render each file, check that the YAML reads back to exactly the values meant, and validate
   the whole site with the new files in a scratch copy, dropping entries that do not validate;
4. write what changed (nothing, on a second run) and report.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import yaml

from ..content.frontmatter import parse_markdown, parse_yaml
from ..content.validate import build_components
from ..errors import Finding, Severity
from ..model import LIFECYCLE

try:  # libyaml is several times faster; both give the same values
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

COMPONENTS_FILE = "components.yml"
FOLDERS = {"incident": "incidents", "maintenance": "maintenance", "postmortem": "postmortems"}
MARKER_RE = re.compile(r"^# statusbook import ([a-z]+): (.+)$")
MAX_SLUG = 80
NAME_MAX, DESCRIPTION_MAX, TITLE_MAX = 100, 500, 200

#: Message of an update the importer adds when the source marks an incident resolved without
#: posting an update for it (cState's `resolved: true`, a Statuspage incident left open).
CLOSING_MESSAGE = "This incident was marked resolved."
#: Message of an update whose source update has no text.
EMPTY_MESSAGE = "No message was posted with this update."


class ImportFailure(Exception):
    """The import cannot start (unreadable source, broken components.yml); nothing is written."""


class Skip(Exception):
    """One source entry cannot be imported; the message says why."""


# --- small helpers -----------------------------------------------------------------------------


def slugify(text: str, limit: int = MAX_SLUG) -> str:
    """Lower-case ASCII letters, digits and dashes, cut at a dash to at most `limit` chars."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut[: cut.rfind("-")] if "-" in cut[limit // 2 :] else cut
        slug = slug.strip("-")
    return slug


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is free; claims it in `taken`."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return " ".join(str(text).split())


def fit(text: str, limit: int) -> tuple[str, bool]:
    """`text` cut to `limit` characters with an ellipsis; True when it was cut."""
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


def normalize_text(text: str) -> str:
    """Line endings as \\n, no NUL bytes, no blank lines at either end."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.strip("\n").strip()


_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
    r"(?:\s+[A-Z]{2,5})?$"
)


def parse_time(value: Any, tz: tzinfo = timezone.utc) -> datetime | None:
    """A time as written by Hugo, Statuspage or a person -> aware UTC datetime, or None.

    Accepts ISO 8601 with `T` or a space, optional seconds and fraction, `Z`/offset/none (then
    `tz`), a bare date (midnight in `tz`), RFC 822/1123 forms, and date/datetime objects.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=tz)
        return moment.astimezone(timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz).astimezone(timezone.utc)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _ISO.match(text)
    if match:
        y, mo, d, h, mi, s, frac, zone = match.groups()
        try:
            micro = int((frac or "0")[:6].ljust(6, "0"))
            fields = (int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), micro)
            if zone in (None, ""):
                zone_info = tz
            elif zone in ("Z", "z", "UTC", "GMT"):
                zone_info = timezone.utc
            else:
                digits = zone[1:].replace(":", "")
                offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
                zone_info = timezone(-offset if zone[0] == "-" else offset)
            return datetime(*fields, tzinfo=zone_info).astimezone(timezone.utc)
        except ValueError:
            return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(timezone.utc)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with Z; milli- or microseconds only when the source had them."""
    moment = moment.astimezone(timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        frac = f"{moment.microsecond:06d}"
        text += "." + (frac[:3] if frac.endswith("000") else frac)
    return text + "Z"


# --- the model an importer produces ------------------------------------------------------------


@dataclass
class Update:
    """One update; `components` maps provisional component ids to statuses."""

    at: datetime
    status: str
    message: str
    components: dict[str, str] = field(default_factory=dict)
    synthetic: bool = False  # added by the importer (see CLOSING_MESSAGE)


@dataclass
class Entry:
    """One incident, maintenance window or postmortem, in Statusbook terms."""

    kind: str  # incident | maintenance | postmortem
    key: str  # stable identity in the source, e.g. "issues/2018-04-13-outage.md"
    origin: str  # how reports name it
    day: date  # the date in its file name
    slug: str
    title: str
    body: str = ""
    impact: str = ""
    components: list[str] = field(default_factory=list)  # provisional component ids
    visibility: str = ""  # "" is public (the default, not written)
    lifecycle: dict[str, datetime] = field(default_factory=dict)
    notes: str = ""
    updates: list[Update] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    incident_key: str = ""  # postmortem: the key of the incident it covers
    status: str = ""  # postmortem: draft | published
    published: date | None = None  # postmortem: its date


@dataclass
class ComponentSpec:
    id: str
    name: str
    description: str = ""
    link: str = ""


@dataclass
class GroupSpec:
    id: str
    name: str
    description: str = ""
    components: list[ComponentSpec] = field(default_factory=list)


@dataclass
class Source:
    """What an importer read: ids are provisional until merged with the site."""

    kind: str  # cstate | statuspage
    groups: list[GroupSpec] = field(default_factory=list)
    components: list[ComponentSpec] = field(default_factory=list)  # outside any group
    entries: list[Entry] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, where: str, message: str) -> None:
        self.warnings.append((where, message))


@dataclass
class Report:
    """The outcome of `apply`: paths relative to the site root, reasons as text."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)  # source key -> written file
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.conflicts


# --- YAML ----------------------------------------------------------------------------------------


class Raw(str):
    """A value written as-is (timestamps, dates, ids checked by the caller)."""


Fields = list[tuple[str, Any]]
#: Markdown fields written as `|` blocks when long or not plain, so they read like text.
BLOCK_KEYS = ("message", "notes")


def _loads(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


def _reads_back(snippet: str, value: str) -> bool:
    """Does `k: <snippet>` read back as exactly `value`, with our reader's line endings?"""
    text = "k: " + snippet + "\n"
    if "\r" in text or "\x00" in text:
        return False
    try:
        return _loads(text) == {"k": value}
    except yaml.YAMLError:
        return False


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _printable(ch: str) -> bool:
    o = ord(ch)
    return (
        o in (0x09, 0x0A, 0x0D)
        or 0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or 0xE000 <= o <= 0xFFFD
        and o != 0xFEFF
        or 0x10000 <= o <= 0x10FFFF
    )


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar on one line: every character survives, whatever it is."""
    out = ['"']
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif not _printable(ch) or ch in "\u2028\u2029\x85":
            o = ord(ch)
            out.append(
                f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}"
            )
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def inline(value: str, flow: bool = False) -> str:
    """A one-line scalar: plain when it reads back unchanged (in a flow list too, if `flow`),
    else double-quoted."""
    if value and "\n" not in value and value == value.strip() and value[0] not in "'\"":
        if _reads_back(value, value) and (not flow or _reads_back(f"[{value}]", [value])):
            return value
    return double_quoted(value)


def _literal(value: str, indent: int) -> str | None:
    """A `|` block for multi-line text whose lines are indented by `indent` spaces (its key
    stands at `indent - 2`), or None when such a block would not read back exactly."""
    if value.endswith("\n\n") or not value.strip():
        return None
    chomp = "" if value.endswith("\n") else "-"
    lines = (value[:-1] if value.endswith("\n") else value).split("\n")
    first = next(line for line in lines if line.strip())
    indicator = "2" if first[:1].isspace() else ""
    pad = " " * indent
    block = f"|{indicator}{chomp}\n" + "\n".join(pad + line if line else "" for line in lines)
    probe = (
        "a:\n" + " " * (indent - 2) + "k: " + block + "\n" if indent > 2 else "k: " + block + "\n"
    )
    want = {"a": {"k": value}} if indent > 2 else {"k": value}
    try:
        return block if _loads(probe) == want else None
    except yaml.YAMLError:
        return None


def emit(fields: Fields, indent: int = 0) -> list[str]:
    """YAML lines for ordered fields: str, Raw, list of str, list of Fields, dict of str."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in fields:
        if value is None:
            continue
        head = f"{pad}{inline(key)}:"
        if isinstance(value, Raw):
            lines.append(f"{head} {value}")
        elif isinstance(value, str):
            text = inline(value)
            wants_block = "\n" in value or (
                key in BLOCK_KEYS and (len(value) > 60 or not text or text[0] == '"')
            )
            block = _literal(value, indent + 2) if wants_block else None
            lines.append(f"{head} {block}" if block else f"{head} {text}")
        elif isinstance(value, dict):
            lines.append(head)
            lines.extend(emit(list(value.items()), indent + 2))
        elif isinstance(value, list) and value and isinstance(value[0], list):
            lines.append(head)
            for item in value:
                sub = emit(item, indent + 4)
                sub[0] = f"{pad}  - {sub[0][indent + 4 :]}"
                lines.extend(sub)
        elif isinstance(value, list):
            lines.append(f"{head} [" + ", ".join(inline(v, flow=True) for v in value) + "]")
        else:  # pragma: no cover - a programming error
            raise TypeError(f"cannot write {type(value).__name__} for {key}")
    return lines


def plain_values(fields: Fields) -> dict[str, Any]:
    """What `emit(fields)` must read back as, with Statusbook's reader (all scalars text)."""
    out: dict[str, Any] = {}
    for key, value in fields:
        if value is None:
            continue
        if isinstance(value, dict):
            out[key] = {k: str(v) for k, v in value.items()}
        elif isinstance(value, list) and value and isinstance(value[0], list):
            out[key] = [plain_values(item) for item in value]
        elif isinstance(value, list):
            out[key] = [str(v) for v in value]
        else:
            out[key] = str(value)
    return out


def markdown_file(marker: str, fields: Fields, body: str) -> str:
    """A content file: frontmatter (marker comment first), then the Markdown body."""
    lines = ["---", marker, *emit(fields), "---"]
    text = "\n".join(lines) + "\n"
    if body:
        text += body + "\n"
    return text


# --- entries -> files ----------------------------------------------------------------------------


def entry_fields(entry: Entry, ids: dict[str, str], incident_ids: dict[str, str]) -> Fields:
    """The frontmatter of an entry, with final component ids (and incident ids, for postmortems)."""
    if entry.kind == "postmortem":
        return [
            ("title", entry.title),
            ("incidents", [incident_ids[entry.incident_key]]),
            ("status", Raw(entry.status)),
            ("date", Raw(entry.published.isoformat()) if entry.published else None),
        ]
    components = list(dict.fromkeys(ids[c] for c in entry.components))
    updates: list[Fields] = []
    for update in entry.updates:
        item: Fields = [
            ("at", Raw(iso(update.at))),
            ("status", Raw(update.status)),
            ("message", update.message),
        ]
        if update.components:
            item.append(("components", {ids[c]: Raw(s) for c, s in update.components.items()}))
        updates.append(item)
    if entry.kind == "maintenance":
        assert entry.start is not None and entry.end is not None
        return [
            ("title", entry.title),
            ("components", components),
            ("start", Raw(iso(entry.start))),
            ("end", Raw(iso(entry.end))),
            ("visibility", Raw(entry.visibility) if entry.visibility else None),
            ("updates", updates or None),
        ]
    fields: Fields = [
        ("title", entry.title),
        ("impact", Raw(entry.impact)),
        ("components", components),
        ("visibility", Raw(entry.visibility) if entry.visibility else None),
    ]
    fields += [
        (name, Raw(iso(entry.lifecycle[name]))) for name in LIFECYCLE if name in entry.lifecycle
    ]
    fields += [("notes", entry.notes or None), ("updates", updates)]
    return fields


def render_entry(
    entry: Entry, source_kind: str, ids: dict[str, str], incident_ids: dict[str, str]
) -> tuple[str, dict[str, Any]]:
    """The file's text and the values its frontmatter must read back as."""
    fields = entry_fields(entry, ids, incident_ids)
    marker = f"# statusbook import {source_kind}: {entry.key}"
    return markdown_file(marker, fields, entry.body), plain_values(fields)


def reads_back(path: str, text: str, expected: dict[str, Any], body: str) -> str:
    """'' when Statusbook's own reader gets exactly the values meant, else what differs."""
    doc = parse_markdown(path, text.encode("utf-8"))
    if doc.findings:
        return doc.findings[0].message
    if doc.data != expected:
        for key in expected:
            if doc.data.get(key) != expected[key]:
                return f"field '{key}' does not read back as written"
        return "the frontmatter does not read back as written"
    if doc.body != body.strip("\n"):
        return "the body does not read back as written"
    return ""


# --- components.yml ---------------------------------------------------------------------------


@dataclass
class _Existing:
    groups: list[GroupSpec]
    components: list[ComponentSpec]  # outside groups
    group_of: dict[str, str]  # component id -> group id ("" outside groups)
    text: str


def _read_existing(path: Path, display: str) -> _Existing | None:
    if not path.is_file():
        return None
    raw = path.read_bytes()
    doc = parse_yaml(display, raw)
    groups, components = build_components(doc)
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if errors:
        raise ImportFailure(
            f"{display} has errors; fix them first (statusbook validate), nothing was imported:\n"
            + "\n".join(f.format_text() for f in errors)
        )
    by_id = {c.id: c for c in components}
    out_groups = [
        GroupSpec(
            g.id,
            g.name,
            g.description,
            [
                ComponentSpec(cid, by_id[cid].name, by_id[cid].description, by_id[cid].link)
                for cid in g.component_ids
            ],
        )
        for g in groups
    ]
    loose = [
        ComponentSpec(c.id, c.name, c.description, c.link) for c in components if not c.group_id
    ]
    group_of = {c.id: c.group_id for c in components}
    return _Existing(out_groups, loose, group_of, raw.decode("utf-8"))


def _component_fields(c: ComponentSpec) -> Fields:
    return [
        ("id", Raw(c.id)),
        ("name", c.name),
        ("description", c.description or None),
        ("link", c.link or None),
    ]


def _group_fields(g: GroupSpec) -> Fields:
    return [
        ("id", Raw(g.id)),
        ("name", g.name),
        ("description", g.description or None),
        ("components", [_component_fields(c) for c in g.components]),
    ]


COMPONENTS_HEADER = (
    "# The components your customers see, in display order. Ids are used in incident files;\n"
    "# names and descriptions are what readers see. Groups are one level deep.\n"
)


def render_components(groups: list[GroupSpec], components: list[ComponentSpec]) -> str:
    fields: Fields = [
        ("groups", [_group_fields(g) for g in groups if g.components] or None),
        ("components", [_component_fields(c) for c in components] or None),
    ]
    return COMPONENTS_HEADER + "\n".join(emit(fields)) + "\n"


@dataclass
class _Merge:
    text: str | None  # new contents, None when the file stays as it is
    ids: dict[str, str]  # provisional id -> final id
    known: set[str]  # every component id after the merge
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def merge_components(
    source: Source, existing: _Existing | None, overwrite: bool, display: str
) -> _Merge:
    """Fold the source's groups and components into the existing file's, without surprises."""
    if existing is None:
        known = {c.id for g in source.groups for c in g.components} | {
            c.id for c in source.components
        }
        ids = {i: i for i in known}
        return _Merge(render_components(source.groups, source.components), ids, known)

    groups = [GroupSpec(g.id, g.name, g.description, list(g.components)) for g in existing.groups]
    loose = list(existing.components)
    group_by_id = {g.id: g for g in groups}
    comp_by_id = {c.id: c for g in groups for c in g.components} | {c.id: c for c in loose}
    group_of = dict(existing.group_of)
    taken = set(group_by_id) | set(comp_by_id)
    by_name: dict[str, list[str]] = {}
    for cid, c in comp_by_id.items():
        by_name.setdefault(c.name.casefold(), []).append(cid)
    group_by_name: dict[str, list[str]] = {}
    for g in groups:
        group_by_name.setdefault(g.name.casefold(), []).append(g.id)

    merge = _Merge(None, {}, set())
    added, replaced = False, False
    claimed: set[str] = set()

    def resolve_group(g: GroupSpec) -> str:
        nonlocal replaced
        if g.id in group_by_id:
            target = g.id
        elif len(group_by_name.get(g.name.casefold(), [])) == 1:
            target = group_by_name[g.name.casefold()][0]
            merge.notes.append(
                (display, f"group '{g.name}' matched the existing group '{target}' by name")
            )
        else:
            return ""
        have = group_by_id[target]
        diffs = _diff(have.name, g.name, "name") + (
            _diff(have.description, g.description, "description") if g.description else []
        )
        if diffs:
            if overwrite:
                have.name = g.name
                have.description = g.description or have.description
                replaced = True
            else:
                merge.conflicts.append(
                    (
                        display,
                        f"group '{target}' differs: {'; '.join(diffs)}; kept the existing one",
                    )
                )
        return target

    def place(c: ComponentSpec, target_group: str) -> None:
        nonlocal added, replaced
        final = ""
        if c.id in comp_by_id and c.id not in claimed:
            final = c.id
        else:
            same_name = [i for i in by_name.get(c.name.casefold(), []) if i not in claimed]
            if len(same_name) == 1:
                final = same_name[0]
                merge.notes.append(
                    (
                        display,
                        f"component '{c.name}' matched the existing component '{final}' by name",
                    )
                )
        if final:
            claimed.add(final)
            merge.ids[c.id] = final
            have = comp_by_id[final]
            diffs = _diff(have.name, c.name, "name")
            if c.description:
                diffs += _diff(have.description, c.description, "description")
            if c.link:
                diffs += _diff(have.link, c.link, "link")
            moved = target_group is not None and group_of.get(final, "") != target_group
            if moved:
                diffs.append(
                    f"group '{group_of.get(final) or '(none)'}' here, "
                    f"'{target_group or '(none)'}' in the source"
                )
            if not diffs:
                return
            if not overwrite:
                merge.conflicts.append(
                    (
                        display,
                        f"component '{final}' differs: {'; '.join(diffs)}; kept the existing one",
                    )
                )
                return
            have.name = c.name
            have.description = c.description or have.description
            have.link = c.link or have.link
            if moved:
                _detach(final, groups, loose)
                _attach(have, target_group, group_by_id, loose)
                group_of[final] = target_group
            replaced = True
            return
        final = unique(c.id, taken)
        claimed.add(final)
        merge.ids[c.id] = final
        spec = ComponentSpec(final, c.name, c.description, c.link)
        comp_by_id[final] = spec
        _attach(spec, target_group, group_by_id, loose)
        group_of[final] = target_group
        added = True

    for g in source.groups:
        target = resolve_group(g)
        if not target:
            target = unique(g.id, taken)
            new = GroupSpec(target, g.name, g.description, [])
            groups.append(new)
            group_by_id[target] = new
        for c in g.components:
            place(c, target)
    for c in source.components:
        place(c, "")

    merge.known = set(comp_by_id)
    if replaced:
        merge.text = render_components(groups, loose)
        if existing.text.lstrip().startswith("#") or "\n#" in existing.text:
            merge.notes.append((display, "rewritten with --overwrite: its comments were not kept"))
    elif added:
        merge.text = _insert(existing, groups, loose)
        if merge.text is None:
            merge.text = render_components(groups, loose)
            merge.notes.append(
                (
                    display,
                    "rewritten in Statusbook's layout (its layout did not allow adding lines)",
                )
            )
    return merge


def _diff(have: str, want: str, what: str) -> list[str]:
    return [] if have == want else [f"{what} '{have}' here, '{want}' in the source"]


def _detach(cid: str, groups: list[GroupSpec], loose: list[ComponentSpec]) -> None:
    for g in groups:
        g.components = [c for c in g.components if c.id != cid]
    loose[:] = [c for c in loose if c.id != cid]


def _attach(
    spec: ComponentSpec, group: str, group_by_id: dict[str, GroupSpec], loose: list[ComponentSpec]
) -> None:
    if group:
        group_by_id[group].components.append(spec)
    else:
        loose.append(spec)


def _insert(existing: _Existing, groups: list[GroupSpec], loose: list[ComponentSpec]) -> str | None:
    """Add the new groups and components as lines, keeping the file's comments and layout.

    None when the layout is not plain block YAML we can extend safely.
    """
    text = existing.text if existing.text.endswith("\n") else existing.text + "\n"
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    lines = text.split("\n")[:-1]
    top = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    old_groups = {g.id for g in existing.groups}
    old_members = {g.id: {c.id for c in g.components} for g in existing.groups}
    old_loose = {c.id for c in existing.components}
    inserts: list[tuple[int, list[str]]] = []
    appended: list[str] = []

    def items_at(seq: yaml.Node, new_items: list[Fields]) -> bool:
        spot = _block_spot(lines, seq)
        if spot is None:
            return False
        at, dash, key = spot
        block: list[str] = []
        for item in new_items:
            sub = emit(item, key)
            sub[0] = " " * dash + "-" + " " * (key - dash - 1) + sub[0][key:]
            block.extend(sub)
        inserts.append((at, block))
        return True

    group_nodes = top.get("groups")
    for g in groups:
        if g.id not in old_groups:
            continue
        new = [c for c in g.components if c.id not in old_members[g.id]]
        if not new:
            continue
        node = _group_node(group_nodes, g.id)
        members = _value(node, "components") if node is not None else None
        if members is None or not items_at(members, [_component_fields(c) for c in new]):
            return None
    new_groups = [_group_fields(g) for g in groups if g.id not in old_groups and g.components]
    if new_groups:
        if group_nodes is None:
            appended += ["groups:", *_as_items(new_groups)]
        elif not items_at(group_nodes, new_groups):
            return None
    new_loose = [_component_fields(c) for c in loose if c.id not in old_loose]
    if new_loose:
        node = top.get("components")
        if node is None:
            appended += ["components:", *_as_items(new_loose)]
        elif not items_at(node, new_loose):
            return None
    for at, block in sorted(inserts, key=lambda i: i[0], reverse=True):
        lines[at:at] = block
    out = "\n".join(lines + appended) + "\n"
    check = parse_yaml(COMPONENTS_FILE, out.encode("utf-8"))
    got_groups, got = build_components(check)
    if any(f.severity is Severity.ERROR for f in check.findings):
        return None
    want = {c.id: g.id for g in groups for c in g.components} | {c.id: "" for c in loose}
    if {c.id: c.group_id for c in got} != want:
        return None
    return out


def _as_items(items: list[Fields]) -> list[str]:
    out: list[str] = []
    for item in items:
        sub = emit(item, 4)
        sub[0] = "  - " + sub[0][4:]
        out.extend(sub)
    return out


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def _group_node(groups: yaml.Node | None, gid: str) -> yaml.Node | None:
    if not isinstance(groups, yaml.SequenceNode):
        return None
    for item in groups.value:
        ident = _value(item, "id")
        if isinstance(ident, yaml.ScalarNode) and ident.value == gid:
            return item
    return None


def _block_spot(lines: list[str], seq: yaml.Node) -> tuple[int, int, int] | None:
    """Where to add an item to a block sequence of mappings: (line, dash column, key column)."""
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value:
        return None
    first = seq.value[0]
    if not isinstance(first, yaml.MappingNode) or first.flow_style:
        return None
    key = first.start_mark.column
    before = lines[first.start_mark.line][:key].rstrip()
    if not before.endswith("-") or before[:-1].strip():
        return None
    return _end_line(seq.value[-1]), len(before) - 1, key


def _end_line(node: yaml.Node) -> int:
    """The line index just after the last character of a node's content."""
    if isinstance(node, yaml.ScalarNode):
        mark = node.end_mark
        return mark.line + (1 if mark.column > 0 else 0)
    children: Iterable[yaml.Node]
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    else:
        children = node.value
    return max((_end_line(n) for n in children), default=node.start_mark.line + 1)


# --- existing files ---------------------------------------------------------------------------


def _scan(content_dir: Path, source_kind: str) -> tuple[dict[str, Path], set[str], set[str]]:
    """Files imported before (by source key), entry ids and postmortem ids in use."""
    marked: dict[str, Path] = {}
    entry_ids: set[str] = set()
    postmortem_ids: set[str] = set()
    for kind, folder in FOLDERS.items():
        base = content_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.md")):
            (postmortem_ids if kind == "postmortem" else entry_ids).add(path.stem)
            try:
                with path.open(encoding="utf-8", errors="replace") as fh:
                    head = [fh.readline().rstrip("\r\n") for _ in range(3)]
            except OSError:
                continue
            for line in head[1:]:
                match = MARKER_RE.match(line)
                if match and match.group(1) == source_kind:
                    marked.setdefault(f"{kind}:{match.group(2)}", path)
    return marked, entry_ids, postmortem_ids


# --- apply ---------------------------------------------------------------------------------------

Validator = Callable[[Path], list[Finding]]


def apply(
    source: Source,
    content_dir: Path,
    *,
    root: Path | None = None,
    overwrite: bool = False,
    dry_run: bool = False,
    validator: Validator | None = None,
) -> Report:
    """Merge `source` into `content_dir`; see the module docstring for the steps.

    `validator(content_dir)` returns the findings for a whole content folder (paths relative
    to its parent); by default `statusbook.content.load` with the default settings.
    """
    root = root or content_dir.parent
    report = Report(dry_run=dry_run)
    report.skipped.extend(source.skipped)
    report.warnings.extend(source.warnings)

    def shown(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    components_path = content_dir / COMPONENTS_FILE
    existing = _read_existing(components_path, shown(components_path))
    merge = merge_components(source, existing, overwrite, shown(components_path))
    report.conflicts.extend(merge.conflicts)
    report.warnings.extend(merge.notes)

    marked, entry_ids, postmortem_ids = _scan(content_dir, source.kind)
    if existing is None and not merge.known:
        raise ImportFailure("the source defines no components, and the site has none either")
    # Entries imported before keep their files; the rest get new, unique ids in date order.
    entries = sorted(source.entries, key=lambda e: (e.kind == "postmortem", e.day, e.key))
    slots: dict[tuple[str, str], Path] = {}
    for entry in entries:
        found = marked.get(f"{entry.kind}:{entry.key}")
        if found is not None:
            slots[(entry.kind, entry.key)] = found
            continue
        other = next(
            (
                marked[f"{k}:{entry.key}"]
                for k in ("incident", "maintenance")
                if k != entry.kind and f"{k}:{entry.key}" in marked
            ),
            None,
        )
        if other is not None and entry.kind != "postmortem":
            report.conflicts.append(
                (
                    entry.origin,
                    f"imported before as {shown(other)}, but it now maps to a {entry.kind}; "
                    "delete that file to import it again",
                )
            )
            slots[(entry.kind, entry.key)] = Path()  # blocked
    in_source = {f"{e.kind}:{e.key}" for e in entries}
    for key, path in sorted(marked.items()):
        if key not in in_source:
            report.warnings.append(
                (
                    shown(path),
                    f"imported before from {key.split(':', 1)[1]}, which is no longer in "
                    "the source (or no longer imports); left as it is",
                )
            )
    incident_ids: dict[str, str] = {}
    placed: list[tuple[Entry, Path]] = []
    for entry in entries:
        path = slots.get((entry.kind, entry.key))
        if path == Path():
            continue
        if path is None:
            if entry.kind == "postmortem":
                if entry.incident_key not in incident_ids:
                    report.skipped.append((entry.origin, "its incident was not imported"))
                    continue
                ident = unique(incident_ids[entry.incident_key], postmortem_ids)
            else:
                ident = unique(f"{entry.day:%Y-%m-%d}-{entry.slug or entry.kind}", entry_ids)
            path = content_dir / FOLDERS[entry.kind] / f"{entry.day:%Y}" / f"{ident}.md"
        elif entry.kind == "postmortem" and entry.incident_key not in incident_ids:
            report.skipped.append((entry.origin, "its incident was not imported"))
            continue
        if entry.kind == "incident":
            incident_ids[entry.key] = path.stem
        placed.append((entry, path))

    rendered: dict[str, tuple[Entry, Path, str]] = {}
    for entry, path in placed:
        text, expected = render_entry(entry, source.kind, merge.ids, incident_ids)
        problem = reads_back(shown(path), text, expected, entry.body)
        if problem:
            report.skipped.append((entry.origin, f"internal error, not written: {problem}"))
            continue
        rendered[f"{entry.kind}:{entry.key}"] = (entry, path, text)

    rendered, fatal = _validate(
        rendered, merge.text, content_dir, validator or _default_validator, report, shown
    )
    if fatal:
        return report

    writes: list[tuple[Path, str]] = []
    if merge.text is not None:
        (report.updated if existing else report.created).append(shown(components_path))
        writes.append((components_path, merge.text))
    elif existing is not None:
        report.unchanged.append(shown(components_path))
    for entry, path, text in sorted(rendered.values(), key=lambda r: str(r[1])):
        report.paths[f"{entry.kind}:{entry.key}"] = shown(path)
        if path.is_file():
            old = path.read_bytes()
            if old == text.encode("utf-8"):
                report.unchanged.append(shown(path))
                continue
            if not overwrite:
                report.conflicts.append(
                    (
                        shown(path),
                        f"differs from what {entry.origin} imports to (edited since?); kept it "
                        "(--overwrite replaces it)",
                    )
                )
                continue
            report.updated.append(shown(path))
        else:
            report.created.append(shown(path))
        writes.append((path, text))
    if not dry_run:
        for path, text in writes:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
    return report


def _default_validator(content_dir: Path) -> list[Finding]:
    from ..content import load as content

    return content.load(content_dir, content_dir.parent).findings


def _validate(
    rendered: dict[str, tuple[Entry, Path, str]],
    components_text: str | None,
    content_dir: Path,
    validator: Validator,
    report: Report,
    shown: Callable[[Path], str],
) -> tuple[dict[str, tuple[Entry, Path, str]], bool]:
    """Check the site with the new files in a scratch copy; drop entries that do not validate.

    Returns the entries that passed and whether the import must stop (components.yml broken).
    """
    keep = dict(rendered)
    with tempfile.TemporaryDirectory(prefix="statusbook-import-") as scratch:
        while True:  # dropping an incident can break its postmortem: check again
            work = Path(scratch) / "content"
            if work.exists():
                shutil.rmtree(work)
            if content_dir.is_dir():
                shutil.copytree(content_dir, work)
            else:
                work.mkdir(parents=True)
            if components_text is not None:
                (work / COMPONENTS_FILE).write_text(components_text, encoding="utf-8")
            ours: dict[str, str] = {}
            for slot, (_, path, text) in keep.items():
                rel = path.resolve().relative_to(content_dir.resolve()).as_posix()
                target = work / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                ours["content/" + rel] = slot
            bad: dict[str, list[Finding]] = {}
            warnings: list[tuple[str, str]] = []
            for finding in validator(work):
                if finding.path in ours:
                    if finding.severity is Severity.ERROR:
                        bad.setdefault(ours[finding.path], []).append(finding)
                    else:
                        warnings.append((shown(keep[ours[finding.path]][1]), finding.message))
                elif finding.path == "content/" + COMPONENTS_FILE and components_text is not None:
                    if finding.severity is Severity.ERROR:
                        report.skipped.append(
                            (COMPONENTS_FILE, f"internal error, nothing written: {finding.message}")
                        )
                        return {}, True
            if not bad:
                report.warnings.extend(warnings)
                break
            for slot, problems in sorted(bad.items()):
                entry, path, _ = keep.pop(slot)
                reasons = "; ".join(p.message for p in problems[:3])
                report.skipped.append((entry.origin, f"does not validate: {reasons}"))
    return keep, False
