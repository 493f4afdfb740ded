"""Self-contained SVG badges for READMEs and dashboards, built with an XML serialiser.

Each badge names its status in text (and in <title> for screen readers); colour repeats it.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET

from ..i18n import floor_percent, load
from ..model import ComponentStatus
from ..views.site import SiteView

SVG_NS = "http://www.w3.org/2000/svg"
_FILL = {
    "operational": "#1a7f37",
    "under_maintenance": "#1f5fbf",
    "degraded_performance": "#9a6700",
    "partial_outage": "#bc4c00",
    "major_outage": "#b42318",
}
_OVERALL_FILL = {
    "none": _FILL["operational"],
    "maintenance": _FILL["under_maintenance"],
    "minor": _FILL["degraded_performance"],
    "major": _FILL["partial_outage"],
    "critical": _FILL["major_outage"],
}
_LABEL_FILL = "#555555"


def _text_width(text: str) -> int:
    """Approximate width at 11px sans-serif; wide enough that text never overflows."""
    narrow = set("fijlrt.,:;'|!() ")
    wide = set("mwMW@%")
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 11.0  # a CJK character fills its em square (Japanese badges, #20)
        elif ch in narrow:
            width += 3.8
        elif ch in wide:
            width += 10.0
        elif ch.isupper() or ch.isdigit():
            width += 7.6
        else:
            width += 6.6
    return int(width) + 12


def badge(label: str, value: str, fill: str) -> bytes:
    """A two-part badge: grey label, coloured value."""
    ET.register_namespace("", SVG_NS)
    left = _text_width(label)
    right = _text_width(value)
    total = left + right
    name = f"{label}: {value}"
    svg = ET.Element(
        f"{{{SVG_NS}}}svg",
        {
            "width": str(total),
            "height": "20",
            "viewBox": f"0 0 {total} 20",
            "role": "img",
            "aria-label": name,
        },
    )
    ET.SubElement(svg, f"{{{SVG_NS}}}title").text = name
    ET.SubElement(
        svg,
        f"{{{SVG_NS}}}rect",
        {"width": str(left), "height": "20", "fill": _LABEL_FILL, "rx": "3"},
    )
    ET.SubElement(
        svg,
        f"{{{SVG_NS}}}rect",
        {"x": str(left), "width": str(right), "height": "20", "fill": fill, "rx": "3"},
    )
    # Square off the seam between the two rounded halves.
    ET.SubElement(
        svg, f"{{{SVG_NS}}}rect", {"x": str(left), "width": "4", "height": "20", "fill": fill}
    )
    group = ET.SubElement(
        svg,
        f"{{{SVG_NS}}}g",
        {
            "fill": "#ffffff",
            "font-family": "Verdana,DejaVu Sans,sans-serif",
            "font-size": "11",
            "text-anchor": "middle",
            "aria-hidden": "true",
        },
    )
    ET.SubElement(group, f"{{{SVG_NS}}}text", {"x": str(left / 2), "y": "14"}).text = label
    ET.SubElement(group, f"{{{SVG_NS}}}text", {"x": str(left + right / 2), "y": "14"}).text = value
    data: bytes = ET.tostring(svg, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def files(view: SiteView) -> dict[str, bytes]:
    lang = load(view.settings.language)
    _ = lang.gettext
    overall = view.overall
    out = {
        "badges/status.svg": badge(
            view.settings.site_name,
            lang.in_sentence(_(overall.description)),
            _OVERALL_FILL[overall.indicator],
        )
    }
    for component in view.corpus.components:
        status = view.statuses[component.id]
        value = lang.in_sentence(_(ComponentStatus(status).label))
        out[f"badges/components/{component.id}.svg"] = badge(
            component.name, value, _FILL[status.value]
        )
        uptime = view.uptime[component.id]
        out[f"badges/components/{component.id}-uptime.svg"] = badge(
            _("%(name)s uptime") % {"name": component.name},
            _("%(percent)s (%(days)s d)")
            % {
                "percent": uptime.percent_text
                if lang.is_source
                else lang.percent(floor_percent(uptime.percent)),
                "days": view.settings.uptime_days,
            },
            _uptime_fill(uptime.percent),
        )
    return out


def _uptime_fill(percent: float) -> str:
    if percent >= 99.9:
        return _FILL["operational"]
    if percent >= 99.0:
        return _FILL["degraded_performance"]
    if percent >= 95.0:
        return _FILL["partial_outage"]
    return _FILL["major_outage"]
