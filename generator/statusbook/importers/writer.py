"""A careful YAML writer for imported entries: values written so that they read back to exactly
what was meant (quoting, block scalars), and each entry rendered as a content file.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..content.frontmatter import parse_markdown
from ..model import LIFECYCLE
from .source import Entry, _Loader, iso

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
