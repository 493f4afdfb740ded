"""The example site built on each supported host gives the site the main test environment
builds (MkDocs 1.6.1 with the newest Material): the same pages, byte for byte, but for what
names the host and Material's version. tests/external_tools.py makes the hosts' environments.

Supported: MkDocs 1.6.1 with Material 9.7 (Python 3.10) or 9.8 (Python 3.11+), and ProperDocs
with Material 9.8 (Python 3.11+), without MkDocs installed. ProperDocs is tested on Python 3.12,
the one the generated workflows install: the main environment covers 3.11.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE_SITE, unavailable
from external_tools import HOST_PYTHON, HOSTS, WORKFLOW_PYTHON, dotted, host_python

TEMPLATE = Path(__file__).resolve().parent.parent / "generator" / "statusbook" / "site_template"
#: What differs between two hosts' builds of one site and is allowed to: the generator tag
#: (`<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2">`) and the file
#: names of Material's bundles, which carry a hash of their contents, and of the home page's
#: stylesheet subset, cut from Material's stylesheet.
HOST_NAMES = (
    (re.compile(rb'<meta name="generator" content="[^"]*">'), b'<meta name="generator">'),
    (re.compile(rb"\b(bundle|search|main|palette)\.[0-9a-f]{8}\.min\.(js|css)"), rb"\1.H.min.\2"),
    (re.compile(rb"\bhome\.[0-9a-f]{10}\.css"), b"home.H.css"),
)
#: Files named for their contents: one per Material version, compared by their presence.
HASHED = re.compile(r"\.[0-9a-f]{8,10}\.(min\.)?(js|css)(\.map)?$")


def without_host_names(data: bytes) -> bytes:
    for pattern, replacement in HOST_NAMES:
        data = pattern.sub(replacement, data)
    return data


def compare(one: Path, other: Path) -> dict[str, list[str]]:
    """Files that differ between two builds: `same` (byte for byte), `host` (only in what
    names the host or Material's version), `different`, and `missing` from either."""
    found: dict[str, list[str]] = {"same": [], "host": [], "different": [], "missing": []}
    names = [{p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
             for root in (one, other)]  # fmt: skip
    for rel in sorted(names[0] | names[1]):
        if HASHED.search(rel):
            continue
        if rel not in names[0] or rel not in names[1]:
            found["missing"].append(rel)
            continue
        a, b = (one / rel).read_bytes(), (other / rel).read_bytes()
        kind = (
            "same"
            if a == b
            else "host"
            if without_host_names(a) == without_host_names(b)
            else "different"
        )
        found[kind].append(rel)
    return found


def _build(command: list[str], site: Path, out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["STATUSBOOK_NO_CACHE"] = "1"
    # The host environments are shared between checkouts (~/.cache/statusbook-tests) and hold
    # an editable install of whichever checkout made them: this checkout's source goes first.
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent / "generator")
    done = subprocess.run([*command, "-q", "-d", str(out)], cwd=site, env=env,
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the example site, and its build in this environment."""
    site = tmp_path_factory.mktemp("hosts") / "site"
    for part in ("mkdocs.yml", "content", "pages", "overrides"):
        source = EXAMPLE_SITE / part
        if source.is_dir():
            shutil.copytree(source, site / part)
        else:
            site.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, site / part)
    here = site.parent / "here"
    _build([sys.executable, "-m", "statusbook.cli.main", "build"], site, here)
    return site, here


def _host(name: str) -> Path:
    python = host_python(name)
    if python is None:
        unavailable(f"the {HOSTS[name]} environment is missing (python{dotted(HOST_PYTHON[name])})")
    assert python is not None
    return python


def test_the_generated_workflows_install_the_python_the_properdocs_host_runs_on():
    workflows = sorted((TEMPLATE / "_github" / "workflows").glob("*.yml"))
    pinned = {
        line.split(":", 1)[1].strip().strip('"')
        for path in workflows
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("python-version:")
    }
    assert pinned == {dotted(WORKFLOW_PYTHON)}, pinned


def test_the_example_site_is_the_same_on_properdocs_with_material_9_8_on_python_3_12(example):
    site, here = example
    python = _host("properdocs")
    # ProperDocs answers `import mkdocs` itself: MkDocs must not be installed there.
    probe = "import importlib.util as u; print(u.find_spec('mkdocs'))"
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "None"
    out = site.parent / "properdocs"
    _build([str(python.parent / "properdocs"), "build"], site, out)
    found = compare(here, out)
    assert found["different"] == [] and found["missing"] == []
    assert len(found["host"]) > 10 and len(found["same"]) > 10  # the pages, and the rest
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.2"' in home
    version = subprocess.run([str(python), "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert version.strip() == str(WORKFLOW_PYTHON)


def test_the_example_site_is_the_same_on_mkdocs_1_6_1_with_material_9_7_on_python_3_10(example):
    site, here = example
    python = _host("py310")
    out = site.parent / "py310"
    _build([str(python), "-m", "statusbook.cli.main", "build", "--no-cache"], site, out)
    found = compare(here, out)
    assert found["different"] == [] and found["missing"] == []
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-1.6.1, mkdocs-material-9.7.7"' in home


def test_only_host_names_are_forgiven(tmp_path):
    one, other = tmp_path / "one", tmp_path / "other"
    for root, version, text in ((one, "9.8.2", "Up"), (other, "9.7.7", "Down")):
        (root / "a").mkdir(parents=True)
        (root / "a" / "index.html").write_text(
            f'<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-{version}">'
            f'<script src="bundle.{"ab" * 4 if root == one else "cd" * 4}.min.js"></script>'
        )
        (root / "status.html").write_text(text)
    assert compare(one, other) == {
        "same": [],
        "host": ["a/index.html"],
        "different": ["status.html"],
        "missing": [],
    }
