"""Markdown from content files -> HTML that is safe to publish.

Incident and postmortem text can arrive in pull requests from outside the team, so raw HTML is
reduced to an allow-list by nh3 (ammonia) and only http(s) and mailto links survive.
"""

from __future__ import annotations

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
        if shift_headings:
            text = _shift_headings(text)
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


def _shift_headings(text: str) -> str:
    lines = text.split("\n")
    fence = False
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
        if not fence and stripped.startswith("# "):
            lines[i] = "#" + stripped
    return "\n".join(lines)
