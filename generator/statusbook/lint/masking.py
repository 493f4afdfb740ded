"""What is not linted inside prose: code, URLs, link targets, e-mail addresses, HTML, quoted
text and quotations of someone's words, blanked in place; and `_Text`, the masked text the
rules scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any


def _blank(s: str) -> str:
    """Spaces for every character but line breaks: offsets and line numbers stay put."""
    if "\n" not in s:
        return " " * len(s)
    return "\n".join(" " * len(part) for part in s.split("\n"))


_FENCE_OPEN_RE = re.compile(r"^([ \t]*)(`{3,}|~{3,})", re.MULTILINE)
#: Inline things that are not prose, each run only when its marker occurs in the text.
NOISE = (
    ("](", re.compile(r'\]\([^)\s]*(?:\s+"[^"]*")?\)')),  # link and image targets
    ("]:", re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[^\n]*", re.MULTILINE)),  # reference definitions
    ("<", re.compile(r"<[a-z][a-z0-9+.-]*:[^>\s]*>", re.IGNORECASE)),  # autolinks
    ("<", re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")),  # HTML tags
)
# Text in double quotes: UI text, error messages, someone's words. Never across a blank line.
EMPHASIS = str.maketrans("*_~", "   ")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_URL_TAIL_RE = re.compile(r'[^\s<>()"]*(?:\([^\s)]*\)[^\s<>()"]*)*')
_DOMAIN_RE = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")


def blank_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    pieces: list[str] = []
    pos = 0
    for a, b in sorted(spans):
        if b <= pos:
            continue
        a = max(a, pos)
        pieces.append(text[pos:a])
        pieces.append(_blank(text[a:b]))
        pos = b
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def code_spans(text: str) -> list[tuple[int, int]]:
    """`code spans`: a run of backticks up to the next run of the same length, within a
    paragraph."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        a, b = runs[i]
        for j in range(i + 1, len(runs)):
            c, d = runs[j]
            if d - c == b - a:
                if not _BLANK_LINE_RE.search(text, b, c):
                    spans.append((a, d))
                    i = j
                break
        i += 1
    return spans


def anchored_spans(text: str) -> list[tuple[int, int]]:
    """URLs, www. addresses and e-mail addresses, found from their '://', 'www.' or '@'."""
    spans: list[tuple[int, int]] = []
    i = text.find("://")
    while i >= 0:
        a = i
        while a > 0 and text[a - 1].isalpha():
            a -= 1
        m = _URL_TAIL_RE.match(text, i + 3)
        spans.append((a, m.end() if m else i + 3))
        i = text.find("://", i + 3)
    i = text.find("www.")
    while i >= 0:
        if i == 0 or not text[i - 1].isalnum():
            m = _URL_TAIL_RE.match(text, i)
            spans.append((i, m.end() if m else i + 4))
        i = text.find("www.", i + 4)
    i = text.find("@")
    while i >= 0:
        a = i
        while a > 0 and text[a - 1] in _LOCAL_CHARS:
            a -= 1
        if a < i:
            m = _DOMAIN_RE.match(text, i + 1)
            if m:
                spans.append((a, m.end()))
        i = text.find("@", i + 1)
    return spans


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Text in double quotes (UI text, error messages, someone's words), up to 300
    characters and never across a blank line."""
    spans: list[tuple[int, int]] = []
    for open_q, close_q in (('"', '"'), ("“", "”")):
        i = text.find(open_q)
        while i >= 0:
            j = text.find(close_q, i + 1)
            if j < 0:
                break
            if j - i <= 301 and not _BLANK_LINE_RE.search(text, i, j):
                spans.append((i, j + 1))
                i = text.find(open_q, j + 1)
            else:
                i = text.find(open_q, i + 1)
    return spans


def mask_fences(text: str) -> str:
    if "```" not in text and "~~~" not in text:
        return text
    out: list[str] = []
    pos = 0
    while True:
        m = _FENCE_OPEN_RE.search(text, pos)
        if not m:
            break
        indent, fence = m.group(1), m.group(2)
        close = re.compile(
            r"^"
            + re.escape(indent)
            + r"[ \t]{0,3}"
            + re.escape(fence[0])
            + "{"
            + str(len(fence))
            + r",}[ \t]*$",
            re.MULTILINE,
        )
        line_end = text.find("\n", m.end())
        c = close.search(text, line_end + 1) if line_end >= 0 else None
        stop = len(text) if c is None else c.end()
        out.append(text[pos : m.start()])
        out.append(_blank(text[m.start() : stop]))
        pos = stop
    out.append(text[pos:])
    return "".join(out)


# List items and admonitions ("!!! note"): their indented lines are prose, not code.
_LIST_ITEM_RE = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)]|!!!|\?\?\?\+?)[ \t]")


def mask_body_blocks(body: str) -> str:
    """Blank indented code blocks (4 spaces after a blank line, outside lists)."""
    if "\n    " not in body and "\n\t" not in body:
        return body
    lines = body.split("\n")
    in_list = False
    in_code = False
    prev_blank = True
    for i, line in enumerate(lines):
        stripped = line.strip()
        indented = line.startswith("    ") or line.startswith("\t")
        if not stripped:
            prev_blank = True
            continue
        if in_code and indented:
            lines[i] = " " * len(line)
            continue
        in_code = False
        if indented and prev_blank and not in_list:
            in_code = True
            lines[i] = " " * len(line)
        elif not indented:
            in_list = bool(_LIST_ITEM_RE.match(line)) or (in_list and not prev_blank)
        prev_blank = False
    return "\n".join(lines)


_QUOTE_LINE_RE = re.compile(r"^[ \t]*>[ \t]?(.*)$")
_ATTRIBUTION_RE = re.compile(r"^(?:[—–―~]|--)\s*\S")
_CHAT_RE = re.compile(r"^(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+)?(?:@[\w.-]+|<[\w.@-]+>)\s*:?\s")
_REPORTING_RE = re.compile(
    r"\b(?:said|says|wrote|writes|told|asked|replied|posted|reported|commented|explained|"
    r"messaged|noted|stated|read|reads)\b[^\n]*:\s*$",
    re.IGNORECASE,
)


def mask_quotations(text: str) -> str:
    """Blank block quotes that quote someone; editorial block quotes stay prose."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith(">"):
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].lstrip().startswith(">"):
            j += 1
        inner = []
        for k in range(i, j):
            qm = _QUOTE_LINE_RE.match(lines[k])
            inner.append(qm.group(1).strip() if qm else "")
        first = next((s for s in inner if s), "")
        before = lines[i - 1] if i > 0 else ""
        quoting = (
            first[:1] in "\"“'‘"
            or any(_ATTRIBUTION_RE.match(s) for s in inner)
            or any(_CHAT_RE.match(s) for s in inner if s)
            or bool(_REPORTING_RE.search(before))
        )
        if quoting and first:
            for k in range(i, j):
                lines[k] = " " * len(lines[k])
        i = j
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Searching only where a rule's key words occur


