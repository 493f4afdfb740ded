"""The leak gate as a specification: what `public_view` and `internal_view` keep and drop.

Pure functions of a corpus, so each rule is one small corpus and one assertion. The public view
carries no internal entry, no draft, no internal field and no internal block; the internal
edition keeps everything but drafts. Unchanged entries are passed through as the same objects
(large sites would otherwise pay for a copy of every entry).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import corpus, incident, upd, window
from statusbook.model import Postmortem, PostmortemStatus, Roles, Runbook, Visibility
from statusbook.views.visibility import internal_view, public_view

BLOCK = "Public line.\n<!-- internal -->\nSECRET\n<!-- /internal -->\nPublic end."
PUBLIC_PART = "Public line.\nPublic end."


def _postmortem(ident: str, status: str = "published", visibility: str = "public", ids=("a",)):
    return Postmortem(
        id=ident,
        path=f"content/postmortems/{ident}.md",
        title=ident,
        incident_ids=tuple(ids),
        status=PostmortemStatus(status),
        body=BLOCK,
        visibility=Visibility(visibility),
    )


def _with_postmortems(*postmortems, incidents=()):
    return replace(corpus(incidents), postmortems=tuple(postmortems))


# --- public: entries -----------------------------------------------------------------------------


def test_public_view_drops_internal_incidents_and_keeps_public_ones():
    kept = incident("kept", [upd("2026-05-10T09:00")])
    hidden = incident("hidden", [upd("2026-05-10T09:00")], visibility="internal")
    assert [i.id for i in public_view(corpus([kept, hidden])).incidents] == ["kept"]


def test_public_view_drops_internal_maintenance_and_keeps_public_windows():
    kept = window("kept", "2026-05-11T02:00", "2026-05-11T04:00")
    hidden = replace(
        window("hidden", "2026-05-11T02:00", "2026-05-11T04:00"), visibility=Visibility.INTERNAL
    )
    view = public_view(corpus(maintenance=[kept, hidden]))
    assert [m.id for m in view.maintenance] == ["kept"]


@pytest.mark.parametrize(
    ("status", "visibility", "published"),
    [
        ("published", "public", True),
        ("draft", "public", False),
        ("published", "internal", False),
        ("draft", "internal", False),
    ],
)
def test_public_view_publishes_only_public_published_postmortems(status, visibility, published):
    view = public_view(_with_postmortems(_postmortem("p", status, visibility)))
    assert [p.id for p in view.postmortems] == (["p"] if published else [])


def test_a_public_postmortem_names_only_the_public_incidents_it_covers():
    public = incident("a", [upd("2026-05-10T09:00")])
    hidden = incident("b", [upd("2026-05-10T09:00")], visibility="internal")
    view = public_view(
        _with_postmortems(_postmortem("p", ids=("a", "b")), incidents=[public, hidden])
    )
    assert view.postmortems[0].incident_ids == ("a",)


# --- public: fields and blocks ------------------------------------------------------------------


def test_public_incidents_carry_no_severity_notes_or_roles():
    secret = replace(
        incident("a", [upd("2026-05-10T09:00")]),
        severity="SEV1",
        notes="Rolled back deploy 4812.",
        roles=Roles(commander="Ana", communications="Bo", scribe="Cy", experts=("Di",)),
    )
    (public,) = public_view(corpus([secret])).incidents
    assert (public.severity, public.notes, public.roles) == ("", "", Roles())


def test_public_runbooks_are_an_empty_tuple_and_components_without_them_pass_through():
    book = (Runbook("Restart the API", "https://runbooks.example/api"),)
    with_books = replace(
        corpus([replace(incident("a", [upd("2026-05-10T09:00")]), runbooks=book)]),
    )
    with_books = replace(
        with_books,
        components=(replace(with_books.components[0], runbooks=book), *with_books.components[1:]),
    )
    public = public_view(with_books)
    assert public.incidents[0].runbooks == ()
    assert public.components[0].runbooks == ()
    # A template testing `runbooks | length` or iterating it works the same on both editions.
    assert isinstance(public.incidents[0].runbooks, tuple)
    assert isinstance(public.components[0].runbooks, tuple)
    assert all(
        a is b for a, b in zip(public.components[1:], with_books.components[1:], strict=True)
    )


def test_internal_blocks_leave_every_public_text():
    entry = replace(incident("a", [upd("2026-05-10T09:00", message=BLOCK)]), body=BLOCK)
    maint = replace(
        window("m", "2026-05-11T02:00", "2026-05-11T04:00", [upd("2026-05-09T09:00", "scheduled")]),
        body=BLOCK,
    )
    maint = replace(maint, updates=(replace(maint.updates[0], message=BLOCK),))
    view = public_view(
        replace(_with_postmortems(_postmortem("p")), incidents=(entry,), maintenance=(maint,))
    )
    texts = [
        view.incidents[0].body,
        view.incidents[0].updates[0].message,
        view.maintenance[0].body,
        view.maintenance[0].updates[0].message,
        view.postmortems[0].body,
    ]
    assert texts == [PUBLIC_PART] * 5


def test_a_block_only_in_an_update_is_still_removed_when_the_body_has_none():
    entry = incident("a", [upd("2026-05-10T09:00"), upd("2026-05-10T10:00", message=BLOCK)])
    (public,) = public_view(corpus([entry])).incidents
    assert [u.message for u in public.updates] == ["An update.", PUBLIC_PART]
    maint = window(
        "m",
        "2026-05-11T02:00",
        "2026-05-11T04:00",
        [upd("2026-05-09T09:00", "scheduled", message=BLOCK)],
    )
    (public_window,) = public_view(corpus(maintenance=[maint])).maintenance
    assert public_window.updates[0].message == PUBLIC_PART


def test_a_block_only_in_the_body_is_still_removed_when_the_updates_have_none():
    entry = replace(incident("a", [upd("2026-05-10T09:00")]), body=BLOCK)
    assert public_view(corpus([entry])).incidents[0].body == PUBLIC_PART
    maint = replace(window("m", "2026-05-11T02:00", "2026-05-11T04:00"), body=BLOCK)
    assert public_view(corpus(maintenance=[maint])).maintenance[0].body == PUBLIC_PART


def test_updates_without_markers_are_passed_through_not_copied():
    entry = incident("a", [upd("2026-05-10T09:00"), upd("2026-05-10T10:00", "resolved")])
    (public,) = public_view(corpus([entry])).incidents
    assert public.updates is entry.updates


def test_only_the_update_with_a_block_is_copied():
    first = upd("2026-05-10T09:00")
    entry = incident("a", [first, upd("2026-05-10T10:00", message=BLOCK)])
    (public,) = public_view(corpus([entry])).incidents
    assert public.updates[0] is first
    assert public.updates[1].message == PUBLIC_PART


def test_a_postmortem_with_nothing_internal_is_passed_through_not_copied():
    plain = replace(_postmortem("p", ids=("a",)), body="No blocks here.")
    view = _with_postmortems(plain, incidents=[incident("a", [upd("2026-05-10T09:00")])])
    assert public_view(view).postmortems[0] is plain


# --- public copies kept across calls (serve's rebuilds) -----------------------------------------


def test_the_same_entry_gets_the_same_public_copy_from_one_call_to_the_next():
    """`serve` hands the same object back for an unchanged file: its public copy, and all
    that is worked out from that copy (its pages' keys), must be the same object too."""
    a = incident("a", [upd("2026-05-10T09:00")])
    b = incident("b", [upd("2026-05-10T09:00", message=BLOCK)])
    kept: dict = {}
    first = public_view(corpus([a, b]), kept).incidents
    again = public_view(corpus([a, b]), kept).incidents
    assert [x is y for x, y in zip(first, again, strict=True)] == [True, True]
    assert first == public_view(corpus([a, b])).incidents, "the same copies as without `kept`"


def test_an_edited_entry_gets_a_new_public_copy_and_no_other_entrys():
    a = incident("a", [upd("2026-05-10T09:00")])
    b = incident("b", [upd("2026-05-10T09:00")])
    kept: dict = {}
    first = public_view(corpus([a, b]), kept).incidents
    edited = replace(a, title="Edited", severity="SEV1")  # same id: the file was edited
    after = public_view(corpus([edited, b]), kept).incidents
    assert after[0].title == "Edited" and after[0].severity == ""
    assert after[1] is first[1]


def test_only_the_entries_of_the_last_call_are_kept():
    a = incident("a", [upd("2026-05-10T09:00")])
    b = incident("b", [upd("2026-05-10T09:00")])
    kept: dict = {}
    public_view(corpus([a, b]), kept)
    assert sorted(source.id for source, _ in kept.values()) == ["a", "b"]
    public_view(corpus([b]), kept)
    assert [source for source, _ in kept.values()] == [b]


# --- the internal edition -----------------------------------------------------------------------


def test_internal_view_keeps_internal_entries_and_fields_and_drops_drafts():
    secret = replace(
        incident("a", [upd("2026-05-10T09:00")], visibility="internal"), severity="SEV1", notes="n"
    )
    maint = replace(
        window("m", "2026-05-11T02:00", "2026-05-11T04:00"), visibility=Visibility.INTERNAL
    )
    source = replace(
        _with_postmortems(
            _postmortem("pub"),
            _postmortem("draft", "draft"),
            _postmortem("int", visibility="internal"),
        ),
        incidents=(secret,),
        maintenance=(maint,),
    )
    view = internal_view(source)
    assert view.incidents == (secret,)
    assert view.maintenance == (maint,)
    assert [p.id for p in view.postmortems] == ["pub", "int"]


def test_internal_view_labels_blocks_in_every_text():
    label = '!!! internal "Internal: not on the public site"'
    entry = replace(incident("a", [upd("2026-05-10T09:00", message=BLOCK)]), body=BLOCK)
    maint = replace(
        window(
            "m",
            "2026-05-11T02:00",
            "2026-05-11T04:00",
            [upd("2026-05-09T09:00", "scheduled", message=BLOCK)],
        ),
        body=BLOCK,
    )
    view = internal_view(
        replace(_with_postmortems(_postmortem("p")), incidents=(entry,), maintenance=(maint,))
    )
    labelled = f"Public line.\n\n{label}\n    SECRET\n\nPublic end."
    texts = [
        view.incidents[0].body,
        view.incidents[0].updates[0].message,
        view.maintenance[0].body,
        view.maintenance[0].updates[0].message,
        view.postmortems[0].body,
    ]
    assert texts == [labelled] * 5


def test_internal_view_passes_entries_without_markers_through_unchanged():
    entry = incident("a", [upd("2026-05-10T09:00")])
    maint = window(
        "m", "2026-05-11T02:00", "2026-05-11T04:00", [upd("2026-05-09T09:00", "scheduled")]
    )
    view = internal_view(corpus([entry], [maint]))
    assert view.incidents[0] is entry
    assert view.maintenance[0] is maint


def test_internal_view_copies_an_entry_whose_updates_alone_have_a_block():
    entry = incident("a", [upd("2026-05-10T09:00", message=BLOCK)])
    maint = window(
        "m",
        "2026-05-11T02:00",
        "2026-05-11T04:00",
        [upd("2026-05-09T09:00", "scheduled", message=BLOCK)],
    )
    view = internal_view(corpus([entry], [maint]))
    assert "!!! internal" in view.incidents[0].updates[0].message
    assert "!!! internal" in view.maintenance[0].updates[0].message
