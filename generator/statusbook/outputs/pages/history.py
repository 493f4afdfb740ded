"""The history: its index (the last 30 days, then every month with entries) and a page per
month, with the key a month that is over is kept by in the render store."""

from __future__ import annotations

from typing import Any

from ...cache.store import key_of
from ...model import Incident
from ...views import timeline
from .render import Page, Renderer

#: The history page opens with the last 30 days, whatever the month, at most this many
#: entries (a busy site's month pages list the rest).
HISTORY_RECENT_DAYS = 30
HISTORY_RECENT_LIMIT = 100


def history_index(r: Renderer) -> str:
    years: dict[int, list[dict[str, Any]]] = {}
    for month, (incidents, windows) in r.view.months.items():
        years.setdefault(month[0], []).append(
            {"month": month, "incidents": len(incidents), "maintenance": len(windows)}
        )
    view = r.view
    found = timeline.recent_entries(view.corpus, view.now, view.tz, HISTORY_RECENT_DAYS)
    recent = [
        (
            ("incident", r.incident_summary(entry))
            if isinstance(entry, Incident)
            else ("maintenance", r.maintenance_summary(entry))
        )
        for entry in found[:HISTORY_RECENT_LIMIT]
    ]
    return r.render(
        "history.html",
        "../",
        years=years,
        recent=recent,
        recent_days=HISTORY_RECENT_DAYS,
        more=len(found) - len(recent),
        latest=next(iter(view.months), None),  # for overrides written for 0.1
    )


def month_key(r: Renderer, month: timeline.Month) -> bytes | None:
    """A month whose incidents and windows are all over shows nothing that depends on
    `now`: the key to keep its page by. None while any of them is open."""
    incidents, windows = r.view.months[month]
    if not all(map(r.over, incidents)) or not all(map(r.over, windows)):
        return None
    newer, older = _neighbours(r, month)
    return key_of(
        "month-page",
        month,
        tuple(map(r.digest, incidents)),
        tuple(map(r.digest, windows)),
        newer,
        older,
        r.view.settings,
        r.templates_digest,
    )


def _neighbours(r: Renderer, month: timeline.Month) -> tuple[timeline.Month | None, ...]:
    """The newer and older months with entries (the pager's links)."""
    months = r.once("months", lambda: list(r.view.months))
    index = months.index(month)
    newer = months[index - 1] if index > 0 else None
    older = months[index + 1] if index + 1 < len(months) else None
    return newer, older


def month_page(r: Renderer, month: timeline.Month) -> Page:
    incidents, windows = r.view.months[month]
    newer, older = _neighbours(r, month)
    name = r.lang.month(month[0], month[1])
    html = r.render(
        "month.html",
        "../../",
        month=month,
        name=name,
        incidents=[r.incident_summary(i) for i in incidents],
        maintenance=[r.maintenance_summary(m) for m in windows],
        newer=newer,
        older=older,
    )
    return Page(
        f"history/{timeline.month_slug(month)}/",
        r.lang.gettext("Incident history: %(month)s") % {"month": name},
        r.lang.gettext("Incidents and maintenance in %(month)s") % {"month": name},
        html,
    )
