"""The static JSON API: Statuspage v2 endpoints, Statusbook's own JSON, and a real client.

Corpora come from content files written to tmp_path and read by the real loader (so the
visibility filter and validation run as in a build), or straight from model dataclasses where
the content format would get in the way (hostile titles, long histories).
"""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from conftest import unavailable
from external_tools import EXPORTER, EXPORTER_PYTHON, exporter
from statusbook import outputs
from statusbook.content import load as content
from statusbook.model import Component, ComponentStatus, Corpus, Group, Impact, Incident, Update
from statusbook.outputs import api
from statusbook.outputs.api.serialise import sp_id
from statusbook.outputs.api.timeline import AUTO_START_MESSAGE
from statusbook.views.site import Settings, SiteView
from statusbook.views.visibility import public_view

SCHEMAS = Path(__file__).parent / "schemas" / "statuspage"
NOW = datetime(2026, 5, 10, 12, 0, tzinfo=timezone.utc)
SETTINGS = Settings(
    site_name="Example Status",
    site_url="https://status.example.test/",
    site_description="Status of Example.",
    timezone="Europe/Berlin",
)

#: Which hand-written schema each endpoint must match.
ENDPOINTS = {
    "api/v2/summary.json": "summary.json",
    "api/v2/status.json": "status.json",
    "api/v2/components.json": "components.json",
    "api/v2/incidents.json": "incidents.json",
    "api/v2/incidents/unresolved.json": "incidents.json",
    "api/v2/scheduled-maintenances.json": "scheduled-maintenances.json",
    "api/v2/scheduled-maintenances/upcoming.json": "scheduled-maintenances.json",
    "api/v2/scheduled-maintenances/active.json": "scheduled-maintenances.json",
}

COMPONENTS = """\
groups:
  - id: core
    name: Core
    description: The product itself.
    components:
      - id: api
        name: Public API
        description: The REST API.
      - id: web
        name: Web app
components:
  - id: emails
    name: E-mails
  - id: docs
    name: Documentation
"""

SITE: dict[str, str] = {
    "components.yml": COMPONENTS,
    "incidents/2026/2026-05-10-api-errors.md": """\
        ---
        title: API errors
        impact: major
        components: [api, web]
        updates:
          - at: 2026-05-10T11:00:00Z
            status: investigating
            message: Some API requests fail.
            components:
              api: partial_outage
          - at: 2026-05-10T11:30:00Z
            status: identified
            message: We found the cause.
            next_update: 2026-05-10T12:30:00Z
        ---
        """,
    "incidents/2026/2026-05-01-web-slow.md": """\
        ---
        title: Web app slow
        impact: minor
        components: [web]
        updates:
          - at: 2026-05-01T09:00:00Z
            status: investigating
            message: The web app is slow.
          - at: 2026-05-01T09:20:00Z
            status: monitoring
            message: A fix is out.
          - at: 2026-05-01T09:50:00Z
            status: resolved
            message: Back to normal.
            components:
              web: operational
        ---
        The web app was slow for most customers.
        """,
    "incidents/2026/2026-05-10-written-ahead.md": """\
        ---
        title: Written ahead
        impact: minor
        components: [emails]
        updates:
          - at: 2026-05-10T13:00:00Z
            status: investigating
            message: Not posted yet at noon.
        ---
        """,
    "maintenance/2026-05-10-db.md": """\
        ---
        title: Database upgrade
        components: [emails]
        start: 2026-05-10T11:00:00Z
        end: 2026-05-10T14:00:00Z
        ---
        E-mails wait in a queue while the database is upgraded.
        """,
    "maintenance/2026-05-20-network.md": """\
        ---
        title: Network change
        components: [api]
        start: 2026-05-20T02:00:00Z
        end: 2026-05-20T03:00:00Z
        updates:
          - at: 2026-05-08T10:00:00Z
            status: scheduled
            message: We will replace a router.
        ---
        """,
    "maintenance/2026-05-03-storage.md": """\
        ---
        title: Storage move
        components: [web]
        start: 2026-05-03T01:00:00Z
        end: 2026-05-03T02:00:00Z
        updates:
          - at: 2026-04-30T10:00:00Z
            status: scheduled
            message: We will move storage.
        ---
        """,
    "maintenance/2026-05-05-dns.md": """\
        ---
        title: DNS change
        components: [api]
        start: 2026-05-05T01:00:00Z
        end: 2026-05-05T02:00:00Z
        updates:
          - at: 2026-05-01T10:00:00Z
            status: scheduled
            message: We will change DNS.
          - at: 2026-05-04T10:00:00Z
            status: cancelled
            message: Not needed after all.
        ---
        """,
    "postmortems/2026-05-01-web-slow.md": """\
        ---
        title: Why the web app was slow
        incidents: [2026-05-01-web-slow]
        status: published
        date: 2026-05-04
        summary: A cache was too small.
        ---
        The cache was too small.
        """,
}


