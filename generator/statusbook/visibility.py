"""The one place internal content is dropped, before anything public is computed from it."""

from __future__ import annotations

import re
from dataclasses import replace

from .model import Corpus, PostmortemStatus, Roles, Visibility

_OPEN = re.compile(r"^\s*<!--\s*internal\s*-->\s*$", re.I)
_CLOSE = re.compile(r"^\s*<!--\s*/\s*internal\s*-->\s*$", re.I)


def internal_block_problems(body: str) -> list[tuple[int, str]]:
    """(0-based line in the body, problem) for unbalanced `<!-- internal -->` markers."""
    problems = []
    opened: int | None = None
    for n, line in enumerate(body.split("\n")):
        if _OPEN.match(line):
            if opened is not None:
                problems.append((n, "an internal block starts inside another one"))
            opened = n
        elif _CLOSE.match(line):
            if opened is None:
                problems.append((n, "'<!-- /internal -->' closes no internal block"))
            opened = None
    if opened is not None:
        problems.append((opened, "internal block is never closed"))
    return problems


def strip_internal_blocks(body: str) -> str:
    """Drop every line from `<!-- internal -->` to `<!-- /internal -->`, markers included."""
    out = []
    inside = False
    for line in body.split("\n"):
        if _OPEN.match(line):
            inside = True
        elif _CLOSE.match(line):
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def mark_internal_blocks(body: str) -> str:
    """For the internal edition: show each internal block as a labelled admonition."""
    out = []
    inside = False
    for line in body.split("\n"):
        if _OPEN.match(line):
            inside = True
            out += ["", '!!! internal "Internal: not on the public site"']
        elif _CLOSE.match(line):
            inside = False
            out.append("")
        else:
            out.append(("    " + line if line.strip() else "") if inside else line)
    return "\n".join(out)


def public_view(corpus: Corpus) -> Corpus:
    """Only what customers may see: no internal entries, no drafts, no internal-only fields."""
    incidents = tuple(
        replace(i, severity="", roles=Roles(), notes="")
        for i in corpus.incidents
        if i.visibility is Visibility.PUBLIC
    )
    public_ids = {i.id for i in incidents}
    postmortems = tuple(
        replace(
            p,
            incident_ids=tuple(x for x in p.incident_ids if x in public_ids),
            body=strip_internal_blocks(p.body),
        )
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
        postmortems=tuple(
            replace(p, body=mark_internal_blocks(p.body))
            for p in corpus.postmortems
            if p.status is PostmortemStatus.PUBLISHED
        ),
    )
