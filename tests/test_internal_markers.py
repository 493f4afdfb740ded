"""Internal blocks: one rule in every Markdown field, and nothing else that looks like a marker.

A block is a line `<!-- internal -->`, text, a line `<!-- /internal -->`. The public edition
leaves blocks out of incident bodies, update messages, maintenance bodies and postmortems;
`--internal` shows them labelled. Anything that looks like a marker but is not one is an error
at the place to fix, because guessing would publish what its author meant to hide.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from conftest import MINIMAL_MKDOCS, build, snapshot, validate, write_site
from statusbook.content import markers

NOW = "2026-05-10T12:00:00Z"
MKDOCS = MINIMAL_MKDOCS.replace("plugins:\n", "plugins:\n  - search\n").replace(
    "  - statusbook\n", "  - statusbook:\n      postmortem_sections: []\n"
)

#: The marker forms the validator accepts (open, close): spacing and letter case forgiven.
ACCEPTED_FORMS = {
    "plain": ("<!-- internal -->", "<!-- /internal -->"),
    "tight": ("<!--internal-->", "<!--/internal-->"),
    "upper": ("<!-- INTERNAL -->", "<!-- / Internal -->"),
    "indented": ("   <!-- internal -->  ", "  <!--  /internal  -->"),
}

FIELDS = (
    "incident-body",
    "incident-message",
    "maintenance-body",
    "maintenance-message",
    "postmortem-body",
)


def _token(form: str, field: str) -> str:
    return f"SECRET-{form}-{field}".upper()


def _block(form: str, field: str, indent: str = "") -> str:
    """Public text, an internal block holding the field's token and a code fence, more text."""
    open_, close = ACCEPTED_FORMS[form]
    lines = [
        f"Public before {field}.",
        "",
        open_,
        f"Held back: {_token(form, field)}.",
        "```",
        f"trace {_token(form, field)}-IN-FENCE",
        "```",
        close,
        "",
        f"Public after {field}.",
    ]
    return "\n".join(indent + line if line else "" for line in lines)


def _site_with_blocks(root: Path, forms: list[str]) -> Path:
    files: dict[str, str] = {}
    for form in forms:
        files[f"content/incidents/2026-05-0{_n(form)}-{form}.md"] = f"""\
---
title: Incident with {form} markers
impact: minor
components: [api]
updates:
  - at: 2026-05-0{_n(form)}T09:00:00Z
    status: investigating
    message: |
{_block(form, "incident-message", "      ")}
  - at: 2026-05-0{_n(form)}T10:00:00Z
    status: resolved
    message: Fixed.
---
{_block(form, "incident-body")}
"""
        files[f"content/maintenance/2026-05-2{_n(form)}-{form}.md"] = f"""\
---
title: Maintenance with {form} markers
components: [billing]
start: 2026-05-2{_n(form)}T02:00:00Z
end: 2026-05-2{_n(form)}T04:00:00Z
updates:
  - at: 2026-05-09T09:00:00Z
    status: scheduled
    message: |
{_block(form, "maintenance-message", "      ")}
---
{_block(form, "maintenance-body")}
"""
        files[f"content/postmortems/2026-05-0{_n(form)}-{form}.md"] = f"""\
---
title: Postmortem with {form} markers
incidents: [2026-05-0{_n(form)}-{form}]
status: published
date: 2026-05-08
summary: What happened.
---
{_block(form, "postmortem-body")}
"""
    return write_site(root, files, mkdocs=MKDOCS)


def _n(form: str) -> int:
    return list(ACCEPTED_FORMS).index(form) + 1


def _every_output_text(folder: Path) -> dict[str, str]:
    """Every file of a built site as text, gzip files decompressed."""
    out = {}
    for rel, data in snapshot(folder).items():
        if rel.endswith(".gz"):
            data = gzip.decompress(data)
        out[rel] = data.decode("utf-8", errors="replace")
    return out


# --- the public edition -----------------------------------------------------------------------


def test_no_output_file_contains_text_from_an_internal_block(tmp_path):
    site = _site_with_blocks(tmp_path / "site", list(ACCEPTED_FORMS))
    out = tmp_path / "out"
    result = validate(site, "--no-lint")
    assert result.exit_code == 0, result.output
    result = build(site, "-d", out, "--now", NOW)
    assert result.exit_code == 0, result.output
    texts = _every_output_text(out)
    assert "search/search_index.json" in texts
    assert any(rel.endswith(".xml") or rel.endswith(".rss") for rel in texts)
    leaks = [
        (rel, form, field)
        for rel, text in texts.items()
        for form in ACCEPTED_FORMS
        for field in FIELDS
        if _token(form, field) in text
    ]
    assert leaks == []
    # What stands around the blocks is published, from every field.
    home = texts["incidents/2026-05-01-plain/index.html"]
    assert "Public before incident-body." in home and "Public after incident-body." in home
    assert "Public after incident-message." in home
    api = json.loads(texts["api/v2/incidents.json"])
    messages = [u["body"] for i in api["incidents"] for u in i["incident_updates"]]
    assert any("Public after incident-message." in m for m in messages)
    assert not any("<!--" in m for m in messages)


