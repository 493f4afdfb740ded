"""Templates translate with Statusbook's own gettext callables (one call instead of Jinja's
three): they must give exactly what Jinja's i18n extension gives with newstyle gettext, in
every language, escaping and all."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from statusbook import i18n
from statusbook.outputs.pages.render import _environment, _gettext_callables

SNIPPETS = [
    '{{ _("Resolved") }}',
    '{{ _("Resolved") }}{{ _("Resolved") }}',  # the second from the memo
    '{{ _("%(days)s days ago", days=3) }}',
    '{{ _("%(days)s days ago", days="<script>") }}',
    '{{ gettext("Next update by %(time)s", time="<time>12:00</time>"|safe) }}',
    '{{ ngettext("%(num)s day with incidents or maintenance", '
    '"%(num)s days with incidents or maintenance", 1) }}',
    '{{ ngettext("%(num)s day with incidents or maintenance", '
    '"%(num)s days with incidents or maintenance", 7) }}',
    '{{ _("100%% sure & <b>bold</b>") }}',
    "{% trans %}Plain <em>text</em> 50%% done{% endtrans %}",
    '{% trans n=2, who="<a>" %}{{ who }} saw {{ n }} day{% pluralize %}'
    "{{ who }} saw {{ n }} days{% endtrans %}",
    '{% autoescape false %}{{ _("%(days)s days ago", days="<b>") }}'
    '{{ ngettext("%(num)s open action item", "%(num)s open action items", 2) }}'
    "{% endautoescape %}",
    '{% set label = _("Impact") %}{{ label ~ "<" }}',
]


def _jinja_own(code: str) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    lang = i18n.load(code)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lang.gettext, lang.ngettext, newstyle=True
    )
    return env


def _ours(code: str) -> jinja2.Environment:
    env = _environment((Path("/nonexistent"),))
    env.globals.update(_gettext_callables(i18n.load(code)))
    return env


@pytest.mark.parametrize("code", ["en", "de"])
@pytest.mark.parametrize("snippet", SNIPPETS)
def test_our_gettext_renders_what_jinjas_newstyle_gettext_does(code: str, snippet: str) -> None:
    expected = _jinja_own(code).from_string(snippet).render()
    assert _ours(code).from_string(snippet).render() == expected


def test_a_translated_text_is_translated_and_its_arguments_escaped() -> None:
    env = _ours("de")
    out = env.from_string('{{ _("%(days)s days ago", days="<x>") }}|{{ _("Resolved") }}').render()
    assert out == "vor &lt;x&gt; Tagen|Behoben"


def test_each_build_installs_its_own_language() -> None:
    """The environment outlives a build under `serve`; the memo of texts must not."""
    env = _environment((Path("/nonexistent"),))
    env.globals.update(_gettext_callables(i18n.load("de")))
    assert env.from_string('{{ _("Resolved") }}').render() == "Behoben"
    env.globals.update(_gettext_callables(i18n.load("en")))
    assert env.from_string('{{ _("Resolved") }}').render() == "Resolved"
