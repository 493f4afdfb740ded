"""`statusbook snapshot`: what the live site publishes, saved before a deploy.

The deploy workflow saves what the live site published before the deploy (`snapshot`), deploys,
then announces the difference with what it deployed (`notify`). Both states are files, so a
rerun of the notify job reads the same two files and announces the same changes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from ..notify import changes as announce
from ..notify import send as nt


@click.command("snapshot")
@click.argument("url")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Where to write the live site's state.",
)
@click.option(
    "--allow-missing",
    is_flag=True,
    help="When the state cannot be read (network error, HTTP 5xx, not a state), write "
    "'no previous site' and exit 0: the deploy goes on, and what it publishes is not announced.",
)
@click.option(
    "--attempts",
    default=3,
    show_default=True,
    type=click.IntRange(1, 10),
    help="Tries before giving up on a network error or an HTTP 5xx.",
)
def snapshot(url: str, output: str, allow_missing: bool, attempts: int) -> None:
    """Save the live site's api/statusbook/v1/state.json before a deploy.

    URL is the site's address (site_url). A 404 (a first deploy, or a site built before
    Statusbook wrote state.json) writes a state meaning "no previous site": `notify` then
    announces nothing, instead of every update ever posted. Any other failure exits 1, so the
    deploy waits for a run that can tell what is new; --allow-missing deploys anyway and
    announces nothing for this run.

    \b
    Example:
      statusbook snapshot https://status.example.com --output previous-state.json
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or url != url.strip():
        raise click.BadParameter("give the site's address, like https://status.example.com")
    where = url.rstrip("/") + "/" + announce.STATE_PATH
    # A query string no file on the site has: a CDN keys its copies by the full URL, so this
    # reaches the host instead of a copy made before the last deploy.
    fetched = nt.fetch_state(f"{where}?fresh={time.time_ns()}", attempts=attempts)
    document: dict[str, Any] | None = None
    problem = fetched.error
    if fetched.data is not None:
        try:
            document = announce.loads(fetched.data)
        except announce.StateError as exc:
            problem = f"the file is {exc}" if str(exc).startswith("not ") else str(exc)
    if document is None and fetched.missing:
        reason = f"{where}: {fetched.error} (a first deploy, or a site built before state.json)"
        document = announce.no_previous_state(reason)
        click.echo(f"no previous state: {reason}; notify will announce nothing", err=True)
    elif document is None:
        message = f"could not read {where}: {problem}"
        if not allow_missing:
            raise click.ClickException(
                message + " (hint: rerun the job; --allow-missing deploys anyway, without "
                "announcing this run's changes)"
            )
        document = announce.no_previous_state(message)
        click.echo(f"warning: {message}; notify will announce nothing (--allow-missing)", err=True)
    else:
        click.echo(f"saved the state of {where} ({document['generated_at']})", err=True)
    Path(output).write_bytes(announce.dumps(document))
