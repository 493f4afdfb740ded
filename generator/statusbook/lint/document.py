"""How the lint reads a content file: prose fields of the frontmatter and the body, with
everything else blanked out in place (offsets stay file offsets), and the suppression
comments (`<!-- blameless-ignore RULE: reason -->`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import did_you_mean
from .config import INTERNAL_FIELDS, PROSE_FIELDS
from .masking import (
    EMPHASIS,
    NOISE,
    _blank,
    anchored_spans,
    blank_spans,
    code_spans,
    mask_body_blocks,
    mask_fences,
    mask_quotations,
    quoted_spans,
)

# --------------------------------------------------------------------------------------------
# Reading a file: which characters are prose, where suppressions are


@dataclass
class Hit:
    rule: str
    start: int
    end: int
    suggest: str = ""


@dataclass
class _Suppression:
    line: int
    col: int
    rules: tuple[str, ...]
    reason: str
    # Offsets of a YAML value the comment stands before or beside: the whole value is covered.
    span: tuple[int, int] | None = None
    end_line: int = 0  # last line of a comment that spans lines

    def covers(self, rule: str) -> bool:
        return rule in self.rules or "*" in self.rules

    def problems(self, known: set[str]) -> Iterator[str]:
        if not self.rules:
            yield "blameless-ignore names no rule"
        for rule in self.rules:
            if rule != "*" and rule not in known:
                yield f"blameless-ignore names unknown rule '{rule}', {did_you_mean(rule, known)}"
        if not re.search(r"\w", self.reason):
            yield "blameless-ignore without a reason: say why this wording is right here"


@dataclass
class _Doc:
    masked: str
    line_starts: list[int]
    internal: bool
    internal_spans: list[tuple[int, int]]
    heading_spans: list[tuple[int, int]]
    suppressions: list[_Suppression]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def in_heading(self, offset: int) -> bool:
        return _in_spans(self.heading_spans, offset)

    def in_internal_field(self, offset: int) -> bool:
        return _in_spans(self.internal_spans, offset)

    def suppressed(self, rule: str, line: int, offset: int) -> bool:
        for sup in self.suppressions:
            if not sup.covers(rule):
                continue
            if sup.line <= line <= max(sup.line, sup.end_line) + 1:
                return True
            if sup.span and sup.span[0] <= offset < sup.span[1]:
                return True
        return False


def _in_spans(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(a <= offset < b for a, b in spans)


_NON_SPACE_RE = re.compile(r"\S")


def _gap(text: str, blank: str, a: int, b: int) -> str:
    """Blanked YAML between two prose values, with a full stop where the first key was, so
    that no sentence (or subject) runs from one value into the next."""
    m = _NON_SPACE_RE.search(text, a, b)
    if m is None:
        return blank[a:b]
    return blank[a : m.start()] + "." + blank[m.start() + 1 : b]


def blank_match(m: re.Match[str]) -> str:
    return _blank(m.group())


def _prepare(text: str) -> _Doc:
    """Blank everything that is not prose, keeping offsets; find suppressions and headings."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    lines = text.split("\n")
    body_start = 0
    fm_masked = ""
    internal = False
    internal_spans: list[tuple[int, int]] = []
    suppressions: list[_Suppression] = []
    if lines and lines[0].lstrip("\ufeff").rstrip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is not None:
            body_start = line_starts[end + 1] if end + 1 < len(line_starts) else len(text)
            fm_masked, internal, internal_spans, suppressions = _frontmatter(
                text, lines, line_starts, end, body_start
            )
    body = text[body_start:]
    body = mask_body_blocks(body)
    masked = fm_masked + body if body_start else body
    # Block structure shared by the body and Markdown in update messages.
    masked = mask_fences(masked)
    heading_spans = [m.span() for m in _HEADING_RE.finditer(masked)] if "#" in masked else []
    for m in _HTML_COMMENT_RE.finditer(masked) if "<!--" in masked else ():
        sup = _SUPPRESS_MD_RE.match(m.group())
        if sup:
            line = bisect_right(line_starts, m.start())
            suppressions.append(
                _Suppression(
                    line,
                    m.start() - line_starts[line - 1] + 1,
                    _split_rules(sup.group("rules")),
                    (sup.group("reason") or "").strip(),
                    end_line=line + m.group().count("\n"),
                )
            )
    if "<!--" in masked:
        masked = _HTML_COMMENT_RE.sub(blank_match, masked)
    if "`" in masked:
        masked = blank_spans(masked, code_spans(masked))
    if ">" in masked:
        masked = mask_quotations(masked)
    for needle, pattern in NOISE:
        if needle in masked:
            masked = pattern.sub(blank_match, masked)
    spans = anchored_spans(masked)
    if '"' in masked or "“" in masked:
        spans.extend(quoted_spans(masked))
    if spans:
        masked = blank_spans(masked, spans)
    masked = masked.translate(EMPHASIS)  # **bold**, _em_, ~~strike~~: markers become spaces
    assert len(masked) == len(text)
    return _Doc(masked, line_starts, internal, internal_spans, heading_spans, suppressions)


