"""Everything the site publishes besides pages: each module maps a SiteView to files.

A generator is a pure function `files(view) -> {path relative to the site root: bytes}`.
"""

from __future__ import annotations

from collections.abc import Callable

from . import api, badges, feeds, ical, schemas
from .pages import SiteView

Generator = Callable[[SiteView], dict[str, bytes]]


def _state(view: SiteView) -> dict[str, bytes]:
    # Imported on use: announce builds on webhooks, which imports this package's modules.
    from ..notify.changes import files

    return files(view)


#: Order does not matter: paths must not collide.
GENERATORS: list[Generator] = [
    feeds.files,
    ical.files,
    badges.files,
    api.files,
    schemas.files,
    _state,
]


def collect_files(view: SiteView) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for generate in GENERATORS:
        for path, data in generate(view).items():
            if path in out:
                raise ValueError(f"two outputs write {path}")
            out[path] = data
    return out
