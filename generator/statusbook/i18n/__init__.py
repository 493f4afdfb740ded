"""The reader's language: message catalogues and locale formatting for one site (#20).

A site has one language, chosen once (the plugin's `language`, else Material's
`theme.language`). Everything a reader sees goes through a `Lang`: its catalogue translates
the words, Babel formats dates, times, durations and numbers. English keeps Statusbook's own
formats, so an English site is byte for byte what it was before catalogues existed.

Catalogues are the `.po` files in `locales/`, compiled in memory when first used: no compiled
`.mo` files in git or in the wheel to drift from their source, no build step, and the same
`.po` always gives the same messages (so builds stay deterministic).
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import io
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as bdates
from babel import numbers as bnumbers
from babel import units as bunits
from babel.messages import mofile, pofile

from ..clock import format_utc, humanize_duration

#: Languages whose nouns keep their capital inside a sentence.
_NOUNS_CAPITALISED = frozenset({"de", "lb"})
_UNITS = {
    "s": "duration-second",
    "min": "duration-minute",
    "h": "duration-hour",
    "d": "duration-day",
}
LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "statusbook"
SOURCE = "en"


def available() -> list[str]:
    """The languages with a catalogue, as Babel identifiers ('pt_BR'), English first."""
    return [SOURCE, *sorted(p.stem for p in LOCALES.glob("*.po"))]


def normalize(code: str) -> str:
    """Material writes 'pt-BR', Babel 'pt_BR': either names the same catalogue."""
    return code.replace("-", "_")


def catalogue_path(code: str) -> Path:
    return LOCALES / f"{normalize(code)}.po"


@functools.lru_cache(maxsize=32)
def _translations(code: str) -> gettext.NullTranslations:
    """The catalogue compiled in memory (babel.messages.mofile), read by the standard gettext."""
    if code == SOURCE:
        return gettext.NullTranslations()
    with catalogue_path(code).open("rb") as fp:
        catalog = pofile.read_po(fp, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def catalogue_digest(code: str) -> bytes:
    """What a cached page depends on besides the templates: the catalogue's bytes."""
    path = catalogue_path(code)
    data = path.read_bytes() if code != SOURCE and path.exists() else b""
    return hashlib.blake2b(code.encode() + b"\0" + data, digest_size=16).digest()


class UnknownLanguage(ValueError):
    """A language Statusbook has no catalogue for."""


