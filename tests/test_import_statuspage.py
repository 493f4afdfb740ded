"""`statusbook import statuspage`: a Statuspage v2 export becomes valid Statusbook content.

The checks read the export's JSON on their own and compare it with what Statusbook loads from
the imported files: one entry per incident or maintenance, every update's displayed time an
update's `at`, every update's text a message, every component change an update's components.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date, datetime, timezone
from pathlib import Path

from click.testing import CliRunner, Result

from statusbook.cli.importing import import_group
from statusbook.content import load as content
from statusbook.importers.common import CLOSING_MESSAGE, EMPTY_MESSAGE
from statusbook.model import Incident, Maintenance

FIXTURE = Path(__file__).resolve().parent / "import_fixtures" / "statuspage"


def run_import(*args: object) -> Result:
    return CliRunner().invoke(import_group, ["statuspage", *[str(a) for a in args]])


def imported(export: Path, target: Path, *extra: object) -> Path:
    result = run_import(export, "--content-dir", target, *extra)
    assert result.exit_code == 0, result.output
    return target


def load(content_dir: Path):
    result = content.load(content_dir, content_dir.parent)
    assert result.findings == [], "\n".join(f.format_text() for f in result.findings)
    assert result.corpus is not None
    return result.corpus


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def words(text: str) -> str:
    return " ".join(text.split())


def source_entries(export: Path) -> dict[str, dict]:
    """Incidents and maintenance by Statuspage id; the copy with the most updates wins."""
    out: dict[str, dict] = {}
    for name, key in (
        ("incidents.json", "incidents"),
        ("scheduled-maintenances.json", "scheduled_maintenances"),
    ):
        path = export / name
        if not path.is_file():
            continue
        for item in json.loads(path.read_text(encoding="utf-8"))[key]:
            seen = out.get(item["id"])
            if seen is None or len(item["incident_updates"]) > len(seen["incident_updates"]):
                out[item["id"]] = item
    return out


def imported_entries(
    content_dir: Path,
) -> tuple[dict[str, Incident | Maintenance], dict[str, object]]:
    """Entries and postmortems by the Statuspage id in their frontmatter marker."""
    corpus = load(content_dir)
    by_id = {e.id: e for e in (*corpus.incidents, *corpus.maintenance)}
    postmortems = {p.id: p for p in corpus.postmortems}
    entries: dict[str, Incident | Maintenance] = {}
    pms: dict[str, object] = {}
    for path in sorted(content_dir.rglob("*.md")):
        line = path.read_text(encoding="utf-8").split("\n")[1]
        assert line.startswith("# statusbook import statuspage: "), path
        key = line.split(": ", 1)[1]
        if path.parent.parent.name == "postmortems":
            pms[key] = postmortems[path.stem]
        else:
            assert key not in entries
            entries[key] = by_id[path.stem]
    return entries, pms


def check_nothing_lost(
    export: Path, content_dir: Path, ids: dict[str, str] | None = None
) -> dict[str, Incident | Maintenance]:
    source = source_entries(export)
    entries, postmortems = imported_entries(content_dir)
    assert sorted(entries) == sorted(source), "one imported entry per incident or maintenance"
    assert sorted(postmortems) == sorted(k for k, v in source.items() if v.get("postmortem_body"))
    ids = ids or component_ids(content_dir)
    for key, item in source.items():
        entry = entries[key]
        assert entry.title == words(item["name"])
        assert isinstance(entry, Maintenance) == bool(item.get("scheduled_for"))
        mine = [u for u in entry.updates if u.message != CLOSING_MESSAGE]
        assert len(mine) == len(item["incident_updates"]), key
        for raw in item["incident_updates"]:
            at = utc(raw["display_at"] or raw["created_at"])
            text = words(raw["body"]) or EMPTY_MESSAGE
            matches = [u for u in mine if u.at == at and words(u.message) == text]
            assert len(matches) == 1, f"{key}: update of {at} is missing or changed"
            if isinstance(entry, Incident):
                declared = dict(matches[0].components)
                for affected in raw["affected_components"] or []:
                    status = affected.get("new_status")
                    if affected.get("code") and status != "under_maintenance":
                        assert declared[ids[affected["code"]]].value == status
            for affected in raw["affected_components"] or []:
                if affected.get("code"):
                    assert ids[affected["code"]] in entry.components
        if isinstance(entry, Maintenance):
            assert (entry.start, entry.end) == (
                utc(item["scheduled_for"]),
                utc(item["scheduled_until"]),
            )
        if item.get("postmortem_body"):
            assert words(postmortems[key].body) == words(item["postmortem_body"])
    return entries


def component_ids(content_dir: Path) -> dict[str, str]:
    """Statuspage component id -> Statusbook id, for the fixture's components."""
    corpus = load(content_dir)
    by_name = {}
    for c in corpus.components:
        by_name[(c.group_id, c.name)] = c.id
    return {
        "cmpapi000001": by_name[("core-platform", "API")],
        "cmpdash00001": by_name[("core-platform", "Dashboard")],
        "cmpeudb00001": by_name[("eu-region", "Database")],
        "cmpusdb00001": by_name[("us-region", "Database")],
        "cmphooks0001": by_name[("", "Webhooks")],
        "cmpmail00001": by_name[("", "Notification e-mails")],
        "cmpsepa00001": by_name[("", "SEPA transfers")],
    }


