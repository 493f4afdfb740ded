"""Webhook payloads: Statuspage's shape, each update announced once, stable keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from conftest import corpus, incident, t, upd, window
from statusbook.notify import webhooks
from statusbook.outputs.api.serialise import sp_id
from statusbook.outputs.api.timeline import AUTO_START_MESSAGE
from statusbook.views.site import Settings

SCHEMAS = Path(__file__).parent / "schemas" / "statuspage"
SETTINGS = Settings(site_name="Test Status", site_url="https://status.example.test/")


def validate(payload: dict[str, Any]) -> None:
    """Against the hand-written schema of the payload's kind."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    name = "webhook-incident.json" if "incident" in payload else "webhook-component.json"
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema,
        registry=Registry().with_resources(resources),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(payload)]
    assert not errors, errors[:5]


def outage(*updates: Any) -> Any:
    return incident("2026-05-10-outage", updates, impact="major", components=("api", "dashboard"))


FIRST = upd("2026-05-10T11:00", "investigating", {"api": "major_outage"})
SECOND = upd("2026-05-10T11:20", "identified")
THIRD = upd("2026-05-10T11:40", "resolved", {"api": "operational"})


def test_a_new_incident_is_announced_once_per_update_oldest_first() -> None:
    after = corpus([outage(FIRST, SECOND)])
    payloads = webhooks.changes(corpus(), after, t("2026-05-10T12:00"), settings=SETTINGS)
    incidents = [p for p in payloads if "incident" in p]
    assert [p["incident"]["incident_updates"][0]["status"] for p in incidents] == [
        "investigating",
        "identified",
    ]
    first, second = incidents
    # each payload shows the incident as it was when that update was posted
    assert first["incident"]["status"] == "investigating"
    assert len(first["incident"]["incident_updates"]) == 1
    assert [u["status"] for u in second["incident"]["incident_updates"]] == [
        "identified",
        "investigating",
    ]
    assert first["incident"]["id"] == sp_id("incident", "2026-05-10-outage")
    assert (
        first["incident"]["shortlink"] == "https://status.example.test/incidents/2026-05-10-outage/"
    )
    assert first["page"] == {
        "id": sp_id("page", "https://status.example.test/"),
        "status_indicator": "critical",
        "status_description": "Major Service Outage",
    }
    assert first["meta"]["generated_at"] == "2026-05-10T12:00:00.000Z"
    for payload in payloads:
        validate(payload)


def test_nothing_is_announced_when_nothing_changed() -> None:
    same = corpus([outage(FIRST, SECOND)])
    assert webhooks.changes(same, same, t("2026-05-10T12:00"), settings=SETTINGS) == []


def test_only_the_new_update_is_announced_when_one_is_added() -> None:
    before = corpus([outage(FIRST, SECOND)])
    after = corpus([outage(FIRST, SECOND, THIRD)])
    payloads = webhooks.changes(before, after, t("2026-05-10T12:00"), settings=SETTINGS)
    incidents = [p for p in payloads if "incident" in p]
    assert [p["incident"]["incident_updates"][0]["status"] for p in incidents] == ["resolved"]
    assert incidents[0]["incident"]["resolved_at"] == "2026-05-10T11:40:00.000Z"


def test_a_component_status_change_carries_its_old_and_new_status() -> None:
    before = corpus([outage(FIRST, SECOND)])
    after = corpus([outage(FIRST, SECOND, THIRD)])
    payloads = webhooks.changes(before, after, t("2026-05-10T12:00"), settings=SETTINGS)
    changes = [p for p in payloads if "component_update" in p]
    assert [
        (
            p["component"]["name"],
            p["component_update"]["old_status"],
            p["component_update"]["new_status"],
        )
        for p in changes
    ] == [("Api", "major_outage", "operational"), ("Dashboard", "partial_outage", "operational")]
    first = changes[0]
    assert (
        first["component_update"]["component_id"]
        == first["component"]["id"]
        == sp_id("component", "api")
    )
    assert first["component_update"]["created_at"] == "2026-05-10T11:40:00.000Z"
    assert first["page"]["status_indicator"] == "none"
    # the incident update that caused the change comes first
    assert "incident" in payloads[0] and payloads[1:] == changes
    for payload in payloads:
        validate(payload)


