"""The keyboard walk, the uptime bars without colour and without hovering, the menu button
(issue #22): what axe cannot check, checked in a real browser."""

from __future__ import annotations

import base64
import re

import pytest

from .test_a11y import DAY_LABEL

#: Where the focused element is drawn; whether it is visible, in the viewport and uncovered.
FOCUS_PLACE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // Material hides its palette radios and shows the label next to them.
  const shown = el.matches('input.md-option') ? el.nextElementSibling : el;
  // A link broken over two lines: its first line is where the eye goes.
  const r = shown.getClientRects()[0] || shown.getBoundingClientRect();
  const what = `<${el.tagName.toLowerCase()} ${el.className}> `
    + (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\\s+/g, ' ')
      .slice(0, 40);
  const header = document.querySelector('.md-header');
  // A fixed element (the skip link) is drawn over the header, not under it.
  const overlay = getComputedStyle(shown).position === 'fixed';
  const sticky = header && /sticky|fixed/.test(getComputedStyle(header).position);
  const headerBottom = sticky && !header.contains(el) && !overlay
    ? header.getBoundingClientRect().bottom : 0;
  const cx = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  // A region taller than the window (a long table) is in view when it fills the window.
  const tall = r.height > innerHeight - headerBottom;
  const cy = tall ? (headerBottom + innerHeight) / 2
    : Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(cx, cy);
  const related = (a, b) => a && b && (a === b || a.contains(b) || b.contains(a));
  return {
    what,
    visible: shown.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
      && r.width > 0 && r.height > 0,
    inView: r.left >= -1 && r.right <= innerWidth + 1 && r.bottom > headerBottom
      && r.top < innerHeight
      && (tall || (r.top >= headerBottom - 1 && r.bottom <= innerHeight + 1)),
    uncovered: related(hit, shown) || related(hit, el),
    coveredBy: hit ? `<${hit.tagName.toLowerCase()} ${hit.className}>` : 'nothing',
    rect: [r.left, r.top, r.right, r.bottom].map(Math.round),
    headerBottom: Math.round(headerBottom),
  };
}"""

WALK_LIMIT = 120  # stops per direction: every stop of the short pages, the top of the long ones


def _walk(page, key: str) -> tuple[int, list[str]]:
    problems, seen = [], 0
    first = None
    for _ in range(WALK_LIMIT):
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_PLACE_JS)
        if state is None:
            continue
        # At phone width Material opens search when its field is focused, sliding it in: wait
        # until it has arrived (a loaded machine took more than 300 ms), at most 3 s.
        for _ in range(20):
            if "md-search__input" not in state["what"] or (state["visible"] and state["inView"]):
                break
            page.wait_for_timeout(150)
            state = page.evaluate(FOCUS_PLACE_JS)
        if state["what"] == first:
            break  # round the page once
        first = first or state["what"]
        seen += 1
        for check, say in (
            ("visible", "is not visible"),
            ("inView", f"is not in view below the header ({state['headerBottom']}px)"),
            ("uncovered", f"is covered by {state['coveredBy']}"),
        ):
            if not state[check]:
                problems.append(f"{key}: {state['what']} {say}, at {state['rect']}")
    return seen, problems


@pytest.mark.parametrize("viewport", ["mobile", "desktop"])
def test_every_tab_stop_is_visible_in_view_and_not_under_the_header(
    open_context, base_url, pages, viewport
):
    """Tab, then Shift+Tab, through every page type: each focused element can be seen."""
    context, _ = open_context(viewport=viewport)
    page = context.new_page()
    report = []
    for kind, path in pages.items():
        page.goto(base_url + path)
        forward, problems = _walk(page, "Tab")
        backward, back_problems = _walk(page, "Shift+Tab")
        assert forward >= 1 and backward >= 1, f"{kind}: Tab found {forward} stops"
        report += [f"{kind} /{path}: {p}" for p in problems + back_problems]
    assert not report, "\n".join(report[:40])


def test_menu_button_opens_and_closes_the_menu_from_the_keyboard(open_context, base_url, pages):
    context, _ = open_context(viewport="mobile")
    page = context.new_page()
    page.goto(base_url + pages["incident"])
    drawer_links = page.locator(".md-sidebar--primary a.md-nav__link")
    assert drawer_links.count() >= 4
    assert not drawer_links.first.is_visible(), "the closed menu's links are out of the way"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Menu":
            break
    else:
        pytest.fail("Tab never reached the menu button")
    button = page.locator("button.sb-menu-button")
    assert button.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    drawer_links.nth(1).wait_for(state="visible")
    assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"), (
        "focus moves into the menu that opened"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.md-sidebar--primary a')")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('sb-menu-button')")


# --- the uptime bars ---------------------------------------------------------------------------


def _overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_uptime_days_are_reachable_by_keyboard_and_esc_closes_them(open_context, base_url, pages):
    context, _ = open_context()
    page = context.new_page()
    page.goto(base_url + pages["component"])
    strip = page.locator("ol.sb-strip").first
    panel = page.locator(".sb-day-panel").first
    strip.focus()
    today = strip.locator("li.sb-day").last.inner_text()
    assert panel.is_visible() and panel.inner_text() == today
    page.keyboard.press("ArrowLeft")
    yesterday = strip.locator("li.sb-day").nth(-2).inner_text()
    assert panel.inner_text() == yesterday != today
    page.keyboard.press("Home")
    assert DAY_LABEL.fullmatch(panel.inner_text())
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert panel.get_attribute("role") == "status", "a screen reader hears the day"


def test_tapping_a_day_shows_it_below_the_bar_never_over_the_name(open_context, base_url, pages):
    context, _ = open_context(viewport="mobile")
    page = context.new_page()
    page.goto(base_url + pages["home"])
    rows = page.locator("li.sb-component")
    found = 0
    for n in range(rows.count()):
        row = rows.nth(n)
        days = row.locator("li.sb-day:not(.sb-s-operational)")
        visible = [days.nth(i) for i in range(days.count()) if days.nth(i).is_visible()]
        if not visible:
            continue
        visible[-1].tap()
        panel = row.locator(".sb-day-panel")
        assert panel.is_visible()
        assert panel.inner_text().startswith(visible[-1].inner_text().split(".")[0])
        assert panel.locator("a").count() >= 1, "the day's incidents are a tap away"
        name = row.locator(".sb-component-name").bounding_box()
        assert not _overlaps(panel.bounding_box(), name)
        assert panel.bounding_box()["y"] >= row.locator("ol.sb-strip").bounding_box()["y"]
        page.keyboard.press("Escape")
        assert not panel.is_visible()
        found += 1
    assert found >= 2, "the example's strips show days with incidents in the last 30 days"


def test_without_javascript_every_eventful_day_is_listed_with_links(open_context, base_url, pages):
    context, _ = open_context(javascript=False)
    page = context.new_page()
    page.goto(base_url + pages["home"])
    for box in page.locator(".sb-uptime").all():
        eventful = [
            t for t in box.locator("li.sb-day").all_inner_texts() if not t.endswith("no incidents")
        ]
        listed = box.locator("details.sb-days > ul > li")
        assert listed.count() == len(eventful)
        if eventful:
            box.locator("details.sb-days > summary").click()
            assert listed.first.is_visible()
            assert listed.first.locator("a").count() >= 1
    assert page.locator(".sb-day-panel").count() == 0


#: Per state, the bar's painted height and pattern in a grayscale screenshot, read from a canvas.
SIGNATURES_JS = """async ({png, columns, background}) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + png;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  return columns.map((x) => {
    let runs = 0, ink = 0, inside = false;
    for (let y = 0; y < img.height; y++) {
      const i = (y * img.width + Math.round(x)) * 4;
      const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
      const on = Math.abs(grey - background) > 40;
      if (on) ink++;
      if (on && !inside) runs++;
      inside = on;
    }
    return `${Math.round(ink / img.height * 10)}/10 high in ${runs} part${runs > 1 ? 's' : ''}`;
  });
}"""


DAY_COLUMNS_JS = """(strip) => {
  const left = strip.getBoundingClientRect().left;
  const days = [...strip.children];
  return [
    days.map((d) => d.getBoundingClientRect().left - left + d.getBoundingClientRect().width / 2),
    days.map((d) => d.className.match(/sb-s-(\\w+)/)[1]),
  ];
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_uptime_states_stay_distinguishable_in_grayscale(
    browser, open_context, base_url, pages, scheme
):
    context, _ = open_context(scheme=scheme)
    page = context.new_page()
    page.goto(base_url + pages["home"])
    page.add_style_tag(content="html { filter: grayscale(1); }")
    background = page.evaluate(
        "() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor"
        ".match(/\\d+/g).map(Number); return (r + g + b) / 3; }"
    )
    canvas = browser.new_page()  # about:blank: no page policy in the way of a data: image
    by_state: dict[str, set[str]] = {}
    key = page.locator("ul.sb-key").first
    for mark in key.locator(".sb-key-mark").all():
        state = re.search(r"sb-s-(\w+)", mark.get_attribute("class")).group(1)
        shot = base64.b64encode(mark.screenshot()).decode()
        width = mark.bounding_box()["width"]
        [sign] = canvas.evaluate(
            SIGNATURES_JS, {"png": shot, "columns": [width / 2], "background": background}
        )
        by_state.setdefault(f"key {state}", set()).add(sign)
    key_signs = [s for v in by_state.values() for s in v]
    assert len(key_signs) == 5 and len(set(key_signs)) == 5, by_state
    for strip in page.locator("ol.sb-strip").all():
        columns, states = strip.evaluate(DAY_COLUMNS_JS)
        shot = base64.b64encode(strip.screenshot()).decode()
        signs = canvas.evaluate(
            SIGNATURES_JS, {"png": shot, "columns": columns, "background": background}
        )
        for state, sign in zip(states, signs, strict=True):
            by_state.setdefault(state, set()).add(sign)
    strip_states = {k: v for k, v in by_state.items() if not k.startswith("key ")}
    assert len(strip_states) >= 3, strip_states
    for state, signs in strip_states.items():
        assert len(signs) == 1, f"{state} looks different on different days: {signs}"
    shapes = [next(iter(s)) for s in strip_states.values()]
    assert len(set(shapes)) == len(shapes), f"two states look alike in grayscale: {strip_states}"
    canvas.close()


CONTRAST_JS = """() => {
  const lum = (rgb) => {
    const c = rgb.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      v = Number(v) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const probe = document.createElement('span');
  document.body.appendChild(probe);
  const colour = (el) => {
    probe.style.color = getComputedStyle(el).getPropertyValue('--sb-bar').trim();
    return getComputedStyle(probe).color;
  };
  const page = getComputedStyle(document.body).backgroundColor;
  const out = {};
  for (const mark of document.querySelectorAll('ul.sb-key .sb-key-mark')) {
    out[mark.className.match(/sb-s-(\\w+)/)[1]] = Math.round(ratio(colour(mark), page) * 100) / 100;
  }
  probe.remove();
  return out;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_state_colour_has_three_to_one_contrast_with_the_page(
    open_context, base_url, pages, scheme
):
    """Bars stand apart by height and pattern against the page's background between them, so
    each state's colour needs 3:1 against that background (WCAG 1.4.11)."""
    context, _ = open_context(scheme=scheme)
    page = context.new_page()
    page.goto(base_url + pages["home"])
    ratios = page.evaluate(CONTRAST_JS)
    assert len(ratios) == 5, ratios
    assert all(r >= 3 for r in ratios.values()), ratios
