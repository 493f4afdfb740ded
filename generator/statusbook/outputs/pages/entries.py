"""A page per incident and per maintenance window, and the key a closed incident's page is
kept by in the render store."""

from __future__ import annotations

from ...cache.store import key_of
from ...model import Incident, Maintenance
from ...views import status as st
from ...views import timeline
from ..labels import IMPACT_LABEL, INCIDENT_STATUS_LABEL, MAINTENANCE_STATUS_LABEL
from .render import Page, Renderer


def incident_key(r: Renderer, incident: Incident) -> bytes | None:
    """A closed incident's page depends only on the incident, its postmortems and the
    names it shows, not on `now`: the key to keep it by in the store (most pages of a
    big site). None for an open incident."""
    if not r.over(incident):
        return None
    similar_to = r.view.similar.get(incident.id, [])
    return key_of(
        "incident-page",
        r.digest(incident),
        tuple(map(r.digest, r.view.postmortems_by_incident.get(incident.id, []))),
        tuple(r.components[c].name for c in incident.components),
        tuple(r.digest(r.incidents[i]) for i, _ in similar_to),
        r.view.settings,
        r.templates_digest,
    )


def incident_page(r: Renderer, incident: Incident) -> Page:
    summary = r.incident_summary(incident)
    posted = st.updates_until(incident.updates, r.view.now)
    html = r.render(
        "incident.html",
        "../../",
        incident=incident,
        summary=summary,
        updates=timeline.newest_first(posted),
        month=timeline.month_of(incident.started, r.view.tz),
        similar=[r.incidents[i] for i, _ in r.view.similar.get(incident.id, [])],
    )
    _ = r.lang.gettext
    description = _("%(state)s: %(impact)s impact incident") % {
        "state": _(INCIDENT_STATUS_LABEL[summary["status"]]),
        "impact": _(IMPACT_LABEL[incident.impact.value]),
    }
    return Page(
        f"incidents/{incident.id}/",
        incident.title,
        description,
        html,
        posted[-1].at.date(),
    )


def maintenance_page(r: Renderer, window: Maintenance) -> Page:
    summary = r.maintenance_summary(window)
    posted = st.updates_until(window.updates, r.view.now)
    month = timeline.month_of(window.start, r.view.tz)
    html = r.render(
        "maintenance.html",
        "../../",
        window=window,
        summary=summary,
        updates=timeline.newest_first(posted),
        # Upcoming windows have no history month yet.
        month=month if month in r.view.months else None,
    )
    state = r.lang.gettext(MAINTENANCE_STATUS_LABEL[summary["state"]])
    return Page(
        f"maintenance/{window.id}/",
        window.title,
        r.lang.gettext("Scheduled maintenance (%(state)s), %(start)s")
        % {"state": r.lang.in_sentence(state), "start": r.fmt_time(window.start)},
        html,
        (posted[-1].at if posted else window.start).date(),
    )
