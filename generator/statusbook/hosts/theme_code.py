"""Material's templates as Jinja generates them, shipped with the package, so that a build
without a cache does not parse them and generate their code again (0.1 s of a cold N=1,000
build: Material's 35 templates took 112 ms to compile, 26 ms of it Python's own `compile`).

The same scheme as our own templates' (outputs/pages/shipped.py). hosts/theme_code.json
holds, for each Material template a Statusbook site loads, the Python source Jinja generates
from it, under the template's name and a digest of its source. An entry is used only for a
template of that name whose source has that digest, and only when the Jinja version and the
environment's compile-time settings are the ones it was made with. Anything else (another
Material version, a site's override in overrides/) is compiled as always: the file can make a
build faster, never different.

It takes the bytecode cache's place in MkDocs' theme environment, in front of the site's
signed cache (cache/bytecode.py) when there is one, which then keeps the code for warm
builds. Jinja asks the bytecode cache for a template's code before compiling it, with the
template's name, file and source: https://jinja.palletsprojects.com/en/stable/api/#bytecode-cache

Refresh it after moving to another Material version, from the repository's top folder (the
example site's build records what it loads). Entries made with other Material versions whose
settings match are kept; --fresh drops them:

    python -m statusbook.hosts.theme_code [--fresh]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from ..outputs.pages.shipped import settings_of, source_digest

SHIPPED = Path(__file__).resolve().parent / "theme_code.json"


class ThemeCode(BytecodeCache):
    """Code for the theme's templates: from `inner` (the site's cache) when it has it, else
    from the shipped file when it holds this very template, else none and Jinja compiles.
    `seen` records the templates loaded (name -> file), for the refresh."""

    def __init__(self, inner: BytecodeCache | None, path: Path = SHIPPED) -> None:
        self.inner = inner
        self.path = path
        self.seen: dict[str, str] = {}
        self.environment: jinja2.Environment | None = None
        self._entries: dict[str, dict[str, str]] | None = None

    def load_bytecode(self, bucket: Bucket) -> None:
        if self.inner is not None:
            self.inner.load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self.inner is not None:
            self.inner.dump_bytecode(bucket)

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        if filename is not None:
            self.seen[name] = filename
        self.environment = environment
        if bucket.code is None:
            code = self._shipped(environment, name, filename, source)
            if code is not None:
                bucket.code = code
                self.dump_bytecode(bucket)  # the site's cache keeps it, as Jinja would
        return bucket

    def _shipped(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Any:
        entries = self._read(environment)
        code = entries.get(name, {}).get(source_digest(source))
        if code is None:
            return None
        # Under the template's own file name, as Jinja compiles it: errors name that file.
        return compile(code, filename or "<template>", "exec")

    def _read(self, environment: jinja2.Environment) -> dict[str, dict[str, str]]:
        if self._entries is None:
            data = read(self.path)
            usable = data.get("settings") == settings_of(environment)
            self._entries = data.get("templates", {}) if usable else {}
        return self._entries


def read(path: Path = SHIPPED) -> dict[str, Any]:
    """The shipped file's content; empty when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def generate(
    environment: jinja2.Environment, seen: dict[str, str], within: Path
) -> dict[str, dict[str, str]]:
    """Each template in `seen` whose file is below `within` (Material's, not a site's
    override): {name: {source digest: generated code}}."""
    templates: dict[str, dict[str, str]] = {}
    for name, filename in sorted(seen.items()):
        if not Path(filename).resolve().is_relative_to(within):
            continue
        source = Path(filename).read_text(encoding="utf-8")
        code = environment.compile(source, name, raw=True)
        templates[name] = {source_digest(source): code}
    return templates


def merged(old: dict[str, Any], settings: str, new: dict[str, dict[str, str]]) -> dict[str, Any]:
    """`new` added to the entries of `old` made with the same settings (other Material
    versions), or `new` alone when the settings differ."""
    kept: dict[str, dict[str, str]] = {}
    if old.get("settings") == settings:
        kept = {name: dict(codes) for name, codes in old.get("templates", {}).items()}
    for name, codes in new.items():
        kept.setdefault(name, {}).update(codes)
    return {"settings": settings, "templates": kept}


def write(data: dict[str, Any], path: Path = SHIPPED) -> None:
    """One line per template (sorted): small diffs."""
    lines = [
        f"{json.dumps(name)}: {json.dumps(codes, sort_keys=True)}"
        for name, codes in sorted(data["templates"].items())
    ]
    body = ",\n".join(lines)
    path.write_text(
        f'{{"settings": {json.dumps(data["settings"])},\n"templates": {{\n{body}\n}}}}\n',
        encoding="utf-8",
    )


def _refresh(fresh: bool) -> None:
    """Build the site in this folder, and ship what its theme loaded from Material."""
    import material
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory() as out:
        config = load_config("mkdocs.yml", site_dir=out)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    plugin = config.plugins["statusbook"]
    code = plugin.theme_code
    assert code is not None and code.environment is not None
    within = Path(material.__file__).resolve().parent
    new = generate(code.environment, code.seen, within)
    write(merged({} if fresh else read(), settings_of(code.environment), new))
    sys.stderr.write(f"wrote {SHIPPED}: {len(new)} templates of Material in {within}\n")


if __name__ == "__main__":
    _refresh("--fresh" in sys.argv[1:])
