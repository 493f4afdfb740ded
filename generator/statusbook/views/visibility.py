"""The one place internal content is dropped, before anything public is computed from it.

Every Markdown field goes through the same rule (`markers`): incident and maintenance bodies,
update messages, postmortem bodies. The public view carries no internal field at all, so a
template override that forgets a guard still has nothing internal to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from ..content.markers import labelled_text, public_text
from ..model import (
    Corpus,
    Incident,
    Maintenance,
    Postmortem,
    PostmortemStatus,
    Roles,
    Update,
    Visibility,
)

T = TypeVar("T")


def _updates(updates: tuple[Update, ...], edit: Callable[[str], str]) -> tuple[Update, ...]:
    """The updates with `edit` applied to each message; the same tuple when nothing changed
    (the common case: most messages have no marker, and copies cost time on large sites)."""
    edited = tuple(
        u if (text := edit(u.message)) is u.message else replace(u, message=text) for u in updates
    )
    return updates if all(a is b for a, b in zip(edited, updates, strict=True)) else edited


def _incident(incident: Incident, edit: Callable[[str], str]) -> Incident:
    body, updates = edit(incident.body), _updates(incident.updates, edit)
    if body is incident.body and updates is incident.updates:
        return incident
    return replace(incident, body=body, updates=updates)


def _maintenance(window: Maintenance, edit: Callable[[str], str]) -> Maintenance:
    body, updates = edit(window.body), _updates(window.updates, edit)
    if body is window.body and updates is window.updates:
        return window
    return replace(window, body=body, updates=updates)


#: Edited entries by the entry they were made from (by identity, the entry kept alive with
#: them), handed in by the host: `serve` rebuilds get the same object for an unchanged file,
#: and then the same public copy, so what was worked out from that copy is found again.
Kept = dict[int, tuple[Any, Any]]


def _public_incident(incident: Incident) -> Incident:
    bare = replace(incident, severity="", roles=Roles(), notes="", runbooks=())
    return _incident(bare, public_text)


def _same(kept: Kept | None, entry: T, make: Callable[[T], T]) -> T:
    """make(entry), or what it made of this very object before."""
    if kept is None:
        return make(entry)
    found = kept.get(id(entry))
    if found is None or found[0] is not entry:
        found = kept[id(entry)] = (entry, make(entry))
    made: T = found[1]
    return made


def _public_postmortem(postmortem: Postmortem, public_ids: set[str]) -> Postmortem:
    """Without internal incidents and internal blocks; the same object when it has none."""
    ids = tuple(x for x in postmortem.incident_ids if x in public_ids)
    body = public_text(postmortem.body)
    if ids == postmortem.incident_ids and body is postmortem.body:
        return postmortem
    return replace(postmortem, incident_ids=ids, body=body)


def public_view(corpus: Corpus, kept: Kept | None = None) -> Corpus:
    """Only what customers may see: no internal entries, no drafts, no internal-only fields
    (severity, roles, notes, runbooks), no internal blocks in any text. `kept`: copies made
    by an earlier call, reused for the same objects (only this corpus's are kept after)."""
    incidents = tuple(
        _same(kept, i, _public_incident)
        for i in corpus.incidents
        if i.visibility is Visibility.PUBLIC
    )
    if kept is not None:
        for stale in kept.keys() - {id(i) for i in corpus.incidents}:
            del kept[stale]
    public_ids = {i.id for i in incidents}
    postmortems = tuple(
        _public_postmortem(p, public_ids)
        for p in corpus.postmortems
        if p.visibility is Visibility.PUBLIC and p.status is PostmortemStatus.PUBLISHED
    )
    return replace(
        corpus,
        # Runbooks are for responders: the public edition carries none (leak-tested).
        components=tuple(replace(c, runbooks=()) if c.runbooks else c for c in corpus.components),
        incidents=incidents,
        maintenance=tuple(
            _maintenance(m, public_text)
            for m in corpus.maintenance
            if m.visibility is Visibility.PUBLIC
        ),
        postmortems=postmortems,
    )


def internal_view(corpus: Corpus) -> Corpus:
    """Everything, for `statusbook build --internal`: drafts stay out, internal entries stay in,
    internal blocks are shown labelled."""
    return replace(
        corpus,
        incidents=tuple(_incident(i, labelled_text) for i in corpus.incidents),
        maintenance=tuple(_maintenance(m, labelled_text) for m in corpus.maintenance),
        postmortems=tuple(
            replace(p, body=labelled_text(p.body))
            for p in corpus.postmortems
            if p.status is PostmortemStatus.PUBLISHED
        ),
    )
