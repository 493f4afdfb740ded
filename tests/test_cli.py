"""The `statusbook` command line: help, schema, init and clear errors instead of tracebacks."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import (
    EXAMPLE_SITE,
    FIXTURES,
    MINIMAL_MKDOCS,
    NOW,
    VALID_INCIDENT,
    build,
    run_cli,
    validate,
    write_site,
)
from statusbook.cli import main as main_module
from statusbook.cli.main import COMMANDS as COMMAND_TABLE
from statusbook.cli.main import main
from statusbook.content.frontmatter import parse_markdown, parse_yaml

COMMANDS = ["build", "serve", "validate", "schema", "init"]


# --- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_an_example(command):
    result = run_cli([command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert f"statusbook {command}" in result.output  # the example uses the command itself


def leaf_commands(group=main, prefix=()):
    """Every runnable command, as argument lists (sub-commands of groups included)."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*prefix, name))
        else:
            yield [*prefix, name]


def test_every_registered_command_has_an_example_in_its_help():
    """Commands added later follow the same rule as the five core ones."""
    missing = [
        " ".join(args)
        for args in leaf_commands()
        if "Example" not in run_cli([*args, "--help"]).output
    ]
    assert not missing
    assert {args[0] for args in leaf_commands()} >= set(COMMANDS)


def test_top_level_help_has_an_example_and_lists_commands():
    result = run_cli(["--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", result.output, re.M), command


def _modules_loaded(args: list[str]) -> list[str]:
    """The statusbook.cli modules a fresh interpreter has imported after `statusbook ARGS`."""
    probe = (
        "import sys\n"
        "from statusbook.cli.main import main\n"
        "try:\n"
        f"    main({args!r}, standalone_mode=False)\n"
        "finally:\n"
        "    print(sorted(m for m in sys.modules if m.startswith('statusbook.cli.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return ast.literal_eval(out.strip().splitlines()[-1])


def test_help_lists_every_command_without_importing_any():
    """`statusbook --help` reads the names and short help from one table (cli/main.py)."""
    assert _modules_loaded(["--help"]) == ["statusbook.cli.main"]
    help_text = run_cli(["--help"]).output
    for command in COMMAND_TABLE:
        assert re.search(rf"^\s+{command}\s+\S", help_text, re.M), command


def test_a_command_imports_only_its_own_module_and_what_it_shares():
    """A build or validate of a big site does not pay for the authoring, notify and import
    commands; an authoring command loads the authoring helpers, not its siblings."""
    assert _modules_loaded(["schema", "incident"]) == [
        "statusbook.cli.common",
        "statusbook.cli.main",
        "statusbook.cli.schema",
    ]
    assert "statusbook.cli.update" not in _modules_loaded(["new", "--help"])
    assert run_cli(["new", "incident", "--help"]).exit_code == 0


@pytest.mark.parametrize("name", sorted(COMMAND_TABLE))
def test_the_command_table_matches_each_commands_own_help(name):
    """The short help `--help` shows is the command's own, in full."""
    command = main.get_command(click.Context(main), name)
    assert command is not None and command.help is not None
    assert COMMAND_TABLE[name][2] == command.get_short_help_str(limit=10_000)
    assert command.name == name or name == "list"


def test_the_cli_and_the_commands_do_not_import_each_other():
    """main.py imports no command module by name: the table is the only link."""
    source = Path(main_module.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level
    }
    assert imported <= {None}, imported


#: What the interpreter had frozen before Statusbook ran: Python 3.12 starts with objects in
#: the permanent generation (375 on 3.12.1, 0 on 3.11 and 3.13), and the generated workflows
#: run 3.12.
_FREEZE_BASE = "BASE = gc.get_freeze_count()\n"


def _probe(site: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Python `code` in a fresh interpreter, in `site`, that reports on stderr at exit."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=site, capture_output=True, text=True, timeout=120
    )


def test_console_script_runs_the_command_and_freezes_the_heap_before_exit(tmp_path):
    """The last garbage collection of a big build's objects at exit is skipped (gc.freeze);
    exit code and output are those of the command."""
    import tomllib

    scripts = tomllib.loads((EXAMPLE_SITE / "pyproject.toml").read_text("utf-8"))["project"]
    assert scripts["scripts"]["statusbook"] == "statusbook.cli.main:run"
    site = write_site(
        tmp_path / "site",
        {"content/incidents/bad.md": VALID_INCIDENT.replace("impact: major", "impact: huge")},
    )
    report = (
        "import atexit, gc, sys\n"
        f"{_FREEZE_BASE}"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > BASE, file=sys.stderr))\n"
        "from statusbook.cli.main import run\n"
    )
    done = _probe(site, report + "sys.argv = ['statusbook', 'validate']\nrun()\n")
    assert done.returncode == 1
    assert "impact" in done.stdout + done.stderr and "huge" in done.stdout + done.stderr
    assert "frozen True" in done.stderr
    fine = _probe(site, report + "sys.argv = ['statusbook', '--version']\nrun()\n")
    assert fine.returncode == 0 and "statusbook" in fine.stdout and "frozen True" in fine.stderr


