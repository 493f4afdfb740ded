"""Blameless-language lint for incidents, maintenance and postmortems.

A postmortem that says "the engineer should have checked" teaches readers who to blame, not
what to change. This module flags such language with a position, the phrase, why it matters
and a rewording, as `Finding`s like every other check (severity WARNING unless configured).

Everything here is a pure function of a file's text, its kind and the `Rules`:

    lint_text(path, text, kind, rules) -> list[Finding]

How a file is read (see docs/lint.md for the full description and the heuristics' limits):

- Only prose is linted: in the frontmatter the values of `title`, `summary`, `notes`,
  `updates[].message` and `action_items[].description`; and the Markdown body. Everything
  else (keys, ids, times, component maps) is blanked out, keeping every other character in
  place so that offsets in the blanked text are offsets in the file.
- Inside prose, these are skipped: fenced and indented code, `code spans`, URLs, link
  targets, e-mail addresses, HTML tags and comments, text in double quotes (UI text, error
  messages, someone's words) and block quotes that quote someone (starting with a quotation
  mark, with an attribution line, after a "... said:" line, or a chat transcript). Other block
  quotes (editorial notes) are linted. Headings are linted only by the cause rules
  (`human-error`, `person-as-cause`) and by extra and alarming-word rules, since section names
  like "What we could have done better" are not claims about anybody.
- Counterfactuals ("failed to", "didn't", "should have") are only blame when a person is the
  subject: "the job failed to start" describes a system. The subject is the nearest word
  before the phrase (skipping adverbs and auxiliaries, and "that"/"which" back to their noun),
  sorted into people, groups and everything else from word lists.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache.store import DiskCache
from ..content.files import shown_from, walk
from ..content.frontmatter import read_text
from ..errors import Finding, Severity, did_you_mean
from ..workers import map_batches

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
        people = _people_pattern(self.people)
        object.__setattr__(self, "_people_re", people)
        if people is not None:
            names = _person_cause_pattern(r"(?-i:" + people.pattern + ")")
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
                    f"lint.severity.{rule}: '{level}' is not a severity, "
                    "expected 'error' or 'warning'"
                )
            elif rule == "*":
                default = value
            else:
                severity[rule] = value

        alarming = dict(DEFAULT_ALARMING_WORDS)
        if "alarming_words" in config:
            alarming = _parse_alarming(config["alarming_words"], problems)

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


def _people_pattern(people: Iterable[str]) -> re.Pattern[str] | None:
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


def _prefix_suggest(word: str, rules: Rules) -> str:
    for configured, suggest in rules.alarming_words.items():
        if configured.endswith("*") and word.startswith(configured.rstrip("*")):
            return suggest
    return ""


# --------------------------------------------------------------------------------------------
# Entry points


def lint_text(path: str, text: str, kind: str, rules: Rules | None = None) -> list[Finding]:
    """Blameless-language findings for one content file (frontmatter and body), sorted."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    rules = rules or Rules()
    doc = _prepare(text)
    hits: list[_Hit] = []
    masked = doc.masked
    scan = _Text(masked)
    if rules.enabled(COUNTERFACTUAL):
        hits.extend(_counterfactuals(scan, rules))
    if rules.enabled(ADVERB):
        hits.extend(_adverbs(scan, text, rules))
    if rules.enabled(HUMAN_ERROR):
        hits.extend(_human_error(scan))
    if rules.enabled(PERSON):
        hits.extend(_person_as_cause(scan, rules))
    hits.extend(h for h in _families(scan, rules) if rules.enabled(h.rule))
    public = not doc.internal
    if public and rules.enabled(ALARMING) and rules._alarming_re is not None:
        for m in scan.finditer(rules._alarming_re, rules._alarming_keys, 0, 60):
            if not doc.in_internal_field(m.start()):
                word = re.sub(r"\s+", " ", m.group()).lower()
                sug = rules.alarming_words.get(word) or _prefix_suggest(word, rules)
                hits.append(
                    _Hit(
                        ALARMING,
                        m.start(),
                        m.end(),
                        f'say what happened plainly, e.g. "{sug}"' if sug else "",
                    )
                )
    for extra in rules.extra:
        if not rules.enabled(extra.id) or (extra.public_only and not public):
            continue
        for m in extra.pattern.finditer(masked):
            if m.end() > m.start() and not (extra.public_only and doc.in_internal_field(m.start())):
                hits.append(_Hit(extra.id, m.start(), m.end(), extra.suggest))

    # A judgemental word inside a cause already reported ("the operator carelessly ran") is
    # one problem, not two.
    causes = [(h.start, h.end) for h in hits if h.rule in (PERSON, HUMAN_ERROR)]
    if causes:
        hits = [h for h in hits if h.rule != ADVERB or not any(a <= h.start < b for a, b in causes)]
    findings: list[Finding] = []
    extras = {e.id: e for e in rules.extra}
    seen: set[tuple[str, int]] = set()
    for hit in sorted(hits, key=lambda h: (h.start, h.rule)):
        if (hit.rule, hit.start) in seen:
            continue
        seen.add((hit.rule, hit.start))
        info = BUILTIN_RULES.get(hit.rule)
        if info is not None and not info.in_headings and doc.in_heading(hit.start):
            continue
        line, col = doc.position(hit.start)
        if doc.suppressed(hit.rule, line, hit.start):
            continue
        phrase = re.sub(r"\s+", " ", text[hit.start : hit.end]).strip()
        if info is not None:
            label, why, suggest = info.label, info.why, hit.suggest or info.suggest
        else:
            label, why, suggest = "wording", extras[hit.rule].why, hit.suggest
        message = f'{label} "{phrase}": {why} [{hit.rule}]'
        findings.append(Finding(path, line, col, message, suggest, rules.level(hit.rule)))

    if rules.enabled(SUPPRESSION):
        known = set(BUILTIN_RULES) | set(extras)
        for sup in doc.suppressions:
            for problem in sup.problems(known):
                findings.append(
                    Finding(
                        path,
                        sup.line,
                        sup.col,
                        f"{problem} [{SUPPRESSION}]",
                        BUILTIN_RULES[SUPPRESSION].suggest,
                        rules.level(SUPPRESSION),
                    )
                )
    return sorted(findings)


