"""Content dated in the future (#21): an update dated later than the real time would stay
hidden until then, so a typo in its day made it vanish without a word. Such a time is an
error at its line unless the update says `scheduled: true`; five minutes of clock skew pass.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

from conftest import VALID_INCIDENT, build, run_cli, t, validate, write_site
from statusbook.clock import CLOCK_SKEW
from statusbook.content import load as content

INCIDENT = "content/incidents/2026/2026-03-14-api-errors.md"
MAINTENANCE = "content/maintenance/2026-03-20-db-upgrade.md"
FAR = "2099-03-14T09:40:00Z"  # in the future whenever these tests run


def with_second_update(at: str, extra: str = "") -> str:
    return VALID_INCIDENT.replace(
        "    message: We are looking into it.\n",
        "    message: We are looking into it.\n"
        f"  - at: {at}\n    status: identified\n    message: Found it.\n{extra}",
    )


def errors(site: Path) -> list[dict]:
    return json.loads(validate(site, "--format", "json", "--no-lint").stdout)


def test_an_update_dated_in_the_future_is_an_error_at_its_time(tmp_path):
    site = write_site(tmp_path, {INCIDENT: with_second_update(FAR)})
    (found,) = errors(site)
    assert (found["path"], found["line"], found["col"]) == (INCIDENT, 9, 9)
    assert found["message"].startswith("update 2 is dated 2099-03-14 09:40 UTC, ")
    assert "in the future (the clock says " in found["message"]
    assert found["hint"] == (
        "check the date and timezone; to publish it at that time on purpose, "
        "add 'scheduled: true' to the update"
    )
    assert validate(site, "--no-lint").exit_code == 1


def test_a_scheduled_update_may_be_dated_in_the_future(tmp_path):
    site = write_site(tmp_path, {INCIDENT: with_second_update(FAR, "    scheduled: true\n")})
    result = validate(site, "--no-lint")
    assert result.exit_code == 0, result.stderr


def test_scheduled_must_be_true_or_false(tmp_path):
    site = write_site(tmp_path, {INCIDENT: with_second_update(FAR, "    scheduled: soon\n")})
    messages = sorted(f["message"] for f in errors(site))
    assert messages[0] == "'updates.2.scheduled' is 'soon', not true or false"


def test_a_lifecycle_time_in_the_future_is_an_error(tmp_path):
    text = VALID_INCIDENT.replace("updates:\n", f"detected: {FAR}\nupdates:\n")
    site = write_site(tmp_path, {INCIDENT: text})
    (found,) = errors(site)
    assert (found["line"], found["col"]) == (5, 11)
    assert found["message"].startswith("'detected' is dated 2099-03-14 09:40 UTC")
    assert found["hint"] == "check the date and timezone"


def test_a_maintenance_window_may_be_in_the_future_but_not_its_updates(tmp_path):
    window = (
        "---\ntitle: Upgrade\ncomponents: [api]\n"
        f"start: {FAR}\nend: 2099-03-14T11:00:00Z\n"
        "updates:\n  - at: 2099-01-01T00:00:00Z\n    status: scheduled\n    message: Soon.\n"
        "---\nText.\n"
    )
    site = write_site(tmp_path, {MAINTENANCE: window})
    assert [(f["line"], f["message"][:30]) for f in errors(site)] == [
        (7, "update 1 is dated 2099-01-01 0")
    ]


def test_a_few_minutes_of_clock_skew_are_tolerated(tmp_path):
    site = write_site(tmp_path, {INCIDENT: with_second_update("2026-03-14T09:40:00Z")})
    posted = t("2026-03-14T09:40")

    def future(clock):
        result = content.load(site / "content", site, clock=clock)
        return [f.message for f in result.findings]

    assert CLOCK_SKEW == timedelta(minutes=5)
    assert future(posted - CLOCK_SKEW) == []
    (message,) = future(posted - CLOCK_SKEW - timedelta(minutes=1))
    assert message == (
        "update 2 is dated 2026-03-14 09:40 UTC, 6 min in the future "
        "(the clock says 2026-03-14 09:34 UTC)"
    )


def test_a_build_refuses_an_update_dated_in_the_future(tmp_path):
    site = write_site(tmp_path, {INCIDENT: with_second_update(FAR)})
    result = build(site)
    assert result.exit_code == 1
    assert f"{INCIDENT}:9:9: error: update 2 is dated 2099-03-14 09:40 UTC" in result.output


def test_update_at_a_future_time_is_refused_with_the_reason(tmp_path):
    site = write_site(tmp_path, {INCIDENT: VALID_INCIDENT})
    before = (site / INCIDENT).read_bytes()
    result = run_cli(
        ["update", "2026-03-14-api-errors", "-f", site / "mkdocs.yml"]
        + ["--status", "identified", "-m", "Cause found", "--at", FAR]
    )
    assert result.exit_code == 2, result.output
    assert "Invalid value for --at: 2099-03-14 09:40 UTC is " in result.output
    assert "in the future (the clock says" in result.output
    assert (site / INCIDENT).read_bytes() == before


def test_update_at_a_past_time_is_written(tmp_path):
    site = write_site(tmp_path, {INCIDENT: VALID_INCIDENT})
    result = run_cli(
        ["update", "2026-03-14-api-errors", "-f", site / "mkdocs.yml"]
        + ["--status", "identified", "-m", "Cause found", "--at", "2026-03-14T09:40:00Z"]
    )
    assert result.exit_code == 0, result.output
    assert "at: 2026-03-14T09:40:00Z" in (site / INCIDENT).read_text()


def test_the_host_checks_content_against_the_real_time_the_edge_read(tmp_path, capsys):
    """The plugin takes the real time from the BuildContext its edge made (one reading of the
    clock per run), not from a clock of its own: with the context's clock set to 09:00, an
    update at 09:40 is in the future even though the build is for --now 2099."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    from statusbook.context import BuildContext

    site = write_site(tmp_path, {INCIDENT: with_second_update("2026-03-14T09:40:00Z")})

    def build_with(clock: str) -> str | None:
        cfg = load_config(str(site / "mkdocs.yml"), site_dir=str(tmp_path / f"out-{clock[:4]}"))
        cfg.plugins["statusbook"].context = BuildContext(now=t(FAR), clock=t(clock))
        try:
            mkdocs_build(cfg)
        except (MkDocsException, Abort) as exc:
            return str(exc)
        return None

    assert build_with("2030-01-01T00:00:00Z") is None
    capsys.readouterr()
    assert build_with("2026-03-14T09:00:00Z") is not None
    assert "40 min in the future (the clock says 2026-03-14 09:00 UTC)" in capsys.readouterr().err


