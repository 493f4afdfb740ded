"""The only reader of content/: walk it in a fixed order, parse, validate, cross-check."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from ..cache.site_cache import SiteCache
from ..cache.store import DiskCache, MemoryCache
from ..errors import Finding, Severity
from ..model import Component, Corpus, Group, Incident, Maintenance, Postmortem
from ..workers import map_batches
from .files import shown_from
from .frontmatter import Document, parse_markdown
from .layout import (
    FOLDERS,
    ID_RE,
    _stem,
    check_duplicate,
    check_layout,
    check_references,
    list_files,
    read_components,
    suggest_id,
    tracked_cache,
)
from .schema import DEFAULT_PRIORITIES, DEFAULT_SEVERITIES
from .validate import (
    build_incident,
    build_maintenance,
    build_postmortem,
    future_times,
)


@dataclass
class LoadResult:
    corpus: Corpus | None
    findings: list[Finding] = field(default_factory=list)
    #: Valid entries of each kind (components, incidents, maintenance, postmortems).
    counts: dict[str, int] = field(default_factory=dict)
    #: Lint findings of the files checked in worker processes, by shown path, when `load`
    #: was given lint rules: the lint need not read or send them again.
    linted: dict[str, list[Finding]] = field(default_factory=dict)

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
    disk: DiskCache | None = None,
    corpus: bool = True,
    reader: DiskCache | None = None,
    lint: Lint | None = None,
    clock: datetime | None = None,
    memory: MemoryCache | None = None,
    objects: dict[bytes, Any] | None = None,
) -> LoadResult:
    """Read and validate every content file; the corpus is None when there is any error.

    `pending` maps paths to contents not yet written: the CLI checks an edit as part of the
    whole site before it touches the disk. `disk` keeps parsed files between runs. Without
    `corpus` only the findings and counts are wanted (`validate`), and the model objects of
    incidents and maintenance are not even unpickled. `reader`: where to read files, when
    the caller reads them again after (the lint). With `lint`, files checked in worker
    processes are linted there too (LoadResult.linted). `clock`: the real time, when times
    after it are errors (see validate.future_times). `memory`: where checked files are
    kept when there is no `disk` (the host's SiteCache.files; by default, for this call);
    `objects`, the model objects it keeps across `serve` rebuilds (see _Objects)."""
    findings: list[Finding] = []
    pending = {p.resolve(): data for p, data in (pending or {}).items()}
    # Reads each file once per run; `pending` contents stand in for the files they replace.
    reader = (
        reader or disk or DiskCache(None, pending={str(p): data for p, data in pending.items()})
    )
    store = disk if disk is not None else memory if memory is not None else MemoryCache()

    shown = shown_from(root)

    def rel(path: Path | str) -> str:
        return shown(str(path))

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
    findings.extend(check_layout(content_dir, rel))

    groups, components, components_broken = read_components(content_dir, rel, findings)
    known = {c.id: c for c in components}

    listed = list_files(content_dir, rel, findings, pending)
    context = (None if components_broken else frozenset(known), severities, priorities, sections)
    linted: dict[str, list[Finding]] = {}
    if not pending:
        linted = _check_in_parallel(listed, rel, reader, context, store, lint)
    made = _Objects(objects)
    stored, postmortems, broken = _read_entries(
        listed, rel, reader, context, store, clock, findings, made
    )

    check_references(postmortems, stored, broken, findings)

    counts = {
        "components": len(components),
        "incidents": len(stored["incidents"]),
        "maintenance": len(stored["maintenance"]),
        "postmortems": len(postmortems),
    }
    if any(f.severity is Severity.ERROR for f in findings) or not corpus:
        return LoadResult(None, sorted(set(findings)), counts, linted)
    built = _corpus(groups, components, stored, postmortems, made)
    made.keep(objects)
    return LoadResult(built, sorted(set(findings)), counts, linted)


class Lint(Protocol):
    """What the loader needs of the lint (lint.site.SiteLint), handed in by the host or the
    CLI: content/ imports nothing of the lint, which reads content through it."""

    @property
    def per_file(self) -> bool: ...

    def file(self, display: str, folder: str, raw: bytes) -> list[Finding]: ...

    def remaining(
        self,
        content_dir: Path,
        root: Path,
        disk: DiskCache | None,
        reader: DiskCache,
        linted: dict[str, list[Finding]],
    ) -> list[Finding]: ...


def _read_entries(
    listed: dict[str, list[str]],
    rel: Callable[[Any], str],
    reader: DiskCache,
    context: tuple[Any, ...],
    store: DiskCache | MemoryCache,
    clock: datetime | None,
    findings: list[Finding],
    made: _Objects,
) -> tuple[
    dict[str, list[tuple[str, bytes, Any]]], list[tuple[Postmortem, Document]], dict[str, str]
]:
    """Every listed file checked (or found in `store`), its findings added: the incidents and
    maintenance that are valid (pickled), the postmortems, and the incident files that are
    not (by id)."""
    seen: dict[tuple[str, str], str] = {}
    # (id, pickled entry, the entry itself when this run built it: no need to unpickle)
    stored: dict[str, list[tuple[str, bytes, Any]]] = {folder: [] for folder in FOLDERS}
    postmortems: list[tuple[Postmortem, Document]] = []
    broken: dict[str, str] = {}  # id -> path of incident files that could not be read
    for folder in FOLDERS:
        for path in listed[folder]:
            ident = _stem(path)
            doc, blob, fresh = _read_entry(folder, path, rel(path), reader, context, store)
            namespace = "postmortem" if folder == "postmortems" else "incident or maintenance"
            duplicate = check_duplicate(ident, namespace, doc, seen)
            if duplicate is not None:
                findings.append(duplicate)
            findings.extend(doc.findings)
            if clock is not None:
                findings.extend(future_times(doc, clock))
            if blob is None:
                if folder == "incidents":
                    broken[ident] = doc.path
                continue
            if folder == "postmortems":
                postmortems.append((made.get(blob, fresh), doc))
            else:
                stored[folder].append((ident, blob, fresh))
    return stored, postmortems, broken


def _corpus(
    groups: list[Group],
    components: list[Component],
    stored: dict[str, list[tuple[str, bytes, Any]]],
    postmortems: list[tuple[Postmortem, Document]],
    made: _Objects,
) -> Corpus:
    """The corpus of the checked entries, each collection in its published order."""
    incidents: list[Incident] = [made.get(b, fresh) for _, b, fresh in stored["incidents"]]
    maintenance: list[Maintenance] = [made.get(b, f) for _, b, f in stored["maintenance"]]
    return Corpus(
        groups=tuple(groups),
        components=tuple(components),
        incidents=tuple(sorted(incidents, key=lambda i: (i.started, i.id), reverse=True)),
        maintenance=tuple(sorted(maintenance, key=lambda m: (m.start, m.id), reverse=True)),
        postmortems=tuple(sorted((p for p, _ in postmortems), key=lambda p: p.id)),
    )


def load_configured(
    root: Path,
    options: Any,
    pending: dict[Path, bytes] | None = None,
    lint: Lint | None = None,
    cache: bool = False,
    corpus: bool = True,
    no_cache: bool = False,
    clock: datetime | None = None,
    site_cache: SiteCache | None = None,
) -> LoadResult:
    """`load` with the plugin's options from mkdocs.yml (content_dir, severities, ...).

    With `lint` (lint.site.SiteLint), the blameless-language findings join the result
    (warnings unless the site made a rule an error). With `cache`, files unchanged since an
    earlier run are not parsed or linted again (see cache/store.py); edits not yet written
    (`pending`) never use it; `no_cache` (the build context's switch) turns it off. A cache
    folder tracked by git is refused whether the cache is on or off (`validate`, `build`).
    `site_cache`: the host's cache of this site (kept across `serve` rebuilds); without one,
    a cache for this call only.
    """
    if cache:
        refused = tracked_cache(root)
        if refused:
            return LoadResult(None, refused)
    use = cache and not no_cache and not pending and getattr(options, "cache", True)
    if site_cache is None:
        site_cache = SiteCache(root, use)
    disk = site_cache.content(use)
    # One reader for the check and the lint: each file is read once (edits not yet written
    # are the check's business; the lint reads the files).
    reader = disk if disk.enabled else DiskCache(None)
    try:
        result = load(
            (root / options.content_dir).resolve(),
            root,
            tuple(options.severities),
            pending=pending,
            priorities=tuple(options.action_priorities),
            sections=tuple(options.postmortem_sections),
            disk=disk if disk.enabled else None,
            corpus=corpus,
            reader=None if pending else reader,
            lint=lint if lint is not None and lint.per_file else None,
            clock=clock,
            memory=site_cache.files,
            objects=site_cache.live("model objects", dict),
        )
        if lint is not None:
            extra = lint.remaining(
                (root / options.content_dir).resolve(),
                root,
                disk if disk.enabled else None,
                reader,
                result.linted,
            )
            findings = sorted({*result.findings, *extra})
            errors = any(f.severity is Severity.ERROR for f in extra)
            result = replace(result, corpus=None if errors else result.corpus, findings=findings)
    finally:
        disk.save()
    return result


def _read_entry(
    folder: str,
    path: str,
    display: str,
    reader: DiskCache,
    context: tuple[Any, ...],
    store: DiskCache | MemoryCache,
) -> tuple[Document, bytes | None, Any]:
    """One content file as (document with its findings, pickled model object or None, the
    model object when it was built here rather than found in a cache).

    Caches keep the model object pickled on its own: reading the cache is then a matter of
    bytes, and only what a run needs is unpickled (`validate` needs no incident objects).
    """
    # Keyed by the bytes themselves: a timestamp can repeat within a filesystem's resolution.
    key = (folder, display, reader.digest(path), context)
    hit = store.get(key)
    if hit is not None:
        cached, blob = hit
        return cached, blob, None  # read only from here on: no copy needed
    doc, entry = _check_file(folder, path, display, reader.read(path), context)
    kept = _kept(doc, entry)
    store.put(key, kept)
    return doc, kept[1], entry


class _Objects:
    """Model objects by their pickled bytes: the last run's, handed in, and this run's. An
    unchanged file gives `serve`'s next rebuild the same object, not a copy, so what was
    worked out from it (its public copy, its pages' keys) is found again."""

    def __init__(self, before: dict[bytes, Any] | None) -> None:
        self.before = before if before is not None else {}
        self.now: dict[bytes, Any] = {}

    def get(self, blob: bytes, fresh: Any) -> Any:
        """The one built in this run, else the last run's for the same bytes, else the
        cache's copy unpickled. (Model objects are frozen: sharing one is safe.)"""
        found = fresh if fresh is not None else self.before.get(blob)
        if found is None:
            found = pickle.loads(blob)
        self.now[blob] = found
        return found

    def keep(self, objects: dict[bytes, Any] | None) -> None:
        """Leave this run's in `objects`, and only those: it never outgrows the site."""
        if objects is not None:
            objects.clear()
            objects.update(self.now)


def _kept(doc: Document, entry: Any) -> tuple[Document, bytes | None]:
    """What the caches hold of a checked file."""
    return _slim(doc), None if entry is None else pickle.dumps(entry, protocol=5)


def _check_file(
    folder: str, path: str, display: str, raw: bytes, context: tuple[Any, ...]
) -> tuple[Document, Any]:
    """Parse and validate one file's bytes: what the caches keep."""
    known, severities, priorities, sections = context
    ident = _stem(path)
    doc = parse_markdown(display, raw)
    if not ID_RE.match(ident) or len(ident) > 100:
        doc.findings.append(
            Finding(
                doc.path,
                0,
                0,
                f"file name '{os.path.basename(path)}' does not make a valid id",
                f"rename it to '{suggest_id(ident)}.md' (lower-case letters, digits, dashes)",
            )
        )
    entry: Any
    if folder == "incidents":
        refs = None if known is None else dict.fromkeys(known)
        entry = build_incident(doc, ident, refs, severities)
    elif folder == "maintenance":
        entry = build_maintenance(doc, ident, None if known is None else dict.fromkeys(known))
    else:
        entry = build_postmortem(doc, ident, priorities, sections)
    return doc, entry


def _check_batch(
    batch: Sequence[tuple[str, str, str, bytes]], shared: tuple[tuple[Any, ...], Lint | None]
) -> list[tuple[tuple[Document, bytes | None], list[Finding] | None]]:
    """_check_file over a batch, and the lint when there is one; in a worker process."""
    context, lint = shared
    out = []
    for folder, path, display, raw in batch:
        kept = _kept(*_check_file(folder, path, display, raw, context))
        out.append((kept, None if lint is None else lint.file(display, folder, raw)))
    return out


def _check_in_parallel(
    listed: dict[str, list[str]],
    rel: Any,
    reader: DiskCache,
    context: tuple[Any, ...],
    store: DiskCache | MemoryCache,
    lint: Lint | None,
) -> dict[str, list[Finding]]:
    """Check (and lint, with `lint`) the files the store does not know in worker processes,
    when there are enough of them (a cold run over a large site); the sequential pass then
    finds them in the store. Returns the lint findings by shown path."""
    misses: list[tuple[tuple[Any, ...], tuple[str, str, str, bytes]]] = []
    for folder, paths in listed.items():
        for path in paths:
            display = rel(path)
            key = (folder, display, reader.digest(path), context)
            if store.get(key) is None:
                misses.append((key, (folder, path, display, reader.read(path))))
    results = map_batches(_check_batch, [job for _, job in misses], (context, lint))
    if results is None:  # few files, one core, or no way to fork here
        return {}
    linted = {}
    for (key, job), (kept, found) in zip(misses, results, strict=True):
        store.put(key, kept)
        if found is not None:
            linted[job[2]] = found
    return linted


def _slim(doc: Document) -> Document:
    """What `load` needs of a document after validation: its path, findings and where a
    postmortem names its incidents (the rest is in the model object)."""
    return Document(
        doc.path,
        value_pos={k: v for k, v in doc.value_pos.items() if k[:1] in ((), ("incidents",))},
        findings=list(doc.findings),
        past_times=list(doc.past_times),
    )
