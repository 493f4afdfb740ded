"""Shared helpers: tiny content trees on disk, fixture sites, the CLI, and model builders.

Test modules import the plain helpers with `from conftest import ...` (pytest puts tests/ on
sys.path because it has no __init__.py).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from statusbook.cli.main import main
from statusbook.model import (
    Component,
    ComponentStatus,
    Corpus,
    Group,
    Impact,
    Incident,
    Maintenance,
    Update,
    Visibility,
)

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
EXAMPLE_SITE = TESTS.parent

#: The moment every fixture build is made for.
NOW = "2026-05-10T12:00:00Z"

MINIMAL_MKDOCS = """\
site_name: Test Status
docs_dir: pages
theme:
  name: material
plugins:
  - statusbook
"""

COMPONENTS_YML = """\
groups:
  - id: core
    name: Core
    components:
      - id: api
        name: API
      - id: dashboard
        name: Dashboard
components:
  - id: billing
    name: Billing
"""

#: A valid incident; its line numbers are relied on by the validation tests.
VALID_INCIDENT = """\
---
title: API errors
impact: major
components: [api]
updates:
  - at: 2026-03-14T09:10:00Z
    status: investigating
    message: We are looking into it.
---
Body text.
"""

# Keep environment changes made by the CLI (SOURCE_DATE_EPOCH from --now, ...) inside one call.
_ISOLATED_ENV: dict[str, str | None] = {
    "SOURCE_DATE_EPOCH": None,
    "STATUSBOOK_INTERNAL": None,
    "STATUSBOOK_NO_CACHE": None,
}


@pytest.fixture(autouse=True, scope="session")
def _cache_key_of_the_tests(tmp_path_factory: pytest.TempPathFactory) -> Iterable[None]:
    """Cache files are signed with a key made on first use (cache/signing.py): the tests make
    theirs in a temporary folder, not in the user's ~/.cache."""
    key = tmp_path_factory.mktemp("cache-key") / "cache.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STATUSBOOK_CACHE_KEY_FILE", str(key))
        yield


# --- content trees and the CLI -----------------------------------------------------------------


def unavailable(message: str, *, module: bool = False) -> None:
    """A tool is missing: skip on a developer's machine, fail in CI (CI=true), which must
    never pass by skipping. `module`: called while a test module is imported."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI must have it: scripts/test installs it)", pytrace=False)
    pytest.skip(f"{message}; run scripts/test to install it", allow_module_level=module)


def write_site(
    root: Path,
    files: Mapping[str, str | bytes] | None = None,
    *,
    components: str | None = COMPONENTS_YML,
    mkdocs: str = MINIMAL_MKDOCS,
) -> Path:
    """Write mkdocs.yml, pages/, content/components.yml and `files` (paths relative to root).

    Pass components=None to leave components.yml out. Returns root.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    (root / "pages").mkdir(exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    if components is not None:
        (root / "content" / "components.yml").write_text(components, encoding="utf-8")
    for rel, data in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def run_cli(args: Iterable[str], env: Mapping[str, str | None] | None = None) -> Result:
    """Invoke `statusbook ARGS` in-process; exceptions become result.exception, not errors."""
    runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args], env={**_ISOLATED_ENV, **(env or {})})


def run_shell(
    script: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a shell script as a workflow step or a git hook runs it: a separate process, with
    this environment's `statusbook` first on PATH and the build time left to the clock."""
    bin_dir = str(Path(sys.executable).parent)
    full_env = {**os.environ, **(env or {}), "PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    full_env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def build(site: Path, *args: str, env: Mapping[str, str | None] | None = None) -> Result:
    """`statusbook build -f SITE/mkdocs.yml ARGS`."""
    return run_cli(["build", "-f", site / "mkdocs.yml", *args], env=env)


def validate(site: Path, *args: str) -> Result:
    """`statusbook validate -f SITE/mkdocs.yml ARGS`."""
    return run_cli(["validate", "-f", site / "mkdocs.yml", *args])


def copy_fixture(name: str, dest: Path) -> Path:
    """A fresh copy of tests/fixtures/NAME at DEST (the fixture itself is never modified)."""
    shutil.copytree(FIXTURES / name, dest, ignore=shutil.ignore_patterns(".cache"))
    return dest


def build_fixture(name: str, dest: Path, *args: str) -> tuple[Path, Path]:
    """Copy fixture NAME to DEST/site and build it into DEST/out for NOW; returns (site, out)."""
    site = copy_fixture(name, dest / "site")
    out = dest / "out"
    result = build(site, "-d", str(out), "--now", NOW, "-q", *args)
    assert result.exit_code == 0, result.output
    return site, out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under FOLDER, by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """Readable list of files that differ between two snapshots."""
    out = []
    for rel in sorted(set(a) | set(b)):
        if rel not in a:
            out.append(f"only in second: {rel}")
        elif rel not in b:
            out.append(f"only in first: {rel}")
        elif a[rel] != b[rel]:
            out.append(f"differs: {rel}")
    return out


# --- model builders for the pure-function tests ------------------------------------------------


def t(text: str) -> datetime:
    """'2026-05-10T12:00' -> an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def upd(
    at: str,
    status: str = "investigating",
    components: Mapping[str, str] | None = None,
    next_update: str | None = None,
    message: str = "An update.",
) -> Update:
    return Update(
        at=t(at),
        status=status,
        message=message,
        components=tuple((cid, ComponentStatus(s)) for cid, s in (components or {}).items()),
        next_update=t(next_update) if next_update else None,
    )


def incident(
    ident: str,
    updates: Iterable[Update],
    impact: str = "major",
    components: Iterable[str] = ("api",),
    started: str | None = None,
    visibility: str = "public",
) -> Incident:
    return Incident(
        id=ident,
        path=f"content/incidents/{ident}.md",
        title=f"Incident {ident}",
        impact=Impact(impact),
        components=tuple(components),
        updates=tuple(updates),
        visibility=Visibility(visibility),
        lifecycle=(("started", t(started)),) if started else (),
    )


def window(
    ident: str,
    start: str,
    end: str,
    updates: Iterable[Update] = (),
    components: Iterable[str] = ("api",),
) -> Maintenance:
    return Maintenance(
        id=ident,
        path=f"content/maintenance/{ident}.md",
        title=f"Maintenance {ident}",
        components=tuple(components),
        start=t(start),
        end=t(end),
        updates=tuple(updates),
    )


def corpus(
    incidents: Iterable[Incident] = (),
    maintenance: Iterable[Maintenance] = (),
    component_ids: Iterable[str] = ("api", "dashboard", "billing"),
) -> Corpus:
    comps = tuple(Component(cid, cid.capitalize(), group_id="core") for cid in component_ids)
    return Corpus(
        groups=(Group("core", "Core", component_ids=tuple(c.id for c in comps)),),
        components=comps,
        incidents=tuple(incidents),
        maintenance=tuple(maintenance),
        postmortems=(),
    )


# --- logging -----------------------------------------------------------------------------------


class _CurrentStderr(logging.Handler):
    """Writes to whatever sys.stderr is at the time, so CliRunner captures MkDocs' messages.

    `statusbook` attaches a StreamHandler bound to the stderr of the first invocation when the
    mkdocs logger has none; in one test process that stream belongs to a finished CliRunner.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # pragma: no cover - mirrors logging.StreamHandler
            self.handleError(record)


@pytest.fixture(autouse=True, scope="session")
def _mkdocs_log_to_current_stderr():
    logger = logging.getLogger("mkdocs")
    handler = _CurrentStderr()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
