"""Text edits to content files that keep every other byte as it was.

Loading YAML and dumping it again would lose comments, key order and quoting, and turn a
one-line diff in a pull request into a rewrite. These functions find positions with YAML's
composer and splice text in, so the engineer's review sees exactly the update they posted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import yaml

from .clock import iso_z


class EditError(ValueError):
    """The file's shape does not allow the edit (the message says why)."""


@dataclass(frozen=True)
class Frontmatter:
    start: int  # index in lines of the first YAML line (after '---')
    end: int  # index of the closing '---'
    node: yaml.MappingNode


def _split(text: str) -> tuple[list[str], Frontmatter]:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise EditError("the file does not start with a '---' frontmatter block")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise EditError("the frontmatter block is not closed")
    node = yaml.compose("\n".join(lines[1:end]) + "\n", Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        raise EditError("the frontmatter is not a mapping")
    return lines, Frontmatter(1, end, node)


def _find(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly `value` (JSON strings are valid YAML)."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _.,()'/-]*", value) and value.strip() == value:
        lowered = value.lower()
        if lowered not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"):
            return value
    return json.dumps(value, ensure_ascii=False)


def block(text: str, indent: str) -> str:
    """A `|` literal block for multi-line messages, indented under its key."""
    body = text.strip("\n")
    lines = [indent + line if line else "" for line in body.split("\n")]
    return "|\n" + "\n".join(lines)


def render_update(
    indent: str,
    at: datetime,
    status: str,
    message: str,
    components: dict[str, str] | None = None,
    next_update: datetime | None = None,
) -> list[str]:
    """Lines of one list item, with the dash at `indent`."""
    inner = indent + "  "
    out = [f"{indent}- at: {iso_z(at)}", f"{inner}status: {status}"]
    if "\n" in message.strip() or len(message) > 80:
        out.append(f"{inner}message: " + block(message, inner + "  "))
    else:
        out.append(f"{inner}message: {scalar(message.strip())}")
    if components:
        out.append(f"{inner}components:")
        out.extend(f"{inner}  {cid}: {status_}" for cid, status_ in components.items())
    if next_update is not None:
        out.append(f"{inner}next_update: {iso_z(next_update)}")
    return out


def append_update(
    text: str,
    at: datetime,
    status: str,
    message: str,
    components: dict[str, str] | None = None,
    next_update: datetime | None = None,
) -> str:
    """Add an item at the end of `updates:` (creating the key when the file has none)."""
    lines, fm = _split(text)
    found = _find(fm.node, "updates")
    if found is None or (
        isinstance(found[1], yaml.ScalarNode) and found[1].value in ("", "~", "null")
    ):
        if found is not None:
            key_line = fm.start + found[0].start_mark.line
            del lines[key_line]
            insert_at = key_line
        else:
            insert_at = fm.end
        new = ["updates:", *render_update("  ", at, status, message, components, next_update)]
        lines[insert_at:insert_at] = new
        return "\n".join(lines)
    key, seq = found
    if not isinstance(seq, yaml.SequenceNode):
        raise EditError("'updates' is not a list")
    if seq.flow_style:
        raise EditError("'updates' is written inline ([...]); write it as '- ' items to edit it")
    if seq.value:
        first = seq.value[0]
        # The dash sits two columns left of the item's first key in the usual layout.
        dash_col = max(first.start_mark.column - 2, 0)
        last = seq.value[-1]
        end_line = fm.start + last.end_mark.line
        # end_mark may point at the start of the next line, or at the line's end.
        if last.end_mark.column == 0:
            insert_at = end_line
        else:
            insert_at = end_line + 1
        # Block scalars can swallow trailing blank lines; put the new item after real text.
        while insert_at - 1 > fm.start and not lines[insert_at - 1].strip():
            insert_at -= 1
    else:
        dash_col = key.start_mark.column + 2
        insert_at = fm.start + key.start_mark.line + 1
    item = render_update(" " * dash_col, at, status, message, components, next_update)
    lines[insert_at:insert_at] = item
    return "\n".join(lines)


def set_field(
    text: str, key: str, value: str, after: tuple[str, ...] = (), before: str = "updates"
) -> str:
    """Set a top-level scalar field: replace its value in place, or add it after the last of
    the `after` keys present (one-line values), else before `before`."""
    lines, fm = _split(text)
    found = _find(fm.node, key)
    if found is not None:
        k, v = found
        if not isinstance(v, yaml.ScalarNode):
            raise EditError(f"'{key}' is not a single value")
        line_no = fm.start + k.start_mark.line
        line = lines[line_no]
        comment = ""
        match = re.search(
            r"\s+#.*$", line[v.end_mark.column :] if v.end_mark.line == k.start_mark.line else ""
        )
        if match:
            comment = match.group(0)
        lines[line_no] = line[: k.start_mark.column] + f"{key}: {value}" + comment
        return "\n".join(lines)
    previous = [
        f for f in (_find(fm.node, k) for k in after) if f and isinstance(f[1], yaml.ScalarNode)
    ]
    if previous:
        insert_at = fm.start + max(v.end_mark.line for _, v in previous) + 1
    else:
        anchor = _find(fm.node, before)
        insert_at = fm.start + anchor[0].start_mark.line if anchor else fm.end
    lines.insert(insert_at, f"{key}: {value}")
    return "\n".join(lines)


def remove_field(text: str, key: str) -> str:
    """Remove a top-level one-line field (and its comment); the text as it was without one."""
    lines, fm = _split(text)
    found = _find(fm.node, key)
    if found is None:
        return text
    k, v = found
    if not isinstance(v, yaml.ScalarNode) or v.end_mark.line != k.start_mark.line:
        raise EditError(f"'{key}' is not a one-line value")
    del lines[fm.start + k.start_mark.line]
    return "\n".join(lines)