def lint_file(
    path: Path, display_path: str, kind: str, rules: Rules | None = None
) -> list[Finding]:
    """Lint one file from disk; a file that cannot be read as text gives no findings here
    (validation reports it)."""
    text, _ = read_text(display_path, path.read_bytes())
    return [] if text is None else lint_text(display_path, text, kind, rules)


def lint_content(
    content_dir: Path,
    root: Path,
    rules: Rules | None = None,
    disk: DiskCache | None = None,
    reader: DiskCache | None = None,
    linted: Mapping[str, list[Finding]] | None = None,
) -> list[Finding]:
    """Lint every incident, maintenance and postmortem file under content_dir, sorted by path.
    With `disk`, a file linted before with the same bytes and rules is not linted again; many
    files not linted before are linted in worker processes. `reader`: one that has read the
    files already, and `linted`: the findings of files linted with these rules on the way
    (content.load checks and lints in one pass), by shown path."""
    linted = linted or {}
    rules = rules or Rules()
    reader = reader or disk or DiskCache(None)
    ruled = rules.fingerprint() if disk is not None else ""
    done: dict[str, list[Finding]] = {}
    todo: list[tuple[tuple[Any, ...] | None, tuple[str, str, bytes]]] = []
    show = shown_from(root)
    for folder, kind in FOLDER_KINDS.items():
        base = content_dir / folder
        if not base.is_dir():
            continue
        for path in walk(base)[0]:
            shown = show(path)
            # Without a cache there is nothing to look up: no key, no digest.
            key = None if disk is None else ("lint", shown, kind, reader.digest(path), ruled)
            found = None if key is None else disk.get(key)
            if found is None and shown in linted:
                found = linted[shown]
                if key is not None:
                    disk.put(key, found)
            if found is None:
                todo.append((key, (shown, kind, reader.read(path))))
            else:
                done[shown] = found
    jobs = [job for _, job in todo]
    results = map_batches(_lint_batch, jobs, rules)
    if results is None:  # few files, one core, or no way to fork here
        results = _lint_batch(jobs, rules)
    for (key, (shown, _, _)), found in zip(todo, results, strict=True):
        done[shown] = found
        if disk is not None and key is not None:
            disk.put(key, found)
    return sorted(f for found in done.values() for f in found)


def _lint_batch(jobs: Sequence[tuple[str, str, bytes]], rules: Rules) -> list[list[Finding]]:
    """Findings for each (shown path, kind, bytes); in a worker process for large sites."""
    return [lint_bytes(shown, kind, raw, rules) for shown, kind, raw in jobs]


