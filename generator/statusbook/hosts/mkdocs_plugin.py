"""MkDocs glue: load and validate content, add our pages, place them in the theme's chrome.

Pages that exist once (home, history, postmortems) are ordinary MkDocs pages whose content we
fill in. Pages that exist once per incident, maintenance, component, month or postmortem are
"stamped": MkDocs renders one hidden shell page at the same depth, and we pour each fragment
into a copy of it. Material renders its full header and nav for every page, which would cost
several milliseconds per incident on large sites; the shell pays that once.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import io
import logging
import os
import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from .. import i18n, workers
from ..cache.store import RenderStore, template_cache
from ..clock import format_utc
from ..content import load as content
from ..context import BuildContext
from ..errors import Finding, Severity, format_findings, summary_line
from ..model import Corpus
from ..notify.changes import files as state_files
from ..outputs import collect_files
from ..outputs.pages import Page, Renderer, TemplateProblem
from ..views.site import Settings, SiteView
from ..views.visibility import internal_view, public_view
from . import material, material_html
from .language import site_language
from .plugin_options import StatusbookConfig

log = get_plugin_logger(__name__)


class _HideShellSkip(logging.Filter):
    """MkDocs reports the shell page, which we render but never write, as skipped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return SHELL_URI not in record.getMessage()


logging.getLogger("mkdocs.commands.build").addFilter(_HideShellSkip())

ASSETS = Path(__file__).resolve().parent.parent / "assets"
CSS_URI = "assets/statusbook/statusbook.css"
JS_URI = "assets/statusbook/library.js"
PALETTE_URI = "assets/statusbook/palette.js"
UPTIME_JS_URI = "assets/statusbook/uptime.js"
FAVICON_URI = "assets/statusbook/favicon.svg"
SHELL_URI = "_statusbook/shell.md"
SHELL_PATH = "_statusbook/shell/"
# The shell's content holds "<h1" so that Material's content partial adds no heading of its own.
CONTENT_MARK = "<!--statusbook:content <h1>-->"
TITLE_MARK = "statusbook-title-0f9c2e"
DESC_MARK = "statusbook-description-0f9c2e"

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


#: What `serve` shows when the content has never validated since it started.
EMPTY_CORPUS = Corpus(groups=(), components=(), incidents=(), maintenance=(), postmortems=())


def problems_banner(page: str, problems: list[Finding], last_good: bool = True) -> str:
    """The page with the content's errors at the top of its body: `serve` only (it has no
    Content-Security-Policy, so the banner styles itself)."""
    found = html.escape(format_findings(problems))
    banner = (
        '<div role="alert" id="statusbook-problems" style="margin:0;padding:1rem 1.5rem;'
        "background:#fff3f3;color:#5c0000;border-bottom:4px solid #c00;font:0.9rem/1.4 "
        'system-ui,sans-serif;position:relative;z-index:10">'
        f"<strong>The content has {html.escape(summary_line(problems))}.</strong> "
        + (
            "This preview shows the last version that had none"
            if last_good
            else "Nothing of it can be shown until they are fixed"
        )
        + "; the page reloads when the files are saved."
        '<pre style="margin:0.75rem 0 0;white-space:pre-wrap;font:0.8rem/1.4 ui-monospace,'
        f'monospace;color:inherit;background:none">{found}</pre></div>'
    )
    return material.insert_after_body_start(page, banner)


