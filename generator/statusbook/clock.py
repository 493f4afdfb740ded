"""Time: parsing content timestamps, and where a build's `now` comes from."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

#: How far a content time may be ahead of the clock before it counts as in the future: clocks
#: of laptops and CI runners kept by NTP differ by seconds, a hand-set one by a minute or two,
#: and the CLI writes times rounded to the minute. Five minutes absorbs all of that, and is
#: well below any typo worth catching (an hour, a day, a month).
CLOCK_SKEW = timedelta(minutes=5)
_RELATIVE = re.compile(r"^([+-])(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_timestamp(text: str) -> tuple[datetime | None, str]:
    """ISO 8601 with a timezone -> aware UTC datetime, or (None, what is wrong)."""
    candidate = text.strip()
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"  # Python 3.10 rejects 'Z'
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", candidate):
        if re.match(r"^\d{4}-\d{2}-\d{2}$", candidate):
            return None, f"is '{text}', a date without a time and timezone"
        return None, f"is '{text}', not an ISO 8601 time"
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError as exc:
        return None, f"is '{text}', not a valid time ({exc})"
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None, f"is '{text}', a time without a timezone"
    return parsed.astimezone(timezone.utc), ""


def wall_clock() -> datetime:
    """The real time: the one place Statusbook reads it. Edges (the CLI, the MkDocs host) call
    it once per run and pass the moment down (context.BuildContext.clock)."""
    return datetime.now(timezone.utc)


def parse_now(text: str, reference: datetime | None = None) -> datetime:
    """A `--now` value: ISO 8601, 'now', or relative like '+30m' / '-2h' (from `reference`)."""
    base = reference or wall_clock()
    value = text.strip()
    if value == "now":
        return base
    match = _RELATIVE.match(value)
    if match:
        sign, amount, unit = match.groups()
        delta = timedelta(**{_UNITS[unit]: int(amount)})
        return base + delta if sign == "+" else base - delta
    parsed, problem = parse_timestamp(value)
    if parsed is None:
        raise ValueError(f"{problem}; use ISO 8601 with a timezone, 'now', '+30m' or '-2h'")
    return parsed


def build_now(
    explicit: str | None = None,
    pinned: datetime | None = None,
    environ: Mapping[str, str] | None = None,
    clock: datetime | None = None,
) -> datetime:
    """`--now`, else SOURCE_DATE_EPOCH (reproducible builds), else the site's pinned moment
    (mkdocs.yml `now:`, for an example site), else the clock (`clock`, the real time the edge
    read, or the wall clock). `environ` is the edge's environment (default: this process's)."""
    if explicit:
        return parse_now(explicit, reference=clock)
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        except (ValueError, OverflowError, OSError) as exc:
            raise ValueError(f"SOURCE_DATE_EPOCH is '{epoch}', not a Unix time") from exc
    if pinned is not None:
        return pinned
    return (clock or wall_clock()).replace(microsecond=0)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def iso_z(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def humanize_duration(delta: timedelta) -> str:
    """'2 h 5 min' style, for durations shown to readers."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if minutes and not days:
        parts.append(f"{minutes} min")
    return " ".join(parts)
