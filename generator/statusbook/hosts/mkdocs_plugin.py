"""MkDocs glue: load and validate content, add our pages, place them in the theme's chrome.

Pages that exist once (home, history, postmortems) are ordinary MkDocs pages whose content we
fill in. Pages that exist once per incident, maintenance, component, month or postmortem are
"stamped": MkDocs renders one hidden shell page at the same depth, and we pour each fragment
into a copy of it. Material renders its full header and nav for every page, which would cost
several milliseconds per incident on large sites; the shell pays that once.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from .. import workers
from ..cache.site_cache import SiteCache
from ..clock import format_utc
from ..content import load as content
from ..context import BuildContext
from ..errors import Finding, Severity, format_findings, summary_line
from ..model import Corpus
from ..notify.changes import files as state_files
from ..outputs import collect_files
from ..outputs.pages import history, postmortems, stamped, status
from ..outputs.pages.render import Page, Renderer, TemplateProblem
from ..views.site import Settings, SiteView
from ..views.visibility import internal_view, public_view
from . import material
from .language import site_language_code
from .plugin_options import StatusbookConfig
from .preview import EMPTY_CORPUS, problems_banner
from .site_files import (
    ASSETS,
    CONTENT_MARK,
    CSS_URI,
    DESC_MARK,
    FAVICON_URI,
    JS_URI,
    PALETTE_URI,
    PROGRESS_EVERY,
    SHELL_URI,
    TITLE_MARK,
    UPTIME_JS_URI,
    _stamp,
    add_csp,
    add_head_links,
    index_postmortems,
    lighten,
    lighten_styles_of,
    minify_css,
    status_favicon,
    theme_fixed,
    write_pages,
    write_sitemap,
)
from .theme_code import ThemeCode

log = get_plugin_logger(__name__)


class _HideShellSkip(logging.Filter):
    """MkDocs reports the shell page, which we render but never write, as skipped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return SHELL_URI not in record.getMessage()


logging.getLogger("mkdocs.commands.build").addFilter(_HideShellSkip())

_GENERATED_PAGES = {
    "index.md": ("", "home"),
    "history/index.md": ("History", "history"),
    "postmortems/index.md": ("Postmortems", "postmortems"),
}


def _page_source(title: str) -> str:
    """The Markdown source of a page the plugin fills in. None of them is indexed for search:
    the page shell has no content of its own, and the home page, history and postmortem
    library list what has a page of its own (they filled 88% of the example site's index,
    repeating the text of every card)."""
    lines = ["---"]
    if title:
        lines.append(f"title: {title}")
    lines += ["hide: [navigation, toc]", "search: {exclude: true}", "---"]
    return "\n".join(lines) + "\n"


