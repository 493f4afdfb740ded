"""The content files' JSON Schemas, published with the site for editors and tools."""

from __future__ import annotations

import json

from ..schema import SCHEMA_KINDS, json_schema
from .pages import SiteView


def files(view: SiteView) -> dict[str, bytes]:
    """`schemas/v1/<kind>.schema.json`, with the site's own severity scheme."""
    return {
        f"schemas/v1/{kind}.schema.json": (
            json.dumps(json_schema(kind, view.settings.severities), indent=2, ensure_ascii=False)
            + "\n"
        ).encode("utf-8")
        for kind in SCHEMA_KINDS
    }
