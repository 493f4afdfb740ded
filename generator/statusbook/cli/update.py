"""`statusbook update ID`: post an update to an incident."""

from __future__ import annotations

import click

from ..authoring import write as au
from ..clock import format_utc
from ..model import (
    Incident,
)
from .authoring import (
    STATUS_CHOICES,
    component_statuses,
    compose_message,
    load_site,
    lookup,
    parse_time,
    posted_at,
)
from .common import config_option


@click.command("update")
@click.argument("incident_id")
@config_option
@click.option("--status", type=click.Choice(STATUS_CHOICES), help="Default: unchanged.")
@click.option("-m", "--message", help="The update (default: the site's template).")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="COMPONENT=STATUS",
    help="Change a component's status.",
)
@click.option(
    "--next-update",
    default="+30m",
    show_default=True,
    help="Promise: time, '+30m', or '' for none.",
)
@click.option("--at", default="now", show_default=True)
def update(incident_id, config_file, status, message, sets, next_update, at):
    """Post an update to an incident (ID: id or its unique start, date optional, or path).

    \b
    Example:
      statusbook update 2026-03-14-card --status identified \\
        -m "A faulty deploy; rolling back." --next-update +30m
    """
    site = load_site(config_file)
    incident: Incident = lookup(site, incident_id, "incident")
    current = incident.updates[-1].status
    if current == "resolved":
        raise click.ClickException(
            f"{incident.id} is resolved. If the problem is back, reopen it: "
            f'statusbook reopen {incident.id} -m "..." (or open a new incident)'
        )
    moment = posted_at(at)
    new_status = status or current
    promise = parse_time(next_update, moment, "--next-update") if new_status != "resolved" else None
    text_message = compose_message(
        site,
        message,
        new_status,
        {
            "title": incident.title,
            "components": site.names(incident.components),
            "next_update": format_utc(promise) if promise else "soon",
        },
    )
    changes = component_statuses(site, sets, list(incident.components))
    site.edit(
        incident,
        lambda text: au.add_update(text, moment, new_status, text_message, changes, promise),
        "Update posted",
    )
