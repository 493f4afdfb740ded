"""Values in frontmatter checked against a schema's fields and typed: YAML scalars read as
YAML 1.2 means them (null, numbers, booleans), enums, ids, times, dates, URLs and nested
objects, each problem a finding at the value's line and column with how to fix it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from ..clock import parse_timestamp
from ..errors import did_you_mean
from .frontmatter import Document, KeyPath
from .schema import (
    Field,
)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: Characters that are not text: invalid in XML (feeds, SVG) and invisible in editors.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_MISSING = object()

_EXAMPLES = {
    "timestamp": "2026-03-14T09:10:00Z",
    "date": "2026-03-14",
    "url": "https://example.com/page",
    "id": "card-payments",
}


def check_fields(doc: Document, fields: tuple[Field, ...], value: Any, path: KeyPath) -> Any:
    """Check a mapping against its field table; returns the typed values that passed."""
    if not isinstance(value, dict):
        doc.error(
            path, f"expected a mapping of fields, found {_describe(value)}", _shape_hint(fields)
        )
        return None
    by_name = _by_name(fields)
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key not in by_name:
            doc.error(
                (*path, key),
                f"unknown field '{key}'" + _where(path),
                did_you_mean(key, by_name),
                key=True,
            )
            continue
        checked = check_value(doc, by_name[key], item, (*path, key))
        if checked is not _MISSING:
            out[key] = checked
    for f in fields:
        if f.required and f.name not in value:
            doc.error(
                path,
                f"missing required field '{f.name}'" + _where(path),
                f"add '{f.name}:' ({f.description})",
            )
    return out


_BY_NAME: dict[int, tuple[tuple[Field, ...], dict[str, Field]]] = {}


def _by_name(fields: tuple[Field, ...]) -> dict[str, Field]:
    """A field table by name, looked up by the table's identity: the tables are long-lived
    constants, and hashing one hashes every nested field (a tenth of a file's check)."""
    hit = _BY_NAME.get(id(fields))
    if hit is None or hit[0] is not fields:
        if len(_BY_NAME) >= 256:  # tables rebuilt for other settings in a long `serve`
            _BY_NAME.clear()
        hit = _BY_NAME[id(fields)] = (fields, {f.name: f for f in fields})
    return hit[1]


def _where(path: KeyPath) -> str:
    if not path:
        return ""
    return " in " + _name(path)


def _shape_hint(fields: tuple[Field, ...]) -> str:
    required = [f.name for f in fields if f.required]
    return "write it as indented 'name: value' lines" + (
        f" with {', '.join(required)}" if required else ""
    )


def check_value(doc: Document, f: Field, value: Any, path: KeyPath) -> Any:
    """One value against one field; returns _MISSING when it failed (the finding is recorded)."""
    if value is None:
        # YAML 1.2 reads plain null, ~ and an empty value as "no value": an optional field
        # given one is absent, a required one is missing.
        if f.required:
            _absent_value(doc, f, path)
        return _MISSING
    kind = f.kind
    if kind in ("list",):
        return _check_list(doc, f, value, path)
    if kind == "object":
        return _check_object(doc, f, value, path)
    if kind == "status_map":
        return _check_status_map(doc, f, value, path)
    return _check_scalar(doc, f, value, path)


def _check_list(doc: Document, f: Field, value: Any, path: KeyPath) -> Any:
    if not isinstance(value, list):
        doc.error(
            path,
            f"'{_name(path)}' must be a list, found {_describe(value)}",
            f"write it as [a, b] or as '- item' lines ({f.description})",
        )
        return _MISSING
    assert f.item is not None
    # A null list item cannot be "absent" (the list would silently shrink): an error.
    items = [
        _absent_value(doc, f.item, (*path, i))
        if v is None
        else check_value(doc, f.item, v, (*path, i))
        for i, v in enumerate(value)
    ]
    kept = [v for v in items if v is not _MISSING]
    # Every item failed and was reported: the list is not also "empty".
    return _MISSING if value and not kept else kept


def _check_object(doc: Document, f: Field, value: Any, path: KeyPath) -> Any:
    if f.example and not isinstance(value, dict):  # e.g. `slo: 99.9`: show the shape
        doc.error(
            path,
            f"'{_name(path)}' must be a mapping, found {_describe(value)}",
            f"write it as {f.example}",
        )
        return _MISSING
    checked = check_fields(doc, f.fields, value, path)
    return _MISSING if checked is None else checked


def _check_status_map(doc: Document, f: Field, value: Any, path: KeyPath) -> Any:
    if not isinstance(value, dict):
        doc.error(
            path,
            f"'{_name(path)}' must map component ids to statuses, found {_describe(value)}",
            "write e.g. 'card-payments: partial_outage' on indented lines",
        )
        return _MISSING
    assert f.item is not None
    out = {}
    for key, status in value.items():
        if status is None:  # a component named without a status: say which one is meant
            _absent_value(doc, f.item, (*path, key))
            continue
        checked = check_value(doc, f.item, status, (*path, key))
        if checked is not _MISSING:
            out[key] = checked
    return out


def _check_scalar(doc: Document, f: Field, value: Any, path: KeyPath) -> Any:
    """A value written on one line: text, a boolean, an enum, an id, or a typed value."""
    kind = f.kind
    if not isinstance(value, str):
        doc.error(
            path,
            f"'{_name(path)}' must be a single value, found {_describe(value)}",
            f"write it on one line after '{path[-1]}:' ({f.description})",
        )
        return _MISSING
    text = value.strip()
    bad = _CONTROL.search(text)
    if bad:
        doc.error(
            path,
            f"'{_name(path)}' contains the control character U+{ord(bad.group()):04X}",
            "remove it (it is invisible in most editors; retype the text around it)",
        )
        return _MISSING
    if kind in ("string", "markdown"):
        if not text:
            doc.error(path, f"'{_name(path)}' is empty", f"give it a value ({f.description})")
            return _MISSING
        if f.max_length and len(text) > f.max_length:
            doc.error(
                path,
                f"'{_name(path)}' is {len(text)} characters long, more than {f.max_length}",
                "shorten it; put details in the Markdown body",
            )
            return _MISSING
        if kind == "string" and "\n" in text:
            doc.error(path, f"'{_name(path)}' spans several lines", "keep it on one line")
            return _MISSING
        return text
    if kind == "boolean":
        # YAML 1.2's core schema: https://yaml.org/spec/1.2.2/#1032-tag-resolution
        if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return text.lower() == "true"
        doc.error(
            path,
            f"'{_name(path)}' is '{text}', not true or false",
            f"write true or false ({f.description})",
        )
        return _MISSING
    if kind == "enum":
        if text not in f.choices:
            doc.error(
                path,
                f"'{_name(path)}' is '{text}', which is not allowed",
                did_you_mean(text, f.choices)
                if _close(text, f.choices)
                else "expected one of: " + ", ".join(f.choices),
            )
            return _MISSING
        return text
    if kind == "id":
        if not _ID_RE.match(text) or len(text) > 100:
            doc.error(
                path,
                f"'{_name(path)}' is '{text}', not a valid id",
                "ids use lower-case letters, digits and dashes, e.g. " + _EXAMPLES["id"],
            )
            return _MISSING
        return text
    return _check_typed(doc, f, text, path)


def _check_typed(doc: Document, f: Field, text: str, path: KeyPath) -> Any:
    """Text that must read as a time, a date, a number or a URL."""
    kind = f.kind
    if kind == "timestamp":
        parsed, problem = parse_timestamp(text)
        if parsed is None:
            doc.error(path, f"'{_name(path)}' {problem}", _timestamp_hint(problem))
            return _MISSING
        return parsed
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            doc.error(
                path,
                f"'{_name(path)}' is '{text}', not a valid date ({exc})",
                f"write YYYY-MM-DD, e.g. {_EXAMPLES['date']}",
            )
            return _MISSING
    if kind == "number":
        return _check_number(doc, f, text, path)
    if kind == "url":
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            doc.error(
                path,
                f"'{_name(path)}' is '{text}', not an http(s) URL",
                f"write a full address, e.g. {_EXAMPLES['url']}",
            )
            return _MISSING
        return text
    raise AssertionError(kind)  # pragma: no cover


_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _check_number(doc: Document, f: Field, text: str, path: KeyPath) -> Any:
    """A plain decimal in [minimum, maximum] (or below it): no exponents, no `%`, no `.inf`."""
    if not _NUMBER_RE.match(text):
        hint = "write a plain number without '%', e.g. 99.9"
        if f.maximum <= 1:
            hint = "write a share between 0 and 1, e.g. 0.5"
        doc.error(path, f"'{_name(path)}' is '{text}', not a number", hint)
        return _MISSING
    value = float(text)
    too_high = value >= f.maximum if f.below_maximum else value > f.maximum
    if value < f.minimum or too_high:
        top = f"below {_plain(f.maximum)}" if f.below_maximum else f"at most {_plain(f.maximum)}"
        doc.error(
            path,
            f"'{_name(path)}' is {text}, out of range",
            f"use a number of at least {_plain(f.minimum)} and {top} ({f.description})",
        )
        return _MISSING
    return value


def _plain(x: float) -> str:
    return f"{x:g}"


def _absent_value(doc: Document, f: Field, path: KeyPath) -> Any:
    """Report a null where a value is needed; returns _MISSING. In a text field the word itself
    (`null`, `~`) may have been meant: the hint then says how to quote it."""
    form = doc.null_forms.get(path)
    item = isinstance(path[-1], int)
    where = f"item {path[-1] + 1} of '{_name(path[:-1])}'" if item else f"'{_name(path)}'"
    if form is None:
        message = f"{where} is empty"
    else:
        message = f"{where} is {form}, which YAML reads as no value"
    if item:
        hint = f"write {f.description} there, or remove the item"
    else:
        hint = f"give it a value ({f.description})"
    if form is not None and f.kind in ("string", "markdown"):  # elsewhere the word is no value
        written = f'- "{form}"' if item else f'{path[-1]}: "{form}"'
        meant = "word" if form.isalpha() else "character"
        hint += f", or quote it, e.g. {written}, if you meant the {meant}"
    doc.error(path, message, hint)
    return _MISSING


def _name(path: KeyPath) -> str:
    """A value's place as written in messages: updates.1.status for the first update's status.
    Items count from 1, as everywhere else a message names one ("update 1 changes ...")."""
    return ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in path)


def _close(word: str, choices: tuple[str, ...]) -> bool:
    return "did you mean" in did_you_mean(word, choices)


def _timestamp_hint(problem: str) -> str:
    if "timezone" in problem:
        return "add Z for UTC or an offset, e.g. 2026-03-14T09:10:00Z or 2026-03-14T10:10:00+01:00"
    return f"write ISO 8601 with a timezone, e.g. {_EXAMPLES['timestamp']}"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"
