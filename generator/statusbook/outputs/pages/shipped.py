"""Our templates' compiled code, shipped with the package, so that a build without a cache does
not parse and compile them again (0.13 s of a cold build: a tenth of the whole at N=100).

templates/compiled.json holds, for each of our templates, the Python source Jinja generates
from it, with a digest of the template it came from. The loader uses an entry only when
nothing better is at hand (the site's bytecode cache holds code ready to run), when its digest
is that of the template on disk (an edited template is compiled from its source, as always) and
when the Jinja version and the environment's compile-time settings are the ones it was made
with. A site's overrides are never looked up here. Refresh the file after changing a template:

    python -m statusbook.outputs.pages.shipped
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import MutableMapping
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2

#: Where the package's templates are (statusbook/*.html below it) and the file beside them.
PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
SHIPPED = PACKAGE_TEMPLATES / "compiled.json"


def settings_of(env: jinja2.Environment) -> str:
    """What the generated code depends on besides the template: Jinja's version and the
    environment's compile-time settings (delimiters, whitespace, extensions, autoescape...)."""
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else "callable"
    return repr(
        (
            jinja2.__version__,
            env.block_start_string,
            env.block_end_string,
            env.variable_start_string,
            env.variable_end_string,
            env.comment_start_string,
            env.comment_end_string,
            env.line_statement_prefix,
            env.line_comment_prefix,
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.keep_trailing_newline,
            sorted(env.extensions),
            autoescape,
            env.optimized,
            env.finalize is not None,
            env.is_async,
            getattr(env, "newstyle_gettext", None),
        )
    )


def source_digest(source: str) -> str:
    return hashlib.blake2b(source.encode("utf-8"), digest_size=16).hexdigest()


def generate(env: jinja2.Environment) -> dict[str, Any]:
    """The content of compiled.json for `env`: each of our templates' generated code."""
    templates = {}
    for path in sorted((PACKAGE_TEMPLATES / "statusbook").glob("*.html")):
        name = f"statusbook/{path.name}"
        source = path.read_text(encoding="utf-8")
        code = env.compile(source, name, raw=True)
        templates[name] = {"source": source_digest(source), "code": code}
    return {"settings": settings_of(env), "templates": templates}


class Shipped:
    """The shipped code of `env`'s templates, read on first use; nothing when compiled.json
    is missing or was made for other settings."""

    def __init__(self, path: Path = SHIPPED) -> None:
        self.path = path
        self._entries: dict[str, dict[str, str]] | None = None

    def _read(self, env: jinja2.Environment) -> dict[str, dict[str, str]]:
        if self._entries is None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            usable = isinstance(data, dict) and data.get("settings") == settings_of(env)
            self._entries = data.get("templates", {}) if usable else {}
        return self._entries

    def code(
        self, env: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> CodeType | None:
        """The template's code, compiled from the shipped source, or None: not one of our
        templates (a site's override), edited since, or shipped for other settings."""
        if filename is None or not Path(filename).is_relative_to(PACKAGE_TEMPLATES):
            return None
        entry = self._read(env).get(name)
        if entry is None or entry.get("source") != source_digest(source):
            return None
        # Under the template's own file name, as Jinja compiles it: errors name that file.
        return compile(entry["code"], filename, "exec")


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja's FileSystemLoader over the site's folders and ours, which takes a template's
    code from the site's bytecode cache, else from the shipped code, else compiles it.
    (BaseLoader.load's steps, with the shipped code as the second place to look:
    https://jinja.palletsprojects.com/en/stable/api/#loaders)"""

    def __init__(self, dirs: list[Path], shipped: Shipped) -> None:
        super().__init__(dirs)
        self.shipped = shipped

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        source, filename, uptodate = self.get_source(environment, name)
        cache = environment.bytecode_cache
        bucket = None if cache is None else cache.get_bucket(environment, name, filename, source)
        code = None if bucket is None else bucket.code
        if code is None:
            code = self.shipped.code(environment, name, filename, source)
        if code is None:
            code = environment.compile(source, name, filename)
        if cache is not None and bucket is not None and bucket.code is None:
            bucket.code = code
            cache.set_bucket(bucket)
        # An empty ChainMap of the environment's globals is false: keep it, not a new {}.
        namespace = {} if globals is None else globals
        return environment.template_class.from_code(environment, code, namespace, uptodate)


def write(env: jinja2.Environment, path: Path = SHIPPED) -> None:
    """Write compiled.json for `env` (sorted, one line per template: small diffs)."""
    data = generate(env)
    lines = [
        f"{json.dumps(n)}: {json.dumps(e, sort_keys=True)}" for n, e in data["templates"].items()
    ]
    body = ",\n".join(lines)
    path.write_text(
        f'{{"settings": {json.dumps(data["settings"])},\n"templates": {{\n{body}\n}}}}\n',
        encoding="utf-8",
    )


if __name__ == "__main__":
    import sys

    from .render import _environment

    write(_environment((PACKAGE_TEMPLATES,)))
    sys.stderr.write(f"wrote {SHIPPED}\n")