def _frontmatter(
    text: str, lines: list[str], line_starts: list[int], last: int, body_start: int
) -> tuple[str, bool, list[tuple[int, int]], list[_Suppression]]:
    """The frontmatter with only prose values left, whether it is internal, the spans of
    internal fields and the YAML suppression comments. `last` is the index of the closing
    '---' line."""
    fm = _scan_frontmatter(lines, line_starts, last)
    blank = _blank(text[:body_start])
    pieces: list[str] = []
    pos = 0
    for start, end, _, _ in fm.prose:
        pieces.append(_gap(text, blank, pos, start))
        pieces.append(text[start:end])
        pos = end
    pieces.append(_gap(text, blank, pos, body_start))
    masked = "".join(pieces)
    internal_spans = [(s, e) for s, e, _, name in fm.prose if name in INTERNAL_FIELDS]
    suppressions: list[_Suppression] = []
    for line, col, comment in fm.comments:
        m = _SUPPRESS_YAML_RE.match(comment)
        if not m:
            continue
        span = next(((s, e) for s, e, kl, _ in fm.prose if kl in (line, line + 1)), None)
        suppressions.append(
            _Suppression(
                line, col, _split_rules(m.group("rules")), (m.group("reason") or "").strip(), span
            )
        )
    return masked, fm.internal, internal_spans, suppressions


@dataclass
class _Frontmatter:
    prose: list[tuple[int, int, int, str]] = field(
        default_factory=list
    )  # start, end, key line, field
    comments: list[tuple[int, int, str]] = field(default_factory=list)  # line, col, "# ..."
    internal: bool = False


