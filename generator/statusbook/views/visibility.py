"""The one place internal content is dropped, before anything public is computed from it.

Every Markdown field goes through the same rule (`markers`): incident and maintenance bodies,
update messages, postmortem bodies. The public view carries no internal field at all, so a
template override that forgets a guard still has nothing internal to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..content.markers import labelled_text, public_text
from ..model import Corpus, Incident, Maintenance, PostmortemStatus, Roles, Update, Visibility


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


def public_view(corpus: Corpus) -> Corpus:
    """Only what customers may see: no internal entries, no drafts, no internal-only fields
    (severity, roles, notes, runbooks), no internal blocks in any text."""
    incidents = tuple(
        _incident(replace(i, severity="", roles=Roles(), notes="", runbooks=()), public_text)
        for i in corpus.incidents
        if i.visibility is Visibility.PUBLIC
    )
    public_ids = {i.id for i in incidents}
    postmortems = tuple(
        replace(
            p,
            incident_ids=tuple(x for x in p.incident_ids if x in public_ids),
            body=public_text(p.body),
        )
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
