"""The one place internal content is dropped, before anything public is computed from it."""

from __future__ import annotations

from dataclasses import replace

from .model import Corpus, PostmortemStatus, Roles, Visibility


def public_view(corpus: Corpus) -> Corpus:
    """Only what customers may see: no internal entries, no drafts, no internal-only fields."""
    incidents = tuple(
        replace(i, severity="", roles=Roles(), notes="")
        for i in corpus.incidents
        if i.visibility is Visibility.PUBLIC
    )
    public_ids = {i.id for i in incidents}
    postmortems = tuple(
        replace(p, incident_ids=tuple(x for x in p.incident_ids if x in public_ids))
        for p in corpus.postmortems
        if p.visibility is Visibility.PUBLIC and p.status is PostmortemStatus.PUBLISHED
    )
    return replace(
        corpus,
        incidents=incidents,
        maintenance=tuple(m for m in corpus.maintenance if m.visibility is Visibility.PUBLIC),
        postmortems=postmortems,
    )


def internal_view(corpus: Corpus) -> Corpus:
    """Everything, for `statusbook build --internal`: drafts stay out, internal entries stay in."""
    return replace(
        corpus,
        postmortems=tuple(p for p in corpus.postmortems if p.status is PostmortemStatus.PUBLISHED),
    )
