"""Content YAML read as YAML 1.2 means it (issue #17, part 3).

A plain `null`, `Null`, `NULL`, `~` or nothing at all is "no value": an error where the field is
required (with a hint to quote the word when the text was meant), absent where it is optional,
and an error as a list item or a component's status. `true`, `404` and `1.50` in a text field are
the text as written; in an enum, id, time or date field the usual check applies.
"""

from __future__ import annotations

import json

import pytest

from conftest import NOW, build, validate, write_site

INCIDENT = "content/incidents/2026-03-14-api-errors.md"
MAINTENANCE = "content/maintenance/2026-03-20-db-upgrade.md"
POSTMORTEM = "content/postmortems/2026-03-14-api-errors.md"
COMPONENTS = "content/components.yml"

# Line numbers below are these files' lines.
INCIDENT_TEXT = """\
---
title: API errors
impact: major
severity: SEV2
components: [api]
updates:
  - at: 2026-03-14T09:10:00Z
    status: investigating
    message: We are looking into it.
    components:
      api: partial_outage
  - at: 2026-03-14T10:00:00Z
    status: resolved
    message: Fixed.
resolved: 2026-03-14T10:00:00Z
---
Body.
"""
MAINTENANCE_TEXT = """\
---
title: Database upgrade
components: [api]
start: 2026-03-20T02:00:00Z
end: 2026-03-20T03:00:00Z
---
Text.
"""
POSTMORTEM_TEXT = """\
---
title: What happened
incidents: [2026-03-14-api-errors]
status: draft
date: 2026-03-20
action_items:
  - description: Alert on error rate.
    owner: API team
    due: 2026-04-01
    priority: P1
    status: open
    link: https://tracker.example.com/API-1
---
Text.
"""
COMPONENTS_TEXT = """\
groups:
  - id: core
    name: Core
    description: The core.
    components:
      - id: api
        name: API
        description: The API.
components:
  - id: billing
    name: Billing
"""
BASE = {
    INCIDENT: INCIDENT_TEXT,
    MAINTENANCE: MAINTENANCE_TEXT,
    POSTMORTEM: POSTMORTEM_TEXT,
    COMPONENTS: COMPONENTS_TEXT,
}


def site_with(tmp_path, path: str, old: str, new: str):
    """The valid base site with one line of one file changed."""
    files = dict(BASE)
    assert old in files[path], f"{old!r} is not in {path}"
    files[path] = files[path].replace(old, new, 1)
    components = files.pop(COMPONENTS)
    return write_site(tmp_path / "site", files, components=components)


def text_errors(result) -> list[str]:
    """The text format's error lines with their hints, as printed."""
    lines = result.stderr.splitlines()
    return [line for line in lines if ": error: " in line or line.startswith("    hint: ")]


def _quote(field: str, form: str, what: str) -> str:
    return f', or quote it, e.g. {field}: "{form}", if you meant the {what}'


TITLE = "give it a value (what customers see as the headline)"
MESSAGE = "give it a value (what customers read)"