def lint_bytes(shown: str, kind: str, raw: bytes, rules: Rules) -> list[Finding]:
    """Findings for one file's bytes; none when they are not text (validation reports it)."""
    text, _ = read_text(shown, raw)
    return [] if text is None else lint_text(shown, text, kind, rules)


def rule_of(finding: Finding) -> str:
    """The rule id of a lint finding (the `[rule-id]` that ends its message)."""
    m = re.search(r"\[([a-z][a-z0-9-]*)\]$", finding.message)
    return m.group(1) if m else ""


# --------------------------------------------------------------------------------------------
# Reading a file: which characters are prose, where suppressions are


@dataclass
class _Hit:
    rule: str
    start: int
    end: int
    suggest: str = ""


@dataclass
class _Suppression:
    line: int
    col: int
    rules: tuple[str, ...]
    reason: str
    # Offsets of a YAML value the comment stands before or beside: the whole value is covered.
    span: tuple[int, int] | None = None
    end_line: int = 0  # last line of a comment that spans lines

    def covers(self, rule: str) -> bool:
        return rule in self.rules or "*" in self.rules

    def problems(self, known: set[str]) -> Iterator[str]:
        if not self.rules:
            yield "blameless-ignore names no rule"
        for rule in self.rules:
            if rule != "*" and rule not in known:
                yield f"blameless-ignore names unknown rule '{rule}', {did_you_mean(rule, known)}"
        if not re.search(r"\w", self.reason):
            yield "blameless-ignore without a reason: say why this wording is right here"


@dataclass
class _Doc:
    masked: str
    line_starts: list[int]
    internal: bool
    internal_spans: list[tuple[int, int]]
    heading_spans: list[tuple[int, int]]
    suppressions: list[_Suppression]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def in_heading(self, offset: int) -> bool:
        return _in_spans(self.heading_spans, offset)

    def in_internal_field(self, offset: int) -> bool:
        return _in_spans(self.internal_spans, offset)

    def suppressed(self, rule: str, line: int, offset: int) -> bool:
        for sup in self.suppressions:
            if not sup.covers(rule):
                continue
            if sup.line <= line <= max(sup.line, sup.end_line) + 1:
                return True
            if sup.span and sup.span[0] <= offset < sup.span[1]:
                return True
        return False


