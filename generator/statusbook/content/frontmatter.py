"""Read a content file into plain values that remember their line and column.

PyYAML's own constructors turn `no` into False, `10:30` into 630 and let a repeated key win
silently; we compose nodes instead, keep every scalar as text, reject repeated keys and record
where each value stands, so validation can name the exact line. The one scalar read as something
else is YAML 1.2's null (plain `null`, `Null`, `NULL`, `~` or nothing), which becomes None: no
value, as YAML means it. `true`, `404` and `1.50` stay the text they were written as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Finding

_STR_TAG = "tag:yaml.org,2002:str"
_KIND_TAGS = {
    yaml.ScalarNode: _STR_TAG,
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _NoResolver(yaml.resolver.BaseResolver):
    """Every scalar stays text: we type values ourselves, so PyYAML's implicit resolvers
    (a Python regex per scalar, a large share of parsing time) are skipped."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _KIND_TAGS[kind]


try:  # libyaml's composer is several times faster on large sites
    # (PyYAML's stubs do not re-export CParser, which yaml/cyaml.py defines.)
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _Loader(CParser, _NoResolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _NoResolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _NoResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _NoResolver.__init__(self)


MAX_BYTES = 1024 * 1024
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
#: YAML 1.2's null, plain (unquoted) only: https://yaml.org/spec/1.2.2/#1032-tag-resolution
_NULLS = {"", "~", "null", "Null", "NULL"}

Pos = tuple[int, int]  # 1-based line and column in the file
KeyPath = tuple[Any, ...]  # ("updates", 2, "status")


@dataclass
class Document:
    """A parsed file: values, where they stand, and the Markdown body after the frontmatter."""

    path: str
    data: Any = None
    body: str = ""
    body_line: int = 1
    #: The file's lines, for placing findings inside multi-line values; empty once slimmed.
    lines: list[str] = field(default_factory=list)
    value_pos: dict[KeyPath, Pos] = field(default_factory=dict)
    key_pos: dict[KeyPath, Pos] = field(default_factory=dict)
    #: How each null value other than an empty one was written (`null`, `~`, `Null`, `NULL`),
    #: so that a message can suggest quoting it when the word was meant.
    null_forms: dict[KeyPath, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: Times that must not be in the future (update `at`s not marked scheduled, lifecycle
    #: times) as (time, line, col, what): checked against the clock at the edge, after the
    #: file's own checks, which are cached and so cannot depend on the clock.
    past_times: list[tuple[Any, int, int, str]] = field(default_factory=list)

    def pos(self, path: KeyPath, key: bool = False) -> Pos:
        """Where a value (or its key) stands; falls back to the nearest enclosing value."""
        table = self.key_pos if key else self.value_pos
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.value_pos:
                return self.value_pos[probe]
            probe = probe[:-1]
        return self.value_pos.get((), (1, 1))

    def error(self, path: KeyPath, message: str, hint: str = "", key: bool = False) -> None:
        line, col = self.pos(path, key)
        self.findings.append(Finding(self.path, line, col, message, hint))


def read_text(display_path: str, raw: bytes) -> tuple[str | None, list[Finding]]:
    """Decode a content file, refusing what cannot be a hand-written text file."""
    if len(raw) > MAX_BYTES:
        size = f"{len(raw) / 1024 / 1024:.1f} MiB"
        return None, [
            Finding(
                display_path,
                0,
                0,
                f"file is {size}, more than the 1 MiB a content file may have",
                "split it, or move attachments out of content/",
            )
        ]
    if not raw.strip():
        return None, [
            Finding(display_path, 0, 0, "file is empty", "add the frontmatter, or delete the file")
        ]
    if b"\x00" in raw[:8192]:
        return None, [
            Finding(
                display_path,
                0,
                0,
                "file is binary, not text",
                "content/ holds Markdown and YAML files only; move this file elsewhere",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Finding(
                display_path,
                line,
                0,
                f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8 in your editor",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse_markdown(display_path: str, raw: bytes) -> Document:
    """A Markdown file with a YAML frontmatter block between `---` lines."""
    doc = Document(display_path)
    text, problems = read_text(display_path, raw)
    if text is None:
        doc.findings.extend(problems)
        return doc
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        doc.error(
            (),
            "file does not start with a frontmatter block",
            "begin the file with a line '---', the YAML fields, then another '---'",
        )
        return doc
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        doc.error(
            (),
            "frontmatter block is never closed",
            "add a line '---' after the last YAML field",
        )
        return doc
    yaml_text = "\n".join(lines[1:end]) + "\n"
    rest = "\n".join(lines[end + 1 :])
    doc.body = rest.strip("\n")
    # The body's first line as the file numbers it: blank lines after '---' are not in it.
    doc.body_line = end + 2 + len(rest) - len(rest.lstrip("\n"))
    doc.lines = lines
    for n, line in enumerate(lines[end + 1 :]):
        bad = _CONTROL.search(line)
        if bad:
            doc.findings.append(
                Finding(
                    display_path,
                    end + 2 + n,
                    bad.start() + 1,
                    f"the text contains the control character U+{ord(bad.group()):04X}",
                    "remove it (it is invisible in most editors; retype the text around it)",
                )
            )
            break
    _parse_yaml_into(doc, yaml_text, line_offset=1)
    if doc.data is not None and not isinstance(doc.data, dict):
        doc.findings.append(
            Finding(
                display_path,
                2,
                1,
                "frontmatter is not a mapping of fields",
                "write 'name: value' lines between the '---' lines",
            )
        )
        doc.data = None
    elif doc.data is None and not doc.findings:
        doc.error((), "frontmatter is empty", "add the required fields (see `statusbook schema`)")
    return doc


def parse_yaml(display_path: str, raw: bytes) -> Document:
    """A plain YAML file such as components.yml."""
    doc = Document(display_path)
    text, problems = read_text(display_path, raw)
    if text is None:
        doc.findings.extend(problems)
        return doc
    doc.lines = text.split("\n")
    _parse_yaml_into(doc, text, line_offset=0)
    return doc


def _parse_yaml_into(doc: Document, text: str, line_offset: int) -> None:
    try:
        node = yaml.compose(text, Loader=_Loader)  # type: ignore[arg-type]  # a Loader's parts
    except yaml.MarkedYAMLError as exc:
        doc.findings.append(_syntax_finding(doc.path, text, exc, line_offset))
        return
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        doc.findings.append(
            Finding(doc.path, line_offset + 1, 0, f"YAML error: {exc}", "check the file's syntax")
        )
        return
    if node is None:
        return
    doc.data = _convert(doc, node, (), line_offset)


def _syntax_finding(path: str, text: str, exc: yaml.MarkedYAMLError, offset: int) -> Finding:
    """A YAML syntax error where the mistake is, which for an unclosed quote is where the
    quote opens, not where libyaml gave up (the end of the file, or a later line where
    another quote happened to close it)."""
    opened = _unclosed_quote(text, exc)
    if opened is not None:
        line, col, quote = opened
        return Finding(
            path,
            line + 1 + offset,
            col + 1,
            f"YAML syntax error: the quoted value that starts here with {quote} is not closed "
            "on its line",
            f"add the closing {quote} at the end of the value (a {quote} inside it is written "
            + ("''" if quote == "'" else '\\"')
            + ")",
        )
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 + offset) if mark else offset + 1
    col = (mark.column + 1) if mark else 0
    problem = exc.problem or "invalid YAML"
    if exc.context:
        problem = f"{problem} ({exc.context})"
    return Finding(path, line, col, f"YAML syntax error: {problem}", yaml_hint(problem))


def _unclosed_quote(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """(line, col, quote) of a quoted value that ran past its line into the error, 0-based.

    libyaml reports an unclosed quote either "while scanning a quoted scalar" with the opening
    quote as its context mark, or, when a later quote closed it, as some other error just
    after a quoted value spanning several lines (found by scanning the tokens again).
    """
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        mark = exc.context_mark
        quote = text.split("\n")[mark.line][mark.column : mark.column + 1] or '"'
        return mark.line, mark.column, quote
    problem = exc.problem_mark
    if problem is None:
        return None
    last: Any = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= problem.index:
                break
            if isinstance(token, yaml.ScalarToken):
                last = token if token.style in ("'", '"') else None
    except yaml.YAMLError:
        pass
    if (
        last is not None
        and last.end_mark.line > last.start_mark.line
        and last.end_mark.line == problem.line
    ):
        return last.start_mark.line, last.start_mark.column, last.style
    return None


def yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"API: errors\""
    if "found character '\\t'" in problem or "tab" in problem:
        return "YAML indents with spaces, never tabs"
    if "could not find expected ':'" in problem:
        return "each field is written 'name: value'; check the line above for a missing colon"
    return "check the indentation and quoting on this line and the one above"


def _convert(doc: Document, node: yaml.Node, path: KeyPath, off: int) -> Any:
    doc.value_pos[path] = (node.start_mark.line + 1 + off, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + off
            key_col = key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                doc.findings.append(
                    Finding(doc.path, key_line, key_col, "a field name must be plain text")
                )
                continue
            key = str(key_node.value)
            if key == "<<":
                doc.findings.append(
                    Finding(
                        doc.path,
                        key_line,
                        key_col,
                        "YAML merge keys ('<<') are not supported",
                        "write the fields out",
                    )
                )
                continue
            if key in result:
                first = doc.key_pos[(*path, key)]
                doc.findings.append(
                    Finding(
                        doc.path,
                        key_line,
                        key_col,
                        f"field '{key}' appears twice (first on line {first[0]})",
                        "keep one of them; YAML would silently use the last",
                    )
                )
                continue
            doc.key_pos[(*path, key)] = (key_line, key_col)
            result[key] = _convert(doc, value_node, (*path, key), off)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(doc, item, (*path, i), off) for i, item in enumerate(node.value)]
    value = node.value
    # A plain scalar's style is None from PyYAML's Python composer and '' from libyaml's.
    if not node.style and value in _NULLS:  # type: ignore[attr-defined]  # a ScalarNode here
        if value:
            doc.null_forms[path] = value
        return None
    return value