def test_the_internal_edition_shows_every_block_labelled(tmp_path):
    site = _site_with_blocks(tmp_path / "site", ["plain", "upper"])
    out = tmp_path / "out"
    result = build(site, "-d", out, "--now", NOW, "--internal")
    assert result.exit_code == 0, result.output
    texts = _every_output_text(out)
    incident = texts["incidents/2026-05-01-plain/index.html"]
    for field in ("incident-body", "incident-message"):
        assert _token("plain", field) in incident
    assert incident.count("Internal: not on the public site") == 2
    maintenance = next(t for r, t in texts.items() if r.startswith("maintenance/2026-05-21"))
    assert _token("plain", "maintenance-body") in maintenance
    assert _token("plain", "maintenance-message") in maintenance
    assert "Internal: not on the public site" in maintenance
    postmortem = texts["postmortems/2026-05-03-upper/index.html"]
    assert _token("upper", "postmortem-body") in postmortem
    assert "Internal: not on the public site" in postmortem
    # The fence inside the block stays a code block.
    assert f"<code>trace {_token('upper', 'postmortem-body')}-IN-FENCE" in postmortem


# --- forms that are refused -------------------------------------------------------------------

INCIDENT = """\
---
title: {title}
impact: minor
components: [api]
updates:
  - at: 2026-05-01T09:00:00Z
    status: investigating
    message: {message}
---
{body}
"""

REFUSED = {
    "inline in a body": (
        {"body": "We restarted it. <!-- internal --> The key was SECRET. <!-- /internal -->"},
        "must stand on a line of its own",
    ),
    "extra words in the marker": (
        {"body": "Text.\n\n<!-- internal: legal review -->\nSECRET\n<!-- /internal -->"},
        "'<!-- internal: legal review -->' is not an internal marker",
    ),
    "a block never closed": (
        {"body": "Text.\n\n<!-- internal -->\nSECRET"},
        "internal block is never closed",
    ),
    "a close with no open": (
        {"body": "Text.\n\nSECRET\n<!-- /internal -->"},
        "'<!-- /internal -->' closes no internal block",
    ),
    "a block inside another": (
        {"body": "<!-- internal -->\nA\n<!-- internal -->\nSECRET\n<!-- /internal -->"},
        "an internal block starts inside the one opened on line 1",
    ),
    "a marker inside a code fence": (
        {"body": "```\n<!-- internal -->\nSECRET\n<!-- /internal -->\n```"},
        "inside a code block is shown as text",
    ),
    "an unclosed comment": (
        {"body": "Text.\n\n<!-- internal SECRET"},
        "is not closed",
    ),
    "a marker in a one-line field": (
        {"title": "Outage <!-- internal --> SECRET"},
        "this field is published exactly as written",
    ),
    "a marker inline in a message": (
        {"message": '"Fixed. <!-- internal -->SECRET<!-- /internal -->"'},
        "must stand on a line of its own",
    ),
    "a message that is all internal": (
        {"message": "|\n      <!-- internal -->\n      SECRET\n      <!-- /internal -->"},
        "customers would see an empty update",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_a_marker_that_is_not_one_is_an_error_where_it_stands(tmp_path, case):
    parts, expected = REFUSED[case]
    text = INCIDENT.format(**{"title": "Outage", "message": "Fixed.", "body": "Body.", **parts})
    rel = "content/incidents/2026-05-01-outage.md"
    site = write_site(tmp_path / "site", {rel: text})
    result = validate(site, "--no-lint", "--format", "json")
    assert result.exit_code == 1, result.output
    findings = [f for f in json.loads(result.stdout) if expected in f["message"]]
    assert len(findings) == 1, result.output
    finding = findings[0]
    # The reported line is one that holds a marker (or, for a whole-internal message, the
    # message itself), and the hint says how to write a marker or what to do instead.
    line = text.split("\n")[finding["line"] - 1]
    assert "<!--" in line or "message:" in line, (finding, line)
    assert finding["hint"]
    if "<!--" in line and case != "a block inside another":
        assert line[finding["col"] - 1 :].startswith("<!--"), (finding, line)


def test_a_refused_marker_builds_nothing_and_keeps_the_previous_site(tmp_path):
    site = write_site(
        tmp_path / "site",
        {
            "content/incidents/2026-05-01-outage.md": INCIDENT.format(
                title="Outage", message="Fixed.", body="Body."
            )
        },
    )
    out = tmp_path / "out"
    assert build(site, "-d", out, "--now", NOW).exit_code == 0
    before = snapshot(out)
    (site / "content/incidents/2026-05-01-outage.md").write_text(
        INCIDENT.format(title="Outage", message="Fixed.", body="A <!-- internal --> SECRET"),
        encoding="utf-8",
    )
    result = build(site, "-d", out, "--now", NOW)
    assert result.exit_code != 0
    assert "2026-05-01-outage.md:10:3" in result.output
    assert snapshot(out) == before


def test_markers_in_every_kind_of_file_are_checked(tmp_path):
    site = write_site(
        tmp_path / "site",
        {
            "content/maintenance/2026-05-20-db.md": """\
---
title: Database upgrade
components: [billing]
start: 2026-05-20T02:00:00Z
end: 2026-05-20T04:00:00Z
---
Upgrade. <!-- internal --> runbook SECRET <!-- /internal -->
""",
            "content/postmortems/2026-05-01-outage.md": """\
---
title: Outage
incidents: [2026-05-01-outage]
status: published
action_items:
  - description: Rotate the key <!-- internal --> SECRET
    owner: Platform
    due: 2026-06-01
    priority: P1
    status: open
---
Text.
""",
            "content/incidents/2026-05-01-outage.md": INCIDENT.format(
                title="Outage", message="Fixed.", body="Body."
            ),
        },
        components="""\
components:
  - id: api
    name: API
    description: The API <!-- internal --> SECRET host
  - id: billing
    name: Billing
""",
    )
    result = validate(site, "--no-lint")
    assert result.exit_code == 1
    assert "content/maintenance/2026-05-20-db.md:7:10: error:" in result.output
    assert "content/postmortems/2026-05-01-outage.md:6:33: error:" in result.output
    assert "content/components.yml:4:26: error:" in result.output


# --- the marker rules themselves --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<!-- internal -->\nx\n<!-- /internal -->",
        "<!--internal-->\nx\n<!--/internal-->",
        "<!-- Internal -->\nx\n<!-- /INTERNAL -->",
        "  <!-- internal -->\t\nx\n\t<!-- / internal -->  ",
        "~~~~\n<!-- not a marker: a comment in a fence with no word of note -->\n~~~~",
        "<!-- an ordinary comment -->\ntext",
    ],
)
def test_accepted_forms_have_no_problems(text):
    assert markers.problems(text) == []


