"""The marker rules as a specification: which lines are markers, what each mistake is told, and
the exact text of both editions.

A marker is a line holding only `<!-- internal -->` or `<!-- /internal -->` (spaces, tabs and
letter case forgiven) outside a code fence. Every other HTML comment that mentions the word
"internal" is reported where it stands, once per line (once per fence), because a marker we
do not recognise publishes the text its author meant to hide.
"""

from __future__ import annotations

import pytest

from statusbook.content import markers
from statusbook.content.markers import Problem, field_problems, problems, public_text

FORMS_HINT = (
    "write '<!-- internal -->' and '<!-- /internal -->', each on a line of its own "
    "(put any reason inside the block)"
)
LABEL = '!!! internal "Internal: not on the public site"'


# --- which lines are markers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("open_", "close"),
    [
        ("<!-- INTERNAL -->", "<!-- /INTERNAL -->"),
        ("<!-- Internal -->", "<!-- / Internal -->"),
        ("\t<!--\tinternal\t-->\t", " <!--\t/\tinternal\t--> "),
        ("<!--internal-->", "<!--/internal-->"),
    ],
    ids=["upper", "capitalised", "tabs", "tight"],
)
def test_variant_markers_hide_their_block(open_, close):
    text = f"before\n{open_}\nSECRET\n{close}\nafter"
    assert problems(text) == []
    assert public_text(text) == "before\nafter"


@pytest.mark.parametrize(
    "line",
    ["<!-- internal --> x", "x <!-- internal -->", "<!-- internal -- >", "<!-- internals -->"],
)
def test_a_line_with_more_than_the_marker_is_not_a_marker(line):
    assert "SECRET" in public_text(f"a\n{line}\nSECRET")


def test_text_without_a_comment_is_returned_as_the_same_object():
    text = "No comment here, internal or not."
    assert public_text(text) is text
    assert markers.labelled_text(text) is text
    assert problems(text) == []


# --- unbalanced markers: one clear problem each --------------------------------------------------


def test_a_block_opened_twice_is_reported_on_the_second_opening():
    text = "a\n<!-- internal -->\nx\n  <!-- INTERNAL -->\ny\n<!-- /internal -->"
    assert problems(text) == [
        Problem(
            3,
            3,
            "an internal block starts inside the one opened on line 2",
            "close the first block with '<!-- /internal -->' before opening another",
        )
    ]


def test_a_close_without_an_open_is_reported_where_it_stands():
    assert problems("a\n\t<!-- /Internal -->\nb") == [
        Problem(
            1,
            2,
            "'<!-- /internal -->' closes no internal block",
            "add a line '<!-- internal -->' before the internal text, or remove this line",
        )
    ]


def test_a_block_never_closed_is_reported_on_its_opening_line():
    assert problems("a\n   <!-- internal -->\nSECRET\nmore") == [
        Problem(
            1,
            4,
            "internal block is never closed: everything after it would be hidden, or, "
            "were the marker mistyped, published",
            "add a line '<!-- /internal -->' where the internal text ends",
        )
    ]


def test_a_closed_block_followed_by_a_second_close_reports_only_the_second():
    text = "<!-- internal -->\nx\n<!-- /internal -->\n<!-- /internal -->"
    assert [(p.line, p.message) for p in problems(text)] == [
        (3, "'<!-- /internal -->' closes no internal block")
    ]


def test_two_well_formed_blocks_in_a_row_are_fine():
    text = "<!-- internal -->\nx\n<!-- /internal -->\n<!-- internal -->\ny\n<!-- /internal -->"
    assert problems(text) == []
    assert public_text(text) == ""


def test_a_mistyped_opening_is_reported_and_its_close_too():
    text = "a\n<!-- internl -->\nSECRET\n<!-- /internal -->"
    assert [p.line for p in problems(text)] == [3]
    assert "SECRET" in public_text(text)


