"""One mistake, one message (#21): a file that cannot be read reports its own problem only,
checks of other files that depend on it wait (one note says so), and each problem is
reported once, at the place to fix it, with items numbered from 1 everywhere.

Each test reproduces a case from the issue and asserts the exact set of findings.
"""

from __future__ import annotations

import json

from conftest import VALID_INCIDENT, validate, write_site

INCIDENT = "content/incidents/2026/2026-03-14-api-errors.md"
MAINTENANCE = "content/maintenance/2026-03-20-db-upgrade.md"
POSTMORTEM = "content/postmortems/2026-03-14-api-errors.md"
COMPONENTS = "content/components.yml"

VALID_POSTMORTEM = (
    "---\ntitle: API errors\nincidents: [2026-03-14-api-errors]\nstatus: draft\n---\nText.\n"
)
VALID_MAINTENANCE = """\
---
title: Database upgrade
components: [api, billing]
start: 2026-03-20T02:00:00Z
end: 2026-03-20T04:00:00Z
---
Read-only for ten minutes.
"""


def found(site) -> set[tuple[str, int, int, str]]:
    """(path, line, col, severity) of every finding of `validate --format json`."""
    result = validate(site, "--format", "json", "--no-lint")
    return {(f["path"], f["line"], f["col"], f["severity"]) for f in json.loads(result.stdout)}


def messages(site) -> list[dict]:
    return json.loads(validate(site, "--format", "json", "--no-lint").stdout)


def test_yaml_error_in_an_incident_does_not_also_blame_its_postmortem(tmp_path):
    broken = VALID_INCIDENT.replace("title: API errors", "title: API: errors")
    site = write_site(tmp_path, {INCIDENT: broken, POSTMORTEM: VALID_POSTMORTEM})
    result = messages(site)
    assert {(f["path"], f["line"], f["col"], f["severity"]) for f in result} == {
        (INCIDENT, 2, 11, "error"),
        (INCIDENT, 0, 0, "note"),
    }
    note = next(f for f in result if f["severity"] == "note")
    assert POSTMORTEM in note["message"] and "until this file is fixed" in note["message"]


def test_a_postmortem_naming_a_missing_incident_is_still_an_error(tmp_path):
    pm = VALID_POSTMORTEM.replace("api-errors]", "api-eror]")
    site = write_site(tmp_path, {INCIDENT: VALID_INCIDENT, POSTMORTEM: pm})
    assert found(site) == {(POSTMORTEM, 3, 13, "error")}


def test_misspelt_component_gives_one_finding_with_the_did_you_mean(tmp_path):
    text = VALID_INCIDENT.replace("components: [api]", "components: [apii]").replace(
        "    message: We are looking into it.\n",
        "    message: We are looking into it.\n    components:\n      api: major_outage\n",
    )
    site = write_site(tmp_path, {INCIDENT: text})
    result = messages(site)
    assert [(f["line"], f["col"], f["message"], f["hint"]) for f in result] == [
        (
            4,
            14,
            "unknown component 'apii'",
            "did you mean 'api'? (components are defined in content/components.yml)",
        )
    ]


def test_an_update_naming_a_component_the_incident_does_not_list_is_still_an_error(tmp_path):
    text = VALID_INCIDENT.replace(
        "    message: We are looking into it.\n",
        "    message: We are looking into it.\n    components:\n      billing: major_outage\n",
    )
    site = write_site(tmp_path, {INCIDENT: text})
    assert [f["message"] for f in messages(site)] == [
        "update 1 changes component 'billing', which the incident does not list"
    ]


def test_yaml_error_in_components_yml_is_not_repeated_as_unknown_components(tmp_path):
    broken = "components:\n  - id: api\n    name: API\n   - id: billing\n    name: Billing\n"
    site = write_site(
        tmp_path,
        {INCIDENT: VALID_INCIDENT, MAINTENANCE: VALID_MAINTENANCE},
        components=broken,
    )
    result = messages(site)
    assert {(f["path"], f["line"], f["severity"]) for f in result} == {
        (COMPONENTS, 4, "error"),
        (COMPONENTS, 0, "note"),
    }
    note = next(f for f in result if f["severity"] == "note")
    assert note["message"] == (
        "component ids in incidents and maintenance are not checked until this file is fixed"
    )


def test_a_note_is_not_counted_as_a_problem_in_the_summary(tmp_path):
    broken = VALID_INCIDENT.replace("title: API errors", "title: API: errors")
    site = write_site(tmp_path, {INCIDENT: broken, POSTMORTEM: VALID_POSTMORTEM})
    result = validate(site, "--no-lint")
    assert result.exit_code == 1
    assert f"{INCIDENT}: note: not checked whether {POSTMORTEM}" in result.stderr
    # The problem first, then the note about what waits for its fix.
    assert result.stderr.index(": error: ") < result.stderr.index(": note: ")
    assert result.stderr.rstrip().endswith("\n1 error in 1 file")
    github = validate(site, "--no-lint", "--format", "github").stdout
    assert f"::notice file={INCIDENT}::not checked whether" in github


def test_unclosed_quote_is_reported_where_the_quote_opens(tmp_path):
    text = VALID_INCIDENT.replace("title: API errors", 'title: "API errors')
    site = write_site(tmp_path, {INCIDENT: text})
    result = messages(site)
    assert [(f["line"], f["col"]) for f in result] == [(2, 8)]
    assert 'quoted value that starts here with " is not closed' in result[0]["message"]
    assert result[0]["hint"] == (
        'add the closing " at the end of the value (a " inside it is written \\")'
    )


def test_unclosed_quote_closed_by_a_later_quote_is_reported_where_it_opens(tmp_path):
    # libyaml reads on to the next ' (line 10) and fails there: the mistake is on line 8.
    text = """\
---
title: API errors
impact: major
components: [api]
updates:
  - at: 2026-03-14T09:10:00Z
    status: investigating
    message: 'We are looking into it.
  - at: 2026-03-14T09:40:00Z
    status: identified
    message: 'A bad deploy.'
---
Body.
"""
    site = write_site(tmp_path, {INCIDENT: text})
    result = messages(site)
    assert [(f["line"], f["col"], f["severity"]) for f in result] == [(8, 14, "error")]
    assert "quoted value that starts here with ' is not closed" in result[0]["message"]


def test_updates_are_numbered_from_1_in_every_message(tmp_path):
    text = VALID_INCIDENT.replace(
        "    message: We are looking into it.\n",
        "    message: We are looking into it.\n"
        "  - at: 2026-03-14T09:00:00Z\n"
        "    status: identifed\n"
        "    message: Found it.\n"
        "  - at: 2026-03-14T08:00:00Z\n"
        "    status: identified\n"
        "    message: Found it.\n"
        "    components:\n      billing: major_outage\n",
    )
    site = write_site(tmp_path, {INCIDENT: text})
    assert sorted(f["message"] for f in messages(site)) == [
        "'updates.2.status' is 'identifed', which is not allowed",
        "update 3 (2026-03-14 08:00 UTC) is earlier than the update before it "
        "(2026-03-14 09:10 UTC)",
        "update 3 changes component 'billing', which the incident does not list",
    ]
