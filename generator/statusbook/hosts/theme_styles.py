"""Material's stylesheets as outputs/stylesheet_rules.py compiles them, shipped with the package,
so that a build without a cache does not parse them again: tinycss2 took 94 ms of a cold
N=1,000 build to parse main.*.min.css (137 KB) for the home page's subset.

The same scheme as Material's templates' (theme_code.py), for data instead of code:
hosts/theme_styles.json.gz holds, under the SHA-256 of each Material stylesheet's bytes, what
`compile_css` makes of it (rules, selectors and the names each selector needs), as JSON. An
entry is used only for a stylesheet with that very digest, and only while the compiler is the
one the file was made with (the source of outputs/stylesheet_rules.py and tinycss2's
version).
Anything else (another Material version, a changed compiler) is compiled as always: the file
can make a build faster, never different. It is JSON, not pickle: reading it runs no code.

Gzipped (about 30 KB per Material version instead of 250 KB); written with a fixed
timestamp, so a refresh of unchanged stylesheets leaves the file byte-identical. Refresh it
after moving to another Material version (entries for other versions are kept while the
compiler matches; --fresh drops them):

    python -m statusbook.hosts.theme_styles [--fresh]
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..outputs.stylesheet import Item

SHIPPED = Path(__file__).resolve().parent / "theme_styles.json.gz"
#: The compiler, read as text: importing it would import tinycss2 (9 ms), which a build served
#: from the file never needs.
RULES_SOURCE = Path(__file__).resolve().parent.parent / "outputs" / "stylesheet_rules.py"


def compiled(raw: bytes, path: Path = SHIPPED) -> list[Item]:
    """`compile_css` of a stylesheet's bytes: from the shipped file when it holds them."""
    found = shipped(raw, path)
    if found is not None:
        return found
    from ..outputs import stylesheet_rules

    return stylesheet_rules.compile_css(raw.decode("utf-8"))


def shipped(raw: bytes, path: Path = SHIPPED) -> list[Item] | None:
    """The shipped compilation of these bytes, or None (not shipped, or another compiler)."""
    entries = _entries(path, compiler())
    entry = entries.get(hashlib.sha256(raw).hexdigest())
    return None if entry is None else from_json(entry)


@lru_cache(maxsize=4)
def _entries(path: Path, compiler_key: str) -> dict[str, Any]:
    """The file's stylesheets when it was made by this compiler; read once per process
    (`serve` rebuilds after every edit)."""
    data = read(path)
    if data.get("compiler") != compiler_key:
        return {}
    found = data.get("stylesheets")
    return found if isinstance(found, dict) else {}


@lru_cache(maxsize=1)
def compiler() -> str:
    """What `compile_css`'s output depends on besides its input (fixed for a process's life:
    worked out once, not per stylesheet)."""
    source = RULES_SOURCE.read_bytes()
    try:
        version = metadata.version("tinycss2")
    except metadata.PackageNotFoundError:  # installed without its metadata (vendored)
        import tinycss2

        version = tinycss2.__version__
    return f"{hashlib.sha256(source).hexdigest()[:16]} tinycss2-{version}"


def to_json(items: list[Item]) -> list[Any]:
    """Compiled rules as JSON values: a selector's needs (frozensets) as sorted lists."""
    out: list[Any] = []
    for kind, head, body in items:
        if kind == "rule":
            head = [[[sorted(names) for names in needs], text] for needs, text in head]
        elif kind == "group":
            body = to_json(body)
        out.append([kind, head, body])
    return out


def from_json(values: list[Any]) -> list[Item]:
    """`to_json` undone: equal to what `compile_css` returned."""
    out: list[Item] = []
    for kind, head, body in values:
        if kind == "rule":
            head = [(tuple(frozenset(names) for names in needs), text) for needs, text in head]
        elif kind == "group":
            body = from_json(body)
        out.append((kind, head, body))
    return out


def read(path: Path = SHIPPED) -> dict[str, Any]:
    """The shipped file's content; empty when it is missing or unreadable."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError, EOFError):
        return {}
    return data if isinstance(data, dict) else {}


def generate(folder: Path) -> dict[str, list[Any]]:
    """Each stylesheet in `folder` (Material's assets/stylesheets): {digest: compiled}."""
    from ..outputs import stylesheet_rules

    found = {}
    for css in sorted(folder.glob("*.css")):
        raw = css.read_bytes()
        found[hashlib.sha256(raw).hexdigest()] = to_json(stylesheet_rules.compile_css(raw.decode()))
    return found


def merged(old: dict[str, Any], compiler_key: str, new: dict[str, Any]) -> dict[str, Any]:
    """`new` added to `old`'s stylesheets when `old` was made by the same compiler."""
    kept = dict(old.get("stylesheets", {})) if old.get("compiler") == compiler_key else {}
    kept.update(new)
    return {"compiler": compiler_key, "stylesheets": dict(sorted(kept.items()))}


def write(data: dict[str, Any], path: Path = SHIPPED) -> None:
    """Deterministic bytes: sorted keys, and a gzip header without name or time that every
    Python writes alike (3.11's `gzip.compress` marks the OS where 3.10's does not)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=out, mtime=0) as f:
        f.write(text.encode("utf-8"))
    path.write_bytes(out.getvalue())
    _entries.cache_clear()


def _refresh(fresh: bool) -> None:
    import material

    folder = Path(material.__file__).resolve().parent / "templates" / "assets" / "stylesheets"
    new = generate(folder)
    key = compiler()
    write(merged({} if fresh else read(), key, new))
    sys.stderr.write(f"wrote {SHIPPED}: {len(new)} stylesheets of Material in {folder}\n")


if __name__ == "__main__":
    _refresh("--fresh" in sys.argv[1:])
