"""`statusbook build` of the Pebblepost fixture site, read back as a customer would see it."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from bs4 import BeautifulSoup

from conftest import build_fixture

FIXTURE = "pebblepost"
ACTIVE = "2026-05-10-label-printing-failures"
OUTAGE = "2026-05-03-tracking-api-outage"
OLDER = "2026-04-21-sms-delays"
INTERNAL = "2026-04-28-queue-rebalance"
MAINTENANCE = "2026-05-14-sms-gateway-upgrade"
SITE_URL = "https://status.pebblepost.example/"

#: Text that exists only in internal content: an internal incident, a public incident's
#: internal notes, roles and severities. None of it may reach the public site.
INTERNAL_ONLY = [
    "SECRETMARKER-NARWHAL-9041",  # internal incident's title and message
    INTERNAL,  # its id, hence its address
    "NOTESMARKER-QUOKKA-5512",  # `notes:` of a public incident
    "Label team on-call",  # `roles:` of a public incident
    "SEV1",  # severities
    "SEV2",
]
#: A draft postmortem: in neither edition.
DRAFT_ONLY = "DRAFTMARKER-OKAPI-3307"


@pytest.fixture(scope="module")
def public_site(tmp_path_factory):
    _, out = build_fixture(FIXTURE, tmp_path_factory.mktemp("public"))
    return out


@pytest.fixture(scope="module")
def internal_site(tmp_path_factory):
    _, out = build_fixture(FIXTURE, tmp_path_factory.mktemp("internal"), "--internal")
    return out


def page(out, rel: str = "") -> BeautifulSoup:
    path = out / rel / "index.html"
    assert path.is_file(), f"{rel or 'home'} page was not written"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def readable_files(out):
    """(relative path, text) for every file in the site; .gz files are decompressed."""
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        yield path.relative_to(out).as_posix(), data.decode("utf-8", errors="replace")


# --- home page ---------------------------------------------------------------------------------


def test_home_banner_shows_worst_active_impact(public_site):
    banner = page(public_site).select_one("#sb-overall")
    assert text(banner) == "Partial System Outage"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("Tracking API", "Operational"),
        ("Label printing", "Partial outage"),
        ("SMS alerts", "Operational"),
        ("E-mail alerts", "Operational"),
    ],
    ids=["tracking-api", "label-printing", "sms", "email"],
)
def test_home_lists_each_component_with_its_status_text(public_site, name, status):
    rows = {
        text(li.select_one(".sb-component-name")): li
        for li in page(public_site).select("li.sb-component")
    }
    assert name in rows, sorted(rows)
    assert text(rows[name].select_one(".sb-component-head .sb-pill")) == status


def test_home_groups_components_in_file_order(public_site):
    groups = page(public_site).select(".sb-group")
    assert [text(g.select_one(".sb-group-head span")) for g in groups] == [
        "Parcel tracking",
        "Notifications",
    ]
    assert [text(a) for a in groups[0].select(".sb-component-name")] == [
        "Tracking API",
        "Label printing",
    ]
    # A group shows its worst member's status.
    assert text(groups[0].select_one(".sb-group-head .sb-pill")) == "Partial outage"
    assert text(groups[1].select_one(".sb-group-head .sb-pill")) == "Operational"


def test_home_shows_active_incident_with_latest_update_and_next_update_time(public_site):
    section = page(public_site).select_one('section[aria-labelledby="sb-active"]')
    assert section is not None, "no 'Active incidents' section"
    cards = section.select("article")
    assert len(cards) == 1
    card = cards[0]
    link = card.select_one("h3 a")
    assert text(link) == "Shipping labels fail to print"
    assert link["href"] == f"incidents/{ACTIVE}/"
    latest = text(card.select_one(".sb-update-body"))
    assert "printer driver bundle released this morning" in latest
    assert "print blank pages" not in latest  # the older update is not the latest
    assert text(card.select_one(".sb-next")) == "Next update by 2026-05-10 12:30 UTC"
    assert "Label printing" in text(card)


def test_home_lists_upcoming_maintenance_under_scheduled_maintenance(public_site):
    section = page(public_site).select_one('section[aria-labelledby="sb-upcoming"]')
    assert section is not None, "no 'Scheduled maintenance' section"
    assert text(section.select_one("h2")) == "Scheduled maintenance"
    link = section.select_one("article h3 a")
    assert text(link) == "SMS gateway upgrade"
    assert link["href"] == f"maintenance/{MAINTENANCE}/"
    assert "2026-05-14 01:00 UTC" in text(section)
    assert "Texts may be delayed" in text(section)


def test_home_has_no_maintenance_in_progress_section(public_site):
    assert page(public_site).select_one('section[aria-labelledby="sb-running"]') is None


def test_every_component_has_90_daily_bars(public_site):
    components = page(public_site).select("li.sb-component")
    assert len(components) == 4
    for li in components:
        assert len(li.select("li.sb-day")) == 90, text(li.select_one(".sb-component-name"))


def test_day_with_outage_has_its_status_class_and_names_the_incident(public_site):
    rows = {
        text(li.select_one(".sb-component-name")): li
        for li in page(public_site).select("li.sb-component")
    }
    bars = rows["Tracking API"].select("li.sb-day")
    labelled = {text(b.select_one(".sb-tip")).split(":")[0]: b for b in bars}
    outage_day = labelled["3 May 2026"]
    assert "sb-s-major_outage" in outage_day["class"]
    assert text(outage_day) == "3 May 2026: major outage. Tracking API unavailable"
    quiet_day = labelled["2 May 2026"]
    assert "sb-s-operational" in quiet_day["class"]
    assert text(quiet_day) == "2 May 2026: no incidents"
    # The last bar is today.
    assert text(bars[-1]).startswith("10 May 2026: ")
    assert "99.95% uptime" in text(rows["Tracking API"])


def test_today_bar_of_component_in_active_incident_shows_it(public_site):
    rows = {
        text(li.select_one(".sb-component-name")): li
        for li in page(public_site).select("li.sb-component")
    }
    today = rows["Label printing"].select("li.sb-day")[-1]
    assert "sb-s-partial_outage" in today["class"]
    assert "Shipping labels fail to print" in text(today)


def test_home_past_incidents_list_recent_public_incidents(public_site):
    section = page(public_site).select_one('section[aria-labelledby="sb-recent"]')
    titles = [text(a) for a in section.select("a.sb-row-title")]
    assert "Tracking API unavailable" in titles
    assert "Shipping labels fail to print" in titles


# --- incident, postmortem, history, component pages --------------------------------------------


def test_incident_page_lists_updates_newest_first(public_site):
    doc = page(public_site, f"incidents/{OUTAGE}")
    assert text(doc.select_one(".sb-page h1")) == "Tracking API unavailable"
    updates = doc.select("ol.sb-updates > li.sb-update")
    times = [u.select_one(".sb-update-head time")["datetime"] for u in updates]
    assert times == ["2026-05-03T15:00:00Z", "2026-05-03T14:30:00Z", "2026-05-03T14:05:00Z"]
    states = [text(u.select_one(".sb-state")) for u in updates]
    assert states == ["Resolved", "Identified", "Investigating"]
    assert text(doc.select_one(".sb-banner-text")) == "Resolved"


def test_active_incident_page_shows_state_and_next_update(public_site):
    doc = page(public_site, f"incidents/{ACTIVE}")
    assert text(doc.select_one(".sb-banner-text")) == "Identified"
    assert "Next update by 2026-05-10 12:30 UTC" in text(doc.select_one(".sb-banner"))
    assert "only new print jobs are affected" in text(doc.select_one(".sb-body"))


def test_postmortem_and_incident_link_to_each_other(public_site):
    incident = page(public_site, f"incidents/{OUTAGE}")
    to_pm = incident.select_one(".sb-pm-link a")
    assert to_pm is not None, "incident page has no postmortem link"
    assert to_pm["href"] == f"../../postmortems/{OUTAGE}/"
    assert text(to_pm) == "Tracking API outage on 3 May"
    assert (public_site / "postmortems" / OUTAGE / "index.html").is_file()

    pm = page(public_site, f"postmortems/{OUTAGE}")
    to_incident = [a for a in pm.select(".sb-facts a") if "incidents/" in a["href"]]
    assert [a["href"] for a in to_incident] == [f"../../incidents/{OUTAGE}/"]
    assert text(to_incident[0]) == "Tracking API unavailable"


def test_postmortem_index_lists_published_postmortems_only(public_site):
    doc = page(public_site, "postmortems")
    titles = [text(a) for a in doc.select("a.sb-row-title")]
    assert titles == ["Tracking API outage on 3 May"]


@pytest.mark.parametrize(
    ("month", "titles"),
    [
        ("2026-05", ["Shipping labels fail to print", "Tracking API unavailable"]),
        ("2026-04", ["SMS alerts delayed"]),
    ],
    ids=["may", "april"],
)
def test_history_month_page_lists_its_incidents(public_site, month, titles):
    doc = page(public_site, f"history/{month}")
    assert [
        text(a) for a in doc.select(".sb-rows a.sb-row-title") if "incidents/" in a["href"]
    ] == titles


def test_history_index_links_every_month(public_site):
    doc = page(public_site, "history")
    hrefs = [a["href"] for a in doc.select(".sb-months a")]
    assert hrefs == ["../history/2026-05/", "../history/2026-04/"]


@pytest.mark.parametrize(
    ("cid", "name", "status"),
    [
        ("tracking-api", "Tracking API", "Operational"),
        ("label-printing", "Label printing", "Partial outage"),
        ("sms", "SMS alerts", "Operational"),
        ("email", "E-mail alerts", "Operational"),
    ],
    ids=["tracking-api", "label-printing", "sms", "email"],
)
def test_component_page_shows_name_status_and_strip(public_site, cid, name, status):
    doc = page(public_site, f"components/{cid}")
    assert text(doc.select_one(".sb-page h1")) == name
    assert text(doc.select_one(".sb-banner-text")) == status
    assert len(doc.select("li.sb-day")) == 90


def test_component_page_lists_its_incidents_and_maintenance(public_site):
    doc = page(public_site, "components/sms")
    hrefs = [a["href"] for a in doc.select("a.sb-row-title")]
    assert f"../../incidents/{OLDER}/" in hrefs
    assert f"../../maintenance/{MAINTENANCE}/" in hrefs


def test_maintenance_page_shows_window_and_state(public_site):
    doc = page(public_site, f"maintenance/{MAINTENANCE}")
    assert text(doc.select_one(".sb-page h1")) == "SMS gateway upgrade"
    assert text(doc.select_one(".sb-banner-text")) == "Scheduled maintenance: scheduled"
    assert "2026-05-14 01:00 UTC – 2026-05-14 03:00 UTC" in text(doc.select_one(".sb-facts"))


def _page_locs(site) -> list[str]:
    """Every page URL, following sitemap.xml (an index) to the sitemaps it lists."""
    index = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in index
    locs = []
    for child in re.findall(r"<loc>([^<]+)</loc>", index):
        assert child.startswith(SITE_URL + "sitemaps/")
        xml = (site / child[len(SITE_URL) :]).read_text(encoding="utf-8")
        locs += re.findall(r"<loc>([^<]+)</loc>", xml)
    return locs


def test_sitemap_index_stays_small_and_lists_every_public_incident_page(public_site):
    assert (public_site / "sitemap.xml").stat().st_size < 2000
    locs = _page_locs(public_site)
    for ident in (ACTIVE, OUTAGE, OLDER):
        assert f"{SITE_URL}incidents/{ident}/" in locs
    assert f"{SITE_URL}maintenance/{MAINTENANCE}/" in locs
    assert f"{SITE_URL}postmortems/{OUTAGE}/" in locs
    assert len(locs) == len(set(locs)), "sitemap lists a page twice"


def test_sitemap_lists_the_home_page_at_the_site_url(public_site):
    """The home page's address is the site URL itself, not SITE_URL + './'."""
    locs = _page_locs(public_site)
    assert SITE_URL in locs
    assert not [loc for loc in locs if "/./" in loc or loc.endswith("/.")], locs


