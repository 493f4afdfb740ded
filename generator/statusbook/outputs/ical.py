"""An iCalendar feed of scheduled maintenance, so customers see windows in their calendar.

SEQUENCE counts the window's posted updates: every update (a new time, a cancellation) is a
new revision, and calendar clients replace an event only when its SEQUENCE grows. Post an
update when you move a window so subscribers get the new time.
"""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from ..i18n import load
from ..model import MaintenanceStatus
from ..views import status as st
from ..views.site import SiteView
from .labels import MAINTENANCE_STATUS_LABEL

PATH = "maintenance.ics"
PAST_DAYS = 90


def files(view: SiteView) -> dict[str, bytes]:
    base = view.settings.site_url or "/"
    host = base.split("//", 1)[-1].strip("/").split("/")[0] or "statusbook.invalid"
    names = {c.id: c.name for c in view.corpus.components}
    lang = load(view.settings.language)
    _ = lang.gettext
    cal = Calendar()
    cal.add("prodid", "-//Statusbook//Scheduled maintenance//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add(
        "x-wr-calname",
        _("%(site)s: scheduled maintenance") % {"site": view.settings.site_name},
    )
    horizon = view.now - timedelta(days=PAST_DAYS)
    windows = sorted(view.corpus.maintenance, key=lambda m: (m.start, m.id))
    for window in windows:
        if window.end < horizon:
            continue
        posted = st.updates_until(window.updates, view.now)
        state = st.maintenance_state(window, view.now)
        event = Event()
        event.add("uid", f"{window.id}@{host}")
        # DTSTAMP is when this revision was made: the latest update, never the build clock.
        event.add("dtstamp", posted[-1].at if posted else window.start)
        event.add("dtstart", window.start)
        event.add("dtend", window.end)
        event.add("summary", _("Maintenance: %(title)s") % {"title": window.title})
        affected = ", ".join(names[c] for c in window.components)
        lines = [
            _("Affects: %(components)s.") % {"components": affected},
            _("Status: %(state)s.") % {"state": _(MAINTENANCE_STATUS_LABEL[state.value])},
        ]
        if window.body:
            lines.append(window.body)
        if posted:
            lines.append(_("Latest update: %(message)s") % {"message": posted[-1].message})
        event.add("description", "\n\n".join(lines))
        event.add("url", f"{base}maintenance/{window.id}/")
        cancelled = state is MaintenanceStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("sequence", max(len(posted) - 1, 0))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return {PATH: cal.to_ical()}