def test_a_build_freezes_what_it_loaded_and_serve_does_not(tmp_path):
    """A one-shot build keeps its corpus to the end: it is left out of later collections.
    `serve` replaces the corpus on every rebuild, so it must not freeze it."""
    site = write_site(tmp_path / "site", {"content/incidents/a.md": VALID_INCIDENT})
    on_config = (
        "import gc\n"
        f"{_FREEZE_BASE}"
        "from mkdocs.config import load_config\n"
        "config = load_config('mkdocs.yml')\n"
        "plugin = config.plugins['statusbook']\n"
        "plugin.on_startup(command=%r, dirty=False)\n"
        "plugin.on_config(config)\n"
        "frozen = gc.get_freeze_count() > BASE\n"
        "print('corpus', len(plugin.view.corpus.incidents), 'frozen', frozen)\n"
    )
    for command, frozen in (("build", True), ("serve", False)):
        done = _probe(site, on_config % command)
        assert done.returncode == 0, done.stderr
        assert f"corpus 1 frozen {frozen}" in done.stdout, (command, done.stdout)


# --- schema ------------------------------------------------------------------------------------

_KNOWN_KEYWORDS = {
    "$schema", "$id", "title", "description", "type", "properties", "required",
    "additionalProperties", "items", "enum", "pattern", "minLength", "maxLength",
    "propertyNames", "format", "minimum", "maximum", "exclusiveMaximum",
}  # fmt: skip
_TYPES = {"object", "array", "string", "number", "integer", "boolean", "null"}


def check_schema(schema: dict, where: str = "#") -> None:
    """A small meta-check: only keywords we understand, each well-formed."""
    assert isinstance(schema, dict), where
    unknown = set(schema) - _KNOWN_KEYWORDS
    assert not unknown, f"{where}: keywords this check does not know: {unknown}"
    if "type" in schema:
        assert schema["type"] in _TYPES, where
    if "enum" in schema:
        assert isinstance(schema["enum"], list) and schema["enum"], where
        assert len(set(schema["enum"])) == len(schema["enum"]), where
    if "pattern" in schema:
        re.compile(schema["pattern"])
    for key in ("minLength", "maxLength"):
        if key in schema:
            assert isinstance(schema[key], int) and schema[key] >= 0, where
    for key in ("minimum", "maximum", "exclusiveMaximum"):
        if key in schema:
            assert schema.get("type") == "number" and isinstance(schema[key], float), where
    if "properties" in schema:
        assert schema.get("type") == "object", where
        for name, sub in schema["properties"].items():
            check_schema(sub, f"{where}/properties/{name}")
    if "required" in schema:
        assert isinstance(schema["required"], list), where
        assert set(schema["required"]) <= set(schema.get("properties", {})), where
    if isinstance(schema.get("additionalProperties"), dict):
        check_schema(schema["additionalProperties"], f"{where}/additionalProperties")
    else:
        assert schema.get("additionalProperties", False) in (True, False), where
    if "items" in schema:
        assert schema.get("type") == "array", where
        check_schema(schema["items"], f"{where}/items")
    if "propertyNames" in schema:
        check_schema(schema["propertyNames"], f"{where}/propertyNames")


