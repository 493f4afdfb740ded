"""`statusbook init`: a new site."""

from __future__ import annotations

from pathlib import Path

import click

from ..clock import build_now
from .common import (
    SiteUrl,
)


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--bare", is_flag=True, help="No example content: just the skeleton.")
@click.option("--name", default="Example Status", show_default=True, help="The site's name.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
@click.option(
    "--url",
    type=SiteUrl(),
    default=None,
    help="The site's public address, written as site_url in mkdocs.yml (feeds, the API and "
    "shortlinks need it). Without it the deploy workflow uses the one GitHub Pages gives.",
)
def init(directory: str, bare: bool, name: str, force: bool, url: str | None) -> None:
    """Create a new status site in DIRECTORY.

    Writes mkdocs.yml, GitHub workflows, overrides/ and content/ with a working example of
    every file type (a component group, an incident, a scheduled maintenance, a postmortem).

    \b
    Example:
      statusbook init acme-status --name "Acme Status" --url https://status.acme.example/
      cd acme-status && statusbook serve
    """
    from ..scaffold import provenance
    from ..scaffold.site import write_site

    target = Path(directory)
    if target.exists() and any(target.iterdir()) and not force:
        raise click.ClickException(f"{target} is not empty; choose a new folder or pass --force")
    pinned = provenance.requirement(provenance.installed())
    written = write_site(
        target, name=name, bare=bare, now=build_now(), site_url=url or "", requirements=pinned.text
    )
    for rel in written:
        click.echo(str(target / rel))
    if pinned.warning:
        click.echo(f"\nWarning: {target / 'requirements.txt'}: {pinned.warning}", err=True)
    click.echo(
        f"\nCreated {len(written)} files. Next:\n  cd {target}\n"
        "  statusbook validate\n  statusbook serve",
        err=True,
    )