_SPACE_RE = re.compile(r"\s")


def _word_end(text: str, y: int) -> int:
    m = _SPACE_RE.search(text, y)
    return len(text) if m is None else m.start()


class _Text:
    """The blanked text, its lower-case copy and windowed searches.

    Every rule's pattern is run only on the lines around its key words (found with str.find,
    at C speed), which keeps a file's lint well under a millisecond: a full regex pass with
    many alternatives costs far more than a handful of find() calls.
    """

    def __init__(self, masked: str):
        self.masked = masked
        low = masked.lower()
        self.low = low if len(low) == len(masked) else None  # some letters lower to two

    def finditer(
        self,
        pattern: re.Pattern[str],
        keywords: Iterable[str],
        before: int,
        after: int,
        word_before: tuple[frozenset[str], re.Pattern[str]] | None = None,
    ) -> Iterator[re.Match[str]]:
        """Matches of `pattern` near the key words. With `word_before` (key words, pattern),
        those key words count only after white space and a word that the pattern finds at
        the end of the text before them ("human error", not "error rates"): common words
        then open no window for the rule, which a match could not have used anyway."""
        masked, low = self.masked, self.low
        if low is None:
            yield from pattern.finditer(masked)
            return
        n = len(masked)
        ranges: list[tuple[int, int]] = []
        gated, word_re = word_before or (frozenset(), None)
        for word in keywords:
            i = low.find(word)
            while i >= 0:
                if word in gated and not _after_word(low, i, word_re):
                    i = low.find(word, i + 1)
                    continue
                # widen to whole words: a window never starts or ends inside one
                x = max(0, i - before)
                a = max(masked.rfind(" ", 0, x), masked.rfind("\n", 0, x)) + 1
                y = min(n, i + len(word) + after)
                b = _word_end(masked, y)
                ranges.append((a, b))
                i = low.find(word, i + 1)
        if not ranges:
            return
        ranges.sort()
        merged = [ranges[0]]
        for a, b in ranges[1:]:
            if a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        for a, b in merged:
            yield from pattern.finditer(masked, a, b)


def _after_word(low: str, i: int, word_re: Any) -> bool:
    """Whether white space and a word that word_re finds at its end come before offset i."""
    head = low[max(0, i - 200) : i]
    word = head.rstrip()
    if len(word) == len(head):
        return False  # no white space right before
    if not word:
        return i > 200  # a long blank run (masked code): let the rule's pattern decide
    return word_re.search(word, max(0, len(word) - 40)) is not None
