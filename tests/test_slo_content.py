"""`slo:` and `runbooks:` in content files: checked like every other field, where they stand."""

from __future__ import annotations

import json

import pytest

from conftest import VALID_INCIDENT, validate, write_site
from test_validate import findings

COMPONENTS = """\
components:
  - id: api
    name: API
{extra}
"""


def _errors(tmp_path, extra: str, files=None):
    site = write_site(tmp_path, files, components=COMPONENTS.format(extra=extra))
    result = validate(site)
    return result, findings(result)


@pytest.mark.parametrize(
    ("extra", "line", "col", "message", "hint"),
    [
        (
            "    slo: {target: 99.9%}",
            4,
            19,
            "'components.1.slo.target' is '99.9%', not a number",
            "write a plain number without '%', e.g. 99.9",
        ),
        (
            "    slo: {target: 100}",
            4,
            19,
            "'components.1.slo.target' is 100, out of range",
            "below 100",
        ),
        (
            "    slo: {target: 99.9, window: 7d}",
            4,
            33,
            "'components.1.slo.window' is '7d', which is not allowed",
            "expected one of: 30d, 90d",
        ),
        (
            "    slo: {target: 99.9, partial_outage: 1.5}",
            4,
            41,
            "'components.1.slo.partial_outage' is 1.5, out of range",
            "at most 1",
        ),
        (
            "    slo: {window: 30d}",
            4,
            10,
            "missing required field 'target' in components.1.slo",
            "add 'target:'",
        ),
        (
            "    slo: 99.9",
            4,
            10,
            "'components.1.slo' must be a mapping, found '99.9'",
            "write it as slo: {target: 99.9, window: 30d}",
        ),
        (
            "    slo: {target: 99.9, maintenance: skip}",
            4,
            38,
            "'components.1.slo.maintenance' is 'skip', which is not allowed",
            "excluded, counted",
        ),
        (
            "    runbooks:\n      - title: Restart\n        link: ftp://files.example/r",
            6,
            15,
            "'components.1.runbooks.1.link' is 'ftp://files.example/r', not an http(s) URL",
            "write a full address",
        ),
        (
            "    runbooks:\n      - link: https://wiki.example/r",
            5,
            9,
            "missing required field 'title' in components.1.runbooks.1",
            "add 'title:'",
        ),
    ],
    ids=[
        "percent-sign",
        "target-100",
        "window",
        "share-above-1",
        "no-target",
        "bare-number",
        "maintenance",
        "runbook-ftp",
        "runbook-no-title",
    ],
)
def test_bad_values_are_reported_at_their_place_with_a_hint(
    tmp_path, extra, line, col, message, hint
):
    result, found = _errors(tmp_path, extra)
    assert result.exit_code == 1
    assert len(found) == 1, result.stderr
    assert found[0]["path"] == "content/components.yml"
    assert (found[0]["line"], found[0]["col"]) == (line, col)
    assert found[0]["message"] == message
    assert hint in found[0]["hint"]
    assert "Traceback" not in result.output


def test_an_incident_runbook_link_must_be_http(tmp_path):
    text = VALID_INCIDENT.replace(
        "---\nBody", "runbooks:\n  - title: Failover\n    link: javascript:alert(1)\n---\nBody", 1
    )
    assert "runbooks:" in text
    site = write_site(tmp_path, {"content/incidents/2026-05-01-x.md": text})
    found = findings(validate(site))
    assert [f["message"] for f in found] == [
        "'runbooks.1.link' is 'javascript:alert(1)', not an http(s) URL"
    ]


def test_a_valid_objective_and_runbooks_pass(tmp_path):
    extra = (
        "    slo: {target: 99.95, window: 90d, partial_outage: 0.5, degraded_performance: 0.1,"
        " maintenance: counted}\n"
        "    runbooks:\n      - title: Restart the API\n        link: https://wiki.example/api"
    )
    result, found = _errors(tmp_path, extra)
    assert result.exit_code == 0, result.stderr
    assert found == []


def test_the_json_schema_describes_slo_and_runbooks(tmp_path):
    from statusbook.content.schema import json_schema

    component = json_schema("components")["properties"]["components"]["items"]["properties"]
    target = component["slo"]["properties"]["target"]
    assert (target["type"], target["minimum"], target["exclusiveMaximum"]) == ("number", 0, 100)
    assert component["slo"]["properties"]["window"]["enum"] == ["30d", "90d"]
    runbook = component["runbooks"]["items"]
    assert runbook["required"] == ["title", "link"]
    assert runbook["properties"]["link"]["pattern"] == "^https?://"
    incident = json_schema("incident")["properties"]
    assert incident["runbooks"] == component["runbooks"]
    json.dumps(component)  # serialisable