def test_every_sitemap_location_exists_in_the_build(public_site):
    locs = _page_locs(public_site)
    missing = []
    for loc in locs:
        assert loc.startswith(SITE_URL)
        rel = loc[len(SITE_URL) :]
        if not (public_site / rel / "index.html").is_file():
            missing.append(loc)
    assert not missing


def test_sitemap_gz_matches_sitemap(public_site):
    plain = (public_site / "sitemap.xml").read_bytes()
    assert gzip.decompress((public_site / "sitemap.xml.gz").read_bytes()) == plain


def test_search_finds_pages_not_the_lists_of_them(public_site):
    """The home page, the history and the postmortem library only list what has a page of its
    own: in the index they would repeat every card's text (and the home page's changes with
    every update), so a search leads to the postmortem itself."""
    index = json.loads((public_site / "search" / "search_index.json").read_text("utf-8"))
    pages = {doc["location"].partition("#")[0] for doc in index["docs"]}
    assert pages.isdisjoint({"", "history/", "postmortems/"}), sorted(pages)
    assert f"postmortems/{OUTAGE}/" in pages
    # The draft postmortem has no page, so no entry either.
    assert not any(OLDER in page for page in pages)


# --- internal content --------------------------------------------------------------------------


def test_internal_content_appears_in_no_file_of_the_public_build(public_site):
    """Every file, including the search index, the sitemap, feeds and other generated files."""
    leaks = [
        f"{rel}: {marker}"
        for rel, body in readable_files(public_site)
        for marker in [*INTERNAL_ONLY, DRAFT_ONLY]
        if marker in body
    ]
    assert not leaks
    assert (public_site / "search" / "search_index.json").is_file()
    assert not (public_site / "incidents" / INTERNAL).exists()


