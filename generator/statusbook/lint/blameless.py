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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..cache.store import DiskCache
from ..content.files import shown_from, walk
from ..content.frontmatter import read_text
from ..errors import Finding
from ..workers import map_batches
from .causes import (
    _families,
    cause_sections,  # noqa: F401 - re-exported
    human_error,
    person_as_cause,
)
from .config import (  # noqa: F401 - re-exported
    ADVERB,
    ALARMING,
    BUILTIN_RULES,
    COUNTERFACTUAL,
    DEFAULT_ALARMING_WORDS,
    FOLDER_KINDS,
    HUMAN_ERROR,
    INTERNAL_FIELDS,
    KINDS,
    PERSON,
    PROSE_FIELDS,
    SUPPRESSION,
    ExtraRule,
    RuleInfo,
    Rules,
    RulesError,
    prefix_suggest,
)
from .document import Hit, _prepare
from .masking import _Text
from .wording import AMBIGUOUS, GROUP, INDIVIDUAL, NONE, OTHER, _adverbs, _counterfactuals  # noqa: F401 - re-exported

# --------------------------------------------------------------------------------------------
# Entry points


def lint_text(path: str, text: str, kind: str, rules: Rules | None = None) -> list[Finding]:
    """Blameless-language findings for one content file (frontmatter and body), sorted."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    rules = rules or Rules()
    doc = _prepare(text)
    hits: list[Hit] = []
    masked = doc.masked
    scan = _Text(masked)
    if rules.enabled(COUNTERFACTUAL):
        hits.extend(_counterfactuals(scan, rules))
    if rules.enabled(ADVERB):
        hits.extend(_adverbs(scan, text, rules))
    if rules.enabled(HUMAN_ERROR):
        hits.extend(human_error(scan))
    if rules.enabled(PERSON):
        hits.extend(person_as_cause(scan, rules))
    hits.extend(h for h in _families(scan, rules) if rules.enabled(h.rule))
    public = not doc.internal
    if public and rules.enabled(ALARMING) and rules._alarming_re is not None:
        for m in scan.finditer(rules._alarming_re, rules._alarming_keys, 0, 60):
            if not doc.in_internal_field(m.start()):
                word = re.sub(r"\s+", " ", m.group()).lower()
                sug = rules.alarming_words.get(word) or prefix_suggest(word, rules)
                hits.append(
                    Hit(
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
                hits.append(Hit(extra.id, m.start(), m.end(), extra.suggest))

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
