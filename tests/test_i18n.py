"""The site in its readers' language (#20 part 1): complete catalogues, no reader-visible text
outside them, the example site built in German and in Arabic (right to left), and English
output untouched."""

from __future__ import annotations

import configparser
import json
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from babel.messages.checkers import python_format
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from conftest import build
from statusbook import i18n
from statusbook.hosts.language import site_language

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator" / "statusbook"
TEMPLATES = PACKAGE / "templates" / "statusbook"
NOW = "2026-11-23T10:00:00Z"
SHIPPED = ["ar", "de", "es", "fr", "ja", "pt_BR"]


# --- the catalogues -------------------------------------------------------------------------


def _extracted() -> set[str]:
    """Every message the code and templates ask for, extracted as `pybabel extract` does with
    i18n/babel.cfg (the same mapping file, so the docs' command and this test agree)."""
    config = configparser.ConfigParser()
    config.read(PACKAGE / "i18n" / "babel.cfg")
    method_map = []
    options_map = {}
    for section in config.sections():
        method, pattern = (part.strip() for part in section.split(":", 1))
        method_map.append((pattern, method))
        options_map[pattern] = dict(config.items(section))
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        method_map,
        options_map,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    return _extracted()


def _catalogue(code: str):
    with (PACKAGE / "i18n" / "locales" / f"{code}.po").open("rb") as fp:
        return read_po(fp, locale=code)


def test_the_shipped_languages_are_the_catalogues_on_disk():
    assert i18n.available() == ["en", *SHIPPED]


@pytest.mark.parametrize("code", SHIPPED)
def test_catalogue_has_every_message_and_no_stale_one(code, extracted):
    catalogue = _catalogue(code)
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogue if m.id}
    missing, stale = sorted(extracted - ids), sorted(ids - extracted)
    assert not missing, f"{code}.po lacks {len(missing)} messages (pybabel update): {missing[:8]}"
    assert not stale, f"{code}.po keeps {len(stale)} messages nothing asks for: {stale[:8]}"


@pytest.mark.parametrize("code", SHIPPED)
def test_catalogue_translates_every_message_with_its_placeholders(code):
    catalogue = _catalogue(code)
    for message in catalogue:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms), f"{code}.po: no translation for {message.id!r}"
        assert "fuzzy" not in message.flags, f"{code}.po: {message.id!r} is fuzzy"
        if isinstance(message.id, tuple):
            assert len(forms) == catalogue.num_plurals, f"{code}.po: {message.id[0]!r} forms"
        python_format(catalogue, message)  # raises TranslationError on a lost %(name)s


def test_the_template_catalogue_matches_the_code(extracted):
    with (PACKAGE / "i18n" / "locales" / "statusbook.pot").open("rb") as fp:
        template = read_po(fp)
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in template if m.id}
    assert ids == extracted, "statusbook.pot is out of date: see docs/translating.md"


# --- no reader-visible text outside the catalogue ------------------------------------------

#: Words that are names, not language: formats and file names shown as link text.
NAMES = {"RSS", "Atom", "maintenance.ics", "badges/status.svg", "embed/"}
VISIBLE_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "data-label", "summary")


