"""The part of a stylesheet one page can use.

The status home page is what readers load during an outage, often on a phone. Material's
stylesheet is 22 KiB gzipped, two thirds of that page, and most of it styles things the page
does not have (search, tabs, code, admonitions, tables). `select` keeps every rule whose
selector could match the page and drops the others, the way PurgeCSS does: a selector stays
unless it names a class, id, element or attribute that appears nowhere in the page or in the
scripts that change it. What a functional pseudo-class holds (`:not(...)`, `:is(...)`) is not
judged, so such selectors stay; custom properties, keyframes and font faces all stay. The
browser tests compare the computed style of every element with and without the subset.

Parsing a stylesheet into the rules `select` filters is outputs/stylesheet_rules.py's part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

_QUOTED = re.compile(r"""["']([A-Za-z_][\w-]*)["']""")


@dataclass
class Tokens:
    """What a page can match: element names, classes, ids and attribute names."""

    tags: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)

    def add_words(self, words: Iterable[str]) -> None:
        """Names a script may add (classes, attributes) count as present."""
        for word in words:
            self.classes.add(word)
            self.attributes.add(word.lower())
            self.ids.add(word)


class _Collector(HTMLParser):
    def __init__(self, tokens: Tokens):
        super().__init__(convert_charrefs=True)
        self.tokens = tokens
        self.script = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        t = self.tokens
        t.tags.add(tag)
        for name, value in attrs:
            t.attributes.add(name)
            if name == "class" and value:
                t.classes.update(value.split())
            elif name == "id" and value:
                t.ids.add(value)
        self.script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.script = False

    def handle_endtag(self, tag: str) -> None:
        self.script = False

    def handle_data(self, data: str) -> None:
        if self.script:
            self.scripts.append(data)


def page_tokens(html: str, scripts: Iterable[str] = ()) -> Tokens:
    """The names in a page and in the scripts it runs (inline ones are read from the page)."""
    tokens = Tokens()
    collector = _Collector(tokens)
    collector.feed(html)
    collector.close()
    for script in [*collector.scripts, *scripts]:
        tokens.add_words(_QUOTED.findall(script))
    return tokens


#: A selector's needs: (classes, ids, element names, attribute names) it names.
Needs = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]
#: A compiled stylesheet: text kept whatever the page ("keep"), a rule with its selectors and
#: their needs ("rule"), or a grouping at-rule around compiled rules ("group").
Item = tuple[str, Any, Any]


def select(items: list[Item], tokens: Tokens) -> str:
    out = []
    for kind, head, body in items:
        if kind == "keep":
            out.append(head)
        elif kind == "rule":
            kept = [text for needs, text in head if _has(needs, tokens)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
        else:
            inner = select(body, tokens)
            if inner:
                out.append(head + "{" + inner + "}")
    return "".join(out)


def _has(needs: Needs, tokens: Tokens) -> bool:
    classes, ids, tags, attributes = needs
    return (
        classes <= tokens.classes
        and ids <= tokens.ids
        and tags <= tokens.tags
        and attributes <= tokens.attributes
    )
