"""Markdown from content files -> HTML that is safe to publish.

Incident and postmortem text can arrive in pull requests from outside the team, so raw HTML is
reduced to an allow-list by nh3 (ammonia) and only http(s) and mailto links survive.
"""

from __future__ import annotations

import re
from typing import Any

import markdown
import nh3

from ..cache.store import key_of

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


#: At most this many converted texts are kept in memory (a store's `texts`).
_CACHE_LIMIT = 500_000

# Text with none of these characters, and no line that starts a block, is plain prose:
# python-markdown would only wrap its paragraphs in <p>, so we do that directly.
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]<>#!|~&=]")
_BLOCK_START = re.compile(r"^(?:[ \t]|[-+>]|\d+[.)]\s)|[ \t]$", re.M)


def _plain(text: str) -> str | None:
    """The HTML python-markdown gives for plain prose, or None when the text is not plain."""
    if _MARKUP_CHARS.search(text) or _BLOCK_START.search(text):
        return None
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text.strip())]
    return "\n".join(f"<p>{p}</p>" for p in paragraphs if p.strip())


class Markup:
    """Markdown to safe HTML, with one reusable converter per kind of text. `store` (a
    cache.RenderStore) keeps what python-markdown converted between runs: postmortem bodies
    are most of a warm build's Markdown time."""

    def __init__(self, store: Any = None) -> None:
        self.store = store
        # Converted HTML by (text, kind): the store's, shared by pages and feeds and kept
        # across `serve` rebuilds with it, so each message is converted once.
        self._texts: dict[tuple[str, str], tuple[str, bytes | None]] = (
            store.texts if store is not None else {}
        )
        # Bodies get heading ids (postmortem sections are linked); messages do not need them.
        self._body = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "admonition", "toc"],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )
        self._message = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "admonition"], output_format="html"
        )

    def html(self, text: str, shift_headings: bool = True) -> str:
        """A body: convert and sanitise; `# h1` becomes h2 since the page owns its h1."""
        return self._convert(text, "body" if shift_headings else "body-raw")

    def message(self, text: str) -> str:
        """An update message: the same rules, no heading ids."""
        return self._convert(text, "message")

    def _convert(self, text: str, kind: str) -> str:
        if not text.strip():
            return ""
        key = (text, kind)
        cached = self._texts.get(key)
        if cached is not None:
            found, found_key = cached
            if found_key is not None and self.store is not None:
                self.store.keep(found_key, found)  # this run uses it: the save keeps it
            return found
        result = _plain(text)
        stored_key = None
        if result is None:
            stored_key = key_of("markup", kind, text)
            if self.store is not None:
                result = self.store.get(stored_key)
            if result is None:
                result = self._markdown(text, kind)
                if self.store is not None:
                    self.store.put(stored_key, result)
        if len(self._texts) >= _CACHE_LIMIT:
            self._texts.clear()
        self._texts[key] = (result, stored_key)
        return result

    def _markdown(self, text: str, kind: str) -> str:
        converter = self._message if kind == "message" else self._body
        converter.reset()
        rendered = converter.convert(_normalise(text, kind != "body-raw"))
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
        rendered = self.message(text)
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
