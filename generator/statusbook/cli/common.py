"""What the commands share: common options, finding mkdocs.yml, reading the plugin's options."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from ..clock import parse_now
from ..errors import Finding, format_findings, summary_line

CONFIG_HELP = "Path to mkdocs.yml (default: ./mkdocs.yml)."


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-f",
        "--config-file",
        type=click.Path(dir_okay=False),
        default=None,
        help=CONFIG_HELP,
    )(func)


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "github", "json"]),
        default="text",
        show_default=True,
        help="text for people, github for Actions annotations, json for tools.",
    )(func)


def now_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--now",
        metavar="TIME",
        default=None,
        help="Build as if it were TIME (ISO 8601 with timezone, 'now', '+30m', '-2h'). "
        "Default: SOURCE_DATE_EPOCH, else the clock.",
    )(func)


def no_cache_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--no-cache",
        is_flag=True,
        help="Parse and check every content file again, ignoring and not writing "
        ".cache/statusbook/ (files already checked with the same bytes and settings are "
        "otherwise skipped).",
    )(func)


class FullHelpGroup(click.Group):
    """A group whose command list shows each command's first sentence in full, wrapped,
    where click shortens it to the terminal's width with "..." (`Group.format_commands`):
    "Open an incident: writes..." hid where the file goes."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=FULL)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


#: A short-help limit no first sentence reaches: FullHelpGroup shows them whole.
FULL = 10_000


def config_path(config_file: str | None) -> Path:
    path = Path(config_file or "mkdocs.yml")
    if not path.is_file():
        raise click.ClickException(
            f"{path} not found. Run statusbook from your site's root folder, pass -f PATH, "
            "or create a site with `statusbook init DIR`."
        )
    return path


def apply_now(now: str | None) -> datetime | None:
    """`--now` as a moment (whole seconds), also given to MkDocs for its own dates (the
    sitemap's): MkDocs reads SOURCE_DATE_EPOCH, so that is set for it. None without --now."""
    if not now:
        return None
    try:
        moment = parse_now(now)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from exc
    seconds = int(moment.timestamp())
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    return datetime.fromtimestamp(seconds, timezone.utc)


class ConfigProblems(click.ClickException):
    """mkdocs.yml is wrong: its findings, printed like content findings (exit 1)."""

    def __init__(self, findings: list[Finding], fmt: str = "text") -> None:
        self.findings = sorted(findings)
        self.fmt = fmt
        super().__init__(format_findings(self.findings))

    def show(self, file: Any = None) -> None:
        if self.fmt == "json":
            click.echo(format_findings(self.findings, "json"))
            return
        click.echo(format_findings(self.findings, self.fmt), err=self.fmt == "text")
        if self.fmt == "text":
            click.echo(
                f"\n{summary_line(self.findings)}; nothing else was checked, nothing was built",
                err=True,
            )


def shown_name(config_file: Path) -> str:
    """mkdocs.yml as findings name it: relative to the site's root, as content paths are."""
    return config_file.name


def load_mkdocs_config(config_file: Path, fmt: str = "text", **overrides: Any):
    """The whole MkDocs config, loaded as `mkdocs build` loads it; every problem (YAML, our
    plugin's options, MkDocs' own checks) reported at its line, and nothing loaded on any."""
    from ..hosts import mkdocs_config

    raw, located, findings = mkdocs_config.read(config_file, shown_name(config_file))
    options = mkdocs_config.plugin_entry(raw)
    if options is not None:
        findings += mkdocs_config.check_options(options, located, str(config_file))[1]
    if findings:
        raise ConfigProblems(findings, fmt)
    cfg, findings = mkdocs_config.load_mkdocs(config_file, located, **overrides)
    if cfg is None:
        raise ConfigProblems(findings, fmt)
    return cfg


def plugin_options(config_file: Path) -> tuple[Any, Any]:
    """The loaded MkDocs config and our plugin's options; an error if the plugin is off."""
    cfg = load_mkdocs_config(config_file)
    plugin = cfg.plugins.get("statusbook")
    if plugin is None:
        raise click.ClickException(
            f"{config_file} does not enable the statusbook plugin: add '- statusbook' "
            "under 'plugins:'"
        )
    return cfg, plugin.config


def statusbook_options(config_file: Path, fmt: str = "text") -> Any:
    """Our plugin's options from mkdocs.yml, read and checked the way MkDocs does (INHERIT,
    !ENV, the plugin's own option types) without loading the rest of the MkDocs config:
    that imports the theme and every plugin, a third of a warm `validate` on a big site.
    The build still checks the whole file."""
    from ..hosts import mkdocs_config

    try:
        raw, located, findings = mkdocs_config.read(config_file, shown_name(config_file))
    except OSError as exc:
        raise click.ClickException(f"{config_file}: {exc.strerror or exc}") from exc
    if findings:
        raise ConfigProblems(findings, fmt)
    options = mkdocs_config.plugin_entry(raw)
    if options is None or options.pop("enabled", True) is False:
        raise click.ClickException(
            f"{config_file} does not enable the statusbook plugin: add '- statusbook' "
            "under 'plugins:'"
        )
    opts, findings = mkdocs_config.check_options(options, located, str(config_file))
    if opts is None:
        raise ConfigProblems(findings, fmt)
    return opts


def quiet_mkdocs(quiet: bool) -> None:
    # Material prints an end-of-life banner on every build; it is not about the user's content.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    level = logging.WARNING if quiet else logging.INFO
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


NO_SITE_URL = (
    "no site URL: mkdocs.yml sets no site_url and --site-url was not given, so the feeds' "
    "links, the API's page.url and every shortlink are relative paths that feed readers and "
    "Statuspage clients cannot follow (hint: set site_url in mkdocs.yml, or pass --site-url URL)"
)


class SiteUrl(click.ParamType):
    """An absolute http(s) address, kept with one trailing slash as MkDocs expects."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from urllib.parse import urlsplit

        text = str(value).strip()
        parts = urlsplit(text)
        absolute = parts.scheme in ("https", "http") and bool(parts.netloc)
        if not absolute or any(c.isspace() for c in text):
            self.fail(
                f"{value!r} is not an absolute http(s) URL (e.g. https://status.example.com/)"
            )
        return text.rstrip("/") + "/"
