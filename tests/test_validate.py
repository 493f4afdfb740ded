"""`statusbook validate` on tiny content trees: one test per kind of error.

Each case writes components.yml plus one bad file and checks the finding's message, line,
column (where stable) and the exit code, through the command line as a user runs it.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import COMPONENTS_YML, FIXTURES, VALID_INCIDENT, validate, write_site

INCIDENT = "content/incidents/2026/2026-03-14-api-errors.md"
MAINTENANCE = "content/maintenance/2026-03-20-db-upgrade.md"
POSTMORTEM = "content/postmortems/2026-03-14-api-errors.md"

#: `path:line[:col]: severity: message` as printed by the text format.
FINDING = re.compile(
    r"^(?P<path>.+?)(?::(?P<line>\d+))?(?::(?P<col>\d+))?: "
    r"(?P<severity>error|warning): (?P<message>.*)$"
)


def findings(result, severity: str = "error") -> list[dict]:
    """The text-format findings (on stderr) of one severity, each with the hint below it."""
    out: list[dict] = []
    current: dict | None = None
    for line in result.stderr.splitlines():
        match = FINDING.match(line)
        if match:
            current = match.groupdict()
            current["line"] = int(current["line"] or 0)
            current["col"] = int(current["col"] or 0)
            current["hint"] = ""
            out.append(current)
        elif line.startswith("    hint: ") and current is not None:
            current["hint"] = line[len("    hint: ") :]
    return [f for f in out if f["severity"] == severity]


def only_finding(tmp_path, files, **site_options) -> dict:
    """Validate a tree that must produce exactly one error; returns it."""
    site = write_site(tmp_path, files, **site_options)
    result = validate(site)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    found = findings(result)
    assert len(found) == 1, result.stderr
    assert re.search(r"^1 error(, \d+ warnings?)? in 1 file$", result.stderr, re.M), result.stderr
    return found[0]


# Each case: files to write, then the expected (path, line, col, message part, hint part).
# Line and column 0 mean "the whole file" (and are then left out of the printed location).
CASES = {
    "frontmatter-not-a-mapping": (
        {INCIDENT: "---\n- title\n- impact\n---\nBody.\n"},
        (INCIDENT, 2, 1, "frontmatter is not a mapping of fields", "name: value"),
    ),
    "missing-frontmatter": (
        {INCIDENT: "# API errors\n\nWe are looking into it.\n"},
        (
            INCIDENT,
            1,
            1,
            "file does not start with a frontmatter block",
            "begin the file with a line '---'",
        ),
    ),
    "unclosed-frontmatter": (
        {INCIDENT: "---\ntitle: API errors\nimpact: major\n\nBody.\n"},
        (INCIDENT, 1, 1, "frontmatter block is never closed", "add a line '---'"),
    ),
    "missing-required-field": (
        {INCIDENT: VALID_INCIDENT.replace("impact: major\n", "")},
        (INCIDENT, 2, 1, "missing required field 'impact'", "add 'impact:'"),
    ),
    "unknown-field-did-you-mean": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "components: [api]\n", "components: [api]\nvisibilty: internal\n"
            )
        },
        (INCIDENT, 5, 1, "unknown field 'visibilty'", "did you mean 'visibility'?"),
    ),
    "unknown-component-did-you-mean": (
        {INCIDENT: VALID_INCIDENT.replace("components: [api]", "components: [api, dashbord]")},
        (INCIDENT, 4, 19, "unknown component 'dashbord'", "did you mean 'dashboard'?"),
    ),
    "bad-enum-impact": (
        {INCIDENT: VALID_INCIDENT.replace("impact: major", "impact: huge")},
        (
            INCIDENT,
            3,
            9,
            "'impact' is 'huge', which is not allowed",
            "expected one of: none, minor, major, critical",
        ),
    ),
    "bad-enum-impact-did-you-mean": (
        {INCIDENT: VALID_INCIDENT.replace("impact: major", "impact: majr")},
        (INCIDENT, 3, 9, "'impact' is 'majr', which is not allowed", "did you mean 'major'?"),
    ),
    "impossible-date-in-timestamp": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "components: [api]\n", "components: [api]\nstarted: 2026-02-30T09:00:00Z\n"
            )
        },
        (
            INCIDENT,
            5,
            10,
            "'started' is '2026-02-30T09:00:00Z', not a valid time (day is out of range for month)",
            "",
        ),
    ),
    "impossible-date": (
        {
            "content/incidents/2026-03-14-api-errors.md": VALID_INCIDENT,
            POSTMORTEM: "---\ntitle: API errors\nincidents: [2026-03-14-api-errors]\n"
            "status: published\ndate: 2026-02-30\n---\nText.\n",
        },
        (POSTMORTEM, 5, 7, "'date' is '2026-02-30', not a valid date", "YYYY-MM-DD"),
    ),
    "timestamp-without-timezone": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "components: [api]\n", "components: [api]\nstarted: 2026-03-14T09:00:00\n"
            )
        },
        (
            INCIDENT,
            5,
            10,
            "'started' is '2026-03-14T09:00:00', a time without a timezone",
            "add Z for UTC",
        ),
    ),
    "updates-out-of-order": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "    message: We are looking into it.\n",
                "    message: We are looking into it.\n"
                "  - at: 2026-03-14T09:05:00+00:00\n"
                "    status: identified\n"
                "    message: Found it.\n",
            )
        },
        (
            INCIDENT,
            9,
            9,
            "update 2 (2026-03-14 09:05 UTC) is earlier than the update before it"
            " (2026-03-14 09:10 UTC)",
            "list updates oldest first",
        ),
    ),
    "resolved-time-but-last-update-not-resolved": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "components: [api]\n", "components: [api]\nresolved: 2026-03-14T10:00:00Z\n"
            )
        },
        (
            INCIDENT,
            5,
            1,
            "the incident has a 'resolved' time but its last update is 'investigating'",
            "add a final update with status: resolved",
        ),
    ),
    "lifecycle-out-of-order": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "components: [api]\n",
                "components: [api]\nstarted: 2026-03-14T09:00:00Z\n"
                "detected: 2026-03-14T08:55:00Z\n",
            )
        },
        (
            INCIDENT,
            6,
            11,
            "'detected' (2026-03-14 08:55 UTC) is earlier than 'started' (2026-03-14 09:00 UTC)",
            "started <= detected",
        ),
    ),
    "update-changes-unlisted-component": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "    message: We are looking into it.\n",
                "    message: We are looking into it.\n    components:\n"
                "      dashboard: partial_outage\n",
            )
        },
        (
            INCIDENT,
            10,
            7,
            "update 1 changes component 'dashboard', which the incident does not list",
            "add 'dashboard' to the incident's 'components:'",
        ),
    ),
    "update-component-status-not-allowed": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "    message: We are looking into it.\n",
                "    message: We are looking into it.\n    components:\n"
                "      api: under_maintenance\n",
            )
        },
        (
            INCIDENT,
            10,
            12,
            "'updates.1.components.api' is 'under_maintenance', which is not allowed",
            "expected one of: operational, degraded_performance, partial_outage, major_outage",
        ),
    ),
    "next-update-not-after-update": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "    message: We are looking into it.\n",
                "    message: We are looking into it.\n    next_update: 2026-03-14T09:00:00Z\n",
            )
        },
        (
            INCIDENT,
            9,
            18,
            "next_update (2026-03-14 09:00 UTC) is not after the update itself",
            "promise a time after 'at'",
        ),
    ),
    "unknown-field-in-update": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "    message: We are looking into it.\n",
                "    message: We are looking into it.\n    nextupdate: 2026-03-14T10:00:00Z\n",
            )
        },
        (INCIDENT, 9, 5, "unknown field 'nextupdate' in updates.1", "did you mean 'next_update'?"),
    ),
    "severity-outside-site-scheme": (
        {INCIDENT: VALID_INCIDENT.replace("impact: major\n", "impact: major\nseverity: P1\n")},
        (
            INCIDENT,
            4,
            11,
            "'severity' is 'P1', which is not allowed",
            "expected one of: SEV1, SEV2, SEV3, SEV4",
        ),
    ),
    "empty-title": (
        {INCIDENT: VALID_INCIDENT.replace("title: API errors", "title:")},
        (INCIDENT, 2, 7, "'title' is empty", "give it a value"),
    ),
    "null-title": (
        {INCIDENT: VALID_INCIDENT.replace("title: API errors", "title: null")},
        (
            INCIDENT,
            2,
            8,
            "'title' is null, which YAML reads as no value",
            'or quote it, e.g. title: "null", if you meant the word',
        ),
    ),
    "tilde-component-in-list": (
        {INCIDENT: VALID_INCIDENT.replace("components: [api]", "components: [~]")},
        (
            INCIDENT,
            4,
            14,
            "item 1 of 'components' is ~, which YAML reads as no value",
            "write a component id there, or remove the item",
        ),
    ),
    "duplicate-component-id-in-components-yml": (
        {"content/components.yml": COMPONENTS_YML + "  - id: api\n    name: Another API\n"},
        (
            "content/components.yml",
            12,
            9,
            "id 'api' is used twice (first on line 5)",
            "give each its own id",
        ),
    ),
    "duplicate-yaml-key": (
        {
            INCIDENT: VALID_INCIDENT.replace(
                "impact: major\n", "impact: major\ntitle: API errors again\n"
            )
        },
        (INCIDENT, 4, 1, "field 'title' appears twice (first on line 2)", "keep one of them"),
    ),
    "maintenance-ends-before-it-starts": (
        {
            MAINTENANCE: "---\ntitle: Database upgrade\ncomponents: [api]\n"
            "start: 2026-03-20T02:00:00Z\nend: 2026-03-20T01:00:00Z\n---\nText.\n"
        },
        (
            MAINTENANCE,
            5,
            6,
            "the window ends (2026-03-20 01:00 UTC) before it starts (2026-03-20 02:00 UTC)",
            "'end' must be later than 'start'",
        ),
    ),
    "duplicate-id-across-folders": (
        {
            INCIDENT: VALID_INCIDENT,
            "content/maintenance/2026-03-14-api-errors.md": "---\ntitle: Database upgrade\n"
            "components: [api]\nstart: 2026-03-20T02:00:00Z\nend: 2026-03-20T03:00:00Z\n---\n",
        },
        (
            "content/maintenance/2026-03-14-api-errors.md",
            0,
            0,
            "duplicate incident or maintenance id '2026-03-14-api-errors': "
            f"{INCIDENT} has the same file name",
            "rename one of the files",
        ),
    ),
    "duplicate-id-in-two-year-folders": (
        {
            INCIDENT: VALID_INCIDENT,
            "content/incidents/2027/2026-03-14-api-errors.md": VALID_INCIDENT,
        },
        (
            "content/incidents/2027/2026-03-14-api-errors.md",
            0,
            0,
            "duplicate incident or maintenance id '2026-03-14-api-errors': "
            f"{INCIDENT} has the same file name",
            "ids are file names",
        ),
    ),
    "postmortem-names-missing-incident": (
        {
            INCIDENT: VALID_INCIDENT,
            POSTMORTEM: "---\ntitle: API errors\nincidents: [2026-03-14-api-eror]\n"
            "status: published\n---\nText.\n",
        },
        (
            POSTMORTEM,
            3,
            13,
            "postmortem names incident '2026-03-14-api-eror', which does not exist",
            "did you mean '2026-03-14-api-errors'?",
        ),
    ),
    "empty-file": (
        {INCIDENT: "\n  \n"},
        (INCIDENT, 0, 0, "file is empty", "add the frontmatter"),
    ),
    "binary-file": (
        {INCIDENT: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"},
        (INCIDENT, 0, 0, "file is binary, not text", "Markdown and YAML files only"),
    ),
    "non-utf8-file": (
        {INCIDENT: VALID_INCIDENT.replace("API errors", "Caf\xe9 errors").encode("latin-1")},
        (INCIDENT, 2, 0, "file is not valid UTF-8 (byte 0xe9)", "save the file as UTF-8"),
    ),
    "file-over-1-mib": (
        {INCIDENT: VALID_INCIDENT + "x" * (1024 * 1024)},
        (
            INCIDENT,
            0,
            0,
            "file is 1.0 MiB, more than the 1 MiB a content file may have",
            "split it",
        ),
    ),
    "non-markdown-file-in-incidents": (
        {INCIDENT: VALID_INCIDENT, "content/incidents/2026/notes.txt": "remember to resolve\n"},
        (
            "content/incidents/2026/notes.txt",
            0,
            0,
            "'notes.txt' is not a Markdown file, so it is not read",
            "one .md file per entry",
        ),
    ),
    "unknown-top-level-entry": (
        {"content/incident/2026-03-14-api-errors.md": VALID_INCIDENT},
        (
            "content/incident",
            0,
            0,
            "'incident' is not part of the content layout",
            "did you mean 'incidents'?",
        ),
    ),
    "components-yaml-spelling": (
        {"content/components.yaml": "components: []\n"},
        (
            "content/components.yaml",
            0,
            0,
            "'components.yaml' is not part of the content layout",
            "rename it to components.yml",
        ),
    ),
    "file-name-not-an-id": (
        {"content/incidents/2026-03-14 API Errors.md": VALID_INCIDENT},
        (
            "content/incidents/2026-03-14 API Errors.md",
            0,
            0,
            "file name '2026-03-14 API Errors.md' does not make a valid id",
            "rename it to '2026-03-14-api-errors.md'",
        ),
    ),
}


@pytest.mark.parametrize(("files", "expected"), list(CASES.values()), ids=list(CASES))
def test_each_error_kind_is_reported_with_file_line_and_hint(tmp_path, files, expected):
    path, line, col, message, hint = expected
    found = only_finding(tmp_path, files)
    assert (found["path"], found["line"], found["col"]) == (path, line, col), found
    assert message in found["message"]
    assert hint in found["hint"]


def test_a_duplicate_id_is_reported_once_however_often_the_cache_serves_the_file(tmp_path):
    """The checked files a cache keeps are shared, not copied: the duplicate, which depends
    on the other files, must not stick to the cached document (under `serve`, every rebuild
    would add one more) nor go missing when both files come from the cache."""
    from statusbook.cache.site_cache import SiteCache
    from statusbook.cli.common import statusbook_options
    from statusbook.content import load as content

    files, expected = CASES["duplicate-id-in-two-year-folders"]
    site = write_site(tmp_path, files)
    kept = SiteCache(site, enabled=False)  # serve's: in memory, across rebuilds
    for _ in range(3):
        result = content.load_configured(
            site, statusbook_options(site / "mkdocs.yml"), site_cache=kept
        )
        duplicates = [f for f in result.findings if "duplicate" in f.message]
        assert [(f.path, f.message) for f in duplicates] == [(expected[0], duplicates[0].message)]
        assert expected[3] in duplicates[0].message
    assert validate(site).exit_code == 1 and validate(site).stderr.count("duplicate") == 1


@pytest.mark.parametrize(
    ("old", "new", "line", "message", "hint"),
    [
        (
            "title: API errors",
            "title: API: errors",
            2,
            "mapping values are not allowed",
            "must be quoted",
        ),
        ("    status: investigating", "\tstatus: investigating", 7, "tab character", "never tabs"),
        (
            "  - at: 2026-03-14T09:10:00Z",
            "  - at: 2026-03-14T09:10:00Z\n   oops: x",
            7,
            "expected '-' indicator",
            "",
        ),
    ],
    ids=["unquoted-colon", "tab-indent", "bad-indentation"],
)
def test_yaml_syntax_error_names_the_bad_line(tmp_path, old, new, line, message, hint):
    found = only_finding(tmp_path, {INCIDENT: VALID_INCIDENT.replace(old, new)})
    assert found["line"] == line, found
    assert found["message"].startswith("YAML syntax error: ")
    assert message in found["message"]
    assert hint in found["hint"]


def test_yaml_syntax_error_in_components_yml_names_its_line(tmp_path):
    broken = (
        "groups:\n  - id: core\n    name: Core\n    components:\n      - id: api\n      name: API\n"
    )
    found = only_finding(tmp_path, {}, components=broken)
    assert found["path"] == "content/components.yml"
    assert found["line"] == 6
    assert found["message"].startswith("YAML syntax error")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("status: investigating", "status: investigatin", "'updates.1.status' is 'investigatin'"),
        (
            "    message: We are looking into it.\n",
            "",
            "missing required field 'message' in updates.1",
        ),
        (
            "2026-03-14T09:10:00Z",
            "2026-03-14 09:10",
            "'updates.1.at' is '2026-03-14 09:10', a time without a timezone",
        ),
        (
            "2026-03-14T09:10:00Z",
            "2026-02-30T09:10:00Z",
            "'updates.1.at' is '2026-02-30T09:10:00Z', not a valid time",
        ),
    ],
    ids=["bad-status", "missing-message", "timestamp-without-timezone", "impossible-date"],
)
def test_one_broken_update_gives_one_error_not_also_updates_is_empty(tmp_path, old, new, message):
    """The update list is not empty: one of its entries is wrong, and that is the one error."""
    found = only_finding(tmp_path, {INCIDENT: VALID_INCIDENT.replace(old, new)})
    assert message in found["message"]


def test_broken_last_update_does_not_also_blame_the_resolved_time(tmp_path):
    """Only the update's timestamp is wrong; its status is 'resolved' as 'resolved:' requires."""
    text = VALID_INCIDENT.replace(
        "components: [api]\n", "components: [api]\nresolved: 2026-03-14T10:00:00Z\n"
    ).replace(
        "    message: We are looking into it.\n",
        "    message: We are looking into it.\n"
        "  - at: 2026-03-14T10:00:00\n    status: resolved\n    message: Fixed.\n",
    )
    found = only_finding(tmp_path, {INCIDENT: text})
    assert (found["line"], found["col"]) == (10, 9)
    assert "a time without a timezone" in found["message"]


