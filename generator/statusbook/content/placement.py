"""Internal markers (`<!-- internal -->` blocks) checked where an author wrote them: in the
body and in every text field, each problem placed at its line and column in the file.
"""

from __future__ import annotations

from typing import Any

from ..errors import Finding
from . import markers
from .frontmatter import Document, KeyPath, Pos
from .values import _name

# --- internal markers --------------------------------------------------------------------------

#: Fields that hold Markdown, where internal blocks may stand (besides the body).
_MARKDOWN_KEYS = frozenset({"message"})
#: Fields that are internal as a whole: a marker there hides nothing but reveals nothing.
_INTERNAL_KEYS = frozenset({"notes", "roles", "severity", "runbooks"})


def check_markers(doc: Document) -> None:
    """Report every internal marker that would not do what its author meant, in the body and
    in every text field, where the file shows it."""
    if not any("<!--" in line for line in doc.lines):
        return
    for p in markers.problems(doc.body):
        doc.findings.append(Finding(doc.path, doc.body_line + p.line, p.col, p.message, p.hint))
    for path, text in _texts(doc.data, ()):
        if "<!--" not in text:
            continue
        markdown = path[-1] in _MARKDOWN_KEYS
        found = markers.problems(text) if markdown else markers.field_problems(text)
        for p in found:
            line, col = _place_in_value(doc, path, text, p.line, p.col)
            doc.findings.append(Finding(doc.path, line, col, p.message, p.hint))
        if markdown and not found and markers.is_blank_publicly(text):
            doc.error(
                path,
                f"'{_name(path)}' is all internal: customers would see an empty update",
                "leave a public sentence outside the internal block, "
                "or make the whole entry 'visibility: internal'",
            )


def _texts(value: Any, path: KeyPath) -> list[tuple[KeyPath, str]]:
    """Every text value of a parsed file with its place, internal-only fields left out."""
    if isinstance(value, str):
        return [(path, value)] if path else []
    out: list[tuple[KeyPath, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in _INTERNAL_KEYS:
                continue
            out += _texts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _texts(item, (*path, i))
    return out


def _place_in_value(doc: Document, path: KeyPath, text: str, line: int, col: int) -> Pos:
    """File line and column of (line, col) inside a text value: found by looking for that line
    of the value in the file from where the value starts (a block scalar keeps its lines)."""
    start = doc.pos(path)
    wanted = text.split("\n")[line]
    target = wanted.strip()
    if target:
        first = start[0] - 1 + line
        for j in range(start[0] - 1, min(len(doc.lines), first + 3)):
            at = doc.lines[j].find(target)
            if at >= 0:
                return j + 1, at + 1 + col - 1 - (len(wanted) - len(wanted.lstrip()))
    return start
