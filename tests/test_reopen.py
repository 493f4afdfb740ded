"""Reopening a resolved incident (#21), and help that does not cut descriptions short.

`update` on a resolved incident says how to go on; `reopen` posts an update after the
resolved one (which stays in the timeline), puts the components back to the impact's status
and removes the `resolved:` time, so the file validates and the incident is active again.
"""

from __future__ import annotations

import re

from conftest import build, run_cli, write_site

INCIDENT = "content/incidents/2026/2026-03-14-api-errors.md"
RESOLVED = """\
---
title: API errors
impact: major
components: [api]
started: 2026-03-14T09:02:00Z
resolved: 2026-03-14T10:20:00Z   # set by statusbook resolve
updates:
  - at: 2026-03-14T09:10:00Z
    status: investigating
    message: We are looking into it.
  - at: 2026-03-14T10:20:00Z
    status: resolved
    message: Fixed.
    components:
      api: operational
---
Body text.
"""


def cli(site, *args):
    return run_cli([*args, "-f", site / "mkdocs.yml"])


def test_update_on_a_resolved_incident_points_to_reopen(tmp_path):
    site = write_site(tmp_path, {INCIDENT: RESOLVED})
    result = cli(site, "update", "2026-03-14-api-errors", "-m", "Back again.")
    assert result.exit_code == 1
    assert result.output == (
        "Error: 2026-03-14-api-errors is resolved. If the problem is back, reopen it: "
        'statusbook reopen 2026-03-14-api-errors -m "..." (or open a new incident)\n'
    )
    assert (site / INCIDENT).read_text() == RESOLVED


def test_reopen_keeps_the_resolved_update_and_removes_the_resolved_time(tmp_path):
    site = write_site(tmp_path, {INCIDENT: RESOLVED})
    result = cli(
        site, "reopen", "2026-03-14-api-errors", "-m", "Errors are back.",
        "--at", "2026-03-14T11:00:00Z", "--next-update", "",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (site / INCIDENT).read_text()
    assert "resolved: 2026" not in text
    assert text.endswith(
        "  - at: 2026-03-14T10:20:00Z\n"
        "    status: resolved\n"
        "    message: Fixed.\n"
        "    components:\n"
        "      api: operational\n"
        "  - at: 2026-03-14T11:00:00Z\n"
        "    status: investigating\n"
        "    message: Errors are back.\n"
        "    components:\n"
        "      api: partial_outage\n"
        "---\nBody text.\n"
    )
    status = cli(site, "status", "--now", "2026-03-14T11:05:00Z")
    assert re.search(r"Active incidents \(1\):\n  2026-03-14-api-errors  \[investigating\]",
                     status.output), status.output  # fmt: skip


def test_the_reopened_incident_is_active_on_the_page_with_its_whole_timeline(tmp_path):
    site = write_site(tmp_path, {INCIDENT: RESOLVED})
    reopen = ["reopen", "2026-03-14-api-errors", "-m", "Errors are back.", "--status"]
    cli(site, *reopen, "identified", "--set", "api=major_outage", "--at", "2026-03-14T11:00:00Z")
    out = tmp_path / "out"
    result = build(
        site, "-d", out, "--now", "2026-03-14T11:05:00Z", "--site-url", "https://s.example/"
    )
    assert result.exit_code == 0, result.output
    page = (out / "incidents" / "2026-03-14-api-errors" / "index.html").read_text()
    assert page.index("Errors are back.") < page.index("Fixed.") < page.index("We are looking")
    home = (out / "index.html").read_text()
    assert "Major Service Outage" in home


def test_reopen_refuses_an_incident_that_is_not_resolved(tmp_path):
    active = (
        RESOLVED.split("  - at: 2026-03-14T10:20:00Z")[0].replace(
            "resolved: 2026-03-14T10:20:00Z   # set by statusbook resolve\n", ""
        )
        + "---\nBody text.\n"
    )
    site = write_site(tmp_path, {INCIDENT: active})
    result = cli(site, "reopen", "2026-03-14-api-errors", "-m", "x")
    assert result.exit_code == 1
    assert "is not resolved: post an update with `statusbook update`" in result.output


def test_new_help_shows_each_subcommand_description_in_full():
    result = run_cli(["new", "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "..." not in result.output.split("Commands:")[1]
    assert "incident     Open an incident: a new file in content/incidents/." in result.output
    assert "postmortem   Start a postmortem draft pre-filled from an incident." in result.output


def test_top_level_help_cuts_no_description_short():
    result = run_cli(["--help"], env={"COLUMNS": "80"})
    assert "..." not in result.output.split("Commands:")[1]
    assert re.search(r"^  reopen\s+Reopen a resolved incident: the problem is back\.$",
                     result.output, re.M)  # fmt: skip
