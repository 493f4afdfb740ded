"""`statusbook serve`: preview with live reload."""

from __future__ import annotations

import logging
import os

import click

from ..context import ENV_INTERNAL
from .common import (
    apply_now,
    config_option,
    config_path,
    load_mkdocs_config,
    now_option,
    quiet_mkdocs,
)


class _HideDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


@click.command("serve")
@config_option
@click.option(
    "-a",
    "--dev-addr",
    metavar="IP:PORT",
    default=None,
    help="Address to serve on (default 127.0.0.1:8000).",
)
@click.option("--internal", is_flag=True, help="Serve the internal edition.")
@now_option
def serve(config_file: str | None, dev_addr: str | None, internal: bool, now: str | None) -> None:
    """Serve the site locally and rebuild when content changes (live reload).

    \b
    Example:
      statusbook serve -a 127.0.0.1:8001
    """
    from mkdocs import exceptions
    from mkdocs.commands.serve import serve as mkdocs_serve

    quiet_mkdocs(False)
    path = config_path(config_file)
    apply_now(now)
    if internal:
        os.environ[ENV_INTERNAL] = "1"  # MkDocs makes the plugin: see context.py
    # MkDocs' serve loads the config itself and would print its own error: check it first.
    load_mkdocs_config(path)
    # MkDocs warns on every dirty build that navigation may be inaccurate: statusbook's own
    # pages are rendered in full each time, and only ordinary pages are skipped when unchanged.
    logging.getLogger("mkdocs.commands.build").addFilter(_HideDirtyWarning())
    try:
        # Dirty builds keep the served folder between rebuilds, so the plugin rewrites only the
        # pages an edit changed (a clean rebuild of a large site takes seconds).
        mkdocs_serve(config_file=str(path), dev_addr=dev_addr, livereload=True, build_type="dirty")
    except (exceptions.MkDocsException, exceptions.Abort) as exc:
        raise click.ClickException(str(exc)) from exc
