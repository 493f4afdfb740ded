"""`statusbook status` (or `list`): what is going on now."""

from __future__ import annotations

import click

from ..authoring import write as au
from ..clock import format_utc
from ..views import status as st
from .authoring import (
    current_time,
    load_site,
    parse_time,
)
from .common import config_option


@click.command("status")
@config_option
@click.option(
    "--now",
    default=None,
    help="As of this time (default: the moment mkdocs.yml pins with now:, else the clock).",
)
def status_cmd(config_file, now):
    """Show active incidents, overdue updates and maintenance.

    \b
    Example:
      statusbook status
    """
    site = load_site(config_file)
    # The site's pinned moment (an example site) is what its pages show: say the same.
    moment = parse_time(now, current_time(), "--now") if now else site.options.now or current_time()
    assert moment is not None
    corpus = site.corpus
    active = st.active_incidents(corpus, moment)
    click.echo(f"As of {format_utc(moment)}")
    click.echo(f"\nActive incidents ({len(active)}):")
    for incident in active:
        latest = st.updates_until(incident.updates, moment)[-1]
        promise = st.overdue_update(incident, moment) or latest.next_update
        due = au.describe_due(promise, moment)
        click.echo(f"  {incident.id}  [{latest.status}] {incident.title}")
        click.echo(f"      last update {format_utc(latest.at)}" + (f", next {due}" if due else ""))
    running = [m for m in corpus.maintenance if st.is_under_maintenance(m, moment)]
    upcoming = sorted(
        (m for m in corpus.maintenance if st.is_upcoming(m, moment)), key=lambda m: m.start
    )
    click.echo(f"\nMaintenance in progress ({len(running)}):")
    for m in running:
        click.echo(f"  {m.id}  {m.title} (until {format_utc(m.end)})")
    click.echo(f"\nUpcoming maintenance ({len(upcoming)}):")
    for m in upcoming:
        click.echo(f"  {m.id}  {m.title} ({format_utc(m.start)} - {format_utc(m.end)})")
    overdue = [i for i in active if st.overdue_update(i, moment)]
    if overdue:
        click.echo(f"\n{len(overdue)} incident(s) owe readers an update.")
