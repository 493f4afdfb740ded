"""The lint as a site runs it: the rules its mkdocs.yml sets, handed to the content loader.

content/ imports nothing of the lint: the host or the CLI makes a `SiteLint` and passes it to
`content.load.load_configured`, which lints each file in the worker process that checks it and
leaves the rest (files it did not read there) to `remaining`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache.store import DiskCache
from ..errors import Finding
from .blameless import FOLDER_KINDS, Rules, RulesError, lint_bytes, lint_content


def lint_rules(options: Any) -> tuple[Rules | None, list[Finding]]:
    """The site's lint rules, or the problems with its `lint:` options."""
    try:
        return Rules.from_config(options.lint or {}), []
    except RulesError as exc:
        return None, [Finding("mkdocs.yml", 0, 0, p, "see docs/lint.md") for p in exc.problems]


@dataclass(frozen=True)
class SiteLint:
    """The site's rules, or the problems that keep them from applying. Sent to worker
    processes with the files to check, so it holds only picklable values."""

    rules: Rules | None
    problems: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, options: Any) -> SiteLint:
        rules, problems = lint_rules(options)
        return cls(rules, tuple(problems))

    @property
    def per_file(self) -> bool:
        """Whether files can be linted as they are checked (not when the rules are wrong)."""
        return self.rules is not None and not self.problems

    def file(self, display: str, folder: str, raw: bytes) -> list[Finding]:
        """One content file's findings; `folder` is its content folder (incidents, ...)."""
        assert self.rules is not None
        return lint_bytes(display, FOLDER_KINDS[folder], raw, self.rules)

    def remaining(
        self,
        content_dir: Path,
        root: Path,
        disk: DiskCache | None,
        reader: DiskCache,
        linted: dict[str, list[Finding]],
    ) -> list[Finding]:
        """The findings of every file, reusing those already `linted` by shown path; or the
        problems with the rules."""
        if self.problems or self.rules is None:
            return list(self.problems)
        return lint_content(content_dir, root, self.rules, disk=disk, reader=reader, linted=linted)
