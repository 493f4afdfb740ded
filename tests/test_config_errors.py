"""mkdocs.yml problems reported like content problems (issue #17, part 4).

A YAML error, a key written twice, an unknown or mistyped statusbook option, or a MkDocs
validation error is `mkdocs.yml:LINE:COL: error: ...` with a hint in the text format, a
`::error file=mkdocs.yml,line=..,col=..::` annotation in the github format and a finding in
json; exit 1, no traceback, and the previous site left byte for byte as it was. Each case runs
through the real command line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import COMPONENTS_YML, NOW, differences, run_cli, snapshot, write_site

# Line numbers below are this file's lines; it uses the tags real sites use (!ENV, and
# !!python/name: for Material's emoji extension), which must keep working.
MKDOCS = """\
site_name: Test Status
docs_dir: pages
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
site_url: !ENV [STATUSBOOK_TEST_SITE_URL, "https://status.example.com/"]
plugins:
  - search
  - statusbook:
      timezone: UTC
      uptime_days: 90
"""
INCIDENT = """\
---
title: API errors
impact: minor
components: [api]
updates:
  - at: 2026-05-01T09:00:00Z
    status: resolved
    message: Fixed.
---
"""

SYNTAX_HINT = "a value containing ': ' must be quoted, e.g. title: \"API: errors\""

# (old, new) -> (line, col, message, hint). All of them are caught by `validate` too.
CASES = {
    "yaml-syntax-error": (
        ("  name: material\n", "  name: material: x\n"),
        (4, 17, "YAML syntax error: mapping values are not allowed here", SYNTAX_HINT),
    ),
    "unclosed-flow-list": (
        ("      timezone: UTC\n", "      timezone: [UTC\n"),
        (
            14,
            18,  # where the parser noticed: the next line's ':'
            "YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence)",
            "check the indentation and quoting on this line and the one above",
        ),
    ),
    "duplicate-key": (
        ("docs_dir: pages\n", "docs_dir: pages\nsite_name: Again\n"),
        (
            3,
            1,
            "'site_name' appears twice (first on line 1)",
            "keep one of them; MkDocs would silently use the last",
        ),
    ),
    "misspelled-plugin-option": (
        ("      timezone: UTC\n", "      timezon: UTC\n"),
        (
            13,
            7,
            "unknown option 'timezon' of the statusbook plugin",
            "did you mean 'timezone'?",
        ),
    ),
    "wrong-option-type": (
        ("      uptime_days: 90\n", "      uptime_days: ninety\n"),
        (
            14,
            20,
            "statusbook option 'uptime_days' must be a whole number, found 'ninety'",
            "write e.g. uptime_days: 90",
        ),
    ),
    "boolean-for-a-number": (
        ("      uptime_days: 90\n", "      uptime_days: true\n"),
        (
            14,
            20,
            "statusbook option 'uptime_days' must be a whole number, found true",
            "write e.g. uptime_days: 90",
        ),
    ),
    "number-in-a-list-of-text": (
        ("      uptime_days: 90\n", "      severities: [1, SEV2]\n"),
        (
            14,
            19,
            "statusbook option 'severities' must be a list of text, "
            "found a list with the number 1 in it",
            'write e.g. severities: [SEV1, SEV2, SEV3] (quote an item that reads as a number: "1")',
        ),
    ),
    "timezone-not-iana": (
        ("      timezone: UTC\n", "      timezone: Mars/Olympus\n"),
        (
            13,
            17,
            "statusbook option 'timezone' is 'Mars/Olympus', not an IANA timezone",
            "write an IANA name, e.g. timezone: Europe/Berlin, UTC or America/New_York",
        ),
    ),
    "now-without-timezone": (
        ("      timezone: UTC\n", "      timezone: UTC\n      now: 2026-11-23T10:00:00\n"),
        (
            14,
            12,
            "statusbook option 'now' must be an ISO 8601 time with a timezone, "
            "found '2026-11-23 10:00:00'",
            "write e.g. now: 2026-11-23T10:00:00Z",
        ),
    ),
    "python-tag-names-nothing": (
        ("emoji.to_svg\n", "emoji.to_nothing\n"),
        (
            8,
            24,
            "cannot read this value: cannot find 'to_nothing' in the module "
            "'material.extensions.emoji' (while constructing a Python object)",
            "check the tag (e.g. !ENV NAME, !!python/name:module.name) and that what it names "
            "exists",
        ),
    ),
}

# MkDocs' own checks: `validate` reads only the plugin's options (loading the theme and every
# plugin is a third of its time), so these are found by build and serve.
MKDOCS_CASES = {
    "unknown-theme": (
        ("  name: material\n", "  name: materail\n"),
        (
            4,
            9,
            "'theme': Unrecognised theme name: 'materail'. The available installed themes are: "
            "mkdocs, readthedocs, material",
            "see https://www.mkdocs.org/user-guide/configuration/#theme",
        ),
    ),
    "plugin-not-installed": (
        ("  - search\n", "  - serch\n"),
        (
            11,
            5,
            "'plugins': The \"serch\" plugin is not installed",
            "see https://www.mkdocs.org/user-guide/configuration/#plugins",
        ),
    ),
}


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A site built once from the valid mkdocs.yml: (site folder, built output)."""
    root = tmp_path_factory.mktemp("previous")
    site = write_site(
        root / "site",
        {"content/incidents/2026-05-01-api.md": INCIDENT},
        components=COMPONENTS_YML,
        mkdocs=MKDOCS,
    )
    out = root / "out"
    result = run_cli(["build", "-f", site / "mkdocs.yml", "-d", out, "--now", NOW, "-q"])
    assert result.exit_code == 0, result.output
    return site, out


