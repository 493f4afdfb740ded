"""`statusbook lint`: the blameless-language lint on its own."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..context import cache_allowed
from ..errors import Severity, format_findings, summary_line
from .common import (
    config_option,
    config_path,
    format_option,
    no_cache_option,
    statusbook_options,
)


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@config_option
@format_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@no_cache_option
def lint(
    paths: tuple[str, ...], config_file: str | None, fmt: str, strict: bool, no_cache: bool
) -> None:
    """Flag wording that assigns blame in incidents and postmortems.

    Checks every content file, or the PATHS given. Rules, severities, the site's alarming
    words and people's names are set under `lint:` in the plugin's options (docs/lint.md).
    Suppress one finding with `<!-- blameless-ignore RULE: reason -->` on the line before.

    \b
    Example:
      statusbook lint content/postmortems/2026-03-14-card-payments.md
    """
    from ..cache.store import DiskCache
    from ..lint.blameless import FOLDER_KINDS, lint_content, lint_file
    from ..lint.site import lint_rules

    path = config_path(config_file)
    opts = statusbook_options(path)
    root = path.resolve().parent
    rules, problems = lint_rules(opts)
    if problems:
        raise click.ClickException(format_findings(problems))
    if paths:
        findings = []
        for item in paths:
            file = Path(item).resolve()
            kind = next(
                (k for folder, k in FOLDER_KINDS.items() if folder in file.parts), "incident"
            )
            try:
                shown = file.relative_to(root).as_posix()
            except ValueError:
                shown = item
            findings.extend(lint_file(file, shown, kind, rules))
    else:
        disk = DiskCache.for_site(root, opts.cache and not no_cache and cache_allowed(os.environ))
        try:
            findings = lint_content(
                (root / opts.content_dir).resolve(), root, rules, disk if disk.enabled else None
            )
        finally:
            disk.save()
    if fmt == "json" or findings:
        click.echo(format_findings(findings, fmt), err=fmt == "text")
    if fmt == "text":
        click.echo(
            f"\n{summary_line(findings)}" if findings else "No blaming language found.", err=True
        )
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors or (strict and findings):
        sys.exit(1)
