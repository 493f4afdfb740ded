"""The hooks other repositories use through pre-commit (`.pre-commit-hooks.yaml`), run the way
pre-commit runs them: each hook whose `files` pattern matches a file of the commit, with the
matching paths appended to its entry when `pass_filenames` is on."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import run_cli, run_shell

ROOT = Path(__file__).resolve().parent.parent
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
BLAME = "\nWe should have tested the failover first.\n"


def _commit_hooks(site: Path, changed: list[str]) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run every hook a commit of `changed` (paths relative to the site) would trigger."""
    runs = {}
    for hook_id, hook in HOOKS.items():
        files = [path for path in changed if re.search(hook["files"], path)]
        if not files:
            continue
        args = shlex.split(hook["entry"]) + (files if hook.get("pass_filenames", True) else [])
        runs[hook_id] = run_shell(shlex.join(args), site)
    return runs


def _findings(runs: dict[str, subprocess.CompletedProcess[str]], rule: str) -> list[str]:
    return [
        line
        for done in runs.values()
        for line in (done.stdout + done.stderr).splitlines()
        if line.endswith(f"[{rule}]")
    ]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    assert run_cli(["init", str(site), "--name", "Hooked Status"]).exit_code == 0
    return site


def _incidents(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix() for p in (site / "content" / "incidents").rglob("*.md")
    )


def test_both_hooks_on_report_a_blaming_sentence_once(site):
    changed = _incidents(site)[0]
    with (site / changed).open("a", encoding="utf-8") as f:
        f.write(BLAME)
    runs = _commit_hooks(site, [changed])
    assert set(runs) == {"statusbook-validate", "statusbook-lint"}
    assert all(done.returncode == 0 for done in runs.values()), runs
    found = _findings(runs, "counterfactual")
    assert len(found) == 1, found
    assert found[0].startswith(f"{changed}:")


def test_lint_hook_reads_only_the_files_the_commit_touches(site):
    first = _incidents(site)[0]
    second = "content/incidents/2026-12-02-copied.md"
    (site / second).write_text((site / first).read_text(encoding="utf-8"), encoding="utf-8")
    for path in (first, second):
        with (site / path).open("a", encoding="utf-8") as f:
            f.write(BLAME)
    # The second file was edited earlier and is not part of this commit.
    found = _findings(_commit_hooks(site, [first]), "counterfactual")
    assert [line.split(":")[0] for line in found] == [first]


def test_lint_hook_leaves_out_files_the_lint_does_not_cover(site):
    (site / "content" / "README.md").write_text("Editors should have read this." + BLAME)
    runs = _commit_hooks(site, ["content/README.md"])
    assert set(runs) == {"statusbook-validate"}
    assert _findings(runs, "counterfactual") == []


def test_validate_hook_stops_a_commit_with_a_broken_file(site):
    changed = _incidents(site)[0]
    path = site / changed
    path.write_text(path.read_text(encoding="utf-8").replace("impact:", "impact: sideways\nx:", 1))
    runs = _commit_hooks(site, [changed])
    assert runs["statusbook-validate"].returncode == 1
    assert f"{changed}:" in runs["statusbook-validate"].stderr + runs["statusbook-validate"].stdout