class StatusbookPlugin(BasePlugin[StatusbookConfig]):
    """Registered as `statusbook` under the `mkdocs.plugins` entry point."""

    def __init__(self) -> None:
        self.view: SiteView | None = None
        self.renderer: Renderer | None = None
        self.shell: str | None = None
        self.pages_written: list[Page] = []
        #: This build's rendered fragments (on_pre_build): the pages MkDocs holds, by kind,
        #: and the stamped pages (`kind/id/`).
        self.fragments: dict[str, str] = {}
        self.stamped: list[Page] = []
        self.home_css: tuple[str, bytes] | None = None
        self.root = Path(".")
        self.bytecode: Any = None  # Jinja's bytecode cache for this site, or None
        self.theme_code: ThemeCode | None = None  # what MkDocs' theme environment got
        self.files: Files | None = None
        #: The one cache of this site: made here, kept across `serve` rebuilds, handed down.
        self.cache: SiteCache | None = None
        self.command = "build"
        #: Set by `statusbook build`; otherwise (mkdocs build, serve) made from the environment.
        self.context: BuildContext | None = None
        self.cache_on = True  # the site's `cache` option and the context's switch
        # What each build wrote (path -> digest): `serve` skips unchanged files.
        self._last_written: dict[Path, bytes] = {}
        self._now_written: dict[Path, bytes] = {}
        # `serve`: each page file written, with what it was made of and its digest.
        self._stamped: dict[Path, tuple[tuple[str, str, Page], bytes]] = {}
        # `serve` only: the last content that validated, and the errors of the content on disk
        # when it does not (shown on every page while the last good site is served).
        self._good: Corpus | None = None
        self.problems: list[Finding] = []
        self._shown_problems: list[Finding] = []

    def _write(self, target: Path, data: bytes) -> None:
        """Write a file unless the previous build (under `serve --dirty`) left it the same."""
        if self.command == "serve":
            digest = hashlib.blake2b(data, digest_size=16).digest()
            self._now_written[target] = digest
            if self._last_written.get(target) == digest and target.is_file():
                return
        else:  # one build per process: nothing to compare with (30 MB hashed at N=1,000)
            self._now_written[target] = b""
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def _forget_stale(self, site_dir: Path) -> None:
        """Remove what the previous build wrote and this one did not (a deleted incident)."""
        for target in self._last_written.keys() - self._now_written.keys():
            if site_dir in target.parents:
                target.unlink(missing_ok=True)
        self._last_written, self._now_written = self._now_written, {}

    # -- events, in the order MkDocs fires them

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object alive across `serve` rebuilds.
        self.command = command

    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Validate before MkDocs cleans the site directory: bad content must leave it untouched.
        opts = self.config
        context = self._build_context(config)
        now = context.now
        root = Path(config.config_file_path or ".").resolve().parent
        self.root = root
        content_dir = (root / opts.content_dir).resolve()
        good = self._accept(self._load(root, context))
        internal = opts.internal or context.internal
        assert self.cache is not None  # made by _load
        kept = self.cache.live("public entries", dict)
        corpus = internal_view(good) if internal else public_view(good, kept)
        settings = _settings(
            config, opts, internal, site_language_code(opts.language, config.theme, log.warning)
        )
        self.cache.render.begin()
        self.view = SiteView(corpus, now, settings, self.cache.render)
        custom = config.theme.custom_dir
        self.bytecode = self.cache.templates()
        self.renderer = Renderer(
            self.view,
            [Path(custom)] if custom else [],
            self.cache,
            self.bytecode,
            keep_pages=self.cache.enabled or self.command == "serve",
        )
        self.shell = None
        self.home_css = None
        _add_assets(config, content_dir)
        if self.command != "serve":
            workers.freeze_heap()
        return config

    def _build_context(self, config: MkDocsConfig) -> BuildContext:
        """The build's context: the one `statusbook build` handed in, else made from the
        environment and mkdocs.yml; the settings it depends on are checked first."""
        opts = self.config
        if not config.use_directory_urls:
            raise PluginError("statusbook needs 'use_directory_urls: true' in mkdocs.yml")
        try:
            ZoneInfo(opts.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise PluginError(
                f"statusbook: timezone '{opts.timezone}' is not an IANA timezone "
                "(e.g. UTC, Europe/Berlin, America/New_York)"
            ) from exc
        try:
            context = self.context or BuildContext.from_environment(os.environ, pinned=opts.now)
        except ValueError as exc:
            raise PluginError(f"statusbook: {exc}") from exc
        now = context.now
        self.cache_on = opts.cache and context.cache
        if opts.now is not None and now == opts.now:
            # Info, not a warning: the example site pins its moment on purpose, and --strict
            # must still build it. New entries written after this moment are not shown.
            log.info(
                f"Building as of {format_utc(now)}, the moment mkdocs.yml pins "
                "(now:); entries after it are not shown. --now now builds for the clock."
            )
        return context

    def _load(self, root: Path, context: BuildContext) -> content.LoadResult:
        """Read and check the content, through this site's cache; warnings are logged."""
        opts = self.config
        # The lint runs in builds only when the site made it able to fail one: a wording
        # warning must never hold back an incident update. Without `lint:` options the rules
        # only warn, and the lint module is not even imported (40 ms).
        gated = None
        if opts.lint:
            from ..lint.site import SiteLint

            lint = SiteLint.of(opts)
            gated = lint if lint.rules is None or lint.rules.gates_build else None
        # `serve` keeps its cache in memory between rebuilds; a build starts from the files.
        if (
            self.cache is None
            or self.command != "serve"
            or self.cache.root != root
            or self.cache.requested != self.cache_on
        ):
            self.cache = SiteCache(root, self.cache_on)
        result = content.load_configured(
            root,
            opts,
            lint=gated,
            cache=True,
            no_cache=not context.cache,
            # Content may not be dated after the real time (not `now`, which --now moves).
            clock=context.clock,
            site_cache=self.cache,
        )
        for finding in result.findings:
            if finding.severity is Severity.WARNING:
                log.warning(finding.format_text())
        return result

    def _accept(self, result: content.LoadResult) -> Corpus:
        """The corpus to build: the content, or with errors, under `serve`, the last content
        that had none (errors stop any other build)."""
        self.problems = []
        if result.corpus is None:
            errors = result.errors
            if self.command != "serve":
                raise PluginError(
                    format_findings(errors) + f"\n\n{summary_line(errors)}; nothing was built. "
                    "Run `statusbook validate` to check again."
                )
            # A failed build leaves MkDocs' preview server waiting for a good one, and every
            # request with it: serve the last good content instead (or none yet), with the
            # errors on every page, until the files are fixed.
            log.error(format_findings(errors) + f"\n\n{summary_line(errors)}")
            self.problems = errors
        else:
            self._good = result.corpus
        return result.corpus or self._good or EMPTY_CORPUS

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # Material's templates: their code as shipped (theme_code.py), else the site's cache's.
        if env.bytecode_cache is None:
            env.bytecode_cache = self.theme_code = ThemeCode(self.bytecode)
        return env

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.command == "serve" and self.problems != self._shown_problems:
            # Dirty rebuilds skip pages whose source is older than their output: make the
            # site's own pages (pages/) older, so each shows the errors, or stops showing them.
            for file in files.documentation_pages():
                if file.abs_src_path and os.path.isfile(file.abs_dest_path):
                    os.utime(file.abs_dest_path, (0, 0))
            self._shown_problems = list(self.problems)
        for src_uri, (title, _) in _GENERATED_PAGES.items():
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(
                    f"statusbook generates '{src_uri}', but {config.docs_dir} has one too: "
                    "rename or remove yours"
                )
            files.append(File.generated(config, src_uri, content=_page_source(title)))
        files.append(
            File.generated(
                config,
                SHELL_URI,
                content=_page_source(TITLE_MARK) + f"\n<!-- {DESC_MARK} -->\n",
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
        files.append(
            File.generated(
                config,
                CSS_URI,
                content=minify_css((ASSETS / "statusbook.css").read_text("utf-8") + material.CSS),
            )
        )
        files.append(File.generated(config, JS_URI, abs_src_path=str(ASSETS / "library.js")))
        files.append(File.generated(config, PALETTE_URI, abs_src_path=str(ASSETS / "palette.js")))
        files.append(File.generated(config, UPTIME_JS_URI, abs_src_path=str(ASSETS / "uptime.js")))
        files.append(File.generated(config, material.JS_URI, content=material.JS))
        self.files = files
        return files

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Every template of ours is rendered here, before MkDocs empties the site folder: a
        # template that fails (a site's override) stops the build with the site as it was,
        # under `mkdocs build` too, which has no staging folder to swap in. (build() fires
        # on_pre_build, then cleans site_dir unless dirty: mkdocs/commands/build.py, 1.6;
        # https://www.mkdocs.org/dev-guide/plugins/#on_pre_build)
        assert self.renderer is not None
        try:
            self._render_all(self.renderer)
        except TemplateProblem as exc:
            raise PluginError(exc.finding(self.root).format_text()) from None

    def _render_all(self, renderer: Renderer) -> None:
        """Our pages' fragments, kept for on_page_context and on_post_build to place."""
        self.fragments = {
            "home": status.home(renderer),
            "history": history.history_index(renderer),
            "postmortems": postmortems.postmortem_index(renderer),
            "embed": status.embed(renderer),
        }
        jobs = stamped.page_jobs(renderer)
        if len(jobs) >= PROGRESS_EVERY:
            log.info(f"Rendering {len(jobs):,} incident, maintenance, component and history pages")
        self.stamped = stamped.all_stamped_pages(renderer, jobs)

    @event_priority(100)  # before the search plugin indexes the page
    def on_page_context(
        self, context: dict[str, Any], *, page: MkPage, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        assert self.renderer is not None
        src = page.file.src_uri
        if src == SHELL_URI:
            page.meta["description"] = DESC_MARK
            page.content = CONTENT_MARK
        elif src in _GENERATED_PAGES:
            page.content = self.fragments[_GENERATED_PAGES[src][1]]
        return context

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        if template_name == "404.html":
            output_content = theme_fixed(output_content, template_name)
            output_content = material.localized(output_content, self.renderer.lang)
        # 404.html is rendered as a theme template, not a page: give it the same policy.
        if template_name.endswith(".html") and getattr(self, "command", "build") != "serve":
            try:
                return add_csp(output_content, template_name)
            except material.MaterialChanged as exc:
                raise PluginError(str(exc)) from exc
        return output_content

    def on_post_page(self, output: str, *, page: MkPage, config: MkDocsConfig) -> str:
        try:
            output = self._edit_page(output, page, config)
        except material.MaterialChanged as exc:
            raise PluginError(str(exc)) from exc
        if page.file.src_uri == SHELL_URI:
            self.shell = output
            return ""  # MkDocs skips writing empty output
        return output

    def _edit_page(self, output: str, page: MkPage, config: MkDocsConfig) -> str:
        """Material's rendered page with our edits (hosts/material.py finds where)."""
        where = page.file.src_uri
        output = material.localized(theme_fixed(output, where), self.renderer.lang)
        output = add_head_links(output, "../" * page.url.count("/"), config.site_name, where)
        if where == "index.md" and self.config.light_home:
            output = self._lighten_styles(lighten(output))
        if getattr(self, "command", "build") != "serve":  # serve injects its reload script
            output = add_csp(output, where)
        elif self.problems:  # the page shell too: every page shows them
            output = problems_banner(output, self.problems, self._good is not None)
        return output

    def _lighten_styles(self, output: str) -> str:
        output, self.home_css = lighten_styles_of(output, self.files, self.cache)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self._post_build(config)
        except material.MaterialChanged as exc:
            raise PluginError(str(exc)) from exc
        if self.command == "serve":
            workers.settle_heap()

    def _post_build(self, config: MkDocsConfig) -> None:
        assert self.renderer is not None and self.view is not None
        if self.shell is None:
            raise PluginError("statusbook: the page shell was not rendered")
        head, sep, tail = self.shell.partition(CONTENT_MARK)
        if not sep:
            raise PluginError("statusbook: the theme dropped the page content placeholder")
        site_dir = Path(config.site_dir)
        written = self.stamped
        if len(written) >= PROGRESS_EVERY:
            log.info(f"Writing {len(written):,} pages")
        # Outside `serve` (which skips unchanged files) the pages are written by one process
        # per core on large sites: each inherits them through the fork, so nothing is copied.
        shared = (site_dir, head, tail, written)
        if self.command != "serve" and workers.split_work(
            write_pages, len(written), shared, workers.MIN_ITEMS
        ):
            for page in written:
                self._now_written[site_dir / page.path / "index.html"] = b""
        else:
            last, self._stamped = self._stamped, {}
            for page in written:
                target = site_dir / page.path / "index.html"
                made = (head, tail, page)
                kept = last.get(target)
                if kept is not None and kept[0] == made and target.is_file():
                    self._now_written[target] = kept[1]  # the same shell and page: same bytes
                else:
                    self._write(target, _stamp(head, tail, page))
                if self.command == "serve":  # recorded once its file holds it
                    self._stamped[target] = (made, self._now_written[target])
        self.pages_written = written
        (site_dir / "postmortems" / "index.json").write_bytes(
            postmortems.library_index_json(self.renderer)
        )
        if self.home_css is not None:
            self._write(site_dir / self.home_css[0], self.home_css[1])
        (site_dir / FAVICON_URI).write_bytes(status_favicon(self.view.overall.indicator))
        index_postmortems(site_dir, written)
        (site_dir / "embed").mkdir(exist_ok=True)
        (site_dir / "embed" / "index.html").write_bytes(
            add_csp(self.fragments["embed"], "embed/index.html").encode("utf-8")
        )
        (site_dir / "embed" / "embed.css").write_bytes((ASSETS / "embed.css").read_bytes())
        for rel, data in sorted(collect_files(self.view, extra=(state_files,)).items()):
            self._write(site_dir / rel, data)
        self._forget_stale(site_dir)
        if self.cache is not None and self.command != "serve":
            self.cache.render.save()  # serve keeps it in memory; the next build writes it
        assert self.files is not None
        own = [
            "" if f.url in ("./", ".") else f.url
            for f in self.files.documentation_pages()
            if f.src_uri != SHELL_URI and f.inclusion.is_included()
        ]
        write_sitemap(
            config, site_dir, [(url, None) for url in own] + [(p.path, p.lastmod) for p in written]
        )


def _settings(
    config: MkDocsConfig, opts: StatusbookConfig, internal: bool, language: str
) -> Settings:
    """What the views and outputs need of mkdocs.yml and the plugin's options."""
    return Settings(
        site_name=config.site_name,
        site_url=(config.site_url or "").rstrip("/") + "/" if config.site_url else "",
        site_description=config.site_description or "",
        timezone=opts.timezone,
        severities=tuple(opts.severities),
        uptime_days=opts.uptime_days,
        partial_weight=opts.partial_outage_weight,
        recent_days=opts.recent_days,
        internal=internal,
        language=language,
    )


def _add_assets(config: MkDocsConfig, content_dir: Path) -> None:
    """Our stylesheet, script and favicon in Material's pages, and content/ watched by serve."""
    # A favicon that shows the overall status (and weighs 200 bytes, not Material's 1.8 KiB),
    # unless the site chose its own.
    if config.theme.get("favicon") in (None, "", "assets/images/favicon.png"):
        config.theme["favicon"] = FAVICON_URI
    if CSS_URI not in config.extra_css:
        config.extra_css.append(CSS_URI)
    if material.JS_URI not in config.extra_javascript:
        config.extra_javascript.append(material.JS_URI)
    if str(content_dir) not in config.watch:
        config.watch.append(str(content_dir))
