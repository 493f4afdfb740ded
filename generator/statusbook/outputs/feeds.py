"""RSS 2.0 and Atom 1.0 feeds, written by feedgen so titles and messages are always escaped.

One pair for the whole site (also at Statuspage's `history.rss` / `history.atom`, which many
integrations hard-code), one pair per component and one for postmortems. An entry is one
incident or maintenance window; its id never changes as updates arrive, and `updated` is the
time of its latest update, so readers show it again when there is news.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from feedgen.feed import FeedGenerator

from ..i18n import Lang, load
from ..model import Incident, IncidentStatus, Maintenance, MaintenanceStatus, Update
from ..views import status as st
from ..views.site import SiteView
from .labels import IMPACT_LABEL, INCIDENT_STATUS_LABEL, MAINTENANCE_STATUS_LABEL, N_, translated
from .markup import Markup

MAX_ENTRIES = 100
MAX_DAYS = 90

_MAINTENANCE_TITLE = {
    MaintenanceStatus.SCHEDULED: N_("Scheduled maintenance"),
    MaintenanceStatus.IN_PROGRESS: N_("Maintenance in progress"),
    MaintenanceStatus.VERIFYING: N_("Maintenance verifying"),
    MaintenanceStatus.COMPLETED: N_("Maintenance completed"),
    MaintenanceStatus.CANCELLED: N_("Maintenance cancelled"),
}


@dataclass(frozen=True)
class Entry:
    """One feed item, independent of the feed format."""

    id: str
    title: str
    link: str
    updated: datetime
    published: datetime
    html: str
    summary: str
    categories: tuple[tuple[str, str], ...]  # (term, label)


def feed_paths() -> dict[str, str]:
    """Site-wide feed addresses, for pages that link to them."""
    return {
        "rss": "feeds/all.rss",
        "atom": "feeds/all.atom",
        "postmortems_rss": "feeds/postmortems.rss",
        "postmortems_atom": "feeds/postmortems.atom",
    }


def files(view: SiteView) -> dict[str, bytes]:
    markup = Markup(view.store)
    base = view.settings.site_url or "/"
    names = {c.id: c.name for c in view.corpus.components}
    lang = load(view.settings.language)
    _ = lang.gettext
    entries = _entries(view, markup, base, names, lang)
    site = view.settings.site_name
    everything = _("%(site)s: incidents and maintenance") % {"site": site}
    out: dict[str, bytes] = {}
    all_rss, all_atom = _render(view, entries, everything, base, "feeds/all", base)
    out["feeds/all.rss"] = all_rss
    out["feeds/all.atom"] = all_atom
    # Statuspage's addresses, kept identical so existing integrations work unchanged.
    out["history.rss"], out["history.atom"] = _render(
        view, entries, everything, base, "history", base
    )
    for component in view.corpus.components:
        mine = [e for e in entries if any(term == component.id for term, _ in e.categories)]
        rss, atom = _render(
            view,
            mine,
            f"{site}: {component.name}",
            base,
            f"feeds/components/{component.id}",
            f"{base}components/{component.id}/",
        )
        out[f"feeds/components/{component.id}.rss"] = rss
        out[f"feeds/components/{component.id}.atom"] = atom
    out["feeds/postmortems.rss"], out["feeds/postmortems.atom"] = _render(
        view,
        _postmortem_entries(view, markup, base, lang),
        _("%(site)s: postmortems") % {"site": site},
        base,
        "feeds/postmortems",
        f"{base}postmortems/",
    )
    return out


def _entries(
    view: SiteView, markup: Markup, base: str, names: dict[str, str], lang: Lang
) -> list[Entry]:
    now = view.now
    horizon = _horizon(now)
    entries: list[Entry] = []
    for incident in view.corpus.incidents:
        posted = st.updates_until(incident.updates, now)
        # Last updated before the feeds' horizon: _cap drops it, so no timeline is made
        # (at N=1,000, most of the feeds' time went into entries dropped).
        if posted and posted[-1].at >= horizon:
            entries.append(_incident_entry(incident, posted, markup, base, names, lang))
    for window in view.corpus.maintenance:
        entries.append(_maintenance_entry(window, now, markup, base, names, lang))
    return _cap(entries, now)


def _horizon(now: datetime) -> datetime:
    """The oldest update time an entry of the feeds may have."""
    return now - timedelta(days=MAX_DAYS)


def _cap(entries: list[Entry], now: datetime) -> list[Entry]:
    """Newest first; at most MAX_ENTRIES, none older than MAX_DAYS, so feeds stay small."""
    horizon = _horizon(now)
    ordered = sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)
    return [e for e in ordered if e.updated >= horizon][:MAX_ENTRIES]


def _incident_entry(
    incident: Incident,
    posted: tuple[Update, ...],
    markup: Markup,
    base: str,
    names: dict[str, str],
    lang: Lang,
) -> Entry:
    latest = posted[-1]
    labels = translated(INCIDENT_STATUS_LABEL, lang)
    state = labels[latest.status]
    if latest.status == IncidentStatus.RESOLVED.value:
        state = lang.gettext("Resolved")
    summary = f"{state}: {_plain(latest.message)}"
    return Entry(
        id=f"{base}incidents/{incident.id}/",
        title=f"[{state}] {incident.title}",
        link=f"{base}incidents/{incident.id}/",
        updated=latest.at,
        published=posted[0].at,
        html=_timeline_html(posted, labels, markup, names, lang),
        summary=summary,
        categories=(
            *((cid, names[cid]) for cid in incident.components),
            (
                f"impact-{incident.impact.value}",
                lang.gettext("%(impact)s impact")
                % {"impact": lang.gettext(IMPACT_LABEL[incident.impact.value])},
            ),
        ),
    )


def _maintenance_entry(
    window: Maintenance,
    now: datetime,
    markup: Markup,
    base: str,
    names: dict[str, str],
    lang: Lang,
) -> Entry:
    posted = st.updates_until(window.updates, now)
    state = st.maintenance_state(window, now)
    label = lang.gettext(_MAINTENANCE_TITLE[state])
    when = lang.gettext("Window: %(start)s to %(end)s.") % {
        "start": lang.time(window.start),
        "end": lang.time(window.end),
    }
    intro = f"<p>{when}</p>" + markup.html(window.body)
    labels = translated(MAINTENANCE_STATUS_LABEL, lang)
    html = intro + _timeline_html(posted, labels, markup, names, lang)
    published = posted[0].at if posted else window.start
    updated = max([published, *(u.at for u in posted)])
    if state in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.COMPLETED) and not posted:
        updated = window.start if state is MaintenanceStatus.IN_PROGRESS else window.end
    return Entry(
        id=f"{base}maintenance/{window.id}/",
        title=f"[{label}] {window.title}",
        link=f"{base}maintenance/{window.id}/",
        updated=updated,
        published=published,
        html=html,
        summary=f"{label}. {when}",
        categories=(
            *((cid, names[cid]) for cid in window.components),
            ("maintenance", lang.gettext("Maintenance")),
        ),
    )


def _postmortem_entries(view: SiteView, markup: Markup, base: str, lang: Lang) -> list[Entry]:
    incidents = {i.id: i for i in view.corpus.incidents}
    entries = []
    for pm in view.corpus.postmortems:
        covered = [incidents[i] for i in pm.incident_ids if i in incidents]
        if pm.date:
            published = datetime(pm.date.year, pm.date.month, pm.date.day, tzinfo=timezone.utc)
        elif covered:
            published = max(i.updates[-1].at for i in covered)
        else:
            continue  # no date to place it in time
        if published > view.now:
            continue
        entries.append(
            Entry(
                id=f"{base}postmortems/{pm.id}/",
                title="[" + lang.gettext("Postmortem") + "] " + pm.title,
                link=f"{base}postmortems/{pm.id}/",
                updated=published,
                published=published,
                html=markup.html(pm.body),
                summary=pm.summary or pm.title,
                categories=tuple((t, t) for t in pm.tags),
            )
        )
    return sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)[:MAX_ENTRIES]


def _timeline_html(
    updates: Iterable[Update],
    labels: dict[str, str],
    markup: Markup,
    names: dict[str, str],
    lang: Lang,
) -> str:
    parts = []
    for update in reversed(tuple(updates)):
        head = f"<p><strong>{labels[update.status]}</strong>, {lang.time(update.at)}</p>"
        changes = ""
        if update.components:
            items = "".join(
                f"<li>{_escape(names[cid])}: {lang.gettext(status.label)}</li>"
                for cid, status in update.components
            )
            changes = f"<ul>{items}</ul>"
        parts.append(head + markup.message(update.message) + changes)
    return "\n".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str, limit: int = 280) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _render(
    view: SiteView, entries: list[Entry], title: str, base: str, stem: str, home: str
) -> tuple[bytes, bytes]:
    """The same entries as RSS and as Atom; timestamps come from content, never the clock."""
    updated = entries[0].updated if entries else view.now
    outputs = []
    for kind in ("rss", "atom"):
        fg = FeedGenerator()
        fg.id(f"{base}{stem}.{kind}")
        fg.title(title)
        fg.description(view.settings.site_description or title)
        fg.link(href=home, rel="alternate")
        fg.link(href=f"{base}{stem}.{kind}", rel="self")
        fg.language(load(view.settings.language).tag)
        fg.generator("Statusbook")
        fg.updated(updated)
        fg.lastBuildDate(updated)
        for entry in reversed(entries):  # feedgen prepends: add oldest first
            fe = fg.add_entry()
            fe.id(entry.id)
            fe.guid(entry.id, permalink=False)
            fe.title(entry.title)
            fe.link(href=entry.link)
            fe.updated(entry.updated)
            fe.published(entry.published)
            fe.content(entry.html, type="html")
            if kind == "rss":
                # RSS readers render <description> as HTML: escape contributor text for them.
                fe.description(html.escape(entry.summary), isSummary=True)
            else:
                fe.summary(entry.summary)  # Atom: plain text, beside the HTML content
            for term, label in entry.categories:
                fe.category(term=term, label=label)
        data = fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)
        outputs.append(data)
    return outputs[0], outputs[1]
