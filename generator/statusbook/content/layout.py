"""The content folder's layout: components.yml, the Markdown files of each folder (and what
is not one), file names as ids, and the references between entries (a postmortem's
incidents). Each problem is a finding; nothing here reads an entry's fields.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..cache.store import CACHE_DIR, tracked_by_git
from ..errors import Finding, Severity, did_you_mean
from ..model import Component, Group, Postmortem
from .files import walk
from .frontmatter import Document, parse_yaml
from .validate import (
    build_components,
)

COMPONENTS_FILE = "components.yml"
FOLDERS = ("incidents", "maintenance", "postmortems")
_ASSET_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def read_components(
    content_dir: Path, rel: Callable[[Any], str], findings: list[Finding]
) -> tuple[list[Group], list[Component], bool]:
    """components.yml's groups and components, and whether it is missing or has errors (the
    component checks of other files then wait for it)."""
    groups: list[Group] = []
    components: list[Component] = []
    components_broken = False
    components_path = content_dir / COMPONENTS_FILE
    if components_path.is_file():
        doc = parse_yaml(rel(components_path), components_path.read_bytes())
        groups, components = build_components(doc)
        findings.extend(doc.findings)
        if any(f.severity is Severity.ERROR for f in doc.findings):
            # Its components may be missing: "unknown component" everywhere else would be
            # the same mistake reported again, so those checks wait until it is fixed.
            components_broken = True
            findings.append(
                Finding(
                    doc.path,
                    0,
                    0,
                    "component ids in incidents and maintenance are not checked until this "
                    "file is fixed",
                    severity=Severity.NOTE,
                )
            )
    else:
        components_broken = True
        findings.append(
            Finding(
                rel(components_path),
                0,
                0,
                "components.yml not found",
                "create it with a 'components:' list (see `statusbook init`)",
            )
        )
    return groups, components, components_broken


def list_files(
    content_dir: Path,
    rel: Callable[[Any], str],
    findings: list[Finding],
    pending: dict[Path, bytes],
) -> dict[str, list[str]]:
    """The Markdown files of each folder, with pending edits of files not yet on disk."""
    listed: dict[str, list[str]] = {}
    for folder in FOLDERS:
        folder_path = (content_dir / folder).resolve()
        extra = (
            [str(p) for p in pending if folder_path in p.parents and not p.exists()]
            if pending
            else []
        )
        listed[folder] = sorted({*_markdown_files(content_dir / folder, rel, findings), *extra})
    return listed


def check_references(
    postmortems: list[tuple[Postmortem, Document]],
    stored: dict[str, list[tuple[str, bytes, Any]]],
    broken: dict[str, str],
    findings: list[Finding],
) -> None:
    """Every incident a postmortem names exists; one naming an incident whose file has errors
    waits for it, with a note on that file."""
    incident_ids = {ident for ident, _, _ in stored["incidents"]}
    waiting: dict[str, list[str]] = {}  # broken incident's path -> postmortems naming it
    for pm, doc in postmortems:
        for n, ref in enumerate(pm.incident_ids):
            if ref in broken:  # its own errors say what is wrong; this check waits for them
                waiting.setdefault(broken[ref], []).append(doc.path)
            elif ref not in incident_ids:
                line, col = doc.pos(("incidents", n))
                findings.append(
                    Finding(
                        doc.path,
                        line,
                        col,
                        f"postmortem names incident '{ref}', which does not exist",
                        did_you_mean(ref, incident_ids) + " (an incident's id is its file name)",
                    )
                )

    for path, names in sorted(waiting.items()):
        findings.append(
            Finding(
                path,
                0,
                0,
                f"not checked whether {', '.join(sorted(set(names)))} names this incident "
                "correctly until this file is fixed",
                severity=Severity.NOTE,
            )
        )


def tracked_cache(root: Path) -> list[Finding]:
    """An error when git tracks the cache folder: it holds internal content, and a committed
    cache file would be read by every checkout (a file not signed with the reader's own key
    is ignored, but the folder has no place in the repository)."""
    tracked = tracked_by_git(root)
    if not tracked:
        return []
    folder = CACHE_DIR.as_posix()
    return [
        Finding(
            folder,
            0,
            0,
            f"the cache folder {folder}/ is tracked by git ({len(tracked)} file"
            f"{'' if len(tracked) == 1 else 's'}); it holds internal content and must "
            "never be committed",
            f"run `git rm -r --cached {folder}`, commit, and keep `.cache/` in .gitignore",
        )
    ]


def _markdown_files(folder: Path, rel: Callable[[Any], str], findings: list[Finding]) -> list[str]:
    if not folder.is_dir():
        return []
    markdown, other = walk(folder)
    for path in map(Path, other):
        if path.suffix.lower() not in _ASSET_SUFFIXES:
            findings.append(
                Finding(
                    rel(path),
                    0,
                    0,
                    f"'{path.name}' is not a Markdown file, so it is not read",
                    f"content/{folder.name}/ holds one .md file per entry; rename or move it",
                )
            )
    return markdown


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def check_layout(content_dir: Path, rel: Callable[[Any], str]) -> list[Finding]:
    """Entries at the top of content/ that we would otherwise silently skip."""
    findings = []
    allowed = {*FOLDERS, COMPONENTS_FILE}
    for entry in sorted(content_dir.iterdir()):
        if entry.name.startswith(".") or entry.name in allowed or entry.name.startswith("README"):
            continue
        if entry.name in ("components.yaml",):
            hint = "rename it to components.yml"
        else:
            hint = did_you_mean(entry.name, allowed)
        findings.append(
            Finding(rel(entry), 0, 0, f"'{entry.name}' is not part of the content layout", hint)
        )
    return findings


def check_duplicate(
    ident: str, namespace: str, doc: Document, seen: dict[tuple[str, str], str]
) -> Finding | None:
    """Ids are file names, so two files with one name in different folders collide. (A
    finding returned, not added to the document: the document may be a cache's.)"""
    first = seen.setdefault((namespace, ident), doc.path)
    if first == doc.path:
        return None
    return Finding(
        doc.path,
        0,
        0,
        f"duplicate {namespace} id '{ident}': {first} has the same file name",
        "rename one of the files; ids are file names and must be unique",
    )


def suggest_id(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "entry"