def test_one_reading_of_the_clock_is_both_now_and_the_real_time_when_nothing_pins_now():
    from statusbook.context import BuildContext

    context = BuildContext.from_environment({}, clock=t("2026-03-14T09:00:07.5Z"))
    assert context.clock == t("2026-03-14T09:00:07.5Z")
    assert context.now == t("2026-03-14T09:00:07Z")
    pinned = BuildContext.from_environment(
        {"SOURCE_DATE_EPOCH": "0"}, clock=t("2026-03-14T09:00:00Z")
    )
    assert pinned.now == t("1970-01-01T00:00:00Z")
    assert pinned.clock == t("2026-03-14T09:00:00Z")


def test_the_clis_now_is_an_argument_of_the_context_and_wins_over_the_environment():
    """`statusbook build --now` hands its moment to the plugin; SOURCE_DATE_EPOCH (set for
    MkDocs' own dates, or by the user) and the site's pinned moment give way to it."""
    from statusbook.context import BuildContext

    context = BuildContext.from_environment(
        {"SOURCE_DATE_EPOCH": "0"},
        now=t("2026-03-14T09:00:00Z"),
        pinned=t("2025-01-01T00:00:00Z"),
        clock=t("2026-03-14T10:00:00Z"),
    )
    assert context.now == t("2026-03-14T09:00:00Z")
    assert context.clock == t("2026-03-14T10:00:00Z")


def test_apply_now_returns_the_whole_second_moment_it_gives_mkdocs(monkeypatch):
    from statusbook.cli.common import apply_now

    # setenv first: monkeypatch then restores the variable (or its absence) after the test
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert apply_now(None) is None
    assert "SOURCE_DATE_EPOCH" not in os.environ
    moment = apply_now("2026-03-14T09:00:07.9Z")
    assert moment == t("2026-03-14T09:00:07Z")
    assert os.environ["SOURCE_DATE_EPOCH"] == str(int(moment.timestamp()))