# --- helpers -----------------------------------------------------------------------------------


def load_corpus(root: Path, files: dict[str, str]) -> Corpus:
    """Write a content folder and load it with the real loader, then drop internal content."""
    folder = root / "content"
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = content.load(folder, root)
    assert result.corpus is not None, [f.format_text() for f in result.errors]
    return public_view(result.corpus)


def build(root: Path, files: dict[str, str] = SITE, now: datetime = NOW) -> dict[str, bytes]:
    view = SiteView(load_corpus(root, files), now, SETTINGS)
    return api.files(view)


def doc(out: dict[str, bytes], path: str) -> Any:
    return json.loads(out[path].decode("utf-8"))


def registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def validate(instance: Any, schema_file: str) -> None:
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, registry=registry(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


def tiny_corpus(incidents: tuple[Incident, ...] = ()) -> Corpus:
    return Corpus(
        groups=(Group("core", "Core", component_ids=("api",)),),
        components=(
            Component("api", "Public API", group_id="core"),
            Component("emails", "E-mails"),
        ),
        incidents=incidents,
        maintenance=(),
        postmortems=(),
    )


def incident(ident: str, title: str, at: datetime, *statuses: str) -> Incident:
    updates = tuple(
        Update(at + timedelta(minutes=10 * n), status, f"{title}: {status}")
        for n, status in enumerate(statuses or ("investigating",))
    )
    return Incident(ident, f"content/incidents/{ident}.md", title, Impact.MINOR, ("api",), updates)


# --- the Statuspage endpoints ------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_every_statuspage_endpoint_is_written_and_matches_the_documented_schema(
    tmp_path: Path, path: str
) -> None:
    out = build(tmp_path)
    validate(doc(out, path), ENDPOINTS[path])


def test_files_are_byte_identical_for_the_same_content_and_time_and_end_with_a_newline(
    tmp_path: Path,
) -> None:
    first = build(tmp_path / "one")
    second = build(tmp_path / "two")
    assert first == second
    assert set(first) == {
        *ENDPOINTS,
        "api/statusbook/v1/status.json",
        "api/statusbook/v1/schema.json",
    }
    for data in first.values():
        assert data.endswith(b"\n") and not data.endswith(b"\n\n")


def test_ids_stay_the_same_when_time_passes_and_content_is_added(tmp_path: Path) -> None:
    first = doc(build(tmp_path / "one"), "api/v2/incidents.json")
    later_site = {
        **SITE,
        "incidents/2026/2026-05-11-new.md": """\
            ---
            title: A newer incident
            impact: none
            components: [emails]
            updates:
              - at: 2026-05-11T08:00:00Z
                status: investigating
                message: Something new.
            ---
            """,
    }
    second = doc(
        build(tmp_path / "two", later_site, NOW + timedelta(days=1)), "api/v2/incidents.json"
    )
    assert first["page"]["id"] == second["page"]["id"]
    old, new = by_name(first["incidents"]), by_name(second["incidents"])
    for name, incident_doc in old.items():
        assert new[name]["id"] == incident_doc["id"]
        old_updates = [u["id"] for u in incident_doc["incident_updates"]]
        assert [u["id"] for u in new[name]["incident_updates"]][-len(old_updates) :] == old_updates
        assert [c["id"] for c in new[name]["components"]] == [
            c["id"] for c in incident_doc["components"]
        ]
    assert len({i["id"] for i in second["incidents"]}) == len(second["incidents"])


