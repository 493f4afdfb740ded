"""One site's cache, made by the host (the plugin, or a CLI command) and handed to the core.

Everything kept between runs, or between `serve` rebuilds, lives in one object the host owns:
the checked content files (on disk, or in memory when the disk cache is off), the rendered
pages and converted Markdown (RenderStore), small memos of pure functions of bytes (`memo`),
Jinja's compiled templates, and what this process made once and uses again on every run
(`live`: the Jinja environments, formatted times). The core never keeps results in module
globals: what it is handed is all there is, so two sites (or two tests) in one process never
share entries.
Every file written is signed and only signed files are unpickled (cache/signing.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from .store import (
    FILE_NAME,
    RENDERED_NAME,
    DiskCache,
    MemoryCache,
    RenderStore,
    _on_disk,
    _read_pickle,
    _write_pickle,
    code_fingerprint,
)

T = TypeVar("T")


class SiteCache:
    """The cache of the site at `root` for this process; `enabled` False keeps everything in
    memory only (`--no-cache` or its environment switch, the site's `cache: false`)."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root.resolve()
        self.requested = enabled
        #: The site's cache folder, or None when nothing is read or written on disk.
        self.folder = _on_disk(self.root, enabled)
        #: Checked content files, when the disk cache is off or the files are edits not
        #: yet written (the CLI checks an edit before it writes it).
        self.files = MemoryCache()
        self._render: RenderStore | None = None
        self._content: DiskCache | None = None
        self._memo: dict[tuple[str, bytes], Any] = {}
        self._live: dict[Hashable, Any] = {}

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    @property
    def render(self) -> RenderStore:
        """Rendered pages and converted Markdown, by digests of what they show: read the first
        time a build asks for them. `validate` and `lint` never do, and the file is most of
        what a warm cache holds (a third of a warm `validate` at N=10,000 was reading it)."""
        if self._render is None:
            self._render = RenderStore(self.folder / RENDERED_NAME if self.folder else None)
        return self._render

    def content(self, use: bool = True) -> DiskCache:
        """The content files' cache for a new run: one object per site and process, so
        `serve` reads the file once, not after every edit. With `use` False, or the cache
        off, one that keeps nothing."""
        if not use or self.folder is None:
            return DiskCache(None)
        if self._content is None:
            self._content = DiskCache(self.folder / FILE_NAME)
        self._content._begin()  # a new run: files may have changed since the last one
        return self._content

    def memo(self, kind: str, source: bytes, make: Callable[[], Any]) -> Any:
        """make(), a pure function of `source`, computed once: for this object's life, and
        between runs in .cache/statusbook/KIND/ when the cache is on (a parsed stylesheet)."""
        key = (kind, hashlib.blake2b(source + code_fingerprint().encode(), digest_size=16).digest())
        if key in self._memo:
            return self._memo[key]
        path = self.folder / kind / (key[1].hex() + ".pickle") if self.folder else None
        value = _read_pickle(path) if path is not None and path.is_file() else None
        if value is None:
            value = make()
            if path is not None:
                _write_pickle(path, value)
        self._memo[key] = value
        return value

    def live(self, key: Hashable, make: Callable[[], T]) -> T:
        """make(), once for this object's life and never written to disk: objects that cannot
        be pickled or are cheap to lose (a Jinja environment with its compiled templates, a
        memo of formatted times). `serve` keeps the object across rebuilds, so they are made
        once per preview, not once per edit."""
        if key not in self._live:
            self._live[key] = make()
        found: T = self._live[key]
        return found

    def templates(self) -> Any:
        """Jinja's compiled templates under .cache/statusbook/templates, signed, or None:
        compiling our and Material's templates is a tenth of a small site's build. Jinja checks
        each entry against its template's source, so an edited override is compiled again."""
        if self.folder is None:
            return None
        from .bytecode import SignedBytecodeCache

        try:
            (self.folder / "templates").mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return SignedBytecodeCache(self.folder / "templates")
