"""`statusbook import cstate`: a cState site becomes valid Statusbook content, with nothing lost.

The checks read the cState source on their own (front matter, `{{< track >}}` stamps,
paragraphs) and compare it with what Statusbook loads from the imported files: one entry per
issue, every stamp an update's `at`, every paragraph in a message or the description.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from statusbook.cli.importing import import_group
from statusbook.content import load as content
from statusbook.content.frontmatter import parse_markdown
from statusbook.importers.common import CLOSING_MESSAGE, markdown_file, plain_values
from statusbook.model import Incident, Maintenance
from statusbook.scaffold.site import write_site

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "import_fixtures" / "cstate"
SHARED = TESTS.parents[1] / "shared"
GEN_CORPUS = SHARED / "bench" / "gen_corpus.py"
EXAMPLE_SITE = SHARED / "anchors" / "cstate" / "exampleSite"

TRACK = re.compile(r'\{\{<\s*track\s+"([^"]+)"\s*>\}\}')
MARKER = re.compile(r"^# statusbook import cstate: (.+)$", re.M)


def run_import(*args: object) -> Result:
    return CliRunner().invoke(import_group, ["cstate", *[str(a) for a in args]])


def imported(site: Path, *extra: object) -> Path:
    """Import `site` into a fresh content folder beside it; returns the content folder."""
    target = site.parent / (site.name + "-statusbook") / "content"
    result = run_import(site, "--content-dir", target, *extra)
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


# --- an independent reading of the cState source -------------------------------------------------


def utc(value: object) -> datetime:
    """A cState time (naive means UTC) as an aware UTC datetime."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    else:
        text = str(value).strip().replace(" ", "T").replace("Z", "+00:00")
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def source_issues(site: Path) -> dict[str, dict]:
    """Each issue file: front matter, stamp times, and the paragraphs of its text."""
    out = {}
    for path in sorted((site / "content" / "issues").glob("*.md")):
        if path.name.startswith("_"):
            continue
        text = path.read_text(encoding="utf-8")
        fence = text.split("\n", 1)[0].strip()
        _, head, body = text.split(fence + "\n", 2) if fence == "---" else text.split("+++", 2)
        if fence == "---":
            front = yaml.safe_load(head)
        else:
            front = {}
            for line in head.strip().splitlines():
                key, value = (s.strip() for s in line.split("=", 1))
                front[key] = yaml.safe_load(value)
        stamps = [utc(s) for s in TRACK.findall(body)]
        plain = TRACK.sub("", body)
        paragraphs = [
            " ".join(p.split())
            for p in re.split(r"\n\s*\n", plain)
            if p.strip() and not re.fullmatch(r"\s*-{3,}\s*", p)
        ]
        out[path.name] = {"front": front, "stamps": stamps, "paragraphs": paragraphs}
    return out


def imported_entries(content_dir: Path) -> dict[str, Incident | Maintenance]:
    """Imported entries by the cState file they came from (the marker in their frontmatter)."""
    corpus = load(content_dir)
    by_id = {e.id: e for e in (*corpus.incidents, *corpus.maintenance)}
    out = {}
    for path in sorted(content_dir.rglob("*.md")):
        match = MARKER.search(path.read_text(encoding="utf-8"))
        if match and path.stem in by_id:
            assert match.group(1) not in out, f"{match.group(1)} imported twice"
            out[match.group(1)] = by_id[path.stem]
    return out


def words(text: str) -> str:
    return " ".join(text.split())


