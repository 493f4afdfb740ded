"""Patterns that find people: the names a site configures (and their first names), @handles,
and sentences that make a person the cause of what happened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def people_pattern(people: Iterable[str]) -> re.Pattern[str] | None:
    """Configured names and their first names ("Sam Okafor", "Sam"), matched case-sensitively
    ("Will" the person, not "will" the verb). Handles (@name) need no configuration: every
    @handle counts as a person."""
    names: set[str] = set()
    for person in people:
        if person.startswith("@"):
            continue
        names.add(person)
        first = person.split()[0]
        if len(first) >= 2 and first[0].isupper():
            names.add(first)
    names = sorted(names, key=len, reverse=True)
    if not names:
        return None
    alts = "|".join(r"\s+".join(re.escape(w) for w in name.split()) for name in names)
    return re.compile(r"(?<![\w@.-])(?:" + alts + r")(?![\w-])")


# --------------------------------------------------------------------------------------------
# person-as-cause

_HANDLE = r"(?<![\w@.+/-])@[A-Za-z0-9](?:[\w.-]*[A-Za-z0-9_])?"
_BLAME_VERBS = (
    r"caused|broke|deleted|dropped|removed|wiped|misconfigured|mis-configured|forgot|overlooked|"
    r"ignored|skipped|bypassed|mistyped|fat-fingered|botched|messed\s+up|screwed\s+up|"
    r"took\s+down|brought\s+down|knocked\s+over|made\s+(?:a|an|the)\s+(?:mistake|error|typo)|"
    r"(?:is|was)\s+(?:responsible|to\s+blame|at\s+fault)|"
    r"introduced\s+(?:a|the)\s+(?:bug|regression|error|problem)"
)
_MANNER = r"(?:accidentally|mistakenly|inadvertently|carelessly|wrongly|incorrectly|unknowingly)"
_CHANGE_VERBS = (
    r"deployed|pushed|merged|ran|executed|applied|shipped|released|made|wrote|committed|changed|"
    r"updated|modified|enabled|disabled|started|triggered|introduced|configured|approved|"
    r"rolled\s+out|edited|typed|entered|submitted|kicked\s+off"
)
_CAUSE_WORDS = (
    r"caused|broke|triggered|led\s+to|resulted\s+in|took\s+down|brought\s+down|"
    r"started\s+the\s+(?:outage|incident)"
)
_CHANGE_NOUNS = (
    r"change|commit|pr|pull\s+request|deploy|deployment|mistake|error|typo|script|query|command|"
    r"config|configuration|push|merge|migration|patch"
)


def person_cause_pattern(person: str) -> re.Pattern[str]:
    """Sentences that make `person` (a regex) the cause; the person is always a named group."""
    p = person
    cause = rf"\b(?:{_CAUSE_WORDS})\b"
    by_verbs = r"(?:made|written|pushed|deployed|merged|run|applied|shipped)"
    return re.compile(
        rf"""
          (?P<a>{p})\s+(?:{_MANNER}\s+)?(?:{_BLAME_VERBS})\b            # Carol broke / deleted
        | (?P<b>{p})\s+{_MANNER}\s+\w+                                # Carol accidentally ran
        | (?P<c>{p})(?:['’]s?)?\s+(?:[\w-]+\s+){{0,2}}?              # Carol's config change
            (?:{_CHANGE_NOUNS})\s+(?:\w+\s+)?{cause}                   #   ... caused
        | (?P<d>{p})\s+(?:{_CHANGE_VERBS})\b[^.!?;\n]{{0,80}}?         # Carol deployed X
            \b(?:that|which|and\s+(?:this|that|it))\s+(?:\w+\s+)?{cause}  #   that caused
        | \b(?:caused|introduced|broken|triggered|started)\s+by\s+(?P<e>{p})
        | \b(?:due\s+to|because\s+of|blame[ds]?\s+on|thanks\s+to)\s+(?P<f>{p})
        | \b(?:{_CHANGE_NOUNS})\s+(?:{by_verbs}\s+)?by\s+(?P<g>{p})    # a change by Carol
            [^.!?;\n]{{0,60}}?{cause}                                  #   ... caused
        """,
        re.IGNORECASE | re.VERBOSE,
    )


HANDLE_CAUSE_RE = person_cause_pattern(_HANDLE)