def schema_errors(schema: dict, value, where: str = "") -> list[str]:
    """The subset of JSON Schema validation that Statusbook's schemas use."""
    errors: list[str] = []
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}: missing {name}")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if "propertyNames" in schema:
                errors += schema_errors(schema["propertyNames"], name, f"{where}/{name}(name)")
            if name in props:
                errors += schema_errors(props[name], item, f"{where}/{name}")
            elif extra is False:
                errors.append(f"{where}: unexpected {name}")
            elif isinstance(extra, dict):
                errors += schema_errors(extra, item, f"{where}/{name}")
    elif kind == "array":
        if not isinstance(value, list):
            return [f"{where}: not an array"]
        for i, item in enumerate(value):
            errors += schema_errors(schema["items"], item, f"{where}/{i}")
    elif kind == "string" or "pattern" in schema:
        if not isinstance(value, str):
            return [f"{where}: not a string"]
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{where}: too long")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    elif kind == "number":
        if isinstance(value, str):  # our parser keeps scalars as written; editors read numbers
            try:
                value = float(value)
            except ValueError:
                return [f"{where}: {value!r} is not a number"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [f"{where}: not a number"]
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            errors.append(f"{where}: {value!r} out of range")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            errors.append(f"{where}: {value!r} not below {schema['exclusiveMaximum']}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum")
    return errors


@pytest.fixture(scope="module")
def schemas() -> dict:
    result = run_cli(["schema"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_schema_prints_one_json_schema_per_content_type(schemas):
    assert set(schemas) == {"components", "incident", "maintenance", "postmortem"}
    for kind, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["type"] == "object"
        check_schema(schema, kind)


def test_schema_of_one_kind(schemas):
    result = run_cli(["schema", "incident"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schemas["incident"]


def frontmatter_of(site: Path) -> list[tuple[str, str, object]]:
    """(kind, path, parsed frontmatter) of every content file of a site."""
    content = site / "content"
    docs = [
        (
            "components",
            "components.yml",
            parse_yaml("components.yml", (content / "components.yml").read_bytes()),
        )
    ]
    for folder, kind in (
        ("incidents", "incident"),
        ("maintenance", "maintenance"),
        ("postmortems", "postmortem"),
    ):
        for path in sorted((content / folder).rglob("*.md")):
            rel = path.relative_to(site).as_posix()
            docs.append((kind, rel, parse_markdown(rel, path.read_bytes())))
    out = []
    for kind, rel, doc in docs:
        assert not doc.findings, doc.findings
        out.append((kind, rel, doc.data))
    return out


@pytest.mark.parametrize(
    "site", [EXAMPLE_SITE, FIXTURES / "pebblepost"], ids=["example-site", "fixture-site"]
)
def test_schemas_accept_every_content_file_of_a_valid_site(schemas, site):
    files = frontmatter_of(site)
    assert {kind for kind, _, _ in files} == {"components", "incident", "maintenance", "postmortem"}
    problems = {rel: schema_errors(schemas[kind], data) for kind, rel, data in files}
    assert not {rel: errs for rel, errs in problems.items() if errs}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("components: [api]\n", "components: [api]\nvisibilty: internal\n", "unexpected visibilty"),
        ("impact: major\n", "", "missing impact"),
        ("impact: major", "impact: huge", "'huge' not in enum"),
        ("2026-03-14T09:10:00Z", "2026-03-14T09:10:00", "does not match"),
    ],
    ids=["unknown-field", "missing-required", "bad-enum", "timestamp-without-timezone"],
)
def test_incident_schema_rejects_what_the_validator_rejects(schemas, tmp_path, old, new, expected):
    text = VALID_INCIDENT.replace(old, new)
    data = parse_markdown("x.md", text.encode()).data
    assert any(expected in e for e in schema_errors(schemas["incident"], data))
    site = write_site(tmp_path, {"content/incidents/2026-03-14-api-errors.md": text})
    assert validate(site).exit_code == 1


def test_schema_follows_the_sites_severities(tmp_path):
    mkdocs = MINIMAL_MKDOCS.replace(
        "  - statusbook\n", "  - statusbook:\n      severities: [high, low]\n"
    )
    site = write_site(tmp_path, mkdocs=mkdocs)
    result = run_cli(["schema", "incident", "-f", site / "mkdocs.yml"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["properties"]["severity"]["enum"] == ["high", "low"]


def test_schema_out_writes_one_file_per_kind(tmp_path, schemas):
    result = run_cli(["schema", "-o", tmp_path / "schemas"])
    assert result.exit_code == 0, result.output
    written = {p.name: json.loads(p.read_text()) for p in (tmp_path / "schemas").iterdir()}
    assert written == {f"{kind}.schema.json": schema for kind, schema in schemas.items()}


# --- errors outside a site, and other user mistakes --------------------------------------------


def assert_clean_error(result, *parts: str) -> None:
    """Exit 1 with an 'Error:' message, and no traceback or stray exception."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for part in parts:
        assert part in result.output


@pytest.mark.parametrize("command", ["build", "serve", "validate"])
def test_command_outside_a_site_folder_gives_a_clear_error(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run_cli([command])
    assert_clean_error(result, "Error: mkdocs.yml not found", "statusbook init")


@pytest.mark.parametrize("command", ["build", "validate"])
def test_missing_config_file_given_with_f_gives_a_clear_error(tmp_path, command):
    result = run_cli([command, "-f", tmp_path / "nope" / "mkdocs.yml"])
    assert_clean_error(result, "mkdocs.yml not found")


def test_schema_outside_a_site_folder_uses_default_severities(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli(["schema", "incident"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["properties"]["severity"]["enum"] == [
        "SEV1",
        "SEV2",
        "SEV3",
        "SEV4",
    ]


@pytest.mark.parametrize("command", ["build", "validate"])
def test_site_without_the_plugin_gives_a_clear_error(tmp_path, command):
    site = write_site(tmp_path, mkdocs=MINIMAL_MKDOCS.replace("  - statusbook\n", "  - search\n"))
    assert_clean_error(run_cli([command, "-f", site / "mkdocs.yml"]), "statusbook plugin")


def test_missing_content_folder_is_reported_not_a_traceback(tmp_path):
    site = write_site(tmp_path)
    (site / "content" / "components.yml").unlink()
    (site / "content").rmdir()
    result = validate(site)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "content: error: content folder not found" in result.stderr


def test_bad_now_value_is_a_usage_error(tmp_path):
    site = write_site(tmp_path)
    result = build(site, "-d", str(tmp_path / "out"), "--now", "2026-05-10T12:00:00")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "--now" in result.output
    assert "timezone" in result.output
    assert not (tmp_path / "out").exists()


def test_unknown_timezone_is_a_clear_build_error(tmp_path):
    mkdocs = MINIMAL_MKDOCS.replace(
        "  - statusbook\n", "  - statusbook:\n      timezone: Mars/Olympus_Mons\n"
    )
    site = write_site(tmp_path, mkdocs=mkdocs)
    result = build(site, "-d", str(tmp_path / "out"), "--now", NOW, "-q")
    assert_clean_error(result, "Mars/Olympus_Mons", "IANA timezone")
    assert not (tmp_path / "out").exists()


def test_build_error_lists_every_bad_file_with_its_line(tmp_path):
    site = write_site(
        tmp_path,
        {
            "content/incidents/2026-03-14-api-errors.md": VALID_INCIDENT.replace(
                "impact: major", "impact: huge"
            ),
            "content/incidents/2026-03-15-more.md": VALID_INCIDENT.replace("[api]", "[apii]"),
        },
    )
    result = build(site, "-d", str(tmp_path / "out"), "--now", NOW, "-q")
    assert_clean_error(
        result,
        "content/incidents/2026-03-14-api-errors.md:3:9",
        "content/incidents/2026-03-15-more.md:4:14",
        "2 errors in 2 files",
    )


# --- init --------------------------------------------------------------------------------------


def test_init_creates_a_site_that_validates(tmp_path):
    target = tmp_path / "otter-status"
    result = run_cli(["init", target, "--name", "Otter Status"])
    assert result.exit_code == 0, result.output
    assert (target / "mkdocs.yml").is_file()
    assert "site_name: Otter Status" in (target / "mkdocs.yml").read_text()
    for folder in ("incidents", "maintenance", "postmortems"):
        assert list((target / "content" / folder).glob("*.md")), folder
    checked = validate(target)
    assert checked.exit_code == 0, checked.output
    assert "warning" not in checked.stderr, checked.stderr  # a new site starts clean
    assert checked.stderr.startswith("OK: ")


def test_init_bare_has_no_example_entries_and_validates(tmp_path):
    target = tmp_path / "bare"
    assert run_cli(["init", target, "--bare"]).exit_code == 0
    for folder in ("incidents", "maintenance", "postmortems"):
        assert (target / "content" / folder).is_dir()
        assert not list((target / "content" / folder).rglob("*.md")), folder
    assert validate(target).exit_code == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = run_cli(["init", tmp_path])
    assert_clean_error(result, "is not empty")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


# -- reading the plugin's options without loading the whole MkDocs config


@pytest.mark.parametrize(
    "plugins",
    [
        "plugins:\n  - search\n  - statusbook:\n"
        "      timezone: Europe/Berlin\n      uptime_days: 30\n",
        "plugins:\n  search: {}\n  statusbook:\n    timezone: Europe/Berlin\n    uptime_days: 30\n",
    ],
    ids=["list", "mapping"],
)
def test_validate_reads_the_plugin_options_the_build_reads(tmp_path, plugins):
    from statusbook.cli.common import plugin_options, statusbook_options

    site = write_site(
        tmp_path / "site",
        mkdocs="INHERIT: base.yml\n" + plugins,
    )
    (site / "base.yml").write_text(
        "site_name: Inherited\ndocs_dir: pages\ntheme:\n  name: material\n", encoding="utf-8"
    )
    light = statusbook_options(site / "mkdocs.yml")
    full = plugin_options(site / "mkdocs.yml")[1]
    assert dict(light) == dict(full)
    assert light.timezone == "Europe/Berlin" and light.uptime_days == 30


@pytest.mark.parametrize(
    ("plugins", "message"),
    [
        ("  - statusbook:\n      uptime_days: many\n", "option 'uptime_days'"),
        ("  - statusbook:\n      enabled: false\n", "does not enable the statusbook plugin"),
        ("  - search\n", "does not enable the statusbook plugin"),
    ],
)
def test_validate_names_a_bad_plugin_setup_in_mkdocs_yml(tmp_path, plugins, message):
    site = write_site(
        tmp_path / "site",
        mkdocs="site_name: S\ndocs_dir: pages\ntheme:\n  name: material\nplugins:\n" + plugins,
    )
    result = validate(site)
    assert result.exit_code != 0
    assert message in result.output and "mkdocs.yml" in result.output
    assert "Traceback" not in result.output
