"""`statusbook notify`: what a push added is announced once, in each service's format."""

from __future__ import annotations

import http.server
import json
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import run_cli


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    site = tmp_path / "site"
    assert run_cli(["init", str(site), "--name", "Notify Test"]).exit_code == 0
    _git(site, "init", "-q", "-b", "main")
    _git(site, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", ".")
    _git(site, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "init")
    return site


def _commit(site: Path, message: str) -> None:
    _git(site, "add", ".")
    _git(site, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", message)


def _open_incident(site: Path) -> None:
    result = run_cli(
        [
            "new",
            "incident",
            "-f",
            str(site / "mkdocs.yml"),
            "--title",
            "Exports <stuck> & slow",
            "--impact",
            "minor",
            "-c",
            "api",
            "-m",
            "Exports wait in a queue.",
            "--at",
            "2026-11-23T12:00:00Z",
            "--next-update",
            "+30m",
        ]
    )
    assert result.exit_code == 0, result.output


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, dict]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers["Content-Length"])
        _Recorder.received.append((self.path, json.loads(self.rfile.read(length))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def endpoint():
    _Recorder.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.received
    server.shutdown()
    server.server_close()


def test_dry_run_lists_the_new_incident_once(repo):
    _open_incident(repo)
    _commit(repo, "open")
    result = run_cli(
        [
            "notify",
            "--since",
            "HEAD~1",
            "-f",
            str(repo / "mkdocs.yml"),
            "--dry-run",
            "--now",
            "2026-11-23T12:05:00Z",
        ]
    )
    assert result.exit_code == 0, result.output
    payloads = [json.loads(line) for line in result.stdout.splitlines()]
    incidents = [p for p in payloads if "incident" in p]
    assert [p["incident"]["name"] for p in incidents] == ["Exports <stuck> & slow"]
    assert incidents[0]["incident"]["incident_updates"][0]["body"] == "Exports wait in a queue."
    components = [p for p in payloads if "component_update" in p]
    assert [
        (c["component_update"]["old_status"], c["component_update"]["new_status"])
        for c in components
    ] == [("operational", "degraded_performance")]


def test_nothing_is_announced_twice(repo):
    _open_incident(repo)
    _commit(repo, "open")
    result = run_cli(
        [
            "notify",
            "--since",
            "HEAD",
            "-f",
            str(repo / "mkdocs.yml"),
            "--dry-run",
            "--now",
            "2026-11-23T12:05:00Z",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ""
    assert "0 change(s)" in result.stderr


def test_each_service_gets_its_own_format(repo, endpoint, monkeypatch):
    url, received = endpoint
    _open_incident(repo)
    _commit(repo, "open")
    for var, path in (
        ("STATUSBOOK_SLACK_WEBHOOK", "/slack"),
        ("STATUSBOOK_DISCORD_WEBHOOK", "/discord"),
        ("STATUSBOOK_TEAMS_WEBHOOK", "/teams"),
        ("STATUSBOOK_WEBHOOK_URL", "/json"),
    ):
        monkeypatch.setenv(var, url + path)
    result = run_cli(
        [
            "notify",
            "--since",
            "HEAD~1",
            "-f",
            str(repo / "mkdocs.yml"),
            "--now",
            "2026-11-23T12:05:00Z",
        ]
    )
    assert result.exit_code == 0, result.output
    by_path: dict[str, list[dict]] = {}
    for path, body in received:
        by_path.setdefault(path, []).append(body)
    assert sorted(by_path) == ["/discord", "/json", "/slack", "/teams"]
    assert all(len(bodies) == 2 for bodies in by_path.values())  # the incident, the component
    assert by_path["/slack"][0]["text"].startswith("*[Investigating] Exports <stuck> & slow*")
    assert by_path["/discord"][0]["allowed_mentions"] == {"parse": []}
    card = by_path["/teams"][0]["attachments"][0]["content"]
    assert (
        card["type"] == "AdaptiveCard"
        and card["body"][0]["text"] == "[Investigating] Exports <stuck> & slow"
    )
    assert by_path["/json"][0]["incident"]["name"] == "Exports <stuck> & slow"


def test_a_failing_endpoint_is_reported_and_fails_the_step(repo, monkeypatch):
    _open_incident(repo)
    _commit(repo, "open")
    monkeypatch.setenv("STATUSBOOK_WEBHOOK_URL", "http://127.0.0.1:9/unreachable")
    result = run_cli(
        [
            "notify",
            "--since",
            "HEAD~1",
            "-f",
            str(repo / "mkdocs.yml"),
            "--now",
            "2026-11-23T12:05:00Z",
        ]
    )
    assert result.exit_code == 1
    assert "FAILED" in result.stderr


def test_an_unknown_revision_says_how_to_fix_it(repo):
    result = run_cli(["notify", "--since", "deadbeef", "-f", str(repo / "mkdocs.yml"), "--dry-run"])
    assert result.exit_code == 1
    assert "fetch-depth: 0" in result.output
