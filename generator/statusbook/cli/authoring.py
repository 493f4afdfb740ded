"""What the authoring commands share (`new`, `update`, `resolve`, `reopen`, `cancel`,
`status`).

Every command works with flags alone (scripts, the mobile workflow form) and asks for what is
missing when run in a terminal. Every write is checked with the same validation as a build,
together with the rest of the site, and refused when invalid: a bad update cannot be merged
because it cannot be written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from ..authoring import write as au
from ..clock import CLOCK_SKEW, format_utc, humanize_duration, parse_now, wall_clock
from ..content import load as content
from ..errors import did_you_mean, format_findings
from ..model import (
    DECLARABLE_STATUSES,
    Corpus,
    Incident,
    IncidentStatus,
    Maintenance,
)
from .common import config_path, statusbook_options

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
            self.root, self.options, pending={path: text.encode("utf-8")}, clock=current_time()
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
        echo_written(self, path, verb)


def load_site(config_file: str | None) -> Site:
    """The site whose mkdocs.yml is `config_file`, its content loaded and valid."""
    path = config_path(config_file)
    opts = statusbook_options(path)
    root = path.resolve().parent
    content_dir = (root / opts.content_dir).resolve()
    result = content.load_configured(root, opts, clock=current_time())
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


def interactive() -> bool:
    return sys.stdin.isatty()


def current_time() -> datetime:
    """The real time to the minute: what a new update is dated by default."""
    return wall_clock().replace(second=0, microsecond=0)


def parse_time(value: str | None, base: datetime, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        return parse_now(value, reference=base)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from exc


def posted_at(value: str) -> datetime:
    """`--at`: when an update is posted, which cannot be later than now (give or take the
    clock skew every check allows): a future time would hide the update until then."""
    now = current_time()
    moment = parse_time(value, now, "--at")
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


def component_ids(site: Site, values: tuple[str, ...] | list[str]) -> list[str]:
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


def component_statuses(site: Site, values: tuple[str, ...], allowed: list[str]) -> dict[str, str]:
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


def prompt_components(site: Site) -> list[str]:
    for i, c in enumerate(site.corpus.components, 1):
        click.echo(f"  {i:2}. {c.id:<24} {c.name}", err=True)
    while True:
        raw = click.prompt("Affected components (ids or numbers, comma-separated)", err=True)
        try:
            return component_ids(site, [raw])
        except click.BadParameter as exc:
            click.echo(f"  {exc.message}", err=True)


def compose_message(site: Site, given: str | None, template: str, values: dict[str, str]) -> str:
    suggestion = site.templates.fill(template, **values)
    if given:
        return given
    if interactive():
        return click.prompt("Message", default=suggestion, err=True)
    if not suggestion:
        raise click.UsageError("give --message (no template for this status)")
    return suggestion


def lookup(site: Site, key: str, kind: str) -> Any:
    try:
        return au.find_entry(site.corpus, key, kind, site.options.now or current_time())
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc


def echo_written(site: Site, path: Path, verb: str) -> None:
    click.echo(str(path.relative_to(site.root)))
    click.echo(
        f"{verb}. Check with `statusbook validate`, commit it and open a pull request.", err=True
    )
