"""The only reader of content/: walk it in a fixed order, parse, validate, cross-check."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import Finding, Severity, did_you_mean
from .frontmatter import Document, parse_markdown, parse_yaml
from .model import Component, Corpus, Group, Incident, Maintenance, Postmortem
from .schema import DEFAULT_PRIORITIES, DEFAULT_SEVERITIES
from .validate import build_components, build_incident, build_maintenance, build_postmortem

COMPONENTS_FILE = "components.yml"
FOLDERS = ("incidents", "maintenance", "postmortems")
_ASSET_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class LoadResult:
    corpus: Corpus | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def load(
    content_dir: Path,
    root: Path,
    severities: tuple[str, ...] = DEFAULT_SEVERITIES,
    pending: dict[Path, bytes] | None = None,
    priorities: tuple[str, ...] = DEFAULT_PRIORITIES,
    sections: tuple[str, ...] = (),
) -> LoadResult:
    """Read and validate every content file; the corpus is None when there is any error.

    `pending` maps paths to contents not yet written: the CLI checks an edit as part of the
    whole site before it touches the disk.
    """
    findings: list[Finding] = []
    pending = {p.resolve(): data for p, data in (pending or {}).items()}

    def read(path: Path) -> bytes:
        if pending:
            resolved = path.resolve()
            if resolved in pending:
                return pending[resolved]
        return path.read_bytes()

    def rel(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    if not content_dir.is_dir():
        return LoadResult(
            None,
            [
                Finding(
                    rel(content_dir),
                    0,
                    0,
                    "content folder not found",
                    "create it (`statusbook init` makes one) or set content_dir in mkdocs.yml",
                )
            ],
        )
    findings.extend(_check_layout(content_dir, rel))

    groups: list[Group] = []
    components: list[Component] = []
    components_path = content_dir / COMPONENTS_FILE
    if components_path.is_file():
        doc = parse_yaml(rel(components_path), components_path.read_bytes())
        groups, components = build_components(doc)
        findings.extend(doc.findings)
    else:
        findings.append(
            Finding(
                rel(components_path),
                0,
                0,
                "components.yml not found",
                "create it with a 'components:' list (see `statusbook init`)",
            )
        )
    known = {c.id: c for c in components}

    incidents: list[tuple[Incident, Document]] = []
    maintenance: list[tuple[Maintenance, Document]] = []
    postmortems: list[tuple[Postmortem, Document]] = []
    seen: dict[tuple[str, str], str] = {}
    for folder in FOLDERS:
        folder_path = (content_dir / folder).resolve()
        extra = (
            [p for p in pending if folder_path in p.parents and not p.exists()] if pending else []
        )
        for path in sorted(
            {*_markdown_files(content_dir / folder, rel, findings), *extra}, key=str
        ):
            ident = path.stem
            doc, entry = _read_entry(
                folder, path, rel(path), read, (frozenset(known), severities, priorities, sections)
            )
            namespace = "postmortem" if folder == "postmortems" else "incident or maintenance"
            _check_duplicate(ident, namespace, doc, seen)
            if isinstance(entry, Incident):
                incidents.append((entry, doc))
            elif isinstance(entry, Maintenance):
                maintenance.append((entry, doc))
            elif isinstance(entry, Postmortem):
                postmortems.append((entry, doc))
            findings.extend(doc.findings)

    incident_ids = {i.id for i, _ in incidents}
    for pm, doc in postmortems:
        for n, ref in enumerate(pm.incident_ids):
            if ref not in incident_ids:
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

    if any(f.severity is Severity.ERROR for f in findings):
        return LoadResult(None, sorted(set(findings)))
    corpus = Corpus(
        groups=tuple(groups),
        components=tuple(components),
        incidents=tuple(
            sorted((i for i, _ in incidents), key=lambda i: (i.started, i.id), reverse=True)
        ),
        maintenance=tuple(
            sorted((m for m, _ in maintenance), key=lambda m: (m.start, m.id), reverse=True)
        ),
        postmortems=tuple(sorted((p for p, _ in postmortems), key=lambda p: p.id)),
    )
    return LoadResult(corpus, sorted(set(findings)))


def lint_rules(options: Any) -> tuple[Any, list[Finding]]:
    """The site's lint rules, or the problems with its `lint:` options."""
    from .lint import Rules, RulesError

    try:
        return Rules.from_config(options.lint or {}), []
    except RulesError as exc:
        return None, [Finding("mkdocs.yml", 0, 0, p, "see docs/lint.md") for p in exc.problems]