class StatusbookPlugin(BasePlugin[StatusbookConfig]):
    """Registered as `statusbook` under the `mkdocs.plugins` entry point."""

    def __init__(self) -> None:
        self.view: SiteView | None = None
        self.renderer: Renderer | None = None
        self.shell: str | None = None
        self.pages_written: list[Page] = []
        self.home_css: tuple[str, bytes] | None = None
        self.root = Path(".")
        self.bytecode: Any = None  # Jinja's bytecode cache for this site, or None
        self.files: Files | None = None
        self.store: RenderStore | None = None  # rendered pages and Markdown, by content
        self.command = "build"
        #: Set by `statusbook build`; otherwise (mkdocs build, serve) made from the environment.
        self.context: BuildContext | None = None
        self.cache_on = True  # the site's `cache` option and the context's switch
        # What each build wrote (path -> digest): `serve` skips unchanged files.
        self._last_written: dict[Path, bytes] = {}
        self._now_written: dict[Path, bytes] = {}
        # `serve` only: the last content that validated, and the errors of the content on disk
        # when it does not (shown on every page while the last good site is served).
        self._good: Corpus | None = None
        self.problems: list[Finding] = []
        self._shown_problems: list[Finding] = []

    def _write(self, target: Path, data: bytes) -> None:
        """Write a file unless the previous build (under `serve --dirty`) left it the same."""
        digest = hashlib.blake2b(data, digest_size=16).digest()
        self._now_written[target] = digest
        if self._last_written.get(target) == digest and target.is_file():
            return
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
            lang, problem = site_language(opts.language, config.theme)
        except i18n.UnknownLanguage as exc:
            raise PluginError(f"statusbook: language: {exc}") from exc
        if problem:
            log.warning(problem)
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
        root = Path(config.config_file_path or ".").resolve().parent
        self.root = root
        content_dir = (root / opts.content_dir).resolve()
        # The lint runs in builds only when the site made it able to fail one: a wording
        # warning must never hold back an incident update. Without `lint:` options the rules
        # only warn, and the lint module is not even imported (40 ms).
        gated = None
        if opts.lint:
            from ..lint.site import SiteLint

            lint = SiteLint.of(opts)
            gated = lint if lint.rules is None or lint.rules.gates_build else None
        # Content may not be dated after the real time (not `now`, which --now moves).
        clock = datetime.now(timezone.utc)
        result = content.load_configured(
            root, opts, lint=gated, cache=True, no_cache=not context.cache, clock=clock
        )
        for finding in result.findings:
            if finding.severity is Severity.WARNING:
                log.warning(finding.format_text())
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
        good = result.corpus or self._good or EMPTY_CORPUS
        internal = opts.internal or context.internal
        corpus = internal_view(good) if internal else public_view(good)
        settings = Settings(
            site_name=config.site_name,
            site_url=(config.site_url or "").rstrip("/") + "/" if config.site_url else "",
            site_description=config.site_description or "",
            timezone=opts.timezone,
            severities=tuple(opts.severities),
            uptime_days=opts.uptime_days,
            partial_weight=opts.partial_outage_weight,
            recent_days=opts.recent_days,
            internal=internal,
            language=lang.code,
        )
        # `serve` keeps rendered pages in memory between rebuilds; a build reads the file.
        store_path = RenderStore.location(root, self.cache_on)
        if self.store is None or self.store.path != store_path or self.command != "serve":
            self.store = RenderStore.for_site(root, self.cache_on)
        self.store.begin()
        self.view = SiteView(corpus, now, settings, self.store)
        custom = config.theme.custom_dir
        self.bytecode = template_cache(root, self.cache_on)
        self.renderer = Renderer(self.view, [Path(custom)] if custom else [], self.bytecode)
        self.shell = None
        self.home_css = None
        # A favicon that shows the overall status (and weighs 200 bytes, not Material's 1.8 KiB),
        # unless the site chose its own.
        if config.theme.get("favicon") in (None, "", "assets/images/favicon.png"):
            config.theme["favicon"] = FAVICON_URI
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if material_html.JS_URI not in config.extra_javascript:
            config.extra_javascript.append(material_html.JS_URI)
        if str(content_dir) not in config.watch:
            config.watch.append(str(content_dir))
        if self.command != "serve":
            workers.freeze_heap()
        return config

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # Material's templates are compiled on every build too; Jinja keeps the bytecode.
        if env.bytecode_cache is None:
            env.bytecode_cache = self.bytecode
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
                content=_minify_css(
                    (ASSETS / "statusbook.css").read_text("utf-8") + material_html.CSS
                ),
            )
        )
        files.append(File.generated(config, JS_URI, abs_src_path=str(ASSETS / "library.js")))
        files.append(File.generated(config, PALETTE_URI, abs_src_path=str(ASSETS / "palette.js")))
        files.append(File.generated(config, UPTIME_JS_URI, abs_src_path=str(ASSETS / "uptime.js")))
        files.append(File.generated(config, material_html.JS_URI, content=material_html.JS))
        self.files = files
        return files

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
            kind = _GENERATED_PAGES[src][1]
            render = {
                "home": self.renderer.home,
                "history": self.renderer.history_index,
                "postmortems": self.renderer.postmortem_index,
            }[kind]
            try:
                page.content = render()
            except TemplateProblem as exc:
                raise PluginError(f"statusbook: {exc}") from exc
        return context

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        if template_name == "404.html":
            output_content = _theme_fixed(output_content, template_name)
            output_content = material_html.localized(output_content, self.renderer.lang)
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
        output = material_html.localized(_theme_fixed(output, where), self.renderer.lang)
        output = _add_head_links(output, "../" * page.url.count("/"), config.site_name, where)
        if where == "index.md" and self.config.light_home:
            output = self._lighten_styles(_lighten(output))
        if getattr(self, "command", "build") != "serve":  # serve injects its reload script
            output = add_csp(output, where)
        elif self.problems:  # the page shell too: every page shows them
            output = problems_banner(output, self.problems, self._good is not None)
        return output

    def _lighten_styles(self, output: str) -> str:
        output, self.home_css = _lighten_styles_of(output, self.files, self.root, self.cache_on)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self._post_build(config)
        except TemplateProblem as exc:
            raise PluginError(f"statusbook: {exc}") from exc
        except material.MaterialChanged as exc:
            raise PluginError(str(exc)) from exc

    def _post_build(self, config: MkDocsConfig) -> None:
        assert self.renderer is not None and self.view is not None
        if self.shell is None:
            raise PluginError("statusbook: the page shell was not rendered")
        head, sep, tail = self.shell.partition(CONTENT_MARK)
        if not sep:
            raise PluginError("statusbook: the theme dropped the page content placeholder")
        site_dir = Path(config.site_dir)
        jobs = self.renderer.page_jobs()
        total = len(jobs)
        if total >= PROGRESS_EVERY:
            log.info(f"Rendering {total:,} incident, maintenance, component and history pages")
        written = self.renderer.all_stamped_pages(jobs)
        if total >= PROGRESS_EVERY:
            log.info(f"Writing {len(written):,} pages")
        # Outside `serve` (which skips unchanged files) the pages are written by one process
        # per core on large sites: each inherits them through the fork, so nothing is copied.
        shared = (site_dir, head, tail, written)
        if self.command != "serve" and workers.split_work(
            _write_pages, len(written), shared, workers.MIN_ITEMS
        ):
            for page in written:
                self._now_written[site_dir / page.path / "index.html"] = b""
        else:
            for page in written:
                self._write(site_dir / page.path / "index.html", _stamp(head, tail, page))
        self.pages_written = written
        (site_dir / "postmortems" / "index.json").write_bytes(self.renderer.library_index_json())
        if self.home_css is not None:
            self._write(site_dir / self.home_css[0], self.home_css[1])
        (site_dir / FAVICON_URI).write_bytes(status_favicon(self.view.overall.indicator))
        _index_postmortems(site_dir, written)
        (site_dir / "embed").mkdir(exist_ok=True)
        (site_dir / "embed" / "index.html").write_bytes(
            add_csp(self.renderer.embed(), "embed/index.html").encode("utf-8")
        )
        (site_dir / "embed" / "embed.css").write_bytes((ASSETS / "embed.css").read_bytes())
        for rel, data in sorted(collect_files(self.view, extra=(state_files,)).items()):
            self._write(site_dir / rel, data)
        self._forget_stale(site_dir)
        if self.store is not None and self.command != "serve":
            self.store.save()  # serve keeps it in memory; the next build writes it
        assert self.files is not None
        own = [
            "" if f.url in ("./", ".") else f.url
            for f in self.files.documentation_pages()
            if f.src_uri != SHELL_URI and f.inclusion.is_included()
        ]
        _write_sitemap(
            config, site_dir, [(url, None) for url in own] + [(p.path, p.lastmod) for p in written]
        )


