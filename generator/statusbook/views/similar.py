"""Similar earlier incidents, so recurring problems become visible.

Computed at build time from the content alone: no network, no model, standard library only.

Score. Each incident is a document: its title (counted twice), its update messages and its
body. Words are lower-cased and split on anything that is not a letter or digit; numbers, single
letters and a small English stop-word list are dropped, and a light suffix stemmer folds plurals
and verb endings ("errors", "failing", "failed" -> "error", "fail"); from MAX_DF_FROM incidents
on, terms used by more than half of them are dropped too. A term weighs
(1 + ln tf) * ln(1 + N / df), N being the number of incidents and df the number using the term.
A document's TOP_TERMS heaviest terms form its vector, stored as integers 1..QUANT relative to
its heaviest term: comparisons stay short, boilerplate drops out, and dot products are exact
integer sums. Two incidents score

    score = (1 - COMPONENT_WEIGHT) * cosine(text vectors) + COMPONENT_WEIGHT * jaccard(components)

in [0, 1], rounded half up to 4 decimals (identical text and components score 1.0). Only
incidents that started strictly earlier are candidates; pairs scoring at least `min_score` are
listed, best first, equal scores by id.

Scale. Comparing every pair is quadratic, so each incident is compared exactly with a bounded
set of candidates, found in three ways:

1. An inverted index. Each document is filed under every pair of its SIGNATURE heaviest terms,
   under each of those terms combined with its exact component set, and under its component set
   alone; it looks up the same keys. A pair of distinctive words ("stale", "replica"), or a word
   with the same components, is far more selective than a word alone, so the POSTINGS most
   recent entries read per key reach far back in time.
2. The CANDIDATES documents found under the most keys (counting and sorting run in C) are
   compared exactly.
3. So are the KEEP best matches of the EXPAND best candidates (computed earlier: documents are
   processed oldest first), so that near-duplicates lead to each other's matches, however old.

So at most CANDIDATES + EXPAND * KEEP exact comparisons are made per incident whatever the
length of the history, and the cost grows linearly with the number of incidents. Every listed
score is computed in full. What the search can miss is an earlier incident that shares none of
the keys and is not a match of a match; on a long and repetitive history it may also show a recent
incident where an older one scores a little higher.

Output is deterministic: incidents are processed in (start, id) order, term ids are given in
order of first sight (alphabetically within a document), every sort has a total order, and
sums are exact integers; nothing depends on the hash seed or the input order.
"""

from __future__ import annotations

import gc
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import chain, combinations, compress, filterfalse
from operator import mul, neg
from typing import Any

from ..model import Corpus, Incident, Postmortem

#: Share of the score that comes from shared components (Jaccard index of the component sets).
COMPONENT_WEIGHT = 0.2
#: Pairs below this score are not listed: the same components with unrelated text stay below.
DEFAULT_MIN_SCORE = 0.3
#: Terms kept per document vector (the heaviest by tf-idf).
TOP_TERMS = 16
#: Terms used by more than this share of the incidents are ignored, like stop words ("error",
#: "resolved" on most status pages), once there are MAX_DF_FROM incidents.
MAX_DF = 0.5
MAX_DF_FROM = 20
#: Heaviest terms per document that make its index keys.
SIGNATURE = 5
#: Most recent earlier documents kept per key.
POSTINGS = 8
#: Candidates from the index compared exactly per incident (those found under the most keys).
CANDIDATES = 10
#: Best candidates whose own best matches are compared too.
EXPAND = 1
#: Matches kept per document (before `k` and `min_score` apply); also what EXPAND reads.
KEEP = 6
#: Term weights are integers 1..QUANT, relative to the document's heaviest term (small ints are
#: shared objects: reading one fetches no memory).
QUANT = 256
#: Scores are rounded (half up) to 1/SCALE.
SCALE = 10_000

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
_NOTHING = -1  # the code of a chunk without any term ("the", "09:51")


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
    parts = [incident.title, incident.title, *(u.message for u in incident.updates), incident.body]
    return "\n".join(parts)