# --- the fixture export -----------------------------------------------------------------------


def test_export_imports_and_validates(tmp_path: Path) -> None:
    target = tmp_path / "site" / "content"
    result = run_import(FIXTURE, "--content-dir", target)
    assert result.exit_code == 0, result.output
    assert (
        "5 incidents, 2 maintenance windows, 2 postmortems, 7 components in 3 groups"
        in result.output
    )
    assert "10 created, 0 updated, 0 unchanged, 0 skipped, 0 conflicts." in result.output
    load(target)
    for expected in (
        "'only_show_if_degraded' (1 component) has no equivalent",
        "component 'Webhooks' is 'degraded_performance' now",
        "component cmpsepa00001 ('SEPA transfers') is not in components.json",
        "the update of 2025-05-12T11:00:00Z has no text",
        "sets api to 'under_maintenance', which an incident cannot declare",
    ):
        assert expected in result.output


def test_export_nothing_lost(tmp_path: Path) -> None:
    check_nothing_lost(FIXTURE, imported(FIXTURE, tmp_path / "site" / "content"))


def test_export_mapping(tmp_path: Path) -> None:
    target = imported(FIXTURE, tmp_path / "site" / "content")
    corpus = load(target)
    entries, postmortems = imported_entries(target)

    assert [(g.id, g.name, g.component_ids) for g in corpus.groups] == [
        ("core-platform", "Core platform", ("api", "dashboard")),
        ("eu-region", "EU region", ("eu-region-database",)),
        ("us-region", "US region", ("us-region-database",)),
    ]
    assert [c.id for c in corpus.components if not c.group_id] == [
        "webhooks", "notification-e-mails", "sepa-transfers",
    ]  # fmt: skip
    assert (
        corpus.component("notification-e-mails").description == "E-mails about orders and invoices."
    )
    assert corpus.groups[0].description == "What every customer uses."

    api = entries["p1apierr0001"]
    assert api.id == "2025-02-11-elevated-api-errors-5xx-on-v2-endpoints"
    assert api.title == "Elevated API errors: 5xx on /v2/* endpoints"
    assert api.impact.value == "major"
    assert api.updates[0].at == utc("2025-02-11T14:00:00Z")  # display_at, not created_at
    assert [u.status for u in api.updates] == [
        "investigating",
        "identified",
        "monitoring",
        "resolved",
    ]
    assert (
        api.updates[2].message
        == "A fix has been deployed and error rates are back to normal.\nWe are monitoring."
    )
    assert dict(api.lifecycle) == {
        "started": utc("2025-02-11T13:58:00Z"),
        "mitigated": utc("2025-02-11T14:40:02.500Z"),
        "resolved": utc("2025-02-11T15:05:30Z"),
    }
    published = postmortems["p1apierr0001"]
    assert published.status.value == "published" and published.date == date(2025, 2, 14)
    assert published.incident_ids == (api.id,)
    assert postmortems["p3eudb000001"].status.value == "draft"

    assert entries["p2dash000001"].components == ()
    assert entries["p2dash000001"].updates[0].at == utc("2025-03-03T14:30:00Z")  # -05:00 -> UTC
    assert entries["p4hooks00001"].updates[-1].status == "monitoring"  # still open

    upgrade = entries["m1dbupg00001"]  # in both files; the complete copy is used
    assert [u.status for u in upgrade.updates] == [
        "scheduled",
        "in_progress",
        "verifying",
        "completed",
    ]
    assert upgrade.components == ("eu-region-database",)
    assert entries["m2net0000001"].components == ()


