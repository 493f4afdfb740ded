"""Applying an import: a file for every entry (the one imported from the same source entry
before, else a new one with a unique id), the whole site validated with the new files in a
scratch copy, then only what changed written, and the report.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import Finding, Severity
from .merge import Existing, merge_components, read_existing
from .source import (
    COMPONENTS_FILE,
    FOLDERS,
    MARKER_RE,
    Entry,
    ImportFailure,
    Report,
    Source,
    unique,
)
from .writer import reads_back, render_entry

# --- existing files ---------------------------------------------------------------------------


def _scan(content_dir: Path, source_kind: str) -> tuple[dict[str, Path], set[str], set[str]]:
    """Files imported before (by source key), entry ids and postmortem ids in use."""
    marked: dict[str, Path] = {}
    entry_ids: set[str] = set()
    postmortem_ids: set[str] = set()
    for kind, folder in FOLDERS.items():
        base = content_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.md")):
            (postmortem_ids if kind == "postmortem" else entry_ids).add(path.stem)
            try:
                with path.open(encoding="utf-8", errors="replace") as fh:
                    head = [fh.readline().rstrip("\r\n") for _ in range(3)]
            except OSError:
                continue
            for line in head[1:]:
                match = MARKER_RE.match(line)
                if match and match.group(1) == source_kind:
                    marked.setdefault(f"{kind}:{match.group(2)}", path)
    return marked, entry_ids, postmortem_ids


# --- apply ---------------------------------------------------------------------------------------

Validator = Callable[[Path], list[Finding]]


def apply(
    source: Source,
    content_dir: Path,
    *,
    root: Path | None = None,
    overwrite: bool = False,
    dry_run: bool = False,
    validator: Validator | None = None,
) -> Report:
    """Merge `source` into `content_dir`; see the module docstring for the steps.

    `validator(content_dir)` returns the findings for a whole content folder (paths relative
    to its parent); by default `statusbook.content.load` with the default settings.
    """
    root = root or content_dir.parent
    report = Report(dry_run=dry_run)
    report.skipped.extend(source.skipped)
    report.warnings.extend(source.warnings)

    def shown(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    components_path = content_dir / COMPONENTS_FILE
    existing = read_existing(components_path, shown(components_path))
    merge = merge_components(source, existing, overwrite, shown(components_path))
    report.conflicts.extend(merge.conflicts)
    report.warnings.extend(merge.notes)

    marked, entry_ids, postmortem_ids = _scan(content_dir, source.kind)
    if existing is None and not merge.known:
        raise ImportFailure("the source defines no components, and the site has none either")
    # Entries imported before keep their files; the rest get new, unique ids in date order.
    entries = sorted(source.entries, key=lambda e: (e.kind == "postmortem", e.day, e.key))
    slots = _earlier_files(entries, marked, report, shown)
    placed, incident_ids = _place(entries, slots, content_dir, entry_ids, postmortem_ids, report)
    rendered = _render(placed, source, merge.ids, incident_ids, report, shown)

    rendered, fatal = _validate(
        rendered, merge.text, content_dir, validator or _default_validator, report, shown
    )
    if fatal:
        return report

    writes = _writes(rendered, merge.text, existing, components_path, overwrite, report, shown)
    if not dry_run:
        for path, text in writes:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
    return report


Shown = Callable[[Path], str]


def _earlier_files(
    entries: list[Entry], marked: dict[str, Path], report: Report, shown: Shown
) -> dict[tuple[str, str], Path]:
    """The files entries were imported to before, by (kind, key); Path() for an entry that
    may not be imported (its file holds another kind). Files whose entries left the source
    are reported and left alone."""
    slots: dict[tuple[str, str], Path] = {}
    for entry in entries:
        found = marked.get(f"{entry.kind}:{entry.key}")
        if found is not None:
            slots[(entry.kind, entry.key)] = found
            continue
        other = next(
            (
                marked[f"{k}:{entry.key}"]
                for k in ("incident", "maintenance")
                if k != entry.kind and f"{k}:{entry.key}" in marked
            ),
            None,
        )
        if other is not None and entry.kind != "postmortem":
            report.conflicts.append(
                (
                    entry.origin,
                    f"imported before as {shown(other)}, but it now maps to a {entry.kind}; "
                    "delete that file to import it again",
                )
            )
            slots[(entry.kind, entry.key)] = Path()  # blocked
    in_source = {f"{e.kind}:{e.key}" for e in entries}
    for key, path in sorted(marked.items()):
        if key not in in_source:
            report.warnings.append(
                (
                    shown(path),
                    f"imported before from {key.split(':', 1)[1]}, which is no longer in "
                    "the source (or no longer imports); left as it is",
                )
            )
    return slots


def _place(
    entries: list[Entry],
    slots: dict[tuple[str, str], Path],
    content_dir: Path,
    entry_ids: set[str],
    postmortem_ids: set[str],
    report: Report,
) -> tuple[list[tuple[Entry, Path]], dict[str, str]]:
    """Each entry's file (its earlier one, else a new one with a unique id), and the ids of
    the incidents by source key; a postmortem whose incident was not imported is skipped."""
    incident_ids: dict[str, str] = {}
    placed: list[tuple[Entry, Path]] = []
    for entry in entries:
        path = slots.get((entry.kind, entry.key))
        if path == Path():
            continue
        if path is None:
            if entry.kind == "postmortem":
                if entry.incident_key not in incident_ids:
                    report.skipped.append((entry.origin, "its incident was not imported"))
                    continue
                ident = unique(incident_ids[entry.incident_key], postmortem_ids)
            else:
                ident = unique(f"{entry.day:%Y-%m-%d}-{entry.slug or entry.kind}", entry_ids)
            path = content_dir / FOLDERS[entry.kind] / f"{entry.day:%Y}" / f"{ident}.md"
        elif entry.kind == "postmortem" and entry.incident_key not in incident_ids:
            report.skipped.append((entry.origin, "its incident was not imported"))
            continue
        if entry.kind == "incident":
            incident_ids[entry.key] = path.stem
        placed.append((entry, path))

    return placed, incident_ids


def _render(
    placed: list[tuple[Entry, Path]],
    source: Source,
    ids: dict[str, str],
    incident_ids: dict[str, str],
    report: Report,
    shown: Shown,
) -> dict[str, tuple[Entry, Path, str]]:
    """Each placed entry's file text, checked to read back to the values meant."""
    rendered: dict[str, tuple[Entry, Path, str]] = {}
    for entry, path in placed:
        text, expected = render_entry(entry, source.kind, ids, incident_ids)
        problem = reads_back(shown(path), text, expected, entry.body)
        if problem:
            report.skipped.append((entry.origin, f"internal error, not written: {problem}"))
            continue
        rendered[f"{entry.kind}:{entry.key}"] = (entry, path, text)

    return rendered


