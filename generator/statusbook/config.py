"""The plugin's options in mkdocs.yml, each with its default."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .schema import DEFAULT_SEVERITIES


class StatusbookConfig(Config):
    #: Folder with components.yml, incidents/, maintenance/ and postmortems/, relative to mkdocs.yml.
    content_dir = c.Type(str, default="content")
    #: IANA timezone for calendar days (uptime bars, history months). Times are shown in UTC.
    timezone = c.Type(str, default="UTC")
    #: The internal severity scheme incidents may use, most severe first.
    severities = c.ListOfItems(c.Type(str), default=list(DEFAULT_SEVERITIES))
    #: Days in the uptime strip and in the uptime percentage.
    uptime_days = c.Type(int, default=90)
    #: How much of a minute of partial outage counts as downtime (major outage counts 1).
    partial_outage_weight = c.Type(float, default=0.3)
    #: Days of "Past incidents" on the home page.
    recent_days = c.Type(int, default=14)
    #: Update messages `statusbook new/update/resolve` offer, by name. Placeholders:
    #: {title} {components} {next_update} {start} {end}. Merged over the defaults.
    message_templates = c.Type(dict, default={})
    #: Build the internal edition: internal incidents, severities and roles included.
    internal = c.Type(bool, default=False)
