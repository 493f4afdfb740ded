"""Blameless-language lint: one table per rule (true positives and look-alikes), exact
positions, suppressions, configuration, visibility, the example content and speed.

Every text here is written for these tests; none is copied from a published postmortem.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from statusbook.errors import Severity
from statusbook.lint.blameless import (
    DEFAULT_ALARMING_WORDS,
    Rules,
    RulesError,
    lint_content,
    lint_text,
    rule_of,
)

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "lint_corpus"

#: A postmortem's frontmatter: five lines, so the body starts on line 6.
HEAD = "---\ntitle: Checkout errors\nincidents: [2026-03-14-api-errors]\nstatus: published\n---\n"
BODY_LINE = 6


def phrase(finding) -> str:
    m = re.search(r'"(.*?)"', finding.message)
    return m.group(1) if m else ""


def run(body: str, rules: Rules | None = None, kind: str = "postmortem", head: str = HEAD):
    return lint_text("content/postmortems/p.md", head + body, kind, rules or Rules())


def found(body: str, rules: Rules | None = None, **kw) -> list[tuple[int, int, str, str]]:
    """(line within the body, column, rule, phrase) of every finding."""
    return [(f.line - BODY_LINE + 1, f.col, rule_of(f), phrase(f)) for f in run(body, rules, **kw)]


def check(body: str, expected: list[tuple[str, str]], rules: Rules | None = None) -> None:
    """Each expected (rule, phrase) is found at the column where the phrase starts."""
    got = found(body, rules)
    want = []
    for rule, text in expected:
        index = body.index(text)
        line = body.count("\n", 0, index) + 1
        col = index - (body.rfind("\n", 0, index) + 1) + 1
        want.append((line, col, rule, text))
    assert got == want


# --- counterfactual -------------------------------------------------------------------------

COUNTERFACTUAL = {
    # true positives: a person, a role, "we" or nobody as the subject
    "we-should-have": ("We should have checked the replica lag first.", ["should have checked"]),
    "role-failed-to": ("The on-call engineer failed to escalate the page.", ["failed to escalate"]),
    "handle-didnt": ("@dana didn't run the migration before the deploy.", ["didn't run"]),
    "they-didnt-notice": ("They didn't notice the second alert.", ["didn't notice"]),
    "team-did-not-review": ("The team did not review the config diff.", ["did not review"]),
    "no-subject-bullet": ("- Could have caught this in staging.", ["Could have caught"]),
    "passive-no-subject": ("- Should have been tested with real cards.", ["Should have been"]),
    "if-only-we": ("If only we had a canary, the errors would have stayed small.", ["If only"]),
    "someone-forgot": ("Someone forgot to renew the certificate.", ["forgot to renew"]),
    "shouldve": ("We should've paged the database team.", ["should've paged"]),
    "nobody-in-quotes-someone": (
        "As usual, someone should have read the runbook.",
        ["should have read"],
    ),
    "configured-name": ("Priya didn't test the rollback.", ["didn't test"]),
    # look-alikes: systems as subjects, reassurance, plans, conditions
    "system-failed-to": ("The payout job failed to start at 05:30.", []),
    "deploy-did-not": ("The deploy did not complete, so nothing changed.", []),
    "we-did-not-lose": ("We did not lose any data and did not charge any fees.", []),
    "customers-didnt-receive": ("Customers didn't receive their invoice e-mails.", []),
    "should-have-owner": ("Every service should have an owner and a runbook.", []),
    "could-not-have-known": ("We could not have known that the flag was shared.", []),
    "could-have-risk": ("At another stage the rebuild could have needed a repair.", []),
    "we-could-have-lost": ("Without the snapshot we could have lost a day of data.", []),
    "if-only-one": ("Retries run if only one node is healthy.", []),
    "alert-fired-and": ("The alert fired and didn't stop for an hour.", []),
    "change-should-have-been": ("The change should have been reviewed by the tool.", []),
    "customers-who": ("Clients who didn't update the app saw errors.", []),
    "fenced-code": ("```\nwe should have done this\n```", []),
    "code-span": ("The log line `operator didn't check` is from the tool.", []),
    "quoted-ui": ('The page said "We didn\'t check your card" to clients.', []),
    "heading": ("## What we could have done better\n\nThe alert fired on time.", []),
}


@pytest.mark.parametrize("case", COUNTERFACTUAL, ids=list(COUNTERFACTUAL))
def test_counterfactual(case):
    body, phrases = COUNTERFACTUAL[case]
    rules = Rules.from_config({"people": ["Priya"]})
    check(body, [("counterfactual", p) for p in phrases], rules)


# --- judgemental-adverb ---------------------------------------------------------------------

ADVERBS = {
    "simply": ("The engineer simply restarted the database.", ["simply"]),
    "obviously": ("Obviously, the retry limit was too low.", ["Obviously"]),
    "we-just": ("We just restarted it and hoped.", ["just"]),
    "carelessly": ("The script was carelessly written.", ["carelessly"]),
    "clearly-judges": ("It was clearly a mistake to ship on Friday.", ["clearly"]),
    "clearly-sentence": ("Clearly, nobody read the alert.", ["Clearly"]),
    "of-course": ("Of course the backup was empty.", ["Of course"]),
    "be-more-careful": ("- Engineers need to be more careful with releases.", ["be more careful"]),
    "wrong-decision": ("Skipping the canary was the wrong decision.", ["wrong decision"]),
    "sloppy": ("It was a sloppy rollout.", ["sloppy"]),
    # look-alikes
    "just-after": ("Errors began just after 09:00 and just over 2% of requests failed.", []),
    "had-just": ("The change had just been deployed when the alert fired.", []),
    "adjusted": ("We adjusted the thresholds.", []),
    "just-in-time": ("The just-in-time compiler was not involved.", []),
    "not-just": ("Not just the API but also webhooks were slow.", []),
    "simply-quoted-ui": ('The banner says "Simply click retry" on the payment page.', []),
    "system-simply-stopped": ("The server simply stopped answering health checks.", []),
    "said-clearly": ("Status updates said clearly that balances were safe.", []),
    "not-simply": ("We could not simply roll back: the schema had changed.", []),
    "you-just-saw": ("Maybe you just saw an empty page.", []),
    "justify": ("Nothing could justify a second rollout.", []),
}


@pytest.mark.parametrize("case", ADVERBS, ids=list(ADVERBS))
def test_judgemental_adverb(case):
    body, phrases = ADVERBS[case]
    check(body, [("judgemental-adverb", p) for p in phrases])


def test_adverb_suggests_the_sentence_without_the_word():
    (finding,) = run("The engineer simply restarted the database.")
    assert 'remove "simply"' in finding.hint
    assert "engineer restarted the database" in finding.hint


# --- human-error ----------------------------------------------------------------------------

HUMAN_ERROR = {
    "caused-by": ("The outage was caused by human error.", ["caused by human error"]),
    "root-cause-colon": ("Root cause: operator error.", ["cause: operator error"]),
    "led-to": ("Human error led to the deletion of the bucket.", ["Human error led to"]),
    "due-to": ("Payouts stopped due to a simple human error.", ["due to a simple human error"]),
    "this-was": ("This was human error.", ["was human error"]),
    "attributed": ("The delay is attributed to operator error.", ["attributed to operator error"]),
    "heading": ("## Root cause: human error\n", ["cause: human error"]),
    "fat-finger": ("A fat-fingered command caused it.", []),  # a description, not the phrase
    # look-alikes: human error mentioned, not presented as the cause
    "removed-chance": ("We removed the chance of human error from the runbook.", []),
    "not-human-error": ("It was not human error but a missing guard.", []),
    "rather-than": ("We look for missing guards rather than human error.", []),
    "possible": ("Human error is possible whenever a tool has no confirmation step.", []),
    "reduce": ("The new tool will reduce operator errors.", []),
    "quoted": ('The old report said "human error" and stopped there.', []),
}


@pytest.mark.parametrize("case", HUMAN_ERROR, ids=list(HUMAN_ERROR))
def test_human_error(case):
    body, phrases = HUMAN_ERROR[case]
    check(body, [("human-error", p) for p in phrases])


#: Common key words ("error", "mistake") count only after the word a rule needs; that word is
#: matched as the rule matches it (ignoring case the way `re` does, which folds "ſ" to "s").
WORD_BEFORE = [
    ("The outage was caused by uſer error.", "human-error"),
    ("The outage was caused by HUMAN\n  ERROR.", "human-error"),
    ("It was the engineer'ſ mistake.", "person-as-cause"),
    ("It was the on-call Engineers’ mistake.", "person-as-cause"),
]


@pytest.mark.parametrize(("body", "rule"), WORD_BEFORE)
def test_key_words_after_the_needed_word_are_found_however_it_is_spelt(body, rule):
    assert [r for _, _, r, _ in found(body)] == [rule]


def test_a_finding_does_not_depend_on_key_words_elsewhere_in_the_text():
    """Search windows open at key words; an unrelated 'error' before a sentence must not
    change what is found in it."""
    for body in (
        "The outage was caused by human error.",
        "It was not human error.",
        "The engineer's mistake took the site down.",
        "Our default settings hid the fault.",
        "The outage was caused by `" + "kubectl delete" * 9 + "` human error.",
    ):
        alone = [(rule, text) for _, _, rule, text in found(body)]
        padded = [(rule, text) for _, _, rule, text in found("Error rates rose. " + body)]
        assert padded == alone, body


# --- person-as-cause ------------------------------------------------------------------------

PEOPLE = Rules.from_config({"people": ["Carol Diaz", "Carol", "Will"]})

PERSON = {
    "handle-deployed-that-caused": (
        "@alice deployed the change that caused the outage.",
        ["@alice deployed the change that caused"],
    ),
    "caused-by-handle": ("The outage was caused by @bob.", ["@bob"]),
    "name-broke": ("Carol broke checkout with a config push.", ["Carol broke"]),
    "name-possessive-change": (
        "Carol Diaz's change caused the errors.",
        ["Carol Diaz's change caused"],
    ),
    "name-accidentally": ("Will accidentally deleted the bucket.", ["Will accidentally deleted"]),
    "due-to-name": ("Payouts were late due to Carol.", ["Carol"]),
    "role-caused-by": ("The deletion was caused by an engineer.", ["an engineer"]),
    "role-mistakenly": (
        "An exhausted operator mistakenly ran the script.",
        ["An exhausted operator mistakenly ran"],
    ),
    "role-mistake": ("The engineer's mistake took the site down.", ["The engineer's mistake"]),
    # look-alikes
    "handle-remedial": ("@alice rolled back the change that caused the errors.", []),
    "handle-timeline": ("@alice restarted the service at 09:40.", []),
    "email": ("Write to ops@example.com for the timeline.", []),
    "name-neutral": ("Carol paged the database team at 09:12.", []),
    "lowercase-will": ("The retry will break nothing; it will deploy later.", []),
    "role-neutral": ("An engineer ran the migration as planned.", []),
    "role-accidentally": ("An engineer accidentally ran the command against production.", []),
    "customer-pushed": ("A customer pushed a valid configuration that triggered the bug.", []),
}


@pytest.mark.parametrize("case", PERSON, ids=list(PERSON))
def test_person_as_cause(case):
    body, phrases = PERSON[case]
    check(body, [("person-as-cause", p) for p in phrases], PEOPLE)


def test_counterfactual_with_named_person_is_one_finding_each():
    # a name as subject of "didn't" is a counterfactual; the name as a cause is reported apart
    got = found("@erin didn't check the flag, and @erin's change broke checkout.")
    assert [(r, p) for _, _, r, p in got] == [
        ("counterfactual", "didn't check"),
        ("person-as-cause", "@erin's change broke"),
    ]


def test_judgemental_word_inside_a_reported_cause_is_not_reported_twice():
    got = found("The operator carelessly ran the script.")
    assert [(r, p) for _, _, r, p in got] == [("person-as-cause", "The operator carelessly ran")]


# --- alarming-word (public content only) -----------------------------------------------------


def test_alarming_words_on_public_content():
    check(
        "A catastrophic failure of the queue. It was a meltdown.",
        [("alarming-word", "catastrophic"), ("alarming-word", "meltdown")],
    )


def test_alarming_words_not_on_internal_content():
    head = HEAD.replace("status: published\n", "status: published\nvisibility: internal\n")
    assert found("A catastrophic failure of the queue.", head=head) == []


def test_alarming_words_not_in_internal_notes_of_a_public_incident():
    text = (
        "---\ntitle: Queue delays\nimpact: minor\ncomponents: [api]\n"
        "notes: |\n  Catastrophic for the on-call, honestly.\n"
        "updates:\n  - at: 2026-03-14T09:10:00Z\n    status: investigating\n"
        "    message: A catastrophic delay in the queue.\n---\n"
    )
    got = [(f.line, f.col, phrase(f)) for f in lint_text("i.md", text, "incident", Rules())]
    assert got == [(10, 16, "catastrophic")]


def test_alarming_words_are_configurable_with_prefixes_and_suggestions():
    rules = Rules.from_config(
        {"alarming_words": ["catastroph*", {"word": "data breach", "suggest": "exposure"}]}
    )
    got = run("A catastrophe, then a data  breach. A meltdown is fine here.", rules)
    assert [phrase(f) for f in got] == ["catastrophe", "data breach"]
    assert "exposure" in got[1].hint


def test_default_alarming_words_leave_technical_terms_alone():
    assert (
        found("Disaster recovery ran; a kernel panic is a known issue; chaos tests passed.") == []
    )
    assert "catastrophic" in DEFAULT_ALARMING_WORDS


# --- where prose is, and exact positions ----------------------------------------------------


def test_frontmatter_prose_positions():
    text = (
        "---\n"
        'title: "Checkout: we should have checked"\n'  # line 2, quoted
        "impact: major\n"
        "components: [just-in-time]\n"  # an id, never prose
        "updates:\n"
        "  - at: 2026-03-14T09:10:00Z\n"
        "    status: investigating\n"
        "    message: |\n"
        "      Card payments fail. The operator\n"  # line 9
        "      failed to update the status page.\n"  # line 10
        "  - at: 2026-03-14T10:10:00Z\n"
        "    status: resolved\n"
        "    message: Resolved. We simply\n"  # line 13, plain over two lines
        "      restarted it.\n"
        "---\n"
        "See https://example.com/just/simply and `we should have`.\n"
    )
    got = [(f.line, f.col, rule_of(f), phrase(f)) for f in lint_text("i.md", text, "incident")]
    assert got == [
        (2, 22, "counterfactual", "should have checked"),
        (10, 7, "counterfactual", "failed to update"),
        (13, 27, "judgemental-adverb", "simply"),
    ]


def test_each_update_is_its_own_sentence():
    # the subject of one value never leaks into the next
    text = "---\ntitle: Notes from the engineer\nsummary: failed to start the job\n---\n"
    got = [(f.line, f.col, phrase(f)) for f in lint_text("p.md", text, "postmortem")]
    assert got == []  # no subject: "failed to start" is not a diligence verb


def test_block_quotes_that_quote_someone_are_skipped_others_linted():
    body = (
        '> "We simply forgot to renew it."\n'
        "> — the certificate vendor\n"
        "\n"
        "The partner's notice said:\n"
        "> we should have told you earlier\n"
        "\n"
        "> Draft: we didn't verify the numbers yet.\n"
    )
    assert found(body) == [(7, 13, "counterfactual", "didn't verify")]


def test_urls_links_and_html_are_not_prose():
    body = "[the runbook](https://wiki.example.com/just-simply) <span title='simply'>x</span>\n"
    assert found(body) == []


def test_indented_code_is_skipped_but_list_continuations_are_not():
    body = (
        "Log output:\n\n"
        "    operator error: we should have checked\n\n"
        "- First item\n\n"
        "    We should have checked the lag.\n"
    )
    assert found(body) == [(7, 8, "counterfactual", "should have checked")]


def test_unclosed_frontmatter_still_lints_the_text():
    got = lint_text("p.md", "---\ntitle: x\nWe should have checked.\n", "postmortem")
    assert [rule_of(f) for f in got] == ["counterfactual"]


def test_kind_must_be_known():
    with pytest.raises(ValueError, match="kind must be one of"):
        lint_text("x.md", "text", "components")


@pytest.mark.parametrize("kind", ["incident", "maintenance", "postmortem"])
def test_every_kind_is_linted(kind):
    text = "---\ntitle: We should have waited\n---\n"
    assert [rule_of(f) for f in lint_text("x.md", text, kind)] == ["counterfactual"]


# --- suppression ----------------------------------------------------------------------------


def test_markdown_suppression_on_the_line_before():
    body = (
        "<!-- blameless-ignore counterfactual: the partner's own words -->\n"
        "We should have checked.\n"
    )
    assert found(body) == []


def test_markdown_suppression_on_the_same_line_and_only_for_its_rule():
    body = (
        "We simply should have checked. "
        "<!-- blameless-ignore counterfactual: quoting the review -->\n"
    )
    assert found(body) == [(1, 4, "judgemental-adverb", "simply")]


def test_suppression_reaches_one_line_only():
    body = "<!-- blameless-ignore counterfactual: reason here -->\nFine.\nWe should have checked.\n"
    assert found(body) == [(3, 4, "counterfactual", "should have checked")]


def test_suppression_without_reason_is_a_finding_itself():
    body = "<!-- blameless-ignore counterfactual -->\nWe should have checked.\n"
    got = found(body)
    assert [(line, col, rule) for line, col, rule, _ in got] == [(1, 1, "suppression")]
    assert "without a reason" in run(body)[0].message


def test_suppression_of_unknown_rule_is_a_finding_with_did_you_mean():
    body = "<!-- blameless-ignore counterfactuals: a reason -->\nWe should have checked.\n"
    got = run(body)
    assert [rule_of(f) for f in got] == ["suppression", "counterfactual"]
    assert "did you mean 'counterfactual'" in got[0].message


def test_yaml_suppression_before_a_key_covers_the_whole_value():
    text = (
        "---\ntitle: Card errors\nimpact: major\ncomponents: [api]\nupdates:\n"
        "  - at: 2026-03-14T09:10:00Z\n    status: investigating\n"
        "    # blameless-ignore counterfactual: the partner's statement, quoted verbatim\n"
        "    message: |\n      Our partner says:\n      we should have checked.\n"
        "    components: {api: major_outage}\n---\nWe should have checked.\n"
    )
    got = [(f.line, rule_of(f)) for f in lint_text("i.md", text, "incident")]
    assert got == [(14, "counterfactual")]  # the body is not covered


def test_yaml_suppression_on_the_key_line():
    text = (
        "---\ntitle: We should have checked  # blameless-ignore counterfactual: agreed title\n---\n"
    )
    assert lint_text("i.md", text, "incident") == []


def test_yaml_suppression_without_reason():
    text = "---\n# blameless-ignore counterfactual\ntitle: We should have checked\n---\n"
    got = [(f.line, f.col, rule_of(f)) for f in lint_text("i.md", text, "incident")]
    assert got == [(2, 1, "suppression")]


def test_hash_inside_a_block_scalar_is_text_not_a_suppression():
    text = (
        "---\ntitle: Card errors\nnotes: |\n"
        "  # blameless-ignore counterfactual: this is note text\n"
        "  We should have checked.\n---\n"
    )
    assert [rule_of(f) for f in lint_text("i.md", text, "incident")] == ["counterfactual"]


def test_suppression_rule_can_be_disabled():
    body = "<!-- blameless-ignore counterfactual -->\nWe should have checked.\n"
    assert found(body, Rules.from_config({"disable": ["suppression"]})) == []


# --- configuration --------------------------------------------------------------------------


def test_disable_rule():
    rules = Rules.from_config({"disable": ["judgemental-adverb"]})
    assert found("We simply should have checked.", rules) == [
        (1, 11, "counterfactual", "should have checked")
    ]


def test_severity_per_rule_and_for_all():
    rules = Rules.from_config({"severity": {"counterfactual": "error"}})
    (f,) = run("We should have checked.", rules)
    assert f.severity is Severity.ERROR
    (g,) = run("We simply restarted it.", rules)
    assert g.severity is Severity.WARNING
    everything = Rules.from_config({"severity": "error"})
    assert {f.severity for f in run("We simply should have checked.", everything)} == {
        Severity.ERROR
    }


def test_default_severity_is_warning_and_message_has_why_and_rule():
    (f,) = run("We should have checked.")
    assert f.severity is Severity.WARNING
    assert f.message.startswith('counterfactual "should have checked": ')
    assert f.message.endswith("[counterfactual]")
    assert "rather than" in f.hint
    assert f.format_text().startswith("content/postmortems/p.md:6:4: warning: counterfactual")


def test_extra_rule():
    rules = Rules.from_config(
        {
            "extra": [
                {
                    "id": "no-unfortunately",
                    "pattern": r"\bunfortunately\b",
                    "why": "it editorialises",
                    "suggest": "state what happened",
                    "severity": "error",
                }
            ]
        }
    )
    (f,) = run("Unfortunately, the job stopped.", rules)
    assert (f.line, f.col, rule_of(f), phrase(f)) == (6, 1, "no-unfortunately", "Unfortunately")
    assert f.severity is Severity.ERROR
    assert "it editorialises" in f.message and f.hint == "state what happened"
    # an extra rule can be suppressed and disabled like any other
    body = "<!-- blameless-ignore no-unfortunately: house style -->\nUnfortunately, it stopped.\n"
    assert run(body, rules) == []
    off = Rules.from_config(
        {"extra": [{"id": "x-rule", "pattern": "stopped", "why": "w"}], "disable": ["x-rule"]}
    )
    assert run("It stopped.", off) == []


def test_extra_public_only_rule_skips_internal_content():
    rules = Rules.from_config(
        {
            "extra": [
                {
                    "id": "no-sev",
                    "pattern": r"\bSEV\d\b",
                    "why": "internal jargon",
                    "public_only": True,
                    "case_sensitive": True,
                }
            ]
        }
    )
    assert [phrase(f) for f in run("A SEV1 was declared.", rules)] == ["SEV1"]
    internal = HEAD.replace("status: published\n", "visibility: internal\n")
    assert run("A SEV1 was declared.", rules, head=internal) == []
    assert run("A sev1 was declared.", rules) == []  # case_sensitive


CONFIG_ERRORS = {
    "not-a-mapping": (["disable"], "expected a mapping"),
    "unknown-option": ({"disabled": []}, "unknown option 'disabled', did you mean 'disable'?"),
    "unknown-rule": ({"disable": ["counterfactuals"]}, "did you mean 'counterfactual'?"),
    "disable-not-list": ({"disable": "human-error"}, "lint.disable: expected a list"),
    "bad-severity": ({"severity": {"human-error": "fatal"}}, "'fatal' is not a severity"),
    "severity-unknown-rule": ({"severity": {"humanerror": "error"}}, "unknown rule 'humanerror'"),
    "extra-bad-regex": (
        {"extra": [{"id": "x", "pattern": "(", "why": "w"}]},
        "lint.extra[0].pattern: not a valid regular expression",
    ),
    "extra-empty-match": (
        {"extra": [{"id": "x", "pattern": "a*", "why": "w"}]},
        "matches empty text",
    ),
    "extra-clash": (
        {"extra": [{"id": "human-error", "pattern": "x", "why": "w"}]},
        "'human-error' is already a rule",
    ),
    "extra-no-why": ({"extra": [{"id": "x", "pattern": "y"}]}, "lint.extra[0].why"),
    "extra-bad-id": ({"extra": [{"id": "No Spaces", "pattern": "y", "why": "w"}]}, ".id:"),
    "extra-unknown-key": (
        {"extra": [{"id": "x", "pattern": "y", "why": "w", "sugest": "z"}]},
        "unknown field 'sugest', did you mean 'suggest'?",
    ),
    "alarming-not-list": ({"alarming_words": "catastrophic"}, "lint.alarming_words"),
    "people-not-strings": ({"people": [3]}, "lint.people[0]"),
}


@pytest.mark.parametrize("case", CONFIG_ERRORS, ids=list(CONFIG_ERRORS))
def test_config_errors_are_clear(case):
    config, message = CONFIG_ERRORS[case]
    with pytest.raises(RulesError) as info:
        Rules.from_config(config)
    assert any(message in p for p in info.value.problems), info.value.problems


def test_config_reports_every_problem_at_once():
    with pytest.raises(RulesError) as info:
        Rules.from_config({"disable": ["nope"], "severity": {"counterfactual": "loud"}})
    assert len(info.value.problems) == 2


def test_empty_config_is_the_default():
    assert Rules.from_config(None) == Rules() == Rules.from_config({})


# --- the example content, our evaluation texts, speed ---------------------------------------


def test_example_content_has_no_findings():
    assert lint_content(REPO / "content", REPO) == []


def _expected_in(path: Path) -> list[tuple[int, str]]:
    """Lines marked `<!-- expect: rule-id -->` in an evaluation text."""
    out = []
    for n, line in enumerate(path.read_text().split("\n"), start=1):
        for rule in re.findall(r"<!-- expect: ([a-z-]+) -->", line):
            out.append((n, rule))
    return out


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.md")), ids=lambda p: p.name)
def test_evaluation_corpus(path):
    rules = Rules.from_config({"people": ["Sam Okafor"]})
    got = [
        (f.line, rule_of(f)) for f in lint_text(path.name, path.read_text(), "postmortem", rules)
    ]
    assert got == _expected_in(path)


def test_star_suppresses_every_rule():
    body = "<!-- blameless-ignore *: a quoted chat line -->\nWe simply should have checked.\n"
    assert found(body) == []


def test_admonition_paragraphs_are_prose():
    body = "!!! note\n    First.\n\n    We should have checked.\n"
    assert found(body) == [(4, 8, "counterfactual", "should have checked")]
