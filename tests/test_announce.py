"""announce: the published state and the pure difference between two of them."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from conftest import MINIMAL_MKDOCS, corpus, incident, run_cli, t, upd, window, write_site
from statusbook.notify import changes as announce
from statusbook.notify import webhooks
from statusbook.views.site import Settings

SETTINGS = Settings(site_name="Test Status", site_url="https://status.example.test/")

FIRST = upd("2026-05-10T11:00", "investigating", {"api": "major_outage"}, "2026-05-10T11:30")
SECOND = upd("2026-05-10T11:20", "identified")
THIRD = upd("2026-05-10T11:40", "resolved", {"api": "operational"})


def outage(*updates):
    return incident("2026-05-10-outage", updates, impact="major", components=("api", "dashboard"))


def state(content, at: str):
    """The state a build at `at` publishes, through its JSON form (as notify reads it)."""
    return announce.loads(announce.dumps(announce.state(content, t(at), SETTINGS)))


def kinds(payloads) -> list[str]:
    return [announce.key(p).split("/")[0] for p in payloads]


def test_the_payloads_are_those_webhooks_makes_from_the_content():
    """The same Statuspage payloads as webhooks.changes, which reads the content itself."""
    stages = [
        (corpus(), "2026-05-10T10:50"),
        (corpus([outage(FIRST)]), "2026-05-10T11:05"),
        (corpus([outage(FIRST, SECOND)]), "2026-05-10T11:25"),
        (corpus([outage(FIRST, SECOND, THIRD)]), "2026-05-10T11:45"),
    ]
    for (before, since), (after, now) in zip(stages, stages[1:], strict=False):
        expected = webhooks.changes(before, after, t(now), since=t(since), settings=SETTINGS)
        assert announce.changes(state(before, since), state(after, now)) == expected
        assert expected  # each stage changes something


def test_runs_in_sequence_announce_each_change_once_and_skipping_a_run_loses_nothing():
    contents = [corpus(), corpus([outage(FIRST)]), corpus([outage(FIRST, SECOND, THIRD)])]
    times = ["2026-05-10T10:50", "2026-05-10T11:05", "2026-05-10T11:45"]
    states = [state(c, at) for c, at in zip(contents, times, strict=True)]
    one_by_one = announce.changes(states[0], states[1]) + announce.changes(states[1], states[2])
    at_once = announce.changes(states[0], states[2])  # the middle run never deployed
    assert len(set(announce.keys(one_by_one))) == len(one_by_one)
    updates = [k for k in announce.keys(one_by_one) if k.startswith("incident/")]
    assert updates == [k for k in announce.keys(at_once) if k.startswith("incident/")]
    assert len(updates) == 3


def test_a_first_deploy_announces_nothing():
    current = state(corpus([outage(FIRST, SECOND)]), "2026-05-10T11:25")
    assert announce.changes(announce.no_previous_state("404"), current) == []


def test_the_same_state_twice_announces_nothing():
    current = state(corpus([outage(FIRST, SECOND)]), "2026-05-10T11:25")
    assert announce.changes(current, current) == []


def test_the_clock_starting_and_ending_a_window_is_announced_with_its_component_change():
    upgrade = window(
        "2026-05-10-upgrade",
        "2026-05-10T11:00",
        "2026-05-10T13:00",
        [upd("2026-05-09T10:00", "scheduled")],
        components=("billing",),
    )
    content = corpus(maintenance=[upgrade])
    before, during, after = (
        state(content, at) for at in ("2026-05-10T10:45", "2026-05-10T11:00", "2026-05-10T13:15")
    )
    started = announce.changes(before, during)
    assert kinds(started) == ["incident", "component"]
    assert started[0]["incident"]["status"] == "in_progress"
    assert started[1]["component_update"]["new_status"] == "under_maintenance"
    ended = announce.changes(during, after)
    assert [p["incident"]["status"] for p in ended if "incident" in p] == ["completed"]
    assert announce.changes(after, state(content, "2026-05-10T14:00")) == []


def test_an_overdue_promise_is_announced_by_the_first_state_that_shows_it():
    content = corpus([outage(FIRST)])  # promised the next update by 11:30
    on_time, late, later = (
        state(content, at) for at in ("2026-05-10T11:25", "2026-05-10T11:35", "2026-05-10T12:00")
    )
    assert announce.changes(on_time, on_time) == []
    (notice,) = announce.changes(on_time, late)
    assert notice["overdue_update"]["promised_at"] == "2026-05-10T11:30:00.000Z"
    assert notice["overdue_update"]["name"] == "Incident 2026-05-10-outage"
    assert notice["overdue_update"]["shortlink"].endswith("/incidents/2026-05-10-outage/")
    assert announce.changes(late, later) == []
    # A run that skipped the late one announces it all the same, once.
    assert kinds(announce.changes(on_time, later)) == ["overdue"]


def test_an_update_dated_before_the_horizon_is_recorded_but_not_announced():
    """An imported history or a backfilled incident is old news, not a flood of messages."""
    now = t("2026-05-10T11:05") + announce.HORIZON + timedelta(hours=1)
    old = corpus([outage(FIRST, SECOND, THIRD)])
    previous = state(corpus(), "2026-05-10T10:50")
    current = announce.loads(announce.dumps(announce.state(old, now, SETTINGS)))
    assert announce.changes(previous, current) == []
    assert len(current["published"]) == 3 and current["recent"] == []


def test_a_new_component_has_no_status_change_to_announce():
    before = state(corpus(component_ids=("api",)), "2026-05-10T10:50")
    after = state(corpus([outage(FIRST)]), "2026-05-10T11:05")
    assert [
        p["component"]["name"] for p in announce.changes(before, after) if "component" in p
    ] == ["Api"]


def test_the_public_build_writes_a_deterministic_state_and_the_internal_edition_none(
    tmp_path: Path,
):
    site = write_site(
        tmp_path / "site",
        {
            "content/incidents/2026-11-23-secret.md": (
                "---\ntitle: SECRET-TITLE-Q7\nimpact: minor\ncomponents: [api]\n"
                "visibility: internal\nupdates:\n  - at: 2026-11-23T12:00:00Z\n"
                "    status: investigating\n    message: internal only\n---\n"
            )
        },
        mkdocs=MINIMAL_MKDOCS,
    )
    outs = []
    for name, extra in (("one", []), ("two", []), ("internal", ["--internal"])):
        out = tmp_path / name
        args = ["build", "-q", "-f", site / "mkdocs.yml", "-d", out, "--now", "2026-11-23T12:05Z"]
        result = run_cli([*args, *extra])
        assert result.exit_code == 0, result.output
        outs.append(out / announce.STATE_PATH)
    one, two, internal = outs
    assert one.read_bytes() == two.read_bytes()
    assert not internal.exists()
    text = one.read_text("utf-8")
    assert "SECRET-TITLE-Q7" not in text and "secret" not in text
    document = json.loads(text)
    assert (
        text
        == json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    )
    assert document["published"] == [] and document["generated_at"] == "2026-11-23T12:05:00.000Z"
    assert [c["status"] for c in document["components"]] == ["operational"] * 3


def test_a_past_moment_from_the_shared_context_equals_a_context_of_its_own():
    """Context.at reads only what can still be active after `since`; what it publishes about a
    recent moment must not differ from a full Context's, old history included."""
    from statusbook.outputs.api.context import Context
    from statusbook.outputs.api.statuspage import incident_object, maintenance_object

    old = incident(
        "2026-03-01-old",
        [
            upd("2026-03-01T10:00", "investigating", {"api": "major_outage"}),
            upd("2026-03-01T11:00", "resolved"),
        ],
        components=("api",),
        started="2026-02-28T23:00",
    )
    recent = outage(FIRST, SECOND)
    upgrade = window(
        "2026-05-10-upgrade", "2026-05-10T11:10", "2026-05-10T11:30", components=("billing",)
    )
    content = corpus([recent, old], maintenance=[upgrade])
    now = t("2026-05-10T12:00")
    current = Context(content, now, SETTINGS)
    for moment in (FIRST.at, SECOND.at, t("2026-05-10T11:15")):
        shared = current.at(moment, now - announce.HORIZON)
        alone = Context(content, moment, SETTINGS)
        assert incident_object(shared, recent) == incident_object(alone, recent)
        assert maintenance_object(shared, upgrade) == maintenance_object(alone, upgrade)
        assert shared.epoch == alone.epoch == t("2026-02-28T23:00")
        assert shared.last_change("api") == alone.last_change("api")
        assert (shared.statuses, shared.overall) == (alone.statuses, alone.overall)


def test_the_state_stays_small_however_long_the_history():
    """Updates too old to be announced need not be remembered either."""
    history = corpus([outage(FIRST, SECOND, THIRD)])
    later = t("2026-05-10T11:45") + announce.REMEMBERED + timedelta(minutes=1)
    document = announce.state(history, later, SETTINGS)
    assert document["published"] == [] and document["recent"] == []
    previous = state(history, "2026-05-10T11:45")
    assert announce.changes(previous, announce.loads(announce.dumps(document))) == []