class _Tokenizer:
    """Text -> term-id counts. Terms get ids in order of first sight. Whitespace-separated
    chunks are mapped to codes through a cache (a site's vocabulary is small), so after a
    chunk's first sight the work runs in C: a code is a term id, _NOTHING, or (below that) an
    index into the chunks holding several terms ("api/web")."""

    def __init__(self) -> None:
        self.vocabulary: list[str] = []
        self._ids: dict[str, int] = {}
        self._cache: dict[str, int] = {}
        self._multi: list[tuple[int, ...]] = []
        self._multi_codes: set[int] = set()

    def counts(self, text: str) -> Counter[int]:
        chunks = text.lower().split()
        cache = self._cache
        out: Counter[int | None] = Counter(map(cache.get, chunks))  # unseen: under None
        if out.pop(None, 0):
            fresh = Counter(filterfalse(cache.__contains__, chunks))
            # In sorted order: term ids never follow the hash seed.
            for chunk in sorted(fresh):
                code = cache[chunk] = self._code(chunk)
                out[code] += fresh[chunk]
        out.pop(_NOTHING, None)
        if self._multi_codes:
            for code in sorted(self._multi_codes.intersection(out)):
                count = out.pop(code)
                for term_id in self._multi[_NOTHING - 1 - code]:
                    out[term_id] += count
        return out  # type: ignore[return-value]  # None was popped above

    def _code(self, chunk: str) -> int:
        ids = tuple(map(self._id, filter(None, map(_term, _WORD.findall(chunk)))))
        if not ids:
            return _NOTHING
        if len(ids) == 1:
            return ids[0]
        self._multi.append(ids)
        code = _NOTHING - len(self._multi)
        self._multi_codes.add(code)
        return code

    def _id(self, term: str) -> int:
        term_id = self._ids.get(term)
        if term_id is None:
            term_id = self._ids[term] = len(self.vocabulary)
            self.vocabulary.append(term)
        return term_id


def _term(word: str) -> str | None:
    """A word's term, or None for stop words, numbers and single characters."""
    if word in STOP_WORDS or word.isdigit() or len(word) < 2:
        return None
    term = stem(word)
    return None if term in STOP_WORDS else term


def tokenize(text: str) -> Counter[str]:
    """Term counts of `text`: what documents are compared on."""
    tokenizer = _Tokenizer()
    return Counter({tokenizer.vocabulary[t]: n for t, n in tokenizer.counts(text).items()})


class _Vectors:
    """Per document: its vector {term id: weight 1..QUANT} (heaviest first, equal weights by
    id), the set of its term ids, 1 / its norm, and its SIGNATURE heaviest term ids."""

    def __init__(self, counts: Sequence[Counter[int]], size: int, top: int, signature: int) -> None:
        df: Counter[int] = Counter()
        for c in counts:
            df.update(c.keys())  # counted in C
        n_docs = len(counts)
        idf = [math.log(1.0 + n_docs / df[t]) if df[t] else 0.0 for t in range(size)]
        most = max((max(c.values()) for c in counts if c), default=0)
        tf = [0.0] + [1.0 + math.log(count) for count in range(1, most + 1)]
        self.size = size
        self.weights: list[dict[int, int]] = []
        self.terms: list[frozenset[int]] = []
        self.inverse_norms: list[float] = []
        self.signatures: list[list[int]] = []
        common: frozenset[int] = frozenset()
        if n_docs >= MAX_DF_FROM:
            common = frozenset(t for t in range(size) if df[t] > MAX_DF * n_docs)
        for c in counts:
            if common:
                ids = list(c.keys() - common)  # a set of small ints: its order is fixed
                tfs = map(tf.__getitem__, map(c.__getitem__, ids))
            else:
                ids = list(c)
                tfs = map(tf.__getitem__, c.values())
            weights = list(map(mul, map(idf.__getitem__, ids), tfs))
            pairs: Iterable[tuple[Any, int]] = zip(weights, map(neg, ids), strict=True)
            if len(weights) > top:
                # Only what can make the cut goes into the (slower) sort of pairs below.
                cut = sorted(weights, reverse=True)[top - 1]
                pairs = compress(pairs, map(cut.__le__, weights))
            # Heaviest first, equal weights by id (-id descending).
            kept = sorted(pairs, reverse=True)[:top]
            scale = (QUANT - 1) / kept[0][0] if kept and kept[0][0] > 0 else 0.0
            vector = {-nid: int(w * scale) + 1 for w, nid in kept}
            quantised = list(vector.values())
            self.weights.append(vector)
            self.terms.append(frozenset(vector))
            self.inverse_norms.append(1.0 / math.sqrt(sum(map(mul, quantised, quantised)) or 1))
            self.signatures.append(sorted(list(vector)[:signature]))


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def inputs_key(corpus: Corpus, now: datetime | None = None) -> bytes:
    """A digest of everything similar_incidents(corpus, now=now) reads, to keep its result
    by: on a big site nearly every build compares the same incidents again."""
    h = hashlib.blake2b(digest_size=16)
    for i in corpus.incidents:
        if now is None or i.updates[0].at <= now:
            for part in (i.id, i.started.isoformat(), *i.components, "", document_text(i)):
                data = part.encode("utf-8", "surrogatepass")
                h.update(len(data).to_bytes(8, "big") + data)  # length first: unambiguous
    return h.digest()


