"""`statusbook snapshot` and `statusbook notify`: each service gets its format, every target URL
is checked and never printed, every target is tried, and any failure fails the step."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MINIMAL_MKDOCS, run_cli, write_site
from statusbook.notify import changes as announce
from statusbook.notify import send as nt

TARGETS = {
    "STATUSBOOK_SLACK_WEBHOOK": "/slack",
    "STATUSBOOK_DISCORD_WEBHOOK": "/discord",
    "STATUSBOOK_TEAMS_WEBHOOK": "/teams",
    "STATUSBOOK_WEBHOOK_URL": "/json",
}
NO_TARGETS = dict.fromkeys(TARGETS, "")

INCIDENT = """\
---
title: Exports <stuck> & slow
impact: minor
components: [api]
updates:
  - at: 2026-11-23T12:00:00Z
    status: investigating
    message: Exports wait in a queue.
---
"""


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, dict]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path.startswith("/broken"):
            self.send_response(500)
        else:
            _Recorder.received.append((self.path, body))
            self.send_response(204)
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the live site of the snapshot tests
        codes = {"/gone/": 404, "/down/": 503, "/html/": 200}
        code = next((c for p, c in codes.items() if self.path.startswith(p)), 404)
        self.send_response(code)
        self.end_headers()
        if code == 200:
            self.wfile.write(b"<html>not a state</html>")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[tuple[str, list[tuple[str, dict]]]]:
    _Recorder.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.received
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The state before and after an incident was opened, as two builds write them."""
    root = tmp_path_factory.mktemp("notify")
    site = write_site(root / "repo", {}, mkdocs=MINIMAL_MKDOCS)
    paths = []
    for name, now in (("before", "2026-11-23T11:50:00Z"), ("after", "2026-11-23T12:05:00Z")):
        if name == "after":
            (site / "content" / "incidents").mkdir()
            (site / "content" / "incidents" / "2026-11-23-exports.md").write_text(INCIDENT)
        out = root / name
        result = run_cli(["build", "-q", "-f", site / "mkdocs.yml", "-d", out, "--now", now])
        assert result.exit_code == 0, result.output
        paths.append(out / announce.STATE_PATH)
    return paths[0], paths[1]


def notify(states: tuple[Path, Path], env: dict[str, str], *extra: str):
    before, after = states
    args = ["notify", "--previous", before, "--current", after, *extra]
    return run_cli(args, env={**NO_TARGETS, **env})


# --- notify ------------------------------------------------------------------------------------


def test_dry_run_prints_the_new_incident_and_the_status_change_as_json_lines(states):
    result = notify(states, {}, "--dry-run")
    assert result.exit_code == 0, result.output
    payloads = [json.loads(line) for line in result.stdout.splitlines()]
    assert [p["incident"]["name"] for p in payloads if "incident" in p] == [
        "Exports <stuck> & slow"
    ]
    assert [
        (p["component_update"]["old_status"], p["component_update"]["new_status"])
        for p in payloads
        if "component_update" in p
    ] == [("operational", "degraded_performance")]
    assert "2 change(s); nothing sent (--dry-run)" in result.stderr


