"""`statusbook build`: validate, build in a temporary folder, swap it in on success."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click

from ..context import BuildContext
from .common import (
    NO_SITE_URL,
    SiteUrl,
    apply_now,
    config_option,
    config_path,
    load_mkdocs_config,
    no_cache_option,
    now_option,
    quiet_mkdocs,
)


@click.command("build")
@config_option
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), help="Output folder.")
@click.option("-s", "--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--internal",
    is_flag=True,
    help="Build the internal edition (internal content, severities, roles).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option(
    "--site-url",
    metavar="URL",
    type=SiteUrl(),
    default=None,
    help="The site's absolute address, used when mkdocs.yml sets no site_url (the deploy "
    "workflow passes the one GitHub Pages gives).",
)
@now_option
@no_cache_option
def build(
    config_file: str | None,
    site_dir: str | None,
    strict: bool,
    internal: bool,
    quiet: bool,
    site_url: str | None,
    now: str | None,
    no_cache: bool,
) -> None:
    """Validate the content and build the site.

    The site is written to a temporary folder and swapped in only when the build succeeds, so a
    failed build leaves the previous site untouched.

    \b
    Example:
      statusbook build -d public --now 2026-03-14T12:00:00Z
      statusbook build --strict --site-url https://acme.github.io/status/
    """
    from mkdocs import exceptions
    from mkdocs.commands.build import build as mkdocs_build

    quiet_mkdocs(quiet)
    path = config_path(config_file)
    moment = apply_now(now)
    cfg = load_mkdocs_config(path, strict=strict or None)
    plugin = cfg.plugins.get("statusbook")
    if plugin is None:
        raise click.ClickException(f"{path} does not enable the statusbook plugin")
    # The plugin gets --now, --internal and --no-cache as arguments; only what the user's
    # environment says (SOURCE_DATE_EPOCH, STATUSBOOK_NO_CACHE) is read from it.
    plugin.context = BuildContext.from_environment(
        os.environ, now=moment, internal=internal, no_cache=no_cache, pinned=plugin.config.now
    )
    if not cfg.site_url and site_url:
        cfg.site_url = site_url
    if not cfg.site_url:
        if strict:
            raise click.ClickException(NO_SITE_URL)
        click.echo(f"WARNING -  {NO_SITE_URL}", err=True)
    final = Path(site_dir) if site_dir else Path(cfg.site_dir)
    final = final.resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    cfg.site_dir = str(staging)
    try:
        mkdocs_build(cfg)
    except (exceptions.MkDocsException, exceptions.Abort) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        message = str(exc).strip()
        if not message or "Aborted with" in message:
            message = "build failed (see above); the previous site was left unchanged"
        raise click.ClickException(message) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, final)
    if not quiet:
        click.echo(f"Site written to {final}", err=True)


def _swap_in(staging: Path, final: Path) -> None:
    """Replace the site folder by the new build; on any failure the previous site stays."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
    try:
        staging.rename(final)
    except OSError as exc:
        if old is not None:
            old.rename(final)
        shutil.rmtree(staging, ignore_errors=True)
        raise click.ClickException(
            f"could not move the new site into {final} ({exc}); the previous site is unchanged"
        ) from exc
    final.chmod(0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
