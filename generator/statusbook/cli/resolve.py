"""`statusbook resolve ID`: the final update of an incident."""

from __future__ import annotations

import click

from ..authoring import write as au
from ..model import (
    Incident,
)
from .authoring import (
    compose_message,
    load_site,
    lookup,
    posted_at,
)
from .common import config_option


@click.command("resolve")
@click.argument("incident_id")
@config_option
@click.option("-m", "--message", help="The final update (default: the site's template).")
@click.option("--at", default="now", show_default=True)
def resolve(incident_id, config_file, message, at):
    """Resolve an incident: final update, components operational, resolved time set.

    \b
    Example:
      statusbook resolve 2026-03-14-card -m "Payments work normally since 10:20 UTC."
    """
    site = load_site(config_file)
    incident: Incident = lookup(site, incident_id, "incident")
    if incident.updates[-1].status == "resolved":
        raise click.ClickException(f"{incident.id} is already resolved")
    moment = posted_at(at)
    text_message = compose_message(
        site,
        message,
        "resolved",
        {"title": incident.title, "components": site.names(incident.components)},
    )
    site.edit(
        incident,
        lambda text: au.resolve_text(text, incident, moment, text_message),
        "Incident resolved",
    )