def check_nothing_lost(site: Path, content_dir: Path) -> dict[str, Incident | Maintenance]:
    """Counts, every stamp, every paragraph, the title, date and resolvedWhen: all there."""
    source = source_issues(site)
    entries = imported_entries(content_dir)
    assert sorted(entries) == sorted(source), "one imported entry per cState issue"
    for name, issue in source.items():
        entry = entries[name]
        front = issue["front"]
        assert entry.title == words(str(front["title"])), name
        times = {u.at for u in entry.updates}
        for stamp in issue["stamps"]:
            assert stamp in times, f"{name}: update time {stamp} is missing"
        original = [u for u in entry.updates if u.message != CLOSING_MESSAGE]
        if isinstance(entry, Maintenance):
            assert len(original) == len(issue["stamps"]), name
        else:
            assert len(original) == max(1, len(issue["stamps"])), name
        notes = getattr(entry, "notes", "")
        placed = set(times) | {t for _, t in getattr(entry, "lifecycle", ())}
        if isinstance(entry, Maintenance):
            placed |= {entry.start, entry.end}
        for field in ("date", "resolvedWhen"):
            if front.get(field) is None:
                continue
            moment = utc(front[field])
            assert moment in placed or moment.strftime("%Y-%m-%dT%H:%M:%S") in notes, (
                f"{name}: {field} {moment} is lost"
            )
        text = words(" ".join([u.message for u in entry.updates] + [entry.body]))
        for paragraph in issue["paragraphs"]:
            assert paragraph in text, f"{name}: text lost: {paragraph[:60]}"
    return entries


# --- the fixture site ---------------------------------------------------------------------------