def test_the_same_state_twice_announces_nothing(states):
    result = notify((states[1], states[1]), {}, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_each_service_gets_its_own_format(states, endpoint):
    url, received = endpoint
    result = notify(states, {var: url + path for var, path in TARGETS.items()})
    assert result.exit_code == 0, result.output
    by_path: dict[str, list[dict]] = {}
    for path, body in received:
        by_path.setdefault(path, []).append(body)
    assert sorted(by_path) == ["/discord", "/json", "/slack", "/teams"]
    assert all(len(bodies) == 2 for bodies in by_path.values())  # the incident, the component
    assert by_path["/slack"][0]["text"].startswith("*[Investigating] Exports <stuck> & slow*")
    assert by_path["/discord"][0]["allowed_mentions"] == {"parse": []}
    card = by_path["/teams"][0]["attachments"][0]["content"]
    assert card["body"][0]["text"] == "[Investigating] Exports <stuck> & slow"
    assert by_path["/json"][0]["incident"]["name"] == "Exports <stuck> & slow"
    assert "2 change(s) to 4 target(s); 0 failed" in result.stderr


MALFORMED = {
    "a newline": ("https://hooks.example.test/T0/B1/secretpart\n", "contains a line break"),
    "a space": ("https://hooks.example.test/T0/B1/secret part", "contains a space"),
    "another scheme": ("ftp://hooks.example.test/T0/B1/secretpart", "does not start with https://"),
    "no scheme": ("hooks.example.test/T0/B1/secretpart", "does not start with https://"),
    "plain http": ("http://hooks.example.test/T0/B1/secretpart", "uses http://"),
    "no host": ("https:///T0/B1/secretpart", "has no host"),
    "only blanks": ("  \t ", "is only whitespace"),
    "a control character": ("https://hooks.example.test/T0/\x1bsecretpart", "control character"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_secret_is_named_never_shown_and_the_other_targets_still_get_the_messages(
    states, endpoint, case
):
    url, received = endpoint
    value, problem = MALFORMED[case]
    result = notify(
        states,
        {"STATUSBOOK_SLACK_WEBHOOK": value, "STATUSBOOK_WEBHOOK_URL": url + "/json"},
    )
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "STATUSBOOK_SLACK_WEBHOOK" in line]
    assert len(lines) == 1 and problem in lines[0], result.stderr
    for fragment in ("secretpart", "hooks.example.test", "T0/B1"):
        assert fragment not in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # an exit code, not an uncaught error
    assert [path for path, _ in received] == ["/json", "/json"]
    assert "2 change(s) to 2 target(s); 1 failed" in result.stderr


def test_an_unset_or_empty_secret_is_not_a_target(states):
    """GitHub passes a secret that does not exist as an empty string: the workflow names all
    four, the site sets the ones it uses."""
    result = notify(states, {})
    assert result.exit_code == 0
    assert "2 change(s); no webhook configured, nothing sent" in result.stderr


def test_a_malformed_secret_fails_the_step_even_when_nothing_changed(states):
    """Found at the next deploy, not during the next incident."""
    result = notify((states[1], states[1]), {"STATUSBOOK_TEAMS_WEBHOOK": "https://x.test/a b"})
    assert result.exit_code == 1
    assert "error: STATUSBOOK_TEAMS_WEBHOOK: the URL contains a space" in result.stderr


def test_a_failing_target_is_reported_by_its_variable_and_status_and_the_others_still_get_theirs(
    states, endpoint
):
    url, received = endpoint
    result = notify(
        states,
        {
            "STATUSBOOK_DISCORD_WEBHOOK": url + "/broken/abc",
            "STATUSBOOK_SLACK_WEBHOOK": "https://127.0.0.1:9/refused",  # nothing listens there
            "STATUSBOOK_WEBHOOK_URL": url + "/json",
        },
    )
    assert result.exit_code == 1
    assert (
        "FAILED STATUSBOOK_DISCORD_WEBHOOK: HTTP 500 at message 1 of 2 (0 sent before it)"
        in result.stderr
    )
    assert "FAILED STATUSBOOK_SLACK_WEBHOOK: ConnectionRefusedError at message 1" in result.stderr
    assert "sent   STATUSBOOK_WEBHOOK_URL: 2 message(s)" in result.stderr
    assert "/broken" not in result.output and "refused" not in result.output
    assert "127.0.0.1" not in result.output
    assert [path for path, _ in received] == ["/json", "/json"]


def test_a_previous_state_meaning_no_site_announces_nothing(states, tmp_path):
    absent = tmp_path / "previous.json"
    absent.write_bytes(announce.dumps(announce.no_previous_state("first deploy")))
    result = notify((absent, states[1]), {}, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no previous state (first deploy): nothing is announced" in result.stderr


def test_a_file_that_is_not_a_state_gives_one_clear_line(states, tmp_path):
    wrong = tmp_path / "previous.json"
    wrong.write_text('{"page": {}}')
    result = notify((wrong, states[1]), {})
    assert result.exit_code == 1
    assert f"Error: --previous {wrong}: not a Statusbook state" in result.output
    assert "Traceback" not in result.output


# --- the URL check and the delivery, without a network -------------------------------------------


def test_url_problems_never_quote_the_url():
    for value, problem in MALFORMED.values():
        said = nt.url_problem(value)
        assert said is not None and problem in said
        assert "secretpart" not in said and "hooks.example.test" not in said
    assert nt.url_problem("https://hooks.slack.com/services/T0/B1/x") is None
    assert nt.url_problem("http://localhost:8080/hook") is None


def test_an_exception_carrying_the_url_is_reported_by_its_class_only():
    def post(url: str, body: bytes) -> int:
        raise ValueError(f"bad {url}")

    target = nt.Target("STATUSBOOK_WEBHOOK_URL", "json", "https://h.test/secretpart")
    (result,) = nt.deliver([{"component": {}, "component_update": {}}], [target], post)
    assert result.line() == (
        "FAILED STATUSBOOK_WEBHOOK_URL: ValueError at message 1 of 1 (0 sent before it)"
    )


# --- snapshot ----------------------------------------------------------------------------------


def test_snapshot_saves_the_live_state(states, tmp_path):
    live = tmp_path / "live"
    (live / announce.STATE_PATH).parent.mkdir(parents=True)
    (live / announce.STATE_PATH).write_bytes(states[0].read_bytes())
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(live))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = tmp_path / "previous.json"
        result = run_cli(["snapshot", f"http://127.0.0.1:{server.server_port}/", "-o", out])
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == states[0].read_bytes()


def test_snapshot_of_a_site_without_state_means_no_previous_site(endpoint, tmp_path):
    url, _ = endpoint
    out = tmp_path / "previous.json"
    result = run_cli(["snapshot", url + "/gone", "--output", out])
    assert result.exit_code == 0, result.output
    assert announce.is_absent(announce.loads(out.read_bytes()))
    assert "HTTP 404 (a first deploy, or a site built before state.json)" in result.stderr


@pytest.mark.parametrize("path,said", [("/down", "HTTP 503"), ("/html", "not JSON")])
def test_snapshot_fails_on_anything_else_unless_allowed(endpoint, tmp_path, path, said):
    url, _ = endpoint
    out = tmp_path / "previous.json"
    result = run_cli(["snapshot", url + path, "-o", out, "--attempts", "1"])
    assert result.exit_code == 1
    assert said in result.output and "--allow-missing" in result.output
    assert not out.exists()
    allowed = run_cli(["snapshot", url + path, "-o", out, "--attempts", "1", "--allow-missing"])
    assert allowed.exit_code == 0
    assert announce.is_absent(announce.loads(out.read_bytes()))
    assert "warning:" in allowed.stderr


def test_snapshot_retries_a_failure_that_may_pass():
    answers: list[object] = [OSError("reset"), b"{}"]

    def get(url: str) -> bytes:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]

    waits: list[float] = []
    fetched = nt.fetch_state("https://x.test/s.json", attempts=3, get=get, wait=waits.append)
    assert fetched.data == b"{}" and waits == [2.0]


def test_a_state_with_a_malformed_entry_gives_one_line_and_sends_nothing(states, tmp_path):
    document = json.loads(states[1].read_bytes())
    document["recent"][0].pop("payload")
    broken = tmp_path / "current.json"
    broken.write_text(json.dumps(document))
    result = notify((states[0], broken), {})
    assert result.exit_code == 1
    assert "Error: a state has a malformed entry (KeyError: 'payload')" in result.output
    assert "Traceback" not in result.output