# (file, old, new) -> (line, col, message, hint)
REQUIRED = {
    "title-null": (
        (INCIDENT, "title: API errors", "title: null"),
        (2, 8, "'title' is null, which YAML reads as no value",
         TITLE + _quote("title", "null", "word")),
    ),
    "title-Null": (
        (INCIDENT, "title: API errors", "title: Null"),
        (2, 8, "'title' is Null, which YAML reads as no value",
         TITLE + _quote("title", "Null", "word")),
    ),
    "title-NULL": (
        (INCIDENT, "title: API errors", "title: NULL"),
        (2, 8, "'title' is NULL, which YAML reads as no value",
         TITLE + _quote("title", "NULL", "word")),
    ),
    "title-tilde": (
        (INCIDENT, "title: API errors", "title: ~"),
        (2, 8, "'title' is ~, which YAML reads as no value",
         TITLE + _quote("title", "~", "character")),
    ),
    "title-empty": (
        (INCIDENT, "title: API errors", "title:"),
        (2, 7, "'title' is empty", TITLE),
    ),
    "update-message-null": (
        (INCIDENT, "message: We are looking into it.", "message: null"),
        (9, 14, "'updates.1.message' is null, which YAML reads as no value",
         MESSAGE + _quote("message", "null", "word")),
    ),
    "update-message-empty": (
        (INCIDENT, "message: Fixed.", "message:"),
        (14, 13, "'updates.2.message' is empty", MESSAGE),
    ),
    "update-status-tilde-has-no-quote-hint": (
        (INCIDENT, "status: investigating", "status: ~"),
        (8, 13, "'updates.1.status' is ~, which YAML reads as no value",
         "give it a value (the state this update reports)"),
    ),
    "components-list-item-null": (
        (INCIDENT, "components: [api]", "components: [null]"),
        (5, 14, "item 1 of 'components' is null, which YAML reads as no value",
         "write a component id there, or remove the item"),
    ),
    "status-map-value-null": (
        (INCIDENT, "api: partial_outage", "api: null"),
        (11, 12, "'updates.1.components.api' is null, which YAML reads as no value",
         "give it a value (a component status)"),
    ),
    "updates-item-empty": (
        (INCIDENT, "  - at: 2026-03-14T10:00:00Z\n    status: resolved\n    message: Fixed.\n",
         "  -\n"),
        (12, 4, "item 2 of 'updates' is empty", "write one update there, or remove the item"),
    ),
    "maintenance-title-NULL": (
        (MAINTENANCE, "title: Database upgrade", "title: NULL"),
        (2, 8, "'title' is NULL, which YAML reads as no value",
         "give it a value (what the maintenance does)" + _quote("title", "NULL", "word")),
    ),
    "maintenance-start-tilde": (
        (MAINTENANCE, "start: 2026-03-20T02:00:00Z", "start: ~"),
        (4, 8, "'start' is ~, which YAML reads as no value",
         "give it a value (start of the window)"),
    ),
    "postmortem-title-null": (
        (POSTMORTEM, "title: What happened", "title: null"),
        (2, 8, "'title' is null, which YAML reads as no value",
         "give it a value (the postmortem's title)" + _quote("title", "null", "word")),
    ),
    "postmortem-action-owner-null": (
        (POSTMORTEM, "owner: API team", "owner: null"),
        (8, 12, "'action_items.1.owner' is null, which YAML reads as no value",
         "give it a value (the team or role that owns it)" + _quote("owner", "null", "word")),
    ),
    "postmortem-incidents-item-tilde": (
        (POSTMORTEM, "incidents: [2026-03-14-api-errors]", "incidents: [~]"),
        (3, 13, "item 1 of 'incidents' is ~, which YAML reads as no value",
         "write an incident id (its file name without .md) there, or remove the item"),
    ),
    "components-yml-name-null": (
        (COMPONENTS, "        name: API\n", "        name: null\n"),
        (7, 15, "'groups.1.components.1.name' is null, which YAML reads as no value",
         "give it a value (display name)" + _quote("name", "null", "word")),
    ),
    "components-yml-group-id-empty": (
        (COMPONENTS, "  - id: core", "  - id:"),
        (2, 8, "'groups.1.id' is empty", "give it a value (stable id of the group)"),
    ),
}  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), list(REQUIRED.values()), ids=list(REQUIRED))
def test_a_null_where_a_value_is_needed_is_an_error_at_its_place(tmp_path, change, expected):
    path, old, new = change
    line, col, message, hint = expected
    site = site_with(tmp_path, path, old, new)
    result = validate(site)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    where = f"{path}:{line}:{col}"
    assert text_errors(result)[:2] == [f"{where}: error: {message}", f"    hint: {hint}"]
    as_json = json.loads(validate(site, "--format", "json").stdout)
    errors = [f for f in as_json if f["severity"] == "error"]
    assert errors[0] == {
        "path": path,
        "line": line,
        "col": col,
        "severity": "error",
        "message": message,
        "hint": hint,
    }


