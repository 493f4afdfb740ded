"""Every assumption Statusbook makes about the HTML Material for MkDocs renders, in one place.

Material's header has accessibility problems our pages must not inherit (issue #22): a search
dialog without a name, a menu button (a <label>) the keyboard cannot reach, a closed search
result box that takes a Tab stop, the closed side menu's links in the tab order, no room kept
for the sticky header when focus scrolls the page. We fix them by editing the rendered HTML
(EDITS), by CSS and a script aimed at the theme's elements (CSS, JS: they name only the
SELECTORS below).

Each edit names the exact text it expects. `patch` reports every edit it could not apply, the
build turns that into a warning (an error under --strict) and the tests build with --strict
and look for each selector in the rendered pages: a theme upgrade that changes this markup
fails a test instead of silently bringing a problem back.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..i18n import Lang
from ..outputs.labels import N_


@dataclass(frozen=True)
class Edit:
    """Replace `find` (exact text of Material's output) with `replace`, for the reason `why`,
    in every page that has `part` (the theme renders search only when the plugin is on)."""

    why: str
    find: str
    replace: str
    part: str = ""


# Material 9.x, src/templates/partials/search.html.
EDITS: tuple[Edit, ...] = (
    Edit(
        "the search dialog has no accessible name (axe aria-dialog-name)",
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
        part='data-md-component="search"',
    ),
)

#: The theme's elements CSS and JS below aim at: each is in every page with the theme's header.
SELECTORS: tuple[str, ...] = (
    "#__drawer",
    ".md-header",
    'label.md-header__button[for="__drawer"]',
    ".md-container",
    ".md-sidebar--primary",
    "#__search",
    ".md-search__scrollwrap",
    ".md-tabs__link",
    ".md-search",
    'label[for="__search"]',
    ".md-option",
    ".md-copyright",
)

# `.md-typeset` (Material's content class) scopes all of statusbook.css and is not listed here,
# nor `.md-typeset__scrollwrap`, which Material's script adds around tables at run time.
# Material hides the drawer's menu button from 76.25em up (its main.css), so does ours; below
# that the drawer slides in from off-screen, its links still focusable while it is out of view.
CSS = """
/* Material's header, made keyboard-friendly (generated from material_html.py) */
html { scroll-padding-top: 3.4rem; }
/* The light home page has no search script: hide the search field rather than show a dead one */
.sb-lite .md-search,
.sb-lite label[for="__search"] { display: none; }
/* Without Material's script its header buttons and palette toggle show no focus of their own */
.sb-lite .md-header__button:focus-visible,
.sb-lite .md-option:focus-visible + label { outline: 2px solid currentColor; outline-offset: 2px; }
/* The footer's copyright line: the theme's own colour for it falls short of 4.5:1 */
.md-copyright { color: var(--md-footer-fg-color--light); }
/* Tables scroll in our focusable region, not in Material's unlabelled wrapper inside it */
.sb-table-wrap .md-typeset__scrollwrap { overflow: visible; }
.md-header__button.sb-menu-button:focus-visible {
  outline: 2px solid currentColor;
  outline-offset: 2px;
}
@media screen and (min-width: 76.25em) {
  .md-header__button.sb-menu-button { display: none; }
}
/* Material fades the tabs out once the page scrolls ([hidden]); Shift+Tab still reaches them */
.md-tabs[hidden] .md-tabs__link:focus-visible { opacity: 1; transform: none; }
/* The search results box is a Tab stop (a scrollable region) even while search is closed */
#__search:not(:checked) ~ .md-header .md-search__scrollwrap { visibility: hidden; }
@media screen and (max-width: 76.2344em) {
  #__drawer:not(:checked) ~ .md-container .md-sidebar--primary { visibility: hidden; }
}
"""


JS_URI = "assets/statusbook/menu.js"

# Material's menu button is <label for="__drawer">: a pointer opens the drawer (a checkbox that
# CSS reacts to), the keyboard cannot reach it. This puts a real <button> in its place (a label
# may not take role=button): a Tab stop that Enter and Space press, announcing whether the menu
# is open; Esc closes the menu again. The label stays for pages read without script.
# https://www.w3.org/WAI/ARIA/apg/patterns/disclosure/
JS = """// Material's menu button, made a button for the keyboard (generated from material_html.py).
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var label = document.querySelector('label.md-header__button[for="__drawer"]');
  if (!toggle || !label) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = label.className + " sb-menu-button";
  // The label carries the name in the site's language when it is not English (localized()).
  button.setAttribute("aria-label", label.getAttribute("data-sb-name") || "Menu");
  button.innerHTML = label.innerHTML;
  label.parentNode.insertBefore(button, label);
  label.hidden = true;
  function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
  function set(open) {
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));
    sync();
  }
  sync();
  toggle.addEventListener("change", sync);
  button.addEventListener("click", function () {
    set(!toggle.checked);
    // Into the menu that opened: its links come after the whole header in the page.
    var first = toggle.checked && document.querySelector(".md-sidebar--primary a[href]");
    if (first) first.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) {
      set(false);
      button.focus();
    }
  });
})();
"""


def patch(html: str) -> tuple[str, list[str]]:
    """The page with every edit applied, and the reason of each edit whose text was missing.

    A page without Material's header (the embed page) needs none of them: only pages that
    have the drawer are patched.
    """
    if 'data-md-toggle="drawer"' not in html:
        return html, []
    missing = []
    for edit in EDITS:
        if edit.find in html:
            html = html.replace(edit.find, edit.replace, 1)
        elif edit.part in html:
            missing.append(edit.why)
    return html, missing


#: Material's words that stay English whatever theme.language says, and the ones the edits above
#: add: Material 9.x src/templates/404.html, partials/header.html, partials/search.html.
NOT_FOUND = "<h1>404 - Not found</h1>"
DRAWER_LABEL = '<label class="md-header__button md-icon" for="__drawer">'
SEARCH_DIALOG_LABEL = 'role="dialog" aria-label="Search">'


def localized(html: str, lang: Lang) -> str:
    """The page with those words in the site's language (#20): the 404 heading, the search
    dialog's name and the menu button's (JS copies it from the drawer's label). English
    pages are left as they are."""
    if lang.is_source:
        return html
    not_found, menu, search = (
        escape(lang.gettext(word)) for word in (N_("Not found"), N_("Menu"), N_("Search"))
    )
    html = html.replace(NOT_FOUND, f"<h1>404 - {not_found}</h1>", 1)
    # A data attribute: aria-label is not allowed on a <label> bound to an input (Nu checker).
    html = html.replace(DRAWER_LABEL, f'{DRAWER_LABEL[:-1]} data-sb-name="{menu}">', 1)
    return html.replace(SEARCH_DIALOG_LABEL, f'role="dialog" aria-label="{search}">', 1)


def missing_message(missing: list[str], where: str) -> str:
    """One line for the build log: what no longer matches, and what to do."""
    return (
        f"{where}: the theme's HTML changed, so Statusbook could not fix: "
        + "; ".join(missing)
        + " (hint: update generator/statusbook/material_html.py to the new markup)"
    )
