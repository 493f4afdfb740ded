"""One public corpus at one moment, with what every API serialiser needs, computed once.

Only the corpus is read: it has already been filtered for visibility.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from ...model import ComponentStatus, Corpus, Incident, IncidentStatus, Maintenance, Postmortem
from ...views import status as st
from ...views.site import Settings, SiteView
from .serialise import sp_id
from .spans import Spans
from .timeline import maintenance_entries

_EPSILON = timedelta(microseconds=1)
_RESOLVED = IncidentStatus.RESOLVED.value


def worse(a: ComponentStatus, b: ComponentStatus) -> ComponentStatus:
    """A component (or a group) shows the worst status that applies to it."""
    return a if a.rank >= b.rank else b


def _first_moments(corpus: Corpus, now: datetime) -> list[datetime]:
    """Each entry's first recorded moment up to `now`: the epoch is the earliest of them."""
    moments: list[datetime] = []
    for incident in corpus.incidents:
        posted = st.updates_until(incident.updates, now)
        if posted:
            moments.extend((posted[0].at, incident.started))
    for window in corpus.maintenance:
        posted = st.updates_until(window.updates, now)
        if posted:
            moments.append(posted[0].at)
        if window.start <= now:
            moments.append(window.start)
    return moments


class Context:
    """One public corpus at one moment, with what every serialiser needs, computed once.

    The page build makes one from its SiteView; webhooks make one per moment they describe.
    """

    def __init__(
        self,
        corpus: Corpus,
        now: datetime,
        settings: Settings,
        *,
        statuses: dict[str, ComponentStatus] | None = None,
        overall: st.Overall | None = None,
    ) -> None:
        self.corpus = corpus
        self.now = now
        self.settings = settings
        self.tz = ZoneInfo(settings.timezone)
        self.statuses = (
            statuses if statuses is not None else st.current_component_statuses(corpus, now)
        )
        self.overall = overall if overall is not None else st.overall(corpus, now)
        self.page_id = sp_id("page", settings.site_url or settings.site_name)
        self.base = settings.site_url or "/"
        self.components = {c.id: c for c in corpus.components}
        self.groups = {g.id: g for g in corpus.groups}
        self.postmortems: dict[str, list[Postmortem]] = {}
        for pm in corpus.postmortems:
            for iid in pm.incident_ids:
                self.postmortems.setdefault(iid, []).append(pm)
        self._changes: dict[str, datetime | None] = {}
        self._recent: dict[datetime, tuple[Corpus, list[datetime]]] = {}

    @classmethod
    def of(cls, view: SiteView) -> Context:
        return cls(
            view.corpus, view.now, view.settings, statuses=view.statuses, overall=view.overall
        )

    # -- facts derived from the whole corpus

    @cached_property
    def positions(self) -> dict[str, int]:
        """Statuspage numbers top-level entries (groups, then loose components) and, separately,
        each group's members, from 1, in the order of components.yml."""
        out: dict[str, int] = {}
        for n, group in enumerate(self.corpus.groups, 1):
            out[f"group:{group.id}"] = n
            for m, cid in enumerate(group.component_ids, 1):
                out[cid] = m
        loose = [c for c in self.corpus.components if not c.group_id]
        for n, component in enumerate(loose, len(self.corpus.groups) + 1):
            out[component.id] = n
        return out

    @cached_property
    def epoch(self) -> datetime:
        """The first moment the content records: components have existed at least since then."""
        return min(_first_moments(self.corpus, self.now), default=self.now)

    def at(self, moment: datetime, since: datetime) -> Context:
        """This corpus at an earlier `moment` (at or after `since`), for many such moments.

        A Context of its own would read the whole corpus for each moment (statuses, epoch);
        this one reads only the incidents that can still be active after `since`, and shares
        what does not depend on the moment (each component's incidents and windows).
        """
        if since not in self._recent:
            live = [
                i
                for i in self.corpus.incidents
                if i.updates
                and not (i.updates[-1].status == _RESOLVED and i.updates[-1].at < since)
            ]
            recent = replace(self.corpus, incidents=tuple(live))
            self._recent[since] = (recent, _first_moments(self.corpus, since))
        recent, earlier = self._recent[since]
        ctx = Context(
            self.corpus,
            moment,
            self.settings,
            statuses=st.current_component_statuses(recent, moment),
            overall=st.overall(recent, moment),
        )
        # What happened up to `since` is the same at every later moment.
        ctx.__dict__["epoch"] = min([*earlier, *_first_moments(recent, moment)], default=moment)
        ctx.__dict__["_by_component"] = self._by_component
        ctx.__dict__["_spans"] = self._spans
        ctx.__dict__["_change_moments"] = self._change_moments
        return ctx

    @cached_property
    def _by_component(self) -> dict[str, tuple[list[Incident], list[Maintenance]]]:
        index: dict[str, tuple[list[Incident], list[Maintenance]]] = {
            c.id: ([], []) for c in self.corpus.components
        }
        for incident in self.corpus.incidents:
            for cid in incident.components:
                if cid in index:
                    index[cid][0].append(incident)
        for window in self.corpus.maintenance:
            for cid in window.components:
                if cid in index:
                    index[cid][1].append(window)
        return index

    @cached_property
    def _spans(self) -> dict[str, Spans]:
        """Each component's incidents indexed by when they can be active (spans.py)."""
        return {cid: Spans(incidents) for cid, (incidents, _) in self._by_component.items()}

    @cached_property
    def _change_moments(self) -> dict[str, list[datetime]]:
        """Each component's moments its status can change at, in time order: its incidents'
        updates and its windows' bounds and updates. The same at every moment of the corpus."""
        out: dict[str, list[datetime]] = {}
        for cid, (incidents, windows) in self._by_component.items():
            moments = {u.at for i in incidents for u in i.updates}
            for window in windows:
                moments.update((window.start, window.end, *(u.at for u in window.updates)))
            out[cid] = sorted(moments)
        return out

    def status_at(self, cid: str, moment: datetime) -> ComponentStatus:
        """The component's status at any moment (views/status.py's rule, for one component)."""
        _, windows = self._by_component[cid]
        result = ComponentStatus.OPERATIONAL
        for window in windows:
            if st.is_under_maintenance(window, moment):
                result = worse(result, ComponentStatus.UNDER_MAINTENANCE)
        for incident in self._spans[cid].candidates(moment):
            if st.is_active(incident, moment):
                declared = st.component_statuses(incident, moment).get(cid)
                if declared is not None:
                    result = worse(result, declared)
        return result

    def last_change(self, cid: str) -> datetime | None:
        """When the component last changed status, up to `now` (None: never)."""
        if cid not in self._changes:
            moments = self._change_moments[cid]
            found = None
            for n in range(bisect_right(moments, self.now) - 1, -1, -1):
                moment = moments[n]
                if self.status_at(cid, moment) != self.status_at(cid, moment - _EPSILON):
                    found = moment
                    break
            self._changes[cid] = found
        return self._changes[cid]

    def component_updated(self, cid: str) -> datetime:
        return self.last_change(cid) or self.epoch

    @cached_property
    def page_updated(self) -> datetime:
        """The latest published update of anything, so the value moves only when content does."""
        moments = [self.epoch]
        for incident in self.corpus.incidents:
            posted = st.updates_until(incident.updates, self.now)
            if posted:
                moments.append(posted[-1].at)
        for window in self.corpus.maintenance:
            entries = maintenance_entries(window, self.now)
            if entries:
                moments.append(entries[-1].update.at)
        return max(moments)

    def display_name(self, cid: str) -> str:
        """Statuspage names a grouped component 'Group - Component' in affected_components."""
        component = self.components[cid]
        group = self.groups.get(component.group_id)
        return f"{group.name} - {component.name}" if group else component.name
