"""One declaration per content type: the validator checks against it, `statusbook schema` prints it.

Keeping both on one table means the JSON Schema editors use can never drift from what the
build accepts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..model import (
    DECLARABLE_STATUSES,
    ActionStatus,
    Impact,
    IncidentStatus,
    MaintenanceStatus,
    PostmortemStatus,
    Visibility,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DEFAULT_SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")


@dataclass(frozen=True)
class Field:
    """One field of a content file.

    kind is one of: string, markdown, id, enum, boolean, timestamp, date, url, list, object,
    status_map, number (a decimal between `minimum` and `maximum`; `below_maximum` leaves the
    maximum out).
    """

    name: str
    kind: str
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    item: Field | None = None
    fields: tuple[Field, ...] = ()
    max_length: int = 0
    example: str = ""
    minimum: float = 0.0
    maximum: float = 0.0
    below_maximum: bool = False


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


VISIBILITY = Field(
    "visibility",
    "enum",
    "public (default) or internal; internal content never reaches the public site",
    choices=_values(Visibility),
)
COMPONENT_STATUS = Field(
    "status",
    "enum",
    "a component status",
    choices=tuple(s.value for s in DECLARABLE_STATUSES),
)


#: `runbooks:` on components and incidents: internal, for responders.
RUNBOOKS = Field(
    "runbooks",
    "list",
    "runbooks responders start from; internal, never published",
    item=Field(
        "runbook",
        "object",
        "one runbook",
        fields=(
            Field("title", "string", "what the runbook is for", True, max_length=200),
            Field("link", "url", "its http(s) address", True),
        ),
    ),
)

#: `slo:` on a component; slo.py says how it is measured, docs/guide.md defines it.
SLO = Field(
    "slo",
    "object",
    "a service level objective, e.g. {target: 99.9, window: 30d}",
    example="slo: {target: 99.9, window: 30d}",
    fields=(
        Field(
            "target",
            "number",
            "the percentage of the window the component is to be up, e.g. 99.9",
            True,
            minimum=0.0,
            maximum=100.0,
            below_maximum=True,
        ),
        Field("window", "enum", "rolling window: 30d (default) or 90d", choices=("30d", "90d")),
        Field(
            "partial_outage",
            "number",
            "share of a minute of partial outage spent from the budget (default 0.3)",
            minimum=0.0,
            maximum=1.0,
        ),
        Field(
            "degraded_performance",
            "number",
            "share of a minute of degraded performance spent from the budget (default 0)",
            minimum=0.0,
            maximum=1.0,
        ),
        Field(
            "maintenance",
            "enum",
            "excluded (default: maintenance minutes leave the window) or counted (as down)",
            choices=("excluded", "counted"),
        ),
    ),
)


def _update_fields(statuses: tuple[str, ...]) -> tuple[Field, ...]:
    return (
        Field("at", "timestamp", "when the update was posted", required=True),
        Field("status", "enum", "the state this update reports", required=True, choices=statuses),
        Field("message", "markdown", "what customers read", required=True, max_length=20000),
        Field(
            "components",
            "status_map",
            "component id -> status from this update on",
            item=COMPONENT_STATUS,
        ),
        Field("next_update", "timestamp", "when readers can expect the next update"),
        Field(
            "scheduled",
            "boolean",
            "true: written ahead on purpose, published once 'at' has passed "
            "(otherwise a time in the future is an error)",
        ),
    )


@functools.lru_cache(maxsize=16)
def incident_fields(severities: tuple[str, ...] = DEFAULT_SEVERITIES) -> tuple[Field, ...]:
    lifecycle = tuple(
        Field(name, "timestamp", f"when the incident was {name} (used for metrics)")
        for name in ("started", "detected", "acknowledged", "mitigated", "resolved")
    )
    return (
        Field("title", "string", "what customers see as the headline", True, max_length=200),
        Field("impact", "enum", "public impact (Statuspage's scale)", True, _values(Impact)),
        Field("severity", "enum", "internal severity from the site's scheme", choices=severities),
        Field(
            "components",
            "list",
            "ids of the affected components (from components.yml)",
            True,
            item=Field("component", "id", "a component id"),
        ),
        VISIBILITY,
        Field(
            "notes", "markdown", "notes for responders; internal, never published", max_length=20000
        ),
        RUNBOOKS,
        *lifecycle,
        Field(
            "roles",
            "object",
            "who ran the response (internal)",
            fields=(
                Field("commander", "string", "incident commander", max_length=200),
                Field("communications", "string", "communications lead", max_length=200),
                Field("scribe", "string", "scribe", max_length=200),
                Field(
                    "experts",
                    "list",
                    "subject matter experts",
                    item=Field("expert", "string", "a person or team", max_length=200),
                ),
            ),
        ),
        Field(
            "updates",
            "list",
            "the update timeline, oldest first",
            True,
            item=Field(
                "update", "object", "one update", fields=_update_fields(_values(IncidentStatus))
            ),
        ),
    )


MAINTENANCE_FIELDS: tuple[Field, ...] = (
    Field("title", "string", "what the maintenance does", True, max_length=200),
    Field(
        "components",
        "list",
        "ids of the components under maintenance",
        True,
        item=Field("component", "id", "a component id"),
    ),
    Field("start", "timestamp", "start of the window", True),
    Field("end", "timestamp", "end of the window", True),
    VISIBILITY,
    Field(
        "updates",
        "list",
        "updates, oldest first",
        item=Field(
            "update",
            "object",
            "one update",
            fields=tuple(
                f for f in _update_fields(_values(MaintenanceStatus)) if f.name != "components"
            ),
        ),
    ),
)

DEFAULT_PRIORITIES = ("P1", "P2", "P3")
DEFAULT_SECTIONS = (
    "Summary",
    "Impact",
    "Timeline",
    "Contributing factors",
    "Detection",
    "Response and recovery",
    "What went well",
    "What went poorly",
    "Where we got lucky",
    "Action items",
    "Lessons learned",
    "Supporting links",
)
#: Postmortem ids that would collide with the library's own pages.
RESERVED_POSTMORTEM_IDS = ("actions", "metrics")


def action_item_field(priorities: tuple[str, ...] = DEFAULT_PRIORITIES) -> Field:
    return Field(
        "action_item",
        "object",
        "one follow-up",
        fields=(
            Field("description", "string", "what will be done", True, max_length=500),
            Field("owner", "string", "the team or role that owns it", True, max_length=200),
            Field("due", "date", "due date (YYYY-MM-DD)", True),
            Field("priority", "enum", "priority", True, priorities),
            Field("status", "enum", "progress", True, _values(ActionStatus)),
            Field("link", "url", "tracker issue (Jira, GitHub, Linear URL)"),
        ),
    )


@functools.lru_cache(maxsize=16)
def postmortem_fields(priorities: tuple[str, ...] = DEFAULT_PRIORITIES) -> tuple[Field, ...]:
    return (
        *POSTMORTEM_FIELDS,
        Field(
            "authors",
            "list",
            "who wrote it",
            item=Field("author", "string", "a person or team", max_length=200),
        ),
        Field(
            "action_items",
            "list",
            "follow-ups, tracked on the action items page",
            item=action_item_field(priorities),
        ),
    )


POSTMORTEM_FIELDS: tuple[Field, ...] = (
    Field("title", "string", "the postmortem's title", True, max_length=200),
    Field(
        "incidents",
        "list",
        "ids of the incidents it covers",
        True,
        item=Field("incident", "id", "an incident id (its file name without .md)"),
    ),
    Field(
        "status", "enum", "draft postmortems are never published", True, _values(PostmortemStatus)
    ),
    VISIBILITY,
    Field("date", "date", "when it was published (YYYY-MM-DD)"),
    Field("summary", "string", "one or two sentences for the list", max_length=1000),
    Field("tags", "list", "free-form tags", item=Field("tag", "id", "a tag")),
)

_COMPONENT = Field(
    "component",
    "object",
    "a component",
    fields=(
        Field("id", "id", "stable id used in content files", True),
        Field("name", "string", "display name", True, max_length=100),
        Field("description", "string", "one line shown under the name", max_length=500),
        Field("link", "url", "a page about the component"),
        SLO,
        RUNBOOKS,
    ),
)
COMPONENTS_FIELDS: tuple[Field, ...] = (
    Field(
        "groups",
        "list",
        "component groups, in display order",
        item=Field(
            "group",
            "object",
            "a group of components",
            fields=(
                Field("id", "id", "stable id of the group", True),
                Field("name", "string", "display name", True, max_length=100),
                Field("description", "string", "one line", max_length=500),
                Field("components", "list", "its components", True, item=_COMPONENT),
            ),
        ),
    ),
    Field("components", "list", "components outside any group", item=_COMPONENT),
)


# --- JSON Schema ------------------------------------------------------------------------------

SCHEMA_BASE = "https://statusbook.dev/schema/v1"


def json_schema(
    kind: str,
    severities: tuple[str, ...] = DEFAULT_SEVERITIES,
    priorities: tuple[str, ...] = DEFAULT_PRIORITIES,
) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one content type's frontmatter or file."""
    fields, title = {
        "incident": (incident_fields(severities), "Statusbook incident frontmatter"),
        "maintenance": (MAINTENANCE_FIELDS, "Statusbook scheduled maintenance frontmatter"),
        "postmortem": (postmortem_fields(priorities), "Statusbook postmortem frontmatter"),
        "components": (COMPONENTS_FIELDS, "Statusbook components.yml"),
    }[kind]
    schema = _object_schema(fields)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}/{kind}.json",
        "title": title,
        **schema,
    }


