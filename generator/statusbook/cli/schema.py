"""`statusbook schema`: the JSON Schema of each content type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .common import (
    config_option,
    statusbook_options,
)


@click.command("schema")
@click.argument(
    "kind",
    required=False,
    type=click.Choice(["components", "incident", "maintenance", "postmortem"]),
)
@config_option
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False),
    help="Write one KIND.schema.json per type into this folder.",
)
def schema(kind: str | None, config_file: str | None, out: str | None) -> None:
    """Print the JSON Schema of content files (all types, or one KIND).

    Severities follow the site's configuration when run in a site folder.

    \b
    Example:
      statusbook schema incident > incident.schema.json
    """
    from ..content.schema import DEFAULT_SEVERITIES, SCHEMA_KINDS, json_schema

    severities = DEFAULT_SEVERITIES
    path = Path(config_file or "mkdocs.yml")
    if path.is_file():
        opts = statusbook_options(path)
        severities = tuple(opts.severities)
    kinds = [kind] if kind else list(SCHEMA_KINDS)
    schemas = {k: json_schema(k, severities) for k in kinds}
    if out:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in schemas.items():
            (folder / f"{name}.schema.json").write_text(
                json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        click.echo(f"Wrote {len(schemas)} schema(s) to {folder}", err=True)
        return
    data: Any = schemas[kind] if kind else schemas
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
