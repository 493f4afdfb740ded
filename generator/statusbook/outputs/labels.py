"""The words for enum values that readers see, marked for the catalogue.

Enum values themselves stay English (the APIs and the schema publish them); only their labels
on pages, feeds, badges and the calendar are translated. Each label is written out here as a
literal so that `pybabel extract` finds it (N_ marks it and returns it unchanged).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..i18n import Lang
from ..model import IncidentStatus, MaintenanceStatus


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for "mark only"
    """Marks a message for extraction; translation happens where it is shown."""
    return message


COMPONENT_STATUS_WORDS = (
    N_("Operational"),
    N_("Under maintenance"),
    N_("Degraded performance"),
    N_("Partial outage"),
    N_("Major outage"),
)
INCIDENT_STATUS_WORDS = (
    N_("Investigating"),
    N_("Identified"),
    N_("Monitoring"),
    N_("Resolved"),
)
ACTION_STATUS_WORDS = (N_("Open"), N_("In progress"), N_("Done"), N_("Won't do"))

#: Labels by enum value, for the pages, the feeds and the calendar.
INCIDENT_STATUS_LABEL = {s.value: s.value.capitalize() for s in IncidentStatus}
MAINTENANCE_STATUS_LABEL = {
    MaintenanceStatus.SCHEDULED.value: N_("Scheduled"),
    MaintenanceStatus.IN_PROGRESS.value: N_("In progress"),
    MaintenanceStatus.VERIFYING.value: N_("Verifying"),
    MaintenanceStatus.COMPLETED.value: N_("Completed"),
    MaintenanceStatus.CANCELLED.value: N_("Cancelled"),
}
IMPACT_LABEL = {
    "none": N_("No impact"),
    "minor": N_("Minor"),
    "major": N_("Major"),
    "critical": N_("Critical"),
}


def translated(mapping: Mapping[str, str], lang: Lang) -> dict[str, str]:
    """The same labels in the site's language (a template looks them up by enum value)."""
    return {key: lang.gettext(text) for key, text in mapping.items()}


#: The incident metrics' names, group labels and the reasons an incident is left out of one
#: (views/metrics.py writes them; the metrics page translates them where it shows them).
METRIC_WORDS = (
    N_("Time to detect"),
    N_("Time to acknowledge"),
    N_("Time to mitigate"),
    N_("Time to resolve"),
    N_("All incidents"),
    # The compiled timeline's lifecycle events (views/library.lifecycle_rows).
    N_("Started"),
    N_("Detected"),
    N_("Acknowledged"),
    N_("Mitigated"),
    N_("No severity"),
    N_("not resolved yet"),
    N_("no started time"),
    N_("no detected time"),
    N_("no acknowledged time"),
    N_("no mitigated time"),
    N_("no resolved time"),
    N_("no started or detected time"),
    N_("no started or acknowledged time"),
    N_("no started or mitigated time"),
    N_("no started or resolved time"),
)

#: The banner's words (views/status.py; the Statuspage API keeps them in English).
OVERALL_WORDS = (
    N_("All Systems Operational"),
    N_("Minor Service Outage"),
    N_("Partial System Outage"),
    N_("Major Service Outage"),
    N_("Service Under Maintenance"),
)
