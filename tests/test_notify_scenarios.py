"""Deploys played end to end: every published change reaches the chat exactly once.

Each test plays a sequence of workflow runs with local stand-ins for GitHub: the live site is a
folder served by http.server on 127.0.0.1, a deploy copies a build into it, and a receiver on
127.0.0.1 records every message `notify` posts. A run is the deploy workflow's steps, in order:
build, `snapshot` of the live site, deploy, `notify --previous --current` from the run's saved
artifact. The assertions count messages by identity (announce.key) across the whole sequence.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import MINIMAL_MKDOCS, run_cli, write_site
from statusbook.notify import changes as announce

TARGETS = (
    "STATUSBOOK_SLACK_WEBHOOK",
    "STATUSBOOK_DISCORD_WEBHOOK",
    "STATUSBOOK_TEAMS_WEBHOOK",
    "STATUSBOOK_WEBHOOK_URL",
)


# --- stand-ins ---------------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Receiver:
    """A webhook endpoint: keeps what it accepts; answers `status` while it is broken."""

    messages: list[dict] = field(default_factory=list)
    failing_status: int | None = None
    refused: int = 0
    #: Accept this many messages in all, then answer 503 (a target that breaks midway).
    capacity: int | None = None

    def keys(self) -> list[str]:
        return [announce.key(m) for m in self.messages]


def _receiver_handler(receiver: Receiver) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            full = receiver.capacity is not None and len(receiver.messages) >= receiver.capacity
            if receiver.failing_status is not None or full:
                receiver.refused += 1
                self.send_response(receiver.failing_status or 503)
            else:
                receiver.messages.append(body)
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _serve(handler: object) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Pipeline:
    """The deploy workflow of one repository, run after run."""

    repo: Path
    live: Path
    live_url: str
    hook_url: str
    work: Path
    runs: int = 0
    results: list = field(default_factory=list)
    #: More secrets set for the notify job (variable -> URL).
    hooks: dict[str, str] = field(default_factory=dict)

    def build(self, now: str) -> Path:
        """The build job: build, snapshot the live site, save the artifact."""
        self.runs += 1
        run_dir = self.work / f"run-{self.runs}"
        out = run_dir / "site"
        built = run_cli(
            ["build", "-q", "-f", self.repo / "mkdocs.yml", "-d", out, "--now", now, "--no-cache"]
        )
        assert built.exit_code == 0, built.output
        artifact = run_dir / "artifact"
        artifact.mkdir()
        snap = run_cli(
            ["snapshot", self.live_url, "--output", artifact / "previous-state.json"],
            env=self.env,
        )
        assert snap.exit_code == 0, snap.output
        shutil.copy(out / announce.STATE_PATH, artifact / "current-state.json")
        return run_dir

    def deploy(self, run_dir: Path) -> None:
        shutil.rmtree(self.live)
        shutil.copytree(run_dir / "site", self.live)

    def notify(self, run_dir: Path) -> object:
        """The notify job; its journal folder holds every earlier attempt's, as the workflow
        downloads them (one artifact per attempt, merged into one folder)."""
        artifact = run_dir / "artifact"
        result = run_cli(
            [
                "notify",
                "--previous",
                artifact / "previous-state.json",
                "--current",
                artifact / "current-state.json",
                "--journal",
                run_dir / "notify-journal",
            ],
            env=self.env,
        )
        self.results.append(result)
        return result

    def run(self, now: str) -> object:
        """A run that goes through: build, deploy, notify."""
        run_dir = self.build(now)
        self.deploy(run_dir)
        result = self.notify(run_dir)
        assert result.exit_code == 0, result.output
        return result

    event: str = "push"

    @property
    def env(self) -> dict[str, str]:
        # What GitHub gives the steps: the event name, and the secrets (unset ones are empty).
        hooks = dict.fromkeys(TARGETS, "")
        hooks["STATUSBOOK_WEBHOOK_URL"] = self.hook_url + "/json"
        return {**hooks, **self.hooks, "GITHUB_EVENT_NAME": self.event}


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    endpoint = Receiver()
    for url in _serve(_receiver_handler(endpoint)):
        yield endpoint, url


@pytest.fixture
def pipeline(tmp_path: Path, receiver: tuple[Receiver, str]) -> Iterator[Pipeline]:
    repo = write_site(tmp_path / "repo", {}, mkdocs=MINIMAL_MKDOCS)
    live = tmp_path / "live"
    live.mkdir()
    handler = functools.partial(_Quiet, directory=str(live))
    for url in _serve(handler):
        yield Pipeline(repo, live, url, receiver[1], tmp_path / "runs")


# --- content, as the form or a laptop writes it --------------------------------------------------


def post(repo: Path, ident: str, *updates: tuple[str, str, str], next_update: str = "") -> None:
    """Write incident `ident` with `updates` (at, status, message) and api degraded."""
    lines = [
        "---",
        f"title: Incident {ident}",
        "impact: minor",
        "components: [api]",
        "updates:",
    ]
    for n, (at, status, message) in enumerate(updates, 1):
        lines += [f"  - at: {at}", f"    status: {status}", f"    message: {message}"]
        if n == len(updates) and next_update:
            lines.append(f"    next_update: {next_update}")
    lines += ["---", ""]
    path = repo / "content" / "incidents" / f"{ident}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def schedule(repo: Path, ident: str, start: str, end: str, *extra: tuple[str, str, str]) -> None:
    lines = [
        "---",
        f"title: Maintenance {ident}",
        "components: [billing]",
        f"start: {start}",
        f"end: {end}",
        "updates:",
        "  - at: 2026-11-23T09:00:00Z",
        "    status: scheduled",
        "    message: We will upgrade billing.",
    ]
    for at, status, message in extra:
        lines += [f"  - at: {at}", f"    status: {status}", f"    message: {message}"]
    lines += ["---", ""]
    path = repo / "content" / "maintenance" / f"{ident}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def titles(receiver: Receiver) -> list[str]:
    """What each message says, in the words of its kind."""
    out = []
    for m in receiver.messages:
        if "incident" in m:
            out.append(f"{m['incident']['name']}: {m['incident']['incident_updates'][0]['status']}")
        elif "component_update" in m:
            update = m["component_update"]
            out.append(
                f"{m['component']['name']}: {update['old_status']} -> {update['new_status']}"
            )
        else:
            out.append(f"{m['overdue_update']['name']}: overdue")
    return out


def assert_each_once(receiver: Receiver) -> None:
    counts = Counter(receiver.keys())
    assert all(n == 1 for n in counts.values()), counts


OPEN = ("2026-11-23T12:00:00Z", "investigating", "Exports wait in a queue.")
FIX = ("2026-11-23T12:20:00Z", "identified", "A stuck worker; restarting it.")
DONE = ("2026-11-23T12:40:00Z", "resolved", "Exports run normally again.")


# --- sequences ---------------------------------------------------------------------------------


def test_a_first_deploy_announces_nothing_even_with_history(pipeline, receiver):
    endpoint, _ = receiver
    post(pipeline.repo, "2026-11-23-exports", OPEN)
    result = pipeline.run("2026-11-23T12:05:00Z")
    assert endpoint.messages == []
    assert "no previous state" in result.stderr
    assert (pipeline.live / announce.STATE_PATH).is_file()  # the next run has a previous state


def test_a_push_with_a_new_incident_sends_one_message_per_change(pipeline, receiver):
    endpoint, _ = receiver
    pipeline.run("2026-11-23T11:50:00Z")  # the site as it was
    post(pipeline.repo, "2026-11-23-exports", OPEN)
    result = pipeline.run("2026-11-23T12:05:00Z")
    assert titles(endpoint) == [
        "Incident 2026-11-23-exports: investigating",
        "API: operational -> degraded_performance",
    ]
    assert "sent   STATUSBOOK_WEBHOOK_URL: 2 message(s)" in result.stderr
    pipeline.run("2026-11-23T12:10:00Z")  # the scheduled run after it: nothing new
    assert len(endpoint.messages) == 2
    assert_each_once(endpoint)


@pytest.mark.parametrize("event", ["push", "workflow_dispatch"], ids=["push", "form"])
def test_a_form_post_is_announced_like_a_push(pipeline, receiver, event):
    """The phone form dispatches the workflow; nothing in the pipeline looks at the event."""
    endpoint, _ = receiver
    pipeline.run("2026-11-23T11:50:00Z")
    pipeline.event = event
    post(pipeline.repo, "2026-11-23-exports", OPEN)
    pipeline.run("2026-11-23T12:05:00Z")
    post(pipeline.repo, "2026-11-23-exports", OPEN, FIX)
    pipeline.run("2026-11-23T12:25:00Z")
    assert titles(endpoint) == [
        "Incident 2026-11-23-exports: investigating",
        "API: operational -> degraded_performance",
        "Incident 2026-11-23-exports: identified",
    ]
    assert_each_once(endpoint)


def test_a_replaced_run_loses_nothing(pipeline, receiver):
    """GitHub keeps one pending run per group: the first push's run never starts, the second
    push's run announces both pushes' changes, once."""
    endpoint, _ = receiver
    pipeline.run("2026-11-23T11:50:00Z")
    post(pipeline.repo, "2026-11-23-exports", OPEN)  # push 1: its run is replaced
    post(pipeline.repo, "2026-11-23-exports", OPEN, FIX)  # push 2
    pipeline.run("2026-11-23T12:25:00Z")
    assert titles(endpoint) == [
        "Incident 2026-11-23-exports: investigating",
        "API: operational -> degraded_performance",
        "Incident 2026-11-23-exports: identified",
    ]
    pipeline.run("2026-11-23T12:40:00Z")
    assert len(endpoint.messages) == 3
    assert_each_once(endpoint)


def test_a_maintenance_window_started_by_the_clock_is_announced_once(pipeline, receiver):
    endpoint, _ = receiver
    schedule(pipeline.repo, "2026-11-23-billing", "2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z")
    pipeline.run("2026-11-23T08:45:00Z")  # before the announcement was dated
    pipeline.run("2026-11-23T12:45:00Z")  # announced
    assert titles(endpoint) == ["Maintenance 2026-11-23-billing: scheduled"]
    # No commit: the scheduled runs build the same content at later times.
    pipeline.run("2026-11-23T13:00:00Z")
    pipeline.run("2026-11-23T13:15:00Z")
    pipeline.run("2026-11-23T14:05:00Z")
    pipeline.run("2026-11-23T14:20:00Z")
    assert titles(endpoint) == [
        "Maintenance 2026-11-23-billing: scheduled",
        "Maintenance 2026-11-23-billing: in_progress",
        "Billing: operational -> under_maintenance",
        "Maintenance 2026-11-23-billing: completed",
        "Billing: under_maintenance -> operational",
    ]
    assert endpoint.messages[1]["incident"]["incident_updates"][0]["body"].startswith(
        "The scheduled maintenance window has started."
    )
    assert_each_once(endpoint)


def test_a_cancelled_window_is_announced_once(pipeline, receiver):
    endpoint, _ = receiver
    schedule(pipeline.repo, "2026-11-23-billing", "2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z")
    pipeline.run("2026-11-23T12:00:00Z")
    schedule(
        pipeline.repo,
        "2026-11-23-billing",
        "2026-11-23T13:00:00Z",
        "2026-11-23T14:00:00Z",
        ("2026-11-23T12:30:00Z", "cancelled", "Postponed to next week."),
    )
    pipeline.run("2026-11-23T12:35:00Z")
    pipeline.run("2026-11-23T13:05:00Z")  # after the start: a cancelled window never starts
    assert titles(endpoint) == ["Maintenance 2026-11-23-billing: completed"]
    assert endpoint.messages[0]["incident"]["incident_updates"][0]["body"] == (
        "Postponed to next week."
    )


def test_an_overdue_update_is_announced_once_by_the_first_run_that_publishes_it(pipeline, receiver):
    endpoint, _ = receiver
    pipeline.run("2026-11-23T11:50:00Z")
    post(pipeline.repo, "2026-11-23-exports", OPEN, next_update="2026-11-23T12:30:00Z")
    pipeline.run("2026-11-23T12:05:00Z")
    pipeline.run("2026-11-23T12:15:00Z")  # the promise still holds
    pipeline.run("2026-11-23T12:45:00Z")  # the scheduled run that finds it broken
    pipeline.run("2026-11-23T13:00:00Z")
    assert titles(endpoint)[2:] == ["Incident 2026-11-23-exports: overdue"]
    notice = endpoint.messages[2]["overdue_update"]
    assert notice["promised_at"] == "2026-11-23T12:30:00.000Z"
    post(pipeline.repo, "2026-11-23-exports", OPEN, DONE)  # resolved: no longer overdue
    pipeline.run("2026-11-23T13:05:00Z")
    assert titles(endpoint)[3:] == [
        "Incident 2026-11-23-exports: resolved",
        "API: degraded_performance -> operational",
    ]
    assert_each_once(endpoint)


def test_a_failed_deploy_announces_nothing_and_its_rerun_announces_everything_once(
    pipeline, receiver
):
    endpoint, _ = receiver
    pipeline.run("2026-11-23T11:50:00Z")
    post(pipeline.repo, "2026-11-23-exports", OPEN)
    pipeline.build("2026-11-23T12:05:00Z")  # built; the deploy step fails: no notify job
    assert endpoint.messages == []
    post(pipeline.repo, "2026-11-23-exports", OPEN, FIX)
    pipeline.run("2026-11-23T12:25:00Z")  # the rerun (or the next run) goes through
    assert titles(endpoint) == [
        "Incident 2026-11-23-exports: investigating",
        "API: operational -> degraded_performance",
        "Incident 2026-11-23-exports: identified",
    ]
    pipeline.run("2026-11-23T12:30:00Z")
    assert_each_once(endpoint)
    assert len(endpoint.messages) == 3


def test_a_rerun_notify_job_reads_the_same_artifact_and_reports_the_failed_target(
    pipeline, receiver
):
    endpoint, hook = receiver
    pipeline.run("2026-11-23T11:50:00Z")
    post(pipeline.repo, "2026-11-23-exports", OPEN)
    run_dir = pipeline.build("2026-11-23T12:05:00Z")
    pipeline.deploy(run_dir)
    endpoint.failing_status = 503
    failed = pipeline.notify(run_dir)
    assert failed.exit_code == 1
    assert (
        "FAILED STATUSBOOK_WEBHOOK_URL: HTTP 503 at message 1 of 2 (0 sent before it)"
        in failed.stderr
    )
    assert hook not in failed.output and "127.0.0.1" not in failed.output
    assert endpoint.refused == 1  # it stopped at the first failure: order is kept
    # The scheduled run that comes next has the deployed state as its previous one.
    pipeline.run("2026-11-23T12:10:00Z")
    assert endpoint.messages == []
    endpoint.failing_status = None
    rerun = pipeline.notify(run_dir)  # "Re-run failed jobs": the same artifact
    assert rerun.exit_code == 0, rerun.output
    assert titles(endpoint) == [
        "Incident 2026-11-23-exports: investigating",
        "API: operational -> degraded_performance",
    ]
    assert_each_once(endpoint)


def test_a_rerun_after_a_target_broke_midway_sends_each_target_only_what_it_missed(
    pipeline, receiver
):
    endpoint, _ = receiver
    chat = Receiver()
    for chat_url in _serve(_receiver_handler(chat)):
        pipeline.hooks["STATUSBOOK_SLACK_WEBHOOK"] = chat_url + "/slack"
        pipeline.run("2026-11-23T11:50:00Z")
        post(pipeline.repo, "2026-11-23-exports", OPEN)
        run_dir = pipeline.build("2026-11-23T12:05:00Z")
        pipeline.deploy(run_dir)
        endpoint.capacity = 1  # takes the incident, then breaks before the component change
        failed = pipeline.notify(run_dir)
        assert failed.exit_code == 1
        assert "sent   STATUSBOOK_SLACK_WEBHOOK: 2 message(s)" in failed.stderr
        assert (
            "FAILED STATUSBOOK_WEBHOOK_URL: HTTP 503 at message 2 of 2 (1 sent before it)"
            in failed.stderr
        )
        endpoint.capacity = None
        rerun = pipeline.notify(run_dir)  # "Re-run failed jobs"
        assert rerun.exit_code == 0, rerun.output
        assert (
            "sent   STATUSBOOK_SLACK_WEBHOOK: 0 message(s), 2 delivered by an earlier attempt"
            in rerun.stderr
        )
        assert (
            "sent   STATUSBOOK_WEBHOOK_URL: 1 message(s), 1 delivered by an earlier attempt"
            in rerun.stderr
        )
        again = pipeline.notify(run_dir)  # a third attempt finds nothing left to send
        assert again.exit_code == 0, again.output
    assert len(chat.messages) == 2
    assert titles(endpoint) == [
        "Incident 2026-11-23-exports: investigating",
        "API: operational -> degraded_performance",
    ]
    assert_each_once(endpoint)
