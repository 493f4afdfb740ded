"""The lint's rules and their configuration: the built-in rules, a site's `lint:` options
(severities, extra patterns, alarming words, people's names) parsed into one `Rules`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Severity, did_you_mean
from .people import people_pattern, person_cause_pattern

KINDS = ("incident", "maintenance", "postmortem")
#: Content folders and the kind of file each holds.
FOLDER_KINDS = {"incidents": "incident", "maintenance": "maintenance", "postmortems": "postmortem"}

#: Frontmatter values that are prose, as key paths ("*" is any list index).
PROSE_FIELDS = (
    ("title",),
    ("summary",),
    ("notes",),
    ("updates", "*", "message"),
    ("action_items", "*", "description"),
)
#: Prose fields that are never published, so public-only rules skip them.
INTERNAL_FIELDS = frozenset({"notes"})


# --------------------------------------------------------------------------------------------
# Rules and their configuration


@dataclass(frozen=True)
class RuleInfo:
    """A rule: its id, the label used in messages, why it matters and a default rewording."""

    id: str
    label: str
    why: str
    suggest: str
    public_only: bool = False
    in_headings: bool = True


COUNTERFACTUAL = "counterfactual"
ADVERB = "judgemental-adverb"
HUMAN_ERROR = "human-error"
PERSON = "person-as-cause"
ALARMING = "alarming-word"
SUPPRESSION = "suppression"

BUILTIN_RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        RuleInfo(
            COUNTERFACTUAL,
            "counterfactual",
            "it judges what people did by what was only known afterwards; readers learn who "
            "to blame, not why the action made sense at the time or what will change",
            'describe what happened and what made it likely, e.g. "the runbook had no step to '
            'check X" rather than "we should have checked X"',
            in_headings=False,
        ),
        RuleInfo(
            ADVERB,
            "judgemental word",
            "it passes judgement (careless, obvious, trivial) instead of describing; what looks "
            "simple in hindsight was not at the time",
            "remove the word and describe the action and its context",
            in_headings=False,
        ),
        RuleInfo(
            HUMAN_ERROR,
            "human error as a cause",
            "'human error' ends the analysis where it should start: it names who, not the "
            "conditions (tools, defaults, alerts, time pressure) that made the action easy to "
            "get wrong",
            'name the condition instead, e.g. "the command accepted a value that removed every '
            'server, with no confirmation"',
        ),
        RuleInfo(
            PERSON,
            "person as the cause",
            "naming a person as the cause assigns blame; people stop reporting what they did, "
            "and readers learn nothing about the system",
            'make the change or the system the subject, e.g. "a configuration change removed '
            'the route" rather than "@name removed the route"',
        ),
        RuleInfo(
            ALARMING,
            "alarming word on a public page",
            "on a public page it alarms customers more than the facts do; state the impact plainly",
            'use a factual description of the impact, e.g. "outage", "serious", "widespread"',
            public_only=True,
        ),
        RuleInfo(
            SUPPRESSION,
            "suppression",
            "a suppression needs a known rule and a reason, so reviewers can tell a deliberate "
            "exception from a silenced warning",
            "write <!-- blameless-ignore RULE: why this wording is right here -->",
        ),
    )
}

DEFAULT_ALARMING_WORDS: dict[str, str] = {
    "catastrophic": "severe",
    "catastrophe": "serious outage",
    "disastrous": "serious",
    "meltdown": "outage",
    "fiasco": "incident",
    "nightmare": "difficult situation",
    "devastating": "serious",
    "crippled": "severely degraded",
    "crippling": "severe",
    "total failure": "complete outage",
}

_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
_CONFIG_KEYS = ("disable", "severity", "extra", "alarming_words", "people")
_EXTRA_KEYS = ("id", "pattern", "why", "suggest", "severity", "public_only", "case_sensitive")


class RulesError(ValueError):
    """The lint configuration is invalid; `problems` lists each problem as a sentence."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid lint configuration:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class ExtraRule:
    """A site's own rule: a regular expression over prose."""

    id: str
    pattern: re.Pattern[str]
    why: str
    suggest: str = ""
    public_only: bool = False
    severity: Severity | None = None


