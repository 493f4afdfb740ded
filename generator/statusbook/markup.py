"""Markdown from content files -> HTML that is safe to publish.

Incident and postmortem text can arrive in pull requests from outside the team, so raw HTML is
reduced to an allow-list by nh3 (ammonia) and only http(s) and mailto links survive.
"""

from __future__ import annotations

import re

import markdown
import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "div": {"class"},
    "p": {"class"},
    "code": {"class"},
    "span": {"class"},
    "td": {"align"},
    "th": {"align"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "ol": {"start"},
}


class Markup:
    """One reusable Markdown converter (building one per call costs more than converting)."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "admonition", "toc"],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )

    def html(self, text: str, shift_headings: bool = True) -> str:
        """Convert and sanitise; `# h1` in content becomes h2 since the page owns its h1."""
        if not text.strip():
            return ""
        text = _normalise(text, shift_headings)
        self._md.reset()
        rendered = self._md.convert(text)
        return nh3.clean(
            rendered,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )

    def inline(self, text: str) -> str:
        """A one-paragraph message without its <p> wrapper, for compact lists."""
        rendered = self.html(text)
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            return rendered[3:-4]
        return rendered


_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+\S")


def _normalise(text: str, shift_headings: bool) -> str:
    """Forgive what people type on phones: a list straight after a line of text is a list.

    Python-Markdown needs a blank line before a list (GitHub's renderer does not), and a
    message's `# heading` would compete with the page's own h1.
    """
    out: list[str] = []
    fence = False
    previous = ""
    for line in text.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
        elif not fence:
            if (
                _LIST_ITEM.match(line)
                and previous.strip()
                and not _LIST_ITEM.match(previous)
                and not previous.startswith((" ", "\t"))
            ):
                out.append("")
            if shift_headings and stripped.startswith("# "):
                line = "#" + stripped
        out.append(line)
        previous = line
    return "\n".join(out)
