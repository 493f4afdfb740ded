"""`statusbook new / update / resolve / cancel / status`: post updates under pressure.

Every command works with flags alone (scripts, the mobile workflow form) and asks for what is
missing when run in a terminal. Every write is checked with the same validation as a build,
together with the rest of the site, and refused when invalid: a bad update cannot be merged
because it cannot be written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from .. import authoring as au
from .. import content
from .. import status as st
from ..clock import CLOCK_SKEW, format_utc, humanize_duration, parse_now
from ..errors import did_you_mean, format_findings
from ..model import (
    DECLARABLE_STATUSES,
    STATUS_FOR_IMPACT,
    Corpus,
    Impact,
    Incident,
    IncidentStatus,
    Maintenance,
)

STATUS_CHOICES = [s.value for s in IncidentStatus]
COMPONENT_STATUS_CHOICES = [s.value for s in DECLARABLE_STATUSES]


@dataclass
class Site:
    root: Path
    content_dir: Path
    severities: tuple[str, ...]
    templates: au.Templates
    corpus: Corpus
    options: Any

    def names(self, ids: list[str] | tuple[str, ...]) -> str:
        by_id = {c.id: c.name for c in self.corpus.components}
        return au.join_names([by_id.get(i, i) for i in ids])

    def check_and_write(self, path: Path, text: str) -> None:
        """Validate the edit with the whole site; write only when nothing is wrong."""
        result = content.load_configured(
            self.root, self.options, pending={path: text.encode("utf-8")}, clock=_clock()
        )
        if result.errors:
            raise click.ClickException(
                "the change was not written, because it would make the content invalid:\n"
                + format_findings(result.errors)
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, entry: Incident | Maintenance, change: Callable[[str], str], verb: str) -> None:
        """Apply a text edit to an existing file, check it with the site, write, report."""
        path = self.root / entry.path
        self.check_and_write(path, change(path.read_text(encoding="utf-8")))
        _echo_written(self, path, verb)


def load_site(config_file: str | None) -> Site:
    from ..cli import _config_path, _statusbook_options

    path = _config_path(config_file)
    opts = _statusbook_options(path)
    root = path.resolve().parent
    content_dir = (root / opts.content_dir).resolve()
    result = content.load_configured(root, opts, clock=_clock())
    if result.corpus is None:
        raise click.ClickException(
            "fix the content first (nothing was written):\n" + format_findings(result.errors)
        )
    return Site(
        root,
        content_dir,
        tuple(opts.severities),
        au.Templates.with_site(opts.message_templates or {}),
        result.corpus,
        opts,
    )


def _interactive() -> bool:
    return sys.stdin.isatty()


def _clock() -> datetime:
    return datetime.now(timezone.utc).replace(second=0, microsecond=0)


def _time(value: str | None, base: datetime, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        return parse_now(value, reference=base)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from exc


def _posted_at(value: str) -> datetime:
    """`--at`: when an update is posted, which cannot be later than now (give or take the
    clock skew every check allows): a future time would hide the update until then."""
    now = _clock()
    moment = _time(value, now, "--at")
    assert moment is not None
    if moment - now > CLOCK_SKEW:
        raise click.BadParameter(
            f"{format_utc(moment)} is {humanize_duration(moment - now)} in the future (the clock "
            f"says {format_utc(now)}); an update dated later would stay hidden until then. "
            "Check the day and the timezone (to publish one later on purpose, write it by hand "
            "with 'scheduled: true')",
            param_hint="--at",
        )
    return moment


def _component_ids(site: Site, values: tuple[str, ...] | list[str]) -> list[str]:
    known = [c.id for c in site.corpus.components]
    ids: list[str] = []
    for value in values:
        for part in value.replace(",", " ").split():
            if part.isdigit() and 1 <= int(part) <= len(known):
                part = known[int(part) - 1]
            if part not in known:
                raise click.BadParameter(f"unknown component '{part}': {did_you_mean(part, known)}")
            if part not in ids:
                ids.append(part)
    return ids


def _statuses(site: Site, values: tuple[str, ...], allowed: list[str]) -> dict[str, str]:
    """`--set api=partial_outage` pairs, checked against the components and statuses."""
    out: dict[str, str] = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"'{value}': write COMPONENT=STATUS", param_hint="--set")
        cid, status = (x.strip() for x in value.split("=", 1))
        if cid not in allowed:
            raise click.BadParameter(
                f"'{cid}' is not affected by this incident: {did_you_mean(cid, allowed)}",
                param_hint="--set",
            )
        if status not in COMPONENT_STATUS_CHOICES:
            raise click.BadParameter(
                f"'{status}': {did_you_mean(status, COMPONENT_STATUS_CHOICES)}", param_hint="--set"
            )
        out[cid] = status
    return out


def _prompt_components(site: Site) -> list[str]:
    for i, c in enumerate(site.corpus.components, 1):
        click.echo(f"  {i:2}. {c.id:<24} {c.name}", err=True)
    while True:
        raw = click.prompt("Affected components (ids or numbers, comma-separated)", err=True)
        try:
            return _component_ids(site, [raw])
        except click.BadParameter as exc:
            click.echo(f"  {exc.message}", err=True)


def _message(site: Site, given: str | None, template: str, values: dict[str, str]) -> str:
    suggestion = site.templates.fill(template, **values)
    if given:
        return given
    if _interactive():
        return click.prompt("Message", default=suggestion, err=True)
    if not suggestion:
        raise click.UsageError("give --message (no template for this status)")
    return suggestion


def _find(site: Site, key: str, kind: str) -> Any:
    try:
        return au.find_entry(site.corpus, key, kind)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc


def _echo_written(site: Site, path: Path, verb: str) -> None:
    click.echo(str(path.relative_to(site.root)))
    click.echo(
        f"{verb}. Check with `statusbook validate`, commit it and open a pull request.", err=True
    )


def register(main: click.Group, config_option: Any) -> None:
    """Add the authoring commands to the `statusbook` group."""

    @main.group("new")
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
            if not _interactive():
                raise click.UsageError("give --title")
            title = click.prompt("Title", err=True)
        if not impact:
            if not _interactive():
                raise click.UsageError("give --impact")
            impact = click.prompt(
                "Impact", type=click.Choice([i.value for i in Impact]), default="minor", err=True
            )
        ids = (
            _component_ids(site, components)
            if components
            else (_prompt_components(site) if _interactive() else [])
        )
        if not ids:
            raise click.UsageError("give at least one --component")
        if severity and severity not in site.severities:
            raise click.BadParameter(
                f"{did_you_mean(severity, site.severities)}", param_hint="--severity"
            )
        moment = _posted_at(at)
        promise = _time(next_update, moment, "--next-update")
        text_message = _message(
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
            _statuses(site, sets, ids),
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
        _echo_written(site, path, "Incident opened")

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
        ids = _component_ids(site, components)
        now = _clock()
        begin = _time(start, now, "--start")
        assert begin is not None
        if end:
            finish = _time(end, begin, "--end")
        elif duration:
            finish = _time("+" + duration.lstrip("+"), begin, "--duration")
        else:
            raise click.UsageError("give --end or --duration")
        assert finish is not None
        if finish <= begin:
            raise click.BadParameter("the window must end after it starts", param_hint="--end")
        text_message = _message(
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
        _echo_written(site, path, "Maintenance announced")

    @new.command("postmortem", short_help="Start a postmortem draft pre-filled from an incident.")
    @click.argument("incident_id")
    @config_option
    def new_postmortem(incident_id, config_file):
        """Start a postmortem draft pre-filled from an incident (ID: id, prefix or path).

        Writes content/postmortems/<incident id>.md with the site's sections, the impact,
        roles, response times and the timeline compiled from the updates.

        \b
        Example:
          statusbook new postmortem 2026-03-14-card
        """
        site = load_site(config_file)
        incident: Incident = _find(site, incident_id, "incident")
        path = site.content_dir / "postmortems" / f"{incident.id}.md"
        if path.exists():
            raise click.ClickException(f"{path.relative_to(site.root)} exists already")
        names = {c.id: c.name for c in site.corpus.components}
        runbooks = {c.id: c.runbooks for c in site.corpus.components}
        text = au.new_postmortem_text(
            incident, tuple(site.options.postmortem_sections), names, runbooks
        )
        site.check_and_write(path, text)
        _echo_written(site, path, "Postmortem draft written")

    @main.command("update")
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
        """Post an update to an incident (ID: id, unique prefix or path).

        \b
        Example:
          statusbook update 2026-03-14-card --status identified \\
            -m "A faulty deploy; rolling back." --next-update +30m
        """
        site = load_site(config_file)
        incident: Incident = _find(site, incident_id, "incident")
        current = incident.updates[-1].status
        if current == "resolved":
            raise click.ClickException(
                f"{incident.id} is resolved. If the problem is back, reopen it: "
                f'statusbook reopen {incident.id} -m "..." (or open a new incident)'
            )
        moment = _posted_at(at)
        new_status = status or current
        promise = _time(next_update, moment, "--next-update") if new_status != "resolved" else None
        text_message = _message(
            site,
            message,
            new_status,
            {
                "title": incident.title,
                "components": site.names(incident.components),
                "next_update": format_utc(promise) if promise else "soon",
            },
        )
        changes = _statuses(site, sets, list(incident.components))
        site.edit(
            incident,
            lambda text: au.add_update(text, moment, new_status, text_message, changes, promise),
            "Update posted",
        )

    @main.command("resolve")
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
        incident: Incident = _find(site, incident_id, "incident")
        if incident.updates[-1].status == "resolved":
            raise click.ClickException(f"{incident.id} is already resolved")
        moment = _posted_at(at)
        text_message = _message(
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

    @main.command("reopen")
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
        incident: Incident = _find(site, incident_id, "incident")
        if incident.updates[-1].status != "resolved":
            raise click.ClickException(
                f"{incident.id} is not resolved: post an update with `statusbook update`"
            )
        moment = _posted_at(at)
        promise = _time(next_update, moment, "--next-update")
        text_message = _message(
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
        changes.update(_statuses(site, sets, list(incident.components)))
        site.edit(
            incident,
            lambda text: au.reopen_text(text, moment, status, text_message, changes, promise),
            "Incident reopened",
        )

    @main.command("cancel")
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
        window: Maintenance = _find(site, maintenance_id, "maintenance")
        moment = _posted_at(at)
        text_message = _message(
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

    @main.command("status")
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
        moment = _time(now, _clock(), "--now") if now else site.options.now or _clock()
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
            click.echo(
                f"      last update {format_utc(latest.at)}" + (f", next {due}" if due else "")
            )
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

    main.add_command(status_cmd, "list")
