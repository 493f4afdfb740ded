"""The `objectives` part of Statusbook's own API (api/statusbook/v1/status.json) and its schema.

Minutes are rounded to thousandths and availability is rounded down to four decimals (like
the uptime percentage), so a reader never sees an objective met that the page calls missed.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from ...clock import iso_z
from ...model import Corpus
from ...views import slo
from ..schemas import strict_object

JsonObj = dict[str, Any]


def _minutes(value: float) -> float:
    return round(value, 3)


def _availability(value: float) -> float:
    return math.floor(value * 10_000 + 1e-9) / 10_000


def _figures(report: slo.Report | slo.GroupReport) -> JsonObj:
    return {
        "availability": _availability(report.availability),
        "counted_minutes": _minutes(report.counted_minutes),
        "budget_minutes": _minutes(report.budget_minutes),
        "spent_minutes": _minutes(report.spent_minutes),
        "remaining_minutes": _minutes(report.remaining_minutes),
        "met": report.met,
        "spent_by": [{"id": s.source_id, "minutes": _minutes(s.minutes)} for s in report.spends],
    }


def document(corpus: Corpus, reports: dict[str, slo.Report]) -> JsonObj:
    """Every declared objective, per component (in page order) and per group."""
    maintenance = {m.id for m in corpus.maintenance}
    components = []
    for component in corpus.components:
        report = reports.get(component.id)
        if report is None:
            continue
        o = report.objective
        figures = _figures(report)
        for spend in figures["spent_by"]:
            spend["kind"] = "maintenance" if spend["id"] in maintenance else "incident"
        components.append(
            {
                "component_id": component.id,
                "target": o.target,
                "window": o.window.value,
                "window_start": iso_z(report.window_start),
                "window_end": iso_z(report.window_end),
                "weights": {
                    "major_outage": 1.0,
                    "partial_outage": o.partial_outage,
                    "degraded_performance": o.degraded_performance,
                },
                "maintenance": "counted" if o.count_maintenance else "excluded",
                **figures,
                "burn": [
                    {
                        "end": iso_z(report.window_start + timedelta(days=k + 1)),
                        "spent_minutes": _minutes(spent),
                    }
                    for k, spent in enumerate(report.burn)
                ],
            }
        )
    groups = []
    for group_id, found in slo.groups(corpus, reports).items():
        figures = _figures(found)
        for spend in figures["spent_by"]:
            spend["kind"] = "maintenance" if spend["id"] in maintenance else "incident"
        groups.append(
            {
                "group_id": group_id,
                "components": [r.component_id for r in found.members],
                "met_count": found.met_count,
                **figures,
                "burn": [
                    {
                        "end": iso_z(found.members[0].window_start + timedelta(days=k + 1)),
                        "spent_minutes": _minutes(spent),
                    }
                    for k, spent in enumerate(found.burn)
                ],
            }
        )
    return {"components": components, "groups": groups}


_MINUTES = {"type": "number", "minimum": 0}
_SPENT_BY = {
    "type": "array",
    "description": "what each incident (or counted maintenance window) spent, most first",
    "items": strict_object(
        {
            "id": {"$ref": "#/$defs/id"},
            "kind": {"enum": ["incident", "maintenance"]},
            "minutes": {"type": "number", "exclusiveMinimum": 0},
        }
    ),
}
_FIGURES = {
    "availability": {
        "type": "number",
        "minimum": 0,
        "maximum": 100,
        "description": "percent of the counted minutes the component was up, rounded down",
    },
    "counted_minutes": {**_MINUTES, "description": "the window less excluded maintenance"},
    "budget_minutes": {**_MINUTES, "description": "(1 - target / 100) x counted minutes"},
    "spent_minutes": _MINUTES,
    "remaining_minutes": {"type": "number", "description": "negative once over budget"},
    "met": {"type": "boolean"},
    "spent_by": _SPENT_BY,
}

_BURN: dict[str, Any] = {
    "type": "array",
    "description": "budget spent by the end of each day, cumulative",
    "items": strict_object({"end": {"$ref": "#/$defs/time"}, "spent_minutes": _MINUTES}),
}
GROUP_BURN = "; empty when the members' windows differ"

#: The schema of the `objectives` member (schema.py places it in the document's schema).
SCHEMA: JsonObj = {
    **strict_object(
        {
            "components": {
                "type": "array",
                "items": strict_object(
                    {
                        "component_id": {"$ref": "#/$defs/id"},
                        "target": {"type": "number", "minimum": 0, "exclusiveMaximum": 100},
                        "window": {"enum": ["30d", "90d"]},
                        "window_start": {"$ref": "#/$defs/time"},
                        "window_end": {"$ref": "#/$defs/time"},
                        "weights": strict_object(
                            {
                                "major_outage": {"const": 1.0},
                                "partial_outage": {"type": "number", "minimum": 0, "maximum": 1},
                                "degraded_performance": {
                                    "type": "number",
                                    "minimum": 0,
                                    "maximum": 1,
                                },
                            }
                        ),
                        "maintenance": {"enum": ["excluded", "counted"]},
                        **_FIGURES,
                        "burn": _BURN,
                    }
                ),
            },
            "groups": {
                "type": "array",
                "items": strict_object(
                    {
                        "group_id": {"$ref": "#/$defs/id"},
                        "components": {"type": "array", "items": {"$ref": "#/$defs/id"}},
                        "met_count": {"type": "integer", "minimum": 0},
                        **_FIGURES,
                        "burn": {**_BURN, "description": _BURN["description"] + GROUP_BURN},
                    }
                ),
            },
        }
    ),
    "description": (
        "Service level objectives and error budgets over rolling windows: the worst declared "
        "status counts at each moment, maintenance is excluded unless counted."
    ),
}
