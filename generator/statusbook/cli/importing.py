"""`statusbook import cstate|statuspage PATH`: bring a status page's history into content/.

Both commands run in a site's root (the folder with mkdocs.yml) or take --content-dir; both are
safe to run again: the same source gives byte-identical files, files imported before keep
their names, and nothing that differs is replaced without --overwrite.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..importers import common
from .common import config_path, statusbook_options

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group("import", context_settings=CONTEXT)
def import_group() -> None:
    """Import components, incidents and maintenance from another status page.

    Writes into the site's content/ folder: merges components.yml (a component that differs
    is reported, never replaced silently), one file per incident and maintenance window, and
    validates everything before writing. Exits 1 when anything could not be imported.

    \b
    Example:
      statusbook import cstate ../old-status-site --dry-run
      statusbook import statuspage ./statuspage-export
    """


def _options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path)),
        click.option(
            "-f",
            "--config-file",
            type=click.Path(dir_okay=False),
            default=None,
            help="Path to mkdocs.yml (default: ./mkdocs.yml); its content_dir is used.",
        ),
        click.option(
            "--content-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Write into this content folder instead of the one mkdocs.yml names.",
        ),
        click.option(
            "--overwrite",
            is_flag=True,
            help="Replace components and imported files that differ from the source.",
        ),
        click.option("--dry-run", is_flag=True, help="Report what would change; write nothing."),
        click.option("-q", "--quiet", is_flag=True, help="Do not list each file written."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@import_group.command("cstate", context_settings=CONTEXT)
@_options
def cstate(path: Path, **kwargs: Any) -> None:
    """Import a cState (Hugo) site: its systems, categories and content/issues.

    PATH is the cState site's root (with config.yml or hugo.toml and content/issues/).
    Severities map down -> critical, disrupted -> major; a notice with an end time becomes
    a maintenance window; informational posts become impact-none incidents.

    \b
    Example:
      statusbook import cstate ~/src/status-site
    """
    from ..importers import cstate as reader

    _run("cState site", lambda: reader.read_site(path), path, **kwargs)


@import_group.command("statuspage", context_settings=CONTEXT)
@_options
def statuspage(path: Path, **kwargs: Any) -> None:
    """Import a Statuspage export: components.json, incidents.json, scheduled-maintenances.json.

    PATH is a folder holding the public v2 API's responses (e.g. saved from
    https://STATUS.example.com/api/v2/incidents.json).

    \b
    Example:
      statusbook import statuspage ./statuspage-export
    """
    from ..importers import statuspage as reader

    _run("Statuspage export", lambda: reader.read_export(path), path, **kwargs)


def _site(config_file: str | None, content_dir: Path | None) -> tuple[Path, Path, common.Validator]:
    """Where to write (content folder, site root) and how the site validates content."""
    from ..content import load as content

    if content_dir is not None:
        folder = content_dir.resolve()
        return folder, folder.parent, lambda d: content.load(d, d.parent).findings
    config = config_path(config_file)
    opts = statusbook_options(config)
    root = config.resolve().parent

    def validate(folder: Path) -> list[Any]:
        """The site's own checks (severities, postmortem sections, ...) on another folder."""
        if hasattr(content, "load_configured"):
            return content.load_configured(folder.parent, _ContentAt(opts, folder)).findings
        return content.load(folder, folder.parent, tuple(opts.severities)).findings

    return (root / opts.content_dir).resolve(), root, validate


class _ContentAt:
    """The plugin's options with content_dir pointing elsewhere (the import's scratch copy)."""

    def __init__(self, options: Any, content_dir: Path) -> None:
        self._options, self.content_dir = options, str(content_dir)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._options, name)


def _run(
    what: str,
    read: Callable[[], common.Source],
    path: Path,
    *,
    config_file: str | None,
    content_dir: Path | None,
    overwrite: bool,
    dry_run: bool,
    quiet: bool,
) -> None:
    folder, root, validator = _site(config_file, content_dir)
    try:
        source = read()
        report = common.apply(
            source, folder, root=root, overwrite=overwrite, dry_run=dry_run, validator=validator
        )
    except common.ImportFailure as exc:
        raise click.ClickException(str(exc)) from exc
    _print(what, path, source, report, quiet)
    if not report.ok:
        sys.exit(1)


def _print(
    what: str, path: Path, source: common.Source, report: common.Report, quiet: bool
) -> None:
    kinds = [e.kind for e in source.entries]
    n_components = sum(len(g.components) for g in source.groups) + len(source.components)
    counts = ", ".join(
        _plural(n, word)
        for n, word in (
            (kinds.count("incident"), "incident"),
            (kinds.count("maintenance"), "maintenance window"),
            (kinds.count("postmortem"), "postmortem"),
            (n_components, "component"),
        )
    )
    click.echo(f"Read {what} {path}: {counts} in {_plural(len(source.groups), 'group')}.")
    would = "would be " if report.dry_run else ""
    if not quiet:
        for label, paths in (("created", report.created), ("updated", report.updated)):
            for rel in paths:
                click.echo(f"  {would}{label}  {rel}")
    click.echo(
        f"{'Dry run, nothing written: ' if report.dry_run else ''}"
        f"{len(report.created)} {would}created, {len(report.updated)} {would}updated, "
        f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, "
        f"{_plural(len(report.conflicts), 'conflict')}."
    )
    sections = (
        ("Skipped (not imported):", report.skipped),
        ("Conflicts (the existing content was kept):", report.conflicts),
        ("Not mapped, or changed on the way (imported anyway):", report.warnings),
    )
    for title, items in sections:
        if items:
            click.echo(f"\n{title}")
            for where, message in items:
                click.echo(f"  {where}: {message}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
