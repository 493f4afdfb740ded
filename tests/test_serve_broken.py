"""`statusbook serve` while content is broken (#21): a real preview server on 127.0.0.1 keeps
answering at once with the last good site, shows the errors (file:line:col) on every page,
and returns to normal when the file is fixed. MkDocs' dirty-build warning is not shown.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import VALID_INCIDENT, write_site

INCIDENT = "content/incidents/2026/2026-03-14-api-errors.md"
BROKEN = VALID_INCIDENT.replace("title: API errors", "title: API: errors")
FINDING = f"{INCIDENT}:2:11: error: YAML syntax error: mapping values are not allowed"
PAGES = ("/", "/about/", "/incidents/2026-03-14-api-errors/", "/history/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    """The page's text; a request that hangs fails the test (5 s)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"


def wait_for(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def serve(tmp_path) -> Iterator[Callable[[Path], str]]:
    """Start `statusbook serve` on a free port for a site; yields a function that does so and
    returns the base URL. The server's output is kept in tmp_path/serve.log."""
    procs: list[subprocess.Popen[bytes]] = []
    log = tmp_path / "serve.log"

    def start(site: Path) -> str:
        port = free_port()
        exe = Path(sys.executable).parent / "statusbook"
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        with log.open("wb") as out:  # the child keeps its own handle
            procs.append(
                subprocess.Popen(
                    [str(exe), "serve", "-f", str(site / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env={**env, "STATUSBOOK_NO_CACHE": "1"},
                )
            )
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                fetch(base + "/")
                return True
            except OSError:
                return procs[-1].poll() is not None  # exited: reported below

        wait_for(up, "the server to start")
        assert procs[-1].poll() is None, log.read_text()
        return base

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=20)


def site_with_page(tmp_path: Path, incident: str) -> Path:
    site = write_site(tmp_path / "site", {INCIDENT: incident})
    (site / "pages" / "about.md").write_text("# About\n\nWho we are.\n")
    return site


def test_serve_keeps_the_last_good_site_and_shows_the_errors_until_fixed(tmp_path, serve):
    site = site_with_page(tmp_path, VALID_INCIDENT)
    base = serve(site)
    for page in PAGES:
        assert "statusbook-problems" not in fetch(base + page), page

    (site / INCIDENT).write_text(BROKEN)
    wait_for(lambda: "statusbook-problems" in fetch(base + "/"), "the errors to show")
    for page in PAGES:
        started = time.monotonic()
        text = fetch(base + page)
        assert time.monotonic() - started < 5
        assert 'id="statusbook-problems"' in text, page
        assert FINDING in text, page
        assert "shows the last version that had none" in text
    # The last good content is still there: the incident's page and its update.
    assert "We are looking into it." in fetch(base + "/incidents/2026-03-14-api-errors/")

    (site / INCIDENT).write_text(VALID_INCIDENT.replace("We are looking", "We keep looking"))
    wait_for(lambda: "statusbook-problems" not in fetch(base + "/"), "the errors to go")
    for page in PAGES:
        assert "statusbook-problems" not in fetch(base + page), page
    assert "We keep looking into it." in fetch(base + "/incidents/2026-03-14-api-errors/")
    log = (tmp_path / "serve.log").read_text()
    assert FINDING in log
    assert "dirty" not in log.lower()
    assert "appear stuck" not in log


def test_serve_starts_on_broken_content_and_says_nothing_can_be_shown(tmp_path, serve):
    site = site_with_page(tmp_path, BROKEN)
    base = serve(site)
    text = fetch(base + "/about/")
    assert FINDING in text
    assert "Nothing of it can be shown until they are fixed" in text
    (site / INCIDENT).write_text(VALID_INCIDENT)
    wait_for(lambda: "statusbook-problems" not in fetch(base + "/about/"), "the errors to go")
    assert "We are looking into it." in fetch(base + "/incidents/2026-03-14-api-errors/")
