"""The content files' JSON Schemas, published with the site for editors and tools."""

from __future__ import annotations

import json
from typing import Any

from ..content.schema import SCHEMA_KINDS, json_schema
from ..views.site import SiteView


def files(view: SiteView) -> dict[str, bytes]:
    """`schemas/v1/<kind>.schema.json`. The site's severity scheme is internal, so the
    published incident schema accepts any severity text (`statusbook schema` has the enum)."""
    out = {}
    for kind in SCHEMA_KINDS:
        schema = json_schema(kind)
        severity = schema.get("properties", {}).get("severity")
        if severity is not None:
            schema["properties"]["severity"] = {
                "type": "string",
                "description": severity["description"],
            }
        text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        out[f"schemas/v1/{kind}.schema.json"] = text.encode("utf-8")
    return out


def strict_object(properties: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema object with exactly these properties, all required: the API documents
    what it writes, so a client's validator catches a field it does not know."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }
