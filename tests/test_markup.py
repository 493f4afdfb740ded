"""Markdown in content: sanitised, forgiving, and the plain-text shortcut changes nothing."""

from __future__ import annotations

import random

import markdown
import nh3
import pytest

from statusbook.outputs import markup


def _reference(text: str) -> str:
    converter = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists"], output_format="html"
    )
    return nh3.clean(
        converter.convert(markup._normalise(text, True)),
        tags=markup._TAGS,
        attributes=markup._ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


WORDS = [
    "We",
    "are",
    "investigating",
    "errors",
    "on",
    "the",
    "API.",
    "Next",
    "update",
    "by",
    "10:30",
    "UTC.",
    "It's",
    '"quoted"',
    "(parens)",
    "50%",
    "—",
    "ünïcode",
    "e-mail",
    "-",
    "1.",
    "2)",
    "*",
    "_",
    "#",
    "<b>",
    "&amp;",
    "[x](y)",
    "`code`",
    "~",
    "|",
    "=",
    ">",
    "+",
]


def _random_text(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.2:
            lines.append("")
            continue
        indent = rng.choice(["", "", "", " ", "  ", "    "])
        lines.append(indent + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9))))
    return "\n".join(lines)


def test_plain_text_shortcut_matches_python_markdown_on_random_texts():
    """The shortcut (skip Markdown for plain prose) must give byte-identical HTML."""
    rng = random.Random(20261123)
    taken = 0
    for _ in range(6000):
        text = _random_text(rng)
        if not text.strip():
            continue
        fast = markup._plain(text)
        if fast is None:
            continue
        taken += 1
        assert fast == _reference(text), repr(text)
    assert taken > 50  # the shortcut is actually exercised


@pytest.mark.parametrize(
    "text",
    [
        "Investigating.\n- one\n- two",
        "<script>alert(1)</script>hello",
        "[link](javascript:alert(1))",
        "a & b",
        "x\n===",
        "x\n---",
        "Some *emphasis* here",
    ],
    ids=["list", "script", "js-link", "ampersand", "setext-h1", "setext-h2", "emphasis"],
)
def test_text_with_markup_takes_the_full_path(text):
    assert markup._plain(text) is None
    assert markup.Markup().message(text) == _reference(text)


def test_scripts_and_javascript_links_never_survive():
    html = markup.Markup().message(
        '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="y">'
    )
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_a_list_right_after_a_line_of_text_is_a_list():
    html = markup.Markup().message("We are checking:\n- payments\n- payouts")
    assert "<ul>" in html and "<li>payments</li>" in html
