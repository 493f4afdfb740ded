"""Layout a reader meets on a phone (issue #21, item 8): the example site in Chromium."""

from __future__ import annotations

import pytest

from .helpers import layout_problems

#: The narrowest phone we design for.
NARROW = {"width": 375, "height": 740}

#: Every element inside the action items, and how far it reaches past its table's box.
OVERFLOW_JS = """
wrap => {
  const box = wrap.getBoundingClientRect();
  const wider = [...wrap.querySelectorAll('*')]
    .filter(el => !el.closest('thead'))  // visually hidden: read by screen readers only
    .filter(el => el.getBoundingClientRect().right > box.right + 1)
    .map(el => el.tagName.toLowerCase() + ': ' + el.textContent.trim().slice(0, 30));
  return {scroll: wrap.scrollWidth, client: wrap.clientWidth, right: box.right, wider};
}
"""


@pytest.mark.parametrize("address", ["postmortem", "actions"])
def test_action_items_never_scroll_sideways_on_a_phone(open_context, base_url, pages, address):
    context, _ = open_context(viewport="mobile", scheme="light")
    page = context.new_page()
    page.set_viewport_size(NARROW)
    page.goto(base_url + pages[address])
    wraps = page.locator(".sb-actions-wrap")
    assert wraps.count() >= 1, f"no action items on {pages[address]}"
    for n in range(wraps.count()):
        found = wraps.nth(n).evaluate(OVERFLOW_JS)
        assert found["scroll"] <= found["client"], f"the action items scroll sideways: {found}"
        assert found["right"] <= NARROW["width"], found
        assert not found["wider"], found
    # Each cell still says which column it is.
    owner = page.locator(".sb-actions-wrap td[data-label='Owner']").first
    assert owner.evaluate("td => getComputedStyle(td, '::before').content") == '"Owner: "'
    assert not layout_problems(page)


def test_action_items_are_a_table_on_a_desktop(open_context, base_url, pages):
    context, _ = open_context(viewport="desktop")
    page = context.new_page()
    page.goto(base_url + pages["postmortem"])
    assert page.locator(".sb-actions-wrap thead").first.is_visible()
    display = page.locator(".sb-actions-wrap tr").first.evaluate(
        "tr => getComputedStyle(tr).display"
    )
    assert display == "table-row"