class _Text(HTMLParser):
    """Text nodes and the visible attributes of a template once every Jinja expression,
    statement and comment is gone: what is left is text written into the template."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and re.search(r"[^\W\d_]", value):
                self.found.append(f"{tag}[{name}]={value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not self._skip and text and text not in NAMES and re.search(r"[^\W\d_]", text):
            self.found.append(repr(text))


def _untranslated(source: str) -> list[str]:
    blanked = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    parser = _Text()
    parser.feed(blanked)
    return parser.found


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_template_writes_no_text_outside_the_catalogue(name):
    found = _untranslated((TEMPLATES / name).read_text(encoding="utf-8"))
    assert not found, f"{name}: text not wrapped in _() or ngettext(): {found}"


def test_the_template_scan_catches_text_and_labels_left_bare():
    """The scan itself can fail: plain words, an aria-label and a title are all found."""
    found = _untranslated(
        '<h2>{{ _("Fine") }}</h2><p>Bare words</p><ol aria-label="Days">'
        '<li title="{{ x }} days">{{ y }}</li></ol><a href="feeds/all.rss">RSS</a>'
    )
    assert found == ["'Bare words'", "ol[aria-label]='Days'", "li[title]='  days'"]


# --- the language's formats -----------------------------------------------------------------


def test_english_keeps_statusbooks_own_formats():
    en = i18n.load("en")
    moment = datetime(2026, 11, 23, 9, 5, tzinfo=timezone.utc)
    assert en.time(moment) == "2026-11-23 09:05 UTC"
    assert en.day(date(2026, 11, 3)) == "3 Nov 2026"
    assert en.month(2026, 11) == "November 2026"
    assert en.duration(timedelta(hours=2, minutes=5)) == "2 h 5 min"
    assert en.gettext("Active incidents") == "Active incidents"


def test_german_formats_dates_durations_and_numbers_its_way():
    de = i18n.load("de")
    moment = datetime(2026, 11, 23, 9, 5, tzinfo=timezone.utc)
    assert de.time(moment) == "23.11.2026, 09:05 UTC"
    assert de.month(2026, 3) == "März 2026"
    assert de.duration(timedelta(days=1, hours=3)) == "1 Tg. 3 Std."
    assert de.duration(timedelta(seconds=20)) == "unter einer Minute"
    assert de.percent(99.95) == "99,95\u00a0%"  # a no-break space, as CLDR writes it
    assert de.in_sentence("Teilausfall") == "Teilausfall"
    assert i18n.load("fr").in_sentence("Panne partielle") == "panne partielle"


def test_japanese_months_and_brazilian_tag():
    assert i18n.load("ja").month(2026, 11) == "2026年11月"
    assert i18n.load("pt-BR").tag == "pt-BR"
    assert i18n.load("pt_BR").code == "pt_BR"


def test_arabic_is_right_to_left_with_six_plural_forms():
    ar = i18n.load("ar")
    assert ar.direction == "rtl" and i18n.load("de").direction == "ltr"
    forms = {
        n: ar.ngettext("%(num)s incident", "%(num)s incidents", n) for n in (0, 1, 2, 3, 11, 100)
    }
    assert len(set(forms.values())) == 5  # 11 and 100 share a form in this message
    assert forms[1] == "حادثة واحدة" and forms[3] == "%(num)s حوادث"


def test_plural_examples_name_one_number_per_cldr_category():
    assert i18n.plural_examples("de") == {"one": 1, "other": 0}
    assert i18n.plural_examples("ja") == {"other": 0}
    assert set(i18n.plural_examples("ar")) == {"zero", "one", "two", "few", "many", "other"}


def test_an_unknown_language_names_the_ones_there_are():
    with pytest.raises(i18n.UnknownLanguage, match=r"no catalogue for the language 'xx'.*en, ar"):
        i18n.load("xx")


def test_the_option_wins_over_the_theme_and_sets_it():
    theme = {"language": "en"}
    lang, problem = site_language("pt-BR", theme)
    assert (lang.code, problem, theme["language"]) == ("pt_BR", None, "pt-BR")


def test_a_theme_language_without_catalogue_builds_in_english_with_a_warning():
    lang, problem = site_language(None, {"language": "it"})
    assert lang.code == "en"
    assert "no catalogue for theme.language 'it'" in problem


# --- the example site, built in German and in Arabic ---------------------------------------


def _example_in(tmp_path_factory, theme_language: str, option: str | None = None) -> Path:
    site = tmp_path_factory.mktemp(f"example-{option or theme_language}")
    for name in ("mkdocs.yml", "content", "pages", "overrides"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  language: en\n", f"  language: {theme_language}\n")
    if option:
        config = config.replace(
            "      content_dir: content\n",
            f"      content_dir: content\n      language: {option}\n",
        )
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    out = site / "site"
    result = build(site, "-d", str(out), "--now", NOW, "-q")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def german(tmp_path_factory) -> Path:
    """Chosen through Material's theme.language."""
    return _example_in(tmp_path_factory, "de")


@pytest.fixture(scope="module")
def arabic(tmp_path_factory) -> Path:
    """Chosen through the plugin's option, which the theme then follows."""
    return _example_in(tmp_path_factory, "en", option="ar")


def _soup(site: Path, page: str = "index.html") -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_german_home_page_is_in_german_with_german_dates(german):
    soup = _soup(german)
    assert soup.html["lang"] == "de"
    assert soup.body.get("dir") == "ltr"
    assert soup.find(id="sb-active").get_text() == "Aktuelle Störungen"
    assert soup.find(id="sb-components").get_text() == "Komponenten"
    assert soup.find(class_="sb-banner-time").get_text() == "Stand: 23.11.2026, 10:00 UTC"
    strip = soup.find("ol", class_="sb-strip")
    assert strip["aria-label"].endswith(": täglicher Status, letzte 90 Tage")
    assert "Next update" not in soup.get_text() or "Next update by 10:30" in soup.get_text()


def test_german_incident_and_history_pages(german):
    incident = next((german / "incidents").glob("*/index.html"))
    soup = _soup(german, str(incident.relative_to(german)))
    assert [dt.get_text() for dt in soup.select("dl.sb-facts dt")][:3] == [
        "Auswirkung",
        "Betroffen",
        "Begonnen",
    ]
    assert soup.find("p", class_="sb-muted", string="Alle Zeiten in UTC.")
    history = _soup(german, "history/index.html")
    assert history.h1.get_text() == "Störungsverlauf"
    assert history.find(
        "a",
        string=re.compile(
            r"^(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November"
            r"|Dezember) 2026$"
        ),
    )


def test_german_feeds_say_de_and_translate_titles(german):
    feed = feedparser.parse((german / "feeds" / "all.rss").read_bytes())
    assert feed.feed.language == "de"
    assert feed.feed.title == "Quillstack Status: Störungen und Wartungen"
    states = {e.title.split("]")[0] + "]" for e in feed.entries}
    assert "[Behoben]" in states and not any("Resolved" in s for s in states)
    atom = feedparser.parse((german / "feeds" / "postmortems.atom").read_bytes())
    assert atom.feed.title == "Quillstack Status: Postmortems"


