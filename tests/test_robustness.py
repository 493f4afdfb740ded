"""Whatever a contributor commits, Statusbook answers with a site or with a clean error naming
the file, never with a traceback; builds are reproducible; a failed build, early or late,
leaves the previous site exactly as it was.

Property-based (Hypothesis): content files made from a valid one by dropping, replacing and
adding fields with odd values, Markdown bodies with the constructs that trip parsers, and raw
bytes. The example database is off so that the tests write nothing into the working tree.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timezone
from pathlib import Path

import pytest
import yaml

from conftest import (
    COMPONENTS_YML,
    EXAMPLE_SITE,
    MINIMAL_MKDOCS,
    NOW,
    build,
    build_fixture,
    differences,
    run_cli,
    snapshot,
    unavailable,
    validate,
    write_site,
)

try:
    import hypothesis
except ImportError:
    unavailable("Hypothesis is not installed (a test extra)", module=True)
from hypothesis import HealthCheck, Phase, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

# Hypothesis caches character tables and constants under ./.hypothesis: keep the tree clean.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        / "statusbook-tests"
        / "hypothesis"
    )

PROPERTY = settings(
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=bool(os.environ.get("CI")),  # CI runs the same examples every time
)

# --- strategies --------------------------------------------------------------------------------

ODD_STRINGS = [
    "", " ", "~", "null", "no", "yes", "on", "10:30", "0x1F", "1e3", ".nan", "-.inf",
    "2026-03-14", "2026-03-14T09:10:00", "2026-03-14T09:10:00Z", "2026-03-14 09:10:00+01:00",
    "2026-02-30T09:10:00Z", "2026-03-14T25:00:00Z", "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00Z", "2026-03-14T09:10:00-23:59", "api", "dashboard", "billing", "API",
    "major", "critical", "resolved", "investigating", "internal", "public", "draft", "published",
    "partial_outage", "under_maintenance", "SEV1", "sev1", "<script>alert(1)</script>",
    "{{ 7*7 }}", "{% raw %}", "\u202e", "é", "日本語", "\t", "a\nb", "a" * 250, "- x", "[x",
    "*", "&anchor", "!!python/object:os.system", "? x", "|", ">", "'", '"', "#", "%", "@",
]  # fmt: skip
ODD_KEYS = [
    "title", "impact", "components", "updates", "at", "status", "message", "next_update",
    "severity", "visibility", "notes", "roles", "commander", "experts", "started", "detected",
    "acknowledged", "mitigated", "resolved", "start", "end", "incidents", "date", "summary",
    "tags", "action_items", "authors", "id", "name", "groups", "description", "link", "titel",
    "Title", "", "1",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.text(max_size=40),
    st.sampled_from(ODD_STRINGS),
    st.datetimes(timezones=st.sampled_from([timezone.utc, None])).map(lambda d: d.isoformat()),
    st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(ODD_KEYS) | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

MARKDOWN_BITS = [
    "\n", "\n\n", "# Heading\n", "## Summary\n", "- item\n", "1. item\n", "```\n", "```python\n",
    "~~~\n", "---\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "<div>\n", "</div>\n", "<!-- x -->",
    "<!-- internal -->\n", "<!-- /internal -->\n", "<script>alert(1)</script>", "{{ 7*7 }}",
    "{% raw %}", "[x](javascript:alert(1))", "![i](data:image/png;base64,AA)", "<img src=x>",
    "!!! note\n    text\n", "    indented\n", "\t", "\r\n", "\u202e", "\ufeff", "> quote\n", "*",
    "_", "`", "[^1]\n\n[^1]: note\n", "&amp;", "&#0;", "<", ">", "\\",
]  # fmt: skip
markdown = st.lists(
    st.one_of(st.sampled_from(MARKDOWN_BITS), st.text(max_size=20)), max_size=15
).map("".join)

VALID = {
    "incidents": {
        "title": "API errors",
        "impact": "major",
        "components": ["api"],
        "updates": [
            {
                "at": "2026-05-10T09:10:00Z",
                "status": "investigating",
                "message": "We are looking into it.",
                "components": {"api": "partial_outage"},
                "next_update": "2026-05-10T10:00:00Z",
            }
        ],
    },
    "maintenance": {
        "title": "Database upgrade",
        "components": ["api", "dashboard"],
        "start": "2026-05-20T02:00:00Z",
        "end": "2026-05-20T04:00:00Z",
        "updates": [{"at": "2026-05-09T12:00:00Z", "status": "scheduled", "message": "Planned."}],
    },
    "postmortems": {
        "title": "What happened",
        "incidents": ["2026-05-01-base"],
        "status": "published",
        "date": "2026-05-03",
        "summary": "One sentence.",
        "tags": ["database"],
    },
}

#: A valid base site the generated file is added to (or replaces components.yml of).
BASE_FILES = {
    "content/incidents/2026-05-01-base.md": """\
