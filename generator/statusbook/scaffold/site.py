"""`statusbook init`: write a new site from the files in site_template/, dated around `now`.

The example entries are dated relative to the day of `init`, so a new site shows a recent
incident and an upcoming maintenance window instead of stale history.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from ..clock import iso_z

TEMPLATE = Path(__file__).resolve().parent.parent / "site_template"
_EXAMPLES = ("content/incidents/", "content/maintenance/", "content/postmortems/")


def _renamed(rel: str) -> str:
    """Package data cannot carry dotfiles reliably; they are stored with a leading '_'."""
    parts = [("." + p[1:]) if p in ("_github", "_gitignore") else p for p in rel.split("/")]
    return "/".join(parts)


def site_url_line(url: str) -> str:
    """mkdocs.yml's site_url: feeds, the API's page.url and shortlinks need an absolute one."""
    if url:
        return f"site_url: {url}   # feeds, the API and shortlinks link here"
    return (
        "# site_url: https://status.example.com/   # without it the deploy workflow uses the\n"
        "# address GitHub Pages gives (custom domain included); other hosts: set it here."
    )


def placeholders(name: str, now: datetime) -> dict[str, str]:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    t0 = day - timedelta(days=3) + timedelta(hours=9, minutes=12)
    offsets = [0, 6, 9, 40, 72, 130]  # minutes after t0: started .. resolved
    times = [t0 + timedelta(minutes=m) for m in offsets]
    maint = day + timedelta(days=7, hours=6)
    values = {
        "__NAME__": name,
        "__INCIDENT_ID__": f"{t0:%Y-%m-%d}-slow-api",
        "__MAINT_ID__": f"{maint:%Y-%m-%d}-database-upgrade",
        "__NOW__": iso_z(now.replace(microsecond=0)),
        "__M0__": iso_z(maint),
        "__M1__": iso_z(maint + timedelta(hours=1)),
        "__PMDATE__": f"{now:%Y-%m-%d}",
        "__ACTION_DUE__": f"{now + timedelta(days=30):%Y-%m-%d}",
    }
    for i, moment in enumerate(times):
        values[f"__T{i}__"] = iso_z(moment)
        values[f"__T{i}_TEXT__"] = f"{moment:%H:%M} UTC"
    return values


def write_site(
    target: Path,
    name: str,
    bare: bool,
    now: datetime,
    site_url: str = "",
    requirements: str = "",
) -> list[str]:
    """Write the template into `target`; returns the relative paths written.

    `requirements` is the whole requirements.txt (see provenance.requirement)."""
    values = placeholders(name, now)
    values["__SITE_URL_LINE__"] = site_url_line(site_url)
    values["__REQUIREMENTS__"] = requirements
    written = []
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        rel = _renamed(source.relative_to(TEMPLATE).as_posix())
        if bare and rel.startswith(_EXAMPLES):
            continue
        text = source.read_text(encoding="utf-8")
        for key, value in values.items():
            rel = rel.replace(key, value)
            text = text.replace(key, value)
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        written.append(rel)
    for folder in _EXAMPLES:
        (target / folder).mkdir(parents=True, exist_ok=True)
    return written
