"""`statusbook init` pins requirements.txt to the Statusbook it ran as, never to a bare name
that whoever registers it on PyPI would control (issue #16)."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pytest

from conftest import run_cli
from statusbook.scaffold import provenance
from statusbook.scaffold.provenance import requirement

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class FakeDistribution:
    """An installed distribution as importlib.metadata shows it: a version and its files."""

    def __init__(self, version: str, direct_url: dict[str, object] | str | None) -> None:
        self.version = version
        self._direct_url = direct_url

    def read_text(self, filename: str) -> str | None:
        if filename != "direct_url.json" or self._direct_url is None:
            return None
        raw = self._direct_url
        return raw if isinstance(raw, str) else json.dumps(raw)


def _requirement_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_a_git_install_pins_the_exact_commit_not_the_tag_it_was_asked_for():
    dist = FakeDistribution(
        "0.1.0",
        {
            "url": "https://github.com/acme/statusbook",
            "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "v0.1.0"},
        },
    )
    pinned = requirement(dist)
    assert _requirement_lines(pinned.text) == [
        f"statusbook @ git+https://github.com/acme/statusbook@{COMMIT}"
    ]
    assert pinned.warning == ""


def test_an_archive_install_is_pinned_by_its_url_and_sha256():
    dist = FakeDistribution(
        "0.1.0",
        {
            "url": "https://files.example.org/statusbook-0.1.0.tar.gz",
            "archive_info": {"hashes": {"sha256": "ab" * 32}, "hash": "sha256=" + "ab" * 32},
        },
    )
    assert _requirement_lines(requirement(dist).text) == [
        "statusbook @ https://files.example.org/statusbook-0.1.0.tar.gz#sha256=" + "ab" * 32
    ]


def test_an_index_install_is_pinned_to_its_exact_version():
    pinned = requirement(FakeDistribution("0.3.2", None))
    assert _requirement_lines(pinned.text) == ["statusbook==0.3.2"]
    assert pinned.warning == ""


@pytest.mark.parametrize(
    "direct_url",
    [
        {"url": "file:///home/me/src/statusbook", "dir_info": {"editable": True}},
        {"url": "file:///home/me/src/statusbook", "dir_info": {}},
        {"url": "file:///tmp/statusbook", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
        {"url": "https://hg.example.org/statusbook", "vcs_info": {"vcs": "hg", "commit_id": "1"}},
        {"url": "https://example.org/statusbook/", "dir_info": {}},
        "{not json",
        {"no_url": True},
    ],
    ids=["editable", "folder", "local-git", "not-git", "remote-folder", "broken", "no-url"],
)
def test_a_source_ci_cannot_install_leaves_no_requirement_and_says_what_to_write(direct_url):
    pinned = requirement(FakeDistribution("0.1.0", direct_url))
    assert _requirement_lines(pinned.text) == []
    assert "statusbook @ git+https://github.com/OWNER/statusbook@<40-hex commit>" in pinned.text
    assert "Never write a bare `statusbook`" in pinned.text
    assert pinned.warning.startswith("names no Statusbook that CI can install: ")
    assert "(hint: " in pinned.warning


def test_no_installed_distribution_is_unpinnable_too():
    pinned = requirement(None)
    assert _requirement_lines(pinned.text) == [] and pinned.warning


def test_no_case_ever_writes_a_bare_name_or_a_lower_bound():
    cases = [
        None,
        FakeDistribution("0.1.0", None),
        FakeDistribution("0.1.0", {"url": "file:///x", "dir_info": {}}),
        FakeDistribution(
            "0.1.0", {"url": "https://g.example/s", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}
        ),
    ]
    for dist in cases:
        for line in _requirement_lines(requirement(dist).text):
            assert line.startswith(("statusbook==", "statusbook @ ")), line
            assert ">=" not in line


def test_a_real_dist_info_folder_is_read_through_importlib_metadata(tmp_path):
    """The same reading as `init` does, on metadata pip would have written."""
    info = tmp_path / "statusbook-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: statusbook\nVersion: 0.1.0\n")
    (info / "direct_url.json").write_text(
        json.dumps({"url": "https://github.com/acme/statusbook", "vcs_info": {
            "vcs": "git", "commit_id": COMMIT}})
    )  # fmt: skip
    dist = metadata.PathDistribution(info)
    assert _requirement_lines(requirement(dist).text) == [
        f"statusbook @ git+https://github.com/acme/statusbook@{COMMIT}"
    ]


def test_init_writes_the_pinned_line_and_warns_only_when_it_cannot_pin(tmp_path, monkeypatch):
    pinned_git = FakeDistribution(
        "0.1.0", {"url": "https://github.com/acme/statusbook", "vcs_info": {
            "vcs": "git", "commit_id": COMMIT}}
    )  # fmt: skip
    monkeypatch.setattr(provenance, "installed", lambda: pinned_git)
    result = run_cli(["init", str(tmp_path / "a"), "--name", "A"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "a" / "requirements.txt").read_text(encoding="utf-8")
    assert f"statusbook @ git+https://github.com/acme/statusbook@{COMMIT}\n" in text
    assert "Warning" not in result.stderr

    local = FakeDistribution("0.1.0", {"url": "file:///src/statusbook", "dir_info": {}})
    monkeypatch.setattr(provenance, "installed", lambda: local)
    result = run_cli(["init", str(tmp_path / "b"), "--name", "B"])
    assert result.exit_code == 0, result.output
    assert (
        f"Warning: {tmp_path / 'b' / 'requirements.txt'}: names no Statusbook that CI can "
        "install: it was installed from file:///src/statusbook, which CI cannot reach"
    ) in result.stderr
    assert _requirement_lines((tmp_path / "b" / "requirements.txt").read_text()) == []


def test_the_template_holds_no_requirement_of_its_own():
    """Only `init` decides the line: the packaged template carries a placeholder."""
    template = Path(provenance.__file__).parent.parent / "site_template" / "requirements.txt"
    assert template.read_text(encoding="utf-8") == "__REQUIREMENTS__"
