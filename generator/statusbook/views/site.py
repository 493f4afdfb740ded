"""The view of the site a build renders: everything derived once from the corpus and `now`,
shared by every page, feed and API file (outputs/ maps it to files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from ..cache.store import RenderStore, key_of
from ..model import ComponentStatus, Corpus, Incident, Maintenance, Postmortem
from . import similar, slo, timeline
from . import status as st
from .uptime import Uptime, compute


@dataclass(frozen=True)
class Settings:
    """What the site configures that changes the pages (from the plugin's config)."""

    site_name: str = "Status"
    site_url: str = ""  # absolute, with a trailing slash; "" when mkdocs.yml sets none
    site_description: str = ""
    timezone: str = "UTC"
    severities: tuple[str, ...] = ("SEV1", "SEV2", "SEV3", "SEV4")
    uptime_days: int = 90
    partial_weight: float = 0.3
    recent_days: int = 14
    component_recent: int = 20
    internal: bool = False
    language: str = "en"  # a catalogue in i18n/locales (Babel's identifier: 'pt_BR')


@dataclass
class SiteView:
    """Everything derived once per build and shared by the pages."""

    corpus: Corpus
    now: datetime
    settings: Settings
    # Rendered pages and converted Markdown by content digest: in memory, or the site's
    # on-disk store (cache.RenderStore) that a build shares with the next.
    store: RenderStore = field(default_factory=RenderStore)
    tz: tzinfo = field(init=False)
    statuses: dict[str, ComponentStatus] = field(init=False)
    overall: st.Overall = field(init=False)
    uptime: dict[str, Uptime] = field(init=False)
    postmortems_by_incident: dict[str, list[Postmortem]] = field(init=False)
    months: dict[timeline.Month, tuple[list[Incident], list[Maintenance]]] = field(init=False)
    similar: dict[str, list[tuple[str, float]]] = field(init=False)
    objectives: dict[str, slo.Report] = field(init=False)  # components with an objective

    def __post_init__(self) -> None:
        self.tz = ZoneInfo(self.settings.timezone)
        self.statuses = st.current_component_statuses(self.corpus, self.now)
        self.overall = st.overall(self.corpus, self.now)
        self.uptime = compute(
            self.corpus,
            self.now,
            self.tz,
            days=self.settings.uptime_days,
            partial_weight=self.settings.partial_weight,
        )
        self.postmortems_by_incident = {}
        for pm in self.corpus.postmortems:
            for iid in pm.incident_ids:
                self.postmortems_by_incident.setdefault(iid, []).append(pm)
        self.months = timeline.by_month(self.corpus, self.now, self.tz)
        self.objectives = slo.compute(self.corpus, self.now)
        key = key_of("similar", similar.inputs_key(self.corpus, self.now))
        self.similar = self.store.get(key)
        if self.similar is None:
            self.similar = similar.similar_incidents(self.corpus, now=self.now)
            self.store.put(key, self.similar)