# --- look-alikes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "col", "message"),
    [
        (
            "x <!-- internal --> y",
            3,
            "an internal marker must stand on a line of its own: inline, it hides nothing",
        ),
        (
            "<!-- internal --> then words",
            1,
            "an internal marker must stand on a line of its own: inline, it hides nothing",
        ),
        (
            "<!-- a --> <!-- internal -->",
            12,
            "an internal marker must stand on a line of its own: inline, it hides nothing",
        ),
        (
            "  <!-- Internal note for ops -->",
            3,
            "'<!-- Internal note for ops -->' is not an internal marker: "
            "the text around it would be published",
        ),
        (
            "<!-- INTERNAL",
            1,
            "this HTML comment mentions 'internal' but is not a marker, and is not closed",
        ),
        (
            "see <!-- internal\nstill the comment -->",
            5,
            "this HTML comment mentions 'internal' but is not a marker, and is not closed",
        ),
    ],
    ids=[
        "inline",
        "marker-then-words",
        "after-a-comment",
        "extra-words",
        "unclosed",
        "spanning-lines",
    ],
)
def test_a_lookalike_is_reported_with_what_is_wrong(text, col, message):
    assert problems(text) == [Problem(0, col, message, FORMS_HINT)]


def test_a_long_lookalike_is_shown_cut_at_sixty_characters():
    comment = "<!-- internal " + "w" * 43 + " -->"  # 61 characters
    (problem,) = problems(comment)
    assert problem.message == (
        f"'{comment[:57]}...' is not an internal marker: the text around it would be published"
    )
    exact = "<!-- internal " + "w" * 42 + " -->"  # 60 characters: shown whole
    assert problems(exact)[0].message.startswith(f"'{exact}' is not")


def test_a_multiline_comment_mentioning_internal_is_reported_at_its_start():
    text = "intro\n<!--\n  internal\n-->"
    assert [(p.line, p.col) for p in problems(text)] == [(1, 1)]


@pytest.mark.parametrize(
    "text",
    [
        "<!-- internally reviewed -->",
        "<!-- an ordinary comment --> internal",
        "internal <!-- comment -->",
        "<!-- -->\ninternal",
    ],
)
def test_the_word_outside_a_comment_or_inside_another_word_is_no_marker(text):
    assert problems(text) == []
    assert not markers.has_lookalike(text)


def test_has_lookalike_needs_a_comment_with_the_word():
    assert markers.has_lookalike("a <!-- INTERNAL --> b")
    assert markers.has_lookalike("<!-- internal")
    assert not markers.has_lookalike("internal only")


def test_one_problem_per_line():
    text = "x <!-- internal --> y <!-- internal --> z"
    assert [(p.line, p.col) for p in problems(text)] == [(0, 3)]


def test_problems_come_in_the_order_of_the_text():
    text = "<!-- internal please -->\nb\n<!-- /internal -->\nx <!-- internal -->"
    assert [p.line for p in problems(text)] == [0, 2, 3]
    # Opened twice and never closed: both problems stand on the second opening.
    same_line = "<!-- internal -->\n<!-- internal -->"
    assert [(p.line, p.message[:22]) for p in problems(same_line)] == [
        (1, "an internal block star"),
        (1, "internal block is neve"),
    ]


# --- fences --------------------------------------------------------------------------------------


def test_markers_in_a_fence_are_text_reported_once_per_fence():
    text = "~~~\n<!-- internal -->\nSECRET\n<!-- /internal -->\n~~~\n```\n<!-- internal -->\n```"
    assert public_text(text) == text
    assert [(p.line, p.col) for p in problems(text)] == [(1, 1), (6, 1)]
    assert problems(text)[0] == Problem(
        1,
        1,
        "an internal marker inside a code block is shown as text and hides nothing",
        "close the code block before the marker, or move the marker out of it",
    )


