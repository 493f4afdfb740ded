"""No file in a site's folder runs code: the cache (.cache/statusbook/) is read only when it
was signed with a key kept outside the site, and a cache folder tracked by git is refused
(issue #17)."""

from __future__ import annotations

import json
import marshal
import os
import pathlib
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from conftest import differences, snapshot
from statusbook.cache import signing as cachekey
from statusbook.cache.store import CACHE_DIR

STATUSBOOK = Path(sys.executable).parent / "statusbook"
NOW = "2026-05-10T12:00:00Z"


class Hostile:
    """Unpickling this creates the marker file: what a committed cache file could do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def _environment(tmp_path: Path) -> dict[str, str]:
    """A user whose home and cache home are inside tmp_path (where the key is made)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in (cachekey.ENV_KEY_FILE, "STATUSBOOK_NO_CACHE", "SOURCE_DATE_EPOCH", "GIT_DIR")
    }
    (tmp_path / "home").mkdir(exist_ok=True)
    return {**env, "HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(tmp_path / "xdg")}


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(STATUSBOOK), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site made by `statusbook init`, built once: its cache is warm."""
    env = _environment(tmp_path)
    assert _run(["init", "site"], tmp_path, env).returncode == 0
    root = tmp_path / "site"
    done = _run(["build", "-q", "--now", NOW, "-d", str(tmp_path / "first")], root, env)
    assert done.returncode == 0, done.stderr
    return root


def _cache_files(site: Path) -> list[Path]:
    return sorted(p for p in (site / CACHE_DIR).rglob("*") if p.is_file())


def _hostile(path: Path, marker: Path) -> bytes:
    """What an attacker would commit at `path`: a pickle, or for Jinja a bytecode file whose
    checksum is that pickle and whose code creates the marker too."""
    if path.parent.name == "templates":
        code = compile(f"import pathlib; pathlib.Path({str(marker)!r}).touch()", "t", "exec")
        return bc_magic + pickle.dumps(Hostile(marker), 2) + marshal.dumps(code)
    return pickle.dumps({"code": "x", "entries": Hostile(marker), "stats": {}}, protocol=5)


@pytest.mark.parametrize("header", ["none", "forged"], ids=["bare-pickle", "forged-signature"])
def test_a_hostile_cache_runs_nothing_and_changes_nothing(site, tmp_path, header):
    marker = tmp_path / "pwned"
    env = _environment(tmp_path)
    planted = _cache_files(site)
    kinds = {p.relative_to(site / CACHE_DIR).parts[0] for p in planted}
    assert kinds == {"content.pickle", "rendered.pickle", "stylesheets", "templates"}
    # Jinja's own file names too, in case its FileSystemBytecodeCache came back.
    templates = [p for p in planted if p.parent.name == "templates"]
    planted += [p.with_name(f"__jinja2_{p.stem}.cache") for p in templates]
    for path in planted:
        bad = _hostile(path, marker)
        if header == "forged":
            bad = cachekey.MAGIC + bytes(32) + bad
        path.write_bytes(bad)

    checked = _run(["validate"], site, env)
    built = _run(["build", "-q", "--now", NOW, "-d", str(tmp_path / "out")], site, env)
    plain = _run(
        ["build", "-q", "--now", NOW, "--no-cache", "-d", str(tmp_path / "ref")], site, env
    )

    assert not marker.exists(), "a cache file ran code"
    assert checked.returncode == 0, checked.stderr
    assert "OK: 3 components" in checked.stderr
    assert built.returncode == 0 and plain.returncode == 0, built.stderr + plain.stderr
    assert differences(snapshot(tmp_path / "ref"), snapshot(tmp_path / "out")) == []
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "first")


#: Runs `statusbook ARGS` and writes what was done again rather than found in the cache.
COUNTING = """
import json, sys
import jinja2
from statusbook.cli import main as cli
from statusbook.content import load as content
from statusbook.cache.bytecode import SignedBytecodeCache
from statusbook.cache.store import RenderStore
from statusbook.hosts.theme_code import ThemeCode
from statusbook.outputs.pages.shipped import Shipped

counts = {"parsed": 0, "compiled": 0, "shipped": 0, "templates_found": 0, "pages_found": 0}

def counted(name, real, found=None):
    def wrapper(*args, **kwargs):
        value = real(*args, **kwargs)
        if found is None or found(value):
            counts[name] += 1
        return value
    return wrapper

content._check_file = counted("parsed", content._check_file)
jinja2.Environment.compile = counted("compiled", jinja2.Environment.compile)
RenderStore.get = counted("pages_found", RenderStore.get, lambda v: v is not None)
Shipped.code = counted("shipped", Shipped.code, lambda v: v is not None)
ThemeCode._shipped = counted("shipped", ThemeCode._shipped, lambda v: v is not None)
load = SignedBytecodeCache.load_bytecode
def load_bytecode(self, bucket):
    load(self, bucket)
    counts["templates_found"] += bucket.code is not None
SignedBytecodeCache.load_bytecode = load_bytecode
try:
    cli.main(sys.argv[2:], prog_name="statusbook")
finally:
    with open(sys.argv[1], "w") as f:
        json.dump(counts, f)
"""


def _counted(site: Path, env: dict[str, str], out: Path) -> dict[str, int]:
    counts = site.parent / "counts.json"
    args = ["build", "-q", "--now", NOW, "-d", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", COUNTING, str(counts), *args],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(counts.read_text(encoding="utf-8"))


def test_a_cache_signed_with_the_users_key_is_used(site, tmp_path):
    env = _environment(tmp_path)
    warm = _counted(site, env, tmp_path / "warm")
    assert warm["parsed"] == 0, "every content file came from the cache"
    assert warm["templates_found"] > 0, "compiled templates came from the cache"
    assert warm["pages_found"] > 0, "rendered pages came from the cache"

    # Another user (another key) finds the same files and trusts none of them.
    other = {**env, "XDG_CACHE_HOME": str(tmp_path / "other-user")}
    cold = _counted(site, other, tmp_path / "cold")
    assert cold["parsed"] == 3 and cold["templates_found"] == 0 and cold["pages_found"] == 0
    # (Material compiles its language partials before any plugin can give it a cache; our
    # own templates come compiled with the package, templates/compiled.json, and so do
    # Material's, hosts/theme_code.json.)
    assert cold["compiled"] + cold["shipped"] >= warm["compiled"] + warm["templates_found"]
    assert warm["shipped"] == 0, "the site's bytecode cache comes first"
    assert snapshot(tmp_path / "warm") == snapshot(tmp_path / "cold")


def test_the_key_is_made_once_in_the_users_cache_home_readable_by_the_user_only(site, tmp_path):
    key = tmp_path / "xdg" / "statusbook" / "cache.key"
    made = key.read_bytes()
    assert len(made) == cachekey.KEY_BYTES
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert _run(["validate"], site, _environment(tmp_path)).returncode == 0
    assert key.read_bytes() == made, "kept, not made again"
    assert not list(site.rglob("cache.key")), "never in the site"


def test_a_key_kept_inside_the_site_turns_the_cache_off(tmp_path):
    env = _environment(tmp_path)
    assert _run(["init", "site"], tmp_path, env).returncode == 0
    site = tmp_path / "site"
    env[cachekey.ENV_KEY_FILE] = str(site / "keys" / "cache.key")
    assert (
        _run(["build", "-q", "--now", NOW, "-d", str(tmp_path / "out")], site, env).returncode == 0
    )
    assert not (site / CACHE_DIR).exists(), "a key in the repository is no secret"


def _git(site: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=site, check=True, capture_output=True)


def test_validate_and_build_refuse_a_cache_folder_tracked_by_git(site, tmp_path):
    env = _environment(tmp_path)
    _git(site, "init", "-q")
    _git(site, "add", "-f", ".cache/statusbook/content.pickle")
    before = snapshot(tmp_path / "first")

    checked = _run(["validate"], site, env)
    built = _run(["build", "-q", "--now", NOW, "-d", str(tmp_path / "first")], site, env)
    plain = _run(["build", "-q", "--now", NOW, "--no-cache", "-d", str(tmp_path / "x")], site, env)

    expected = (
        ".cache/statusbook: error: the cache folder .cache/statusbook/ is tracked by git "
        "(1 file); it holds internal content and must never be committed\n"
        "    hint: run `git rm -r --cached .cache/statusbook`, commit, and keep `.cache/` in "
        ".gitignore"
    )
    assert checked.returncode == 1 and expected in checked.stderr
    assert built.returncode == 1 and expected in built.stderr
    assert plain.returncode == 1 and expected in plain.stderr
    assert snapshot(tmp_path / "first") == before, "the previous site is untouched"
    assert not (tmp_path / "x").exists(), "nothing built"

    _git(site, "rm", "-r", "-q", "--cached", ".cache/statusbook")
    assert _run(["validate"], site, env).returncode == 0
