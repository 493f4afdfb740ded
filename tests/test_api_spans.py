"""A component's last status change (state.json's `changed_at`, the Statuspage API's
`updated_at`) as views/status.py defines status, found through the span index
(outputs/api/spans.py) that keeps the question linear in the history."""

from __future__ import annotations

import random
from datetime import timedelta

from conftest import corpus, incident, t, upd, window
from statusbook.model import ComponentStatus
from statusbook.outputs.api.context import Context
from statusbook.outputs.api.spans import Spans
from statusbook.views import status as st
from statusbook.views.site import Settings

BASE = t("2026-01-01T00:00")
COMPONENTS = ("api", "dashboard", "billing")
AFFECTS = ("degraded_performance", "partial_outage", "major_outage")


def _moment(minutes: int) -> str:
    return (BASE + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def _random_incident(rng: random.Random, n: int):
    """Short or long, resolved, still open, or reopened after its resolution."""
    start = rng.randrange(0, 20_000)
    affected = tuple(rng.sample(COMPONENTS, rng.randint(1, 2)))
    steps = [upd(_moment(start), "investigating", {c: rng.choice(AFFECTS) for c in affected})]
    at = start
    for status in rng.choice(
        [["resolved"], ["identified", "resolved"], ["monitoring"], ["resolved", "investigating"]]
    ):
        at += rng.choice([5, 60, 600, 9_000])
        steps.append(upd(_moment(at), status))
    return incident(f"i{n}", steps, components=affected)


def _random_corpus(seed: int):
    rng = random.Random(seed)
    incidents = [_random_incident(rng, n) for n in range(60)]
    windows = []
    for n in range(4):
        start = rng.randrange(0, 20_000)
        windows.append(
            window(f"w{n}", _moment(start), _moment(start + 120), components=COMPONENTS[:2])
        )
    return corpus(incidents, windows, component_ids=COMPONENTS)


def test_the_candidates_are_exactly_the_incidents_a_full_scan_cannot_rule_out():
    rng = random.Random(7)
    incidents = [_random_incident(rng, n) for n in range(200)]
    spans = Spans(incidents)
    moments = {u.at for i in incidents for u in i.updates}
    probes = sorted(moments | {m + timedelta(seconds=1) for m in moments})
    for moment in probes[::3]:
        expected = [
            i
            for i in incidents
            if i.updates[0].at <= moment
            and not (i.updates[-1].status == "resolved" and i.updates[-1].at <= moment)
        ]
        assert spans.candidates(moment) == expected, moment


def test_an_incident_reopened_after_its_resolution_stays_a_candidate():
    reopened = incident(
        "again",
        [
            upd("2026-03-01T10:00", "investigating", {"api": "major_outage"}),
            upd("2026-03-01T11:00", "resolved"),
            upd("2026-03-02T09:00", "investigating"),
        ],
    )
    spans = Spans([reopened])
    assert spans.candidates(t("2026-03-01T10:30")) == [reopened]
    assert spans.candidates(t("2026-03-05T00:00")) == [reopened]
    assert spans.candidates(t("2026-03-01T09:59")) == []


def _last_change_by_scanning(c, cid: str, now) -> object:
    """The definition: the latest moment up to `now` at which the component's status (as
    views/status.py rolls it up over the whole corpus) differs from just before it."""
    moments = sorted(
        {u.at for i in c.incidents for u in i.updates}
        | {m for w in c.maintenance for m in (w.start, w.end)}
    )
    before = timedelta(microseconds=1)
    for moment in reversed([m for m in moments if m <= now]):
        at = st.current_component_statuses(c, moment)[cid]
        if at != st.current_component_statuses(c, moment - before)[cid]:
            return moment
    return None


def test_the_last_change_of_every_component_matches_the_definition_at_any_moment():
    for seed in range(3):
        c = _random_corpus(seed)
        moments = sorted({u.at for i in c.incidents for u in i.updates})
        for now in moments[:: max(1, len(moments) // 12)]:
            ctx = Context(c, now, Settings())
            for cid in COMPONENTS:
                assert ctx.last_change(cid) == _last_change_by_scanning(c, cid, now), (seed, now)


def test_a_context_moved_back_in_time_answers_as_one_made_for_that_moment():
    c = _random_corpus(11)
    now = max(u.at for i in c.incidents for u in i.updates)
    current = Context(c, now, Settings())
    moments = sorted({u.at for i in c.incidents for u in i.updates})[-40:]
    for moment in moments:
        moved, fresh = current.at(moment, moments[0]), Context(c, moment, Settings())
        for cid in COMPONENTS:
            assert moved.last_change(cid) == fresh.last_change(cid)
            assert moved.status_at(cid, moment) == fresh.statuses[cid]


def test_a_component_that_never_changed_has_no_last_change():
    c = corpus([], component_ids=COMPONENTS)
    ctx = Context(c, t("2026-05-10T12:00"), Settings())
    assert ctx.last_change("api") is None
    assert ctx.status_at("api", t("2026-05-10T12:00")) is ComponentStatus.OPERATIONAL