---
title: Base incident
impact: minor
components: [dashboard]
updates:
  - at: 2026-05-01T09:00:00Z
    status: investigating
    message: Slow.
  - at: 2026-05-01T10:00:00Z
    status: resolved
    message: Fine.
---
Body.
""",
}
BASE_MKDOCS = MINIMAL_MKDOCS.replace(
    "  - statusbook\n", "  - statusbook:\n      postmortem_sections: []\n"
)


@st.composite
def mutated_frontmatter(draw, kind: str) -> dict:
    data = json.loads(json.dumps(VALID[kind]))
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["drop", "replace", "add", "nested"]))
        keys = list(data)
        if action == "drop" and keys:
            data.pop(draw(st.sampled_from(keys)))
        elif action == "replace" and keys:
            data[draw(st.sampled_from(keys))] = draw(values)
        elif action == "add":
            data[draw(st.sampled_from(ODD_KEYS))] = draw(values)
        elif action == "nested" and isinstance(data.get("updates"), list) and data["updates"]:
            update = data["updates"][0]
            if isinstance(update, dict):
                update[draw(st.sampled_from(ODD_KEYS))] = draw(values)
    return data


@st.composite
def content_file(draw) -> tuple[str, bytes]:
    """(path relative to the site root, bytes) of one content file, valid or not."""
    kind = draw(st.sampled_from(["incidents", "maintenance", "postmortems", "components"]))
    if kind == "components":
        name = "content/components.yml"
        data = yaml.safe_load(COMPONENTS_YML)
        if draw(st.booleans()):
            data[draw(st.sampled_from(["groups", "components", *ODD_KEYS]))] = draw(values)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    else:
        stem = draw(
            st.sampled_from(["2026-05-10-generated", "2026-05-01-base", "Bad Name", "x", "-dash"])
            | st.text(alphabet="abcxyz-_. 09", min_size=1, max_size=12)
        )
        folder = "content/" + kind + ("/2026" if draw(st.booleans()) else "")
        name = f"{folder}/{stem}.md"
        front = yaml.safe_dump(draw(mutated_frontmatter(kind)), allow_unicode=True, sort_keys=False)
        text = f"---\n{front}---\n{draw(markdown)}"
    raw = text.encode("utf-8")
    how = draw(st.sampled_from(["as is", "as is", "truncate", "insert", "bytes", "no frontmatter"]))
    if how == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif how == "insert":
        at = draw(st.integers(0, len(raw)))
        raw = (
            raw[:at]
            + draw(st.sampled_from([b"\n", b":", b"-", b"\t", b"'", b"\xff", b"\x00", b"{"]))
            + raw[at:]
        )
    elif how == "bytes":
        raw = draw(st.binary(max_size=200))
    elif how == "no frontmatter":
        raw = draw(markdown).encode("utf-8")
    return name, raw


text_values = st.one_of(
    st.text(min_size=1, max_size=60),
    st.sampled_from(ODD_STRINGS),
    st.lists(st.sampled_from(MARKDOWN_BITS) | st.text(max_size=10), max_size=6).map("".join),
)


@st.composite
def renderable_file(draw) -> tuple[str, bytes]:
    """A file that is mostly valid: free text in every text field and in the body, so that
    a good share of examples get as far as rendering pages, feeds, badges and the API."""
    kind = draw(st.sampled_from(["incidents", "maintenance", "postmortems"]))
    data = json.loads(json.dumps(VALID[kind]))
    data["title"] = draw(text_values)
    if kind == "postmortems":
        data["summary"] = draw(text_values)
    else:
        data["updates"][0]["message"] = draw(text_values)
    if kind == "incidents" and draw(st.booleans()):
        data["updates"].append(
            {"at": "2026-05-10T11:00:00Z", "status": "resolved", "message": draw(text_values)}
        )
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"content/{kind}/2026-05-10-generated.md", f"---\n{front}---\n{draw(markdown)}".encode()


@contextmanager
def site_with(rel: str, raw: bytes):
    with tempfile.TemporaryDirectory(prefix="sb-prop-") as tmp:
        root = write_site(Path(tmp) / "site", BASE_FILES, mkdocs=BASE_MKDOCS)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        yield root


def _reported(output: str, rel: str) -> bool:
    return rel in output or (rel == "content/components.yml" and "content/" in output)


# --- never a traceback -------------------------------------------------------------------------


@settings(PROPERTY, max_examples=int(os.environ.get("STATUSBOOK_PROPERTY_EXAMPLES", "250")))
@given(content_file())
def test_loader_and_validate_never_crash_and_name_the_file(file):
    from statusbook import content

    rel, raw = file
    with site_with(rel, raw) as root:
        loaded = content.load(root / "content", root)  # must not raise
        for finding in loaded.findings:
            assert finding.path.startswith("content/"), finding
            assert finding.message.strip(), finding
        if loaded.corpus is None:
            assert loaded.errors
            assert any(_reported(f.path, rel) for f in loaded.errors), loaded.errors

        result = validate(root)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"validate raised {result.exception!r}"
        )
        assert "Traceback" not in result.output
        assert result.exit_code == (0 if loaded.corpus is not None else 1), result.output
        if result.exit_code:
            assert _reported(result.output, rel), result.output

        as_json = validate(root, "--format", "json")
        findings = json.loads(as_json.stdout)
        assert isinstance(findings, (list, dict))


@settings(
    PROPERTY,
    max_examples=int(os.environ.get("STATUSBOOK_PROPERTY_BUILDS", "25")),
    # A build takes about half a second: shrinking a failure would take minutes. The failing
    # example is reported as found.
    phases=[Phase.explicit, Phase.generate],
)
@given(st.one_of(renderable_file(), renderable_file(), content_file()))
# Found by this test: a control character passes validation and crashes the feed writer.
@example(
    (
        "content/incidents/2026-05-10-generated.md",
        b"---\ntitle: x\nimpact: major\ncomponents: [api]\nupdates:\n"
        b'  - at: 2026-05-10T09:10:00Z\n    status: investigating\n    message: "0\\x1F0"\n---\n',
    )
)
def test_build_gives_a_site_or_a_clean_error_naming_the_file(file):
    rel, raw = file
    with site_with(rel, raw) as root:
        valid = validate(root).exit_code == 0
        hypothesis.event("valid" if valid else "invalid")
        out = root.parent / "out"
        result = build(root, "-d", str(out), "--now", NOW, "-q")
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"build raised {result.exception!r}\n{result.output}"
        )
        assert "Traceback" not in result.output
        if valid:
            assert result.exit_code == 0, result.output
            assert (out / "index.html").is_file()
        else:
            assert result.exit_code == 1
            assert _reported(result.output, rel), result.output
            assert not out.exists(), "a failed first build left an output folder"
        assert not [p for p in root.parent.iterdir() if p.name.startswith(".out.")]


@pytest.mark.parametrize(
    "raw",
    [
        b"---\n" + b"a: [" * 5000 + b"\n---\n",  # deep nesting
        b"---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c, *c]\n---\n",
        b"---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n",
        b"\xef\xbb\xbf---\ntitle: BOM\n---\n",
        b"---\r\ntitle: CRLF\r\n---\r\n",
        b"---\ntitle: x\n",  # frontmatter never closed
        b"x" * (1024 * 1024 + 1),
        "---\ntitle: \ud800\n---\n".encode("utf-8", "surrogatepass"),
    ],
    ids=[
        "deep-nesting",
        "aliases",
        "python-tag",
        "bom",
        "crlf",
        "unclosed",
        "too-big",
        "surrogate",
    ],
)
def test_hostile_files_are_clean_errors(raw):
    rel = "content/incidents/2026-05-10-hostile.md"
    with site_with(rel, raw) as root:
        result = validate(root)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert "Traceback" not in result.output
        if result.exit_code:
            assert rel in result.output


CONTROL_INCIDENT = """\
---
title: {title}
impact: major
components: [api]
updates:
  - at: 2026-05-10T09:10:00Z
    status: investigating
    message: {message}