@pytest.mark.parametrize(
    ("kind", "key"),
    [("incident", "2026-05-10-outage"), ("group", "core"), ("update", "x:3"), ("component", "é")],
)
def test_an_id_is_the_first_twelve_base32hex_characters_of_a_digest_of_kind_and_key(
    kind: str, key: str
) -> None:
    """The documented recipe, spelt out the long way: clients keep these ids, so they must
    never change (sp_id encodes only the bytes the twelve characters need)."""
    import base64
    import hashlib

    whole = hashlib.sha256(f"statusbook:{kind}:{key}".encode()).digest()
    assert sp_id(kind, key) == base64.b32hexencode(whole).decode("ascii")[:12].lower()


def test_summary_shows_the_rollup_unresolved_incidents_and_current_maintenance(
    tmp_path: Path,
) -> None:
    summary = doc(build(tmp_path), "api/v2/summary.json")
    assert summary["status"] == {"indicator": "major", "description": "Partial System Outage"}
    assert [i["name"] for i in summary["incidents"]] == ["API errors"]
    assert sorted(m["name"] for m in summary["scheduled_maintenances"]) == [
        "Database upgrade",
        "Network change",
    ]
    components = by_name(summary["components"])
    assert components["Public API"]["status"] == "partial_outage"
    assert components["Web app"]["status"] == "partial_outage"  # the impact's default
    assert components["E-mails"]["status"] == "under_maintenance"
    assert components["Core"]["status"] == "partial_outage"
    assert summary["page"] == {
        "id": summary["page"]["id"],
        "name": "Example Status",
        "url": "https://status.example.test",
        "time_zone": "Europe/Berlin",
        "updated_at": "2026-05-10T11:30:00.000Z",
    }


def test_groups_list_their_members_and_members_point_back(tmp_path: Path) -> None:
    components = doc(build(tmp_path), "api/v2/components.json")["components"]
    assert [c["name"] for c in components] == [
        "Core",
        "Public API",
        "Web app",
        "E-mails",
        "Documentation",
    ]
    core, api_component, web, emails, docs = components
    assert core["group"] is True and core["group_id"] is None
    assert core["components"] == [api_component["id"], web["id"]]
    assert api_component["group_id"] == web["group_id"] == core["id"]
    assert emails["group_id"] is None and "components" not in emails
    assert [c["position"] for c in components] == [1, 1, 2, 2, 3]
    assert docs["status"] == "operational" and docs["updated_at"] == docs["created_at"]
    assert {c["only_show_if_degraded"] for c in components} == {False}
    assert api_component["showcase"] is True and core["showcase"] is False
    assert api_component["description"] == "The REST API." and web["description"] is None
    assert api_component["created_at"] == "2026-04-30T10:00:00.000Z"  # the first recorded event
    assert api_component["start_date"] == "2026-04-30"
    assert api_component["updated_at"] == "2026-05-10T11:00:00.000Z"  # its last status change
    assert emails["updated_at"] == "2026-05-10T11:00:00.000Z"  # maintenance began by the clock


