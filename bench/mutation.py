"""Mutation testing of the leak gate and the status views (#23): how much of the code do the
tests really pin down?

    .venv/bin/pip install 'mutmut==3.8.1'
    .venv/bin/python bench/mutation.py                 # all four modules, one after the other
    .venv/bin/python bench/mutation.py visibility      # one module
    .venv/bin/python bench/mutation.py --keep status   # keep the work folder to `mutmut show`

For each module it runs mutmut over a copy of the package with only the tests that cover the
module (a minute or a few each, one worker: the machines are shared), then prints the score and
every surviving mutant as a diff. A survivor listed in `mutation_equivalent.yml` beside this
script (with the mutated line it was accepted for, and why it changes nothing observable) is
reported as accepted, not counted; an entry whose line no longer matches is reported as stale.
Exit 1 when a module misses its target (100% of non-equivalent mutants killed in the leak gate,
95% in status and uptime). Not part of CI: it takes minutes.

Why a copy: mutmut 3 imports the mutated code only from `./`, `src/` or `source/`
(mutmut/utils/file_utils.py, `setup_source_paths`), and our package lives under `generator/`;
the copy puts it at `src/statusbook`, ahead of the editable install on `sys.path`, and keeps
mutmut's `mutants/` folder out of the work tree. Settings are mutmut's `[tool.mutmut]` table
(https://mutmut.readthedocs.io/en/latest/index.html#configuration), written into the copy's
`pyproject.toml`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = Path(__file__).resolve().with_name("mutation_equivalent.yml")

#: module -> (the tests that cover it, the share of non-equivalent mutants to kill).
MODULES: dict[str, tuple[tuple[str, ...], float]] = {
    "views.visibility": (
        (
            "tests/test_visibility_spec.py",
            "tests/test_internal_edition_spec.py",
            "tests/test_internal_markers.py",
            "tests/test_security.py",
        ),
        100.0,
    ),
    "content.markers": (
        (
            "tests/test_markers_spec.py",
            "tests/test_internal_edition_spec.py",
            "tests/test_internal_markers.py",
            "tests/test_security.py",
        ),
        100.0,
    ),
    # status_changes and maintenance_interval are what uptime is computed from.
    "views.status": (
        (
            "tests/test_status_spec.py",
            "tests/test_status.py",
            "tests/test_uptime_spec.py",
            "tests/test_uptime.py",
        ),
        95.0,
    ),
    "views.uptime": (("tests/test_uptime_spec.py", "tests/test_uptime.py"), 95.0),
}


@dataclass(frozen=True)
class Outcome:
    module: str
    total: int
    killed: int
    survivors: dict[str, str]  # name -> diff
    accepted: dict[str, str]  # name -> why
    stale: list[str]
    other: dict[str, str]  # name -> mutmut's status (timeout, no tests, ...), then the diff

    @property
    def score(self) -> float:
        counted = self.total - len(self.accepted)
        return 100.0 * self.killed / counted if counted else 100.0


def _prepare(work: Path, module: str) -> None:
    """The copy mutmut runs in: the package under src/, the tests, and its settings."""
    shutil.copytree(ROOT / "generator/statusbook", work / "src/statusbook")
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    tests, _ = MODULES[module]
    settings = {
        "source_paths": ["src"],
        "only_mutate": [f"*/statusbook/{module.replace('.', '/')}.py"],
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-q"],
        "pytest_add_cli_args_test_selection": [t for t in tests if (ROOT / t).exists()],
        "use_git_change_detection": False,
    }
    table = "\n".join(f"{key} = {_toml(value)}" for key, value in settings.items())
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    (work / "pyproject.toml").write_text(f"{text}\n[tool.mutmut]\n{table}\n", "utf-8")


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return f'"{value}"'


def _mutmut(work: Path, *args: str, log: Path | None = None) -> str:
    command = [sys.executable, "-m", "mutmut", *args]
    if log is None:
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
        return done.stdout + done.stderr
    with log.open("w", encoding="utf-8") as out:
        subprocess.run(command, cwd=work, stdout=out, stderr=subprocess.STDOUT, check=False)
    return ""


def _mutated_line(diff: str) -> str:
    """The first added line of a mutant's diff, stripped: what an equivalence entry names."""
    for line in diff.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            return line[1:].strip()
    return ""


