"""The wording rules: the subject of a clause (a person, a group, anything else),
counterfactuals ("should have", "failed to") with a person as subject, judgemental adverbs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .config import ADVERB, COUNTERFACTUAL, Rules
from .document import Hit
from .masking import _Text

# --------------------------------------------------------------------------------------------
# Who is the subject?

_WORD_RE = re.compile(r"@?[A-Za-z0-9][\w'’-]*")
_BOUNDARY_RE = re.compile(r"[.!?;:()\[\]{}|]|—|–|\s-\s|\n[ \t]*\n|\n[ \t]*(?:[-*+]|\d+[.)])[ \t]")

INDIVIDUAL = "individual"  # a person or people named by role: blame lands on someone
GROUP = "group"  # "we", a team: blame only with verbs of diligence (check, notice, ...)
AMBIGUOUS = "ambiguous"  # "they": people or things
OTHER = "other"  # anything else: a system, a change, a customer
NONE = "none"  # no subject in the clause (timeline bullets, "and didn't ...")

_INDIVIDUAL_WORDS = frozenset(
    """i me he she him his her someone somebody nobody anyone anybody everyone everybody
    engineer engineers developer developers dev devs programmer programmers operator operators
    admin admins administrator administrators sysadmin sysadmins on-call oncall responder
    responders reviewer reviewers approver approvers author authors employee employees staff
    staffer staffers person people human humans teammate teammates colleague colleagues
    contractor contractors intern interns sre sres dba dbas manager managers technician
    technicians analyst analysts individual individuals member members commander lead
    coworker coworkers co-worker co-workers""".split()
)
_GROUP_WORDS = frozenset("we us our team teams".split())
_AMBIGUOUS_WORDS = frozenset("they them their".split())
_SKIP_WORDS = frozenset(
    """also still never then just simply initially again really even unfortunately ultimately
    subsequently originally previously immediately quickly certainly probably likely all both
    each themselves ourselves himself herself itself myself yourself had have has 've 'd would
    will may might must clearly obviously therefore however thus hence not already that which
    who""".split()
)
_ELIDED = frozenset("and but or then so because when while as if".split())
_NOT_ADVERB_LY = frozenset(
    "apply reply supply family rally ally assembly anomaly italy only".split()
)


def _is_adverb(word: str) -> bool:
    return len(word) > 4 and word.endswith("ly") and word not in _NOT_ADVERB_LY


def _subject(masked: str, start: int, rules: Rules) -> str:
    """The kind of the nearest subject-like word before `start`, within its clause."""
    window = masked[max(0, start - 160) : start]
    last = None
    for last in _BOUNDARY_RE.finditer(window):  # noqa: B007 - only the last boundary matters
        pass
    if last is not None:
        window = window[last.end() :]
    if rules._people_re is not None:
        window = rules._people_re.sub("@person", window)
    words = _WORD_RE.findall(window)
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w.startswith("@"):
            return INDIVIDUAL
        low = w.lower()
        for suffix in ("'s", "’s", "'", "’"):
            if low.endswith(suffix):
                low = low[: -len(suffix)]
                break
        if low in _SKIP_WORDS or _is_adverb(low):
            continue
        if low in _ELIDED:
            return NONE
        if low == "one" and i > 0 and words[i - 1].lower() == "no":
            return INDIVIDUAL
        if low in _INDIVIDUAL_WORDS:
            return INDIVIDUAL
        if low in _GROUP_WORDS:
            return GROUP
        if low in _AMBIGUOUS_WORDS:
            return AMBIGUOUS
        return OTHER
    return NONE


def _next_word(masked: str, end: int) -> tuple[str, int]:
    """The next word after `end` (adverbs skipped) and where it ends; "" at punctuation."""
    pos = end
    for _ in range(4):
        m = _WORD_RE.search(masked, pos, min(len(masked), pos + 60))
        if not m or masked[pos : m.start()].strip(" \t\n"):
            return "", pos
        w = m.group().lower()
        pos = m.end()
        if w in ("even", "always", "yet", "actually", "ever") or _is_adverb(w):
            continue
        return w, pos
    return "", pos


def _prev_word(masked: str, start: int) -> str:
    words = _WORD_RE.findall(masked[max(0, start - 40) : start])
    return words[-1].lower() if words else ""


# --------------------------------------------------------------------------------------------
# counterfactual

_CF_RE = re.compile(
    r"""\b(?:
      (?P<modal>should|could|ought\s+to)(?P<neg>\s+not|n['’]t)?\s+have
    | (?P<modal2>should|could)['’]ve
    | (?P<fail>fail(?:s|ed|ing)?\s+to|failure\s+to)
    | (?P<didnt>did\s+not|didn['’]t)
    | (?P<forgot>forgot\s+to|forgotten\s+to|neglected\s+to)
    | (?P<ifonly>if\s+only)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)

#: Verbs of diligence: "we didn't check" blames, "we didn't lose data" reports.
_DILIGENCE = frozenset(
    """check checked notice noticed catch caught test tested review reviewed follow followed
    read verify verified validate validated confirm confirmed double-check double-checked
    realise realised realize realized recognise recognised recognize recognized spot spotted
    escalate escalated communicate communicated ask asked wait waited monitor monitored look
    looked investigate investigated respond responded react reacted act acted think thought
    consider considered anticipate anticipated foresee foreseen predict predicted document
    documented understand understood remember remembered pay paid heed heeded listen listened
    consult consulted coordinate coordinated inform informed tell told warn warned bother
    bothered care cared plan planned prepare prepared account accounted prioritise
    prioritised prioritize prioritized known know seen notify notified update updated""".split()
)
#: After "did not" / "failed to" with a person as subject, these report what happened.
NEUTRAL_AFTER_PERSON = frozenset(
    "have receive get need lose experience cause intend mean know expect see find want".split()
)
#: "we could have lost data" weighs a risk; it judges nobody.
_COULD_NEUTRAL = frozenset(
    """been had lost caused resulted affected led gone become taken happened seen faced
    experienced received hit suffered impacted""".split()
)
_IRREGULAR_PARTICIPLES = frozenset(
    """known seen been caught done gone taken run made thought told written read given kept
    sent put set found built got gotten had understood begun brought bought chosen drawn
    driven eaten fallen felt forgotten heard held hidden hurt left lost meant met paid quit
    said shown shut spent spoken stood struck taught thrown won worn""".split()
)
_QUANTITY = frozenset(
    """one a an some few part partially partly certain specific minor small two three four five
    six seven eight nine ten half""".split()
)
_CF_SUGGEST = {
    "modal": 'describe what happened and what made it likely, e.g. "the deploy went out without '
    'a canary: canaries were optional" rather than "we should have used a canary"',
    "fail": 'say what did not happen and what made sense at the time, e.g. "the alert was not '
    'acted on: it arrived among 40 noisy alerts" rather than "the on-call failed to act on it"',
    "didnt": 'say what did not happen and why, e.g. "the config was not checked against '
    'production: the checklist did not include it" rather than "they didn\'t check the config"',
    "forgot": 'describe the step and why it was missed, e.g. "the migration step was skipped: '
    'it was not in the runbook"',
    "ifonly": 'state the missing safeguard as a fact, e.g. "a confirmation prompt would have '
    'stopped the command; we are adding one"',
}


#: Right before the subject: a result clause ("so we didn't catch it in testing" gives the
#: reason) or a belief being reported ("not assume we could have started faster").
_RESULT_OR_BELIEF_RE = re.compile(
    r"\b(?:so|therefore|thus|hence|consequently|assume|assumed|assuming|think|thought|"
    r"believe|believed)\s+(?:that\s+)?(?:we|they|i|the\s+team)\s*$",
    re.IGNORECASE,
)


def is_participle(word: str) -> bool:
    return word in _IRREGULAR_PARTICIPLES or (len(word) > 3 and word.endswith("ed"))


_CF_KEYS = ("should", "could", "ought", "fail", "did", "forgot", "neglected", "if only")


def _counterfactuals(scan: _Text, rules: Rules) -> Iterator[Hit]:
    masked = scan.masked
    for m in scan.finditer(_CF_RE, _CF_KEYS, 0, 30):
        kind = next(
            k for k in ("modal", "modal2", "fail", "didnt", "forgot", "ifonly") if m.group(k)
        )
        verb, verb_end = _next_word(masked, m.end())
        if kind == "ifonly":
            if not verb or verb in _QUANTITY or verb[:1].isdigit():
                continue  # "if only one node is healthy" is a condition
            if verb == "the" and _next_word(masked, verb_end)[0] not in _INDIVIDUAL_WORDS:
                continue
            yield Hit(COUNTERFACTUAL, m.start(), m.end(), _CF_SUGGEST[kind])
            continue
        if kind in ("modal", "modal2"):
            kind = "modal"
            could = masked[m.start() : m.start() + 5].lower() == "could"
            if could and m.group("neg"):
                continue  # "could not have known" excuses rather than blames
            if not is_participle(verb):
                continue  # "every service should have an owner" is about the future
            subject = _subject(masked, m.start(), rules)
            if subject in (INDIVIDUAL, GROUP):
                flagged = not (could and verb in _COULD_NEUTRAL)
            elif subject in (AMBIGUOUS, NONE):
                if verb == "been":
                    verb = _next_word(masked, verb_end)[0]
                flagged = verb in _DILIGENCE
            else:
                flagged = False
        else:
            subject = _subject(masked, m.start(), rules)
            if kind == "forgot":
                flagged = subject != OTHER
            elif subject == INDIVIDUAL:
                flagged = verb not in NEUTRAL_AFTER_PERSON
            else:
                flagged = subject in (GROUP, AMBIGUOUS, NONE) and verb in _DILIGENCE
        if flagged and _RESULT_OR_BELIEF_RE.search(masked, max(0, m.start() - 30), m.start()):
            flagged = False  # "so we didn't catch it": the reason is given; "assume we could have"
        if flagged:
            yield Hit(COUNTERFACTUAL, m.start(), verb_end if verb else m.end(), _CF_SUGGEST[kind])


# --------------------------------------------------------------------------------------------
# judgemental-adverb

_ADVERB_RE = re.compile(
    r"""(?<![\w'’-])(?:
      carelessly|recklessly|negligently|sloppily|lazily|blindly|foolishly|stupidly|
      thoughtlessly|irresponsibly|incompetently|naively|
      careless|reckless|negligent|sloppy|lazy|incompetent|stupid|foolish|silly|dumb|
      simply|merely|obviously|just|of\s+course|clearly|
      pay(?:ing)?\s+more\s+attention|
      (?:wrong|bad|poor|questionable)\s+(?:decision|judgement|judgment)s?
    )(?![\w'’-])""",
    re.IGNORECASE | re.VERBOSE,
)
#: "just after 09:00", "just over 2%", "just in time": time and quantity, not judgement.
_JUST_AFTER = frozenset(
    """after before over under about around below above past since as prior shy ahead in
    enough now then once when beyond behind short outside inside within like a one two three
    four five six seven eight nine ten twenty thirty forty fifty sixty ninety hundred few
    minutes seconds hours days weeks moments barely the because""".split()
)
#: "had just finished": recently. "not just" / "only just": emphasis and degree.
_JUST_BEFORE = frozenset("had has have 've 'd ’ve ’d only not was were is".split())
_CLEARLY_BEFORE = frozenset("was were is are be been being".split())


_ADVERB_KEYS = (
    "careless",
    "reckless",
    "negligen",
    "sloppy",
    "sloppily",
    "lazy",
    "lazily",
    "blindly",
    "foolish",
    "stupid",
    "thoughtless",
    "irresponsibl",
    "incompeten",
    "naive",
    "silly",
    "dumb",
    "simply",
    "merely",
    "obvious",
    "just",
    "of course",
    "clearly",
    "careful",
    "vigilant",
    "attentive",
    "diligent",
    "attention",
    "decision",
    "judgement",
    "judgment",
)


def _adverbs(scan: _Text, text: str, rules: Rules) -> Iterator[Hit]:
    masked = scan.masked
    for m in scan.finditer(_ADVERB_RE, _ADVERB_KEYS, 30, 30):
        word = re.sub(r"\s+", " ", m.group()).lower()
        prev = _prev_word(masked, m.start())
        if word == "just":
            nxt, _ = _next_word(masked, m.end())
            if (
                nxt in _JUST_AFTER
                or nxt[:1].isdigit()
                or not nxt
                or prev in _JUST_BEFORE
                or masked[m.end() : m.end() + 1] == "-"
            ):
                continue
        elif word == "clearly":
            # "was clearly wrong" judges; "said clearly that" describes how it was said
            before = masked[max(0, m.start() - 3) : m.start()].strip(" \t\n")
            sentence_start = not before or before[-1] in ".!?:"
            if not (
                prev in _CLEARLY_BEFORE or (sentence_start and masked[m.end() : m.end() + 1] == ",")
            ):
                continue
        elif word in ("simply", "merely") and prev == "not":
            continue  # "we could not simply roll back" states a constraint
        if word in ("just", "simply", "merely") and _subject(masked, m.start(), rules) == OTHER:
            continue  # "the job simply stopped", "you just saw an error": no one is judged
        yield Hit(ADVERB, m.start(), m.end(), _without(text, m.start(), m.end()))


def _without(text: str, start: int, end: int) -> str:
    """A suggested rewording: the words around the judgemental word, without it."""
    left = text[max(0, start - 60) : start].split("\n")[-1]
    right = text[end : end + 60].split("\n")[0]
    if right.startswith(","):
        right = right[1:]
    lw = left.split()[-4:]
    rw = right.split()[:4]
    word = re.sub(r"\s+", " ", text[start:end])
    if not lw and rw:
        rw[0] = rw[0][:1].upper() + rw[0][1:]
    snippet = " ".join(lw + rw)
    if not snippet:
        return f'remove "{word}" and describe the action and its context'
    return f'remove "{word}": "… {snippet} …"'
