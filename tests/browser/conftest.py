"""Quality gates on the built example site: a real browser, axe-core, the Nu HTML checker.

The example site (this repository's content) is built once per session for a fixed moment and
served from 127.0.0.1 by http.server in a thread; one Chromium serves every test. Tools:

- Playwright for Python (PyPI) drives Debian's chromium (/usr/bin/chromium): no browser
  download. Java comes from Debian too. `scripts/test` installs all three.
- axe-core and vnu-jar come from the npm registry: `scripts/test` fetches them into a cache
  folder before the tests start (tests/external_tools.py); the tests use no network.

Without chromium, Playwright, Java or the npm packages the tests that need them are skipped
with a hint, except under CI (CI=true), where a missing tool is a failure: CI must never pass by
skipping.

Screenshots go to test-artifacts/screenshots/ (STATUSBOOK_ARTIFACTS overrides the folder).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE_SITE, build, unavailable
from external_tools import npm_package

from .helpers import EXAMPLE_NOW, Recorder, page_types

CHROMIUM = os.environ.get("STATUSBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(os.environ.get("STATUSBOOK_ARTIFACTS") or EXAMPLE_SITE / "test-artifacts")

VIEWPORTS: dict[str, dict[str, Any]] = {
    "mobile": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 1,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
}


# --- the site and its server --------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The example site, built once for EXAMPLE_NOW."""
    out = tmp_path_factory.mktemp("example") / "site"
    result = build(EXAMPLE_SITE, "-d", str(out), "--now", EXAMPLE_NOW, "-q")
    assert result.exit_code == 0, result.output
    return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    log: list[tuple[str, int]]


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".atom": "application/atom+xml",
        ".rss": "application/rss+xml",
        ".ics": "text/calendar",
        ".svg": "image/svg+xml",
        ".json": "application/json",
        ".js": "text/javascript",
    }

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        self.server.log.append((self.path, int(code)))  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


def _serve(directory: Path) -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(directory)))
    httpd.log = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[_Server]:
    yield from _serve(site)


@pytest.fixture(scope="session")
def base_url(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory) -> Path:
    """The example site's internal edition (--internal), built once for EXAMPLE_NOW."""
    out = tmp_path_factory.mktemp("example-internal") / "site"
    result = build(EXAMPLE_SITE, "-d", str(out), "--now", EXAMPLE_NOW, "-q", "--internal")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def internal_base_url(internal_site: Path) -> Iterator[str]:
    for httpd in _serve(internal_site):
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"


@pytest.fixture(scope="session")
def pages(site: Path) -> dict[str, str]:
    """One address (relative to the site root) per page type."""
    return page_types(site)


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        unavailable(f"{CHROMIUM} not found (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install playwright)")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def open_context(browser, base_url) -> Iterator[Callable[..., tuple[Any, Recorder]]]:
    """Factory: a fresh browser context that records every request its pages make.

    open_context(viewport="mobile"|"desktop", scheme="light"|"dark", javascript=True, **options)
    returns (context, recorder). Contexts are closed after the test.
    """
    contexts = []

    def factory(
        viewport: str = "desktop",
        scheme: str = "light",
        javascript: bool = True,
        **options: Any,
    ) -> tuple[Any, Recorder]:
        context = browser.new_context(
            **VIEWPORTS[viewport],
            color_scheme=scheme,
            java_script_enabled=javascript,
            reduced_motion="reduce",
            service_workers="block",
            **options,
        )
        context.set_default_timeout(15_000)
        recorder = Recorder(base_url)
        recorder.attach(context)
        contexts.append(context)
        return context, recorder

    yield factory
    for context in contexts:
        context.close()


# --- tools from npm ----------------------------------------------------------------------------


def _fetched(name: str) -> Path:
    package = npm_package(name)
    if package is None:
        unavailable(f"{name} has not been fetched (python tests/external_tools.py)")
    return package  # type: ignore[return-value]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js, evaluated in the page (add_script_tag would be blocked by the page's CSP)."""
    return (_fetched("axe-core") / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    if shutil.which("java") is None:
        unavailable("java not found (Debian package default-jre-headless)")
    jar = _fetched("vnu-jar") / "build" / "dist" / "vnu.jar"
    assert jar.is_file(), f"{jar} missing from the vnu-jar package"
    return jar


# --- artifacts ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """test-artifacts/screenshots/, emptied once per session."""
    folder = ARTIFACTS / "screenshots"
    if folder.is_dir():
        for old in folder.glob("*.png"):
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    return folder
