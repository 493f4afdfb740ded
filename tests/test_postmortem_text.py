"""The draft `statusbook new postmortem` writes, exactly: for a full incident (internal, with
severity, every role, lifecycle times and runbooks), an open one with none of those, one
resolved by its last update for a site with its own sections, and a site with no sections.

The expected texts in tests/fixtures/postmortem_drafts/ were written by the code before
new_postmortem_text was split into steps (#18), so any change to the draft shows here; a
deliberate change updates them.
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES, MINIMAL_MKDOCS, run_cli, write_site

EXPECTED = FIXTURES / "postmortem_drafts"

COMPONENTS = """\
groups:
  - id: core
    name: Core
    components:
      - id: api
        name: Public API
        runbooks:
          - title: API [errors] runbook
            link: https://wiki.example/api
          - title: Shared failover
            link: https://wiki.example/failover
      - id: dashboard
        name: Dashboard
components:
  - id: billing
    name: Billing
    runbooks:
      - title: Billing runbook
        link: https://wiki.example/billing
"""

FULL = """\
---
title: "Payments: errors for some customers"
impact: critical
severity: SEV1
visibility: internal
components: [api, dashboard]
started: 2026-03-14T09:02:00Z
detected: 2026-03-14T09:06:00Z
acknowledged: 2026-03-14T09:08:00Z
mitigated: 2026-03-14T09:51:00Z
resolved: 2026-03-14T10:20:00Z
roles:
  commander: Platform on-call
  communications: Support lead
  scribe: SRE on-call
  experts: [Card network team, Database team]
runbooks:
  - title: Shared failover
    link: https://wiki.example/failover
  - title: Incident [payments]
    link: https://wiki.example/payments
updates:
  - at: 2026-03-14T09:10:00Z
    status: investigating
    message: We are looking into it.
  - at: 2026-03-14T09:40:00Z
    status: identified
    message: A configuration change.
  - at: 2026-03-14T10:20:00Z
    status: resolved
    message: Fixed.
---
Body text.
"""

OPEN = """\
---
title: Slow dashboard
impact: minor
components: [dashboard]
updates:
  - at: 2026-03-20T08:00:00Z
    status: investigating
    message: Pages load slowly.
---
"""

RESOLVED_BY_UPDATE = """\
---
title: Billing exports late
impact: major
components: [billing]
roles:
  commander: Billing on-call
updates:
  - at: 2026-04-01T06:00:00Z
    status: investigating
    message: Exports are late.
  - at: 2026-04-01T07:30:00Z
    status: resolved
    message: Exports caught up.
---
"""

CASES = {
    # name: (incident id, incident file, postmortem_sections in mkdocs.yml or None)
    "full": ("2026-03-14-payments", FULL, None),
    "open": ("2026-03-20-slow-dashboard", OPEN, None),
    "own-sections": (
        "2026-04-01-billing-exports",
        RESOLVED_BY_UPDATE,
        ["Summary", "Impact", "Timeline", "Response and recovery", "Follow-up"],
    ),
    "no-sections": ("2026-04-01-billing-exports", RESOLVED_BY_UPDATE, []),
}


def _draft(tmp_path, name):
    ident, text, sections = CASES[name]
    mkdocs = MINIMAL_MKDOCS
    if sections is not None:
        mkdocs += f"      postmortem_sections: {sections!r}\n".replace("'", '"')
        mkdocs = mkdocs.replace("  - statusbook\n", "  - statusbook:\n")
    site = write_site(
        tmp_path,
        {f"content/incidents/{ident}.md": text},
        components=COMPONENTS,
        mkdocs=mkdocs,
    )
    result = run_cli(["new", "postmortem", ident, "-f", str(site / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    return (site / "content" / "postmortems" / f"{ident}.md").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_draft_is_exactly_the_recorded_text(tmp_path, name):
    draft = _draft(tmp_path, name)
    assert draft == (EXPECTED / f"{name}.md").read_text("utf-8")
