"""The cause rules: human error named as a cause, a person (or a role, a handle) as the cause,
the families of blaming phrases, and the sections of a postmortem that state causes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from .config import ADVERB, COUNTERFACTUAL, HUMAN_ERROR, PERSON, Rules
from .document import Hit, blank_match
from .masking import _Text
from .people import HANDLE_CAUSE_RE
from .wording import NEUTRAL_AFTER_PERSON, OTHER, _subject, is_participle

# --------------------------------------------------------------------------------------------
# human-error

#: Who "error" or "mistake" is pinned on in the phrase "human error" and its variants.
_ERROR_OWNERS = "human|operator|engineer|personnel|staff|manual|user"
_TERM = (
    rf"(?:{_ERROR_OWNERS})\s+(?:error|mistake)s?"
    r"|fat[- ]?finger(?:ed|ing)?|pebkac|pebcak"
)
_HUMAN_ERROR_RE = re.compile(
    r"""(?P<left>
        \b(?:caused|triggered|introduced|initiated|brought\s+about)\s+(?:by|through)
      | \b(?:due|owing|attributed|attributable|traced|down|thanks|ascribed|pinned)\s+to
      | \bbecause\s+of | \bresult(?:ed|s)?\s+(?:of|from) | \bstem(?:med|s)?\s+from
      | \bcame\s+from | \bblame[ds]?\s+on
      | \b(?:cause|causes|culprit|reason|trigger)\s*(?:was|is|were|:|-|—|=|\?)
      | \b(?:was|is|were)
    )
    \s+(?:(?:a|an|the|one|simple|single|plain|basic|pure|purely|classic|just|simply|
           unfortunate|small|minor|careless|understandable)\s+){0,3}
    (?P<term>TERM)\b
    | \b(?P<term2>TERM)\s+(?:by\s+[\w@.-]+\s+)?
      (?P<right>caused|led\s+to|resulted\s+in|triggered|took\s+down|brought\s+down|broke|
         (?:was|is|were)\s+(?:the|to\s+blame|responsible|at\s+fault)\b)
    """.replace("TERM", _TERM),
    re.IGNORECASE | re.VERBOSE,
)
_NEGATION_RE = re.compile(
    r"(?:\b(?<!than\s)not|\bno|\bnever|n't|n’t|\brather\s+than|\binstead\s+of|\bwithout|\bnor)"
    r"\b[\w ,]{0,20}$",  # "not", "rather than" shortly before; "more often than not" is no negation
    re.IGNORECASE,
)
_CAUSE_CONTEXT_RE = re.compile(
    r"\b(?:cause|caused|reason|why|outage|incident|failure|problem|issue|this|it)\b", re.IGNORECASE
)


_HUMAN_ERROR_KEYS = ("error", "mistake", "finger", "pebkac", "pebcak")
#: "error" and "mistake" are common words; the rule wants them only after one of these.
_HUMAN_ERROR_GATE = (
    frozenset({"error", "mistake"}),
    # IGNORECASE as in the rule itself: it folds "ſ" to "s", which lower() does not
    re.compile(rf"(?:{_ERROR_OWNERS})$", re.IGNORECASE),
)


def human_error(scan: _Text) -> Iterator[Hit]:
    masked = scan.masked
    for m in scan.finditer(_HUMAN_ERROR_RE, _HUMAN_ERROR_KEYS, 120, 80, _HUMAN_ERROR_GATE):
        before = masked[max(0, m.start() - 40) : m.start()]
        if m.group("left"):
            if _NEGATION_RE.search(before + " " + masked[m.end("left") : m.start("term")]):
                continue  # "was not human error", "rather than human error"
            if m.group("left").lower() in ("was", "is", "were"):
                # "was human error" counts when the clause is about a cause
                sentence = re.split(
                    r"[.!?]\s|\n[ \t]*\n", masked[max(0, m.start() - 80) : m.start()]
                )[-1]
                if not _CAUSE_CONTEXT_RE.search(sentence):
                    continue
        elif _NEGATION_RE.search(before):
            continue
        yield Hit(HUMAN_ERROR, m.start(), m.end())


_ROLE_NOUNS = (
    r"engineer|developer|operator|admin|administrator|sysadmin|employee|team\s+member|"
    r"staff\s+member|contractor|intern|dba|sre|technician"
)
_ROLE = (
    r"\b(?:an?|the|our|their|one\s+of\s+(?:our|the)|that)\s+(?:[\w-]+\s+){0,2}?"
    rf"(?:{_ROLE_NOUNS})s?\b"
)
#: The last word of a role ("member" of "team member"), possessive or not, ending the text.
_ROLE_LAST_WORDS = "|".join({n.split("\\s+")[-1]: 0 for n in _ROLE_NOUNS.split("|")})
_AFTER_ROLE = re.compile(rf"(?:{_ROLE_LAST_WORDS})s?(?:['’]s?)?$", re.IGNORECASE)
#: A role (not a name) made the cause: "caused by an engineer", "the operator's mistake",
#: "an engineer mistakenly ran". Plain actions ("an engineer ran the migration") are fine.
#: Each form is searched near its own key words (pattern, key words, chars before, after,
#: and for common key words the word they must follow: see _Text.finditer).
_ROLE_CAUSES: tuple[tuple[re.Pattern[str], tuple[str, ...], int, int, Any], ...] = tuple(
    (
        re.compile(pattern, re.IGNORECASE),
        keys,
        before,
        after,
        None if word_before is None else (frozenset(keys), word_before),
    )
    for pattern, keys, before, after, word_before in (
        (
            rf"\b(?:caused|triggered|introduced|broken)\s+by\s+(?P<p>{_ROLE})",
            ("caused by", "triggered by", "introduced by", "broken by"),
            5,
            70,
            None,
        ),
        (rf"\bcause\s*(?:was|is|:)\s+(?P<p>{_ROLE})", ("cause",), 5, 70, None),
        (
            rf"(?P<p>{_ROLE})['’]s?\s+(?:mistake|error|typo|carelessness|negligence|oversight|fault)\b",
            ("mistake", "error", "typo", "carelessness", "negligence", "oversight", "fault"),
            70,
            15,
            _AFTER_ROLE,  # "error rates", "by default": only right after a role
        ),
        (
            rf"(?P<p>{_ROLE})\s+(?:mistakenly|carelessly|wrongly|incorrectly|negligently|recklessly)\s+\w+",
            ("mistakenly", "carelessly", "wrongly", "incorrectly", "negligently", "recklessly"),
            70,
            30,
            None,
        ),
        (
            rf"(?P<p>{_ROLE})\s+(?:made|makes)\s+(?:a|an)\s+(?:mistake|error|typo)\b",
            ("made a", "makes a"),
            70,
            20,
            None,
        ),
    )
)


def person_as_cause(scan: _Text, rules: Rules) -> Iterator[Hit]:
    for pattern, keys, before, after, gate in _ROLE_CAUSES:
        for m in scan.finditer(pattern, keys, before, after, gate):
            yield Hit(PERSON, m.start("p"), m.end())
    searches: list[tuple[re.Pattern[str], Iterable[str]]] = [(HANDLE_CAUSE_RE, ("@",))]
    if rules._names_cause_re is not None:
        searches.append((rules._names_cause_re, rules._people_keys))
    for pattern, keys in searches:
        for m in scan.finditer(pattern, keys, 120, 200):
            group = next(g for g in "abcdefg" if m.group(g))
            yield Hit(PERSON, m.start(group), m.end())


# --------------------------------------------------------------------------------------------
# Families of blame the single-phrase rules above miss (measured on real postmortems, see
# docs/lint.md "How well it works"). Each is a pattern with a short check of its context, and
# reports under the existing rule it belongs to, with its own rewording.

_PEOPLE = (
    r"(?:we|us|i|they|(?:the|our)\s+(?:[\w-]+\s+)?teams?|teams|(?:the\s+)?users?|engineers?|"
    r"developers?|operators?)"
)
_NOT_PERSON_AGENT = re.compile(rf"\s+by\s+(?!{_PEOPLE}\b)", re.IGNORECASE)

_VIGILANCE = (
    r"careful|aware|vigilant|attentive|diligent|thorough|cautious|mindful|disciplined|alert|"
    r"rigorous|proactive"
)
#: Characters searched before and after each family's key words (see _Text.finditer).
_FAMILY_WINDOWS = {
    "exhortation": (40, 60),
    "passive-modal": (0, 60),
    "could-by-people": (0, 80),
    "action-could-have": (110, 40),
    "overlooked": (80, 90),
    "aware-yet": (120, 120),
    "named-human-error": (90, 40),
    "hindsight-word": (60, 60),
}
_FAMILIES: tuple[tuple[str, str, re.Pattern[str], tuple[str, ...], str], ...] = tuple(
    (name, rule, re.compile(pattern, re.IGNORECASE | re.VERBOSE), keys, suggest)
    for name, rule, pattern, keys, suggest in (
        (
            "exhortation",
            ADVERB,
            rf"""\b(?:be|being|become|get|stay|remain|was|were|is|are)\s+(?:more|better|extra)\s+
                 (?:{_VIGILANCE})\b
               | \bbe\s+better\s+at\b
               | \b(?:needs?|requires?|deserves?)\s+more\s+
                 (?:careful(?:ly)?|thorough(?:ly)?|attention|care|closely)\b
               | \bpay(?:ing)?\s+(?:closer|better)\s+attention\b""",
            ("more", "better", "closer"),
            "say what will change (a check, an alert, a step in the runbook) rather than asking "
            "people to be more careful: vigilance is not a fix",
        ),
        (
            "passive-modal",
            COUNTERFACTUAL,
            r"""\b(?:should|ought\s+to)(?:\s+not|n['’]t)?\s+(?:have|['’]ve)\s+been\s+(?P<v>[a-z]+)
               | \bshould['’]ve\s+been\s+(?P<v2>[a-z]+)""",
            ("should", "ought"),
            'say what happened and what made it likely, e.g. "it went to production without a '
            'trial period: none was required" rather than "it should have been tested longer"',
        ),
        (
            "could-by-people",
            COUNTERFACTUAL,
            rf"\bcould(?:\s+have|['’]ve)\s+(?:been|be)\s+\w+\s+by\s+{_PEOPLE}\b",
            ("could",),
            'say who did it and why that made sense, e.g. "we upgraded them ourselves to finish '
            'sooner" rather than "the teams could have done it"',
        ),
        (
            "action-could-have",
            COUNTERFACTUAL,
            r"""(?:^|\n)[ \t]*(?:[-*+]|\d+[.)])?[ \t]*
                (?P<act>[A-Z][a-z]+(?:ing|ed))\b[^.!?\n]{0,80}?
                \b(?:could|would|should)(?:\s+have|['’]ve)\s+
                (?:helped|prevented|avoided|saved|shortened|reduced|sped|lead|led)\b""",
            ("could", "would", "should"),
            'state what was missing as a fact and what will change, e.g. "no one had the '
            'incident manager role; we now appoint one" rather than "appointing one could have '
            'helped"',
        ),
        (
            "overlooked",
            COUNTERFACTUAL,
            r"""\b(?:was|were|been|is|are|got|went)\s+(?:\w+\s+)?overlooked\b
               | \b(?:we|i|they|(?:the|our)\s+teams?|no\s+one|nobody)\s+(?:\w+ly\s+)?
                 (?:overlooked|missed)\b(?!\s+(?:our|the|its|an?)\s+(?:[\w-]+\s+){0,2}?
                 (?:slo|sla|target|deadline|objective|window|budget|flight|train))
               | \b(?:was|were|had\s+been|has\s+been)\s+(?:not|never)\s+
                 (?:seen|noticed|spotted|caught|picked\s+up|acted\s+on|realised|realized)\b
                 (?![^.!?\n]{0,60}\b(?:because|since|due\s+to|as\s+the|as\s+it)\b)""",
            (
                "overlooked",
                "missed",
                "seen",
                "noticed",
                "spotted",
                "caught",
                "picked up",
                "acted on",
                "realised",
                "realized",
            ),
            'say what made it easy to miss, e.g. "the header change was not in the diff we '
            'compared" rather than "it was overlooked"',
        ),
        (
            "aware-yet",
            COUNTERFACTUAL,
            r"""(?P<neg>\b(?:did\s+not|didn['’]t|had\s+not\s+been|hadn['’]t\s+been|
                   was\s+not|
                   wasn['’]t|were\s+not|weren['’]t)\s+\w+)
                [^.!?\n]{0,40}?\b(?:despite|although|even\s+though)\s+(?:\w+\s+){0,2}
                (?:aware|knew|knowing|known)\b
              | \b(?:knew|aware\s+of)\b[^.!?\n]{0,60}?\bbut\b[^.!?\n]{0,40}?
                (?P<neg2>\b(?:did\s+not|didn['’]t|had\s+not\s+been|hadn['’]t\s+been|was\s+not|
                   wasn['’]t|were\s+not|weren['’]t)\s+\w+)""",
            ("aware", "knew", "knowing", "known"),
            'say why acting on what was known was hard at the time, e.g. "the fix needed a '
            'maintenance window we had not booked" rather than "we knew but did not apply it"',
        ),
        (
            "named-human-error",
            HUMAN_ERROR,
            r"""(?:^|\n)[ \t]*(?:[-*+]|\d+[.)])?[ \t]*(?:\|[^|\n]*\|[ \t]*)?
                (?P<term>(?:human|operator|engineer|user|staff|manual)\s+
                  (?:errors?|mistakes?|misunderstandings?|oversights?))\b
                (?!\s+(?:is|are|can|could|may|might|will|happens?)\b)
              | (?<=[.!?])\s+(?P<term2>(?:human|operator|engineer|user|staff|manual)\s+
                  (?:errors?|mistakes?|misunderstandings?|oversights?))\b
                (?!\s+(?:is|are|can|could|may|might|will|happens?)\b)
              | \b(?:assumed|suspected|presumed|put\s+it\s+down\s+to|chalked\s+up\s+to)\s+
                (?:(?:a|an|the|some)\s+)?(?P<term3>(?:human|operator|user|engineer)\s+
                  (?:errors?|mistakes?))\b""",
            ("error", "mistake", "misunderstanding", "oversight"),
            'name the condition instead, e.g. "the log location was not documented where '
            'people look for it"',
        ),
        (
            "hindsight-word",
            ADVERB,
            r"""\bclearly\s+(?:showed|shown|indicated|pointed\s+to|signalled|visible)\b
              | \b(?:wrongly|mistakenly|incorrectly|naively)\s+(?:assumed|believed|thought|decided|
                  chose|expected)\b
              | \b(?:put|pushed|released|deployed|shipped|rolled\s+out|launched|merged|moved)\s+
                (?:[\w-]+\s+){0,3}?(?:prematurely|hastily|too\s+early|too\s+soon)\b
              | \b(?:prematurely|hastily)\s+(?:put|pushed|released|deployed|shipped|rolled|launched|
                  merged)\b
              | \b(?:unreasonabl[ey]|unacceptabl[ey]|inexcusabl[ey])\s+(?:long|slow|late)\s+
                (?:to\s+)?(?:detection|detect|response|respond|reaction|react|recovery|recover|
                   escalation|escalate)\b""",
            (
                "clearly",
                "wrongly",
                "mistakenly",
                "incorrectly",
                "naively",
                "prematurely",
                "hastily",
                "too early",
                "too soon",
                "unreasonabl",
                "unacceptabl",
                "inexcusabl",
            ),
            "describe what was known at the time and what happened, without the verdict "
            "(it was only clear, wrong or premature afterwards)",
        ),
    )
)
#: Participles after "should have been" that state an expectation, not an omission.
_PASSIVE_NEUTRAL = frozenset(
    """affected impacted possible fine able enough safe happened occurred expected needed
    required""".split()
)
#: Headings whose section states causes: every line under them is a claim about why.
_CAUSE_HEADING_RE = re.compile(
    r"^[ \t]{0,3}#{1,6}[ \t]+(?:[\w ]*\b)?(?:contributing\s+factors?|root\s+causes?|causes?|"
    r"what\s+went\s+wrong|why\s+it\s+happened)\b[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
_BARE_TERM_RE = re.compile(
    r"\b(?:human|operator|engineer|user|staff|manual)\s+(?:errors?|mistakes?|oversights?)\b",
    re.IGNORECASE,
)


def cause_sections(masked: str) -> list[tuple[int, int]]:
    """Offsets of the sections under a "Contributing factors" / "Root cause" heading, up to
    the next heading of the same or a higher level."""
    if "#" not in masked:
        return []
    spans = []
    for m in _CAUSE_HEADING_RE.finditer(masked):
        level = len(m.group().lstrip(" \t")) - len(m.group().lstrip(" \t").lstrip("#"))
        nxt = re.compile(rf"^[ \t]{{0,3}}#{{1,{level}}}[ \t]", re.MULTILINE).search(masked, m.end())
        spans.append((m.end(), nxt.start() if nxt else len(masked)))
    return spans


def _families(scan: _Text, rules: Rules) -> Iterator[Hit]:
    masked = scan.masked
    for name, rule, pattern, keys, suggest in _FAMILIES:
        before, after = _FAMILY_WINDOWS[name]
        for m in scan.finditer(pattern, keys, before, after):
            start, end = m.start(), m.end()
            if name == "passive-modal":
                verb = (m.group("v") or m.group("v2") or "").lower()
                if not is_participle(verb) or verb in _PASSIVE_NEUTRAL:
                    continue
                if _NOT_PERSON_AGENT.match(masked, end):
                    continue  # "should have been caught by the tests": a missing safeguard
            elif name == "exhortation":
                if masked[start : start + 2].lower() == "be" or m.group().lower().startswith(
                    ("was", "were", "is", "are", "get", "stay", "remain", "become")
                ):
                    head = _EXHORT_SKIP.sub(blank_match, masked[max(0, start - 160) : start])
                    if _subject(head, len(head), rules) == OTHER:
                        continue  # "the client should be more careful with retries"
            elif name == "overlooked":
                if _NOT_PERSON_AGENT.match(masked, end):
                    continue  # "was not caught by our tests": a missing safeguard, stated
            elif name == "action-could-have":
                start = m.start("act")
                if m.group("act").lower() in ("having", "being", "using", "adding"):
                    continue
            elif name == "aware-yet":
                g = "neg" if m.group("neg") else "neg2"
                start, end = m.start(g), m.end(g)
                if m.group(g).split()[-1].lower() in NEUTRAL_AFTER_PERSON:
                    continue
            elif name == "named-human-error":
                g = next(x for x in ("term", "term2", "term3") if m.group(x))
                if g != "term3":
                    start, end = m.start(g), m.end(g)
                if _NEGATION_RE.search(masked[max(0, start - 40) : start]):
                    continue
            yield Hit(rule, start, end, suggest)
    for a, b in cause_sections(masked):
        for m in _BARE_TERM_RE.finditer(masked, a, b):
            if not _NEGATION_RE.search(masked[max(a, m.start() - 40) : m.start()]):
                yield Hit(
                    HUMAN_ERROR,
                    m.start(),
                    m.end(),
                    "name the condition instead: what made "
                    "the action easy to get wrong (this section states causes)",
                )


_EXHORT_SKIP = re.compile(
    r"\b(?:need|needs|needed|to|should|must|will|would|try|trying|always|all|learn|has|have)\b",
    re.IGNORECASE,
)