def test_fixture_imports_and_validates(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    target = tmp_path / "out" / "content"
    result = run_import(site, "--content-dir", target)
    assert result.exit_code == 0, result.output
    assert "12 created, 0 updated, 0 unchanged, 0 skipped, 0 conflicts." in result.output
    load(target)
    # What could not be mapped is reported, each with its file.
    for expected in (
        "2025-05-05-new-status-page.md: 'pin: true' has no equivalent",
        "2025-07-04-cdn-degradation.md: affected system 'Image CDN' is not in the config",
        "2025-07-04-cdn-degradation.md: Hugo shortcode 'figure' is kept as text",
        "2025-08-09-upcoming-maintenance.md: a notice without an end",
        "2025-09-01-queue-backlog.md: the title spans several lines",
        "config.yml: system 'Search': 'histogram: false' has no equivalent",
        "config.yml: category 'Platform': 'closed' (collapsed) has no equivalent",
    ):
        assert expected in result.output


def test_fixture_nothing_lost(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    check_nothing_lost(site, imported(site))


def test_fixture_mapping(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    target = imported(site)
    entries = imported_entries(target)
    corpus = load(target)

    checkout = entries["2025-03-02-checkout-errors.md"]
    assert checkout.id == "2025-03-02-checkout-errors"
    assert checkout.impact.value == "critical" and checkout.components == (
        "checkout",
        "payments-api",
    )
    assert [u.status for u in checkout.updates] == [
        "investigating",
        "identified",
        "monitoring",
        "resolved",
    ]

    search = entries[
        "2025-03-10-search-latency.md"
    ]  # no stamps: one update, closed at resolvedWhen
    assert search.impact.value == "major"
    assert [(u.status, u.at) for u in search.updates] == [
        ("investigating", utc("2025-03-10 14:05:00")),
        ("resolved", utc("2025-03-10 16:20:00")),
    ]
    assert search.updates[-1].message == CLOSING_MESSAGE

    login = entries["2025-04-01-login-outage.md"]
    assert dict(login.lifecycle)["started"] == utc("2025-04-01T21:58:00Z")
    assert login.updates[-1].at == utc("2025-04-01T23:30:45.500Z")
    assert (
        login.body.startswith("**Post-incident review**") and "Written up on 3 April" in login.body
    )
    assert "{{<" not in " ".join(u.message for u in login.updates)

    window = entries["2025-04-20-database-maintenance.md"]
    assert isinstance(window, Maintenance)
    assert (window.start, window.end) == (utc("2025-04-20 01:00:00"), utc("2025-04-20 03:00:00"))
    assert [u.status for u in window.updates] == ["scheduled", "in_progress", "completed"]

    post = entries["2025-05-05-new-status-page.md"]  # informational: history only
    assert post.impact.value == "none" and post.components == ()
    assert [u.status for u in post.updates] == ["resolved"]

    ongoing = entries["2025-05-18-api-rate-limits.md"]
    assert [u.status for u in ongoing.updates] == ["investigating", "identified"]

    dns = entries["2025-06-01-dns-propagation.md"]  # TOML front matter, +02:00 date
    assert dns.updates[0].at == utc("2025-06-01T08:15:00Z")
    assert [u.status for u in dns.updates] == ["investigating", "resolved"]  # "*Update*" closes it

    assert entries["2025-06-12-internal-test.md"].visibility.value == "internal"
    assert entries["2025-07-04-cdn-degradation.md"].components == ("image-cdn",)
    assert entries["2025-07-04-cdn-degradation.md"].updates[1].status == "monitoring"
    assert entries["2025-08-09-upcoming-maintenance.md"].impact.value == "none"
    assert entries["2025-09-01-queue-backlog.md"].title == "Order e-mails delayed: queue backlog"

    groups = {g.id: g.component_ids for g in corpus.groups}
    assert groups == {
        "storefront": ("checkout", "payments-api"),
        "platform": ("sign-in", "search", "database"),
    }
    loose = [c.id for c in corpus.components if not c.group_id]
    assert loose == ["dns", "public-api", "image-cdn"]  # the untitled category, then new ones
    assert corpus.component("payments-api").link == "https://developers.lumenfield.example/payments"


def test_titles_with_special_characters_survive(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    entries = imported_entries(imported(site))
    assert (
        entries["2025-04-01-login-outage.md"].title
        == "\"Sign-in\" outage #2 — 'EU' users: can't log in"
    )
    assert entries["2025-03-02-checkout-errors.md"].title == "Checkout: card payments failing"


def test_second_run_changes_nothing(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    target = imported(site)
    before = snapshot(target)
    again = run_import(site, "--content-dir", target)
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 12 unchanged, 0 skipped, 0 conflicts." in again.output
    assert snapshot(target) == before


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    target = tmp_path / "out" / "content"
    result = run_import(site, "--content-dir", target, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written: 12 would be created" in result.output
    assert not target.exists() or not any(target.rglob("*"))


def test_unimportable_issues_are_skipped_with_reasons(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    issues = site / "content" / "issues"
    (issues / "2025-10-01-bad-severity.md").write_text(
        "---\ntitle: Odd\ndate: 2025-10-01 10:00:00\nseverity: sev1\n---\nText.\n", encoding="utf-8"
    )
    (issues / "2025-10-02-bad-stamp.md").write_text(
        "---\ntitle: Odd stamp\ndate: 2025-10-02 10:00:00\nseverity: down\n---\n"
        '*Investigating* - Looking. {{< track "yesterday" >}}\n',
        encoding="utf-8",
    )
    (issues / "2025-10-03-no-front-matter.md").write_text("Just text.\n", encoding="utf-8")
    target = tmp_path / "out" / "content"
    result = run_import(site, "--content-dir", target)
    assert result.exit_code == 1
    assert "12 created, 0 updated, 0 unchanged, 3 skipped" in result.output
    assert "content/issues/2025-10-01-bad-severity.md: unknown severity 'sev1'" in result.output
    assert (
        "content/issues/2025-10-02-bad-stamp.md: update time 'yesterday' is not a time"
        in result.output
    )
    assert "content/issues/2025-10-03-no-front-matter.md: it has no front matter" in result.output
    load(target)


def test_times_without_zone_follow_the_hugo_time_zone(tmp_path: Path) -> None:
    site = tmp_path / "cstate"
    (site / "content" / "issues").mkdir(parents=True)
    (site / "config.yml").write_text(
        "timeZone: Europe/Berlin\nparams:\n  systems:\n    - name: API\n", encoding="utf-8"
    )
    (site / "content" / "issues" / "2025-01-15-api.md").write_text(
        "---\ntitle: API down\ndate: 2025-01-15 10:00:00\nresolved: true\n"
        "resolvedWhen: 2025-01-15 11:00:00\nseverity: down\naffected: [API]\n---\n"
        '*Resolved* - Back. {{< track "2025-01-15 11:00:00" >}}\n\n'
        '*Investigating* - Down. {{< track "2025-01-15T10:00:00+01:00" >}}\n',
        encoding="utf-8",
    )
    entries = imported_entries(imported(site))
    updates = entries["2025-01-15-api.md"].updates
    assert [u.at for u in updates] == [utc("2025-01-15T09:00:00Z"), utc("2025-01-15T10:00:00Z")]


# --- merging into an existing site ------------------------------------------------------------


def new_site(root: Path) -> Path:
    write_site(
        root, name="Lumenfield Status", bare=True, now=datetime(2026, 1, 5, tzinfo=timezone.utc)
    )
    return root


def test_merges_into_a_new_site_keeping_its_components_and_comments(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    root = new_site(tmp_path / "status")
    original = (root / "content" / "components.yml").read_text(encoding="utf-8")
    result = run_import(site, "-f", root / "mkdocs.yml")
    assert result.exit_code == 0, result.output
    assert "updated  content/components.yml" in result.output
    merged = (root / "content" / "components.yml").read_text(encoding="utf-8")
    for line in original.splitlines():  # every existing line, comments included, is kept
        assert line in merged
    corpus = load(root / "content")
    groups = {g.id: g.component_ids for g in corpus.groups}
    assert list(groups) == ["product", "storefront", "platform"]  # theirs first, then ours
    assert groups["product"] == ("website", "api")
    loose = [c.id for c in corpus.components if not c.group_id]
    assert loose == ["notifications", "dns", "public-api", "image-cdn"]
    check_nothing_lost(site, root / "content")
    again = run_import(site, "-f", root / "mkdocs.yml")
    assert again.exit_code == 0 and "0 created, 0 updated, 12 unchanged" in again.output


def test_a_differing_component_is_a_conflict_not_an_overwrite(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    target = tmp_path / "out" / "content"
    target.mkdir(parents=True)
    existing = "components:\n  - id: search\n    name: Site search  # ours\n"
    (target / "components.yml").write_text(existing, encoding="utf-8")
    result = run_import(site, "--content-dir", target)
    assert result.exit_code == 1
    assert (
        "component 'search' differs: name 'Site search' here, 'Search' in the source"
        in result.output
    )
    text = (target / "components.yml").read_text(encoding="utf-8")
    assert text.startswith(existing)  # kept, comment and all; new components added after it
    assert load(target).component("search").name == "Site search"

    forced = run_import(site, "--content-dir", target, "--overwrite")
    assert forced.exit_code == 0, forced.output
    assert load(target).component("search").name == "Search"


def test_an_edited_import_is_kept_unless_overwrite(tmp_path: Path) -> None:
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    target = imported(site)
    path = next(target.rglob("2025-03-02-checkout-errors.md"))
    edited = path.read_text(encoding="utf-8").replace("impact: critical", "impact: major")
    path.write_text(edited, encoding="utf-8")
    result = run_import(site, "--content-dir", target)
    assert result.exit_code == 1
    assert "2025-03-02-checkout-errors.md: differs from what content/issues/" in result.output
    assert path.read_text(encoding="utf-8") == edited
    restored = run_import(site, "--content-dir", target, "--overwrite")
    assert restored.exit_code == 0 and "impact: critical" in path.read_text(encoding="utf-8")


def test_reimporting_an_edited_source_updates_the_same_file(tmp_path: Path) -> None:
    """A re-import finds earlier files by their source, whatever else changed."""
    site = shutil.copytree(FIXTURE, tmp_path / "cstate")
    target = imported(site)
    issue = site / "content" / "issues" / "2025-03-10-search-latency.md"
    issue.write_text(
        issue.read_text(encoding="utf-8").replace("Slow search results", "Search slow")
    )
    result = run_import(site, "--content-dir", target, "--overwrite")
    assert result.exit_code == 0, result.output
    assert "updated  content/incidents/2025/2025-03-10-search-latency.md" in result.output
    assert len(list(target.rglob("*search*.md"))) == 1
    issue.unlink()  # gone from the source: the imported file stays, and the report says so
    result = run_import(site, "--content-dir", target)
    assert result.exit_code == 0, result.output
    assert (
        "content/incidents/2025/2025-03-10-search-latency.md: imported before from "
        "2025-03-10-search-latency.md, which is no longer in the source"
    ) in result.output
    assert len(list(target.rglob("*search*.md"))) == 1


# --- other inputs --------------------------------------------------------------------------------


@pytest.mark.skipif(not GEN_CORPUS.is_file(), reason="the shared benchmark kit is not here")
def test_generated_corpus_of_200(tmp_path: Path) -> None:
    site = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(GEN_CORPUS), "--format", "cstate", "--n", "200", "--out", str(site)],
        check=True,
        capture_output=True,
    )
    target = tmp_path / "out" / "content"
    result = run_import(site, "--content-dir", target, "-q")
    assert result.exit_code == 0, result.output
    assert "201 created, 0 updated, 0 unchanged, 0 skipped, 0 conflicts." in result.output
    assert "Not mapped" not in result.output  # the generator writes nothing we cannot map
    entries = check_nothing_lost(site, target)
    assert len(entries) == 200
    source = source_issues(site)
    notices = [n for n, s in source.items() if s["front"]["severity"] == "notice"]
    assert sorted(n for n, e in entries.items() if isinstance(e, Maintenance)) == sorted(notices)
    for name, entry in entries.items():  # each label became that status, oldest first
        labels = re.findall(r"^\*([A-Za-z ]+)\* - ", source_issue_body(site, name), re.M)[::-1]
        statuses = [u.status for u in entry.updates]
        assert statuses == [label.lower().replace(" ", "_") for label in labels], name
    open_ones = [
        n
        for n, e in entries.items()
        if isinstance(e, Incident) and e.updates[-1].status != "resolved"
    ]
    assert open_ones == [n for n, s in source.items() if s["front"].get("resolved") is False]
    again = run_import(site, "--content-dir", target, "-q")
    assert "0 created, 0 updated, 201 unchanged" in again.output


def source_issue_body(site: Path, name: str) -> str:
    return (site / "content" / "issues" / name).read_text(encoding="utf-8").split("---\n", 2)[2]


@pytest.mark.skipif(not EXAMPLE_SITE.is_dir(), reason="cState's example site is not here")
def test_cstate_example_site(tmp_path: Path) -> None:
    """cState's own example content, inconsistent dates included, imports completely."""
    target = tmp_path / "out" / "content"
    result = run_import(EXAMPLE_SITE, "--content-dir", target)
    assert result.exit_code == 0, result.output
    entries = check_nothing_lost(EXAMPLE_SITE, target)
    assert len(entries) == 11
    assert "date 2018-04-25T04:13:00Z does not fit the update times" in result.output


# --- the YAML writer ---------------------------------------------------------------------------

NASTY = [
    "Checkout: card payments failing",
    "# not a comment",
    "a #b c",
    "'single' and \"double\" quotes",
    "- looks like a list",
    "* looks like an alias",
    "&anchor",
    "!tag value",
    "{flow}: [x]",
    "null",
    "~",
    "true",
    "no",
    "10:30",
    "2026-03-14",
    "0x1F",
    "@at",
    "`tick`",
    "%percent",
    "trailing space ",
    " leading space",
    "line one\nline two",
    "  indented first line\nsecond",
    "ends with newline\n",
    "tab\tinside",
    "\ttab first",
    "backslash \\ and \\n literal",
    "unicode — «quotes» ✓ 🚀",
    "control \x07 bell and \x1b escape",
    "line separator \u2028 and next line \x85 here",
    "bom \ufeff inside",
    "carriage\rreturn",
    "crlf\r\nline",
    "---",
    "...",
    "a\n---\nb",
    ": colon first",
    "question? mark",
    "? key",
    "| pipe",
    "> greater",
    "",
]


def test_yaml_writer_round_trip() -> None:
    """Every string, however odd, reads back exactly through Statusbook's own reader."""
    rng = random.Random(20251123)
    alphabet = list("aZ09 :#'\"-*&!{}[],|>%@`?\\\n\t\r\x00\x07\u2028\x85\ufeffé—🚀")
    samples = NASTY + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(400)
    ]
    for value in samples:
        fields = [
            ("title", value),
            ("components", [value]),
            ("updates", [[("at", "x"), ("message", value), ("components", {"api": value})]]),
            ("notes", value),
        ]
        text = markdown_file("# statusbook import test: key", fields, "")
        doc = parse_markdown("x.md", text.encode("utf-8"))
        assert doc.findings == [], (value, text)
        assert doc.data == plain_values(fields), (value, text)
