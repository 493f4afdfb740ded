"""The Renderer: one per build, it holds the compiled templates, the site's language and what
templates call (formatting, Markdown, labels, the summaries several pages share).

Templates are Jinja with autoescaping on, loaded from the site's `overrides/statusbook/` first,
then from the package.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import jinja2
import markupsafe
from jinja2.nodes import EvalContext

from ... import i18n
from ...cache.store import key_of
from ...clock import iso_z
from ...errors import Finding
from ...model import ComponentStatus, Incident, Maintenance, MaintenanceStatus, Postmortem
from ...views import status as st
from ...views import timeline
from ...views.site import SiteView
from .. import labels
from ..labels import IMPACT_LABEL, INCIDENT_STATUS_LABEL, MAINTENANCE_STATUS_LABEL
from ..markup import Markup
from ..slo_view import SloPages
from .shipped import PACKAGE_TEMPLATES, Shipped, TemplateLoader

if TYPE_CHECKING:
    from ...cache.site_cache import SiteCache

#: The templates of the pages kept in the render store, and all they import.
KEPT_PAGE_TEMPLATES = (
    "incident.html",
    "month.html",
    "postmortem.html",
    "_actions_table.html",
    "_macros.html",
    "_runbooks.html",
)

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True)
class Page:
    """One page to place in the site: its address, its head and its body."""

    path: str  # 'incidents/some-id/'
    title: str
    description: str
    html: str
    lastmod: date | None = None


class TemplateProblem(Exception):
    """A template failed to render (a site's override, usually): where, what, and how to fix
    it, for the host to report as a finding, without a traceback."""

    def __init__(self, path: str, line: int, what: str, hint: str) -> None:
        super().__init__(path, line, what, hint)  # the arguments: pickled back from a worker
        self.path, self.line, self.what, self.hint = path, line, what, hint

    def finding(self, root: Path | None = None) -> Finding:
        """As a finding; its path relative to `root` (the site's folder) when inside it."""
        path = Path(self.path)
        if root is not None and path.is_absolute() and path.is_relative_to(root):
            path = path.relative_to(root)
        return Finding(path.as_posix(), self.line, 0, self.what, self.hint)

    def __str__(self) -> str:
        return self.finding().format_text()


#: The hints of a failed template: one of the site's, or one of ours.
OVERRIDE_HINT = (
    "fix this template in the site's overrides, or remove it to use Statusbook's own "
    "(the error comes from the template, not from the content)"
)
OWN_HINT = (
    "this is Statusbook's own template: if a template in the site's overrides/statusbook/ "
    "calls it, check what it passes; otherwise please report it as a bug"
)


def template_problem(exc: Exception, template: str, site_dirs: Sequence[Path]) -> TemplateProblem:
    """The template file and line where rendering failed, with what failed. Jinja rewrites
    the traceback of any exception raised while rendering so that each frame of a template's
    code carries the template's file name and line (jinja2/debug.py,
    rewrite_traceback_stack; https://jinja.palletsprojects.com/en/stable/changes/#version-2-11-0
    "Tracebacks for exceptions in templates show the correct line numbers and source").
    The innermost frame in the site's own templates is the one to fix; else the innermost."""
    frames = list(_template_frames(exc, (*site_dirs, PACKAGE_TEMPLATES)))
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        frames.append((exc.filename, exc.lineno))
    ours = [f for f in frames if _is_inside(f[0], site_dirs)]
    path, line = (ours or frames or [(f"statusbook/{template}", 0)])[-1]
    if isinstance(exc, jinja2.TemplateError):
        what = exc.message or type(exc).__name__
    else:
        what = f"{type(exc).__name__}: {exc}"
    hint = OVERRIDE_HINT if ours else OWN_HINT
    return TemplateProblem(path, line, f"the template failed: {what}", hint)


def _template_frames(exc: BaseException, dirs: Sequence[Path]) -> Iterator[tuple[str, int]]:
    """(template file, line) of each frame of template code, outermost first."""
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if _is_inside(name, dirs):
            yield name, tb.tb_lineno
        tb = tb.tb_next


def _is_inside(filename: str, dirs: Sequence[Path]) -> bool:
    return any(filename.startswith(f"{folder}{os.sep}") for folder in dirs)


def templates_digest(dirs: Sequence[Path]) -> bytes:
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


def _environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """The environment of a set of template folders. The host's cache keeps it (it holds
    the compiled templates: compiling them costs more than rendering a small site, and `serve`
    rebuilds often); auto_reload picks up edits to overrides/."""
    env = jinja2.Environment(
        loader=TemplateLoader(list(dirs), Shipped()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
        # {% trans %} and _() in templates; the catalogue is installed per build
        # (https://jinja.palletsprojects.com/en/stable/extensions/#i18n-extension).
        extensions=["jinja2.ext.i18n"],
    )
    # {% trans %} blocks compile to calls of _gettext_callables' newstyle functions.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    # Jinja checks a filter's name when it compiles a template (and compiled.json is made
    # without a build): each build's Renderer puts its own in these places.
    env.filters.update({name: _outside_a_build(name) for name in BUILD_FILTERS})
    return env


#: The helpers a page calls many times, as filters (`u.at|iso`) as well as globals: Jinja calls
#: a filter directly, a global through Context.call, which first asks the callable whether it
#: wants the context (a fifth of an incident page's rendering). Each Renderer binds them.
BUILD_FILTERS = ("iso", "fmt_time", "fmt_day", "msg", "md", "component_name", "status_label")


def _outside_a_build(name: str) -> Callable[..., str]:
    def unbound(*_: Any) -> str:
        raise RuntimeError(f"the '{name}' filter is bound by a build's Renderer")

    return unbound


def _memo(table: dict[K, str], key: K, make: Callable[[K], str]) -> str:
    """make(key), formatted once: `table` is one of the memos the site's cache keeps."""
    found = table.get(key)
    if found is None:
        found = table[key] = make(key)
    return found


def _gettext_callables(lang: i18n.Lang) -> dict[str, Callable[..., str]]:
    """`_`, `gettext` and `ngettext` for templates: what Jinja's i18n extension installs with
    newstyle=True (the translation is a format string, its arguments escaped when
    autoescaping: https://jinja.palletsprojects.com/en/stable/extensions/#newstyle-gettext),
    in one call instead of three (its `_` calls `gettext` through the context, which calls
    the catalogue through it again: 6% of a cold build). Texts without arguments, most of
    them, are formatted once per build."""
    plain: dict[str, str] = {}

    @jinja2.pass_eval_context
    def gettext(ctx: EvalContext, message: str, **variables: Any) -> str:
        if not ctx.autoescape:
            return lang.gettext(message) % variables
        if variables:
            return markupsafe.Markup(lang.gettext(message)) % variables
        found = plain.get(message)
        if found is None:
            found = plain[message] = markupsafe.Markup(lang.gettext(message)) % variables
        return found

    @jinja2.pass_eval_context
    def ngettext(ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = lang.ngettext(singular, plural, num)
        return (markupsafe.Markup(text) if ctx.autoescape else text) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


class Renderer:
    """Renders fragments; one per build. What outlives the build (the template environment,
    formatted times) is kept in the host's `cache`; `bytecode`, a jinja2 bytecode cache, keeps
    compiled templates between processes. `keep_pages`: whether the store outlives this
    build (on disk, or in `serve`'s memory); a one-shot build without a cache keys no page."""

    def __init__(
        self,
        view: SiteView,
        template_dirs: Sequence[Path],
        cache: SiteCache,
        bytecode: Any = None,
        keep_pages: bool = True,
    ):
        self.view = view
        self.store = view.store
        self.markup = Markup(view.store)  # texts are converted once: see RenderStore.texts
        self.site_dirs = tuple(template_dirs)
        dirs = (*template_dirs, PACKAGE_TEMPLATES)
        self.env = cache.live(("jinja environment", dirs), lambda: _environment(dirs))
        self.env.bytecode_cache = bytecode  # this build's: Jinja reads it loading a template
        # Formatted times by moment, days by day: a page shows the same ones many times. Per
        # language: `serve` keeps these across rebuilds, and mkdocs.yml's language may change.
        language = view.settings.language
        self._times: dict[datetime, str] = cache.live(("formatted times", language), dict)
        self._isos: dict[datetime, str] = cache.live("iso times", dict)
        self._days: dict[date, str] = cache.live(("formatted days", language), dict)
        self.lang = i18n.load(language)
        # A kept page is stale once its catalogue changes, as when a template does.
        self.templates_digest = templates_digest(template_dirs) + i18n.catalogue_digest(
            self.lang.code
        )
        self.env.globals.update(_gettext_callables(self.lang))
        # Stored pages are keyed by what our templates show of the content. A site that
        # overrides one of those templates may show anything (even `now`): its pages of
        # closed incidents and past months are rendered on every build. A store nothing will
        # read again gets no pages: their keys cost 7% of a cold build's rendering.
        self.pages_keepable = keep_pages and not any(
            (folder / "statusbook" / name).exists()
            for folder in template_dirs
            for name in KEPT_PAGE_TEMPLATES
        )
        corpus = view.corpus
        self.components = {c.id: c for c in corpus.components}
        self.incidents = {i.id: i for i in corpus.incidents}
        self.maintenance = {m.id: m for m in corpus.maintenance}
        self.postmortems = {pm.id: pm for pm in corpus.postmortems}
        self.titles = {i.id: i.title for i in corpus.incidents}
        self.titles.update({m.id: m.title for m in corpus.maintenance})
        self.maintenance_ids = frozenset(m.id for m in corpus.maintenance)
        # key_of(entry) by the entry object itself, kept across `serve` rebuilds: the loader
        # hands back the same object for an unchanged file. Only this corpus's are kept (an
        # object in the dict is alive, so no other can take its id).
        self._digests: dict[int, tuple[Any, bytes]] = cache.live("entry digests", dict)
        alive = {id(e) for e in (*corpus.incidents, *corpus.maintenance, *corpus.postmortems)}
        for stale in self._digests.keys() - alive:
            del self._digests[stale]
        self._once: dict[str, Any] = {}
        helpers = self._globals()
        self.env.globals.update(helpers)
        self.env.filters.update({name: helpers[name] for name in BUILD_FILTERS})

    def _globals(self) -> dict[str, Any]:
        """What every template can call."""
        view, lang = self.view, self.lang
        objectives = SloPages(
            view.corpus, view.objectives, self.titles, view.settings.internal, lang
        )
        return dict(
            site_name=view.settings.site_name,
            now=view.now,
            internal=view.settings.internal,
            fmt_time=self.fmt_time,
            fmt_day=self.fmt_day,
            iso=self.iso,
            md=self.md,
            msg=self.msg,
            md_inline=self.md_inline,
            component_name=lambda cid: self.components[cid].name,
            status_label=self.status_label,
            impact_label=labels.translated(IMPACT_LABEL, lang),
            incident_status_label=labels.translated(INCIDENT_STATUS_LABEL, lang),
            maintenance_status_label=labels.translated(MAINTENANCE_STATUS_LABEL, lang),
            month_slug=timeline.month_slug,
            month_name=lambda m: lang.month(m[0], m[1]),
            fmt_duration=lang.duration,
            fmt_number=lang.number,
            lang_tag=lang.tag,
            lang_dir=lang.direction,
            lang_is_source=lang.is_source,
            in_sentence=lang.in_sentence,
            library_words=self.library_words,
            slo_component=objectives.component,
            slo_overview=objectives.overview,
        )

    def once(self, name: str, make: Callable[[], T]) -> T:
        """make(), computed once per build: what several pages read (the library's rows)."""
        if name not in self._once:
            self._once[name] = make()
        found: T = self._once[name]
        return found

    # -- formatting helpers available in templates

    def fmt_time(self, moment: datetime) -> str:
        """A moment as pages show it, formatted once per site (Babel's formats are slow)."""
        return _memo(self._times, moment, self.lang.time)

    def iso(self, moment: datetime) -> str:
        return _memo(self._isos, moment, iso_z)

    def fmt_day(self, day: date) -> str:
        return _memo(self._days, day, self.lang.day)

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
        except Exception as exc:
            # A site's override in overrides/statusbook/ may raise anything (a macro called
            # with the wrong arguments, a division by zero): name its file and line.
            raise template_problem(exc, template, self.site_dirs) from exc

    # -- what the render store keeps pages by

    def over(self, entry: Incident | Maintenance) -> bool:
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

    def digest(self, entry: Incident | Maintenance | Postmortem) -> bytes:
        """key_of(entry), once per entry object: an incident is part of several pages' keys,
        and `serve` rebuilds after an edit find every other entry's again."""
        found = self._digests.get(id(entry))
        if found is None or found[0] is not entry:
            found = self._digests[id(entry)] = (entry, key_of(entry))
        return found[1]

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
        """The component's uptime strip: a day each, with what happened on it."""
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
