"""`statusbook cancel ID`: cancel a scheduled maintenance window."""

from __future__ import annotations

import click

from ..authoring import write as au
from ..model import (
    Maintenance,
)
from .authoring import (
    compose_message,
    load_site,
    lookup,
    posted_at,
)
from .common import config_option


@click.command("cancel")
@click.argument("maintenance_id")
@config_option
@click.option("-m", "--message", help="Why (default: the site's template).")
@click.option("--at", default="now", show_default=True)
def cancel(maintenance_id, config_file, message, at):
    """Cancel a scheduled maintenance window.

    \b
    Example:
      statusbook cancel 2026-12-02-database -m "Moved to 9 December."
    """
    site = load_site(config_file)
    window: Maintenance = lookup(site, maintenance_id, "maintenance")
    moment = posted_at(at)
    text_message = compose_message(
        site,
        message,
        "cancelled",
        {"title": window.title, "components": site.names(window.components)},
    )
    site.edit(
        window,
        lambda text: au.cancel_text(text, moment, text_message),
        "Maintenance cancelled",
    )
