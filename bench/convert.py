#!/usr/bin/env python3
"""Convert the benchmark corpus (gen_corpus.py --format json) into a Statusbook site folder.

usage: convert.py CORPUS.jsonl SITE_DIR [--components COMPONENTS.json] [--site-url URL]
                  [--timezone TZ]

Writes, deterministically (same corpus -> byte-identical files):

  SITE_DIR/mkdocs.yml                        like the example site's: Material, font: false,
                                             plugins search + statusbook, docs_dir pages
  SITE_DIR/pages/about.md                    the one ordinary page
  SITE_DIR/content/components.yml            the 12 components in their 3 groups
  SITE_DIR/content/incidents/YYYY/<slug>.md  one per incident record
  SITE_DIR/content/maintenance/YYYY/<slug>.md  one per maintenance record
  SITE_DIR/content/postmortems/<slug>.md     one per record with a postmortem

Mapping (record field -> Statusbook):
  slug                   file name = id
  title                  title
  severity               impact (minor/major/critical -> the same word)
  components[]           components: [slugified names]; each component's status goes on
                         the first update's `components:` map, `operational` on the
                         resolved update (maintenance updates have no components map:
                         Statusbook derives under_maintenance from the window)
  updates[]              updates: at, status, message (body)
  created_at             the first update's `at` (it is the same time)
  resolved_at            resolved: (lifecycle), when the record is closed
  scheduled_for/_until   start / end (maintenance)
  body                   Markdown body
  internal_note          notes: (internal, never published)
  postmortem             content/postmortems/<slug>.md: incidents [slug], status published,
                         date = published_at's date, summary (its paragraphs joined on one
                         line: Statusbook's summary is a one-line string), title = the
                         incident's title, body = the postmortem's markdown, action_items
                         (title -> description, owner, due, priority, status) when the
                         installed Statusbook has that field; started_at ..
                         resolved_at -> the incident's started/detected/acknowledged/
                         mitigated/resolved
Not mapped (no Statusbook field): a maintenance record's internal_note (maintenance files have
no internal notes field; it is left out and counted), id ("inc-000042"), status (derived from
the updates),
the postmortem's structured copies of its sections (impact, timeline, contributing_factors,
lessons_learned: they are in its markdown body), published_at's time of day.
If the installed Statusbook has the `postmortem_sections` option, mkdocs.yml sets it to the
corpus's own section headings (Summary, Impact, Timeline, Contributing factors, Action items,
Lessons learned) so that the build checks them instead of warning about Statusbook's default
list; --postmortem-sections yes/no forces it.
Standard library only (plus a look at the installed statusbook package, if any).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys

IMPACT = {"minor": "minor", "major": "major", "critical": "critical"}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed", "cancelled"}
COMPONENT_STATUSES = {"operational", "degraded_performance", "partial_outage", "major_outage"}

# YAML plain scalars we may write unquoted: no indicators at the start, no ": " or " #",
# nothing YAML 1.1 would read as a bool, null or number.
_PLAIN = re.compile(r"^[A-Za-z(][^\n:#]*$")
_RESERVED = {"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"}
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def scalar(value: str) -> str:
    """One YAML scalar on one line: plain when safe, else double-quoted (JSON is valid YAML)."""
    if _TIMESTAMP.match(value):
        return value
    if _PLAIN.match(value) and value.lower() not in _RESERVED and value == value.strip():
        return value
    return json.dumps(value, ensure_ascii=False)


def block(value: str, indent: str) -> str:
    """A literal block scalar (`|`) for Markdown text, or a quoted scalar if it cannot be one."""
    text = value.rstrip("\n")
    if not text or text[0] in " \t" or "\t" in text or "\r" in text:
        return json.dumps(value, ensure_ascii=False)
    lines = [(indent + line) if line else "" for line in text.split("\n")]
    return "|\n" + "\n".join(lines)


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"


# ----------------------------------------------------------------------------- components


def components_yml(components: list[dict]) -> str:
    groups: dict[str, list[dict]] = {}
    for c in components:
        groups.setdefault(c["group"], []).append(c)
    out = [
        "# The benchmark corpus's components (gen_corpus.py), grouped, in display order.",
        "groups:",
    ]
    for group, members in groups.items():
        out += [f"  - id: {slugify(group)}", f"    name: {scalar(group)}", "    components:"]
        for c in members:
            out += [f"      - id: {slugify(c['name'])}", f"        name: {scalar(c['name'])}"]
            if c.get("description"):
                out.append(f"        description: {scalar(c['description'])}")
    return "\n".join(out) + "\n"


def collect_components(records: list[dict], listed: list[dict] | None) -> list[dict]:
    """The fixed list when given (its order and descriptions), plus any name only records use."""
    out = [dict(c) for c in (listed or [])]
    known = {c["name"] for c in out}
    for rec in records:
        for c in rec["components"]:
            if c["name"] not in known:
                known.add(c["name"])
                out.append({"name": c["name"], "group": c["group"]})
    # keep groups together, in order of first appearance
    order: dict[str, int] = {}
    for c in out:
        order.setdefault(c["group"], len(order))
    return sorted(out, key=lambda c: order[c["group"]])  # stable sort keeps member order


# ------------------------------------------------------------------------------- entries


def incident_md(rec: dict) -> str:
    comps = [slugify(c["name"]) for c in rec["components"]]
    out = [
        "---",
        f"title: {scalar(rec['title'])}",
        f"impact: {IMPACT[rec['severity']]}",
        f"components: {flow_list(comps)}",
    ]
    pm = rec.get("postmortem")
    if pm:
        for field in ("started", "detected", "acknowledged", "mitigated", "resolved"):
            out.append(f"{field}: {pm[field + '_at']}")
    elif rec.get("resolved_at"):
        out.append(f"resolved: {rec['resolved_at']}")
    if rec.get("internal_note"):
        out.append(f"notes: {block(rec['internal_note'], '  ')}")
    out.append("updates:")
    updates = rec["updates"]
    for i, u in enumerate(updates):
        if u["status"] not in INCIDENT_STATUSES:
            raise ValueError(f"{rec['slug']}: incident update status {u['status']!r}")
        out += [
            f"  - at: {u['at']}",
            f"    status: {u['status']}",
            f"    message: {block(u['body'], '      ')}",
        ]
        statuses: list[tuple[str, str]] = []
        if i == 0:
            statuses = [(slugify(c["name"]), c["status"]) for c in rec["components"]]
        elif u["status"] == "resolved":
            statuses = [(slugify(c["name"]), "operational") for c in rec["components"]]
        if statuses:
            out.append("    components:")
            for cid, status in statuses:
                if status not in COMPONENT_STATUSES:
                    raise ValueError(f"{rec['slug']}: component status {status!r}")
                out.append(f"      {cid}: {status}")
    out.append("---")
    return "\n".join(out) + "\n" + rec["body"].rstrip("\n") + "\n"


def maintenance_md(rec: dict) -> str:
    comps = [slugify(c["name"]) for c in rec["components"]]
    out = [
        "---",
        f"title: {scalar(rec['title'])}",
        f"components: {flow_list(comps)}",
        f"start: {rec['scheduled_for']}",
        f"end: {rec['scheduled_until']}",
        "updates:",
    ]
    for u in rec["updates"]:
        if u["status"] not in MAINTENANCE_STATUSES:
            raise ValueError(f"{rec['slug']}: maintenance update status {u['status']!r}")
        out += [
            f"  - at: {u['at']}",
            f"    status: {u['status']}",
            f"    message: {block(u['body'], '      ')}",
        ]
    out.append("---")
    return "\n".join(out) + "\n" + rec["body"].rstrip("\n") + "\n"


def postmortem_md(rec: dict, action_items: bool = False) -> str:
    pm = rec["postmortem"]
    summary = " ".join(pm["summary"].split())
    out = [
        "---",
        f"title: {scalar(rec['title'])}",
        f"incidents: [{rec['slug']}]",
        "status: published",
        f"date: {pm['published_at'][:10]}",
        f"summary: {scalar(summary)}",
    ]
    if action_items and pm.get("action_items"):
        out.append("action_items:")
        for item in pm["action_items"]:
            out += [
                f"  - description: {scalar(item['title'])}",
                f"    owner: {scalar(item['owner'])}",
                f"    due: {item['due']}",
                f"    priority: {scalar(item['priority'])}",
                f"    status: {scalar(item['status'])}",
            ]
    out.append("---")
    return "\n".join(out) + "\n" + pm["markdown"].rstrip("\n") + "\n"


# ---------------------------------------------------------------------------- site files

MKDOCS_YML = """\
# Benchmark site: the gen_corpus.py corpus converted by bench/convert.py.
site_name: Benchmark Status
site_description: Current status, incident history and postmortems (synthetic benchmark corpus).
site_url: {site_url}
docs_dir: pages
use_directory_urls: true

