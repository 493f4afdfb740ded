"""`statusbook reopen ID`: a resolved incident's problem is back."""

from __future__ import annotations

import click

from ..authoring import write as au
from ..clock import format_utc
from ..model import (
    STATUS_FOR_IMPACT,
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


@click.command("reopen")
@click.argument("incident_id")
@config_option
@click.option(
    "--status",
    type=click.Choice([s for s in STATUS_CHOICES if s != "resolved"]),
    default="investigating",
    show_default=True,
)
@click.option("-m", "--message", help="Why it is open again (default: the site's template).")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="COMPONENT=STATUS",
    help="Component status (default: from the impact, as when it was opened).",
)
@click.option(
    "--next-update",
    default="+30m",
    show_default=True,
    help="Promise: time, '+30m', or '' for none.",
)
@click.option("--at", default="now", show_default=True)
def reopen(incident_id, config_file, status, message, sets, next_update, at):
    """Reopen a resolved incident: the problem is back.

    Posts an update after the resolved one, which stays in the timeline, sets the
    affected components back to the impact's status unless --set says otherwise, and
    removes the `resolved:` time. For a new problem, open a new incident instead.

    \b
    Example:
      statusbook reopen 2026-03-14-card -m "Errors are back for some card payments."
    """
    site = load_site(config_file)
    incident: Incident = lookup(site, incident_id, "incident")
    if incident.updates[-1].status != "resolved":
        raise click.ClickException(
            f"{incident.id} is not resolved: post an update with `statusbook update`"
        )
    moment = posted_at(at)
    promise = parse_time(next_update, moment, "--next-update")
    text_message = compose_message(
        site,
        message,
        status,
        {
            "title": incident.title,
            "components": site.names(incident.components),
            "next_update": format_utc(promise) if promise else "soon",
        },
    )
    default = STATUS_FOR_IMPACT[incident.impact].value
    changes = {cid: default for cid in incident.components}
    changes.update(component_statuses(site, sets, list(incident.components)))
    site.edit(
        incident,
        lambda text: au.reopen_text(text, moment, status, text_message, changes, promise),
        "Incident reopened",
    )
