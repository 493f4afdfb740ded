"""Internal blocks in Markdown text: where they are, what is wrong with them, and the two
editions of a text (public: blocks removed; internal: blocks labelled).

One rule for every Markdown field (bodies and update messages): an internal block runs from a
line that is exactly `<!-- internal -->` to a line that is exactly `<!-- /internal -->`
(spaces and letter case are forgiven), outside code fences. Anything else that looks like a
marker (an HTML comment with the word "internal" in it: inline, with extra words, unclosed,
inside a fence, or in a one-line field) is a problem to report, never a guess: a marker we do
not recognise would publish the text its author meant to hide.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

OPEN_MARKER = "<!-- internal -->"
CLOSE_MARKER = "<!-- /internal -->"

_OPEN = re.compile(r"^[ \t]*<!--[ \t]*internal[ \t]*-->[ \t]*$", re.I)
_CLOSE = re.compile(r"^[ \t]*<!--[ \t]*/[ \t]*internal[ \t]*-->[ \t]*$", re.I)
#: An HTML comment that mentions "internal": what an author means as a marker. The comment
#: may be unclosed or run over several lines.
_LOOKALIKE = re.compile(r"<!--(?:(?!-->).)*?\binternal\b", re.I | re.S)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

_FORMS = f"'{OPEN_MARKER}' and '{CLOSE_MARKER}', each on a line of its own"


@dataclass(frozen=True)
class Problem:
    """Something wrong with the markers of a text: `line` is 0-based in the text, `col`
    1-based."""

    line: int
    col: int
    message: str
    hint: str


def has_lookalike(text: str) -> bool:
    """Whether the text mentions a marker at all (the cheap test before a full check)."""
    return "<!--" in text and _LOOKALIKE.search(text) is not None


def problems(text: str) -> list[Problem]:
    """Every marker problem in a Markdown text, in the order they appear."""
    if "<!--" not in text:
        return []
    lines = text.split("\n")
    found: list[Problem] = []
    recognised: set[int] = set()
    fenced: dict[int, int] = {}  # line -> the line its fence opens on
    fence: tuple[str, int] | None = None
    fence_start = 0
    opened: int | None = None
    for n, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is not None:
            fenced[n] = fence_start
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= fence[1]:
                if not line.strip().strip(fence[0]):
                    fence = None
            continue
        if match:
            fence, fence_start = (match.group(1)[0], len(match.group(1))), n
            continue
        if _OPEN.match(line):
            recognised.add(n)
            if opened is not None:
                found.append(
                    Problem(
                        n,
                        _col(line),
                        f"an internal block starts inside the one opened on line {opened + 1}",
                        f"close the first block with '{CLOSE_MARKER}' before opening another",
                    )
                )
            opened = n
        elif _CLOSE.match(line):
            recognised.add(n)
            if opened is None:
                found.append(
                    Problem(
                        n,
                        _col(line),
                        f"'{CLOSE_MARKER}' closes no internal block",
                        f"add a line '{OPEN_MARKER}' before the internal text, or remove this line",
                    )
                )
            opened = None
    if opened is not None:
        found.append(
            Problem(
                opened,
                _col(lines[opened]),
                "internal block is never closed: everything after it would be hidden, or, "
                "were the marker mistyped, published",
                f"add a line '{CLOSE_MARKER}' where the internal text ends",
            )
        )
    # One problem per line, and one per code fence: a mistake is reported once.
    reported: set[tuple[str, int]] = set()
    starts = _line_starts(text)
    for match in _LOOKALIKE.finditer(text):
        n = _line_of(starts, match.start())
        place = ("fence", fenced[n]) if n in fenced else ("line", n)
        if n in recognised or place in reported:
            continue
        reported.add(place)
        col = match.start() - starts[n] + 1
        found.append(_lookalike_problem(lines[n], n, col, inside_fence=n in fenced))
    return sorted(found, key=lambda p: (p.line, p.col))


def field_problems(text: str) -> list[Problem]:
    """Marker problems in a one-line field (a title, an owner, an action item): a block needs
    lines of its own, so any marker there is one that would be published."""
    if not has_lookalike(text):
        return []
    starts = _line_starts(text)
    out: list[Problem] = []
    for match in _LOOKALIKE.finditer(text):
        n = _line_of(starts, match.start())
        if out and out[-1].line == n:
            continue
        out.append(
            Problem(
                n,
                match.start() - starts[n] + 1,
                "internal markers work only in a body or an update's message; "
                "this field is published exactly as written",
                "remove the marker: put internal text in the body inside an internal block "
                "(" + _FORMS + "), or make the whole entry 'visibility: internal'",
            )
        )
    return out


def public_text(text: str) -> str:
    """The text without its internal blocks (markers included). Defensive on unbalanced
    markers, which validation refuses anyway: an unclosed block hides to the end."""
    if "<!--" not in text:
        return text
    out = []
    inside = False
    for _, line, kind in _classified(text):
        if kind == "open":
            inside = True
        elif kind == "close":
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def labelled_text(text: str) -> str:
    """For the internal edition: each internal block as a labelled admonition."""
    if "<!--" not in text:
        return text
    out: list[str] = []
    inside = False
    for _, line, kind in _classified(text):
        if kind == "open":
            inside = True
            out += ["", '!!! internal "Internal: not on the public site"']
        elif kind == "close":
            inside = False
            out.append("")
        elif inside:
            out.append("    " + line if line.strip() else "")
        else:
            out.append(line)
    return "\n".join(out)


def is_blank_publicly(text: str) -> bool:
    """Whether nothing of the text is left for the public (it was all internal)."""
    return bool(text.strip()) and not public_text(text).strip()


# --- helpers -----------------------------------------------------------------------------------


def _classified(text: str) -> list[tuple[int, str, str]]:
    """(line number, line, 'open' | 'close' | 'text'); markers inside fences are text."""
    out = []
    fence: tuple[str, int] | None = None
    for n, line in enumerate(text.split("\n")):
        kind = "text"
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= fence[1]:
                if not line.strip().strip(fence[0]):
                    fence = None
        elif match:
            fence = (match.group(1)[0], len(match.group(1)))
        elif _OPEN.match(line):
            kind = "open"
        elif _CLOSE.match(line):
            kind = "close"
        out.append((n, line, kind))
    return out


def _lookalike_problem(line: str, n: int, col: int, inside_fence: bool) -> Problem:
    if inside_fence:
        return Problem(
            n,
            col,
            "an internal marker inside a code block is shown as text and hides nothing",
            "close the code block before the marker, or move the marker out of it",
        )
    stripped = line.strip()
    whole_comment = stripped.startswith("<!--") and stripped.endswith("-->")
    if "-->" not in line[col - 1 :]:
        message = "this HTML comment mentions 'internal' but is not a marker, and is not closed"
    elif whole_comment and stripped.count("<!--") == 1:
        shown = stripped if len(stripped) <= 60 else stripped[:57] + "..."
        message = f"'{shown}' is not an internal marker: the text around it would be published"
    else:
        message = "an internal marker must stand on a line of its own: inline, it hides nothing"
    return Problem(n, col, message, f"write {_FORMS} (put any reason inside the block)")


def _col(line: str) -> int:
    return len(line) - len(line.lstrip()) + 1


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1
