"""Which language a site is built in: the plugin's `language`, else Material's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mkdocs.exceptions import PluginError

from .. import i18n


def site_language(option: str | None, theme: Any) -> tuple[i18n.Lang, str | None]:
    """The language and, when the theme's language has no catalogue, a warning to log.

    An explicit `language:` that Statusbook cannot show is an error (the site asked for it);
    a theme language without a catalogue (Material has 60) builds in English with a warning,
    as sites did before catalogues. An explicit one also sets the theme's, so Material's own
    words, `<html lang>` and `<body dir>` agree with ours
    (https://squidfunk.github.io/mkdocs-material/setup/changing-the-language/).
    """
    if option:
        lang = i18n.load(option)  # UnknownLanguage: the caller reports it
        theme["language"] = lang.tag
        return lang, None
    wanted = str(theme["language"] or i18n.SOURCE) if theme is not None else i18n.SOURCE
    try:
        return i18n.load(wanted), None
    except i18n.UnknownLanguage:
        return i18n.ENGLISH, (
            f"statusbook: no catalogue for theme.language '{wanted}': Statusbook's pages are "
            f"in English (catalogues: {', '.join(i18n.available())}; see docs/translating.md)"
        )


def site_language_code(option: str | None, theme: Any, warn: Callable[[str], None]) -> str:
    """The site's language code, for the build: an explicit language Statusbook cannot show
    fails it, a theme language without a catalogue is a warning."""
    try:
        lang, problem = site_language(option, theme)
    except i18n.UnknownLanguage as exc:
        raise PluginError(f"statusbook: language: {exc}") from exc
    if problem:
        warn(problem)
    return lang.code