def load_configured(
    root: Path, options: Any, pending: dict[Path, bytes] | None = None, lint: bool = False
) -> LoadResult:
    """`load` with the plugin's options from mkdocs.yml (content_dir, severities, ...).

    With `lint`, the blameless-language findings join the result (warnings unless the site
    made a rule an error).
    """
    result = _load_configured(root, options, pending)
    if lint:
        from .lint import lint_content

        rules, problems = lint_rules(options)
        extra = problems or lint_content((root / options.content_dir).resolve(), root, rules)
        findings = sorted({*result.findings, *extra})
        corpus = result.corpus if not any(f.severity is Severity.ERROR for f in extra) else None
        return LoadResult(corpus, findings)
    return result


def _load_configured(root: Path, options: Any, pending: dict[Path, bytes] | None) -> LoadResult:
    return load(
        (root / options.content_dir).resolve(),
        root,
        tuple(options.severities),
        pending=pending,
        priorities=tuple(options.action_priorities),
        sections=tuple(options.postmortem_sections),
    )


def _markdown_files(folder: Path, rel, findings: list[Finding]) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*"), key=str):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_dir():
            continue
        if path.suffix == ".md":
            found.append(path)
        elif path.suffix.lower() not in _ASSET_SUFFIXES:
            findings.append(
                Finding(
                    rel(path),
                    0,
                    0,
                    f"'{path.name}' is not a Markdown file, so it is not read",
                    f"content/{folder.name}/ holds one .md file per entry; rename or move it",
                )
            )
    return found


def _check_layout(content_dir: Path, rel) -> list[Finding]:
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


#: Parsed and validated files by (folder, path, content hash, validation context). `serve`
#: rebuilds after every edit; only the edited file is parsed again.
_FILE_CACHE: dict[tuple[Any, ...], tuple[Document, Any]] = {}


def _read_entry(
    folder: str,
    path: Path,
    display: str,
    read: Any,
    context: tuple[Any, ...],
) -> tuple[Document, Any]:
    """One content file as (document with its findings, model object or None)."""
    raw = read(path)
    # Keyed by the bytes themselves: a timestamp can repeat within a filesystem's resolution.
    key = (folder, str(path), hashlib.blake2b(raw, digest_size=16).digest(), context)
    if key in _FILE_CACHE:
        cached, entry = _FILE_CACHE[key]
        return replace(cached, findings=list(cached.findings)), entry
    known, severities, priorities, sections = context
    ident = path.stem
    doc = parse_markdown(display, raw)
    if not _ID_RE.match(ident) or len(ident) > 100:
        doc.findings.append(
            Finding(
                doc.path,
                0,
                0,
                f"file name '{path.name}' does not make a valid id",
                f"rename it to '{_suggest_id(ident)}.md' (lower-case letters, digits, dashes)",
            )
        )
    entry: Any
    if folder == "incidents":
        entry = build_incident(doc, ident, dict.fromkeys(known), severities)
    elif folder == "maintenance":
        entry = build_maintenance(doc, ident, dict.fromkeys(known))
    else:
        entry = build_postmortem(doc, ident, priorities, sections)
    if len(_FILE_CACHE) > 200_000:
        _FILE_CACHE.clear()
    _FILE_CACHE[key] = (replace(doc, findings=list(doc.findings)), entry)
    return doc, entry


def _check_duplicate(
    ident: str, namespace: str, doc: Document, seen: dict[tuple[str, str], str]
) -> None:
    """Ids are file names, so two files with one name in different folders collide."""
    first = seen.setdefault((namespace, ident), doc.path)
    if first != doc.path:
        doc.findings.append(
            Finding(
                doc.path,
                0,
                0,
                f"duplicate {namespace} id '{ident}': {first} has the same file name",
                "rename one of the files; ids are file names and must be unique",
            )
        )


def _suggest_id(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "entry"
