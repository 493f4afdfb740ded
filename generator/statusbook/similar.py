"""Similar earlier incidents, so recurring problems become visible.

Computed at build time from the content alone: no network, no model, standard library only.

Score. Each incident is a document: its title (counted twice), its update messages and its
body. Words are lower-cased, split on anything that is not a letter or digit, numbers and a small
English stop-word list are dropped and a light suffix stemmer folds plurals and verb endings
("errors", "erroring", "errored" -> "error"). Each term weighs (1 + ln tf) * ln(1 + N / df),
where N is the number of incidents and df the number that use the term; the TOP_TERMS heaviest
terms of a document form its vector (L2-normalised), which keeps every comparison short and
drops boilerplate. Two incidents score

    score = (1 - COMPONENT_WEIGHT) * cosine(text vectors) + COMPONENT_WEIGHT * jaccard(components)

in [0, 1]. Only incidents that started strictly earlier are candidates, and only pairs scoring
at least `min_score` are listed, best first, ties broken by id.

Scale. Comparing every pair is quadratic, so each incident is compared exactly with a bounded
candidate set: the earlier incidents that share one of its SIGNATURE heaviest terms among their
own signature terms, plus those with exactly the same components (the most recent POSTINGS of
each list: recurring problems are found by their distinctive words, and the most recent
recurrences are the ones worth showing). At most a few hundred exact comparisons are made per
incident whatever the history's length, so the cost grows linearly with the number of incidents.
The result is exact for every candidate it compares; a pair that shares no signature term and
not its component set is never compared (its text has little in common by construction).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import chain
from operator import mul

from .model import Corpus, Incident, Postmortem

#: Share of the score that comes from shared components (Jaccard index of the component sets).
COMPONENT_WEIGHT = 0.2
#: Pairs below this score are not listed: same components with unrelated text stay below it.
DEFAULT_MIN_SCORE = 0.3
#: Terms kept per document vector (the heaviest by tf-idf).
TOP_TERMS = 40
#: Heaviest terms per document used to find candidates.
SIGNATURE = 6
#: Most recent earlier documents kept per signature term / per component set.
POSTINGS = 48

Score = tuple[str, float]

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your yours us may might must shall still yet however since within without across
    per via etc http https www com org net html
    """.split()
)

_WORD = re.compile(r"[^\W_]+")


def stem(word: str) -> str:
    """A light suffix stripper: plurals and common verb endings, nothing clever."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("es") and word[-3:-2] in ("s", "x", "z", "h") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    else:
        return word
    # "stopped" -> "stopp" -> "stop"; "failing" -> "fail"
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


def document_text(incident: Incident) -> str:
    """The text an incident is compared on: title twice, update messages, body."""
    return "\n".join([incident.title, incident.title, *(u.message for u in incident.updates), incident.body])


class _Tokenizer:
    """Word -> term (or None for stop words and numbers), cached: vocabularies are small."""

    def __init__(self) -> None:
        self._cache: dict[str, str | None] = {}

    def terms(self, text: str) -> Counter[str]:
        words = Counter(_WORD.findall(text.lower()))
        cache = self._cache
        out: Counter[str] = Counter()
        for word, count in words.items():
            term = cache.get(word, "")
            if term == "":
                term = cache[word] = self._term(word)
            if term is not None:
                out[term] += count
        return out

    @staticmethod
    def _term(word: str) -> str | None:
        if word in STOP_WORDS or word.isdigit() or len(word) < 2:
            return None
        term = stem(word)
        return None if term in STOP_WORDS else term


def _vectors(counts: Sequence[Counter[str]], top: int) -> list[dict[str, float]]:
    """Sublinear tf * ln(1 + N/df), the `top` heaviest terms, L2-normalised."""
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    idf = {term: math.log(1.0 + n / d) for term, d in df.items()}
    vectors = []
    for c in counts:
        weights = [((1.0 + math.log(tf)) * idf[term], term) for term, tf in c.items()]
        if len(weights) > top:
            # heaviest first, ties by term: deterministic whatever the hash seed
            weights.sort(key=lambda wt: (-wt[0], wt[1]))
            del weights[top:]
        norm = math.sqrt(sum(w * w for w, _ in weights)) or 1.0
        vectors.append({term: w / norm for w, term in weights})
    return vectors


def _signature(vector: Mapping[str, float], size: int) -> list[str]:
    return [t for _, t in sorted(((-w, t) for t, w in vector.items()))[:size]]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    common = a.keys() & b.keys()
    if not common:
        return 0.0
    return sum(map(mul, map(a.__getitem__, common), map(b.__getitem__, common)))


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 0.0


def similar_incidents(
    corpus: Corpus,
    k: int = 5,
    min_score: float = DEFAULT_MIN_SCORE,
    now: datetime | None = None,
) -> dict[str, list[Score]]:
    """For every incident, up to `k` earlier incidents scoring at least `min_score`, best first.

    Every incident of the corpus has a key (an empty list when nothing qualifies). With `now`,
    incidents not yet posted at `now` (first update later) are left out entirely. Scores are
    rounded to 4 decimals; equal scores are ordered by id.
    """
    incidents = [i for i in corpus.incidents if now is None or i.updates[0].at <= now]
    # Oldest first; equal start times by id so the order never depends on the input order.
    incidents.sort(key=lambda i: (i.started, i.id))
    tokenizer = _Tokenizer()
    vectors = _vectors([tokenizer.terms(document_text(i)) for i in incidents], TOP_TERMS)
    starts = [i.started for i in incidents]
    components = [frozenset(i.components) for i in incidents]

    by_term: dict[str, list[int]] = {}
    by_components: dict[frozenset[str], list[int]] = {}
    text_weight = 1.0 - COMPONENT_WEIGHT
    result: dict[str, list[Score]] = {}
    for idx, incident in enumerate(incidents):
        vector = vectors[idx]
        signature = _signature(vector, SIGNATURE)
        comps = components[idx]
        lists = [by_term[t][-POSTINGS:] for t in signature if t in by_term]
        if comps in by_components:
            lists.append(by_components[comps][-POSTINGS:])
        candidates = set(chain.from_iterable(lists))
        start = starts[idx]
        scored: list[tuple[float, str]] = []
        for other in candidates:
            if starts[other] >= start:
                continue  # same start time: not earlier
            other_comps = components[other]
            union = len(comps | other_comps)
            overlap = len(comps & other_comps) / union if union else 0.0
            score = round(text_weight * _cosine(vector, vectors[other]) + COMPONENT_WEIGHT * overlap, 4)
            if score >= min_score:
                scored.append((-score, incidents[other].id))
        scored.sort()
        result[incident.id] = [(other_id, -neg) for neg, other_id in scored[:k]]
        for t in signature:
            _push(by_term.setdefault(t, []), idx)
        _push(by_components.setdefault(comps, []), idx)
    return result


def _push(postings: list[int], idx: int) -> None:
    postings.append(idx)
    if len(postings) > 4 * POSTINGS:
        del postings[: -POSTINGS]  # only the most recent POSTINGS are read; trim in bulk


def similar_for_postmortem(
    postmortem: Postmortem, similar: Mapping[str, Sequence[Score]], k: int = 5
) -> list[Score]:
    """Incidents similar to any incident a postmortem covers (best score wins), not its own."""
    own = set(postmortem.incident_ids)
    best: dict[str, float] = {}
    for iid in postmortem.incident_ids:
        for other, score in similar.get(iid, ()):
            if other not in own and score > best.get(other, -1.0):
                best[other] = score
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:k]
