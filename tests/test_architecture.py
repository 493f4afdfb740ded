"""The package's shape holds: the import contracts in pyproject.toml, run by import-linter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_core_imports_no_host_and_the_stages_follow_the_data_flow():
    done = _lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 2 kept, 0 broken." in done.stdout


def test_a_broken_contract_fails_with_the_import_that_breaks_it(tmp_path):
    """The check is not vacuous: the CLI does import click, and a contract forbidding it fails
    naming the module and the line."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "statusbook"\ninclude_external_packages = true\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "cli without click"\ntype = "forbidden"\n'
        'source_modules = ["statusbook.cli.main"]\nforbidden_modules = ["click"]\n',
        encoding="utf-8",
    )
    done = _lint_imports(config, cwd=tmp_path)
    assert done.returncode == 1
    assert "statusbook.cli.main is not allowed to import click" in done.stdout
    assert "Contracts: 0 kept, 1 broken." in done.stdout


PACKAGE = ROOT / "generator" / "statusbook"
#: Where the build's circumstances may be read from the environment: the edges.
EDGES = ("context.py", "clock.py", "cli/", "hosts/")


def test_now_the_edition_and_the_cache_switch_are_read_from_the_environment_at_the_edge():
    """Below the CLI and the host they are arguments (context.BuildContext), never variables."""
    readers = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if any(
            name in path.read_text(encoding="utf-8")
            for name in ("SOURCE_DATE_EPOCH", "STATUSBOOK_INTERNAL", "STATUSBOOK_NO_CACHE")
        )
    )
    assert readers, "the names moved: update this test"
    assert [r for r in readers if not r.startswith(EDGES)] == []


def test_the_real_time_is_read_in_one_place():
    """clock.wall_clock() is the only reader of the real time; edges call it once per run and
    pass the moment down (BuildContext.clock), so a test can set it and two readings cannot
    disagree within one build."""
    readers = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                name = owner.id if isinstance(owner, ast.Name) else ""
                if (name, node.func.attr) in {
                    ("datetime", "now"),
                    ("datetime", "utcnow"),
                    ("date", "today"),
                    ("time", "time"),
                }:
                    readers.append(f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno}")
    assert len(readers) == 1 and readers[0].startswith("clock.py:"), readers