theme:
  name: material
  font: false            # no Google Fonts: the page makes no third-party requests
  language: en
  features:
    - navigation.tabs
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: white
      accent: indigo
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: black
      accent: indigo
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode

nav:
  - Status: index.md
  - History: history/index.md
  - Postmortems: postmortems/index.md
  - About: about.md

plugins:
  - search
  - statusbook:
      content_dir: content
      timezone: {timezone}{extra_options}

watch:
  - content

markdown_extensions:
  - admonition
  - tables
  - toc:
      permalink: false
"""

ABOUT_MD = """\
# About this page

This status page is built from a synthetic corpus for Statusbook's benchmark
(`bench/convert.py`). Every incident, maintenance window and postmortem on it is made up.
"""


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def has_action_items() -> bool:
    try:
        from statusbook.content import schema
    except Exception:
        return False
    return any(f.name == "action_items" for f in getattr(schema, "postmortem_fields", lambda: ())())


def has_sections_option() -> bool:
    try:
        from statusbook.hosts.plugin_options import StatusbookConfig
    except Exception:  # not installed, or another version
        return False
    return hasattr(StatusbookConfig, "postmortem_sections")


def postmortem_sections(records: list[dict]) -> list[str]:
    """The corpus's postmortem headings (## level), in order of first appearance."""
    seen: dict[str, None] = {}
    for rec in records:
        if rec.get("postmortem"):
            for line in rec["postmortem"]["markdown"].split("\n"):
                if line.startswith("## "):
                    seen.setdefault(line[3:].strip(), None)
    return list(seen)


