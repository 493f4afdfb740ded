"""`statusbook new incident|maintenance|postmortem`: a new content file."""

from __future__ import annotations

import click

from ..authoring import write as au
from ..clock import format_utc
from ..errors import did_you_mean
from ..model import (
    Impact,
    Incident,
)
from .authoring import (
    STATUS_CHOICES,
    component_ids,
    component_statuses,
    compose_message,
    current_time,
    echo_written,
    interactive,
    load_site,
    lookup,
    parse_time,
    posted_at,
    prompt_components,
)
from .common import FullHelpGroup, config_option


@click.group("new", cls=FullHelpGroup)
def new() -> None:
    """Create an incident, a maintenance window or a postmortem draft."""


@new.command("incident", short_help="Open an incident: a new file in content/incidents/.")
@config_option
@click.option("--title", help="Headline customers see.")
@click.option("--impact", type=click.Choice([i.value for i in Impact]), help="Public impact.")
@click.option(
    "-c",
    "--component",
    "components",
    multiple=True,
    help="Affected component id (repeat, or comma-separated).",
)
@click.option(
    "--status", type=click.Choice(STATUS_CHOICES), default="investigating", show_default=True
)
@click.option("-m", "--message", help="First update (default: the site's template).")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="COMPONENT=STATUS",
    help="Component status (default: from impact).",
)
@click.option(
    "--next-update",
    default="+30m",
    show_default=True,
    help="Promise: time, '+30m', or '' for none.",
)
@click.option("--severity", help="Internal severity from the site's scheme.")
@click.option("--at", default="now", show_default=True, help="Time of the first update.")
@click.option("--internal", is_flag=True, help="Never publish this incident.")
def new_incident(
    config_file,
    title,
    impact,
    components,
    status,
    message,
    sets,
    next_update,
    severity,
    at,
    internal,
):
    """Open an incident: writes content/incidents/YYYY/YYYY-MM-DD-<title>.md.

    \b
    Example:
      statusbook new incident --title "Card payments failing" --impact major \\
        -c card-payments --set card-payments=partial_outage
    """
    site = load_site(config_file)
    if not title:
        if not interactive():
            raise click.UsageError("give --title")
        title = click.prompt("Title", err=True)
    if not impact:
        if not interactive():
            raise click.UsageError("give --impact")
        impact = click.prompt(
            "Impact", type=click.Choice([i.value for i in Impact]), default="minor", err=True
        )
    ids = (
        component_ids(site, components)
        if components
        else (prompt_components(site) if interactive() else [])
    )
    if not ids:
        raise click.UsageError("give at least one --component")
    if severity and severity not in site.severities:
        raise click.BadParameter(
            f"{did_you_mean(severity, site.severities)}", param_hint="--severity"
        )
    moment = posted_at(at)
    promise = parse_time(next_update, moment, "--next-update")
    text_message = compose_message(
        site,
        message,
        status,
        {
            "title": title,
            "components": site.names(ids),
            "next_update": format_utc(promise) if promise else "soon",
        },
    )
    text = au.new_incident_text(
        title,
        Impact(impact),
        ids,
        moment,
        status,
        text_message,
        component_statuses(site, sets, ids),
        promise,
        severity or "",
        internal,
    )
    slug = au.slugify(title)
    folder = site.content_dir / "incidents" / f"{moment:%Y}"
    path = folder / f"{moment:%Y-%m-%d}-{slug}.md"
    taken = {i.id for i in site.corpus.incidents} | {m.id for m in site.corpus.maintenance}
    n = 2
    while path.stem in taken or path.exists():
        path = folder / f"{moment:%Y-%m-%d}-{slug}-{n}.md"
        n += 1
    site.check_and_write(path, text)
    echo_written(site, path, "Incident opened")


@new.command(
    "maintenance",
    short_help="Announce a maintenance window: a new file in content/maintenance/.",
)
@config_option
@click.option("--title", required=True, help="What the maintenance does.")
@click.option(
    "-c",
    "--component",
    "components",
    multiple=True,
    required=True,
    help="Component id (repeat).",
)
@click.option("--start", required=True, help="Window start: time, or '+2d'.")
@click.option("--end", help="Window end (or --duration).")
@click.option("--duration", help="Window length, e.g. 2h or 90m.")
@click.option("-m", "--message", help="The announcement (default: the site's template).")
@click.option("--internal", is_flag=True)
def new_maintenance(config_file, title, components, start, end, duration, message, internal):
    """Announce a maintenance window: writes content/maintenance/YYYY-MM-DD-<title>.md.

    \b
    Example:
      statusbook new maintenance --title "Database upgrade" -c api \\
        --start 2026-12-02T02:00:00Z --duration 2h
    """
    site = load_site(config_file)
    ids = component_ids(site, components)
    now = current_time()
    begin = parse_time(start, now, "--start")
    assert begin is not None
    if end:
        finish = parse_time(end, begin, "--end")
    elif duration:
        finish = parse_time("+" + duration.lstrip("+"), begin, "--duration")
    else:
        raise click.UsageError("give --end or --duration")
    assert finish is not None
    if finish <= begin:
        raise click.BadParameter("the window must end after it starts", param_hint="--end")
    text_message = compose_message(
        site,
        message,
        "maintenance",
        {
            "title": title,
            "components": site.names(ids),
            "start": format_utc(begin),
            "end": format_utc(finish),
        },
    )
    text = au.new_maintenance_text(
        title, ids, begin, finish, min(now, begin), text_message, internal=internal
    )
    path = site.content_dir / "maintenance" / f"{begin:%Y-%m-%d}-{au.slugify(title)}.md"
    site.check_and_write(path, text)
    echo_written(site, path, "Maintenance announced")


@new.command("postmortem", short_help="Start a postmortem draft pre-filled from an incident.")
@click.argument("incident_id")
@config_option
def new_postmortem(incident_id, config_file):
    """Start a postmortem draft pre-filled from an incident (ID: id or its start, or path).

    Writes content/postmortems/<incident id>.md with the site's sections, the impact,
    roles, response times and the timeline compiled from the updates.

    \b
    Example:
      statusbook new postmortem 2026-03-14-card
    """
    site = load_site(config_file)
    incident: Incident = lookup(site, incident_id, "incident")
    path = site.content_dir / "postmortems" / f"{incident.id}.md"
    if path.exists():
        raise click.ClickException(f"{path.relative_to(site.root)} exists already")
    names = {c.id: c.name for c in site.corpus.components}
    runbooks = {c.id: c.runbooks for c in site.corpus.components}
    text = au.new_postmortem_text(
        incident, tuple(site.options.postmortem_sections), names, runbooks
    )
    site.check_and_write(path, text)
    echo_written(site, path, "Postmortem draft written")
