"""What an importer produces: a `Source` of entries, components and groups in Statusbook's
terms, and the small helpers every importer uses to get there (slugs, unique ids, times,
one-line text that fits a limit).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any

import yaml

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