@dataclass(frozen=True)
class Lang:
    """One site language: translations and the locale's formats."""

    code: str  # Babel's identifier: 'de', 'pt_BR'

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    @property
    def tag(self) -> str:
        """BCP 47, for <html lang>, feeds and the embed: 'pt-BR'."""
        return self.code.replace("_", "-")

    @property
    def direction(self) -> str:
        if self.is_source:  # English: no need to load Babel's locale data (50 ms) to know
            return "ltr"
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    @property
    def is_source(self) -> bool:
        return self.code == SOURCE

    # -- words

    def gettext(self, message: str) -> str:
        return _translations(self.code).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _translations(self.code).ngettext(singular, plural, n)

    def in_sentence(self, label: str) -> str:
        """A label ('Partial outage') inside running text: lower case, except in languages
        that capitalise nouns, where 'Teilausfall' must stay as it is."""
        return label if self.locale.language in _NOUNS_CAPITALISED else label.lower()

    # -- formats (English keeps the formats Statusbook always had)

    def time(self, moment: datetime) -> str:
        """A moment in UTC, with the zone written out: pages show every time in UTC."""
        if self.is_source:
            return format_utc(moment)
        return _time(self.code, moment.astimezone(timezone.utc))

    def day(self, day: date) -> str:
        if self.is_source:
            return f"{day.day} {day.strftime('%b %Y')}"
        return bdates.format_date(day, "medium", locale=self.code)

    def month(self, year: int, month: int) -> str:
        """'November 2026', as the month stands alone (a heading, a link)."""
        if self.is_source:
            return date(year, month, 1).strftime("%B %Y")
        return bdates.format_skeleton("yMMMM", date(year, month, 1), locale=self.code)

    def duration(self, delta: timedelta) -> str:
        """'2 h 5 min' in the locale's short units; days and hours drop the minutes."""
        if self.is_source:
            return humanize_duration(delta)
        minutes = int(delta.total_seconds() // 60)
        if minutes < 1:
            return self.gettext("under a minute")
        days, minutes = divmod(minutes, 24 * 60)
        hours, minutes = divmod(minutes, 60)
        parts = []
        for value, unit in (
            (days, "duration-day"),
            (hours, "duration-hour"),
            (0 if days else minutes, "duration-minute"),
        ):
            if value:
                parts.append(bunits.format_unit(value, unit, length="short", locale=self.code))
        return " ".join(parts)

    def number(self, value: float) -> str:
        if self.is_source:
            return f"{value:,}"
        return bnumbers.format_decimal(value, locale=self.code)

    def percent(self, value: float, digits: int = 2) -> str:
        """A percentage already rounded the way the caller wants (99.99 -> '99,99 %')."""
        if self.is_source:
            return f"{value:.{digits}f}%"
        pattern = self.locale.percent_formats[None].pattern
        head, _, tail = pattern.rpartition("0")
        fixed = f"{head}0.{'0' * digits}{tail}" if digits else pattern
        return bnumbers.format_percent(_hundredth(value), fixed, locale=self.code)

    def percent_as_is(self, value: float) -> str:
        """A percentage with the digits it has (an objective: 99.9 -> '99,9 %')."""
        if self.is_source:
            return f"{value:g}%"
        return bnumbers.format_percent(
            _hundredth(value), locale=self.code, decimal_quantization=False
        )

    def minutes(self, minutes: float) -> str:
        """An error budget: '43.2 min' under two hours, else '2 h 5 min' (slo_chart's rule),
        in the locale's short units."""
        if abs(minutes) < 120:
            return bunits.format_unit(
                round(minutes, 1), "duration-minute", length="short", locale=self.code
            )
        whole = round(abs(minutes))
        text = " ".join(
            bunits.format_unit(value, unit, length="short", locale=self.code)
            for value, unit in ((whole // 60, "duration-hour"), (whole % 60, "duration-minute"))
        )
        return f"-{text}" if minutes < 0 else text

    def reunit(self, text: str) -> str:
        """Statusbook's compact English durations ('1 h 12 min', '45 s', '2 d 3 h', '—') in
        the locale's short units: the metrics keep one rounding rule for every language."""
        if self.is_source:
            return text
        words = text.split()
        if len(words) % 2 or not all(u in _UNITS for u in words[1::2]):
            return text
        sign = "-" if words and words[0].startswith("-") else ""
        return sign + " ".join(
            bunits.format_unit(int(n.lstrip("-")), _UNITS[u], length="short", locale=self.code)
            for n, u in zip(words[::2], words[1::2], strict=True)
        )

    def unit_name(self, unit: str) -> str:
        """A unit's short name for a chart's axis ('h' -> 'Std.')."""
        if self.is_source or unit not in _UNITS:
            return unit
        return bunits.get_unit_name(_UNITS[unit], length="short", locale=self.code) or unit

    def minute_unit(self) -> str:
        """The short name of a minute, for a chart's axis ('min', 'Min.', '分')."""
        if self.is_source:
            return "min"
        return bunits.get_unit_name("duration-minute", length="short", locale=self.code) or "min"


def _time(code: str, moment: datetime) -> str:
    day = bdates.format_date(moment.date(), "medium", locale=code)
    clock = bdates.format_time(moment.time(), "short", locale=code)
    joined = bdates.get_datetime_format("medium", locale=code).format(clock, day)
    return f"{joined} UTC"


def _hundredth(value: float) -> Decimal:
    """value / 100 without binary noise: 99.9 / 100 as a float prints 99,90000000000001 %."""
    return Decimal(str(value)) / 100


def floor_percent(value: float, digits: int = 2) -> float:
    """Rounded down, as Statusbook shows uptime: never a met-looking figure."""
    scale = 10**digits
    return math.floor(value * scale) / scale


@functools.lru_cache(maxsize=32)
def plural_examples(code: str) -> dict[str, int]:
    """A number for each CLDR plural category of the locale ('one': 1, 'other': 0...), the
    smallest that falls in it: what a script needs to pick the right form with
    Intl.PluralRules (https://cldr.unicode.org/index/cldr-spec/plural-rules)."""
    rule = Locale.parse(code).plural_form
    found: dict[str, int] = {}
    for n in range(0, 1001):
        found.setdefault(rule(n), n)
    return dict(sorted(found.items()))


@functools.lru_cache(maxsize=32)
def load(code: str) -> Lang:
    """The language `code` names ('de', 'pt-BR', 'pt_BR'), or UnknownLanguage saying which
    ones exist."""
    name = normalize(code or SOURCE)
    if name != SOURCE and not catalogue_path(name).exists():
        raise UnknownLanguage(
            f"no catalogue for the language '{code}' (Statusbook has {', '.join(available())}; "
            f"hint: add generator/statusbook/i18n/locales/{name}.po, see docs/translating.md)"
        )
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError) as exc:
        raise UnknownLanguage(f"'{code}' is not a locale Babel knows: {exc}") from exc
    return Lang(name)


ENGLISH = Lang(SOURCE)