def _writes(
    rendered: dict[str, tuple[Entry, Path, str]],
    components_text: str | None,
    existing: Existing | None,
    components_path: Path,
    overwrite: bool,
    report: Report,
    shown: Shown,
) -> list[tuple[Path, str]]:
    """What to write: components.yml when the merge changed it, and every entry whose file
    is new or differs (replaced only with `overwrite`); the report says which."""
    writes: list[tuple[Path, str]] = []
    if components_text is not None:
        (report.updated if existing else report.created).append(shown(components_path))
        writes.append((components_path, components_text))
    elif existing is not None:
        report.unchanged.append(shown(components_path))
    for entry, path, text in sorted(rendered.values(), key=lambda r: str(r[1])):
        report.paths[f"{entry.kind}:{entry.key}"] = shown(path)
        if path.is_file():
            old = path.read_bytes()
            if old == text.encode("utf-8"):
                report.unchanged.append(shown(path))
                continue
            if not overwrite:
                report.conflicts.append(
                    (
                        shown(path),
                        f"differs from what {entry.origin} imports to (edited since?); kept it "
                        "(--overwrite replaces it)",
                    )
                )
                continue
            report.updated.append(shown(path))
        else:
            report.created.append(shown(path))
        writes.append((path, text))
    return writes


def _default_validator(content_dir: Path) -> list[Finding]:
    from ..content import load as content

    return content.load(content_dir, content_dir.parent).findings


def _validate(
    rendered: dict[str, tuple[Entry, Path, str]],
    components_text: str | None,
    content_dir: Path,
    validator: Validator,
    report: Report,
    shown: Callable[[Path], str],
) -> tuple[dict[str, tuple[Entry, Path, str]], bool]:
    """Check the site with the new files in a scratch copy; drop entries that do not validate.

    Returns the entries that passed and whether the import must stop (components.yml broken).
    """
    keep = dict(rendered)
    with tempfile.TemporaryDirectory(prefix="statusbook-import-") as scratch:
        while True:  # dropping an incident can break its postmortem: check again
            work = Path(scratch) / "content"
            if work.exists():
                shutil.rmtree(work)
            if content_dir.is_dir():
                shutil.copytree(content_dir, work)
            else:
                work.mkdir(parents=True)
            if components_text is not None:
                (work / COMPONENTS_FILE).write_text(components_text, encoding="utf-8")
            ours: dict[str, str] = {}
            for slot, (_, path, text) in keep.items():
                rel = path.resolve().relative_to(content_dir.resolve()).as_posix()
                target = work / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                ours["content/" + rel] = slot
            bad: dict[str, list[Finding]] = {}
            warnings: list[tuple[str, str]] = []
            for finding in validator(work):
                if finding.path in ours:
                    if finding.severity is Severity.ERROR:
                        bad.setdefault(ours[finding.path], []).append(finding)
                    else:
                        warnings.append((shown(keep[ours[finding.path]][1]), finding.message))
                elif finding.path == "content/" + COMPONENTS_FILE and components_text is not None:
                    if finding.severity is Severity.ERROR:
                        report.skipped.append(
                            (COMPONENTS_FILE, f"internal error, nothing written: {finding.message}")
                        )
                        return {}, True
            if not bad:
                report.warnings.extend(warnings)
                break
            for slot, problems in sorted(bad.items()):
                entry, path, _ = keep.pop(slot)
                reasons = "; ".join(p.message for p in problems[:3])
                report.skipped.append((entry.origin, f"does not validate: {reasons}"))
    return keep, False