def test_second_run_changes_nothing(tmp_path: Path) -> None:
    target = imported(FIXTURE, tmp_path / "site" / "content")
    before = snapshot(target)
    again = run_import(FIXTURE, "--content-dir", target)
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 10 unchanged, 0 skipped, 0 conflicts." in again.output
    assert snapshot(target) == before


def test_files_do_not_depend_on_the_order_of_the_export(tmp_path: Path) -> None:
    shuffled = shutil.copytree(FIXTURE, tmp_path / "shuffled")
    for name, key in (
        ("incidents.json", "incidents"),
        ("scheduled-maintenances.json", "scheduled_maintenances"),
    ):
        data = json.loads((shuffled / name).read_text(encoding="utf-8"))
        data[key].reverse()
        for item in data[key]:
            item["incident_updates"].reverse()
        (shuffled / name).write_text(json.dumps(data), encoding="utf-8")
    first = imported(FIXTURE, tmp_path / "a" / "content")
    second = imported(shuffled, tmp_path / "b" / "content")
    assert snapshot(first) == snapshot(second)


def test_broken_entries_are_skipped_with_reasons(tmp_path: Path) -> None:
    export = shutil.copytree(FIXTURE, tmp_path / "export")
    path = export / "scheduled-maintenances.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["scheduled_maintenances"][1]["scheduled_until"]
    path.write_text(json.dumps(data), encoding="utf-8")
    path = export / "incidents.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["incidents"][3]["incident_updates"][0]["display_at"] = "soon"
    data["incidents"][3]["incident_updates"][0]["created_at"] = "soon"
    path.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "site" / "content"
    result = run_import(export, "--content-dir", target)
    assert result.exit_code == 1
    assert "8 created, 0 updated, 0 unchanged, 2 skipped" in result.output
    assert (
        "m2net0000001 (Network maintenance): scheduled_until 'None' is not a time" in result.output
    )
    assert (
        "p4hooks00001 (Webhook deliveries delayed): update 1's time 'soon' is not a time"
        in result.output
    )
    load(target)


def test_a_closed_incident_without_a_resolved_update_is_closed(tmp_path: Path) -> None:
    export = shutil.copytree(FIXTURE, tmp_path / "export")
    path = export / "incidents.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    hooks = data["incidents"][3]
    hooks.update(status="resolved", resolved_at="2025-06-30T10:00:00.000Z")
    path.write_text(json.dumps(data), encoding="utf-8")
    target = imported(export, tmp_path / "site" / "content")
    entries, _ = imported_entries(target)
    last = entries["p4hooks00001"].updates[-1]
    assert (last.status, last.at, last.message) == (
        "resolved",
        utc("2025-06-30T10:00:00Z"),
        CLOSING_MESSAGE,
    )
    check_nothing_lost(export, target)


def test_not_an_export(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_import(tmp_path / "empty", "--content-dir", tmp_path / "site" / "content")
    assert result.exit_code == 1
    assert "components.json not found: PATH must be a Statuspage export folder" in result.output


def test_a_differing_component_is_a_conflict(tmp_path: Path) -> None:
    target = tmp_path / "site" / "content"
    target.mkdir(parents=True)
    (target / "components.yml").write_text(
        "groups:\n  - id: core-platform\n    name: Core platform\n    components:\n"
        "      - id: api\n        name: Public API\n",
        encoding="utf-8",
    )
    result = run_import(FIXTURE, "--content-dir", target)
    assert result.exit_code == 1
    assert "component 'api' differs: name 'Public API' here, 'API' in the source" in result.output
    assert load(target).component("api").name == "Public API"
    ids = {
        "cmpapi000001": "api", "cmpdash00001": "dashboard", "cmpeudb00001": "eu-region-database",
        "cmpusdb00001": "us-region-database", "cmphooks0001": "webhooks",
        "cmpmail00001": "notification-e-mails", "cmpsepa00001": "sepa-transfers",
    }  # fmt: skip
    check_nothing_lost(FIXTURE, target, ids)  # the incidents went in all the same


def test_registered_as_statusbook_import() -> None:
    from statusbook.cli.main import main

    result = CliRunner().invoke(main, ["import", "statuspage", "--help"])
    assert result.exit_code == 0 and "Statuspage export" in result.output
