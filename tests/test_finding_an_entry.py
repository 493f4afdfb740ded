"""Naming the incident to update: `update`, `resolve`, `reopen` and `cancel` take an id, a file
path, or the unique start of an id, with or without the date every id begins with. An engineer
typing `statusbook update login` on a phone finds 2026-03-14-login-fails; a name that fits
several, or none, changes no file and says what would fit."""

from __future__ import annotations

import pytest

from conftest import VALID_INCIDENT, run_cli, write_site


def _incident(title: str, day: str, resolved: bool = False) -> str:
    """conftest's valid incident under another title and day, open or resolved."""
    text = VALID_INCIDENT.replace("API errors", title).replace("2026-03-14", day)
    if resolved:
        ending = f"  - at: {day}T10:00:00Z\n    status: resolved\n    message: Fine.\n---\n"
        text = text.replace("---\nBody", ending + "Body")
    return text


FILES = {
    "content/incidents/2026/2026-03-14-login-fails.md": _incident("Login fails", "2026-03-14"),
    "content/incidents/2026/2026-03-12-api-errors.md": _incident("API errors", "2026-03-12"),
    "content/incidents/2026/2026-03-10-api-slow.md": _incident("API slow", "2026-03-10", True),
}


def _site(tmp_path):
    site = write_site(tmp_path, FILES)
    before = {rel: (site / rel).read_text() for rel in FILES}
    return site, before


def _update(site, key):
    return run_cli(["update", key, "-m", "Still on it.", "--at", "2026-03-14T10:00:00Z",
                    "-f", site / "mkdocs.yml"])  # fmt: skip


def _changed(site, before):
    return sorted(rel for rel, text in before.items() if (site / rel).read_text() != text)


def test_the_start_of_the_title_part_of_an_id_finds_the_incident(tmp_path):
    site, before = _site(tmp_path)
    result = _update(site, "login")
    assert result.exit_code == 0, result.output
    assert _changed(site, before) == ["content/incidents/2026/2026-03-14-login-fails.md"]
    assert "message: Still on it." in (site / next(iter(FILES))).read_text()


def test_the_start_of_the_whole_id_and_the_file_path_still_work(tmp_path):
    site, before = _site(tmp_path)
    assert _update(site, "2026-03-12").exit_code == 0
    assert _update(site, "content/incidents/2026/2026-03-14-login-fails.md").exit_code == 0
    assert _changed(site, before) == [
        "content/incidents/2026/2026-03-12-api-errors.md",
        "content/incidents/2026/2026-03-14-login-fails.md",
    ]


def test_a_name_that_fits_several_incidents_changes_nothing_and_lists_them(tmp_path):
    site, before = _site(tmp_path)
    result = _update(site, "api")
    assert result.exit_code != 0
    assert "'api' matches 2 incidents" in result.output
    assert "2026-03-12-api-errors" in result.output and "2026-03-10-api-slow" in result.output
    assert _changed(site, before) == []


@pytest.mark.parametrize("key", ["payments", "03-14"])  # the date only at an id's start
def test_a_name_that_fits_none_changes_nothing_and_lists_the_open_incidents(tmp_path, key):
    site, before = _site(tmp_path)
    result = _update(site, key)
    assert result.exit_code != 0
    assert f"no incident matches '{key}'; open now:" in result.output
    assert "2026-03-14-login-fails" in result.output
    assert "2026-03-12-api-errors" in result.output
    assert "api-slow" not in result.output  # resolved
    assert "Traceback" not in result.output
    assert _changed(site, before) == []


def test_the_open_windows_listed_are_those_the_clock_has_not_ended(tmp_path):
    window = "---\ntitle: {title}\ncomponents: [api]\nstart: {start}\nend: {end}\n---\n"
    files = {
        "content/maintenance/2020-01-05-old-upgrade.md": window.format(
            title="Old upgrade", start="2020-01-05T06:00:00Z", end="2020-01-05T07:00:00Z"
        ),  # over by the clock, though no update says so
        "content/maintenance/2099-01-05-next-upgrade.md": window.format(
            title="Next upgrade", start="2099-01-05T06:00:00Z", end="2099-01-05T07:00:00Z"
        ),
    }
    site = write_site(tmp_path, files)
    result = run_cli(["cancel", "database", "-m", "Not needed.", "-f", site / "mkdocs.yml"])
    assert result.exit_code != 0
    assert "no maintenance matches 'database'; open now: 2099-01-05-next-upgrade" in result.output
    assert "old-upgrade" not in result.output
    assert all((site / rel).read_text() == text for rel, text in files.items())