SCHEMA_KINDS = ("components", "incident", "maintenance", "postmortem")


def _object_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _field_schema(f) for f in fields},
    }


def _field_schema(f: Field) -> dict[str, Any]:
    out: dict[str, Any]
    if f.kind in ("string", "markdown"):
        out = {"type": "string", "minLength": 1}
        if f.max_length:
            out["maxLength"] = f.max_length
    elif f.kind == "id":
        out = {"type": "string", "pattern": ID_PATTERN}
    elif f.kind == "enum":
        out = {"enum": list(f.choices)}
    elif f.kind == "boolean":
        out = {"type": "boolean"}
    elif f.kind == "timestamp":
        out = {
            "type": "string",
            "format": "date-time",
            "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$",
        }
    elif f.kind == "date":
        out = {"type": "string", "format": "date"}
    elif f.kind == "number":
        top = "exclusiveMaximum" if f.below_maximum else "maximum"
        out = {"type": "number", "minimum": f.minimum, top: f.maximum}
    elif f.kind == "url":
        out = {"type": "string", "format": "uri", "pattern": "^https?://"}
    elif f.kind == "list":
        assert f.item is not None
        out = {"type": "array", "items": _field_schema(f.item)}
    elif f.kind == "object":
        out = _object_schema(f.fields)
    elif f.kind == "status_map":
        assert f.item is not None
        out = {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": _field_schema(f.item),
        }
    else:  # pragma: no cover - a typo in the tables above
        raise ValueError(f.kind)
    out["description"] = f.description
    return out