def _in_spans(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(a <= offset < b for a, b in spans)


def _blank(s: str) -> str:
    """Spaces for every character but line breaks: offsets and line numbers stay put."""
    if "\n" not in s:
        return " " * len(s)
    return "\n".join(" " * len(part) for part in s.split("\n"))


_NON_SPACE_RE = re.compile(r"\S")


def _gap(text: str, blank: str, a: int, b: int) -> str:
    """Blanked YAML between two prose values, with a full stop where the first key was, so
    that no sentence (or subject) runs from one value into the next."""
    m = _NON_SPACE_RE.search(text, a, b)
    if m is None:
        return blank[a:b]
    return blank[a : m.start()] + "." + blank[m.start() + 1 : b]


def _blank_match(m: re.Match[str]) -> str:
    return _blank(m.group())


def _prepare(text: str) -> _Doc:
    """Blank everything that is not prose, keeping offsets; find suppressions and headings."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    lines = text.split("\n")
    body_start = 0
    fm_masked = ""
    internal = False
    internal_spans: list[tuple[int, int]] = []
    suppressions: list[_Suppression] = []
    if lines and lines[0].lstrip("\ufeff").rstrip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is not None:
            body_start = line_starts[end + 1] if end + 1 < len(line_starts) else len(text)
            fm_masked, internal, internal_spans, suppressions = _frontmatter(
                text, lines, line_starts, end, body_start
            )
    body = text[body_start:]
    body = _mask_body_blocks(body)
    masked = fm_masked + body if body_start else body
    # Block structure shared by the body and Markdown in update messages.
    masked = _mask_fences(masked)
    heading_spans = [m.span() for m in _HEADING_RE.finditer(masked)] if "#" in masked else []
    for m in _HTML_COMMENT_RE.finditer(masked) if "<!--" in masked else ():
        sup = _SUPPRESS_MD_RE.match(m.group())
        if sup:
            line = bisect_right(line_starts, m.start())
            suppressions.append(
                _Suppression(
                    line,
                    m.start() - line_starts[line - 1] + 1,
                    _split_rules(sup.group("rules")),
                    (sup.group("reason") or "").strip(),
                    end_line=line + m.group().count("\n"),
                )
            )
    if "<!--" in masked:
        masked = _HTML_COMMENT_RE.sub(_blank_match, masked)
    if "`" in masked:
        masked = _blank_spans(masked, _code_spans(masked))
    if ">" in masked:
        masked = _mask_quotations(masked)
    for needle, pattern in _NOISE:
        if needle in masked:
            masked = pattern.sub(_blank_match, masked)
    spans = _anchored_spans(masked)
    if '"' in masked or "“" in masked:
        spans.extend(_quoted_spans(masked))
    if spans:
        masked = _blank_spans(masked, spans)
    masked = masked.translate(_EMPHASIS)  # **bold**, _em_, ~~strike~~: markers become spaces
    assert len(masked) == len(text)
    return _Doc(masked, line_starts, internal, internal_spans, heading_spans, suppressions)


def _frontmatter(
    text: str, lines: list[str], line_starts: list[int], last: int, body_start: int
) -> tuple[str, bool, list[tuple[int, int]], list[_Suppression]]:
    """The frontmatter with only prose values left, whether it is internal, the spans of
    internal fields and the YAML suppression comments. `last` is the index of the closing
    '---' line."""
    fm = _scan_frontmatter(lines, line_starts, last)
    blank = _blank(text[:body_start])
    pieces: list[str] = []
    pos = 0
    for start, end, _, _ in fm.prose:
        pieces.append(_gap(text, blank, pos, start))
        pieces.append(text[start:end])
        pos = end
    pieces.append(_gap(text, blank, pos, body_start))
    masked = "".join(pieces)
    internal_spans = [(s, e) for s, e, _, name in fm.prose if name in INTERNAL_FIELDS]
    suppressions: list[_Suppression] = []
    for line, col, comment in fm.comments:
        m = _SUPPRESS_YAML_RE.match(comment)
        if not m:
            continue
        span = next(((s, e) for s, e, kl, _ in fm.prose if kl in (line, line + 1)), None)
        suppressions.append(
            _Suppression(
                line, col, _split_rules(m.group("rules")), (m.group("reason") or "").strip(), span
            )
        )
    return masked, fm.internal, internal_spans, suppressions


@dataclass
class _Frontmatter:
    prose: list[tuple[int, int, int, str]] = field(
        default_factory=list
    )  # start, end, key line, field
    comments: list[tuple[int, int, str]] = field(default_factory=list)  # line, col, "# ..."
    internal: bool = False


#: Prose fields as the scanner sees them: list items carry no index.
_PROSE_PATHS = frozenset(tuple(k for k in path if k != "*") for path in PROSE_FIELDS)
_KEY_LINE_RE = re.compile(r"^( *)((?:- +)*)([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)[ \t]*(.*)$")
_ITEM_LINE_RE = re.compile(r"^( *)- ")
_PLAIN_COMMENT_RE = re.compile(r"[ \t]#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _scan_frontmatter(lines: list[str], line_starts: list[int], last: int) -> _Frontmatter:
    """Find the prose values of a block-style YAML frontmatter (lines 1 to last-1) by their
    keys and indentation, without building the document: a fraction of the cost of composing
    YAML, and it still works on a file that does not parse (validation reports that)."""
    out = _Frontmatter()
    stack: list[tuple[int, str]] = []  # (column, key) of the enclosing keys
    i = 1
    while i < last:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped.startswith("#"):
            out.comments.append((i + 1, _indent(line) + 1, stripped))
            i += 1
            continue
        m = _KEY_LINE_RE.match(line)
        if not m:
            i += 1  # a plain list item ("- api"), or something validation will report
            continue
        indent, dashes, key, rest = m.groups()
        col = len(indent) + len(dashes)
        while stack and stack[-1][0] >= col:
            stack.pop()
        path = (*(k for _, k in stack), key)
        stack.append((col, key))
        if path == ("visibility",) and rest.split("#")[0].strip().strip("'\"") == "internal":
            out.internal = True
        value_at = line_starts[i] + m.start(4)
        if rest and rest[0] not in "|>\"'[{&*!#" and path not in _PROSE_PATHS:
            # fast path: a one-line value that is not prose (times, ids, statuses)
            comment = _PLAIN_COMMENT_RE.search(rest) if "#" in rest else None
            if comment:
                out.comments.append(
                    (i + 1, m.start(4) + comment.start() + 2, rest[comment.start() + 1 :])
                )
            i += 1
            continue
        i, span = _scan_value(lines, line_starts, last, i, col, rest, value_at, out)
        if span is not None and path in _PROSE_PATHS and span[1] > span[0]:
            out.prose.append((span[0], span[1], _line_no(line_starts, value_at), path[0]))
    out.prose.sort()
    return out


def _line_no(line_starts: list[int], offset: int) -> int:
    return bisect_right(line_starts, offset)


def _scan_value(
    lines: list[str],
    line_starts: list[int],
    last: int,
    i: int,
    col: int,
    rest: str,
    value_at: int,
    out: _Frontmatter,
) -> tuple[int, tuple[int, int] | None]:
    """Where the value after a key stands (None if it is not a scalar), and the next line."""
    line_end = line_starts[i] + len(lines[i])
    if rest[:1] in ("|", ">"):  # block scalar: the more-indented lines that follow
        hash_at = rest.find("#")
        if hash_at >= 0:
            out.comments.append((i + 1, value_at - line_starts[i] + hash_at + 1, rest[hash_at:]))
        j = i + 1
        while j < last and not lines[j].strip():
            j += 1
        if j >= last or _indent(lines[j]) <= col:
            return i + 1, None
        content = _indent(lines[j])
        k = j
        end_line = j
        while k < last and (not lines[k].strip() or _indent(lines[k]) >= content):
            if lines[k].strip():
                end_line = k
            k += 1
        return end_line + 1, (line_starts[i + 1], line_starts[end_line] + len(lines[end_line]))
    if rest[:1] in ('"', "'"):  # quoted, perhaps over several lines
        quote = rest[0]
        text_from = value_at + 1
        j, pos = i, 1 + (value_at - line_starts[i])
        while j < last:
            line = lines[j]
            while True:
                q = line.find(quote, pos)
                if q < 0:
                    break
                if quote == '"' and _escaped(line, q):
                    pos = q + 1
                    continue
                if quote == "'" and line[q + 1 : q + 2] == "'":
                    pos = q + 2
                    continue
                tail = line[q + 1 :]
                hash_at = tail.find("#")
                if hash_at >= 0:
                    out.comments.append((j + 1, q + 2 + hash_at, tail[hash_at:]))
                return j + 1, (text_from, line_starts[j] + q)
            j += 1
            pos = 0
        return last, None  # unterminated: validation reports it
    if rest[:1] in ("[", "{", "&", "*", "!"):  # flow collection, anchor, alias, tag: not prose
        depth = 0
        j = i
        while j < last:
            segment = rest if j == i else lines[j]
            depth += (
                segment.count("[") + segment.count("{") - segment.count("]") - segment.count("}")
            )
            j += 1
            if depth <= 0:
                break
        return j, None
    # plain scalar, on this line and more-indented continuation lines; or nothing (a nested block)
    comment = _PLAIN_COMMENT_RE.search(" " + rest)
    if comment:
        out.comments.append(
            (i + 1, value_at - line_starts[i] + comment.start() + 1, rest[comment.start() :])
        )
        rest_end = value_at + comment.start() - 1
    else:
        rest_end = line_end
    start = value_at if rest.strip() and not rest.lstrip().startswith("#") else None
    j = i + 1
    end = rest_end
    while j < last:
        line = lines[j]
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _indent(line) <= col:
            break
        if start is None and (_KEY_LINE_RE.match(line) or _ITEM_LINE_RE.match(line)):
            return i + 1, None  # a nested mapping or list: scan its lines as keys
        if start is None:
            start = line_starts[j] + _indent(line)
        comment = _PLAIN_COMMENT_RE.search(line)
        if comment:  # a comment ends a plain scalar
            out.comments.append((j + 1, comment.start() + 2, line[comment.start() + 1 :]))
            end = line_starts[j] + comment.start()
            j += 1
            break
        end = line_starts[j] + len(line)
        j += 1
    if start is None:
        return i + 1, None
    return j, (start, end)


def _escaped(line: str, q: int) -> bool:
    n = 0
    while q - n - 1 >= 0 and line[q - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _split_rules(raw: str | None) -> tuple[str, ...]:
    return tuple(r for r in re.split(r"[\s,]+", raw or "") if r)


_SUPPRESS_MD_RE = re.compile(
    r"<!--\s*blameless-ignore\b[ \t]*(?P<rules>[*\w, \t-]*?)[ \t]*(?::(?P<reason>.*?))?\s*-->",
    re.DOTALL,
)
_SUPPRESS_YAML_RE = re.compile(
    r"#[ \t]*blameless-ignore\b[ \t]*(?P<rules>[*\w, \t-]*?)[ \t]*"
    r"(?::(?P<reason>[^\n]*))?[ \t]*$"
)
_HTML_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t][^\n]*)?$", re.MULTILINE)
_FENCE_OPEN_RE = re.compile(r"^([ \t]*)(`{3,}|~{3,})", re.MULTILINE)
#: Inline things that are not prose, each run only when its marker occurs in the text.
_NOISE = (
    ("](", re.compile(r'\]\([^)\s]*(?:\s+"[^"]*")?\)')),  # link and image targets
    ("]:", re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[^\n]*", re.MULTILINE)),  # reference definitions
    ("<", re.compile(r"<[a-z][a-z0-9+.-]*:[^>\s]*>", re.IGNORECASE)),  # autolinks
    ("<", re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")),  # HTML tags
)
# Text in double quotes: UI text, error messages, someone's words. Never across a blank line.
_EMPHASIS = str.maketrans("*_~", "   ")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_URL_TAIL_RE = re.compile(r'[^\s<>()"]*(?:\([^\s)]*\)[^\s<>()"]*)*')
_DOMAIN_RE = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")


def _blank_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    pieces: list[str] = []
    pos = 0
    for a, b in sorted(spans):
        if b <= pos:
            continue
        a = max(a, pos)
        pieces.append(text[pos:a])
        pieces.append(_blank(text[a:b]))
        pos = b
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """`code spans`: a run of backticks up to the next run of the same length, within a
    paragraph."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        a, b = runs[i]
        for j in range(i + 1, len(runs)):
            c, d = runs[j]
            if d - c == b - a:
                if not _BLANK_LINE_RE.search(text, b, c):
                    spans.append((a, d))
                    i = j
                break
        i += 1
    return spans


def _anchored_spans(text: str) -> list[tuple[int, int]]:
    """URLs, www. addresses and e-mail addresses, found from their '://', 'www.' or '@'."""
    spans: list[tuple[int, int]] = []
    i = text.find("://")
    while i >= 0:
        a = i
        while a > 0 and text[a - 1].isalpha():
            a -= 1
        m = _URL_TAIL_RE.match(text, i + 3)
        spans.append((a, m.end() if m else i + 3))
        i = text.find("://", i + 3)
    i = text.find("www.")
    while i >= 0:
        if i == 0 or not text[i - 1].isalnum():
            m = _URL_TAIL_RE.match(text, i)
            spans.append((i, m.end() if m else i + 4))
        i = text.find("www.", i + 4)
    i = text.find("@")
    while i >= 0:
        a = i
        while a > 0 and text[a - 1] in _LOCAL_CHARS:
            a -= 1
        if a < i:
            m = _DOMAIN_RE.match(text, i + 1)
            if m:
                spans.append((a, m.end()))
        i = text.find("@", i + 1)
    return spans


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Text in double quotes (UI text, error messages, someone's words), up to 300
    characters and never across a blank line."""
    spans: list[tuple[int, int]] = []
    for open_q, close_q in (('"', '"'), ("“", "”")):
        i = text.find(open_q)
        while i >= 0:
            j = text.find(close_q, i + 1)
            if j < 0:
                break
            if j - i <= 301 and not _BLANK_LINE_RE.search(text, i, j):
                spans.append((i, j + 1))
                i = text.find(open_q, j + 1)
            else:
                i = text.find(open_q, i + 1)
    return spans


def _mask_fences(text: str) -> str:
    if "```" not in text and "~~~" not in text:
        return text
    out: list[str] = []
    pos = 0
    while True:
        m = _FENCE_OPEN_RE.search(text, pos)
        if not m:
            break
        indent, fence = m.group(1), m.group(2)
        close = re.compile(
            r"^"
            + re.escape(indent)
            + r"[ \t]{0,3}"
            + re.escape(fence[0])
            + "{"
            + str(len(fence))
            + r",}[ \t]*$",
            re.MULTILINE,
        )
        line_end = text.find("\n", m.end())
        c = close.search(text, line_end + 1) if line_end >= 0 else None
        stop = len(text) if c is None else c.end()
        out.append(text[pos : m.start()])
        out.append(_blank(text[m.start() : stop]))
        pos = stop
    out.append(text[pos:])
    return "".join(out)


# List items and admonitions ("!!! note"): their indented lines are prose, not code.
_LIST_ITEM_RE = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)]|!!!|\?\?\?\+?)[ \t]")


def _mask_body_blocks(body: str) -> str:
    """Blank indented code blocks (4 spaces after a blank line, outside lists)."""
    if "\n    " not in body and "\n\t" not in body:
        return body
    lines = body.split("\n")
    in_list = False
    in_code = False
    prev_blank = True
    for i, line in enumerate(lines):
        stripped = line.strip()
        indented = line.startswith("    ") or line.startswith("\t")
        if not stripped:
            prev_blank = True
            continue
        if in_code and indented:
            lines[i] = " " * len(line)
            continue
        in_code = False
        if indented and prev_blank and not in_list:
            in_code = True
            lines[i] = " " * len(line)
        elif not indented:
            in_list = bool(_LIST_ITEM_RE.match(line)) or (in_list and not prev_blank)
        prev_blank = False
    return "\n".join(lines)


_QUOTE_LINE_RE = re.compile(r"^[ \t]*>[ \t]?(.*)$")
_ATTRIBUTION_RE = re.compile(r"^(?:[—–―~]|--)\s*\S")
_CHAT_RE = re.compile(r"^(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+)?(?:@[\w.-]+|<[\w.@-]+>)\s*:?\s")
_REPORTING_RE = re.compile(
    r"\b(?:said|says|wrote|writes|told|asked|replied|posted|reported|commented|explained|"
    r"messaged|noted|stated|read|reads)\b[^\n]*:\s*$",
    re.IGNORECASE,
)


def _mask_quotations(text: str) -> str:
    """Blank block quotes that quote someone; editorial block quotes stay prose."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith(">"):
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].lstrip().startswith(">"):
            j += 1
        inner = []
        for k in range(i, j):
            qm = _QUOTE_LINE_RE.match(lines[k])
            inner.append(qm.group(1).strip() if qm else "")
        first = next((s for s in inner if s), "")
        before = lines[i - 1] if i > 0 else ""
        quoting = (
            first[:1] in "\"“'‘"
            or any(_ATTRIBUTION_RE.match(s) for s in inner)
            or any(_CHAT_RE.match(s) for s in inner if s)
            or bool(_REPORTING_RE.search(before))
        )
        if quoting and first:
            for k in range(i, j):
                lines[k] = " " * len(lines[k])
        i = j
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Searching only where a rule's key words occur


_SPACE_RE = re.compile(r"\s")


def _word_end(text: str, y: int) -> int:
    m = _SPACE_RE.search(text, y)
    return len(text) if m is None else m.start()


class _Text:
    """The blanked text, its lower-case copy and windowed searches.

    Every rule's pattern is run only on the lines around its key words (found with str.find,
    at C speed), which keeps a file's lint well under a millisecond: a full regex pass with
    many alternatives costs far more than a handful of find() calls.
    """

    def __init__(self, masked: str):
        self.masked = masked
        low = masked.lower()
        self.low = low if len(low) == len(masked) else None  # some letters lower to two

    def finditer(
        self,
        pattern: re.Pattern[str],
        keywords: Iterable[str],
        before: int,
        after: int,
        word_before: tuple[frozenset[str], re.Pattern[str]] | None = None,
    ) -> Iterator[re.Match[str]]:
        """Matches of `pattern` near the key words. With `word_before` (key words, pattern),
        those key words count only after white space and a word that the pattern finds at
        the end of the text before them ("human error", not "error rates"): common words
        then open no window for the rule, which a match could not have used anyway."""
        masked, low = self.masked, self.low
        if low is None:
            yield from pattern.finditer(masked)
            return
        n = len(masked)
        ranges: list[tuple[int, int]] = []
        gated, word_re = word_before or (frozenset(), None)
        for word in keywords:
            i = low.find(word)
            while i >= 0:
                if word in gated and not _after_word(low, i, word_re):
                    i = low.find(word, i + 1)
                    continue
                # widen to whole words: a window never starts or ends inside one
                x = max(0, i - before)
                a = max(masked.rfind(" ", 0, x), masked.rfind("\n", 0, x)) + 1
                y = min(n, i + len(word) + after)
                b = _word_end(masked, y)
                ranges.append((a, b))
                i = low.find(word, i + 1)
        if not ranges:
            return
        ranges.sort()
        merged = [ranges[0]]
        for a, b in ranges[1:]:
            if a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        for a, b in merged:
            yield from pattern.finditer(masked, a, b)


def _after_word(low: str, i: int, word_re: Any) -> bool:
    """Whether white space and a word that word_re finds at its end come before offset i."""
    head = low[max(0, i - 200) : i]
    word = head.rstrip()
    if len(word) == len(head):
        return False  # no white space right before
    if not word:
        return i > 200  # a long blank run (masked code): let the rule's pattern decide
    return word_re.search(word, max(0, len(word) - 40)) is not None


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
_NEUTRAL_AFTER_PERSON = frozenset(
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


def _is_participle(word: str) -> bool:
    return word in _IRREGULAR_PARTICIPLES or (len(word) > 3 and word.endswith("ed"))


_CF_KEYS = ("should", "could", "ought", "fail", "did", "forgot", "neglected", "if only")


def _counterfactuals(scan: _Text, rules: Rules) -> Iterator[_Hit]:
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
            yield _Hit(COUNTERFACTUAL, m.start(), m.end(), _CF_SUGGEST[kind])
            continue
        if kind in ("modal", "modal2"):
            kind = "modal"
            could = masked[m.start() : m.start() + 5].lower() == "could"
            if could and m.group("neg"):
                continue  # "could not have known" excuses rather than blames
            if not _is_participle(verb):
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
                flagged = verb not in _NEUTRAL_AFTER_PERSON
            else:
                flagged = subject in (GROUP, AMBIGUOUS, NONE) and verb in _DILIGENCE
        if flagged and _RESULT_OR_BELIEF_RE.search(masked, max(0, m.start() - 30), m.start()):
            flagged = False  # "so we didn't catch it": the reason is given; "assume we could have"
        if flagged:
            yield _Hit(COUNTERFACTUAL, m.start(), verb_end if verb else m.end(), _CF_SUGGEST[kind])


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


def _adverbs(scan: _Text, text: str, rules: Rules) -> Iterator[_Hit]:
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
        yield _Hit(ADVERB, m.start(), m.end(), _without(text, m.start(), m.end()))


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


def _human_error(scan: _Text) -> Iterator[_Hit]:
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
        yield _Hit(HUMAN_ERROR, m.start(), m.end())


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


def _person_cause_pattern(person: str) -> re.Pattern[str]:
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


_HANDLE_CAUSE_RE = _person_cause_pattern(_HANDLE)


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


def _person_as_cause(scan: _Text, rules: Rules) -> Iterator[_Hit]:
    for pattern, keys, before, after, gate in _ROLE_CAUSES:
        for m in scan.finditer(pattern, keys, before, after, gate):
            yield _Hit(PERSON, m.start("p"), m.end())
    searches: list[tuple[re.Pattern[str], Iterable[str]]] = [(_HANDLE_CAUSE_RE, ("@",))]
    if rules._names_cause_re is not None:
        searches.append((rules._names_cause_re, rules._people_keys))
    for pattern, keys in searches:
        for m in scan.finditer(pattern, keys, 120, 200):
            group = next(g for g in "abcdefg" if m.group(g))
            yield _Hit(PERSON, m.start(group), m.end())


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


def _families(scan: _Text, rules: Rules) -> Iterator[_Hit]:
    masked = scan.masked
    for name, rule, pattern, keys, suggest in _FAMILIES:
        before, after = _FAMILY_WINDOWS[name]
        for m in scan.finditer(pattern, keys, before, after):
            start, end = m.start(), m.end()
            if name == "passive-modal":
                verb = (m.group("v") or m.group("v2") or "").lower()
                if not _is_participle(verb) or verb in _PASSIVE_NEUTRAL:
                    continue
                if _NOT_PERSON_AGENT.match(masked, end):
                    continue  # "should have been caught by the tests": a missing safeguard
            elif name == "exhortation":
                if masked[start : start + 2].lower() == "be" or m.group().lower().startswith(
                    ("was", "were", "is", "are", "get", "stay", "remain", "become")
                ):
                    head = _EXHORT_SKIP.sub(_blank_match, masked[max(0, start - 160) : start])
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
                if m.group(g).split()[-1].lower() in _NEUTRAL_AFTER_PERSON:
                    continue
            elif name == "named-human-error":
                g = next(x for x in ("term", "term2", "term3") if m.group(x))
                if g != "term3":
                    start, end = m.start(g), m.end(g)
                if _NEGATION_RE.search(masked[max(0, start - 40) : start]):
                    continue
            yield _Hit(rule, start, end, suggest)
    for a, b in cause_sections(masked):
        for m in _BARE_TERM_RE.finditer(masked, a, b):
            if not _NEGATION_RE.search(masked[max(a, m.start() - 40) : m.start()]):
                yield _Hit(
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