def test_valid_resolved_incident_passes(tmp_path):
    text = VALID_INCIDENT.replace(
        "components: [api]\n", "components: [api]\nresolved: 2026-03-14T10:00:00Z\n"
    ).replace(
        "    message: We are looking into it.\n",
        "    message: We are looking into it.\n"
        "  - at: 2026-03-14T10:00:00Z\n    status: resolved\n    message: Fixed.\n",
    )
    result = validate(write_site(tmp_path, {INCIDENT: text}))
    assert result.exit_code == 0, result.output


def test_unknown_component_in_components_yml_reference_lists_known_ids(tmp_path):
    """With no near miss, the hint lists what exists instead of guessing."""
    found = only_finding(
        tmp_path,
        {INCIDENT: VALID_INCIDENT.replace("components: [api]", "components: [zzz-nothing]")},
    )
    assert found["message"] == "unknown component 'zzz-nothing'"
    assert "expected one of: api, billing, dashboard" in found["hint"]


def test_missing_components_yml_is_an_error(tmp_path):
    found = only_finding(tmp_path, {}, components=None)
    assert (found["path"], found["line"]) == ("content/components.yml", 0)
    assert found["message"] == "components.yml not found"


def test_all_errors_of_a_run_are_reported_together(tmp_path):
    site = write_site(
        tmp_path,
        {
            INCIDENT: VALID_INCIDENT.replace("impact: major", "impact: huge"),
            MAINTENANCE: "---\ntitle: Database upgrade\ncomponents: [apii]\n"
            "start: 2026-03-20T02:00:00Z\nend: 2026-03-20T03:00:00\n---\n",
        },
    )
    result = validate(site)
    assert result.exit_code == 1
    found = findings(result)
    where = sorted((f["path"], f["line"]) for f in found)
    assert where == [(INCIDENT, 3), (MAINTENANCE, 3), (MAINTENANCE, 5)]
    assert "3 errors in 2 files" in result.stderr