@pytest.mark.parametrize(
    ("fence", "not_a_close"),
    [
        ("````", "```"),  # shorter
        ("```", "~~~"),  # the other character
        ("```", "```python"),  # an info string opens, never closes
        ("~~~", "~~~ x"),
    ],
)
def test_a_fence_closes_only_on_a_bare_line_of_as_many_of_its_characters(fence, not_a_close):
    text = f"{fence}\n{not_a_close}\n<!-- internal -->\nSECRET\n<!-- /internal -->\n{fence}\nend"
    assert public_text(text) == text
    assert [p.line for p in problems(text)] == [2]


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_a_closing_fence_as_long_as_the_opening_closes_it(fence):
    text = f"{fence}\ncode\n{fence}\n<!-- internal -->\nSECRET\n<!-- /internal -->\nend"
    assert problems(text) == []
    assert public_text(text) == f"{fence}\ncode\n{fence}\nend"
    assert markers.labelled_text(text) == f"{fence}\ncode\n{fence}\n\n{LABEL}\n    SECRET\n\nend"


def test_a_longer_closing_fence_closes_and_markers_after_it_work():
    text = "```\ncode\n`````\n<!-- internal -->\nSECRET\n<!-- /internal -->\nend"
    assert problems(text) == []
    assert public_text(text) == "```\ncode\n`````\nend"


def test_a_fence_indented_four_spaces_is_no_fence():
    text = "    ```\n<!-- internal -->\nSECRET\n<!-- /internal -->\nend"
    assert problems(text) == []
    assert public_text(text) == "    ```\nend"


def test_a_fence_indented_three_spaces_is_a_fence():
    text = "   ```\n<!-- internal -->\n   ```\nend"
    assert public_text(text) == text
    assert [p.message[:30] for p in problems(text)] == ["an internal marker inside a co"]


# --- one-line fields -----------------------------------------------------------------------------


def test_a_marker_in_a_one_line_field_is_reported_once_per_line():
    hint = (
        "remove the marker: put internal text in the body inside an internal block "
        "('<!-- internal -->' and '<!-- /internal -->', each on a line of its own), "
        "or make the whole entry 'visibility: internal'"
    )
    message = (
        "internal markers work only in a body or an update's message; "
        "this field is published exactly as written"
    )
    text = "Title <!-- internal --> and <!-- INTERNAL -->\nnext <!-- internal"
    assert field_problems(text) == [Problem(0, 7, message, hint), Problem(1, 6, message, hint)]
    assert field_problems("Plain title <!-- comment -->") == []
    assert field_problems("internal title") == []


# --- the two editions ----------------------------------------------------------------------------


def test_public_text_keeps_everything_around_blocks_exactly():
    text = "  lead\n\n<!-- internal -->\nS1\n\nS2\n<!-- /internal -->\n\ntail  \n<!-- x -->"
    assert public_text(text) == "  lead\n\n\ntail  \n<!-- x -->"


def test_labelled_text_labels_each_block_and_indents_its_lines():
    text = (
        "lead\n<!-- internal -->\nS1\n   \n  S2\n<!-- /internal -->\nmid\n"
        "<!-- INTERNAL -->\nS3\n<!-- /internal -->\ntail"
    )
    assert markers.labelled_text(text) == "\n".join(
        [
            "lead",
            "",
            LABEL,
            "    S1",
            "",
            "      S2",
            "",
            "mid",
            "",
            LABEL,
            "    S3",
            "",
            "tail",
        ]
    )


def test_labelled_text_of_an_unclosed_block_labels_to_the_end():
    assert markers.labelled_text("a\n<!-- internal -->\nS") == f"a\n\n{LABEL}\n    S"


def test_labelled_text_leaves_fenced_markers_alone():
    text = "```\n<!-- internal -->\n```"
    assert markers.labelled_text(text) == text


@pytest.mark.parametrize(
    ("text", "blank"),
    [
        ("<!-- internal -->\nS\n<!-- /internal -->", True),
        ("\n<!-- internal -->\nS\n<!-- /internal -->\n  ", True),
        ("a\n<!-- internal -->\nS\n<!-- /internal -->", False),
        ("", False),
        ("  \n", False),
        ("plain", False),
    ],
)
def test_a_text_is_blank_publicly_only_when_it_had_something_and_all_was_internal(text, blank):
    assert markers.is_blank_publicly(text) is blank
