"""`statusbook notify`: announce what a push changed, once, to the configured webhooks."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from .. import content
from .. import notify as nt
from ..clock import parse_now
from ..errors import format_findings


def register(main: click.Group, config_option: Any) -> None:
    @main.command("notify")
    @click.option(
        "--since",
        "rev",
        required=True,
        metavar="REV",
        help="The commit before the push (git revision).",
    )
    @config_option
    @click.option("--dry-run", is_flag=True, help="Print the payloads as JSON lines; send nothing.")
    @click.option("--now", default="now", help="As of this time (default: the clock).")
    def notify(rev: str, config_file: str | None, dry_run: bool, now: str) -> None:
        """Send new incidents, updates and status changes since REV to webhooks.

        Targets come from environment variables (repository secrets):
        STATUSBOOK_SLACK_WEBHOOK, STATUSBOOK_DISCORD_WEBHOOK, STATUSBOOK_TEAMS_WEBHOOK and
        STATUSBOOK_WEBHOOK_URL (Statuspage-shaped JSON). An update present at REV is never
        sent again.

        \b
        Example:
          statusbook notify --since HEAD~1 --dry-run
        """
        from ..cli import _config_path, _plugin_options

        path = _config_path(config_file)
        cfg, opts = _plugin_options(path)
        root = path.resolve().parent
        moment = parse_now(now, reference=datetime.now(timezone.utc))
        after = content.load_configured(root, opts)
        if after.corpus is None:
            raise click.ClickException("content is invalid:\n" + format_findings(after.errors))
        content_rel = (root / opts.content_dir).resolve().relative_to(root).as_posix()
        with tempfile.TemporaryDirectory() as tmp:
            try:
                since = nt.checkout_content(root, rev, content_rel, Path(tmp))
            except nt.RevisionError as exc:
                raise click.ClickException(str(exc)) from exc
            before_dir = Path(tmp) / content_rel
            before = (
                content.load(
                    before_dir.resolve(),
                    Path(tmp).resolve(),
                    tuple(opts.severities),
                    priorities=tuple(opts.action_priorities),
                    sections=tuple(opts.postmortem_sections),
                )
                if before_dir.is_dir()
                else None
            )
        if before is not None and before.corpus is None:
            raise click.ClickException(
                f"the content at {rev} does not validate, so what was already announced is "
                "unknown; nothing was sent"
            )
        # Imported here: the site's renderers are not needed to start the CLI.
        from .. import webhooks
        from ..outputs.pages import Settings
        from ..visibility import public_view

        settings = Settings(
            site_name=cfg.site_name,
            site_url=(cfg.site_url or "").rstrip("/") + "/" if cfg.site_url else "",
            timezone=opts.timezone,
        )
        payloads = webhooks.changes(
            public_view(before.corpus) if before and before.corpus else None,
            public_view(after.corpus),
            moment,
            since=min(since, moment),
            settings=settings,
        )
        if dry_run:
            for payload in payloads:
                click.echo(json.dumps(payload, ensure_ascii=False, sort_keys=False))
            click.echo(f"{len(payloads)} change(s); nothing sent (--dry-run)", err=True)
            return
        targets = nt.targets_from_env()
        if not targets:
            click.echo(f"{len(payloads)} change(s); no webhook configured, nothing sent", err=True)
            return
        results = nt.deliver(payloads, targets)
        failed = [r for r in results if not r.ok]
        for r in results:
            mark = "sent" if r.ok else "FAILED"
            click.echo(f"{mark:6} {r.service:8} {r.title} ({r.detail})", err=True)
        click.echo(
            f"{len(payloads)} change(s) to {len(targets)} target(s); {len(failed)} failed", err=True
        )
        if failed:
            raise SystemExit(1)