@dataclass(frozen=True)
class Rules:
    """Which rules run, at which severity, and the site's words, rules and people."""

    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    default_severity: Severity = Severity.WARNING
    extra: tuple[ExtraRule, ...] = ()
    alarming_words: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ALARMING_WORDS))
    people: tuple[str, ...] = ()
    # Compiled from the fields above by __post_init__.
    _alarming_re: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _people_re: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _names_cause_re: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _alarming_keys: tuple[str, ...] = field(default=(), compare=False, repr=False)
    _people_keys: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_alarming_re", _alarming_pattern(self.alarming_words))
        keys = {w.rstrip("*").split()[0].lower() for w in self.alarming_words if w.strip("* ")}
        object.__setattr__(self, "_alarming_keys", tuple(sorted(keys)))
        names = {p.split()[0].lower() for p in self.people if not p.startswith("@")}
        object.__setattr__(self, "_people_keys", tuple(sorted(names)))
        people = people_pattern(self.people)
        object.__setattr__(self, "_people_re", people)
        if people is not None:
            names = person_cause_pattern(r"(?-i:" + people.pattern + ")")
            object.__setattr__(self, "_names_cause_re", names)

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> Rules:
        """Rules from a site's configuration; raises RulesError listing every problem.

        {"disable": ["judgemental-adverb"],
         "severity": {"human-error": "error"},          # or "error" for every rule
         "extra": [{"id": "no-unfortunately", "pattern": "\\bunfortunately\\b",
                    "why": "...", "suggest": "...", "severity": "warning",
                    "public_only": false, "case_sensitive": false}],
         "alarming_words": ["catastrophic", {"word": "meltdown", "suggest": "outage"}],
         "people": ["Alice Example", "@alice"]}
        """
        if config is None:
            return cls()
        problems: list[str] = []
        if not isinstance(config, Mapping):
            raise RulesError(["lint: expected a mapping of options, e.g. {disable: [...]}"])
        for key in config:
            if key not in _CONFIG_KEYS:
                problems.append(
                    f"lint: unknown option '{key}', {did_you_mean(str(key), _CONFIG_KEYS)}"
                )

        extra = _parse_extra(config.get("extra"), problems)
        known = set(BUILTIN_RULES) | {e.id for e in extra}

        disabled = _parse_disable(config, known, problems)
        severity, default = _parse_severity(config, known, extra, problems)

        alarming = dict(DEFAULT_ALARMING_WORDS)
        if "alarming_words" in config:
            alarming = _parse_alarming(config["alarming_words"], problems)

        people = _parse_people(config, problems)

        if problems:
            raise RulesError(problems)
        return cls(
            disabled=frozenset(disabled),
            severity=severity,
            default_severity=default,
            extra=tuple(extra),
            alarming_words=alarming,
            people=tuple(people),
        )

    @property
    def gates_build(self) -> bool:
        """True when any finding would be an error: then a build must run the lint too."""
        return self.default_severity is Severity.ERROR or Severity.ERROR in self.severity.values()

    def fingerprint(self) -> str:
        """The rules as text, the same in every process (sets sorted): a lint cache key."""
        extra = [
            (
                e.id,
                e.pattern.pattern,
                e.pattern.flags,
                e.why,
                e.suggest,
                e.public_only,
                e.severity and e.severity.value,
            )
            for e in self.extra
        ]
        return repr(
            (
                sorted(self.disabled),
                sorted((k, v.value) for k, v in self.severity.items()),
                self.default_severity.value,
                extra,
                sorted(self.alarming_words.items()),
                self.people,
            )
        )

    def enabled(self, rule: str) -> bool:
        return rule not in self.disabled

    def level(self, rule: str) -> Severity:
        return self.severity.get(rule, self.default_severity)


def _severity(level: Any) -> Severity | None:
    if isinstance(level, str) and level.lower() in ("error", "warning"):
        return Severity(level.lower())
    return None


def _parse_disable(config: Mapping[str, Any], known: set[str], problems: list[str]) -> set[str]:
    """lint.disable: rule ids, each one known."""
    disabled: set[str] = set()
    raw_disable = config.get("disable", [])
    if not isinstance(raw_disable, list):
        problems.append("lint.disable: expected a list of rule ids")
        raw_disable = []
    for n, rule in enumerate(raw_disable):
        if rule not in known:
            problems.append(
                f"lint.disable[{n}]: unknown rule '{rule}', {did_you_mean(str(rule), known)}"
            )
        else:
            disabled.add(rule)
    return disabled


def _parse_severity(
    config: Mapping[str, Any], known: set[str], extra: list[ExtraRule], problems: list[str]
) -> tuple[dict[str, Severity], Severity]:
    """lint.severity: one severity for every rule, or one per rule id; an extra rule's own
    severity counts unless this sets another. Returns them and the default."""
    severity: dict[str, Severity] = {e.id: e.severity for e in extra if e.severity}
    default = Severity.WARNING
    raw_sev = config.get("severity", {})
    if isinstance(raw_sev, str):
        raw_sev = {"*": raw_sev}
    if not isinstance(raw_sev, Mapping):
        problems.append("lint.severity: expected 'error', 'warning' or a map of rule id to one")
        raw_sev = {}
    for rule, level in raw_sev.items():
        if rule != "*" and rule not in known:
            problems.append(
                f"lint.severity: unknown rule '{rule}', {did_you_mean(str(rule), known)}"
            )
            continue
        value = _severity(level)
        if value is None:
            problems.append(
                f"lint.severity.{rule}: '{level}' is not a severity, expected 'error' or 'warning'"
            )
        elif rule == "*":
            default = value
        else:
            severity[rule] = value
    return severity, default


