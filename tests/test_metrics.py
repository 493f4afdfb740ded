"""Response metrics: exact medians and 90th percentiles, exclusions with reasons, calendars."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from conftest import corpus, t, upd
from statusbook.model import Impact, Incident
from statusbook.views import metrics
from statusbook.views.metrics import Excluded, format_duration, percentile

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
NOW = t("2026-07-10T12:00")
MIN = timedelta(minutes=1)


def lifecycle_incident(
    ident: str,
    first_update: str,
    *,
    resolved_update: str | None = None,
    severity: str = "",
    impact: str = "major",
    components: tuple[str, ...] = ("api",),
    **lifecycle: str,
) -> Incident:
    """An incident posted at FIRST_UPDATE, resolved by an update at RESOLVED_UPDATE (else
    still investigating), with the given lifecycle times (started=..., detected=..., ...)."""
    updates = [upd(first_update)]
    if resolved_update:
        updates.append(upd(resolved_update, "resolved"))
    order = ("started", "detected", "acknowledged", "mitigated", "resolved")
    return Incident(
        id=ident,
        path=f"content/incidents/{ident}.md",
        title=f"Incident {ident}",
        impact=Impact(impact),
        components=components,
        updates=tuple(updates),
        severity=severity,
        lifecycle=tuple((name, t(lifecycle[name])) for name in order if name in lifecycle),
    )


# a: starts 22:30 UTC on 31 March, which is already 1 April (00:30 CEST) in Berlin.
A = lifecycle_incident(
    "a",
    "2026-03-31T22:40",
    resolved_update="2026-03-31T23:42",
    severity="SEV1",
    impact="critical",
    components=("api", "billing"),
    started="2026-03-31T22:30",
    detected="2026-03-31T22:34",
    acknowledged="2026-03-31T22:40",
    mitigated="2026-03-31T23:10",
    resolved="2026-03-31T23:42",
)  # ttd 4, tta 10, ttm 40, ttr 72 min
B = lifecycle_incident(
    "b",
    "2026-05-01T10:15",
    resolved_update="2026-05-01T12:00",
    severity="SEV1",
    started="2026-05-01T10:00",
    detected="2026-05-01T10:10",
    acknowledged="2026-05-01T10:20",
    mitigated="2026-05-01T11:00",
    resolved="2026-05-01T12:00",
)  # ttd 10, tta 20, ttm 60, ttr 120 min
# c: no `started`; its first update (22:10 UTC on 30 June) is 1 July in Berlin.
C = lifecycle_incident(
    "c",
    "2026-06-30T22:10",
    resolved_update="2026-06-30T23:00",
    severity="SEV2",
    impact="minor",
    components=("dashboard",),
    detected="2026-06-30T22:05",
    acknowledged="2026-06-30T22:08",
    mitigated="2026-06-30T22:30",
    resolved="2026-06-30T23:00",
)  # excluded everywhere: no started time
D = lifecycle_incident(
    "d",
    "2026-06-01T08:35",
    resolved_update="2026-06-01T11:00",
    severity="SEV2",
    started="2026-06-01T08:00",
    detected="2026-06-01T08:30",
    resolved="2026-06-01T11:00",
)  # ttd 30, ttr 180 min; no acknowledged, no mitigated time
E = lifecycle_incident(
    "e",
    "2026-07-10T11:10",
    impact="minor",
    components=("billing",),
    started="2026-07-10T11:00",
    detected="2026-07-10T11:05",
    acknowledged="2026-07-10T12:30",
)  # active; ttd 5 min; acknowledged is declared after NOW, so it is missing at NOW
F = lifecycle_incident(
    "f",
    "2026-07-11T09:00",
    severity="SEV1",
    started="2026-07-11T08:00",
    detected="2026-07-11T08:01",
)  # not posted at NOW: counted nowhere

INCIDENTS = (A, B, C, D, E, F)


def compute(group_by="severity", tz=BERLIN, incidents=INCIDENTS, **kwargs):
    return metrics.compute(corpus(incidents), NOW, tz, group_by, **kwargs)


def minutes(*values):
    return [v * MIN for v in values]


# --- percentiles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [
        ([], 50, None),
        ([], 90, None),
        (minutes(10), 50, 10 * MIN),
        (minutes(10), 90, 10 * MIN),
        (minutes(4, 1, 3, 2), 50, timedelta(seconds=150)),  # (2 + 3) / 2 min, order ignored
        (minutes(1, 2, 3, 4), 90, timedelta(seconds=222)),  # 3 + 0.7 * (4 - 3) min
        (minutes(*range(1, 11)), 50, timedelta(seconds=330)),  # 5.5 min
        (minutes(*range(1, 11)), 90, timedelta(seconds=546)),  # 9 + 0.1 min
        (minutes(1, 2, 3), 50, 2 * MIN),  # odd count: the middle value
        (minutes(1, 2, 3), 0, 1 * MIN),
        (minutes(1, 2, 3), 100, 3 * MIN),
        ([timedelta(0), timedelta(seconds=1)], 50, timedelta(seconds=1)),  # 0.5 s rounds half up
        ([timedelta(0), timedelta(seconds=1)], 40, timedelta(0)),  # 0.4 s rounds down
    ],
)
def test_percentile_is_linear_interpolation_rounded_half_up_to_the_second(
    values, percent, expected
):
    assert percentile(values, percent) == expected


def test_percentile_rejects_out_of_range():
    with pytest.raises(ValueError):
        percentile(minutes(1), 101)


# --- the four metrics --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "n", "median", "p90", "excluded"),
    [
        # ttd: a 4, b 10, d 30, e 5 min
        (
            "ttd",
            4,
            timedelta(minutes=7, seconds=30),
            24 * MIN,
            [("c", "no started time", ("started",))],
        ),
        # tta: a 10, b 20 min
        (
            "tta",
            2,
            15 * MIN,
            19 * MIN,
            [
                ("c", "no started time", ("started",)),
                ("d", "no acknowledged time", ("acknowledged",)),
                ("e", "no acknowledged time", ("acknowledged",)),  # declared after NOW
            ],
        ),
        # ttm: a 40, b 60 min
        (
            "ttm",
            2,
            50 * MIN,
            58 * MIN,
            [
                ("c", "no started time", ("started",)),
                ("d", "no mitigated time", ("mitigated",)),
                ("e", "no mitigated time", ("mitigated",)),
            ],
        ),
        # ttr: a 72, b 120, d 180 min
        (
            "ttr",
            3,
            120 * MIN,
            168 * MIN,
            [("c", "no started time", ("started",)), ("e", "not resolved yet", ())],
        ),
    ],
)
def test_overall_metric(metric, n, median, p90, excluded):
    stat = compute().overall.stat(metric)
    assert (stat.n, stat.median, stat.p90) == (n, median, p90)
    assert [(x.incident_id, x.reason, x.missing) for x in stat.excluded] == excluded


def test_every_posted_incident_is_measured_or_listed_as_excluded():
    result = compute()
    assert result.overall.incident_ids == ("a", "b", "c", "d", "e")  # f is not posted at NOW
    for group in (result.overall, *result.groups, *result.quarters):
        for stat in group.stats:
            assert stat.n + len(stat.excluded) == group.count


def test_missing_start_and_end_are_both_named():
    only_resolved = lifecycle_incident(
        "x", "2026-07-01T10:00", resolved_update="2026-07-01T11:00", resolved="2026-07-01T11:00"
    )
    stat = compute(incidents=[only_resolved]).overall.ttd
    assert stat.excluded == (Excluded("x", "no started or detected time", ("started", "detected")),)


def test_resolved_by_update_without_a_resolved_time_is_excluded_from_ttr():
    """The resolved update is not a lifecycle time: nothing is guessed."""
    incident = lifecycle_incident(
        "x", "2026-07-01T10:00", resolved_update="2026-07-01T11:00", started="2026-07-01T09:50"
    )
    assert compute(incidents=[incident]).overall.ttr.excluded == (
        Excluded("x", "no resolved time", ("resolved",)),
    )


# --- groups ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group_by", "groups"),
    [
        # every declared severity appears (in the site's order), then incidents without one
        (
            "severity",
            [
                ("SEV1", "SEV1", ("a", "b")),
                ("SEV2", "SEV2", ("c", "d")),
                ("SEV3", "SEV3", ()),
                ("SEV4", "SEV4", ()),
                ("", "No severity", ("e",)),
            ],
        ),
        (
            "impact",
            [
                ("critical", "Critical", ("a",)),
                ("major", "Major", ("b", "d")),
                ("minor", "Minor", ("c", "e")),
                ("none", "No impact", ()),
            ],
        ),
    ],
)
def test_groups_in_order_with_their_incidents(group_by, groups):
    result = compute(group_by)
    assert [(g.key, g.label, g.incident_ids) for g in result.groups] == groups


@pytest.mark.parametrize(
    ("group_by", "key", "metric", "n", "median", "p90", "excluded_ids"),
    [
        ("severity", "SEV1", "ttr", 2, 96 * MIN, timedelta(minutes=115, seconds=12), []),  # 72, 120
        ("severity", "SEV2", "ttr", 1, 180 * MIN, 180 * MIN, ["c"]),
        ("severity", "SEV3", "ttd", 0, None, None, []),
        ("severity", "", "ttr", 0, None, None, ["e"]),
        ("impact", "major", "ttd", 2, 20 * MIN, 28 * MIN, []),  # b 10, d 30
        ("impact", "minor", "ttd", 1, 5 * MIN, 5 * MIN, ["c"]),
    ],
)
def test_group_metric(group_by, key, metric, n, median, p90, excluded_ids):
    stat = compute(group_by).group(key).stat(metric)
    assert (stat.n, stat.median, stat.p90) == (n, median, p90)
    assert [x.incident_id for x in stat.excluded] == excluded_ids


def test_severity_outside_the_scheme_follows_it_alphabetically():
    odd = [replace(A, id="z", severity="zeta"), replace(B, id="y", severity="alpha")]
    result = compute(incidents=odd, order=("SEV1",))
    assert [g.key for g in result.groups] == ["SEV1", "alpha", "zeta"]


def test_unknown_grouping_is_an_error():
    with pytest.raises(ValueError, match="group_by"):
        compute("team")


# --- calendar ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "quarters", "months", "per_month"),
    [
        # Berlin: a (22:30 UTC on 31 March) is in April, c (22:10 UTC on 30 June) in July
        (
            BERLIN,
            [("2026-Q2", ("a", "b", "d")), ("2026-Q3", ("c", "e"))],
            ("2026-04", "2026-05", "2026-06", "2026-07"),
            (1, 1, 1, 2),
        ),
        (
            UTC,
            [("2026-Q1", ("a",)), ("2026-Q2", ("b", "c", "d")), ("2026-Q3", ("e",))],
            ("2026-03", "2026-04", "2026-05", "2026-06", "2026-07"),
            (1, 0, 1, 2, 1),
        ),
    ],
    ids=["europe-berlin", "utc"],
)
def test_quarters_and_months_follow_the_site_timezone(tz, quarters, months, per_month):
    result = compute(tz=tz)
    assert [(q.key, q.incident_ids) for q in result.quarters] == quarters
    assert result.months == months
    assert result.per_month == per_month


def test_quarter_metrics_and_labels():
    q2 = compute().quarter("2026-Q2")
    assert q2.label == "2026 Q2"
    assert (q2.ttr.n, q2.ttr.median, q2.ttr.p90) == (3, 120 * MIN, 168 * MIN)
    q3 = compute().quarter("2026-Q3")
    assert q3.ttd.n == 1 and q3.ttd.median == 5 * MIN
    assert [(x.incident_id, x.reason) for x in q3.ttr.excluded] == [
        ("c", "no started time"),
        ("e", "not resolved yet"),
    ]


def test_quarters_and_months_have_no_gaps_up_to_now():
    early = replace(
        B,
        id="early",
        lifecycle=((("started", t("2025-11-20T10:00")),)),
        updates=(upd("2025-11-20T10:05"),),
    )
    result = compute(tz=UTC, incidents=[early])
    assert [q.key for q in result.quarters] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert [q.count for q in result.quarters] == [1, 0, 0, 0]
    assert (
        result.months[0] == "2025-11" and result.months[-1] == "2026-07" and len(result.months) == 9
    )
    assert result.per_month == (1, 0, 0, 0, 0, 0, 0, 0, 0)


def test_counts_per_component_per_month():
    result = compute()
    assert [(c.component_id, c.counts, c.total) for c in result.per_component] == [
        ("api", (1, 1, 1, 0), 3),
        ("dashboard", (0, 0, 0, 1), 1),
        ("billing", (1, 0, 0, 1), 2),
    ]


def test_no_incidents():
    result = compute(incidents=[])
    assert result.quarters == () and result.months == () and result.per_month == ()
    assert result.overall.count == 0 and result.overall.ttr.median is None
    assert all(c.counts == () for c in result.per_component)


def test_deterministic_whatever_the_input_order():
    shuffled = list(INCIDENTS)
    random.Random(4).shuffle(shuffled)
    assert compute(incidents=shuffled) == compute()


# --- formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "—"),
        (timedelta(0), "0 s"),
        (timedelta(seconds=45), "45 s"),
        (timedelta(seconds=59.6), "1 min"),
        (timedelta(minutes=4), "4 min"),
        (timedelta(minutes=4, seconds=29), "4 min"),
        (timedelta(minutes=4, seconds=30), "5 min"),
        (timedelta(minutes=59, seconds=40), "1 h"),
        (timedelta(minutes=72), "1 h 12 min"),
        (timedelta(hours=2), "2 h"),
        (timedelta(hours=23, minutes=59, seconds=50), "1 d"),
        (timedelta(days=2, hours=3), "2 d 3 h"),
        (timedelta(days=2, hours=3, minutes=29), "2 d 3 h"),
        (timedelta(days=3), "3 d"),
        (timedelta(minutes=-5), "-5 min"),
    ],
)
def test_format_duration(value, text):
    assert format_duration(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(minutes=4), "PT4M"),
        (timedelta(minutes=72, seconds=5), "PT1H12M5S"),
        (timedelta(days=2, hours=3), "P2DT3H"),
        (timedelta(days=1), "P1D"),
    ],
)
def test_duration_iso(value, text):
    assert metrics.duration_iso(value) == text


def test_chart_helpers():
    assert metrics.in_hours(90 * MIN) == 1.5
    assert metrics.in_minutes(timedelta(seconds=90)) == 1.5
    assert metrics.in_hours(None) is None
