"""`statusbook new postmortem` (#21): the draft can be written, and published unchanged it
renders cleanly (no stray comment text, internal blocks hidden); a published postmortem that
still holds the draft's "TODO" placeholders gets one warning, an error under --strict.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import NOW, build, run_cli, validate, write_site

INCIDENT = "content/incidents/2026/2026-03-14-api-errors.md"
DRAFT = "content/postmortems/2026-03-14-api-errors.md"

#: An incident with what the draft copies into internal blocks (severity, roles).
RESOLVED = """\
---
title: API errors
impact: major
severity: SEV2
components: [api]
roles:
  commander: Platform on-call
  scribe: SRE on-call
started: 2026-03-14T09:02:00Z
resolved: 2026-03-14T10:20:00Z
updates:
  - at: 2026-03-14T09:10:00Z
    status: investigating
    message: We are looking into it.
  - at: 2026-03-14T10:20:00Z
    status: resolved
    message: Fixed.
---
Body text.
"""


class _Text(HTMLParser):
    """The text a reader sees in the page's article (comments are not text)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def draft_site(tmp_path):
    site = write_site(tmp_path / "site", {INCIDENT: RESOLVED})
    result = run_cli(["new", "postmortem", "2026-03-14-api-errors", "-f", site / "mkdocs.yml"])
    assert result.exit_code == 0, result.output
    return site


def publish(site):
    path = site / DRAFT
    text = path.read_text()
    path.write_text(re.sub(r"^status: draft.*$", "status: published", text, flags=re.M))


def test_the_draft_is_written_for_the_default_sections(tmp_path):
    site = draft_site(tmp_path)
    text = (site / DRAFT).read_text()
    assert "## Supporting links" in text
    assert "<!-- internal -->\nSeverity: SEV2\n<!-- /internal -->" in text


def test_a_draft_published_unchanged_renders_without_stray_comment_text(tmp_path):
    site = draft_site(tmp_path)
    publish(site)
    out = tmp_path / "out"
    result = build(site, "-d", out, "--now", NOW)
    assert result.exit_code == 0, result.output
    page = (out / "postmortems" / "2026-03-14-api-errors" / "index.html").read_text()
    parser = _Text()
    parser.feed(page)
    text = " ".join(parser.parts)
    assert "Supporting links" in text and "What went well" in text
    for stray in ("-->", "<!--", "internal", "SEV2", "Platform on-call"):
        assert stray not in text, stray
    assert "&lt;!--" not in page and "--&gt;" not in page


def test_published_placeholders_give_one_warning_naming_each_section(tmp_path):
    site = draft_site(tmp_path)
    publish(site)
    result = validate(site, "--no-lint")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1, result.stderr
    lines = (site / DRAFT).read_text().split("\n")
    first = lines.index("TODO") + 1
    assert warnings[0].startswith(
        f"{DRAFT}:{first}:1: warning: the published postmortem still holds the placeholder "
        "'TODO' in 12 sections: '## Summary', '## Impact', "
    )
    assert "'## Supporting links' (lines " in warnings[0]


def test_a_draft_with_placeholders_gets_no_warning(tmp_path):
    site = draft_site(tmp_path)
    result = validate(site, "--no-lint")
    assert result.exit_code == 0
    assert "placeholder" not in result.stderr


def test_a_written_postmortem_gets_no_placeholder_warning(tmp_path):
    site = draft_site(tmp_path)
    publish(site)
    path = site / DRAFT
    path.write_text(path.read_text().replace("\nTODO\n", "\nNone.\n"))
    result = validate(site, "--no-lint")
    assert "placeholder" not in result.stderr, result.stderr


def test_placeholders_fail_a_strict_build(tmp_path):
    site = draft_site(tmp_path)
    publish(site)
    result = build(
        site,
        "-d",
        tmp_path / "out",
        "--now",
        NOW,
        "--strict",
        "--site-url",
        "https://status.example/",
    )
    assert result.exit_code == 1
    assert "still holds the placeholder 'TODO'" in result.output