def convert(
    corpus: str,
    site: str,
    listed: list[dict] | None,
    site_url: str,
    tz: str,
    sections: str = "auto",
    action_items: str = "auto",
) -> dict:
    with open(corpus, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for sub in ("content", "pages"):
        shutil.rmtree(os.path.join(site, sub), ignore_errors=True)
    extra = ""
    with_actions = action_items == "yes" or (action_items == "auto" and has_action_items())
    names = postmortem_sections(records)
    if names and (sections == "yes" or (sections == "auto" and has_sections_option())):
        extra = "\n      postmortem_sections: " + flow_list(names)
    write(
        os.path.join(site, "mkdocs.yml"),
        MKDOCS_YML.format(site_url=site_url, timezone=tz, extra_options=extra),
    )
    write(os.path.join(site, "pages", "about.md"), ABOUT_MD)
    write(
        os.path.join(site, "content", "components.yml"),
        components_yml(collect_components(records, listed)),
    )
    counts = {
        "incidents": 0,
        "maintenance": 0,
        "postmortems": 0,
        "internal_notes": 0,
        "maintenance_notes_dropped": 0,
    }
    for rec in records:
        year = rec["created_at"][:4]
        if rec["kind"] == "maintenance":
            write(
                os.path.join(site, "content", "maintenance", year, rec["slug"] + ".md"),
                maintenance_md(rec),
            )
            counts["maintenance"] += 1
            if rec.get("internal_note"):
                # Statusbook's maintenance files have no internal notes field: left out (it is
                # internal, so leaving it out can only make the page safer), and counted.
                counts["maintenance_notes_dropped"] += 1
            if rec.get("postmortem"):
                raise ValueError(f"{rec['slug']}: a postmortem can only cover an incident")
            continue
        write(
            os.path.join(site, "content", "incidents", year, rec["slug"] + ".md"), incident_md(rec)
        )
        counts["incidents"] += 1
        counts["internal_notes"] += bool(rec.get("internal_note"))
        if rec.get("postmortem"):
            write(
                os.path.join(site, "content", "postmortems", rec["slug"] + ".md"),
                postmortem_md(rec, with_actions),
            )
            counts["postmortems"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("site")
    ap.add_argument(
        "--components",
        help="gen_corpus.py --list-components output (order, "
        "descriptions); without it, components come from the records",
    )
    ap.add_argument("--site-url", default="https://status.example.com/")
    ap.add_argument("--timezone", default="UTC")
    ap.add_argument("--postmortem-sections", choices=("auto", "yes", "no"), default="auto")
    ap.add_argument("--action-items", choices=("auto", "yes", "no"), default="auto")
    a = ap.parse_args(argv)
    listed = None
    if a.components:
        with open(a.components, encoding="utf-8") as f:
            listed = json.load(f)
    counts = convert(
        a.corpus, a.site, listed, a.site_url, a.timezone, a.postmortem_sections, a.action_items
    )
    print(
        "convert: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" -> {a.site}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
