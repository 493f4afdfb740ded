"""outputs/stylesheet.py: which rules a page keeps."""

from __future__ import annotations

from statusbook.outputs.stylesheet import page_tokens, select
from statusbook.outputs.stylesheet_rules import compile_css

PAGE = """<!doctype html><html><body data-md-color-scheme="default">
<header class="md-header" id="top"><a class="md-logo" href="/">x</a></header>
<ol class="sb-strip"><li class="sb-day sb-s-operational"><span>ok</span></li></ol>
<script>document.body.setAttribute("data-md-color-primary", "x");
el.classList.add("is-open")</script>
</body></html>"""


def keep(css: str, scripts: tuple[str, ...] = ()) -> str:
    return select(compile_css(css), page_tokens(PAGE, scripts))


def test_a_rule_naming_a_class_the_page_lacks_is_dropped():
    assert keep(".md-search{color:red}.md-header{color:blue}") == ".md-header{color:blue}"


def test_only_the_selectors_that_can_match_stay_in_a_list():
    assert keep(".md-tabs,.md-header .md-logo,table{x:1}") == ".md-header .md-logo{x:1}"


def test_elements_ids_and_attributes_are_checked_too():
    css = "table td{a:1}#top{b:2}#nav{c:3}[data-md-color-scheme=slate]{d:4}[data-x]{e:5}"
    assert keep(css) == "#top{b:2}[data-md-color-scheme=slate]{d:4}"


def test_pseudo_classes_and_elements_are_not_element_names():
    assert keep("a:hover,li:first-child::before{x:1}") == "a:hover,li:first-child::before{x:1}"


def test_what_a_functional_pseudo_class_holds_is_not_judged():
    assert keep(".sb-day:not(.md-absent){x:1}") == ".sb-day:not(.md-absent){x:1}"
    assert keep(":is(.md-absent,.other){x:1}") == ":is(.md-absent,.other){x:1}"


def test_names_a_script_adds_count_as_present():
    css = ".is-open{x:1}[data-md-color-primary=red]{y:2}.never{z:3}"
    assert keep(css) == ".is-open{x:1}[data-md-color-primary=red]{y:2}"
    assert keep(".from-file{x:1}", ('el.className = "from-file"',)) == ".from-file{x:1}"


def test_media_blocks_are_filtered_and_dropped_when_empty():
    css = "@media (max-width:600px){.md-search{a:1}.md-header{b:2}}@media print{.md-tabs{c:3}}"
    assert keep(css) == "@media (max-width:600px){.md-header{b:2}}"


def test_custom_properties_keyframes_and_font_faces_stay():
    css = ":root{--c:red}@keyframes spin{to{transform:rotate(1turn)}}@font-face{font-family:x}"
    assert keep(css) == css


def test_strings_and_escapes_do_not_confuse_the_split():
    css = '.md-header:after{content:"}{,.md-search"}.md-search{x:1}'
    assert keep(css) == '.md-header:after{content:"}{,.md-search"}'


def test_the_result_is_the_same_every_time():
    css = ".b{x:1}.md-header{y:2}.a{z:3}@media screen{.sb-day{w:4}}"
    assert len({keep(css) for _ in range(5)}) == 1