def run_module(
    module: str, children: int, keep: bool, equivalent: dict[str, dict[str, str]]
) -> Outcome:
    work = Path(tempfile.mkdtemp(prefix=f"statusbook-mutation-{module}-"))
    try:
        _prepare(work, module)
        _mutmut(work, "run", "--max-children", str(children), log=work / "run.log")
        results = _mutmut(work, "results", "--all", "true")
        statuses = dict(re.findall(r"^\s*(statusbook\.\S+): (.+?)\s*$", results, re.M))
        if not statuses:
            tail = (work / "run.log").read_text("utf-8", errors="replace")[-2000:]
            raise SystemExit(f"mutmut found no mutants for {module}; its log ends:\n{tail}")
        survivors, accepted, stale, other = {}, {}, [], {}
        for name, status in statuses.items():
            if status == "killed":
                continue
            diff = _mutmut(work, "show", name)
            if status != "survived":  # timeout, no tests, suspicious...: not killed either
                other[name] = f"{status}\n{diff}"
                continue
            entry = equivalent.get(name)
            if entry and entry["mutated"].strip() == _mutated_line(diff):
                accepted[name] = entry["why"]
                continue
            if entry:
                stale.append(name)
            survivors[name] = diff
        stale += [
            n
            for n in equivalent
            if n.startswith(f"statusbook.{module}.") and statuses.get(n) not in (None, "survived")
        ]
        killed = sum(1 for s in statuses.values() if s == "killed")
        return Outcome(module, len(statuses), killed, survivors, accepted, stale, other)
    finally:
        if keep:
            print(f"(work folder kept: {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _equivalents() -> dict[str, dict[str, str]]:
    """The accepted equivalents, read before any run: a typo there should not cost one."""
    name = EQUIVALENT_FILE.relative_to(ROOT)
    try:
        data = yaml.safe_load(EQUIVALENT_FILE.read_text("utf-8")) or {}
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else str(name)
        raise SystemExit(
            f"{where}: error: {e.problem} (hint: quote a value that holds ': ' or '#')"
        ) from None
    bad = [k for k, v in data.items() if not isinstance(v, dict) or set(v) != {"mutated", "why"}]
    if bad:
        raise SystemExit(
            f"{name}: error: entry {bad[0]} is not a mapping of 'mutated' and 'why' "
            "(hint: copy the form of the entries above it)"
        )
    return {str(k): {"mutated": str(v["mutated"]), "why": str(v["why"])} for k, v in data.items()}


def _report(outcome: Outcome, target: float) -> bool:
    met = outcome.score >= target
    print(
        f"{outcome.module}.py: {outcome.score:.1f}% of non-equivalent mutants killed "
        f"({outcome.killed} of {outcome.total - len(outcome.accepted)}; {outcome.total} mutants, "
        f"{len(outcome.accepted)} accepted as equivalent; target {target:.0f}%: "
        f"{'met' if met else 'MISSED'})"
    )
    for name in sorted(outcome.stale):
        print(f"  stale equivalence entry (the mutant changed or is killed now): {name}")
    shown = {n: f"survived\n{d}" for n, d in outcome.survivors.items()} | outcome.other
    for name, text in sorted(shown.items()):
        status, _, diff = text.partition("\n")
        print(f"  {status}: {name}")
        for line in diff.splitlines():
            if line.startswith(("+", "-")) and not line.startswith(("+++", "---")):
                print(f"    {line}")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"some of {', '.join(MODULES)} (default all)")
    parser.add_argument("--max-children", type=int, default=1, help="mutmut workers (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep each module's work folder")
    args = parser.parse_args(argv)
    # A module may be named by its last part: `visibility` for views.visibility.
    short = {name.rpartition(".")[2]: name for name in MODULES}
    args.modules = [short.get(m, m) for m in args.modules]
    unknown = sorted(set(args.modules) - set(MODULES))
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}: choose from {', '.join(MODULES)}")
    equivalent = _equivalents()
    all_met = True
    for module in args.modules or list(MODULES):
        outcome = run_module(module, args.max_children, args.keep, equivalent)
        all_met &= _report(outcome, MODULES[module][1])
        sys.stdout.flush()
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