# (file, old, new): an optional field given no value is as if it were not there.
OPTIONAL = {
    "severity-null": (INCIDENT, "severity: SEV2", "severity: null"),
    "notes-tilde": (INCIDENT, "severity: SEV2", "notes: ~"),
    "roles-empty": (INCIDENT, "severity: SEV2", "roles:"),
    "resolved-null-is-no-resolved-time": (
        INCIDENT,
        "  - at: 2026-03-14T10:00:00Z\n    status: resolved\n    message: Fixed.\n"
        "resolved: 2026-03-14T10:00:00Z\n",
        "resolved: null\n",
    ),
    "update-components-NULL": (INCIDENT, "    components:\n      api: partial_outage\n",
                               "    components: NULL\n"),
    "next-update-empty": (INCIDENT, "    message: Fixed.\n",
                          "    message: Fixed.\n    next_update:\n"),
    "maintenance-updates-null": (MAINTENANCE, "end: 2026-03-20T03:00:00Z\n",
                                 "end: 2026-03-20T03:00:00Z\nupdates: null\n"),
    "postmortem-date-Null": (POSTMORTEM, "date: 2026-03-20", "date: Null"),
    "action-item-link-tilde": (POSTMORTEM, "link: https://tracker.example.com/API-1", "link: ~"),
    "components-yml-description-null": (COMPONENTS, "description: The API.", "description: null"),
    "components-yml-loose-components-empty": (
        COMPONENTS, "components:\n  - id: billing\n    name: Billing\n", "components:\n"
    ),
}  # fmt: skip


@pytest.mark.parametrize(("path", "old", "new"), list(OPTIONAL.values()), ids=list(OPTIONAL))
def test_a_null_in_an_optional_field_is_an_absent_value(tmp_path, path, old, new):
    site = site_with(tmp_path, path, old, new)
    result = validate(site, "--format", "json", "--no-lint")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_a_quoted_null_is_the_word(tmp_path):
    site = site_with(tmp_path, INCIDENT, "title: API errors", 'title: "null"')
    out = tmp_path / "out"
    result = build(site, "-d", str(out), "--now", NOW, "-q")
    assert result.exit_code == 0, result.output
    page = (out / "incidents" / "2026-03-14-api-errors" / "index.html").read_text("utf-8")
    assert "<h1>null</h1>" in page.replace("\n", "")


# Free text keeps what was written: YAML 1.2 would read `404` and `true` as a number and a
# boolean (and `1.50` as 1.5), YAML 1.1 `yes` and `off` as booleans; a title is text.
AS_TEXT = ["404", "1.50", "0x1F", "1e3", "true", "False", "yes", "off", "-.inf", "10:30"]


@pytest.mark.parametrize("written", AS_TEXT)
def test_numbers_and_booleans_in_text_fields_are_the_text_as_written(tmp_path, written):
    from statusbook import content

    site = site_with(tmp_path, INCIDENT, "title: API errors", f"title: {written}")
    (site / INCIDENT).write_text(
        (site / INCIDENT).read_text("utf-8").replace("message: Fixed.", f"message: {written}"),
        encoding="utf-8",
    )
    loaded = content.load(site / "content", site)
    assert loaded.corpus is not None, loaded.findings
    (incident,) = loaded.corpus.incidents
    assert incident.title == written
    assert incident.updates[-1].message == written


# (file, old, new) -> (line, col, message): in typed fields the usual checks apply.
TYPED = {
    "status-true": (
        (INCIDENT, "status: investigating", "status: true"),
        (8, 13, "'updates.1.status' is 'true', which is not allowed"),
    ),
    "impact-yes": (
        (INCIDENT, "impact: major", "impact: yes"),
        (3, 9, "'impact' is 'yes', which is not allowed"),
    ),
    "component-id-number": (
        (INCIDENT, "components: [api]", "components: [404]"),
        (5, 14, "unknown component '404'"),
    ),
    "at-number": (
        (INCIDENT, "at: 2026-03-14T09:10:00Z", "at: 1710407400"),
        (7, 9, "'updates.1.at' is '1710407400', not an ISO 8601 time"),
    ),
    "due-number": (
        (POSTMORTEM, "due: 2026-04-01", "due: 2026"),
        (9, 10, "'action_items.1.due' is '2026', not a valid date"),
    ),
}


@pytest.mark.parametrize(("change", "expected"), list(TYPED.values()), ids=list(TYPED))
def test_numbers_and_booleans_in_typed_fields_get_the_usual_check(tmp_path, change, expected):
    path, old, new = change
    line, col, message = expected
    site = site_with(tmp_path, path, old, new)
    result = validate(site)
    assert result.exit_code == 1, result.output
    first = text_errors(result)[0]
    assert first.startswith(f"{path}:{line}:{col}: error: {message}"), first
