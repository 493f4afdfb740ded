"""Reading a cState site's files: its Hugo config (YAML, TOML or JSON), an issue's front matter,
and an issue's body split into updates at its `{{< track >}}` stamps, with their labels.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from .common import (
    ImportFailure,
    Skip,
)

CONFIG_NAMES = (
    "hugo.yaml", "hugo.yml", "hugo.toml", "hugo.json",
    "config.yaml", "config.yml", "config.toml", "config.json",
)  # fmt: skip

#: cState severity -> Statusbook impact (notice: see `_issue`).
SEVERITY_IMPACT = {"down": "critical", "disrupted": "major"}
NOTICE = ("notice", "announcement")  # cState's CMS filter calls notice "announcement"

#: Update labels ("*Investigating* - ...") -> incident status; None: continues the one before.
INCIDENT_LABELS: dict[str, str | None] = {
    "investigating": "investigating",
    "investigation": "investigating",
    "identified": "identified",
    "issue identified": "identified",
    "monitoring": "monitoring",
    "resolved": "resolved",
    "fixed": "resolved",
    "closed": "resolved",
    "completed": "resolved",
    "complete": "resolved",
    "recovered": "resolved",
    "update": None,
    "updated": None,
}
#: Update labels in a maintenance notice -> maintenance status.
MAINTENANCE_LABELS: dict[str, str] = {
    "scheduled": "scheduled",
    "planned": "scheduled",
    "upcoming": "scheduled",
    "in progress": "in_progress",
    "in-progress": "in_progress",
    "in_progress": "in_progress",
    "started": "in_progress",
    "began": "in_progress",
    "just began": "in_progress",
    "underway": "in_progress",
    "ongoing": "in_progress",
    "investigating": "in_progress",
    "identified": "in_progress",
    "verifying": "verifying",
    "monitoring": "verifying",
    "completed": "completed",
    "complete": "completed",
    "finished": "completed",
    "done": "completed",
    "resolved": "completed",
    "fixed": "completed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
}

#: How far cState's `date`/`resolvedWhen` may lie from the update stamps and still be used as
#: the incident's start and resolution (further off, they are kept in the internal notes).
GAP = timedelta(days=3)

KNOWN = {
    "title", "date", "resolved", "resolvedwhen", "severity", "affected", "section",
    "informational", "draft", "pin",
}  # fmt: skip
_TRACK = re.compile(
    r"\{\{[<%]\s*track\s+(?:\"([^\"]*)\"|'([^']*)'|`([^`]*)`|([^\s>%}]+))\s*/?\s*[>%]\}\}"
)
SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*([\w./-]+)")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LABEL = re.compile(r"^\s*[*_]{0,3}\s*([^\W\d_][\w' -]{0,40}?)\s*[*_]{0,3}\s*(?:[-–—:]|$)", re.M)
_LEADING_SHORTCODES = re.compile(r"^(?:\s*\{\{[<%].*?[>%]\}\})+\s*", re.S)
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_]?")


class _StrLoader(yaml.SafeLoader):
    """YAML with every scalar kept as text (Hugo's dates, `no`, `10:30` stay as written)."""


_StrLoader.yaml_implicit_resolvers = {}


def truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "yes", "on", "1")


def lower_keys(value: Any) -> dict[str, Any]:
    """Hugo reads config and front matter keys case-insensitively."""
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else {}


def _parse_data(text: str, suffix: str, what: str) -> Any:
    try:
        if suffix == ".toml":
            try:
                import tomllib
            except ModuleNotFoundError:  # Python 3.10
                return _simple_toml(text, what)
            return tomllib.loads(text)
        if suffix == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_StrLoader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, ValueError) as exc:
        raise ImportFailure(f"{what} cannot be read: {exc}") from exc


_TOML_LINE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*(.+?)\s*$")


def _simple_toml(text: str, what: str) -> dict[str, Any]:
    """`key = value` lines (strings, booleans, numbers, dates, one-line arrays) without tomllib.

    Enough for Hugo front matter; anything else (tables, multi-line values) is refused.
    """
    out: dict[str, Any] = {}
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _TOML_LINE.match(line)
        if not match:
            raise ImportFailure(
                f"{what}: this TOML needs Python 3.11 or later to read: {line.strip()}"
            )
        key, raw = match.groups()
        if raw.startswith("["):
            try:
                out[key] = json.loads(raw.replace("'", '"'))
            except ValueError as exc:
                raise ImportFailure(f"{what}: cannot read {key} = {raw}") from exc
        elif raw[0] in "\"'":
            out[key] = json.loads(raw) if raw[0] == '"' else raw.strip("'")
        else:
            out[key] = raw.split(" #")[0].strip()  # true/false, numbers, dates: as text
    return out