def test_internal_build_includes_internal_content(internal_site):
    doc = page(internal_site, f"incidents/{INTERNAL}")
    assert "SECRETMARKER-NARWHAL-9041" in text(doc.select_one(".sb-page h1"))
    assert "Internal" in text(doc.select_one(".sb-facts"))
    outage = text(page(internal_site, f"incidents/{OUTAGE}"))
    assert "NOTESMARKER-QUOKKA-5512" in outage
    assert "SEV1" in outage
    active = text(page(internal_site, f"incidents/{ACTIVE}"))
    assert "Label team on-call" in active
    month = page(internal_site, "history/2026-04")
    assert f"../../incidents/{INTERNAL}/" in [a["href"] for a in month.select("a.sb-row-title")]


def test_internal_build_still_leaves_out_draft_postmortems(internal_site):
    leaks = [rel for rel, body in readable_files(internal_site) if DRAFT_ONLY in body]
    assert not leaks


def test_a_build_for_a_moment_before_a_postmortems_incident_was_posted(tmp_path):
    """--now before the incident's first update: the postmortem page leaves it out instead
    of failing (it once raised IndexError)."""
    from conftest import build

    site, out = build_fixture(FIXTURE, tmp_path)
    result = build(site, "-d", tmp_path / "early", "--now", "2026-05-03T13:00:00Z", "-q")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "early" / "postmortems" / OUTAGE / "index.html").read_text("utf-8")
    assert f"incidents/{OUTAGE}/" not in page
    assert f"incidents/{OUTAGE}/" in (out / "postmortems" / OUTAGE / "index.html").read_text(
        "utf-8"
    )