def test_updates_that_fall_due_between_runs_are_announced_when_the_previous_run_time_is_given() -> (
    None
):
    written_ahead = corpus([outage(FIRST, SECOND, THIRD)])
    previous_run, this_run = t("2026-05-10T11:10"), t("2026-05-10T11:30")
    # Without `since`, the content did not change, so nothing is new.
    assert webhooks.changes(written_ahead, written_ahead, this_run, settings=SETTINGS) == []
    payloads = webhooks.changes(
        written_ahead, written_ahead, this_run, since=previous_run, settings=SETTINGS
    )
    assert [webhooks.key(p).split("/")[0] for p in payloads] == ["incident"]
    assert payloads[0]["incident"]["incident_updates"][0]["status"] == "identified"


def test_a_maintenance_window_started_by_the_clock_is_announced_with_its_components() -> None:
    upgrade = window(
        "2026-05-10-upgrade",
        "2026-05-10T11:00",
        "2026-05-10T13:00",
        [upd("2026-05-09T10:00", "scheduled")],
        components=("billing",),
    )
    content = corpus(maintenance=[upgrade])
    payloads = webhooks.changes(
        content, content, t("2026-05-10T12:00"), since=t("2026-05-10T10:00"), settings=SETTINGS
    )
    started, changed = payloads
    assert started["incident"]["status"] == "in_progress"
    assert started["incident"]["impact"] == "maintenance"
    assert started["incident"]["scheduled_for"] == "2026-05-10T11:00:00.000Z"
    assert started["incident"]["scheduled_auto_in_progress"] is True
    assert started["incident"]["incident_updates"][0]["body"] == AUTO_START_MESSAGE
    assert changed["component_update"]["new_status"] == "under_maintenance"
    assert changed["page"]["status_indicator"] == "maintenance"
    for payload in payloads:
        validate(payload)


def test_keys_are_stable_and_runs_in_sequence_announce_each_update_exactly_once() -> None:
    stages = [
        corpus(),
        corpus([outage(FIRST)]),
        corpus([outage(FIRST, SECOND)]),
        corpus([outage(FIRST, SECOND, THIRD)]),
    ]
    now = t("2026-05-10T12:00")
    keys: list[str] = []
    for before, after in zip(stages, stages[1:], strict=False):
        keys.extend(
            webhooks.key(p)
            for p in webhooks.changes(before, after, now, settings=SETTINGS)
            if "incident" in p
        )
    everything = [
        webhooks.key(p)
        for p in webhooks.changes(None, stages[-1], now, settings=SETTINGS)
        if "incident" in p
    ]
    assert len(keys) == len(set(keys)) == 3
    assert keys == everything
    again = [
        webhooks.key(p)
        for p in webhooks.changes(None, stages[-1], now, settings=SETTINGS)
        if "incident" in p
    ]
    assert again == everything


def test_updates_posted_in_the_same_second_get_distinct_keys() -> None:
    twins = outage(FIRST, upd("2026-05-10T11:00", "identified", message="Same second."))
    payloads = webhooks.changes(None, corpus([twins]), t("2026-05-10T12:00"), settings=SETTINGS)
    incidents = [p for p in payloads if "incident" in p]
    assert len({webhooks.key(p) for p in incidents}) == 2
    assert [p["incident"]["incident_updates"][0]["status"] for p in incidents] == [
        "investigating",
        "identified",
    ]


def test_the_first_run_announces_every_posted_update_and_every_non_operational_component() -> None:
    after = corpus([outage(FIRST, SECOND)])
    payloads = webhooks.changes(None, after, t("2026-05-10T12:00"), settings=SETTINGS)
    kinds = [webhooks.key(p).split("/")[0] for p in payloads]
    assert kinds.count("incident") == 2
    assert sorted(p["component"]["name"] for p in payloads if "component" in p) == [
        "Api",
        "Dashboard",
    ]
