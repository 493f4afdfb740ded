"""Content files already parsed, checked and linted, kept on disk between runs.

Parsing and checking 10,000 files takes seconds; reading them and hashing their bytes takes a
fraction of that. An entry is keyed by the file's bytes and by everything else that decides its
result (the component ids, severities, lint rules, ...); the whole cache is keyed by the code
that wrote it (every source file of this package, Python's and PyYAML's versions). A stale
entry is therefore never used, only never matched again, and it is dropped at the next save.

The files are pickles (and Jinja's marshalled bytecode), which run code when loaded, and they
sit in the site's folder, which a repository or a pull request may fill. So every file is
signed with a key kept outside the site (cache/signing.py: `~/.cache/statusbook/cache.key` or
$STATUSBOOK_CACHE_KEY_FILE), and a file this key did not sign is a miss: read as bytes and
never unpickled. The cache holds internal content: it lives outside the site directory, under
`.cache/statusbook/` beside mkdocs.yml, git-ignored by `statusbook init`; `validate` and `build`
refuse a cache folder tracked by git (tracked_by_git).
"""

from __future__ import annotations

import hashlib
import locale
import os
import pickle
import shutil
import subprocess
import sys
import time
import zoneinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import signing as cachekey
from .keys import digest_of

CACHE_DIR = Path(".cache") / "statusbook"
FILE_NAME = "content.pickle"
_PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of what turns a file into a cache entry: this package's code and versions."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{sys.version_info[:3]} {yaml.__version__} {yaml.__with_libyaml__}".encode())
    for source in sorted(_PACKAGE.rglob("*.py")):
        h.update(source.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        h.update(source.read_bytes())
    return h.hexdigest()


def digest(raw: bytes) -> bytes:
    """The key of a file's contents (its bytes, not its timestamp: two edits can share one)."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def _key() -> bytes | None:
    """The key that signs cache files, or None when there is none (the cache is then off)."""
    return cachekey.load_key(cachekey.key_file())


def _name(path: Path) -> str:
    """What a cache file's signature binds it to: its folder's name and its own."""
    return f"{path.parent.name}/{path.name}"


def read_signed(path: Path) -> memoryview | None:
    """A cache file's payload, or None when it is missing or was not signed with our key."""
    key = _key()
    if key is None:
        return None
    try:
        with path.open("rb") as f:
            raw = f.read()
    except OSError:
        return None
    return cachekey.opened(key, _name(path), raw)


def write_signed(path: Path, payload: bytes) -> bool:
    """Write a signed cache file whole or not at all (a rename). False when it cannot be
    written, e.g. a read-only checkout: that only costs speed."""
    key = _key()
    if key is None:
        return False
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            out.write(cachekey.header(key, _name(path), payload))
            out.write(payload)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True


def _read_pickle(path: Path) -> Any:
    """What a cache file holds, or None when it is missing, damaged or not ours (a slower
    run). Only a file signed with our key is unpickled."""
    payload = read_signed(path)
    if payload is None:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - damaged, or written by other code
        return None


def _write_pickle(path: Path, value: Any) -> bool:
    return write_signed(path, pickle.dumps(value, protocol=5))


def _on_disk(root: Path, setting: bool) -> Path | None:
    """The site's cache folder, or None when nothing is to be read or written there: the cache
    is turned off, there is no key (none could be made), or the key is inside the site, where
    it would be no secret."""
    if not setting:
        return None
    site = root.resolve()
    if cachekey.key_file().resolve().is_relative_to(site) or _key() is None:
        return None
    return site / CACHE_DIR


def _maybe_in_work_tree(root: Path) -> bool:
    """Whether git could see the site: a `.git` in its folder or above, or GIT_DIR set. (Saves
    starting git, 2-3 ms, for a site outside any repository.)"""
    if os.environ.get("GIT_DIR"):
        return True
    site = root.resolve()
    return any(os.path.lexists(os.path.join(folder, ".git")) for folder in (site, *site.parents))


def tracked_by_git(root: Path) -> list[str]:
    """The files of the site's cache folder that git tracks (a committed cache: its pickles
    would reach everyone who checks out the repository, with internal content). Empty when
    the site is not in a git work tree or git is not installed."""
    git = shutil.which("git") if _maybe_in_work_tree(root) else None
    if git is None:
        return []
    try:
        done = subprocess.run(
            # A .git/config that came with the files (an unpacked archive) runs no monitor.
            [git, "-C", str(root), "-c", "core.fsmonitor=", "ls-files", "-z", "--"]
            + [CACHE_DIR.as_posix()],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:  # not a work tree (128), or git cannot read it
        return []
    return sorted(p for p in done.stdout.decode("utf-8", "replace").split("\0") if p)


class MemoryCache:
    """Checked files kept for the life of the process only: the store `load` uses when the
    disk cache is off (`--no-cache`, and edits the CLI checks before writing them). `serve`
    rebuilds after every edit and parses only the edited file again either way."""

    LIMIT = 200_000

    def __init__(self) -> None:
        self.entries: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        return self.entries.get(key)

    def put(self, key: Any, value: Any) -> None:
        if len(self.entries) >= self.LIMIT:
            self.entries.clear()
        self.entries[key] = value

    def clear(self) -> None:
        self.entries.clear()


class DiskCache:
    """One run's view of the cache file: entries found there, entries used or made now, and
    what each file's bytes hashed to at a given size, inode and modification time."""

    def __init__(self, path: Path | None, pending: dict[str, bytes] | None = None):
        self.path = path
        self._pending = pending or {}
        loaded = self._load(path) if path is not None else {}
        self._old: dict[Any, Any] = loaded.get("entries", {})
        self._old_stats: dict[str, tuple[tuple[int, int, int], bytes]] = loaded.get("stats", {})
        self._written_ns: int = loaded.get("started_ns", 0)
        self._new: dict[Any, Any] = {}
        self._added = False
        self._begin()

    def _begin(self) -> None:
        self._started_ns = time.time_ns()
        self._raw: dict[str, bytes] = {}
        self._digests: dict[str, bytes] = {}
        self._stats: dict[str, tuple[tuple[int, int, int], bytes]] = {}
        self._refresh = False

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def digest(self, path: str) -> bytes:
        """The digest of a file's bytes. A file whose size, inode and modification time are
        those recorded by an earlier run is not read again, unless it was modified less than
        two seconds before that run started (an edit within one timestamp tick)."""
        known = self._digests.get(path)
        if known is not None:
            return known
        if path in self._pending:
            return self._remember(path, self._pending[path])
        st = None
        if self.path is not None:  # without a cache file, nothing to compare with
            try:
                st = os.stat(path)
            except OSError:
                pass
        if st is not None:
            sig = (st.st_mtime_ns, st.st_size, st.st_ino)
            old = self._old_stats.get(path)
            if old is not None and old[0] == sig:
                if st.st_mtime_ns < self._written_ns - 2 * 10**9:
                    self._digests[path] = old[1]
                    self._stats[path] = old
                    return old[1]
                # Too recent to trust then; once old enough, a save records this run's start.
                self._refresh = self._refresh or st.st_mtime_ns < self._started_ns - 2 * 10**9
        hashed = self._remember(path, self._read_file(path))
        if st is not None:
            # The signature from before the read: a change during the read shows next time.
            self._stats[path] = ((st.st_mtime_ns, st.st_size, st.st_ino), hashed)
        return hashed

    def read(self, path: str) -> bytes:
        """A file's bytes (each file read at most once per run)."""
        raw = self._raw.get(path)
        if raw is None:
            raw = self._pending[path] if path in self._pending else self._read_file(path)
            self._remember(path, raw)
        return raw

    def _remember(self, path: str, raw: bytes) -> bytes:
        self._raw[path] = raw
        hashed = self._digests[path] = digest(raw)
        return hashed

    @staticmethod
    def _read_file(path: str) -> bytes:
        with open(path, "rb") as f:
            return f.read()

    def get(self, key: Any) -> Any:
        if key in self._new:
            return self._new[key]
        value = self._old.get(key)
        if value is not None:
            self._new[key] = value
        return value

    def put(self, key: Any, value: Any) -> None:
        if self.path is not None:
            self._new[key] = value
            self._added = True

    def save(self) -> None:
        """Write what this run used or made, and what it did not touch of files that still
        exist (a build does not lint, but the next `validate` will); nothing when nothing
        changed. A cache that cannot be written (a read-only checkout) only costs speed."""
        stats, started = self._stats, self._started_ns
        self._raw, self._digests, self._stats = {}, {}, {}
        if self.path is None:
            return
        root = str(self.path.parent.parent.parent)
        used = {key[:2] for key in self._new}  # (kind, file): one entry per file and kind
        kept = {
            key: value
            for key, value in self._old.items()
            if key in self._new
            or (key[:2] not in used and os.path.isfile(os.path.join(root, key[1])))
        }
        all_stats = {**{p: v for p, v in self._old_stats.items() if p not in stats}, **stats}
        all_stats = {p: v for p, v in all_stats.items() if p in stats or os.path.isfile(p)}
        unchanged = all_stats == self._old_stats and not self._refresh
        if not self._added and len(kept) == len(self._old) and unchanged:
            self._new = {}
            return
        kept.update(self._new)
        data = {
            "code": code_fingerprint(),
            "started_ns": started,
            "entries": kept,
            "stats": all_stats,
        }
        if not _write_pickle(self.path, data):
            return
        self._old, self._new, self._added = kept, {}, False
        self._old_stats, self._written_ns = all_stats, started

    @staticmethod
    def _load(path: Path) -> dict[str, Any]:
        data = _read_pickle(path)
        if not isinstance(data, dict) or data.get("code") != code_fingerprint():
            return {}
        ok = isinstance(data.get("entries"), dict) and isinstance(data.get("stats"), dict)
        return data if ok else {}


RENDERED_NAME = "rendered.pickle"


@lru_cache(maxsize=1)
def render_fingerprint() -> str:
    """What else shapes rendered HTML besides its inputs: our code and the libraries that turn
    Markdown and templates into HTML. (Template sources are part of each page's key.)"""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("jinja2", "markupsafe", "markdown", "nh3", "tzdata"):
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=?")
    # Month names (strftime) follow the locale; local days follow the system's time zone data.
    found.append(f"LC_TIME={locale.setlocale(locale.LC_TIME)}")
    for folder in zoneinfo.TZPATH:
        try:
            found.append(f"{folder}={os.stat(os.path.join(folder, 'tzdata.zi')).st_mtime_ns}")
        except OSError:
            pass
    return code_fingerprint() + " " + " ".join(found)


def key_of(*parts: Any) -> bytes:
    """A digest of the values rendered output is made from, to key it by (cache/keys.py)."""
    return digest_of(*parts)


class RenderStore:
    """Rendered HTML kept between runs: the pages of closed incidents and converted Markdown.

    On a site with years of history nearly every page is the same as in the last build; this
    lets a build (in CI, with the workflow's cache) render only what changed. Keys are digests
    of everything a value depends on (key_of), so a stale value is never found. A save keeps
    only what this run used, so the file tracks the site's size. `serve` keeps the store in
    memory across rebuilds and does not write it (the next `build` does)."""

    LIMIT = 400_000

    def __init__(self, path: Path | None = None):
        self.path = path
        self.entries: dict[bytes, Any] = self._load(path) if path is not None else {}
        self._loaded = len(self.entries)
        self._used: set[bytes] = set()
        self._fresh: dict[bytes, Any] = {}
        self._changed = False
        #: Converted Markdown by (text, kind), for this object's life: pages and feeds share
        #: it, and `serve` keeps it across rebuilds (outputs/markup.py).
        self.texts: dict[tuple[str, str], tuple[str, bytes | None]] = {}

    def begin(self) -> None:
        """A new build by the same process (`serve`): start counting what it uses."""
        self._used, self._fresh = set(), {}
        self._changed = False
        if len(self.entries) > self.LIMIT:
            self.entries.clear()

    def get(self, key: bytes) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: bytes, value: Any) -> None:
        self.entries[key] = value
        self._used.add(key)
        self._fresh[key] = value
        self._changed = True

    def drain(self) -> tuple[dict[bytes, Any], set[bytes]]:
        """In a worker process: what it added and used since the last drain, for absorb()."""
        fresh, used = self._fresh, self._used
        self._fresh, self._used = {}, set()
        return fresh, used

    def absorb(self, fresh: dict[bytes, Any], used: set[bytes]) -> None:
        """What a worker process added and used, as if this process had."""
        for key, value in fresh.items():
            self.put(key, value)
        self._used |= used

    def keep(self, key: bytes, value: Any) -> None:
        """Mark a value this run used, found elsewhere (a per-process memo)."""
        if key not in self.entries:
            self.put(key, value)
        self._used.add(key)

    def save(self) -> None:
        """Write what this run used, unless it is what the file already holds. A store that
        cannot be written (a read-only checkout) only costs speed."""
        if self.path is None:
            return
        if not self._changed and len(self._used) == self._loaded:
            return
        kept = {key: self.entries[key] for key in self._used}
        if not _write_pickle(self.path, {"code": render_fingerprint(), "entries": kept}):
            return
        self.entries, self._loaded, self._changed = kept, len(kept), False

    @staticmethod
    def _load(path: Path) -> dict[bytes, Any]:
        data = _read_pickle(path)
        if not isinstance(data, dict) or data.get("code") != render_fingerprint():
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}
