"""The plugin's options in mkdocs.yml, each with its default."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from .. import i18n
from ..clock import parse_timestamp
from ..content.schema import DEFAULT_PRIORITIES, DEFAULT_SECTIONS, DEFAULT_SEVERITIES


class Moment(c.BaseConfigOption[datetime | None]):
    """An ISO 8601 time with a timezone, quoted or not (YAML reads an unquoted one as a
    datetime of its own), as an aware UTC datetime."""

    # What a finding about a wrong value says (mkdocs_config._expected and _example).
    expected = "an ISO 8601 time with a timezone"
    example = "2026-11-23T10:00:00Z"

    def __init__(self) -> None:
        super().__init__()
        self.default = None

    def run_validation(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(timezone.utc)
        text = value.isoformat() if isinstance(value, datetime) else str(value)
        parsed, problem = parse_timestamp(text)
        if parsed is None:
            raise ValidationError(problem)
        return parsed


class Language(c.BaseConfigOption[str | None]):
    """A language Statusbook has a catalogue for ('de', 'pt-BR'), as Babel names it."""

    # What a finding about a wrong value says (mkdocs_config._expected and _example).
    expected = (
        f"a language Statusbook has a catalogue for ({', '.join(i18n.available())}; "
        "docs/translating.md adds one)"
    )
    example = "de"

    def __init__(self) -> None:
        super().__init__()
        self.default = None

    def run_validation(self, value: Any) -> str | None:
        if value is None:
            return None
        try:
            return i18n.load(str(value)).code
        except i18n.UnknownLanguage as exc:
            raise ValidationError(str(exc)) from exc


class StatusbookConfig(Config):
    #: Folder with components.yml, incidents/, maintenance/ and postmortems/, relative to
    #: mkdocs.yml.
    content_dir = c.Type(str, default="content")
    #: IANA timezone for calendar days (uptime bars, history months). Times are shown in UTC.
    timezone = c.Type(str, default="UTC")
    #: The internal severity scheme incidents may use, most severe first.
    severities = c.ListOfItems(c.Type(str), default=list(DEFAULT_SEVERITIES))
    #: Priorities action items may use, most urgent first.
    action_priorities = c.ListOfItems(c.Type(str), default=list(DEFAULT_PRIORITIES))
    #: Sections (## headings) a published postmortem is expected to have; a missing one is a
    #: warning (an error with --strict). `statusbook new postmortem` writes them in this order.
    postmortem_sections = c.ListOfItems(c.Type(str), default=list(DEFAULT_SECTIONS))
    #: Days in the uptime strip and in the uptime percentage.
    uptime_days = c.Type(int, default=90)
    #: How much of a minute of partial outage counts as downtime (major outage counts 1).
    partial_outage_weight = c.Type(float, default=0.3)
    #: Days of "Past incidents" on the home page.
    recent_days = c.Type(int, default=14)
    #: Update messages `statusbook new/update/resolve` offer, by name. Placeholders:
    #: {title} {components} {next_update} {start} {end}. Merged over the defaults.
    message_templates = c.Type(dict, default={})
    #: Blameless-language lint (see docs/lint.md): disable, severity, extra rules,
    #: alarming_words, people. With any rule at severity error, builds run it and fail on it.
    lint = c.Type(dict, default={})
    #: Serve the home page without Material's JavaScript bundle (and so without search on
    #: that page), and with only the part of Material's stylesheets it uses: about 60% less
    #: to download. Everything on it works without the bundle.
    light_home = c.Type(bool, default=True)
    #: Keep parsed and checked content files in .cache/statusbook/ beside mkdocs.yml, so the
    #: next build, validate or lint skips files whose bytes did not change. Off: --no-cache,
    #: or STATUSBOOK_NO_CACHE=1.
    cache = c.Type(bool, default=True)
    #: Build the internal edition: internal incidents, severities and roles included.
    internal = c.Type(bool, default=False)
    #: Build every page as of this fixed moment instead of the clock: for an example or demo
    #: site whose content must look the same whenever it is built (never for a live status
    #: page). `--now` and SOURCE_DATE_EPOCH still win over it.
    now = Moment()
    #: The language of every page, feed, badge and calendar (a catalogue in
    #: statusbook/i18n/locales: en, de, fr, es, pt_BR, ja, ar). Unset: Material's
    #: `theme.language`, so the theme's own words and Statusbook's agree.
    language = Language()
