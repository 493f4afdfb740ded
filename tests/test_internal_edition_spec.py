"""Exactly how an internal block renders: in the `--internal` edition, a labelled admonition
between the text that stood around it; in the public edition, nothing, with the text around it
untouched. One incident with a block in its body and one in its update message, built twice.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import build, write_site

NOW = "2026-05-10T12:00:00Z"
INCIDENT = """\
---
title: Checkout errors
impact: minor
components: [api]
updates:
  - at: 2026-05-01T09:00:00Z
    status: resolved
    message: |
      Message before.
      <!-- internal -->
      Message secret.
      <!-- /internal -->
---
Before the block.

<!-- INTERNAL -->
Held **back**.

Second line.
<!-- /internal -->

After the block.
"""
ADMONITION = (
    '<div class="admonition internal">\n'
    '<p class="admonition-title">Internal: not on the public site</p>\n'
    "{}\n"
    "</div>"
)


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """The incident page's body and update message, as HTML, in each edition."""
    tmp = tmp_path_factory.mktemp("editions")
    site = write_site(tmp / "site", {"content/incidents/2026-05-01-checkout.md": INCIDENT})
    pages = {}
    for edition, flags in (("public", ()), ("internal", ("--internal",))):
        out = tmp / edition
        result = build(site, "-d", out, "--now", NOW, *flags)
        assert result.exit_code == 0, result.output
        html = (out / "incidents/2026-05-01-checkout/index.html").read_text("utf-8")
        soup = BeautifulSoup(html, "html.parser")
        pages[edition] = {
            "body": soup.select_one(".sb-body").decode_contents(),
            "message": soup.select_one(".sb-update-body").decode_contents(),
        }
    return pages


def test_the_internal_edition_renders_a_body_block_as_a_labelled_admonition_in_place(editions):
    block = ADMONITION.format("<p>Held <strong>back</strong>.</p>\n<p>Second line.</p>")
    assert editions["internal"]["body"] == (
        f"<p>Before the block.</p>\n{block}\n<p>After the block.</p>"
    )


def test_the_internal_edition_renders_a_message_block_after_the_text_before_it(editions):
    block = ADMONITION.format("<p>Message secret.</p>")
    assert editions["internal"]["message"] == f"<p>Message before.</p>\n{block}"


def test_the_public_edition_renders_only_the_text_around_the_blocks(editions):
    assert editions["public"] == {
        "body": "<p>Before the block.</p>\n<p>After the block.</p>",
        "message": "<p>Message before.</p>",
    }