@pytest.fixture
def broken(previous, tmp_path):
    """A copy of the built site whose mkdocs.yml the test breaks: (site, out, before)."""
    site, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(previous[0], site)
    shutil.copytree(previous[1], out)
    return site, out, snapshot(out)


def _break(site: Path, old: str, new: str) -> None:
    path = site / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _text(line: int, col: int, message: str, hint: str) -> list[str]:
    return [f"mkdocs.yml:{line}:{col}: error: {message}", f"    hint: {hint}"]


def _assert_clean_failure(result) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


@pytest.mark.parametrize(("change", "expected"), list(CASES.values()), ids=list(CASES))
def test_validate_reports_the_problem_at_its_line_in_every_format(broken, change, expected):
    site, _, _ = broken
    _break(site, *change)
    line, col, message, hint = expected
    config = site / "mkdocs.yml"

    text = run_cli(["validate", "-f", config])
    _assert_clean_failure(text)
    assert text.stderr.splitlines()[:2] == _text(*expected)
    assert text.stderr.splitlines()[-1] == (
        "1 error in 1 file; nothing else was checked, nothing was built"
    )

    github = run_cli(["validate", "-f", config, "--format", "github"])
    _assert_clean_failure(github)
    body = f"{message} (hint: {hint})".replace("%", "%25")
    assert github.stdout.splitlines() == [f"::error file=mkdocs.yml,line={line},col={col}::{body}"]

    as_json = run_cli(["validate", "-f", config, "--format", "json"])
    _assert_clean_failure(as_json)
    assert json.loads(as_json.stdout) == [
        {
            "path": "mkdocs.yml",
            "line": line,
            "col": col,
            "severity": "error",
            "message": message,
            "hint": hint,
        }
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [*CASES.values(), *MKDOCS_CASES.values()],
    ids=[*CASES, *MKDOCS_CASES],
)
def test_build_reports_the_problem_at_its_line_and_keeps_the_previous_site(
    broken, change, expected
):
    site, out, before = broken
    _break(site, *change)
    result = run_cli(["build", "-f", site / "mkdocs.yml", "-d", out, "--now", NOW, "-q"])
    _assert_clean_failure(result)
    assert result.stderr.splitlines()[:2] == _text(*expected)
    assert not differences(before, snapshot(out))
    assert not [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")]


def test_a_site_with_env_and_python_name_tags_still_builds(previous):
    site, out = previous
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "https://status.example.com/" in page


@pytest.mark.parametrize(
    ("change", "expected"),
    [CASES["yaml-syntax-error"], CASES["misspelled-plugin-option"], MKDOCS_CASES["unknown-theme"]],
    ids=["yaml-syntax-error", "misspelled-plugin-option", "unknown-theme"],
)
def test_serve_reports_the_problem_at_its_line_and_does_not_start(broken, change, expected):
    """In a real process: a serve that did start would run until the timeout."""
    site, _, _ = broken
    _break(site, *change)
    command = Path(sys.executable).parent / "statusbook"
    done = subprocess.run(
        [command, "serve", "-f", site / "mkdocs.yml", "-a", "127.0.0.1:0"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[:2] == _text(*expected)
