"""The content cache (.cache/statusbook/) and the worker processes change how fast a run is,
never what it finds or builds."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

from conftest import (
    NOW,
    VALID_INCIDENT,
    build,
    copy_fixture,
    differences,
    run_cli,
    snapshot,
    validate,
)
from statusbook import workers
from statusbook.cache import store as cache
from statusbook.cache.store import CACHE_DIR, FILE_NAME, RENDERED_NAME, DiskCache
from statusbook.content import load as content
from statusbook.context import ENV_NO_CACHE, BuildContext
from statusbook.lint import blameless as lint
from statusbook.lint.site import SiteLint
from statusbook.outputs.pages.render import PACKAGE_TEMPLATES

CACHE_FILE = Path(CACHE_DIR) / FILE_NAME


def _entries(site: Path) -> dict:
    return cache._read_pickle(site / CACHE_FILE)["entries"]


def _site_options(site: Path):
    from statusbook.cli.common import statusbook_options

    return statusbook_options(site / "mkdocs.yml")


def test_a_build_with_the_cache_is_byte_identical_to_one_without(tmp_path):
    site = copy_fixture("pebblepost", tmp_path / "site")
    assert build(site, "-d", tmp_path / "cold", "--now", NOW, "-q", "--no-cache").exit_code == 0
    assert not (site / CACHE_FILE).exists(), "--no-cache must not write the cache"
    assert build(site, "-d", tmp_path / "first", "--now", NOW, "-q").exit_code == 0
    assert (site / CACHE_FILE).is_file()
    assert build(site, "-d", tmp_path / "warm", "--now", NOW, "-q").exit_code == 0
    cold = snapshot(tmp_path / "cold")
    assert differences(cold, snapshot(tmp_path / "first")) == []
    assert differences(cold, snapshot(tmp_path / "warm")) == []
    assert not any(".cache" in rel for rel in cold), "the cache is never published"


def test_an_edit_after_a_cached_run_is_checked_again(tmp_path):
    site = copy_fixture("pebblepost", tmp_path / "site")
    assert validate(site).exit_code == 0
    incident = sorted((site / "content" / "incidents").rglob("*.md"))[0]
    good = incident.read_text(encoding="utf-8")
    incident.write_text(good.replace("impact:", "impakt:", 1), encoding="utf-8")
    result = validate(site)
    assert result.exit_code == 1
    assert incident.name in result.output and "impakt" in result.output
    incident.write_text(good, encoding="utf-8")
    assert validate(site).exit_code == 0


def test_removing_a_component_reaches_incidents_whose_files_did_not_change(tmp_path):
    from conftest import write_site

    site = write_site(tmp_path / "site", {"content/incidents/2026-03-14-api.md": VALID_INCIDENT})
    assert validate(site).exit_code == 0
    components = site / "content" / "components.yml"
    components.write_text(
        components.read_text(encoding="utf-8").replace("id: api", "id: public-api"),
        encoding="utf-8",
    )
    result = validate(site)
    assert result.exit_code == 1
    assert "2026-03-14-api.md:4" in result.output and "'api'" in result.output


def test_lint_findings_follow_the_rules_not_the_cache(tmp_path):
    from conftest import MINIMAL_MKDOCS, write_site

    text = VALID_INCIDENT.replace("We are looking into it.", "The engineer carelessly deployed.")
    site = write_site(tmp_path / "site", {"content/incidents/2026-03-14-api.md": text})
    first = validate(site)
    assert "carelessly" in first.output
    (site / "mkdocs.yml").write_text(
        MINIMAL_MKDOCS.replace(
            "  - statusbook\n",
            "  - statusbook:\n      lint:\n        disable: [judgemental-adverb, human-error,"
            " person-as-cause]\n",
        ),
        encoding="utf-8",
    )
    second = validate(site)
    assert second.exit_code == 0
    assert "carelessly" not in second.output


def test_a_damaged_cache_is_ignored_and_replaced(tmp_path):
    site = copy_fixture("pebblepost", tmp_path / "site")
    assert validate(site).exit_code == 0
    expected = validate(site).output
    (site / CACHE_FILE).write_bytes(b"\x80\x05not a pickle")
    assert validate(site).output == expected
    assert _entries(site), "the damaged file was replaced by a working cache"


def test_entries_written_by_other_code_are_never_used(tmp_path):
    """A cache keyed by another version of the package is read as empty, whatever it holds."""
    site = copy_fixture("pebblepost", tmp_path / "site")
    assert validate(site).exit_code == 0
    entries = _entries(site)
    key = next(k for k in entries if k[0] == "incidents")
    doc, blob = entries[key]
    entry = pickle.loads(blob)
    forged_entry = entry.__class__(**{**entry.__dict__, "title": "FORGED TITLE"})
    forged = {key: (doc, pickle.dumps(forged_entry))}
    for code, expect_forged in (("someone else's code", False), (cache.code_fingerprint(), True)):
        cache._write_pickle(site / CACHE_FILE, {"code": code, "entries": forged, "stats": {}})
        loaded = content.load_configured(site, _site_options(site), cache=True)
        titles = {i.title for i in loaded.corpus.incidents}
        assert ("FORGED TITLE" in titles) is expect_forged


def test_the_environment_switch_turns_the_cache_off_at_the_edge(tmp_path):
    """STATUSBOOK_NO_CACHE is read once, into the build context; below it the switch is an
    argument."""
    assert BuildContext.from_environment({ENV_NO_CACHE: "1"}).cache is False
    assert BuildContext.from_environment({ENV_NO_CACHE: "0"}).cache is True
    assert BuildContext.from_environment({}, no_cache=True).cache is False
    site = copy_fixture("pebblepost", tmp_path / "site")
    loaded = content.load_configured(site, _site_options(site), cache=True, no_cache=True)
    assert loaded.corpus is not None
    assert not (site / CACHE_FILE).exists()
    result = run_cli(["validate", "-f", site / "mkdocs.yml"], env={ENV_NO_CACHE: "1"})
    assert result.exit_code == 0, result.output
    assert not (site / CACHE_FILE).exists()
    assert validate(site).exit_code == 0  # and without it, the cache is written
    assert (site / CACHE_FILE).exists()


def test_a_build_keeps_what_validate_linted_and_drops_deleted_files(tmp_path):
    site = copy_fixture("pebblepost", tmp_path / "site")
    assert validate(site).exit_code == 0
    linted = {k[1] for k in _entries(site) if k[0] == "lint"}
    assert linted
    assert build(site, "-d", tmp_path / "out", "--now", NOW, "-q").exit_code == 0
    assert {k[1] for k in _entries(site) if k[0] == "lint"} == linted
    gone = sorted((site / "content" / "incidents").rglob("*.md"))[-1]
    gone.unlink()
    assert validate(site).exit_code == 0
    shown = gone.relative_to(site).as_posix()
    assert not any(k[1] == shown for k in _entries(site))


@pytest.fixture
def parallel(monkeypatch):
    """Worker processes for any number of files (normally only for hundreds)."""
    monkeypatch.setenv(workers.ENV_JOBS, "2")
    # Other tests' servers run in threads of this process (pools refuse to fork beside them);
    # the workers here touch none of them.
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers, "MIN_ITEMS", 1)
    monkeypatch.setattr(workers, "MIN_PAGES", 1)
    used = []
    real = workers.map_batches

    def spy(fn, items, shared, **options):
        result = real(fn, items, shared, **options)
        used.append(result is not None)
        return result

    monkeypatch.setattr(content, "map_batches", spy)
    monkeypatch.setattr(lint, "map_batches", spy)
    monkeypatch.setattr(workers, "map_batches", spy)
    return used


def test_worker_processes_find_and_load_exactly_what_one_process_does(tmp_path, parallel):
    site = copy_fixture("ferryline", tmp_path / "site")
    (site / "content" / "incidents" / "broken.md").write_text(
        VALID_INCIDENT.replace("impact: major", "impact: huge"), encoding="utf-8"
    )
    (site / "content" / "incidents" / "blamed.md").write_text(
        VALID_INCIDENT.replace("[api]", "[ticket-shop]")
        + "\nThe outage was caused by human error.\n",
        encoding="utf-8",
    )
    opts = _site_options(site)
    together = content.load_configured(site, opts, lint=SiteLint.of(opts))
    # The workers that checked the files linted them too: nothing was left for the lint's pool.
    assert parallel == [True, False]
    blamed = [found for shown, found in together.linted.items() if shown.endswith("blamed.md")]
    assert [[lint.rule_of(f) for f in found] for found in blamed] == [[lint.HUMAN_ERROR]]
    parallel.clear()
    workers_off = pytest.MonkeyPatch()
    workers_off.setenv(workers.ENV_JOBS, "1")
    try:
        alone = content.load_configured(site, opts, lint=SiteLint.of(opts))
    finally:
        workers_off.undo()
    assert parallel == [False, False]
    assert together.findings == alone.findings
    assert any("huge" in f.message for f in together.findings)
    assert any(lint.rule_of(f) == lint.HUMAN_ERROR for f in together.findings)
    fixed = site / "content" / "incidents" / "broken.md"
    fixed.unlink()
    a = content.load_configured(site, opts)
    workers_off.setenv(workers.ENV_JOBS, "1")
    try:
        b = content.load_configured(site, opts)
    finally:
        workers_off.undo()
    assert a.corpus is not None and a.corpus == b.corpus


def test_compiled_templates_are_kept_and_an_edited_override_is_compiled_again(tmp_path):
    site = copy_fixture("pebblepost", tmp_path / "site")
    mkdocs = site / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    assert "custom_dir" not in text and "  font: false\n" in text
    mkdocs.write_text(text.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))
    template = site / "overrides" / "statusbook" / "incident.html"
    template.parent.mkdir(parents=True)
    out = tmp_path / "out"
    pages_seen = []
    for marker in ("FIRST-OVERRIDE", "SECOND-OVERRIDE"):
        template.write_text(f"<h1>{{{{ incident.title }}}}</h1><p>{marker}</p>\n")
        # Each build makes its own SiteCache, as a new process would: only the bytecode is left.
        assert build(site, "-d", out, "--now", NOW, "-q").exit_code == 0
        page = next((out / "incidents").glob("*/index.html")).read_text(encoding="utf-8")
        pages_seen.append(page)
    assert list((site / CACHE_DIR / "templates").glob("*.bytecode")), "bytecode was kept"
    assert "FIRST-OVERRIDE" in pages_seen[0]
    assert "SECOND-OVERRIDE" in pages_seen[1] and "FIRST-OVERRIDE" not in pages_seen[1]


def test_an_edit_of_the_same_size_in_the_same_clock_tick_is_still_seen(tmp_path):
    """Files are not read again when their size, inode and time match an earlier run; a file
    written within two seconds before that run is read again anyway (an edit in the same
    timestamp tick would otherwise look unchanged)."""
    from conftest import write_site

    site = write_site(tmp_path / "site", {"content/incidents/2026-03-14-api.md": VALID_INCIDENT})
    incident = site / "content" / "incidents" / "2026-03-14-api.md"
    assert validate(site).exit_code == 0
    before = incident.stat()
    with incident.open("r+b") as f:  # same inode, same size
        f.write(VALID_INCIDENT.replace("impact: major", "impact: mayor").encode())
    os.utime(incident, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = incident.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    result = validate(site)
    assert result.exit_code == 1 and "mayor" in result.output


def test_files_unchanged_since_an_earlier_run_are_not_read_again(tmp_path, monkeypatch):
    site = copy_fixture("pebblepost", tmp_path / "site")
    old = time.time() - 60
    for path in (site / "content").rglob("*"):
        os.utime(path, (old, old))
    assert validate(site).exit_code == 0
    reads = []
    real = DiskCache._read_file
    monkeypatch.setattr(DiskCache, "_read_file", staticmethod(lambda p: reads.append(p) or real(p)))
    assert validate(site).exit_code == 0
    assert reads == []
    edited = sorted((site / "content" / "incidents").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert validate(site).exit_code == 0
    assert reads == [str(edited)]


# -- rendered pages and Markdown (.cache/statusbook/rendered.pickle)

RENDERED = Path(CACHE_DIR) / RENDERED_NAME


@pytest.fixture
def month_renders(monkeypatch):
    """The months whose history page was rendered from templates."""
    from statusbook.outputs.pages import history

    seen: list[tuple[int, int]] = []
    real = history.month_page

    def spy(renderer, month):
        seen.append(month)
        return real(renderer, month)

    monkeypatch.setattr(history, "month_page", spy)
    return seen


def test_a_month_whose_entries_are_all_over_is_taken_from_the_store(tmp_path, month_renders):
    site = copy_fixture("pebblepost", tmp_path / "site")
    assert build(site, "-d", tmp_path / "first", "--now", NOW, "-q").exit_code == 0
    everything = set(month_renders)
    month_renders.clear()
    assert build(site, "-d", tmp_path / "warm", "--now", NOW, "-q").exit_code == 0
    again = set(month_renders)
    assert again < everything, "some months are over and come from the store"
    assert (2026, 5) in again, "the month of the open incident is rendered every time"
    assert differences(snapshot(tmp_path / "first"), snapshot(tmp_path / "warm")) == []
    # A later clock: the same content, and the open month is still rendered, never reused.
    month_renders.clear()
    later = "2026-05-10T18:00:00Z"
    assert build(site, "-d", tmp_path / "later", "--now", later, "-q").exit_code == 0
    assert build(site, "-d", tmp_path / "check", "--now", later, "-q", "--no-cache").exit_code == 0
    assert differences(snapshot(tmp_path / "check"), snapshot(tmp_path / "later")) == []


@pytest.fixture
def incident_renders(monkeypatch):
    """The ids of the incident pages rendered from templates (not taken from the store)."""
    from statusbook.outputs.pages import entries

    seen: list[str] = []
    real = entries.incident_page

    def spy(renderer, incident):
        seen.append(incident.id)
        return real(renderer, incident)

    monkeypatch.setattr(entries, "incident_page", spy)
    return seen


def _closed_incidents(site: Path) -> set[str]:
    """The published incidents that are over at NOW."""
    from statusbook.clock import parse_now
    from statusbook.views.visibility import public_view

    corpus = public_view(content.load_configured(site, _site_options(site)).corpus)
    now = parse_now(NOW)
    return {
        i.id
        for i in corpus.incidents
        if i.updates[-1].status == "resolved" and i.updates[-1].at <= now
    }


def test_a_warm_build_renders_again_only_the_incident_pages_that_can_have_changed(
    tmp_path, incident_renders
):
    site = copy_fixture("pebblepost", tmp_path / "site")
    closed = _closed_incidents(site)
    assert closed and len(closed) < 4, "the fixture has closed and open incidents"
    assert build(site, "-d", tmp_path / "first", "--now", NOW, "-q").exit_code == 0
    assert (site / RENDERED).is_file()
    everything = set(incident_renders)
    incident_renders.clear()
    assert build(site, "-d", tmp_path / "warm", "--now", NOW, "-q").exit_code == 0
    assert set(incident_renders) == everything - closed, "open incidents depend on the clock"
    edited = sorted(closed)[0]
    path = next((site / "content" / "incidents").rglob(f"{edited}.md"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1),
        encoding="utf-8",
    )
    incident_renders.clear()
    assert build(site, "-d", tmp_path / "edited", "--now", NOW, "-q").exit_code == 0
    assert edited in incident_renders
    page = (tmp_path / "edited" / "incidents" / edited / "index.html").read_text("utf-8")
    assert "Retitled " in page
    months = [p.read_text("utf-8") for p in (tmp_path / "edited" / "history").glob("*/index.html")]
    assert any("Retitled " in month for month in months), "its month lists the new title"
    assert differences(snapshot(tmp_path / "first"), snapshot(tmp_path / "warm")) == []


def test_a_stored_page_follows_the_files_it_shows_something_of(tmp_path):
    """A closed incident's page shows its components' names, its postmortems' titles and
    similar incidents: editing any of those renders it again."""
    site = copy_fixture("pebblepost", tmp_path / "site")
    assert build(site, "-d", tmp_path / "first", "--now", NOW, "-q").exit_code == 0
    components = site / "content" / "components.yml"
    postmortems = sorted((site / "content" / "postmortems").glob("*.md"))

    def rename_component():
        text = components.read_text(encoding="utf-8")
        assert "name: Tracking API" in text
        components.write_text(text.replace("name: Tracking API", "name: Parcel Events API"))
        return b"Parcel Events API"

    def retitle_postmortems():
        for pm in postmortems:
            pm.write_text(pm.read_text(encoding="utf-8").replace("title: ", "title: Revised ", 1))
        return b">Revised "

    for n, edit in enumerate((rename_component, retitle_postmortems)):
        shown = edit()
        warm, cold = tmp_path / f"warm{n}", tmp_path / f"cold{n}"
        assert build(site, "-d", warm, "--now", NOW, "-q").exit_code == 0
        assert build(site, "-d", cold, "--now", NOW, "-q", "--no-cache").exit_code == 0
        pages = snapshot(warm)
        assert differences(snapshot(cold), pages) == [], edit.__name__
        assert any(shown in data for rel, data in pages.items() if "incidents/" in rel)


def _stored(site: Path) -> dict:
    return cache._read_pickle(site / RENDERED)["entries"]


def test_the_store_keeps_only_what_the_last_build_used(tmp_path):
    site = copy_fixture("pebblepost", tmp_path / "site")
    assert build(site, "-d", tmp_path / "first", "--now", NOW, "-q").exit_code == 0
    before = _stored(site)
    gone = sorted(_closed_incidents(site))[0]
    assert any(getattr(v, "path", "") == f"incidents/{gone}/" for v in before.values())
    next((site / "content" / "incidents").rglob(f"{gone}.md")).unlink()
    for pm in (site / "content" / "postmortems").glob("*.md"):
        if gone in pm.read_text(encoding="utf-8"):
            pm.unlink()  # a postmortem of a deleted incident is an error
    assert build(site, "-d", tmp_path / "second", "--now", NOW, "-q").exit_code == 0
    after = _stored(site)
    assert not any(getattr(v, "path", "") == f"incidents/{gone}/" for v in after.values())
    assert len(after) < len(before)


def test_a_damaged_or_foreign_render_store_is_ignored(tmp_path):
    site = copy_fixture("pebblepost", tmp_path / "site")
    assert build(site, "-d", tmp_path / "cold", "--now", NOW, "-q", "--no-cache").exit_code == 0
    assert not (site / RENDERED).exists(), "--no-cache writes no store"
    (site / RENDERED).parent.mkdir(parents=True)
    for junk in (b"not a pickle", pickle.dumps({"code": "other code", "entries": {}})):
        (site / RENDERED).write_bytes(junk)
        assert build(site, "-d", tmp_path / "out", "--now", NOW, "-q").exit_code == 0
        assert differences(snapshot(tmp_path / "cold"), snapshot(tmp_path / "out")) == []
        assert _stored(site), "replaced by a good one"


def test_pages_rendered_and_written_by_worker_processes_are_those_of_one_process(
    tmp_path, parallel, monkeypatch
):
    site = copy_fixture("pebblepost", tmp_path / "site")
    for day in range(1, 29):  # enough pages that every worker gets several, in an order
        (site / "content" / "incidents" / "2026" / f"2026-02-{day:02}-slow-scans.md").write_text(
            "---\n"
            f"title: Slow scans, day {day}\n"
            "impact: minor\n"
            "components: [tracking-api]\n"
            "updates:\n"
            f"  - at: 2026-02-{day:02}T09:00:00Z\n"
            "    status: investigating\n"
            f"    message: Scans take *{day} minutes* to show.\n"
            f"  - at: 2026-02-{day:02}T10:00:00Z\n"
            "    status: resolved\n"
            "    message: Scans show at once again.\n"
            "---\n",
            encoding="utf-8",
        )
    split = []
    real_split = workers.split_work
    monkeypatch.setattr(workers, "split_work", lambda *a: split.append(real_split(*a)) or split[-1])
    assert build(site, "-d", tmp_path / "pool", "--now", NOW, "-q").exit_code == 0
    assert any(parallel), "the pages were rendered by worker processes"
    assert split == [True], "and written by worker processes"
    stored = _stored(site)
    assert any(hasattr(v, "path") for v in stored.values()), "workers' pages reach the store"
    monkeypatch.setenv(workers.ENV_JOBS, "1")
    assert build(site, "-d", tmp_path / "one", "--now", NOW, "-q", "--no-cache").exit_code == 0
    assert differences(snapshot(tmp_path / "one"), snapshot(tmp_path / "pool")) == []


def test_a_stored_month_page_never_outlives_a_maintenance_window_in_progress(tmp_path):
    from conftest import write_site

    window = (
        "---\n"
        "title: Database upgrade\n"
        "components: [api]\n"
        "start: 2026-04-10T10:00:00Z\n"
        "end: 2026-04-10T12:00:00Z\n"
        "---\n"
        "Failover to the new primary.\n"
    )
    site = write_site(
        tmp_path / "site",
        {
            "content/incidents/2026-03-14-api.md": VALID_INCIDENT,
            "content/maintenance/2026-04-10-database-upgrade.md": window,
        },
    )
    for n, now in enumerate(
        ("2026-04-10T11:00:00Z", "2026-04-10T13:00:00Z", "2026-04-11T09:00:00Z")
    ):
        warm, cold = tmp_path / f"warm{n}", tmp_path / f"cold{n}"
        assert build(site, "-d", warm, "--now", now, "-q").exit_code == 0
        assert build(site, "-d", cold, "--now", now, "-q", "--no-cache").exit_code == 0
        assert differences(snapshot(cold), snapshot(warm)) == [], now
    april = (tmp_path / "warm2" / "history" / "2026-04" / "index.html").read_text("utf-8")
    assert "Completed" in april


def _same_warm_and_cold(site: Path, out: Path, clocks: tuple[str, ...]) -> None:
    """Build at each clock with the cache and without: the sites must be identical."""
    for n, now in enumerate(clocks):
        warm, cold = out / f"warm{n}", out / f"cold{n}"
        assert build(site, "-d", warm, "--now", now, "-q").exit_code == 0
        assert build(site, "-d", cold, "--now", now, "-q", "--no-cache").exit_code == 0
        assert differences(snapshot(cold), snapshot(warm)) == [], now


def test_a_declared_resolution_time_still_ahead_keeps_the_page_out_of_the_store(tmp_path):
    """`resolved:` may come after the last update; until then the page shows the update's
    time and a different duration."""
    from conftest import write_site

    incident = (
        "---\n"
        "title: API errors\n"
        "impact: major\n"
        "components: [api]\n"
        "resolved: 2026-03-14T12:00:00Z\n"
        "updates:\n"
        "  - at: 2026-03-14T09:10:00Z\n"
        "    status: investigating\n"
        "    message: We are looking into it.\n"
        "  - at: 2026-03-14T10:00:00Z\n"
        "    status: resolved\n"
        "    message: Errors stopped.\n"
        "---\n"
    )
    site = write_site(tmp_path / "site", {"content/incidents/2026-03-14-api.md": incident})
    _same_warm_and_cold(site, tmp_path, ("2026-03-14T11:00:00Z", "2026-03-20T00:00:00Z"))
    page = (tmp_path / "warm1" / "incidents" / "2026-03-14-api" / "index.html").read_text("utf-8")
    assert "2 h 50 min" in page


def test_a_site_that_overrides_the_page_templates_gets_no_stored_pages(tmp_path):
    """An override may show anything, even the build time: nothing is reused for it."""
    site = copy_fixture("pebblepost", tmp_path / "site")
    mkdocs = site / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    mkdocs.write_text(text.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))
    folder = site / "overrides" / "statusbook"
    folder.mkdir(parents=True)
    for name in ("incident.html", "month.html"):
        stock = (PACKAGE_TEMPLATES / "statusbook" / name).read_text(encoding="utf-8")
        (folder / name).write_text(stock + "<p>Generated {{ fmt_time(now) }}</p>\n")
    _same_warm_and_cold(site, tmp_path, ("2026-05-10T12:00:00Z", "2026-05-20T12:00:00Z"))
    shown = (tmp_path / "warm1" / "history" / "2026-04" / "index.html").read_text("utf-8")
    assert "Generated 2026-05-20 12:00 UTC" in shown


def test_a_postmortem_page_is_kept_for_a_day_and_follows_its_action_items_due_dates(
    tmp_path, monkeypatch
):
    import shutil

    from conftest import EXAMPLE_SITE
    from statusbook.outputs.pages import postmortems

    site = tmp_path / "site"
    shutil.copytree(EXAMPLE_SITE / "content", site / "content")
    shutil.copytree(EXAMPLE_SITE / "pages", site / "pages")
    shutil.copy(EXAMPLE_SITE / "mkdocs.yml", site / "mkdocs.yml")
    shutil.copytree(EXAMPLE_SITE / "overrides", site / "overrides")
    rendered: list[str] = []
    real = postmortems.postmortem_page
    monkeypatch.setattr(
        postmortems,
        "postmortem_page",
        lambda renderer, pm: rendered.append(pm.id) or real(renderer, pm),
    )
    day = "2026-09-10T09:00:00Z"  # 2026-07-09-delayed-payouts has one open item, due 09-30
    assert build(site, "-d", tmp_path / "first", "--now", day, "-q").exit_code == 0
    assert "2026-07-09-delayed-payouts" in rendered
    rendered.clear()
    assert build(site, "-d", tmp_path / "again", "--now", day, "-q").exit_code == 0
    assert "2026-07-09-delayed-payouts" not in rendered, "the same day: taken from the store"
    # Due dates pass as the days go by: each day's page is the one a cold build makes.
    _same_warm_and_cold(site, tmp_path, (day, "2026-10-01T09:00:00Z"))
    pages_by_day = [
        (tmp_path / f"warm{n}" / "postmortems" / "2026-07-09-delayed-payouts" / "index.html")
        .read_text("utf-8")
        .count("sb-overdue")
        for n in range(2)
    ]
    assert pages_by_day[0] == 0 < pages_by_day[1], pages_by_day
