"""The JSON Schema of Statusbook's own document, api/statusbook/v1/status.json."""

from __future__ import annotations

from typing import Any

from ...model import ComponentStatus, IncidentStatus, MaintenanceStatus
from ..schemas import strict_object
from . import objectives
from .serialise import JsonObj


def _nullable(kind: str, **extra: Any) -> JsonObj:
    return {"type": [kind, "null"], **extra}


_TIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
}
_DAY = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_SP_ID = {"type": "string", "pattern": "^[0-9a-z]{12}$"}
_COMPONENT_STATUS = {"enum": [s.value for s in ComponentStatus]}


_UPDATE = strict_object(
    {
        "at": {"$ref": "#/$defs/time"},
        "status": {"type": "string"},
        "message": {"type": "string"},
        "components": {"type": "object", "additionalProperties": _COMPONENT_STATUS},
        "next_update": _nullable("string", format="date-time"),
    }
)

#: The JSON Schema of api/statusbook/v1/status.json. Bump the version (a new folder) on any
#: change that could break a reader; adding an optional field is not one.
SCHEMA: JsonObj = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Statusbook status API, version 1",
    "description": "Everything a Statusbook site publishes about its status, as one document.",
    "$defs": {"time": _TIME, "day": _DAY, "id": _ID, "statuspage_id": _SP_ID, "update": _UPDATE},
    **strict_object(
        {
            "schema": {"type": "string"},
            "version": {"const": 1},
            "generated_at": {"$ref": "#/$defs/time"},
            "page": strict_object(
                {
                    "id": {"$ref": "#/$defs/statuspage_id"},
                    "name": {"type": "string"},
                    "url": {"type": "string"},
                    "description": {"type": "string"},
                    "time_zone": {"type": "string"},
                }
            ),
            "status": strict_object(
                {
                    "indicator": {"enum": ["none", "minor", "major", "critical", "maintenance"]},
                    "description": {"type": "string"},
                }
            ),
            "uptime_window": strict_object(
                {
                    "days": {"type": "integer", "minimum": 1},
                    "first_day": {"$ref": "#/$defs/day"},
                    "last_day": {"$ref": "#/$defs/day"},
                    "partial_outage_weight": {"type": "number", "minimum": 0, "maximum": 1},
                }
            ),
            "groups": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "statuspage_id": {"$ref": "#/$defs/statuspage_id"},
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "status": _COMPONENT_STATUS,
                        "components": {"type": "array", "items": {"$ref": "#/$defs/id"}},
                    }
                ),
            },
            "components": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "statuspage_id": {"$ref": "#/$defs/statuspage_id"},
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "link": {"type": "string"},
                        "group_id": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "null"}]},
                        "status": _COMPONENT_STATUS,
                        "url": {"type": "string"},
                        "uptime": strict_object(
                            {
                                "percent": {"type": "number", "minimum": 0, "maximum": 100},
                                "days": {
                                    "type": "array",
                                    "items": strict_object(
                                        {
                                            "date": {"$ref": "#/$defs/day"},
                                            "worst_status": _COMPONENT_STATUS,
                                            "down_seconds": {"type": "number", "minimum": 0},
                                            "incident_ids": {
                                                "type": "array",
                                                "items": {"$ref": "#/$defs/id"},
                                            },
                                            "maintenance_ids": {
                                                "type": "array",
                                                "items": {"$ref": "#/$defs/id"},
                                            },
                                            "in_future": {"type": "boolean"},
                                        }
                                    ),
                                },
                            }
                        ),
                    }
                ),
            },
            "objectives": objectives.SCHEMA,
            "incidents": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "statuspage_id": {"$ref": "#/$defs/statuspage_id"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "impact": {"enum": ["none", "minor", "major", "critical"]},
                        "status": {"enum": [s.value for s in IncidentStatus]},
                        "active": {"type": "boolean"},
                        "started_at": {"$ref": "#/$defs/time"},
                        "resolved_at": _nullable("string", format="date-time"),
                        "duration_seconds": {"type": "integer", "minimum": 0},
                        "first_update_at": {"$ref": "#/$defs/time"},
                        "last_update_at": {"$ref": "#/$defs/time"},
                        "next_update_due": _nullable("string", format="date-time"),
                        "update_overdue": {"type": "boolean"},
                        "components": {"type": "array", "items": {"$ref": "#/$defs/id"}},
                        "component_statuses": {
                            "type": "object",
                            "additionalProperties": _COMPONENT_STATUS,
                        },
                        "body": {"type": "string"},
                        "updates": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"$ref": "#/$defs/update"},
                        },
                        "postmortems": {
                            "type": "array",
                            "items": strict_object(
                                {"id": {"$ref": "#/$defs/id"}, "url": {"type": "string"}}
                            ),
                        },
                    }
                ),
            },
            "maintenance": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "statuspage_id": {"$ref": "#/$defs/statuspage_id"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "state": {"enum": [s.value for s in MaintenanceStatus]},
                        "start": {"$ref": "#/$defs/time"},
                        "end": {"$ref": "#/$defs/time"},
                        "worked": {
                            "anyOf": [
                                {"type": "null"},
                                strict_object(
                                    {
                                        "start": {"$ref": "#/$defs/time"},
                                        "end": {"$ref": "#/$defs/time"},
                                    }
                                ),
                            ]
                        },
                        "components": {"type": "array", "items": {"$ref": "#/$defs/id"}},
                        "body": {"type": "string"},
                        "updates": {"type": "array", "items": {"$ref": "#/$defs/update"}},
                    }
                ),
            },
            "postmortems": {
                "type": "array",
                "items": strict_object(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "date": {"anyOf": [{"$ref": "#/$defs/day"}, {"type": "null"}]},
                        "summary": {"type": "string"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "incident_ids": {"type": "array", "items": {"$ref": "#/$defs/id"}},
                    }
                ),
            },
        }
    ),
}