def _index_postmortems(site_dir: Path, pages: list[Page]) -> None:
    """Make postmortems findable with Material's search: they are stamped, not MkDocs pages,
    so the search plugin never saw them. One entry each (title and text, capped) keeps the
    index small on large sites."""
    index_path = site_dir / "search" / "search_index.json"
    if not index_path.is_file():
        return  # search is off
    entries = []
    for page in pages:
        if not page.path.startswith("postmortems/") or page.path.count("/") != 2:
            continue
        if page.path.startswith(("postmortems/year-", "postmortems/actions/")):
            continue
        text = _TAGS.sub(" ", page.html)
        text = " ".join(html.unescape(text).split())[:SEARCH_TEXT_LIMIT]
        # Material's search shows title and text as HTML: escape what came from content.
        entries.append(
            {"location": page.path, "title": html.escape(page.title), "text": html.escape(text)}
        )
    index = index_path.read_text(encoding="utf-8")
    where = "search/search_index.json"
    index_path.write_text(material.add_search_entries(index, entries, where), encoding="utf-8")


_TAGS = re.compile(r"<[^>]+>")
PROGRESS_EVERY = 2000  # pages between progress lines on large sites (hidden by --quiet)
SEARCH_TEXT_LIMIT = 800  # summary and opening: enough to find it, small on large sites