def _read_text(path: Path) -> str:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_config(site: Path) -> tuple[dict[str, Any], str]:
    """The site's Hugo config (keys lower-cased at the top and in params) and its file name."""
    for name in CONFIG_NAMES:
        path = site / name
        if path.is_file():
            data = lower_keys(_parse_data(_read_text(path), path.suffix, name))
            data["params"] = lower_keys(data.get("params"))
            return data, name
    default = site / "config" / "_default"
    if default.is_dir():
        data: dict[str, Any] = {"params": {}}
        for path in sorted(default.iterdir()):
            if path.suffix not in (".yaml", ".yml", ".toml", ".json"):
                continue
            part = lower_keys(_parse_data(_read_text(path), path.suffix, path.name))
            if path.stem == "params":
                data["params"].update(part)
            elif path.stem in ("config", "hugo"):
                params = lower_keys(part.pop("params", None))
                data.update(part)
                data["params"].update(params)
        return data, "config/_default/"
    return {"params": {}}, ""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Hugo front matter (YAML `---`, TOML `+++` or JSON `{`) and the body after it."""
    lines = text.split("\n")
    fence = lines[0].rstrip()
    if fence in ("---", "+++"):
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == fence), None)
        if end is None:
            raise Skip("its front matter is never closed")
        raw = "\n".join(lines[1:end])
        body = "\n".join(lines[end + 1 :])
        try:
            data = _parse_data(raw, ".toml" if fence == "+++" else ".yaml", "front matter")
        except ImportFailure as exc:
            raise Skip(str(exc)) from exc
    elif text.lstrip().startswith("{"):
        try:
            data, end_at = json.JSONDecoder().raw_decode(text.lstrip())
        except ValueError as exc:
            raise Skip(f"front matter cannot be read: {exc}") from exc
        body = text.lstrip()[end_at:]
    else:
        raise Skip("it has no front matter")
    if not isinstance(data, dict):
        raise Skip("its front matter is not a mapping of fields")
    return lower_keys(data), body


# --- body -> updates ---------------------------------------------------------------------------


def _breaks(lines: list[str]) -> list[int]:
    """Indexes of thematic-break lines (`---`), outside code fences and not setext underlines."""
    found, fenced = [], False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not _BREAK.match(line):
            continue
        if line.strip().startswith("-") and i > 0 and lines[i - 1].strip():
            continue  # "Title\n---" is a heading
        found.append(i)
    return found


def _trim(text: str) -> str:
    """Text without separator lines (`---`) and blank lines at either end."""
    lines = text.split("\n")
    while lines and (not lines[0].strip() or _BREAK.match(lines[0])):
        lines.pop(0)
    while lines and (not lines[-1].strip() or _breaks(lines)[-1:] == [len(lines) - 1]):
        lines.pop()
    return "\n".join(lines).strip()


def split_updates(body: str) -> tuple[str, list[tuple[str, str, int]], str]:
    """(text before the updates, [(stamp, text, position)], text after them).

    Stamps normally follow their paragraph; when the body starts with a stamp, each stamp is
    taken to precede its paragraph instead.
    """
    matches = list(_TRACK.finditer(body))
    if not matches:
        return body, [], ""
    pieces, prev = [], 0
    for match in matches:
        pieces.append(body[prev : match.start()])
        prev = match.end()
    tail = body[prev:]
    stamps = [next(g for g in m.groups() if g is not None) for m in matches]
    if not _trim(pieces[0]) and _trim(tail):
        texts, prelude, trailing = pieces[1:] + [tail], "", ""
    else:
        texts, trailing = pieces, tail
        lines = texts[0].split("\n")
        breaks = _breaks(lines)
        prelude = ""
        if breaks and "\n".join(lines[breaks[-1] + 1 :]).strip():
            prelude = "\n".join(lines[: breaks[-1]])
            texts[0] = "\n".join(lines[breaks[-1] + 1 :])
    parts = [
        (stamp.strip(), _trim(text), i)
        for i, (stamp, text) in enumerate(zip(stamps, texts, strict=True))
    ]
    return _trim(prelude), parts, _trim(trailing)


def label_of(text: str) -> str:
    """The bold/italic label an update starts with ("*Investigating* - ..."), lower-cased."""
    match = _LABEL.match(_LEADING_SHORTCODES.sub("", text))
    return " ".join(match.group(1).lower().split()) if match else ""
