"""The postmortem library: its index and the JSON its filters read, a page per postmortem
and per year, and the action items page."""

from __future__ import annotations

import json
from collections.abc import Sequence

import markupsafe

from ...cache.store import key_of
from ...model import Incident, Postmortem
from ...views import library, similar
from ..labels import IMPACT_LABEL, N_
from .render import Page, Renderer

LIBRARY_FIRST_PAGE = 30


class RelatedIndex:
    """Postmortems by tag and by component, so finding related ones never compares all pairs."""

    def __init__(self, postmortems: Sequence[Postmortem], incidents: dict[str, Incident]):
        self.by_key: dict[str, list[Postmortem]] = {}
        self.keys: dict[str, tuple[set[str], set[str]]] = {}
        for pm in postmortems:
            tags = set(pm.tags)
            comps = {c for i in pm.incident_ids if i in incidents for c in incidents[i].components}
            self.keys[pm.id] = (tags, comps)
            for key in {f"t:{t}" for t in tags} | {f"c:{c}" for c in comps}:
                self.by_key.setdefault(key, []).append(pm)

    def related(self, pm: Postmortem, limit: int) -> list[Postmortem]:
        tags, comps = self.keys[pm.id]
        scores: dict[str, int] = {}
        found: dict[str, Postmortem] = {}
        for key, weight in [*((f"t:{t}", 2) for t in tags), *((f"c:{c}", 1) for c in comps)]:
            for other in self.by_key.get(key, ()):
                if other.id != pm.id:
                    scores[other.id] = scores.get(other.id, 0) + weight
                    found[other.id] = other
        ranked = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
        return [found[i] for i in ranked]


def related_index(r: Renderer) -> RelatedIndex:
    """Built once per build (before the worker processes fork, not in every worker)."""
    return r.once("related", lambda: RelatedIndex(r.view.corpus.postmortems, r.incidents))


def related_postmortems(r: Renderer, pm: Postmortem, limit: int = 5) -> list[Postmortem]:
    """Other postmortems sharing tags or components, most shared first."""
    return related_index(r).related(pm, limit)


def library_rows(r: Renderer) -> list[library.Row]:
    view = r.view
    return r.once("rows", lambda: library.rows(view.corpus, view.now, view.tz))


def covered(r: Renderer, pm: Postmortem) -> list[Incident]:
    """The postmortem's incidents that are published and posted at `now` (a build for an
    earlier moment must not show an incident before its first update)."""
    now = r.view.now
    named = (r.incidents.get(i) for i in pm.incident_ids)
    return [i for i in named if i is not None and i.updates[0].at <= now]


def postmortem_key(r: Renderer, pm: Postmortem) -> bytes | None:
    """A postmortem whose incidents are all over shows nothing that depends on the clock
    but the day (overdue action items): the key to keep its page by for that day."""
    incidents = covered(r, pm)
    if not all(map(r.over, incidents)):
        return None
    similar_to = similar.similar_for_postmortem(pm, r.view.similar)
    return key_of(
        "postmortem-page",
        r.digest(pm),
        r.view.now.astimezone(r.view.tz).date(),
        tuple(map(r.digest, incidents)),
        tuple(r.components[c].name for i in incidents for c in i.components),
        tuple(map(r.digest, related_postmortems(r, pm))),
        tuple(r.digest(r.incidents[i]) for i, _ in similar_to),
        r.view.settings,
        r.templates_digest,
    )


def postmortem_page(r: Renderer, pm: Postmortem) -> Page:
    view = r.view
    incidents = covered(r, pm)
    body = r.markup.html(pm.body)
    table = (
        r.render(
            "_actions_table.html",
            "../../",
            items=pm.action_items,
            today=view.now.astimezone(view.tz).date(),
            show_source=False,
        )
        if pm.action_items
        else ""
    )
    if table:
        placed = end_of_section(body, '<h2 id="action-items">Action items</h2>', table)
        if placed is not None:
            body, table = placed, ""
    html = r.render(
        "postmortem.html",
        "../../",
        pm=pm,
        incidents=[r.incident_summary(i) for i in incidents],
        timelines=[(i, library.lifecycle_rows(i)) for i in incidents],
        durations=[(i, library.durations(i)) for i in incidents],
        body=markupsafe.Markup(body),
        actions_table=markupsafe.Markup(table),
        humanize=r.lang.duration,
        related=related_postmortems(r, pm),
        similar=[r.incidents[i] for i, _ in similar.similar_for_postmortem(pm, view.similar)],
    )
    title = r.lang.gettext("Postmortem: %(title)s") % {"title": pm.title}
    return Page(f"postmortems/{pm.id}/", title, pm.summary or title, html, pm.date)