_CHARSET = re.compile(r'@charset "[^"]*";')


def _minify_css(css: str) -> str:
    """Comments and layout whitespace out: the stylesheet is on every page's critical path."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};,>])\s*", r"\1", css)
    return css.replace(";}", "}").strip() + "\n"


def status_favicon(indicator: str) -> bytes:
    """A dot in the colour of the overall status."""
    from ..outputs.badges import _OVERALL_FILL

    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
        f'<circle cx="8" cy="8" r="7" fill="{_OVERALL_FILL[indicator]}"/></svg>\n'
    ).encode()


def _lighten_styles_of(
    output: str, files: Files | None, root: Path, cache: bool
) -> tuple[str, tuple[str, bytes] | None]:
    """The home page with Material's stylesheets replaced by the part of them it can use
    (outputs/stylesheet.py): one request of about 10 KiB gzipped instead of two of 24."""
    from ..cache.store import memo
    from ..outputs.stylesheet import compile_css, page_tokens, select

    if files is None:
        return output, None
    hrefs = material.stylesheets(output, "index.md", log.warning)
    if not hrefs:
        return output, None
    sources = [files.get_file_from_path(href) for href in hrefs]
    if any(f is None or not f.abs_src_path for f in sources):
        return output, None
    tokens = page_tokens(output, [(ASSETS / "palette.js").read_text(encoding="utf-8")])
    parts = []
    for f in sources:
        raw = Path(f.abs_src_path).read_bytes()
        rules = memo("stylesheets", raw, lambda r=raw: compile_css(r.decode("utf-8")), root, cache)
        parts.append(select(rules, tokens))
    css = '@charset "UTF-8";' + _CHARSET.sub("", "".join(parts)) + "\n"
    data = css.encode("utf-8")
    rel = f"assets/statusbook/home.{hashlib.sha256(data).hexdigest()[:10]}.css"
    # the subset takes the first link's place; the others go
    return material.replace_stylesheets(output, rel), (rel, data)


def _theme_fixed(output: str, where: str) -> str:
    """The theme's accessibility problems fixed (material_html.py); a warning, an error under
    --strict, when its markup no longer matches what we fix."""
    output, missing = material_html.patch(output)
    if missing:
        log.warning(material_html.missing_message(missing, where))
    return output


def _lighten(output: str) -> str:
    """The status home page without Material's script bundle (35 KiB gzipped, plus the search
    index and worker it loads): readers arrive here during an outage, often on a phone.
    Everything on the page is plain HTML already; only search (hidden) and the palette
    toggle (a small script of ours) used the bundle."""
    return material.without_bundle(output, "sb-lite", PALETTE_URI, "index.md", log.warning)


def _add_head_links(output: str, prefix: str, site_name: str, where: str) -> str:
    """Feed discovery on every page: browsers and feed readers look for these links.

    They point at the root-level history.* pair: Material fetches `sitemap.xml` next to every
    rel=alternate link, and there is one at the root.
    """
    name = html.escape(site_name)
    links = (
        f'<link rel="alternate" type="application/rss+xml" title="{name} (RSS)" '
        f'href="{prefix}history.rss">'
        f'<link rel="alternate" type="application/atom+xml" title="{name} (Atom)" '
        f'href="{prefix}history.atom">'
    )
    return material.insert_before_head_end(output, links, where)


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def add_csp(output: str, where: str) -> str:
    """A Content-Security-Policy that allows only this site's files and the page's own
    inline scripts (by hash): content from a pull request cannot run script or load from
    elsewhere even if it slipped past the sanitiser."""
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(m.encode("utf-8")).digest()).decode() + "'"
            for m in _INLINE_SCRIPT.findall(output)
        }
    )
    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(hashes),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return material.insert_after_charset(output, meta, where)


def _stamp(head: str, tail: str, page: Page) -> bytes:
    """A page placed into the shell Material rendered once."""
    return "".join((_fill(head, page), page.html, _fill(tail, page))).encode("utf-8")


def _write_pages(first: int, step: int, shared: tuple[Path, str, str, list[Page]]) -> None:
    """In a worker: write every step-th page from the first (see workers.split_work)."""
    site_dir, head, tail, pages = shared
    for page in pages[first::step]:
        folder = os.path.join(site_dir, page.path)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "index.html"), "wb") as out:
            out.write(_stamp(head, tail, page))


def _fill(part: str, page: Page) -> str:
    return (
        part.replace(TITLE_MARK, html.escape(page.title))
        .replace(DESC_MARK, html.escape(page.description))
        .replace(SHELL_PATH, page.path)
    )


def _write_sitemap(
    config: MkDocsConfig, site_dir: Path, urls: list[tuple[str, date | None]]
) -> None:
    """sitemap.xml is a small index of per-section sitemaps.

    MkDocs' own sitemap lists only its pages. Ours lists every public page, split so that no
    file grows with the whole history: Material's script fetches sitemap.xml beside every
    rel=alternate link on each page view, and search engines cap a sitemap at 50,000 URLs.
    """
    base = (config.site_url or "/").rstrip("/") + "/"
    sections: dict[str, list[tuple[str, date | None]]] = {}
    for path, lastmod in urls:
        head = path.split("/", 1)[0] if path.count("/") >= 2 else "pages"
        if head == "incidents" and lastmod is not None:
            head = f"incidents-{lastmod.year}"
        sections.setdefault(head, []).append((path, lastmod))
    index_lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    (site_dir / "sitemaps").mkdir(exist_ok=True)
    for name in sorted(sections):
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for path, lastmod in sections[name]:
            entry = f"  <url><loc>{xml_escape(base + path)}</loc>"
            if lastmod:
                entry += f"<lastmod>{lastmod.isoformat()}</lastmod>"
            lines.append(entry + "</url>")
        lines.append("</urlset>")
        (site_dir / "sitemaps" / f"{name}.xml").write_bytes(
            ("\n".join(lines) + "\n").encode("utf-8")
        )
        index_lines.append(f"  <sitemap><loc>{xml_escape(base)}sitemaps/{name}.xml</loc></sitemap>")
    index_lines.append("</sitemapindex>")
    data = ("\n".join(index_lines) + "\n").encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(data)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", filename="", mtime=0) as gz:
        gz.write(data)
    (site_dir / "sitemap.xml.gz").write_bytes(buffer.getvalue())
