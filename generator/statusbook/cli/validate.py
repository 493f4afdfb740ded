"""`statusbook validate`: every problem in content/ at once, without building."""

from __future__ import annotations

import os
import sys

import click

from ..clock import wall_clock
from ..content import load as content
from ..context import cache_allowed
from ..errors import Finding, Severity, format_findings, summary_line
from ..workers import collection_paused
from .common import (
    config_option,
    config_path,
    format_option,
    no_cache_option,
    statusbook_options,
)


@click.command("validate")
@config_option
@format_option
@no_cache_option
@click.option(
    "--no-lint",
    is_flag=True,
    help="Leave out the blameless-language lint, for a workflow that runs `statusbook lint` "
    "as a step of its own (each finding is then reported once).",
)
def validate(config_file: str | None, fmt: str, no_lint: bool, no_cache: bool) -> None:
    """Check every content file and report all problems at once, with the
    blameless-language lint's findings.

    Exits 1 when there is any error. Nothing is built.

    \b
    Example:
      statusbook validate --format github
    """
    path = config_path(config_file)
    opts = statusbook_options(path, fmt)
    root = path.resolve().parent
    lint = None
    if not no_lint:
        from ..lint.site import SiteLint

        lint = SiteLint.of(opts)
    no_cache = no_cache or not cache_allowed(os.environ)
    with collection_paused():
        result = content.load_configured(
            root, opts, lint=lint, cache=True, corpus=False, no_cache=no_cache, clock=wall_clock()
        )
    findings: list[Finding] = result.findings
    if fmt == "json":
        click.echo(format_findings(findings, "json"))
    elif findings:
        click.echo(format_findings(findings, fmt), err=fmt == "text")
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if fmt == "text":
        if findings:
            click.echo(f"\n{summary_line(findings)}", err=True)
        else:
            n = result.counts
            counts = [
                _count(n["components"], "component"),
                _count(n["incidents"], "incident"),
                _count(n["maintenance"], "maintenance window"),
                _count(n["postmortems"], "postmortem"),
            ]
            click.echo("OK: " + ", ".join(counts), err=True)
    if errors:
        sys.exit(1)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