def _parse_people(config: Mapping[str, Any], problems: list[str]) -> list[str]:
    """lint.people: names and @handles."""
    people: list[str] = []
    raw_people = config.get("people", [])
    if not isinstance(raw_people, list):
        problems.append("lint.people: expected a list of names and @handles")
        raw_people = []
    for n, person in enumerate(raw_people):
        if not isinstance(person, str) or not person.strip().lstrip("@").strip():
            problems.append(f"lint.people[{n}]: expected a name or @handle")
        else:
            people.append(person.strip())
    return people


def _parse_extra(raw: Any, problems: list[str]) -> list[ExtraRule]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append("lint.extra: expected a list of rules")
        return []
    rules: list[ExtraRule] = []
    seen: set[str] = set()
    for n, item in enumerate(raw):
        where = f"lint.extra[{n}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: expected a mapping with id, pattern and why")
            continue
        for key in item:
            if key not in _EXTRA_KEYS:
                problems.append(
                    f"{where}: unknown field '{key}', {did_you_mean(str(key), _EXTRA_KEYS)}"
                )
        rid, pattern, why = item.get("id"), item.get("pattern"), item.get("why")
        ok = True
        if not isinstance(rid, str) or not _ID_RE.match(rid):
            problems.append(
                f"{where}.id: expected lower-case letters, digits and dashes, got {rid!r}"
            )
            ok = False
        elif rid in BUILTIN_RULES or rid in seen:
            problems.append(f"{where}.id: '{rid}' is already a rule; choose another id")
            ok = False
        if not isinstance(why, str) or not why.strip():
            problems.append(f"{where}.why: say why the wording matters (shown with each finding)")
            ok = False
        for key in ("suggest",):
            if key in item and not isinstance(item[key], str):
                problems.append(f"{where}.{key}: expected text")
                ok = False
        for key in ("public_only", "case_sensitive"):
            if key in item and not isinstance(item[key], bool):
                problems.append(f"{where}.{key}: expected true or false")
                ok = False
        compiled = None
        if not isinstance(pattern, str) or not pattern:
            problems.append(f"{where}.pattern: expected a regular expression")
            ok = False
        else:
            flags = 0 if item.get("case_sensitive") is True else re.IGNORECASE
            try:
                compiled = re.compile(pattern, flags)
            except re.error as exc:
                problems.append(f"{where}.pattern: not a valid regular expression: {exc}")
                ok = False
            else:
                if compiled.search(""):
                    problems.append(f"{where}.pattern: matches empty text; it must match a phrase")
                    ok = False
        level = None
        if "severity" in item:
            level = _severity(item["severity"])
            if level is None:
                problems.append(
                    f"{where}.severity: expected 'error' or 'warning', got {item['severity']!r}"
                )
                ok = False
        if ok and compiled is not None:
            seen.add(rid)
            rules.append(
                ExtraRule(
                    rid,
                    compiled,
                    why.strip(),
                    str(item.get("suggest", "")).strip(),
                    bool(item.get("public_only", False)),
                    level,
                )
            )
    return rules


def _parse_alarming(raw: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, list):
        problems.append("lint.alarming_words: expected a list of words (or {word, suggest})")
        return {}
    words: dict[str, str] = {}
    for n, item in enumerate(raw):
        if isinstance(item, str):
            word, suggest = item, DEFAULT_ALARMING_WORDS.get(item.lower(), "")
        elif isinstance(item, Mapping) and isinstance(item.get("word"), str):
            word, suggest = item["word"], str(item.get("suggest", ""))
        else:
            problems.append(f"lint.alarming_words[{n}]: expected a word or {{word, suggest}}")
            continue
        if not word.strip() or not re.search(r"\w", word):
            problems.append(f"lint.alarming_words[{n}]: empty word")
            continue
        words[word.strip().lower()] = suggest
    return words


def _alarming_pattern(words: Mapping[str, str]) -> re.Pattern[str] | None:
    if not words:
        return None
    parts = []
    for word in sorted(words, key=len, reverse=True):
        prefix = word.endswith("*")
        core = word.rstrip("*")
        body = r"\s+".join(re.escape(w) for w in core.split())
        parts.append(body + (r"\w*" if prefix else r"\b"))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")", re.IGNORECASE)


def prefix_suggest(word: str, rules: Rules) -> str:
    for configured, suggest in rules.alarming_words.items():
        if configured.endswith("*") and word.startswith(configured.rstrip("*")):
            return suggest
    return ""
