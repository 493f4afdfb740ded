"""A site's template override that fails while rendering (any exception, not only Jinja's own)
stops the build with one located error, `overrides/statusbook/FILE.html:LINE: error: ...` and a
hint, never a traceback, and leaves the previous site exactly as it was: under `statusbook
build` (which builds in a staging folder) and under `mkdocs build` too (our templates are all
rendered before MkDocs empties the site folder).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOW, build_fixture, differences, snapshot
from statusbook.clock import parse_now

#: (template, its text, the line that fails, what the error says)
BROKEN = {
    "macro-called-with-a-wrong-argument": (
        "incident.html",
        "{% macro card(title) %}<p>{{ title }}</p>{% endmacro %}\n"
        "<h1>{{ incident.title }}</h1>\n"
        '{{ card(title=incident.title, colour="red") }}\n',
        3,
        "TypeError: macro 'card' takes no keyword argument 'colour'",
    ),
    "division-by-zero": (
        "incident.html",
        "<h1>{{ incident.title }}</h1>\n\n<p>{{ incident.updates | length // 0 }}</p>\n",
        3,
        "ZeroDivisionError",
    ),
    "missing-attribute-of-an-object": (
        "home.html",
        "<h1>{{ site_name }}</h1>\n<ul>\n{% for k, v in overall | dictsort %}<li>{{ k }}</li>"
        "{% endfor %}\n</ul>\n",
        3,
        "AttributeError: 'Overall' object has no attribute 'items'",
    ),
    "undefined-variable": (
        "incident.html",
        "<h1>{{ incident.title }}</h1>\n{{ no_such_variable.field }}\n",
        2,
        "'no_such_variable' is undefined",
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The pebblepost site, built once without overrides: the previous site."""
    site, out = build_fixture("pebblepost", tmp_path_factory.mktemp("built"))
    mkdocs = site / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    mkdocs.write_text(text.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))
    return site, out, snapshot(out)


def _run(command: list[str], site: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """A build in its own process, as a user or CI runs it: what it prints is all there is."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATUSBOOK_NO")}
    env["SOURCE_DATE_EPOCH"] = str(int(parse_now(NOW).timestamp()))
    exe = Path(sys.executable).parent
    return subprocess.run(
        [str(exe / command[0]), *command[1:], "-f", str(site / "mkdocs.yml"), "-d", str(out)],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("host", [["statusbook", "build", "-q"], ["mkdocs", "build", "-q"]])
@pytest.mark.parametrize("case", list(BROKEN))
def test_a_failing_override_is_one_located_error_and_the_previous_site_stays(built, case, host):
    site, out, before = built
    name, text, line, what = BROKEN[case]
    override = site / "overrides" / "statusbook" / name
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(text, encoding="utf-8")
    try:
        done = _run(host, site, out)
    finally:
        override.unlink()
    said = done.stdout + done.stderr
    assert done.returncode != 0, said
    assert "Traceback" not in said
    assert f"overrides/statusbook/{name}:{line}: error: the template failed: {what}" in said
    assert "hint: fix this template in the site's overrides, or remove it" in said
    assert not differences(before, snapshot(out)), "the previous site is untouched"


def test_a_failure_outside_any_template_frame_names_ours_and_says_so(tmp_path):
    """With no frame of template code in the traceback (a template that cannot be loaded),
    the error names the template asked for, and the hint says it is Statusbook's own."""
    from statusbook.outputs.pages.render import template_problem

    try:
        {}["missing"]  # noqa: B018 - raised here, outside any template
    except KeyError as exc:
        problem = template_problem(exc, "incident.html", [tmp_path])
    found = problem.finding(tmp_path)
    assert (found.path, found.line) == ("statusbook/incident.html", 0)
    assert found.message == "the template failed: KeyError: 'missing'"
    assert found.hint.startswith("this is Statusbook's own template")


def test_a_template_problem_survives_the_way_back_from_a_worker_process(tmp_path):
    """Pages are rendered in worker processes on large sites: the problem is pickled back."""
    import pickle

    from statusbook.outputs.pages.render import TemplateProblem

    problem = TemplateProblem(str(tmp_path / "overrides/statusbook/month.html"), 7, "x", "y")
    back = pickle.loads(pickle.dumps(problem))
    assert back.finding(tmp_path).format_text() == (
        "overrides/statusbook/month.html:7: error: x\n    hint: y"
    )