---
{body}
"""


@pytest.mark.parametrize(
    ("title", "message", "body"),
    [
        ('"unit\\x1fseparator"', "ok", "Body."),
        ("Title", '"vertical\\vtab"', "Body."),
        ("Title", '"escape \\e[31m red"', "Body."),
        ('"non\\ufffecharacter"', "ok", "Body."),
        ("Title", "ok", "form\x0cfeed and unit\x1fseparator in the body"),
    ],
    ids=["title-US", "message-VT", "message-ESC", "title-U+FFFE", "body-FF-US"],
)
def test_control_characters_give_a_clean_error_or_a_valid_site(tmp_path, title, message, body):
    """YAML's double-quoted escapes let any code point into a field; XML (feeds, sitemap,
    badges) and HTML forbid most control characters. Either the validator rejects them with
    the file's name, or the build succeeds and writes none of them."""
    rel = "content/incidents/2026-05-10-control.md"
    root = write_site(
        tmp_path / "site", {rel: CONTROL_INCIDENT.format(title=title, message=message, body=body)}
    )
    checked = validate(root)
    out = tmp_path / "out"
    result = build(root, "-d", str(out), "--now", NOW, "-q")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"validate said {checked.exit_code}, then the build raised {result.exception!r}"
    )
    if checked.exit_code:
        assert rel in checked.output and result.exit_code == 1
        return
    assert result.exit_code == 0, result.output
    bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
    written = [
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".xml", ".rss", ".atom", ".svg", ".json", ".ics")
        and bad.search(p.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not written, f"control characters written into {written}"


# --- the same input, the same bytes ------------------------------------------------------------

EXAMPLE_NOW = "2026-11-23T10:00:00Z"


def test_two_builds_of_the_example_are_byte_identical_across_every_file_type(tmp_path):
    """In-process, then in a subprocess with another hash seed, timezone and locale."""
    # A copy: both builds read the same content even if someone edits the tree meanwhile.
    example = tmp_path / "example"
    example.mkdir()
    for name in ("mkdocs.yml", "content", "pages", "overrides"):
        source = EXAMPLE_SITE / name
        if source.is_dir():
            shutil.copytree(source, example / name)
        elif source.is_file():
            shutil.copy2(source, example / name)
    first, second = tmp_path / "first", tmp_path / "second"
    result = build(example, "-d", str(first), "--now", EXAMPLE_NOW, "-q")
    assert result.exit_code == 0, result.output
    command = shutil.which("statusbook", path=str(Path(sys.executable).parent))
    assert command, "the statusbook command is not installed next to this Python"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("SOURCE_DATE_EPOCH", "STATUSBOOK_INTERNAL")
        },
        "PYTHONHASHSEED": "4242",
        "TZ": "Pacific/Chatham",
        "LC_ALL": "C.UTF-8",
    }
    time.sleep(1.1)  # a clock that leaked into the output would now differ
    done = subprocess.run(
        [command, "build", "-f", str(example / "mkdocs.yml"), "-d", str(second),
         "--now", EXAMPLE_NOW, "-q"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    a, b = snapshot(first), snapshot(second)
    types = {Path(rel).suffix or Path(rel).name for rel in a}
    for wanted in (".html", ".xml", ".gz", ".json", ".rss", ".atom", ".svg", ".ics", ".css", ".js"):
        assert wanted in types, f"no {wanted} file in the build: the comparison would miss it"
    different = differences(a, b)
    by_type: dict[str, list[str]] = {}
    for line in different:
        by_type.setdefault(Path(line.split(": ", 1)[1]).suffix, []).append(line)
    detail = ""
    if different:
        rel = different[0].split(": ", 1)[1]
        if rel in a and rel in b:
            x, y = a[rel].decode("utf-8", "replace"), b[rel].decode("utf-8", "replace")
            pairs = enumerate(zip(x, y, strict=False))
            at = next((i for i, (p, q) in pairs if p != q), min(len(x), len(y)))
            window = slice(max(at - 80, 0), at + 80)
            detail = f"\nfirst difference in {rel}:\n  {x[window]!r}\n  {y[window]!r}"
    assert not different, f"builds differ: {by_type}{detail}"


# --- a failed build leaves the previous site alone ---------------------------------------------


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def built(tmp_path):
    """A fixture site built once; returns (site, out, snapshot of out)."""
    site, out = build_fixture("pebblepost", tmp_path)
    return site, out, snapshot(out)


def test_strict_build_failing_at_the_end_leaves_the_previous_site(built):
    """MkDocs aborts a --strict build after writing every page: a real late failure."""
    site, out, before = built
    (site / "pages" / "about.md").write_text(
        "# About\n\n[broken](missing-page.md)\n", encoding="utf-8"
    )
    result = build(site, "-d", str(out), "--now", NOW, "-q", "--strict")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not differences(before, snapshot(out))
    assert not _leftovers(out)


def test_a_late_failure_in_the_generator_leaves_the_previous_site(built, monkeypatch):
    """Pages are written, then the feeds fail: nothing of the half-built site shows."""
    site, out, before = built
    import statusbook.plugin

    def broken(view):
        raise RuntimeError("simulated failure after the pages were written")

    monkeypatch.setattr(statusbook.plugin, "collect_files", broken)
    result = build(site, "-d", str(out), "--now", "2026-05-11T12:00:00Z", "-q")
    assert result.exit_code != 0
    assert not differences(before, snapshot(out))
    assert not _leftovers(out)


def test_an_interrupted_build_leaves_the_previous_site(built, monkeypatch):
    site, out, before = built
    import statusbook.plugin

    def interrupted(view):
        raise KeyboardInterrupt

    monkeypatch.setattr(statusbook.plugin, "collect_files", interrupted)
    result = build(site, "-d", str(out), "--now", "2026-05-11T12:00:00Z", "-q")
    assert result.exit_code != 0
    assert not differences(before, snapshot(out))
    assert not _leftovers(out)


def test_a_broken_override_template_leaves_the_previous_site(built):
    """A site's own overrides/statusbook/incident.html that fails while stamping pages."""
    site, out, before = built
    _break_incident_template(site)
    result = build(site, "-d", str(out), "--now", NOW, "-q")
    assert result.exit_code != 0
    assert not differences(before, snapshot(out))
    assert not _leftovers(out)


def test_a_broken_override_template_is_a_clean_error_naming_the_template(built):
    site, out, _ = built
    _break_incident_template(site)
    result = build(site, "-d", str(out), "--now", NOW, "-q")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"unhandled {result.exception!r}: a user's template error ends in a traceback"
    )
    assert "incident.html" in result.output


def _break_incident_template(site: Path) -> None:
    mkdocs = site / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    if "custom_dir" not in text:
        text = text.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n")
        mkdocs.write_text(text, encoding="utf-8")
    template = site / "overrides" / "statusbook" / "incident.html"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(
        "<h1>{{ incident.title }}</h1>{{ no_such_variable.field }}\n", encoding="utf-8"
    )


def test_a_failure_while_swapping_in_the_new_site_restores_the_old_one(built, monkeypatch):
    """The last step: the old site moves aside, the new one moves in. If the second move
    fails, the old site must be put back rather than left under a hidden name."""
    site, out, before = built
    real_rename = Path.rename

    def rename(self, target):
        if ".building-" in self.name:
            raise OSError("simulated: cannot move the new site in")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    result = build(site, "-d", str(out), "--now", "2026-05-11T12:00:00Z", "-q")
    monkeypatch.undo()
    assert result.exit_code != 0
    assert out.is_dir(), f"the site folder is gone; left beside it: {_leftovers(out)}"
    assert not differences(before, snapshot(out))
    assert not _leftovers(out)


def test_validate_and_build_refuse_a_missing_config_cleanly(tmp_path):
    for command in (["validate"], ["build", "-q"]):
        result = run_cli([*command, "-f", tmp_path / "nope" / "mkdocs.yml"])
        assert result.exit_code != 0
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "mkdocs.yml" in result.output


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("  font: false\n", "  font: false: no\n", "mkdocs.yml:"),
        ("      timezone: UTC\n", "      timezon: UTC\n", "mkdocs.yml:"),
    ],
    ids=["yaml-syntax", "misspelled-option"],
)
def test_a_broken_mkdocs_yml_is_a_located_error_and_leaves_the_previous_site(
    built, old, new, where
):
    """Bad input in mkdocs.yml, like bad content: a line, nothing built (#17)."""
    site, out, before = built
    mkdocs = site / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    assert old in text, text
    mkdocs.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = build(site, "-d", str(out), "--now", NOW, "-q")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert re.match(rf"{where}\d+:\d+: error: ", result.stderr), result.stderr
    assert not differences(before, snapshot(out))
    assert not _leftovers(out)