def test_public_text_drops_blocks_and_keeps_the_rest_exactly():
    text = (
        "a\n<!-- INTERNAL -->\nsecret\n<!-- /internal -->\nb\n\n<!--internal-->\nc\n"
        "<!--/internal-->"
    )
    assert markers.public_text(text) == "a\nb\n"


def test_labelled_text_keeps_text_before_and_after_and_labels_each_block():
    text = "before\n<!-- internal -->\nsecret\n\nmore\n<!-- /internal -->\nafter"
    assert markers.labelled_text(text) == (
        'before\n\n!!! internal "Internal: not on the public site"\n    secret\n\n    more\n\nafter'
    )


def test_a_fence_hides_markers_from_the_block_rule_but_they_are_still_reported():
    text = "```\n<!-- internal -->\n```\nafter"
    assert markers.public_text(text) == text
    assert [p.line for p in markers.problems(text)] == [1]


def test_an_unclosed_block_hides_to_the_end_even_unvalidated():
    assert markers.public_text("a\n<!-- internal -->\nsecret\nmore") == "a"


# --- the public view carries nothing internal -------------------------------------------------


def test_a_public_postmortem_of_an_internal_incident_names_no_internal_id(tmp_path):
    """The postmortem covers a public and an internal incident: the public API, pages and
    feeds name only the public one."""
    internal = INCIDENT.format(title="Internal", message="Fixed.", body="Body.").replace(
        "impact: minor\n", "impact: minor\nvisibility: internal\n"
    )
    site = write_site(
        tmp_path / "site",
        {
            "content/incidents/2026-05-01-public.md": INCIDENT.format(
                title="Public", message="Fixed.", body="Body."
            ),
            "content/incidents/2026-05-02-hidden-incident-zq.md": internal,
            "content/postmortems/2026-05-01-public.md": """\
---
title: Both incidents
incidents: [2026-05-01-public, 2026-05-02-hidden-incident-zq]
status: published
date: 2026-05-08
summary: What happened.
---
Text.
""",
        },
        mkdocs=MKDOCS,
    )
    out = tmp_path / "out"
    result = build(site, "-d", out, "--now", NOW)
    assert result.exit_code == 0, result.output
    status = json.loads((out / "api/statusbook/v1/status.json").read_text("utf-8"))
    assert "2026-05-01-public" in json.dumps(status)
    leaks = [rel for rel, text in _every_output_text(out).items() if "hidden-incident-zq" in text]
    assert leaks == []