#: Prose fields as the scanner sees them: list items carry no index.
_PROSE_PATHS = frozenset(tuple(k for k in path if k != "*") for path in PROSE_FIELDS)
_KEY_LINE_RE = re.compile(r"^( *)((?:- +)*)([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)[ \t]*(.*)$")
_ITEM_LINE_RE = re.compile(r"^( *)- ")
_PLAIN_COMMENT_RE = re.compile(r"[ \t]#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _scan_frontmatter(lines: list[str], line_starts: list[int], last: int) -> _Frontmatter:
    """Find the prose values of a block-style YAML frontmatter (lines 1 to last-1) by their
    keys and indentation, without building the document: a fraction of the cost of composing
    YAML, and it still works on a file that does not parse (validation reports that)."""
    out = _Frontmatter()
    stack: list[tuple[int, str]] = []  # (column, key) of the enclosing keys
    i = 1
    while i < last:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped.startswith("#"):
            out.comments.append((i + 1, _indent(line) + 1, stripped))
            i += 1
            continue
        m = _KEY_LINE_RE.match(line)
        if not m:
            i += 1  # a plain list item ("- api"), or something validation will report
            continue
        indent, dashes, key, rest = m.groups()
        col = len(indent) + len(dashes)
        while stack and stack[-1][0] >= col:
            stack.pop()
        path = (*(k for _, k in stack), key)
        stack.append((col, key))
        if path == ("visibility",) and rest.split("#")[0].strip().strip("'\"") == "internal":
            out.internal = True
        value_at = line_starts[i] + m.start(4)
        if rest and rest[0] not in "|>\"'[{&*!#" and path not in _PROSE_PATHS:
            # fast path: a one-line value that is not prose (times, ids, statuses)
            comment = _PLAIN_COMMENT_RE.search(rest) if "#" in rest else None
            if comment:
                out.comments.append(
                    (i + 1, m.start(4) + comment.start() + 2, rest[comment.start() + 1 :])
                )
            i += 1
            continue
        i, span = _scan_value(lines, line_starts, last, i, col, rest, value_at, out)
        if span is not None and path in _PROSE_PATHS and span[1] > span[0]:
            out.prose.append((span[0], span[1], _line_no(line_starts, value_at), path[0]))
    out.prose.sort()
    return out


def _line_no(line_starts: list[int], offset: int) -> int:
    return bisect_right(line_starts, offset)


def _scan_value(
    lines: list[str],
    line_starts: list[int],
    last: int,
    i: int,
    col: int,
    rest: str,
    value_at: int,
    out: _Frontmatter,
) -> tuple[int, tuple[int, int] | None]:
    """Where the value after a key stands (None if it is not a scalar), and the next line."""
    line_end = line_starts[i] + len(lines[i])
    if rest[:1] in ("|", ">"):  # block scalar: the more-indented lines that follow
        return _scan_block(lines, line_starts, last, i, col, rest, value_at, out)
    if rest[:1] in ('"', "'"):  # quoted, perhaps over several lines
        return _scan_quoted(lines, line_starts, i, last, rest, value_at, out)
    if rest[:1] in ("[", "{", "&", "*", "!"):  # flow collection, anchor, alias, tag: not prose
        depth = 0
        j = i
        while j < last:
            segment = rest if j == i else lines[j]
            depth += (
                segment.count("[") + segment.count("{") - segment.count("]") - segment.count("}")
            )
            j += 1
            if depth <= 0:
                break
        return j, None
    # plain scalar, on this line and more-indented continuation lines; or nothing (a nested block)
    comment = _PLAIN_COMMENT_RE.search(" " + rest)
    if comment:
        out.comments.append(
            (i + 1, value_at - line_starts[i] + comment.start() + 1, rest[comment.start() :])
        )
        rest_end = value_at + comment.start() - 1
    else:
        rest_end = line_end
    start = value_at if rest.strip() and not rest.lstrip().startswith("#") else None
    j = i + 1
    end = rest_end
    while j < last:
        line = lines[j]
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _indent(line) <= col:
            break
        if start is None and (_KEY_LINE_RE.match(line) or _ITEM_LINE_RE.match(line)):
            return i + 1, None  # a nested mapping or list: scan its lines as keys
        if start is None:
            start = line_starts[j] + _indent(line)
        comment = _PLAIN_COMMENT_RE.search(line)
        if comment:  # a comment ends a plain scalar
            out.comments.append((j + 1, comment.start() + 2, line[comment.start() + 1 :]))
            end = line_starts[j] + comment.start()
            j += 1
            break
        end = line_starts[j] + len(line)
        j += 1
    if start is None:
        return i + 1, None
    return j, (start, end)


def _scan_block(
    lines: list[str],
    line_starts: list[int],
    last: int,
    i: int,
    col: int,
    rest: str,
    value_at: int,
    out: _Frontmatter,
) -> tuple[int, tuple[int, int] | None]:
    """A block scalar (| or >): the more-indented lines after its key's line."""
    hash_at = rest.find("#")
    if hash_at >= 0:
        out.comments.append((i + 1, value_at - line_starts[i] + hash_at + 1, rest[hash_at:]))
    j = i + 1
    while j < last and not lines[j].strip():
        j += 1
    if j >= last or _indent(lines[j]) <= col:
        return i + 1, None
    content = _indent(lines[j])
    k = j
    end_line = j
    while k < last and (not lines[k].strip() or _indent(lines[k]) >= content):
        if lines[k].strip():
            end_line = k
        k += 1
    return end_line + 1, (line_starts[i + 1], line_starts[end_line] + len(lines[end_line]))


def _scan_quoted(
    lines: list[str],
    line_starts: list[int],
    i: int,
    last: int,
    rest: str,
    value_at: int,
    out: _Frontmatter,
) -> tuple[int, tuple[int, int] | None]:
    """A quoted scalar, perhaps over several lines, up to its closing quote."""
    quote = rest[0]
    text_from = value_at + 1
    j, pos = i, 1 + (value_at - line_starts[i])
    while j < last:
        line = lines[j]
        while True:
            q = line.find(quote, pos)
            if q < 0:
                break
            if quote == '"' and _escaped(line, q):
                pos = q + 1
                continue
            if quote == "'" and line[q + 1 : q + 2] == "'":
                pos = q + 2
                continue
            tail = line[q + 1 :]
            hash_at = tail.find("#")
            if hash_at >= 0:
                out.comments.append((j + 1, q + 2 + hash_at, tail[hash_at:]))
            return j + 1, (text_from, line_starts[j] + q)
        j += 1
        pos = 0
    return last, None  # unterminated: validation reports it


def _escaped(line: str, q: int) -> bool:
    n = 0
    while q - n - 1 >= 0 and line[q - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _split_rules(raw: str | None) -> tuple[str, ...]:
    return tuple(r for r in re.split(r"[\s,]+", raw or "") if r)


_SUPPRESS_MD_RE = re.compile(
    r"<!--\s*blameless-ignore\b[ \t]*(?P<rules>[*\w, \t-]*?)[ \t]*(?::(?P<reason>.*?))?\s*-->",
    re.DOTALL,
)
_SUPPRESS_YAML_RE = re.compile(
    r"#[ \t]*blameless-ignore\b[ \t]*(?P<rules>[*\w, \t-]*?)[ \t]*"
    r"(?::(?P<reason>[^\n]*))?[ \t]*$"
)
_HTML_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t][^\n]*)?$", re.MULTILINE)
