"""Blame families seen in real postmortems: for each, a sentence a reviewer would ask to
rewrite (found, with the rule and where) and a near miss that is not blame (not found).

Every sentence here is written for these tests; none is copied from a postmortem.
"""

from __future__ import annotations

import pytest

from statusbook.lint.blameless import Rules, cause_sections, lint_text, rule_of

HEAD = "---\ntitle: Queue backlog\nstatus: published\n---\n"


def findings(body: str) -> list[tuple[int, str, str]]:
    """(line within the body, rule, phrase) of every finding."""
    out = []
    for f in lint_text("content/postmortems/p.md", HEAD + body, "postmortem", Rules()):
        phrase = f.message.split('"')[1]
        out.append((f.line - 4, rule_of(f), phrase))
    return out


FAMILIES = {
    # family: (blaming sentence, rule, phrase found, near miss)
    "human error named without 'caused by'": (
        "- Operator mistake in not reading the banner before the restart.",
        "human-error",
        "Operator mistake",
        "- Operator mistakes are likely when the banner is hidden, so we moved it.",
    ),
    "human error assumed": (
        "Support assumed user error and closed the ticket.",
        "human-error",
        "assumed user error",
        "Support asked the user for the error message and reopened the ticket.",
    ),
    "passive counterfactual": (
        "The schema change shouldn't have been merged on a Friday.",
        "counterfactual",
        "shouldn't have been merged",
        "The schema change should have been caught by the migration linter; we are adding it.",
    ),
    "passive counterfactual about an expectation": (
        "The backup should have been restored before noon.",
        "counterfactual",
        "should have been restored",
        "Customers should not have been affected by a replica restart.",
    ),
    "could have been done by people": (
        "The cleanup could have been done by the owning teams.",
        "counterfactual",
        "could have been done by the owning teams",
        "The cleanup could have been slower with more replicas.",
    ),
    "an action that could have helped": (
        "- Paging the database owner could have shortened the outage.",
        "counterfactual",
        "Paging the database owner could have shortened",
        "- Having a second replica could have shortened the outage.",
    ),
    "overlooked": (
        "The expiry date on the certificate was overlooked.",
        "counterfactual",
        "was overlooked",
        "The expiry date is easy to overlook: it sits in a field nobody displays.",
    ),
    "negated perception": (
        "The disk alert fired at 02:00 but it was not noticed.",
        "counterfactual",
        "was not noticed",
        "The disk alert was not noticed because it went to a retired channel.",
    ),
    "missed by us": (
        "The retry storm was a warning we missed.",
        "counterfactual",
        "we missed",
        "We missed our latency target for the month.",
    ),
    "aware, yet did not act": (
        "- Did not pause the rollout despite being aware of the lag.",
        "counterfactual",
        "Did not pause",
        "- Did not lose any messages despite the lag we were aware of.",
    ),
    "exhortation to vigilance": (
        "We need to be more mindful when rotating keys.",
        "judgemental-adverb",
        "be more mindful",
        "The rotation script is now more careful: it checks the key's age first.",
    ),
    "exhortation to follow process": (
        "- We must be better at writing the timeline as we go.",
        "judgemental-adverb",
        "be better at",
        "- The new template is better at prompting for the timeline.",
    ),
    "needs more care": (
        "- Upgrade notes needs more careful reading.",
        "judgemental-adverb",
        "needs more careful",
        "- Upgrade notes need a reader assigned in the release checklist.",
    ),
    "hindsight verdict": (
        "We wrongly assumed the limit applied per node.",
        "judgemental-adverb",
        "wrongly assumed",
        "We assumed the limit applied per node; the documentation did not say otherwise.",
    ),
    "premature release": (
        "The new scheduler was released prematurely without load tests.",
        "judgemental-adverb",
        "released prematurely",
        "The new scheduler was released on Tuesday without load tests: none existed for it.",
    ),
    "result clause gives the reason": (
        "We didn't test the failover path.",
        "counterfactual",
        "didn't test",
        "Staging has no second region, so we didn't test the failover path.",
    ),
}


@pytest.mark.parametrize("blaming, rule, phrase, near_miss", FAMILIES.values(), ids=FAMILIES)
def test_family_found_and_near_miss_not(blaming, rule, phrase, near_miss):
    assert findings(blaming + "\n") == [(1, rule, phrase)]
    assert findings(near_miss + "\n") == []


def test_every_family_finding_explains_itself():
    f = lint_text("p.md", HEAD + "We should be more aware of expiring tokens.\n", "postmortem")[0]
    assert (f.line, f.col) == (5, 11)
    assert '"be more aware"' in f.message and "judgemental-adverb" in f.message
    assert "vigilance is not a fix" in f.hint


CAUSES = """## Summary

A user error message was shown to a human error reviewer.

## Contributing factors

- Human error in the failover step.
- No human error here: the script ran as written.

## Timeline

- 10:00 user error page reported.
"""


def test_a_cause_section_makes_a_bare_human_error_a_cause():
    got = [(line, rule) for line, rule, _ in findings(CAUSES)]
    assert got == [(7, "human-error")]


def test_cause_sections_end_at_the_next_heading():
    text = "# PM\n## Root cause\nx\n### detail\ny\n## Timeline\nz\n"
    ((a, b),) = cause_sections(text)
    assert text[a:b].strip() == "x\n### detail\ny"


def test_code_and_quotations_are_never_flagged():
    body = '```\nwe should be more careful\n```\n\n> "We should be more careful," she said.\n'
    assert findings(body) == []
