"""Everything the site publishes besides pages: each module maps a SiteView to files.

A generator is a pure function `files(view) -> {path relative to the site root: bytes}`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..views.site import SiteView
from . import api, badges, feeds, ical, schemas

Generator = Callable[[SiteView], dict[str, bytes]]

#: Order does not matter: paths must not collide.
GENERATORS: list[Generator] = [
    feeds.files,
    ical.files,
    badges.files,
    api.files,
    schemas.files,
]


def collect_files(view: SiteView, extra: Sequence[Generator] = ()) -> dict[str, bytes]:
    """Every generator's files; `extra` are the host's own (the state document notify reads,
    which this package cannot import: it is made of notify's webhook payloads)."""
    out: dict[str, bytes] = {}
    for generate in [*GENERATORS, *extra]:
        for path, data in generate(view).items():
            if path in out:
                raise ValueError(f"two outputs write {path}")
            out[path] = data
    return out
