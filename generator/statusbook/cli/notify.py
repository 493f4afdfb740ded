"""`statusbook notify`: announce each published change once.

The deploy workflow saves what the live site published before the deploy (`snapshot`), deploys,
then announces the difference with what it deployed (`notify`). Both states are files, so a
rerun of the notify job reads the same two files and announces the same changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..notify import changes as announce
from ..notify import send as nt


def _read(path: str, option: str) -> dict[str, Any]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{option} {path}: cannot read it ({exc.strerror})") from None
    try:
        return announce.loads(data)
    except announce.StateError as exc:
        raise click.ClickException(
            f"{option} {path}: {exc} (hint: `statusbook snapshot` writes --previous; "
            f"--current is the build's {announce.STATE_PATH})"
        ) from None


@click.command("notify")
@click.option(
    "--previous",
    required=True,
    type=click.Path(dir_okay=False),
    help="The live site's state before the deploy (from `statusbook snapshot`).",
)
@click.option(
    "--current",
    required=True,
    type=click.Path(dir_okay=False),
    help=f"The deployed build's state (site/{announce.STATE_PATH}).",
)
@click.option(
    "--journal",
    type=click.Path(file_okay=False),
    default=None,
    help="A folder recording what each target took: messages recorded there are not sent "
    "again, and each one sent is added. Point a rerun at the same folder.",
)
@click.option("--dry-run", is_flag=True, help="Print the payloads as JSON lines; send nothing.")
def notify(previous: str, current: str, journal: str | None, dry_run: bool) -> None:
    """Announce what a deploy published to the configured webhooks, once.

    Everything --current publishes that --previous did not: new incidents and updates,
    maintenance announced, started or ended (by an update or by the clock), cancelled,
    component status changes, and an incident whose promised next update is overdue. A
    --previous that says "no previous site" announces nothing.

    Targets come from environment variables (secrets): STATUSBOOK_SLACK_WEBHOOK,
    STATUSBOOK_DISCORD_WEBHOOK, STATUSBOOK_TEAMS_WEBHOOK and STATUSBOOK_WEBHOOK_URL
    (Statuspage-shaped JSON); unset or empty ones are skipped. Every URL is checked before
    anything is sent (https, or http on 127.0.0.1/localhost), and is never printed. Every
    target is tried; the exit code is 1 if any was malformed or failed.

    Run it again with the same two files and the same --journal to retry a failed target:
    each target gets only the messages it has not taken yet, in order. In GitHub Actions,
    "Re-run failed jobs" runs the notify job again in a new attempt; the deploy workflow saves
    the journal as an artifact per attempt and the rerun downloads them all. A rerun reads the
    build job's artifacts only when actions/download-artifact is given `github-token` and
    `run-id`, since artifacts of an earlier attempt are not visible to the default,
    attempt-scoped download (GitHub does not document it:
    https://github.com/actions/download-artifact/issues/486,
    https://docs.github.com/en/actions/managing-workflow-runs/re-running-workflows-and-jobs).

    \b
    Example:
      statusbook notify --previous previous-state.json \\
        --current site/api/statusbook/v1/state.json --dry-run
    """
    before = _read(previous, "--previous")
    after = _read(current, "--current")
    if announce.is_absent(after):
        raise click.ClickException(
            f"--current {current}: says 'no previous site'; give the new build's state.json"
        )
    targets, problems = nt.targets_from_env()
    try:
        payloads = announce.changes(before, after)
    except (KeyError, TypeError, AttributeError) as exc:
        # Both files passed the format check, so an entry inside one was altered by hand.
        raise click.ClickException(
            f"a state has a malformed entry ({type(exc).__name__}: {exc}); nothing was sent "
            "(hint: use the files `statusbook snapshot` and `statusbook build` wrote)"
        ) from None
    if announce.is_absent(before):
        click.echo(
            f"no previous state ({before.get('reason', 'first deploy')}): nothing is announced; "
            "the next deploy announces what changes after this one",
            err=True,
        )
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    failed = len(problems)
    if dry_run:
        for payload in payloads:
            click.echo(json.dumps(payload, ensure_ascii=False))
        click.echo(f"{len(payloads)} change(s); nothing sent (--dry-run)", err=True)
    elif not targets:
        configured = "no usable webhook" if problems else "no webhook configured"
        click.echo(f"{len(payloads)} change(s); {configured}, nothing sent", err=True)
    else:
        folder = Path(journal) if journal else None
        delivered = nt.read_journal(folder) if folder else set()
        record = nt.journal_writer(folder) if folder and payloads else None
        results = (
            nt.deliver(payloads, targets, delivered=delivered, record=record) if payloads else []
        )
        for result in results:
            click.echo(result.line(), err=True)
        failed += sum(1 for r in results if not r.ok)
        click.echo(
            f"{len(payloads)} change(s) to {len(targets) + len(problems)} target(s); "
            f"{failed} failed",
            err=True,
        )
    if failed:
        raise SystemExit(1)