def similar_incidents(
    corpus: Corpus,
    k: int = 5,
    min_score: float = DEFAULT_MIN_SCORE,
    now: datetime | None = None,
) -> dict[str, list[Score]]:
    """For every incident, up to `k` earlier incidents scoring at least `min_score`, best first.

    Every incident of the corpus is a key (with an empty list when nothing qualifies). With
    `now`, incidents not yet posted at `now` (first update later) are left out entirely.
    """
    # Oldest first; equal start times by id (ids are unique), whatever the input order.
    ordered = sorted(
        (i.started, i.id, i) for i in corpus.incidents if now is None or i.updates[0].at <= now
    )
    ids = [i for _, i, _ in ordered]
    # Tens of thousands of small containers and no reference cycles: the cyclic garbage
    # collector would only scan them again and again (a third of the time at 10,000 incidents).
    collecting = gc.isenabled()
    gc.disable()
    try:
        tokenizer = _Tokenizer()
        counts = [tokenizer.counts(document_text(i)) for _, _, i in ordered]
        vectors = _Vectors(counts, len(tokenizer.vocabulary), TOP_TERMS, SIGNATURE)
        names = sorted({c for _, _, i in ordered for c in i.components})
        bits = {cid: 1 << n for n, cid in enumerate(names)}
        components = [sum(bits[c] for c in set(i.components)) for _, _, i in ordered]
        starts = [started for started, _, _ in ordered]
        found = _search(vectors, starts, components, ids, max(k, KEEP))
    finally:
        if collecting:
            gc.enable()
    return {
        ids[idx]: [(ids[o], score / SCALE) for score, o in matches if score / SCALE >= min_score][
            :k
        ]
        for idx, matches in enumerate(found)
    }


def _search(
    vectors: _Vectors,
    starts: Sequence[datetime],
    components: Sequence[int],
    ids: Sequence[str],
    keep: int,
) -> list[list[tuple[int, int]]]:
    """For each document (oldest first), its `keep` best earlier ones as (score in 1/SCALE,
    index), best first, equal scores by id.

    Inside, a match is one int, score * n + tiebreak (tiebreak: n - 1 - the id's rank), so that
    ranking by score, then id, is one sort of ints.
    """
    n = len(ids)
    by_id = sorted(range(n), key=ids.__getitem__)
    tiebreak = [0] * n
    for rank, doc in enumerate(by_id):
        tiebreak[doc] = n - 1 - rank
    doc_of = by_id[::-1]  # tiebreak -> document
    weights, terms, inverse_norms = vectors.weights, vectors.terms, vectors.inverse_norms
    size = vectors.size
    text_weight = (1.0 - COMPONENT_WEIGHT) * SCALE
    component_weight = COMPONENT_WEIGHT * SCALE
    index: dict[int, list[int]] = {}
    found: list[list[int]] = []
    limit = 0  # documents before this index started strictly earlier than the current one
    for idx, signature in enumerate(vectors.signatures):
        if starts[idx] != starts[limit]:
            limit = idx
        vector, vector_terms, comps = weights[idx], terms[idx], components[idx]
        text_norm = text_weight * inverse_norms[idx]
        # Keys that cannot collide: term pairs (below size**2 - size), a lone term when there is
        # only one (just below size**2), a term with the component set, the component set.
        keys = [a * size + b for a, b in combinations(signature, 2)]
        if not keys:
            keys = [size * size - 1 - t for t in signature]
        component_key = (comps + 1) * size * size
        keys += [component_key + t for t in signature]
        keys.append(component_key + size)
        postings = list(map(index.get, keys))
        hits = Counter(chain.from_iterable(filter(None, postings)))
        # Stable sort: equal counts keep first-seen order.
        pending = sorted(hits, key=hits.__getitem__, reverse=True)[:CANDIDATES]
        scores: dict[int, int] = {}
        for step in (0, 1):
            for other in pending:
                if other >= limit or other in scores:
                    continue  # not earlier, or done already
                other_vector = weights[other]
                dot = 0
                for term in vector_terms & terms[other]:
                    dot += vector[term] * other_vector[term]
                other_comps = components[other]
                overlap = (comps & other_comps).bit_count() / (
                    (comps | other_comps).bit_count() or 1
                )
                # Rounded half up to 1/SCALE (round() is slow), then the tiebreak.
                score = int(
                    dot * text_norm * inverse_norms[other] + component_weight * overlap + 0.5
                )
                scores[other] = score * n + tiebreak[other]
            if step == 0:
                # The best candidates' own best matches: near-duplicates lead to each other's.
                best = sorted(scores.values(), reverse=True)[:EXPAND]
                pending = [doc_of[m % n] for b in best for m in found[doc_of[b % n]]]
        found.append(sorted(scores.values(), reverse=True)[:keep])
        for key, entries in zip(keys, postings, strict=True):
            if entries is None:
                index[key] = [idx]
            else:
                entries.append(idx)
                if len(entries) > POSTINGS:
                    del entries[0]  # the POSTINGS most recent only
    return [[(m // n, doc_of[m % n]) for m in matches] for matches in found]


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