def test_exit_code_is_1_and_nothing_is_written_to_stdout_in_text_format(tmp_path):
    site = write_site(tmp_path, {INCIDENT: VALID_INCIDENT.replace("impact: major", "impact: huge")})
    result = validate(site)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{INCIDENT}:3:9: error: 'impact' is 'huge', which is not allowed" in result.stderr


def test_github_format_prints_workflow_annotations(tmp_path):
    site = write_site(
        tmp_path,
        {
            INCIDENT: VALID_INCIDENT.replace("impact: major", "impact: huge"),
            "content/incidents/2026/notes.txt": "x\n",
        },
    )
    result = validate(site, "--format", "github")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(lines) == 2, result.output
    assert lines[0] == (
        "::error file=content/incidents/2026/2026-03-14-api-errors.md,line=3,col=9::"
        "'impact' is 'huge', which is not allowed "
        "(hint: expected one of: none, minor, major, critical)"
    )
    # A whole-file finding has no line property.
    assert lines[1].startswith("::error file=content/incidents/2026/notes.txt::")


def test_json_format_is_machine_readable(tmp_path):
    site = write_site(
        tmp_path,
        {INCIDENT: VALID_INCIDENT.replace("components: [api]", "components: [api, dashbord]")},
    )
    result = validate(site, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 1
    item = data[0]
    assert {"path", "line", "col", "message", "hint"} <= set(item)
    assert item["path"] == INCIDENT
    assert (item["line"], item["col"]) == (4, 19)
    assert item["message"] == "unknown component 'dashbord'"
    assert item["hint"].startswith("did you mean 'dashboard'?")


def test_json_format_on_valid_content_is_an_empty_list(tmp_path):
    result = validate(write_site(tmp_path, {INCIDENT: VALID_INCIDENT}), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_valid_tree_exits_0_and_counts_what_it_read(tmp_path):
    site = write_site(
        tmp_path,
        {
            INCIDENT: VALID_INCIDENT,
            MAINTENANCE: "---\ntitle: Database upgrade\ncomponents: [api, billing]\n"
            "start: 2026-03-20T02:00:00Z\nend: 2026-03-20T04:00:00+01:00\n---\n",
            POSTMORTEM: "---\ntitle: API errors\nincidents: [2026-03-14-api-errors]\n"
            "status: draft\n---\nText.\n",
        },
    )
    result = validate(site)
    assert result.exit_code == 0, result.output
    assert "OK: 3 components, 1 incident, 1 maintenance window, 1 postmortem" in result.stderr


def test_crlf_and_bom_are_accepted(tmp_path):
    raw = ("\ufeff" + VALID_INCIDENT).replace("\n", "\r\n").encode("utf-8")
    result = validate(write_site(tmp_path, {INCIDENT: raw}))
    assert result.exit_code == 0, result.output


def test_line_numbers_count_from_the_top_of_the_file_not_the_frontmatter(tmp_path):
    """Frontmatter starts on line 2; a finding on its third field is on line 4 of the file."""
    text = VALID_INCIDENT.replace("components: [api]", "components: [nope-nope-nope]")
    found = only_finding(tmp_path, {INCIDENT: text})
    assert (found["line"], found["col"]) == (4, 14)


def test_fixture_site_is_valid_without_warnings():
    """The build tests rely on the Pebblepost fixture being clean content."""
    # --no-cache: a test writes nothing into the source tree
    result = validate(FIXTURES / "pebblepost", "--no-cache")
    assert result.exit_code == 0, result.output
    assert (
        result.stderr.strip()
        == "OK: 4 components, 4 incidents, 1 maintenance window, 2 postmortems"
    )
