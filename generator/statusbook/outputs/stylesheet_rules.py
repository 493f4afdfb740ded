"""A stylesheet parsed into what outputs/stylesheet.py's `select` filters: each rule with its
selectors and the names each selector needs, as plain data. Parsing is the costly half of a
subset (94 ms for Material's main stylesheet) and depends on nothing but the stylesheet, so
its result is cached and shipped (hosts/theme_styles.py, which takes this module's source as
the compiler's identity): keep in this module everything the result depends on.

tinycss2 does the tokenising: CSS strings, escapes and nested blocks are easy to get wrong.
"""

from __future__ import annotations

import tinycss2
from tinycss2 import ast

from .stylesheet import Item, Needs

#: At-rules whose block holds rules to filter; any other at-rule is kept whole.
_GROUPING = {"media", "supports", "container", "layer", "document"}


def compile_css(css: str) -> list[Item]:
    """The stylesheet parsed once into what `select` needs: plain, picklable data (parsing
    Material's stylesheet is most of the work, and `serve` rebuilds after every edit)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return [item for rule in rules if (item := _compile(rule)) is not None]


def _compile(rule: ast.Node) -> Item | None:
    if isinstance(rule, ast.QualifiedRule):
        selectors = [(_needs(s), tinycss2.serialize(s).strip()) for s in _split(rule.prelude)]
        return ("rule", selectors, tinycss2.serialize(rule.content))
    if isinstance(rule, ast.AtRule):
        if rule.content is None or rule.lower_at_keyword not in _GROUPING:
            return ("keep", rule.serialize(), None)
        inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
        head = f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}"
        return ("group", head, [i for r in inner if (i := _compile(r)) is not None])
    return None  # parse errors: a browser drops them too


def _split(prelude: list[ast.Node]) -> list[list[ast.Node]]:
    """A selector list at its top-level commas."""
    out: list[list[ast.Node]] = [[]]
    for token in prelude:
        if isinstance(token, ast.LiteralToken) and token.value == ",":
            out.append([])
        else:
            out[-1].append(token)
    return [s for s in out if any(not isinstance(t, ast.WhitespaceToken) for t in s)]


def _needs(selector: list[ast.Node]) -> Needs:
    """What a page must have for the selector to match: the names outside functional
    pseudo-classes (pseudo-classes themselves follow a colon and are no element names)."""
    classes, ids, tags, attributes = set(), set(), set(), set()
    previous: ast.Node | None = None
    for token in selector:
        after = previous.value if isinstance(previous, ast.LiteralToken) else None
        if isinstance(token, ast.IdentToken):
            if after == ".":
                classes.add(token.value)
            elif after != ":":
                tags.add(token.lower_value)
        elif isinstance(token, ast.HashToken) and token.is_identifier:
            ids.add(token.value)
        elif isinstance(token, ast.SquareBracketsBlock):
            name = next((t for t in token.content if isinstance(t, ast.IdentToken)), None)
            if name is not None:
                attributes.add(name.lower_value)
        previous = token
    return frozenset(classes), frozenset(ids), frozenset(tags), frozenset(attributes)
