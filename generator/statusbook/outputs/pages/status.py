"""The pages that say how things stand now: the home page, a page per component, and the
small embed page for an iframe."""

from __future__ import annotations

import itertools
from typing import Any

from ...model import ComponentStatus
from ...views import status as st
from ...views import timeline
from .render import Page, Renderer

HOME_DAY_LIMIT = 3


def home(r: Renderer) -> str:
    view = r.view
    now = view.now
    active = [r.incident_summary(i) for i in st.active_incidents(view.corpus, now)]
    running = [
        r.maintenance_summary(m) for m in view.corpus.maintenance if st.is_under_maintenance(m, now)
    ]
    upcoming = sorted(
        (r.maintenance_summary(m) for m in view.corpus.maintenance if st.is_upcoming(m, now)),
        key=lambda m: (m["start"], m["id"]),
    )
    recent = [
        {
            "day": day,
            "incidents": [r.incident_summary(i) for i in incidents],
            "maintenance": [r.maintenance_summary(m) for m in windows],
        }
        for day, incidents, windows in timeline.recent_days(
            view.corpus, now, view.tz, view.settings.recent_days
        )
    ]
    groups = _groups(r)
    return r.render(
        "home.html",
        "",
        overall=view.overall,
        active=active,
        running=running,
        upcoming=upcoming,
        groups=groups,
        affected=_affected(groups),
        recent=recent,
        uptime_days=view.settings.uptime_days,
        # A busy day lists its first few entries and links the rest: the home page must
        # not grow with the size of the history.
        day_limit=HOME_DAY_LIMIT,
    )


def _groups(r: Renderer) -> list[dict[str, Any]]:
    corpus = r.view.corpus
    groups = []
    for group in corpus.groups:
        members = [_component_row(r, cid) for cid in group.component_ids]
        worst = max((ComponentStatus(m["status"]) for m in members), key=lambda s: s.rank)
        groups.append(
            {
                "id": group.id,
                "name": group.name,
                "description": group.description,
                "status": worst.value,
                "components": members,
                "single": False,
            }
        )
    # A component outside any group is a section of its own, headed by its name: after
    # the groups without a heading it read as part of the last group.
    for component in corpus.components:
        if not component.group_id:
            row = _component_row(r, component.id)
            groups.append(
                {
                    "id": "",
                    "name": "",
                    "description": "",
                    "status": row["status"],
                    "components": [row],
                    "single": True,
                }
            )
    return groups


def _affected(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The components not operational now, in page order: what the banner names."""
    return [
        c
        for g in groups
        for c in g["components"]
        if c["status"] != ComponentStatus.OPERATIONAL.value
    ]


def _component_row(r: Renderer, cid: str) -> dict[str, Any]:
    component = r.components[cid]
    return {
        "id": cid,
        "name": component.name,
        "description": component.description,
        "status": r.view.statuses[cid].value,
        "strip": r.strip(cid),
    }


def component_page(r: Renderer, cid: str) -> Page:
    view = r.view
    now = view.now
    component = r.components[cid]
    related = [i for i in view.corpus.incidents if cid in i.components]
    posted = [i for i in related if i.updates[0].at <= now]
    live = [i for i in posted if st.is_active(i, now)]
    active = [r.incident_summary(i) for i in live]
    # Summaries only of the incidents shown: a component of a big site has thousands.
    closed = (i for i in posted if not st.is_active(i, now))
    shown = itertools.islice(closed, view.settings.component_recent)
    recent = [r.incident_summary(i) for i in shown]
    windows = [m for m in view.corpus.maintenance if cid in m.components]
    upcoming = [
        r.maintenance_summary(m)
        for m in windows
        if st.is_upcoming(m, now) or st.is_under_maintenance(m, now)
    ]
    # Past windows too: the uptime bar shows their days, and the page says what they were.
    over = sorted(
        (
            m
            for m in windows
            if m.start <= now and not st.is_upcoming(m, now) and not st.is_under_maintenance(m, now)
        ),
        key=lambda m: (m.start, m.id),
        reverse=True,
    )
    past = [r.maintenance_summary(m) for m in over[: view.settings.component_recent]]
    group = next((g for g in view.corpus.groups if g.id == component.group_id), None)
    html = r.render(
        "component.html",
        "../../",
        component=component,
        group=group,
        status=view.statuses[cid].value,
        strip=r.strip(cid),
        active=active,
        recent=recent,
        more=len(posted) - len(live) > len(recent),
        upcoming=upcoming,
        past_maintenance=past,
        more_maintenance=len(over) > len(past),
        uptime_days=view.settings.uptime_days,
    )
    return Page(
        f"components/{cid}/",
        component.name,
        f"{component.name}: {r.status_label(view.statuses[cid])}",
        html,
    )


def embed(r: Renderer) -> str:
    """A small standalone page for an iframe in a product's own UI (no JavaScript)."""
    now = r.view.now
    active = [r.incident_summary(i) for i in st.active_incidents(r.view.corpus, now)]
    running = [
        r.maintenance_summary(m)
        for m in r.view.corpus.maintenance
        if st.is_under_maintenance(m, now)
    ]
    return r.render(
        "embed.html",
        "../",
        overall=r.view.overall,
        active=active,
        running=running,
        site_url=r.view.settings.site_url,
    )