def test_german_badge_calendar_and_embed(german):
    badge = (german / "badges" / "status.svg").read_text(encoding="utf-8")
    assert "geringfügige dienststörung" in badge.lower()
    calendar = (german / "maintenance.ics").read_text(encoding="utf-8")
    assert "SUMMARY:Wartung: " in calendar and "Betrifft: " in calendar
    embed = _soup(german, "embed/index.html")
    assert embed.html["lang"] == "de" and "Stand: " in embed.get_text()


def test_machine_readable_outputs_stay_english(german):
    summary = (german / "api" / "v2" / "summary.json").read_text(encoding="utf-8")
    assert '"Minor Service Outage"' in summary and "Störung" not in summary
    atom = feedparser.parse((german / "feeds" / "all.atom").read_bytes())
    terms = {t.term for e in atom.entries for t in e.tags}
    assert "impact-minor" in terms and "maintenance" in terms


def test_content_the_team_wrote_stays_as_written(german):
    text = _soup(german).get_text()
    assert "Invoice e-mails delayed" in text


def test_arabic_site_is_right_to_left_in_arabic(arabic):
    soup = _soup(arabic)
    assert soup.html["lang"] == "ar"
    assert soup.body["dir"] == "rtl"
    assert soup.find(id="sb-active").get_text() == "الحوادث الجارية"
    embed = _soup(arabic, "embed/index.html")
    assert (embed.html["lang"], embed.html["dir"]) == ("ar", "rtl")
    feed = feedparser.parse((arabic / "feeds" / "all.atom").read_bytes())
    assert feed.feed.title.endswith("الحوادث والصيانة")


def test_library_script_gets_its_words_by_plural_category(arabic):
    ul = _soup(arabic, "postmortems/index.html").find(id="sb-library")
    words = json.loads(ul["data-sb-words"])
    assert set(words["open"]) == {"zero", "one", "two", "few", "many", "other"}
    assert words["heading"] == "التقارير المطابقة"


def test_statusbook_css_uses_logical_sides_so_rtl_mirrors():
    css = (PACKAGE / "assets" / "statusbook.css").read_text(encoding="utf-8")
    embed = (PACKAGE / "assets" / "embed.css").read_text(encoding="utf-8")
    assert not re.search(r"(margin|padding|border)-(left|right)\b", css + embed)


def test_budgets_percentages_and_metric_durations_use_the_locales_units():
    de, en = i18n.load("de"), i18n.load("en")
    assert de.minutes(43.2) == "43,2 Min." and de.minutes(125) == "2 Std. 5 Min."
    assert de.percent_as_is(99.9) == "99,9\u00a0%" and en.percent_as_is(99.9) == "99.9%"
    assert de.reunit("1 h 12 min") == "1 Std. 12 Min." and de.reunit("—") == "—"
    assert en.reunit("45 s") == "45 s"


def test_materials_english_words_follow_the_site(german):
    not_found = _soup(german, "404.html")
    assert not_found.h1.get_text() == "404 - Nicht gefunden"
    home = _soup(german)
    assert home.find("div", class_="md-search")["aria-label"] == "Suche"
    assert (
        home.find("label", attrs={"for": "__drawer"}, class_="md-header__button")["data-sb-name"]
        == "Menü"
    )


def test_a_japanese_badge_is_wide_enough_for_its_characters():
    from statusbook.outputs.badges import _text_width

    assert _text_width("軽微なサービス障害") >= 9 * 11
    assert _text_width("operational") == 73  # Latin text measures as it always did


def test_german_postmortem_page_translates_its_response_times_and_timeline(german):
    page = sorted((german / "postmortems").glob("20*/index.html"))[-1]
    soup = _soup(german, str(page.relative_to(german)))
    times = soup.find("ul", class_="sb-durations")
    assert times["aria-label"] == "Reaktionszeiten"
    assert "Zeit bis zur Behebung" in times.get_text()
    assert re.search(r"\d+ (Std\.|Min\.|Tg\.)", times.get_text())
    heads = [th.get_text() for th in soup.select("details.sb-compiled thead th")]
    assert heads == ["Zeit (UTC)", "Ereignis", "Veröffentlicht"]
    events = {td.get_text() for td in soup.select("details.sb-compiled tbody td:nth-of-type(2)")}
    assert "Begonnen" in events and "Behoben" in events


def test_an_unknown_language_option_is_reported_at_its_line(tmp_path):
    for name in ("mkdocs.yml", "content", "pages", "overrides"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    config = tmp_path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "      content_dir: content\n", "      content_dir: content\n      language: xx\n"
        ),
        encoding="utf-8",
    )
    line = 1 + text.splitlines().index("      content_dir: content") + 1
    result = build(tmp_path, "-d", str(tmp_path / "out"), "-q")
    assert result.exit_code == 1
    assert (
        f"mkdocs.yml:{line}:17: error: statusbook option 'language' must be a language "
        "Statusbook has a catalogue for (en, ar, de, es, fr, ja, pt_BR; docs/translating.md "
        "adds one), found 'xx'\n    hint: write e.g. language: de"
    ) in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
