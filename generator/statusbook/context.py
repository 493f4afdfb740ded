"""One build's circumstances, decided once at the edge and passed down.

The CLI (`statusbook build`) makes a `BuildContext` from its options and hands it to the
plugin; under `mkdocs build` and `statusbook serve` (whose MkDocs makes a new plugin for every
rebuild, so nothing can be handed in) the plugin makes it from the environment. Below the
edge nothing reads these variables: `now`, the edition and the cache switch are arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .clock import build_now, wall_clock

#: `statusbook serve --internal` sets it for the plugin MkDocs' serve makes.
ENV_INTERNAL = "STATUSBOOK_INTERNAL"
#: Turns the cache off, like --no-cache (documented for users and CI).
ENV_NO_CACHE = "STATUSBOOK_NO_CACHE"


@dataclass(frozen=True)
class BuildContext:
    """When the build is for (`now`), which edition it makes, whether it may use the cache,
    and the real time it started (`clock`): content may not be dated after the real time,
    which `--now` does not move. One reading of the clock serves both when nothing pins now."""

    now: datetime
    internal: bool = False
    cache: bool = True
    clock: datetime = field(default_factory=wall_clock)

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str],
        *,
        now: datetime | None = None,
        internal: bool = False,
        no_cache: bool = False,
        pinned: datetime | None = None,
        clock: datetime | None = None,
    ) -> BuildContext:
        """`now` as given (the CLI's --now), else from SOURCE_DATE_EPOCH, else the moment the
        site `pinned` (mkdocs.yml `now:`), else the clock; the internal edition when asked for
        or STATUSBOOK_INTERNAL=1, the cache unless --no-cache or STATUSBOOK_NO_CACHE=1.
        `clock` is the real time (default: read once, here).
        Raises ValueError for a SOURCE_DATE_EPOCH that is not a Unix time."""
        real = clock or wall_clock()
        return cls(
            now=now or build_now(pinned=pinned, environ=environ, clock=real),
            internal=internal or environ.get(ENV_INTERNAL) == "1",
            cache=not no_cache and cache_allowed(environ),
            clock=real,
        )


def cache_allowed(environ: Mapping[str, str]) -> bool:
    """False when STATUSBOOK_NO_CACHE turns the cache off."""
    return environ.get(ENV_NO_CACHE, "") in ("", "0")
