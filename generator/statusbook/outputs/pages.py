"""Model -> HTML fragments for every Statusbook page. Pure: nothing here touches the disk.

The plugin places each fragment inside the theme's page chrome. Templates are Jinja with
autoescaping on, loaded from the site's `overrides/statusbook/` first, then from the package.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from .. import i18n, workers
from ..cache.store import key_of
from ..clock import format_utc, iso_z
from ..model import (
    ComponentStatus,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Postmortem,
)
from ..views import library, metrics, similar, timeline
from ..views import status as st
from ..views.site import SiteView
from . import charts, labels
from .labels import N_
from .markup import Markup
from .slo_view import SloPages

LIBRARY_FIRST_PAGE = 30
HOME_DAY_LIMIT = 3
#: The history page opens with the last 30 days, whatever the month, at most this many
#: entries (a busy site's month pages list the rest).
HISTORY_RECENT_DAYS = 30
HISTORY_RECENT_LIMIT = 100
#: The templates of the pages kept in the render store, and all they import.
KEPT_PAGE_TEMPLATES = (
    "incident.html",
    "month.html",
    "postmortem.html",
    "_actions_table.html",
    "_macros.html",
    "_runbooks.html",
)
PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

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


@dataclass(frozen=True)
class Page:
    """One page to place in the site: its address, its head and its body."""

    path: str  # 'incidents/some-id/'
    title: str
    description: str
    html: str
    lastmod: date | None = None


@functools.lru_cache(maxsize=100_000)
def _format_utc_cached(moment: datetime) -> str:
    return format_utc(moment)


@functools.lru_cache(maxsize=100_000)
def _iso_cached(moment: datetime) -> str:
    return iso_z(moment)


@functools.lru_cache(maxsize=20_000)
def _format_day_cached(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


class TemplateProblem(Exception):
    """A template failed to render; the plugin reports it without a traceback."""


class _RelatedIndex:
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


_ENVIRONMENTS: dict[tuple[Path, ...], jinja2.Environment] = {}


def _templates_digest(dirs: Sequence[Path]) -> bytes:
    """A digest of every template a page can use (the site's overrides and ours), by content:
    a cached page is stale once any of them changes, and a fresh CI checkout (new mtimes)
    still finds the pages of the previous build."""
    h = hashlib.blake2b(digest_size=16)
    for folder in (*dirs, PACKAGE_TEMPLATES):
        base = folder / "statusbook"
        if base.is_dir():
            for path in sorted(base.rglob("*.html")):
                h.update(f"{path.relative_to(folder).as_posix()}\0".encode())
                h.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
        h.update(b"\1")
    return h.digest()


def _environment(dirs: tuple[Path, ...], bytecode: Any = None) -> jinja2.Environment:
    """One environment per set of template folders for the life of the process: compiling
    the templates costs more than rendering a small site, and `serve` rebuilds often.
    auto_reload picks up edits to overrides/. `bytecode` keeps compiled templates between
    processes (a jinja2 bytecode cache)."""
    env = _ENVIRONMENTS.get(dirs)
    if env is None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(list(dirs)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,
            # {% trans %} and _() in templates; the catalogue is installed per build
            # (https://jinja.palletsprojects.com/en/stable/extensions/#i18n-extension).
            extensions=["jinja2.ext.i18n"],
        )
        _ENVIRONMENTS[dirs] = env
    env.bytecode_cache = bytecode  # this build's site: Jinja reads it when it loads a template
    return env


class Renderer:
    """Renders fragments; one per build (it holds the compiled templates and the converter)."""

    def __init__(self, view: SiteView, template_dirs: Sequence[Path] = (), bytecode: Any = None):
        self.view = view
        self.store = view.store
        self.markup = Markup(view.store)  # texts are converted once: see RenderStore.texts
        self.env = _environment((*template_dirs, PACKAGE_TEMPLATES), bytecode)
        self.lang = i18n.load(view.settings.language)
        # A kept page is stale once its catalogue changes, as when a template does.
        self.templates_digest = _templates_digest(template_dirs) + i18n.catalogue_digest(
            self.lang.code
        )
        # newstyle: _("%(n)s days", n=...) formats and escapes its arguments itself.
        self.env.install_gettext_callables(  # type: ignore[attr-defined]
            self.lang.gettext, self.lang.ngettext, newstyle=True
        )
        # Stored pages are keyed by what our templates show of the content. A site that
        # overrides one of those templates may show anything (even `now`): its pages of
        # closed incidents and past months are rendered on every build.
        self.pages_keepable = not any(
            (folder / "statusbook" / name).exists()
            for folder in template_dirs
            for name in KEPT_PAGE_TEMPLATES
        )
        self.components = {c.id: c for c in view.corpus.components}
        self.incidents = {i.id: i for i in view.corpus.incidents}
        self._rows: list[library.Row] | None = None
        self._related_index: _RelatedIndex | None = None
        self._maintenance = {m.id: m for m in view.corpus.maintenance}
        self._digests: dict[tuple[str, str], bytes] = {}
        self._months: list[timeline.Month] | None = None
        self._postmortems = {pm.id: pm for pm in view.corpus.postmortems}
        self.titles = {i.id: i.title for i in view.corpus.incidents}
        self.titles.update({m.id: m.title for m in view.corpus.maintenance})
        self.maintenance_ids = frozenset(m.id for m in view.corpus.maintenance)
        self.env.globals.update(
            site_name=view.settings.site_name,
            now=view.now,
            internal=view.settings.internal,
            fmt_time=self.fmt_time,
            fmt_day=self.fmt_day,
            iso=_iso_cached,
            md=self.md,
            msg=self.msg,
            md_inline=self.md_inline,
            component_name=lambda cid: self.components[cid].name,
            status_label=self.status_label,
            impact_label=labels.translated(IMPACT_LABEL, self.lang),
            incident_status_label=labels.translated(INCIDENT_STATUS_LABEL, self.lang),
            maintenance_status_label=labels.translated(MAINTENANCE_STATUS_LABEL, self.lang),
            month_slug=timeline.month_slug,
            month_name=lambda m: self.lang.month(m[0], m[1]),
            fmt_duration=self.lang.duration,
            fmt_number=self.lang.number,
            lang_tag=self.lang.tag,
            lang_dir=self.lang.direction,
            lang_is_source=self.lang.is_source,
            in_sentence=self.lang.in_sentence,
            library_words=self.library_words,
        )
        objectives = SloPages(
            view.corpus, view.objectives, self.titles, view.settings.internal, self.lang
        )
        self.env.globals.update(
            slo_component=objectives.component, slo_overview=objectives.overview
        )

    # -- formatting helpers available in templates

    def fmt_time(self, moment: datetime) -> str:
        if self.lang.is_source:
            return _format_utc_cached(moment)
        return self.lang.time(moment)

    def fmt_day(self, day: date) -> str:
        if self.lang.is_source:
            return _format_day_cached(day)
        return self.lang.day(day)

    def library_words(self) -> str:
        """library.js's words in the site's language, as JSON for a data attribute: counted
        ones by CLDR plural category (the script picks one with Intl.PluralRules), since
        gettext's plural rule cannot run in the browser."""
        lang = self.lang

        examples = i18n.plural_examples(lang.code).items()

        def counted(form: Callable[[int], str]) -> dict[str, str]:
            return {category: form(n) for category, n in examples}

        words = {
            "impact": lang.gettext("%(impact)s impact"),
            "impacts": {k: lang.gettext(v) for k, v in IMPACT_LABEL.items()},
            "overdue": counted(
                lambda n: lang.ngettext(
                    "%(num)s overdue action item", "%(num)s overdue action items", n
                )
            ),
            "open": counted(
                lambda n: lang.ngettext("%(num)s open action item", "%(num)s open action items", n)
            ),
            "match": counted(
                lambda n: lang.ngettext("%(num)s postmortem match", "%(num)s postmortems match", n)
            ),
            "heading": lang.gettext("Matching postmortems"),
        }
        return json.dumps(words, ensure_ascii=False, sort_keys=True)

    def status_label(self, status: str) -> str:
        return self.lang.gettext(ComponentStatus(status).label)

    def md(self, text: str) -> markupsafe.Markup:
        return markupsafe.Markup(self.markup.html(text))

    def msg(self, text: str) -> markupsafe.Markup:
        return markupsafe.Markup(self.markup.message(text))

    def md_inline(self, text: str) -> markupsafe.Markup:
        return markupsafe.Markup(self.markup.inline(text))

    def render(self, template: str, base: str, **context: Any) -> str:
        try:
            return self.env.get_template(f"statusbook/{template}").render(base=base, **context)
        except jinja2.TemplateError as exc:
            # A site's override in overrides/statusbook/ is the usual cause: name it.
            where = getattr(exc, "filename", None) or f"statusbook/{template}"
            line = getattr(exc, "lineno", None)
            raise TemplateProblem(
                f"template {where}{f':{line}' if line else ''}: {exc.message or exc}"
            ) from exc

    # -- summaries shared by several pages

    def incident_summary(self, incident: Incident) -> dict[str, Any]:
        now = self.view.now
        posted = st.updates_until(incident.updates, now)
        latest = posted[-1]
        return {
            "id": incident.id,
            "title": incident.title,
            "impact": incident.impact.value,
            "status": latest.status,
            "active": st.is_active(incident, now),
            "started": incident.started,
            "resolved_at": st.resolved_at(incident, now),
            "duration": self.lang.duration(st.duration(incident, now)),
            "latest": latest,
            "overdue": st.overdue_update(incident, now),
            "components": incident.components,
            "internal": incident.visibility.value == "internal",
            "postmortems": self.view.postmortems_by_incident.get(incident.id, []),
        }

    def maintenance_summary(self, window: Maintenance) -> dict[str, Any]:
        now = self.view.now
        posted = st.updates_until(window.updates, now)
        return {
            "id": window.id,
            "title": window.title,
            "state": st.maintenance_state(window, now).value,
            "start": window.start,
            "end": window.end,
            "length": self.lang.duration(window.end - window.start),
            "components": window.components,
            "latest": posted[-1] if posted else None,
            "internal": window.visibility.value == "internal",
        }

    def strip(self, cid: str) -> dict[str, Any]:
        up = self.view.uptime[cid]
        titles = self.titles
        days = [
            {
                "day": d.day,
                "status": d.worst.value,
                "label": self._day_label(d.day, d.worst, [titles[i] for i in d.incident_ids]),
                # What the day's details list links to: (address below the site root, title).
                "events": [
                    (
                        f"{'maintenance' if i in self.maintenance_ids else 'incidents'}/{i}/",
                        titles[i],
                    )
                    for i in d.incident_ids
                ],
            }
            for d in up.days
        ]
        percent = (
            up.percent_text
            if self.lang.is_source
            else self.lang.percent(i18n.floor_percent(up.percent))
        )
        return {"days": days, "percent": percent, "count": len(days)}

    def _day_label(self, day: date, worst: ComponentStatus, titles: list[str]) -> str:
        _ = self.lang.gettext
        text = f"{self.fmt_day(day)}: "
        if not titles:
            return text + _("no incidents")
        # One title and a count: on busy sites every day has incidents, and the strip must
        # not grow with them (the component page lists them all).
        shown = titles[0]
        if len(titles) > 1:
            more = len(titles) - 1
            shown += self.lang.ngettext(
                "; and %(n)s more incident", "; and %(n)s more incidents", more
            ) % {"n": more}
        return text + self.lang.in_sentence(_(worst.label)) + ". " + shown

    # -- pages

    def home(self) -> str:
        view = self.view
        now = view.now
        active = [self.incident_summary(i) for i in st.active_incidents(view.corpus, now)]
        running = [
            self.maintenance_summary(m)
            for m in view.corpus.maintenance
            if st.is_under_maintenance(m, now)
        ]
        upcoming = sorted(
            (
                self.maintenance_summary(m)
                for m in view.corpus.maintenance
                if st.is_upcoming(m, now)
            ),
            key=lambda m: (m["start"], m["id"]),
        )
        recent = [
            {
                "day": day,
                "incidents": [self.incident_summary(i) for i in incidents],
                "maintenance": [self.maintenance_summary(m) for m in windows],
            }
            for day, incidents, windows in timeline.recent_days(
                view.corpus, now, view.tz, view.settings.recent_days
            )
        ]
        groups = self._groups()
        return self.render(
            "home.html",
            "",
            overall=view.overall,
            active=active,
            running=running,
            upcoming=upcoming,
            groups=groups,
            affected=self._affected(groups),
            recent=recent,
            uptime_days=view.settings.uptime_days,
            # A busy day lists its first few entries and links the rest: the home page must
            # not grow with the size of the history.
            day_limit=HOME_DAY_LIMIT,
        )

    def _groups(self) -> list[dict[str, Any]]:
        view = self.view
        groups = []
        for group in view.corpus.groups:
            members = [self._component_row(cid) for cid in group.component_ids]
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
        for component in view.corpus.components:
            if not component.group_id:
                row = self._component_row(component.id)
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

    def _affected(self, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The components not operational now, in page order: what the banner names."""
        return [
            c
            for g in groups
            for c in g["components"]
            if c["status"] != ComponentStatus.OPERATIONAL.value
        ]

    def _component_row(self, cid: str) -> dict[str, Any]:
        component = self.components[cid]
        return {
            "id": cid,
            "name": component.name,
            "description": component.description,
            "status": self.view.statuses[cid].value,
            "strip": self.strip(cid),
        }

    def _incident_key(self, incident: Incident) -> bytes | None:
        """A closed incident's page depends only on the incident, its postmortems and the
        names it shows, not on `now`: the key to keep it by in the store (most pages of a
        big site). None for an open incident."""
        if not self._over(incident):
            return None
        similar_to = self.view.similar.get(incident.id, [])
        return key_of(
            "incident-page",
            self._digest(incident),
            tuple(map(self._digest, self.view.postmortems_by_incident.get(incident.id, []))),
            tuple(self.components[c].name for c in incident.components),
            tuple(self._digest(self.incidents[i]) for i, _ in similar_to),
            self.view.settings,
            self.templates_digest,
        )

    def _over(self, entry: Incident | Maintenance) -> bool:
        """Whether nothing about the entry can change with the clock any more: every update
        posted and the incident resolved, or the window's end passed and its state final."""
        now = self.view.now
        if entry.updates and entry.updates[-1].at > now:
            return False
        if isinstance(entry, Incident):
            # A declared lifecycle time (resolved: ...) counts only once it has passed.
            return entry.updates[-1].status == "resolved" and all(
                at <= now for _, at in entry.lifecycle
            )
        final = (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED)
        return entry.end <= now and st.maintenance_state(entry, now) in final

    def _digest(self, entry: Incident | Maintenance | Postmortem) -> bytes:
        """key_of(entry), once per build: an incident is part of several pages' keys."""
        name = (type(entry).__name__, entry.id)  # a postmortem may share an incident's id
        found = self._digests.get(name)
        if found is None:
            found = self._digests[name] = key_of(entry)
        return found

    def _month_key(self, month: timeline.Month) -> bytes | None:
        """A month whose incidents and windows are all over shows nothing that depends on
        `now`: the key to keep its page by. None while any of them is open."""
        incidents, windows = self.view.months[month]
        if not all(map(self._over, incidents)) or not all(map(self._over, windows)):
            return None
        newer, older = self._neighbours(month)
        return key_of(
            "month-page",
            month,
            tuple(map(self._digest, incidents)),
            tuple(map(self._digest, windows)),
            newer,
            older,
            self.view.settings,
            self.templates_digest,
        )

    def _neighbours(self, month: timeline.Month) -> tuple[timeline.Month | None, ...]:
        """The newer and older months with entries (the pager's links)."""
        if self._months is None:
            self._months = list(self.view.months)
        months = self._months
        index = months.index(month)
        newer = months[index - 1] if index > 0 else None
        older = months[index + 1] if index + 1 < len(months) else None
        return newer, older

    def _job_key(self, job: tuple[str, Any]) -> bytes | None:
        """The key to keep the job's page by in the store, or None when it is rendered on
        every build (it depends on the clock, or the site overrides its templates)."""
        kind, what = job
        if not self.pages_keepable:
            return None
        if kind == "incident":
            return self._incident_key(self.incidents[what])
        if kind == "month":
            return self._month_key(what)
        if kind == "postmortem":
            return self._postmortem_key(self._postmortems[what])
        return None

    def _incident_page(self, incident: Incident) -> Page:
        summary = self.incident_summary(incident)
        posted = st.updates_until(incident.updates, self.view.now)
        html = self.render(
            "incident.html",
            "../../",
            incident=incident,
            summary=summary,
            updates=timeline.newest_first(posted),
            month=timeline.month_of(incident.started, self.view.tz),
            similar=[self.incidents[i] for i, _ in self.view.similar.get(incident.id, [])],
        )
        _ = self.lang.gettext
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

    def maintenance_page(self, window: Maintenance) -> Page:
        summary = self.maintenance_summary(window)
        posted = st.updates_until(window.updates, self.view.now)
        html = self.render(
            "maintenance.html",
            "../../",
            window=window,
            summary=summary,
            updates=timeline.newest_first(posted),
            # Upcoming windows have no history month yet.
            month=(
                timeline.month_of(window.start, self.view.tz)
                if timeline.month_of(window.start, self.view.tz) in self.view.months
                else None
            ),
        )
        state = self.lang.gettext(MAINTENANCE_STATUS_LABEL[summary["state"]])
        return Page(
            f"maintenance/{window.id}/",
            window.title,
            self.lang.gettext("Scheduled maintenance (%(state)s), %(start)s")
            % {"state": self.lang.in_sentence(state), "start": self.fmt_time(window.start)},
            html,
            (posted[-1].at if posted else window.start).date(),
        )

    def component_page(self, cid: str) -> Page:
        view = self.view
        component = self.components[cid]
        related = [i for i in view.corpus.incidents if cid in i.components]
        posted = [i for i in related if i.updates[0].at <= view.now]
        live = [i for i in posted if st.is_active(i, view.now)]
        active = [self.incident_summary(i) for i in live]
        # Summaries only of the incidents shown: a component of a big site has thousands.
        closed = (i for i in posted if not st.is_active(i, view.now))
        shown = itertools.islice(closed, view.settings.component_recent)
        recent = [self.incident_summary(i) for i in shown]
        windows = [m for m in view.corpus.maintenance if cid in m.components]
        upcoming = [
            self.maintenance_summary(m)
            for m in windows
            if st.is_upcoming(m, view.now) or st.is_under_maintenance(m, view.now)
        ]
        # Past windows too: the uptime bar shows their days, and the page says what they were.
        over = sorted(
            (
                m
                for m in windows
                if m.start <= view.now
                and not st.is_upcoming(m, view.now)
                and not st.is_under_maintenance(m, view.now)
            ),
            key=lambda m: (m.start, m.id),
            reverse=True,
        )
        past = [self.maintenance_summary(m) for m in over[: view.settings.component_recent]]
        group = next((g for g in view.corpus.groups if g.id == component.group_id), None)
        html = self.render(
            "component.html",
            "../../",
            component=component,
            group=group,
            status=view.statuses[cid].value,
            strip=self.strip(cid),
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
            f"{component.name}: {self.status_label(view.statuses[cid])}",
            html,
        )

    def _month_page(self, month: timeline.Month) -> Page:
        incidents, windows = self.view.months[month]
        newer, older = self._neighbours(month)
        name = self.lang.month(month[0], month[1])
        html = self.render(
            "month.html",
            "../../",
            month=month,
            name=name,
            incidents=[self.incident_summary(i) for i in incidents],
            maintenance=[self.maintenance_summary(m) for m in windows],
            newer=newer,
            older=older,
        )
        return Page(
            f"history/{timeline.month_slug(month)}/",
            self.lang.gettext("Incident history: %(month)s") % {"month": name},
            self.lang.gettext("Incidents and maintenance in %(month)s") % {"month": name},
            html,
        )

    def history_index(self) -> str:
        years: dict[int, list[dict[str, Any]]] = {}
        for month, (incidents, windows) in self.view.months.items():
            years.setdefault(month[0], []).append(
                {"month": month, "incidents": len(incidents), "maintenance": len(windows)}
            )
        view = self.view
        found = timeline.recent_entries(view.corpus, view.now, view.tz, HISTORY_RECENT_DAYS)
        recent = [
            (
                ("incident", self.incident_summary(entry))
                if isinstance(entry, Incident)
                else ("maintenance", self.maintenance_summary(entry))
            )
            for entry in found[:HISTORY_RECENT_LIMIT]
        ]
        return self.render(
            "history.html",
            "../",
            years=years,
            recent=recent,
            recent_days=HISTORY_RECENT_DAYS,
            more=len(found) - len(recent),
            latest=next(iter(view.months), None),  # for overrides written for 0.1
        )

    def _postmortem_key(self, pm: Postmortem) -> bytes | None:
        """A postmortem whose incidents are all over shows nothing that depends on the clock
        but the day (overdue action items): the key to keep its page by for that day."""
        covered = self._covered(pm)
        if not all(map(self._over, covered)):
            return None
        similar_to = similar.similar_for_postmortem(pm, self.view.similar)
        return key_of(
            "postmortem-page",
            self._digest(pm),
            self.view.now.astimezone(self.view.tz).date(),
            tuple(map(self._digest, covered)),
            tuple(self.components[c].name for i in covered for c in i.components),
            tuple(map(self._digest, self.related_postmortems(pm))),
            tuple(self._digest(self.incidents[i]) for i, _ in similar_to),
            self.view.settings,
            self.templates_digest,
        )

    def _covered(self, pm: Postmortem) -> list[Incident]:
        """The postmortem's incidents that are published and posted at `now` (a build for an
        earlier moment must not show an incident before its first update)."""
        now = self.view.now
        named = (self.incidents.get(i) for i in pm.incident_ids)
        return [i for i in named if i is not None and i.updates[0].at <= now]

    def _postmortem_page(self, pm: Postmortem) -> Page:
        view = self.view
        covered = self._covered(pm)
        today = view.now.astimezone(view.tz).date()
        body = self.markup.html(pm.body)
        table = (
            self.render(
                "_actions_table.html",
                "../../",
                items=pm.action_items,
                today=today,
                show_source=False,
            )
            if pm.action_items
            else ""
        )
        if table:
            placed = _end_of_section(body, '<h2 id="action-items">Action items</h2>', table)
            if placed is not None:
                body, table = placed, ""
        html = self.render(
            "postmortem.html",
            "../../",
            pm=pm,
            incidents=[self.incident_summary(i) for i in covered],
            timelines=[(i, library.lifecycle_rows(i)) for i in covered],
            durations=[(i, library.durations(i)) for i in covered],
            body=markupsafe.Markup(body),
            actions_table=markupsafe.Markup(table),
            humanize=self.lang.duration,
            related=self.related_postmortems(pm),
            similar=[
                self.incidents[i] for i, _ in similar.similar_for_postmortem(pm, self.view.similar)
            ],
        )
        return Page(
            f"postmortems/{pm.id}/",
            self.lang.gettext("Postmortem: %(title)s") % {"title": pm.title},
            pm.summary or self.lang.gettext("Postmortem: %(title)s") % {"title": pm.title},
            html,
            pm.date,
        )

    def related_postmortems(self, pm: Postmortem, limit: int = 5) -> list[Postmortem]:
        """Other postmortems sharing tags or components, most shared first."""
        return self.related_postmortems_index().related(pm, limit)

    def related_postmortems_index(self) -> _RelatedIndex:
        if self._related_index is None:
            self._related_index = _RelatedIndex(self.view.corpus.postmortems, self.incidents)
        return self._related_index

    def library_rows(self) -> list[library.Row]:
        if self._rows is None:
            self._rows = library.rows(self.view.corpus, self.view.now, self.view.tz)
        return self._rows

    def postmortem_index(self) -> str:
        rows = self.library_rows()
        years = sorted({r.year for r in rows}, reverse=True)
        return self.render(
            "postmortems.html",
            "../",
            rows=rows[:LIBRARY_FIRST_PAGE],
            total=len(rows),
            years=years,
            filters=self._filters(rows),
            open_items=sum(r.open_actions for r in rows),
            overdue_items=sum(r.overdue_actions for r in rows),
        )

    def _filters(self, rows: list[library.Row]) -> dict[str, list[tuple[str, str]]]:
        names = {c.id: c.name for c in self.view.corpus.components}
        return {
            "year": [(str(y), str(y)) for y in sorted({r.year for r in rows}, reverse=True)],
            "severity": [(s, s) for s in sorted({s for r in rows for s in r.severities})],
            "impact": [
                (i, IMPACT_LABEL[i])
                for i in ("critical", "major", "minor", "none")
                if any(i in r.impacts for r in rows)
            ],
            "component": [
                (c, names[c])
                for c in sorted({c for r in rows for c in r.components}, key=lambda c: names[c])
            ],
            "tag": [(t, t) for t in sorted({t for r in rows for t in r.postmortem.tags})],
            "actions": [
                (k, self.lang.gettext(v))
                for k, v in (
                    ("overdue", N_("Overdue items")),
                    ("open", N_("Open items")),
                    ("done", N_("All done")),
                    ("none", N_("No items")),
                )
                if any(r.action_state == k for r in rows)
            ],
        }

    def library_index_json(self) -> bytes:
        """What the library's filters read: one small record per postmortem."""
        records = [
            {
                "id": r.postmortem.id,
                "title": r.postmortem.title,
                "url": f"postmortems/{r.postmortem.id}/",
                "date": r.day.isoformat(),
                "year": str(r.year),
                "summary": r.postmortem.summary,
                "impact": list(r.impacts),
                "severity": list(r.severities),
                "component": list(r.components),
                "tag": list(r.postmortem.tags),
                "actions": r.action_state,
                "open": r.open_actions,
                "overdue": r.overdue_actions,
            }
            for r in self.library_rows()
        ]
        return (
            json.dumps(
                {"version": 1, "postmortems": records}, ensure_ascii=False, separators=(",", ":")
            )
            + "\n"
        ).encode("utf-8")

    def postmortem_year_page(self, year: int) -> Page:
        rows = [r for r in self.library_rows() if r.year == year]
        years = sorted({r.year for r in self.library_rows()}, reverse=True)
        html = self.render("postmortem_year.html", "../../", year=year, rows=rows, years=years)
        return Page(
            f"postmortems/year-{year}/",
            self.lang.gettext("Postmortems %(year)s") % {"year": year},
            self.lang.gettext("Postmortems published in %(year)s") % {"year": year},
            html,
        )

    def metrics_page(self) -> Page:
        """Response times and incident counts; internal editions group by severity."""
        view = self.view
        group_by = "severity" if view.settings.internal else "impact"
        order = view.settings.severities if group_by == "severity" else None
        data = metrics.compute(view.corpus, view.now, view.tz, group_by, order)

        def hours(value: Any) -> float | None:
            return metrics.in_hours(value)

        lang = self.lang
        _ = lang.gettext

        def fmt(h: float) -> str:
            return lang.reunit(metrics.format_duration(timedelta(hours=h)))

        def duration(value: timedelta | None) -> str:
            return lang.reunit(metrics.format_duration(value))

        def count(v: float) -> str:
            return lang.ngettext("%(num)s incident", "%(num)s incidents", int(v)) % {
                "num": lang.number(int(v))
            }

        # English keeps the charts' own unit words ('1 incident'); others say them through
        # the catalogue and the locale's unit names.
        incidents_unit = "incidents" if lang.is_source else _("incidents")
        per_month_fmt = None if lang.is_source else count
        no_data = "no data" if lang.is_source else _("no data")
        quarters = [q for q in data.quarters if q.count]
        q_labels = [metrics.quarter_label(q.key) for q in quarters]
        ttr_series = [
            (_("Median"), [hours(q.ttr.median) for q in quarters]),
            (_("90th percentile"), [hours(q.ttr.p90) for q in quarters]),
        ]
        recent_months = data.months[-24:]
        per_month = data.per_month[-24:]
        names = {c.id: c.name for c in view.corpus.components}
        component_rows = [
            (names[c.component_id], c.counts[-12:], c.total) for c in data.per_component
        ]
        excluded: dict[str, dict[str, list[str]]] = {}
        for stat in data.overall.stats:
            reasons: dict[str, list[str]] = {}
            for e in stat.excluded:
                reasons.setdefault(e.reason, []).append(e.incident_id)
            excluded[stat.label] = reasons
        html = self.render(
            "metrics.html",
            "../../",
            data=data,
            group_by=group_by,
            fmt_duration=duration,
            ttr_chart=markupsafe.Markup(
                charts.bar_chart(
                    _("Time to resolve by quarter"),
                    _("Median and 90th percentile time from start to resolution, per quarter"),
                    q_labels,
                    ttr_series,
                    lang.unit_name("h"),
                    chart_id="ttr-quarter",
                    fmt=fmt,
                )
            )
            if quarters
            else "",
            ttr_table=markupsafe.Markup(
                charts.data_table(
                    _("Time to resolve by quarter"),
                    q_labels,
                    ttr_series,
                    lang.unit_name("h"),
                    label_header=_("Quarter"),
                    fmt=fmt,
                    missing=no_data,
                )
            )
            if quarters
            else "",
            month_chart=markupsafe.Markup(
                charts.line_or_bar_by_month(
                    _("Incidents per month"),
                    _("Incidents started each month, last %(n)s months")
                    % {"n": len(recent_months)},
                    list(recent_months),
                    [(_("Incidents"), list(per_month))],
                    incidents_unit,
                    chart_id="per-month",
                    fmt=per_month_fmt,
                )
            )
            if recent_months
            else "",
            month_table=markupsafe.Markup(
                charts.data_table(
                    _("Incidents per month"),
                    list(recent_months),
                    [(_("Incidents"), list(per_month))],
                    incidents_unit,
                    label_header=_("Month"),
                    fmt=per_month_fmt,
                    missing=no_data,
                )
            )
            if recent_months
            else "",
            months=data.months[-12:],
            component_rows=component_rows,
            excluded=excluded,
        )
        return Page(
            "postmortems/metrics/",
            self.lang.gettext("Incident metrics"),
            self.lang.gettext(
                "Time to detect, acknowledge, mitigate and resolve, and incident counts"
            ),
            html,
        )

    def actions_page(self) -> Page:
        view = self.view
        items = library.open_items(view.corpus, view.now, view.tz)
        html = self.render(
            "actions.html",
            "../../",
            items=items,
            overdue=sum(1 for t in items if t.overdue_days),
            rates=library.completion_by_quarter(view.corpus),
            today=view.now.astimezone(view.tz).date(),
        )
        return Page(
            "postmortems/actions/",
            self.lang.gettext("Action items"),
            self.lang.gettext("Open action items from postmortems"),
            html,
        )

    def embed(self) -> str:
        """A small standalone page for an iframe in a product's own UI (no JavaScript)."""
        now = self.view.now
        active = [self.incident_summary(i) for i in st.active_incidents(self.view.corpus, now)]
        running = [
            self.maintenance_summary(m)
            for m in self.view.corpus.maintenance
            if st.is_under_maintenance(m, now)
        ]
        return self.render(
            "embed.html",
            "../",
            overall=self.view.overall,
            active=active,
            running=running,
            site_url=self.view.settings.site_url,
        )

    def page_jobs(self) -> list[tuple[str, Any]]:
        """Every page placed at depth two (`kind/id/`), in a fixed order, as (kind, what):
        small values a worker process can render from its own copy of this renderer."""
        now = self.view.now
        corpus = self.view.corpus
        return [
            *(("incident", i.id) for i in corpus.incidents if i.updates[0].at <= now),
            *(("maintenance", m.id) for m in corpus.maintenance),
            *(("component", c.id) for c in corpus.components),
            *(("month", month) for month in self.view.months),
            *(("postmortem", pm.id) for pm in corpus.postmortems),
            *(("year", y) for y in sorted({r.year for r in self.library_rows()}, reverse=True)),
            ("actions", None),
            ("metrics", None),
        ]

    def render_job(self, job: tuple[str, Any]) -> Page:
        """The job's page, rendered (all_stamped_pages looks in the store first)."""
        kind, what = job
        if kind == "incident":
            return self._incident_page(self.incidents[what])
        if kind == "maintenance":
            return self.maintenance_page(self._maintenance[what])
        if kind == "component":
            return self.component_page(what)
        if kind == "month":
            return self._month_page(what)
        if kind == "postmortem":
            return self._postmortem_page(self._postmortems[what])
        if kind == "year":
            return self.postmortem_year_page(what)
        return self.actions_page() if kind == "actions" else self.metrics_page()

    def all_stamped_pages(self, jobs: list[tuple[str, Any]] | None = None) -> list[Page]:
        """Every page placed at depth two (`kind/id/`), in page_jobs' order: from the store
        when it holds them, else rendered, by one worker process per core when there are
        many (each page is a pure function of the view, which the workers inherit when they
        fork), and then kept in the store when they can be. `jobs`: page_jobs(), if known."""
        jobs = self.page_jobs() if jobs is None else jobs
        keys = [self._job_key(job) for job in jobs]
        found = [self.store.get(key) if key is not None else None for key in keys]
        todo = [n for n, page in enumerate(found) if page is None]
        firsts: dict[str, int] = {}
        for n in todo:
            firsts.setdefault(jobs[n][0], n)
        # One page of each kind here first: the templates are compiled once, before the
        # workers fork, not once in every worker.
        for n in firsts.values():
            found[n] = self.render_job(jobs[n])
        rest = [n for n in todo if found[n] is None]
        self.related_postmortems_index()  # built once, before the fork, not in every worker
        results = workers.map_batches(
            _render_batch, [jobs[n] for n in rest], self, min_items=workers.MIN_PAGES
        )
        if results is None:  # few pages, one core, or no way to fork here
            for n in rest:
                found[n] = self.render_job(jobs[n])
        else:
            for n, (page, fresh, used) in zip(rest, results, strict=True):
                self.store.absorb(fresh, used)  # the Markdown the worker converted
                found[n] = page
        pages = [page for page in found if page is not None]
        assert len(pages) == len(jobs)
        for n in todo:
            key = keys[n]
            if key is not None:
                self.store.put(key, pages[n])
        return pages


def _end_of_section(body: str, heading: str, insert: str) -> str | None:
    """`insert` at the end of the section under `heading` (before the next h2, or at the end):
    what the author wrote under the heading ("the table below") stays above it. None when
    the body has no such heading."""
    start = body.find(heading)
    if start < 0:
        return None
    end = body.find("<h2", start + len(heading))
    end = len(body) if end < 0 else end
    return body[:end] + insert + body[end:]


def _render_batch(
    jobs: Sequence[tuple[str, Any]], renderer: Renderer
) -> list[tuple[Page, dict[bytes, Any], set[bytes]]]:
    """In a worker: each job's page, with the Markdown it added to and used of the store."""
    out = []
    renderer.store.drain()
    for job in jobs:
        page = renderer.render_job(job)
        out.append((page, *renderer.store.drain()))
    return out