def test_an_override_without_guards_has_no_internal_field_to_show(tmp_path):
    """A site's own incident.html that prints notes, roles and severity unguarded still
    publishes none of them: the public data does not carry them."""
    site = write_site(
        tmp_path / "site",
        {
            "content/incidents/2026-05-01-outage.md": INCIDENT.format(
                title="Outage", message="Fixed.", body="Body."
            ).replace(
                "impact: minor\n",
                "impact: minor\nseverity: SEV1\nnotes: NOTES-SECRET-42\n"
                "roles:\n  commander: COMMANDER-SECRET-42\n",
            ),
            "overrides/statusbook/incident.html": (
                "{{ incident.notes }}|{{ incident.roles }}|{{ incident.severity }}|OVERRIDDEN\n"
            ),
        },
        mkdocs=MKDOCS.replace(
            "theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"
        ),
    )
    out = tmp_path / "out"
    result = build(site, "-d", out, "--now", NOW)
    assert result.exit_code == 0, result.output
    texts = _every_output_text(out)
    assert any("OVERRIDDEN" in t for t in texts.values()), "the override was not used"
    leaks = [
        (rel, word)
        for rel, text in texts.items()
        for word in ("NOTES-SECRET-42", "COMMANDER-SECRET-42", "SEV1")
        if word in text
    ]
    assert leaks == []


# --- runbooks ------------------------------------------------------------------------------------

RUNBOOK_COMPONENTS = """\
groups:
  - id: core
    name: Core
    components:
      - id: api
        name: API
        slo: {target: 99.9}
        runbooks:
          - title: RUNBOOK-TITLE-COMPONENT-7Q
            link: https://runbooks.example/RUNBOOK-URL-COMPONENT-7Q
components:
  - id: billing
    name: Billing
"""


def _site_with_runbooks(root: Path, overrides: bool = False) -> Path:
    incident = INCIDENT.format(title="Outage", message="Fixed.", body="Body.").replace(
        "impact: minor\n",
        "impact: minor\nrunbooks:\n  - title: RUNBOOK-TITLE-INCIDENT-7Q\n"
        "    link: http://runbooks.example/RUNBOOK-URL-INCIDENT-7Q\n",
    )
    files = {"content/incidents/2026-05-01-outage.md": incident}
    mkdocs = MKDOCS
    if overrides:
        # Templates that print runbooks with no guard at all.
        files["overrides/statusbook/_runbooks.html"] = "{{ runbooks }}|UNGUARDED\n"
        mkdocs = MKDOCS.replace(
            "theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"
        )
    return write_site(root, files, components=RUNBOOK_COMPONENTS, mkdocs=mkdocs)


@pytest.mark.parametrize("overrides", [False, True], ids=["ours", "unguarded-override"])
def test_no_public_output_file_names_a_runbook(tmp_path, overrides):
    site = _site_with_runbooks(tmp_path / "site", overrides)
    out = tmp_path / "out"
    result = build(site, "-d", out, "--now", NOW)
    assert result.exit_code == 0, result.output
    texts = _every_output_text(out)
    if overrides:
        assert any("UNGUARDED" in t for t in texts.values()), "the override was not used"
    assert "api/statusbook/v1/status.json" in texts
    leaks = [(rel, text.count("7Q")) for rel, text in texts.items() if "7Q" in text]
    assert leaks == []


def test_the_internal_edition_shows_runbooks_on_component_and_incident_pages(tmp_path):
    site = _site_with_runbooks(tmp_path / "site")
    out = tmp_path / "out"
    result = build(site, "-d", out, "--now", NOW, "--internal")
    assert result.exit_code == 0, result.output
    component = (out / "components/api/index.html").read_text("utf-8")
    incident = (out / "incidents/2026-05-01-outage/index.html").read_text("utf-8")
    assert (
        '<a href="https://runbooks.example/RUNBOOK-URL-COMPONENT-7Q" rel="noopener">'
        "RUNBOOK-TITLE-COMPONENT-7Q</a>"
    ) in component
    assert (
        '<a href="http://runbooks.example/RUNBOOK-URL-INCIDENT-7Q" rel="noopener">'
        "RUNBOOK-TITLE-INCIDENT-7Q</a>"
    ) in incident
    assert "RUNBOOK-TITLE-COMPONENT-7Q" not in incident