def test_incident_updates_name_each_affected_component_with_its_old_and_new_status(
    tmp_path: Path,
) -> None:
    incidents = by_name(doc(build(tmp_path), "api/v2/incidents.json")["incidents"])
    errors = incidents["API errors"]
    assert errors["status"] == "identified" and errors["impact"] == "major"
    assert errors["shortlink"] == "https://status.example.test/incidents/2026-05-10-api-errors/"
    assert errors["started_at"] == errors["created_at"] == "2026-05-10T11:00:00.000Z"
    assert errors["resolved_at"] is None and errors["monitoring_at"] is None
    identified, investigating = errors["incident_updates"]  # newest first, as Statuspage
    assert investigating["affected_components"] == [
        {
            "code": errors["components"][0]["id"],
            "name": "Core - Public API",
            "old_status": "operational",
            "new_status": "partial_outage",
        },
        {
            "code": errors["components"][1]["id"],
            "name": "Core - Web app",
            "old_status": "operational",
            "new_status": "partial_outage",
        },
    ]
    assert [(a["old_status"], a["new_status"]) for a in identified["affected_components"]] == [
        ("partial_outage", "partial_outage"),
        ("partial_outage", "partial_outage"),
    ]
    assert identified["incident_id"] == errors["id"]
    assert identified["created_at"] == identified["display_at"] == "2026-05-10T11:30:00.000Z"
    slow = incidents["Web app slow"]
    assert slow["monitoring_at"] == "2026-05-01T09:20:00.000Z"
    assert slow["resolved_at"] == "2026-05-01T09:50:00.000Z"
    resolved = slow["incident_updates"][0]["affected_components"][0]
    assert (resolved["old_status"], resolved["new_status"]) == (
        "degraded_performance",
        "operational",
    )


def test_a_resolved_incident_with_a_published_postmortem_is_in_the_postmortem_state(
    tmp_path: Path,
) -> None:
    out = build(tmp_path)
    assert (
        by_name(doc(out, "api/v2/incidents.json")["incidents"])["Web app slow"]["status"]
        == "postmortem"
    )
    without = {k: v for k, v in SITE.items() if not k.startswith("postmortems/")}
    incidents = doc(build(tmp_path / "bare", without), "api/v2/incidents.json")["incidents"]
    assert by_name(incidents)["Web app slow"]["status"] == "resolved"


def test_updates_written_ahead_are_not_published_before_their_time(tmp_path: Path) -> None:
    out = build(tmp_path)
    assert "Written ahead" not in by_name(doc(out, "api/v2/incidents.json")["incidents"])
    later = build(tmp_path / "later", now=NOW + timedelta(hours=2))
    assert "Written ahead" in by_name(doc(later, "api/v2/incidents/unresolved.json")["incidents"])


