"""Problems found in content, as values: every check returns them, the edges print them."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    #: Not a problem: says why a check was skipped (it depends on a file that has errors).
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one place: `path:line:col: error: message` plus how to fix it."""

    path: str
    line: int  # 1-based; 0 when the problem is the whole file
    col: int  # 1-based; 0 when unknown
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format_text(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, so the finding shows on the PR's changed line."""
        props = [f"file={_gh_escape_property(self.path)}"]
        if self.line:
            props.append(f"line={self.line}")
        if self.col:
            props.append(f"col={self.col}")
        body = self.message + (f" (hint: {self.hint})" if self.hint else "")
        # GitHub's levels are error, warning and notice:
        # https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
        level = "notice" if self.severity is Severity.NOTE else self.severity.value
        return f"::{level} {','.join(props)}::{_gh_escape_data(body)}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


def _gh_escape_data(text: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_property(text: str) -> str:
    return _gh_escape_data(text).replace(":", "%3A").replace(",", "%2C")


class ContentError(Exception):
    """Raised at the edges when content has errors; carries every finding of the run."""

    def __init__(self, findings: Iterable[Finding]):
        self.findings = sorted(findings)
        super().__init__(format_findings(self.findings))


def errors_only(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def format_findings(findings: Iterable[Finding], fmt: str = "text") -> str:
    # Notes (checks that wait for a fix) after the problems themselves.
    items = sorted(findings, key=lambda f: (f.severity is Severity.NOTE, f))
    if fmt == "json":
        return json.dumps([f.as_dict() for f in items], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(f.format_github() for f in items)
    return "\n".join(f.format_text() for f in items)


def summary_line(findings: Iterable[Finding]) -> str:
    items = [f for f in findings if f.severity is not Severity.NOTE]
    errors = sum(1 for f in items if f.severity is Severity.ERROR)
    warnings = len(items) - errors
    files = len({f.path for f in items})
    parts = [_plural(errors, "error")]
    if warnings:
        parts.append(_plural(warnings, "warning"))
    return f"{', '.join(parts)} in {_plural(files, 'file')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean' clause for near misses, or a list of what is allowed."""
    options = sorted(set(choices))
    if not options:
        return "none are defined yet"
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(options) <= 12:
        return "expected one of: " + ", ".join(options)
    return f"expected one of {len(options)} known values (see `statusbook schema`)"