def end_of_section(body: str, heading: str, insert: str) -> str | None:
    """`insert` at the end of the section under `heading` (before the next h2, or at the end):
    what the author wrote under the heading ("the table below") stays above it. None when
    the body has no such heading."""
    start = body.find(heading)
    if start < 0:
        return None
    end = body.find("<h2", start + len(heading))
    end = len(body) if end < 0 else end
    return body[:end] + insert + body[end:]


def postmortem_index(r: Renderer) -> str:
    rows = library_rows(r)
    years = sorted({row.year for row in rows}, reverse=True)
    return r.render(
        "postmortems.html",
        "../",
        rows=rows[:LIBRARY_FIRST_PAGE],
        total=len(rows),
        years=years,
        filters=_filters(r, rows),
        open_items=sum(row.open_actions for row in rows),
        overdue_items=sum(row.overdue_actions for row in rows),
    )


def _filters(r: Renderer, rows: list[library.Row]) -> dict[str, list[tuple[str, str]]]:
    names = {c.id: c.name for c in r.view.corpus.components}
    return {
        "year": [(str(y), str(y)) for y in sorted({row.year for row in rows}, reverse=True)],
        "severity": [(s, s) for s in sorted({s for row in rows for s in row.severities})],
        "impact": [
            (i, IMPACT_LABEL[i])
            for i in ("critical", "major", "minor", "none")
            if any(i in row.impacts for row in rows)
        ],
        "component": [
            (c, names[c])
            for c in sorted({c for row in rows for c in row.components}, key=lambda c: names[c])
        ],
        "tag": [(t, t) for t in sorted({t for row in rows for t in row.postmortem.tags})],
        "actions": [
            (k, r.lang.gettext(v))
            for k, v in (
                ("overdue", N_("Overdue items")),
                ("open", N_("Open items")),
                ("done", N_("All done")),
                ("none", N_("No items")),
            )
            if any(row.action_state == k for row in rows)
        ],
    }


def library_index_json(r: Renderer) -> bytes:
    """What the library's filters read: one small record per postmortem."""
    records = [
        {
            "id": row.postmortem.id,
            "title": row.postmortem.title,
            "url": f"postmortems/{row.postmortem.id}/",
            "date": row.day.isoformat(),
            "year": str(row.year),
            "summary": row.postmortem.summary,
            "impact": list(row.impacts),
            "severity": list(row.severities),
            "component": list(row.components),
            "tag": list(row.postmortem.tags),
            "actions": row.action_state,
            "open": row.open_actions,
            "overdue": row.overdue_actions,
        }
        for row in library_rows(r)
    ]
    return (
        json.dumps(
            {"version": 1, "postmortems": records}, ensure_ascii=False, separators=(",", ":")
        )
        + "\n"
    ).encode("utf-8")


def postmortem_year_page(r: Renderer, year: int) -> Page:
    rows = [row for row in library_rows(r) if row.year == year]
    years = sorted({row.year for row in library_rows(r)}, reverse=True)
    html = r.render("postmortem_year.html", "../../", year=year, rows=rows, years=years)
    return Page(
        f"postmortems/year-{year}/",
        r.lang.gettext("Postmortems %(year)s") % {"year": year},
        r.lang.gettext("Postmortems published in %(year)s") % {"year": year},
        html,
    )


def actions_page(r: Renderer) -> Page:
    view = r.view
    items = library.open_items(view.corpus, view.now, view.tz)
    html = r.render(
        "actions.html",
        "../../",
        items=items,
        overdue=sum(1 for t in items if t.overdue_days),
        rates=library.completion_by_quarter(view.corpus),
        today=view.now.astimezone(view.tz).date(),
    )
    return Page(
        "postmortems/actions/",
        r.lang.gettext("Action items"),
        r.lang.gettext("Open action items from postmortems"),
        html,
    )
