"""Runbooks reach responders where they work: the postmortem draft `statusbook new postmortem`
writes lists them in an internal block, the incident's first, then its components'."""

from __future__ import annotations

from conftest import VALID_INCIDENT, run_cli, write_site
from statusbook.content import markers

COMPONENTS = """\
components:
  - id: api
    name: API
    runbooks:
      - title: API [errors] runbook
        link: https://wiki.example/api
      - title: Shared failover
        link: https://wiki.example/failover
  - id: billing
    name: Billing
    runbooks:
      - title: Billing runbook
        link: https://wiki.example/billing
"""


def test_the_postmortem_draft_lists_the_incident_and_component_runbooks_internally(tmp_path):
    incident = VALID_INCIDENT.replace(
        "components: [api]\n",
        "components: [api]\nrunbooks:\n  - title: Shared failover\n"
        "    link: https://wiki.example/failover\n",
    )
    site = write_site(
        tmp_path, {"content/incidents/2026-03-14-api.md": incident}, components=COMPONENTS
    )
    result = run_cli(["new", "postmortem", "2026-03-14-api", "-f", str(site / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    draft = (site / "content/postmortems/2026-03-14-api.md").read_text("utf-8")
    block = draft[draft.index("## Supporting links") :]
    assert (
        "<!-- internal -->\nRunbooks:\n\n"
        "- [Shared failover](<https://wiki.example/failover>)\n"
        "- [API \\[errors\\] runbook](<https://wiki.example/api>)\n"
        "<!-- /internal -->"
    ) in block
    assert "billing" not in draft.lower()  # not a component of the incident
    # Published as it stands, the public edition would keep none of it.
    assert "wiki.example" not in markers.public_text(draft)


def test_a_draft_without_runbooks_has_no_runbook_block(tmp_path):
    site = write_site(tmp_path, {"content/incidents/2026-03-14-api.md": VALID_INCIDENT})
    result = run_cli(["new", "postmortem", "2026-03-14-api", "-f", str(site / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    draft = (site / "content/postmortems/2026-03-14-api.md").read_text("utf-8")
    assert "Runbooks:" not in draft
