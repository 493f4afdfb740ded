"""The validated content model: what every page, feed and API is computed from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


class Impact(str, Enum):
    """Statuspage's public incident impact."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Impact).index(self)


class ComponentStatus(str, Enum):
    """Statuspage's component statuses, in order of how bad they are."""

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def rank(self) -> int:
        return list(ComponentStatus).index(self)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


#: The statuses an incident update may give a component (maintenance is derived, not declared).
DECLARABLE_STATUSES = [s for s in ComponentStatus if s is not ComponentStatus.UNDER_MAINTENANCE]

#: What an affected component shows when no update has given it a status yet.
STATUS_FOR_IMPACT = {
    Impact.NONE: ComponentStatus.OPERATIONAL,
    Impact.MINOR: ComponentStatus.DEGRADED_PERFORMANCE,
    Impact.MAJOR: ComponentStatus.PARTIAL_OUTAGE,
    Impact.CRITICAL: ComponentStatus.MAJOR_OUTAGE,
}


class IncidentStatus(str, Enum):
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


class MaintenanceStatus(str, Enum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Visibility(str, Enum):
    PUBLIC = "public"
    INTERNAL = "internal"


class PostmortemStatus(str, Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class ActionStatus(str, Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WONT_DO = "wont_do"

    @property
    def label(self) -> str:
        return {
            "open": "Open",
            "in_progress": "In progress",
            "done": "Done",
            "wont_do": "Won't do",
        }[self.value]

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


LIFECYCLE = ("started", "detected", "acknowledged", "mitigated", "resolved")


@dataclass(frozen=True)
class Runbook:
    """A link responders start from (internal: never in the public edition)."""

    title: str
    link: str


class SloWindow(str, Enum):
    """The rolling windows an objective may be measured over."""

    DAYS_30 = "30d"
    DAYS_90 = "90d"

    @property
    def days(self) -> int:
        return int(self.value[:-1])


@dataclass(frozen=True)
class Objective:
    """A component's service level objective (see slo.py for how it is measured).

    Weights say how much of a minute in each status is spent from the error budget; a minute
    of major outage always counts whole."""

    target: float  # percent of the window, 0 < target < 100
    window: SloWindow = SloWindow.DAYS_30
    partial_outage: float = 0.3
    degraded_performance: float = 0.0
    count_maintenance: bool = False  # by default maintenance minutes leave the window


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    description: str = ""
    link: str = ""
    group_id: str = ""
    slo: Objective | None = None
    runbooks: tuple[Runbook, ...] = ()  # internal


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    description: str = ""
    component_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Update:
    at: datetime
    status: str  # an IncidentStatus or MaintenanceStatus value
    message: str
    components: tuple[tuple[str, ComponentStatus], ...] = ()
    next_update: datetime | None = None


@dataclass(frozen=True)
class Roles:
    commander: str = ""
    communications: str = ""
    scribe: str = ""
    experts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Incident:
    id: str
    path: str  # relative to the site root, for messages and edit links
    title: str
    impact: Impact
    components: tuple[str, ...]
    updates: tuple[Update, ...]
    body: str = ""
    severity: str = ""
    visibility: Visibility = Visibility.PUBLIC
    lifecycle: tuple[tuple[str, datetime], ...] = ()
    roles: Roles = field(default_factory=Roles)
    notes: str = ""  # internal
    runbooks: tuple[Runbook, ...] = ()  # internal

    @property
    def started(self) -> datetime:
        """The declared start, else the first update."""
        return dict(self.lifecycle).get("started", self.updates[0].at)

    def timestamp(self, name: str) -> datetime | None:
        return dict(self.lifecycle).get(name)


@dataclass(frozen=True)
class Maintenance:
    id: str
    path: str
    title: str
    components: tuple[str, ...]
    start: datetime
    end: datetime
    updates: tuple[Update, ...] = ()
    body: str = ""
    visibility: Visibility = Visibility.PUBLIC


@dataclass(frozen=True)
class ActionItem:
    description: str
    owner: str
    due: date
    priority: str
    status: ActionStatus
    link: str = ""


@dataclass(frozen=True)
class Postmortem:
    id: str
    path: str
    title: str
    incident_ids: tuple[str, ...]
    status: PostmortemStatus
    body: str = ""
    visibility: Visibility = Visibility.PUBLIC
    date: date | None = None
    summary: str = ""
    tags: tuple[str, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Corpus:
    """Everything under content/, validated; collections sorted for deterministic output."""

    groups: tuple[Group, ...]
    components: tuple[Component, ...]  # in display order
    incidents: tuple[Incident, ...]  # newest first
    maintenance: tuple[Maintenance, ...]  # latest window first
    postmortems: tuple[Postmortem, ...]

    def component(self, component_id: str) -> Component:
        return self._components_by_id()[component_id]

    def _components_by_id(self) -> dict[str, Component]:
        return {c.id: c for c in self.components}