def test_maintenance_follows_the_clock_and_a_cancelled_window_is_reported_completed(
    tmp_path: Path,
) -> None:
    out = build(tmp_path)
    windows = by_name(doc(out, "api/v2/scheduled-maintenances.json")["scheduled_maintenances"])
    assert {name: w["status"] for name, w in windows.items()} == {
        "Network change": "scheduled",
        "Database upgrade": "in_progress",
        "DNS change": "completed",
        "Storage move": "completed",
    }
    assert {w["impact"] for w in windows.values()} == {"maintenance"}
    db = windows["Database upgrade"]
    assert (db["scheduled_for"], db["scheduled_until"]) == (
        "2026-05-10T11:00:00.000Z",
        "2026-05-10T14:00:00.000Z",
    )
    [started] = db["incident_updates"]  # posted by the clock, as Statuspage's auto-transition does
    assert started["status"] == "in_progress" and started["body"] == AUTO_START_MESSAGE
    assert [(a["old_status"], a["new_status"]) for a in started["affected_components"]] == [
        ("operational", "under_maintenance")
    ]
    storage = windows["Storage move"]
    assert [u["status"] for u in storage["incident_updates"]] == [
        "completed",
        "in_progress",
        "scheduled",
    ]
    assert storage["resolved_at"] == "2026-05-03T02:00:00.000Z"
    dns = windows["DNS change"]
    assert [u["status"] for u in dns["incident_updates"]] == ["completed", "scheduled"]
    assert dns["resolved_at"] == "2026-05-04T10:00:00.000Z"
    upcoming = doc(out, "api/v2/scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
    active = doc(out, "api/v2/scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert [w["name"] for w in upcoming] == ["Network change"]
    assert [w["name"] for w in active] == ["Database upgrade"]


def test_incidents_json_holds_only_the_50_most_recent(tmp_path: Path) -> None:
    start = NOW - timedelta(days=60)
    many = tuple(
        incident(
            f"i-{n:03d}", f"Incident {n}", start + timedelta(days=n), "investigating", "resolved"
        )
        for n in range(55)
    )
    active = incident("i-active", "Still going", start - timedelta(days=1), "investigating")
    corpus = tiny_corpus((*reversed(many), active))
    out = api.files(SiteView(corpus, NOW, SETTINGS))
    listed = [i["name"] for i in doc(out, "api/v2/incidents.json")["incidents"]]
    assert listed == [f"Incident {n}" for n in range(54, 4, -1)]
    unresolved = doc(out, "api/v2/incidents/unresolved.json")["incidents"]
    assert [i["name"] for i in unresolved] == ["Still going"]
    validate(doc(out, "api/v2/summary.json"), "summary.json")


def test_hostile_titles_and_messages_come_back_unchanged_from_valid_json() -> None:
    hostile = 'He said "down" </script><b>&amp; ]]> \\ \n line two \u200f\u202eRTL\u202c \u2028 end'
    bad = Incident(
        "hostile",
        "content/incidents/hostile.md",
        hostile,
        Impact.CRITICAL,
        ("api",),
        (
            Update(
                NOW - timedelta(hours=1),
                "investigating",
                hostile,
                (("api", ComponentStatus.MAJOR_OUTAGE),),
            ),
        ),
        body=hostile,
    )
    corpus = replace(
        tiny_corpus((bad,)),
        components=(
            Component("api", hostile, description=hostile, group_id="core"),
            Component("emails", "E-mails"),
        ),
        groups=(Group("core", hostile, hostile, ("api",)),),
    )
    settings = replace(SETTINGS, site_name=hostile)
    out = api.files(SiteView(corpus, NOW, settings))
    for path, data in out.items():
        text = data.decode("utf-8")
        parsed = json.loads(text)  # every file parses
        assert "\\u" not in text.replace("\\\\", ""), path  # non-ASCII is written as is
        assert parsed is not None
    summary = doc(out, "api/v2/summary.json")
    assert summary["page"]["name"] == hostile
    [active] = summary["incidents"]
    assert active["name"] == hostile
    assert active["incident_updates"][0]["body"] == hostile
    assert (
        active["incident_updates"][0]["affected_components"][0]["name"] == f"{hostile} - {hostile}"
    )
    assert {c["name"] for c in summary["components"]} == {hostile, "E-mails"}
    validate(summary, "summary.json")
    own = doc(out, "api/statusbook/v1/status.json")
    assert own["incidents"][0]["title"] == own["incidents"][0]["body"] == hostile


def test_internal_content_never_reaches_the_api(tmp_path: Path) -> None:
    secret_site = {
        **SITE,
        "incidents/2026/2026-05-09-secret.md": """\
            ---
            title: Topsecret breach
            impact: critical
            components: [api]
            visibility: internal
            updates:
              - at: 2026-05-09T10:00:00Z
                status: investigating
                message: Topsecret message.
            ---
            """,
        "incidents/2026/2026-05-08-public-with-notes.md": """\
            ---
            title: Public incident
            impact: minor
            severity: SEV1
            components: [web]
            started: 2026-05-08T09:55:00Z
            detected: 2026-05-08T09:57:13Z
            acknowledged: 2026-05-08T09:58:17Z
            notes: Topsecret responder notes.
            roles:
              commander: Topsecret Commander
              experts: [Topsecret Expert]
            updates:
              - at: 2026-05-08T10:00:00Z
                status: resolved
                message: Fixed.
            ---
            """,
        "maintenance/2026-05-12-secret.md": """\
            ---
            title: Topsecret maintenance
            components: [api]
            start: 2026-05-12T01:00:00Z
            end: 2026-05-12T02:00:00Z
            visibility: internal
            ---
            """,
        "postmortems/2026-05-08-draft.md": """\
            ---
            title: Topsecret draft postmortem
            incidents: [2026-05-08-public-with-notes]
            status: draft
            ---
            Topsecret draft.
            """,
        "postmortems/2026-05-09-internal.md": """\
            ---
            title: Topsecret internal postmortem
            incidents: [2026-05-09-secret]
            status: published
            visibility: internal
            ---
            Topsecret.
            """,
    }
    out = build(tmp_path, secret_site)
    hidden_ids = [sp_id("incident", x) for x in ("2026-05-09-secret", "2026-05-12-secret")]
    for path, data in out.items():
        if path.endswith("schema.json"):
            continue
        text = data.decode("utf-8")
        for marker in (
            "Topsecret",
            "SEV1",
            "2026-05-09-secret",
            "2026-05-12-secret",
            "09:57:13",
            "09:58:17",
            *hidden_ids,
        ):
            assert marker not in text, (path, marker)
    public = by_name(doc(out, "api/v2/incidents.json")["incidents"])["Public incident"]
    assert public["status"] == "resolved"  # the draft postmortem does not count


def test_a_real_build_writes_the_api_and_two_builds_agree_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import build as build_site
    from conftest import write_site

    if api.files not in outputs.GENERATORS:
        monkeypatch.setattr(outputs, "GENERATORS", [*outputs.GENERATORS, api.files])
    mkdocs = textwrap.dedent(
        """\
        site_name: Example Status
        site_url: https://status.example.test/
        docs_dir: pages
        theme:
          name: material
        plugins:
          - statusbook:
              timezone: Europe/Berlin
        """
    )
    files = {
        f"content/{rel}": textwrap.dedent(text)
        for rel, text in SITE.items()
        if rel != "components.yml"
    }
    site = write_site(tmp_path / "site", files, components=COMPONENTS, mkdocs=mkdocs)
    snapshots = []
    for name in ("one", "two"):
        result = build_site(site, "-d", str(tmp_path / name), "--now", "2026-05-10T12:00:00Z", "-q")
        assert result.exit_code == 0, result.output
        snapshots.append(
            {
                rel: (tmp_path / name / rel).read_bytes()
                for rel in [*ENDPOINTS, "api/statusbook/v1/status.json"]
            }
        )
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["api/v2/summary.json"] == build(tmp_path / "direct")["api/v2/summary.json"]


# --- Statusbook's own JSON ---------------------------------------------------------------------


def test_statusbook_json_matches_its_published_schema_and_carries_uptime_and_postmortems(
    tmp_path: Path,
) -> None:
    out = build(tmp_path)
    schema = doc(out, "api/statusbook/v1/schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    own = doc(out, "api/statusbook/v1/status.json")
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(own)]
    assert not errors, errors[:5]
    assert own["schema"] == "https://status.example.test/api/statusbook/v1/schema.json"
    assert own["status"]["indicator"] == "major"
    components = {c["id"]: c for c in own["components"]}
    assert len(components["api"]["uptime"]["days"]) == SETTINGS.uptime_days
    today = components["api"]["uptime"]["days"][-1]
    assert today["date"] == "2026-05-10" and today["worst_status"] == "partial_outage"
    assert today["incident_ids"] == ["2026-05-10-api-errors"]
    assert today["down_seconds"] == pytest.approx(3600 * 0.3)
    assert components["api"]["uptime"]["percent"] < 100
    assert components["emails"]["uptime"]["days"][-1]["maintenance_ids"] == ["2026-05-10-db"]
    incidents = {i["id"]: i for i in own["incidents"]}
    assert incidents["2026-05-01-web-slow"]["postmortems"] == [
        {
            "id": "2026-05-01-web-slow",
            "url": "https://status.example.test/postmortems/2026-05-01-web-slow/",
        }
    ]
    errors_incident = incidents["2026-05-10-api-errors"]
    assert errors_incident["active"] is True
    assert errors_incident["component_statuses"] == {
        "api": "partial_outage",
        "web": "partial_outage",
    }
    assert errors_incident["next_update_due"] == "2026-05-10T12:30:00Z"
    assert [u["status"] for u in errors_incident["updates"]] == ["investigating", "identified"]
    states = {m["id"]: m["state"] for m in own["maintenance"]}
    assert states["2026-05-05-dns"] == "cancelled" and states["2026-05-10-db"] == "in_progress"
    assert own["postmortems"][0]["incident_ids"] == ["2026-05-01-web-slow"]
    assert own["groups"] == [
        {
            "id": "core",
            "statuspage_id": sp_id("group", "core"),
            "name": "Core",
            "description": "The product itself.",
            "status": "partial_outage",
            "components": ["api", "web"],
        }
    ]


# --- a real Statuspage client ------------------------------------------------------------------

_METRIC = re.compile(r"^(?P<name>[a-zA-Z_:][\w:]*)(?:\{(?P<labels>.*)\})?\s+(?P<value>\S+)$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def exporter_command() -> Path:
    """The exporter's console script, in a venv of its own that scripts/test installs."""
    command = exporter()
    if command is None:
        unavailable(f"{EXPORTER} has not been installed (python tests/external_tools.py)")
    return command  # type: ignore[return-value]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


def parse_metrics(text: str) -> list[tuple[str, dict[str, str], float]]:
    samples = []
    for line in text.splitlines():
        match = _METRIC.match(line)
        if line.startswith("#") or not match:
            continue
        labels = {k: json.loads(f'"{v}"') for k, v in _LABEL.findall(match["labels"] or "")}
        samples.append((match["name"], labels, float(match["value"])))
    return samples


@pytest.mark.skipif(sys.version_info < EXPORTER_PYTHON, reason="the exporter needs Python 3.11+")
def test_statuspage_prometheus_exporter_reads_the_built_api(tmp_path: Path) -> None:
    command = exporter_command()
    site = tmp_path / "site"
    for rel, data in build(tmp_path).items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def handler(*args: Any) -> _QuietHandler:
        return _QuietHandler(*args, directory=str(site))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        work = tmp_path / "exporter"
        work.mkdir()
        url = f"http://127.0.0.1:{server.server_address[1]}/api/v2/summary.json"
        (work / "services.json").write_text(
            json.dumps({"statusbook": {"url": url, "name": "Statusbook test"}}), encoding="utf-8"
        )
        env = {
            **os.environ,
            "RUN_MODE": "once",
            "SERVICES_JSON_PATH": str(work / "services.json"),
            "METRICS_TEXTFILE_PATH": str(work / "metrics.prom"),
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        result = subprocess.run(
            [str(command)], cwd=work, env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert result.returncode == 0, result.stderr[-2000:]
    samples = parse_metrics((work / "metrics.prom").read_text(encoding="utf-8"))

    def values(name: str) -> dict[str, float]:
        out = {}
        for metric, labels, value in samples:
            if metric == name and labels.get("service_name") == "Statusbook test":
                key = (
                    labels.get("component_name")
                    or labels.get("incident_name")
                    or labels.get("maintenance_name")
                    or ""
                )
                out[key] = value
        return out

    # 1 = operational, 0 = anything else, per component (groups are components to the exporter).
    assert values("statuspage_component_status") == {
        "Core": 0.0,
        "Public API": 0.0,
        "Web app": 0.0,
        "E-mails": 0.0,
        "Documentation": 1.0,
    }
    assert values("statuspage_probe_check") == {"": 1.0}
    assert values("statuspage_service_status") == {"": 0.0}
    assert values("statuspage_incident_info") == {"API errors": 1.0}
    assert values("statuspage_maintenance_info") == {"Database upgrade": 1.0, "Network change": 1.0}
    [incident_labels] = [lbl for m, lbl, _ in samples if m == "statuspage_incident_info"]
    assert incident_labels["impact"] == "major"
    assert (
        incident_labels["shortlink"]
        == "https://status.example.test/incidents/2026-05-10-api-errors/"
    )
    assert incident_labels["affected_components"] == "Public API, Web app"
