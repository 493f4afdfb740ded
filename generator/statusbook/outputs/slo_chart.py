"""Static SVG pictures of an error budget: the burn over the window, and a one-line gauge.

Built like the other charts (charts.py): an XML serialiser, <svg role="img"> named by its
<title> and <desc>, `currentColor` for text and axes. Colour never carries the meaning alone:
the budget line is dashed and labelled, and the page states in words whether the objective is
met, with the numbers of the chart in a table beside it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from ..i18n import ENGLISH, Lang
from . import charts
from .charts import FONT_SIZE, el, new_svg, nice_ticks, number, serialise, tick_lines

WIDTH = charts.WIDTH
HEIGHT = charts.HEIGHT
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 12, 34, 44
SPENT = "#3d7dd8"  # charts.PALETTE[0]: >= 3.5:1 on white and on Material's slate
OVER = "#c75c1c"  # charts.PALETTE[1]: the part of the burn above the budget
GAUGE_WIDTH = 240
GAUGE_HEIGHT = 18


def minutes_text(minutes: float, lang: Lang = ENGLISH) -> str:
    """'43.2 min', '2 h 5 min': budgets are read in minutes, long spends in hours too."""
    if not lang.is_source:
        return lang.minutes(minutes)
    if abs(minutes) < 120:
        return f"{number(round(minutes, 1))} min"
    whole = round(abs(minutes))
    sign = "-" if minutes < 0 else ""
    return f"{sign}{whole // 60} h {whole % 60} min"


def burn_chart(
    chart_id: str,
    title: str,
    desc: str,
    burn: list[float],
    budget: float,
    days: int,
    lang: Lang = ENGLISH,
) -> str:
    """Cumulative budget spent at the end of each day of the window (a stepped area), and the
    budget as a dashed line. `burn` has one value per day, oldest first."""
    svg, _ = new_svg(chart_id, title, desc, "burn")
    svg.set("viewBox", f"0 0 {WIDTH} {HEIGHT}")
    top = nice_ticks(max([budget, *burn, 1.0]))[-1]
    ticks = nice_ticks(top)
    left, right, y_top, y_bottom = _LEFT, WIDTH - _RIGHT, _TOP, HEIGHT - _BOTTOM
    step = (right - left) / max(days, 1)

    def y(value: float) -> float:
        return y_bottom - (y_bottom - y_top) * min(value, top) / top

    grid = el(svg, "g", {"class": "sb-chart-grid", "stroke": "currentColor"})
    grid.set("stroke-opacity", "0.2")
    axis = el(svg, "g", {"class": "sb-chart-axis", "fill": "currentColor", "text-anchor": "end"})
    tick_lines(grid, axis, ticks, y, left, right)
    el(
        svg,
        "text",
        {"class": "sb-chart-unit", "fill": "currentColor", "x": "4", "y": "16"},
        lang.minute_unit(),
    )
    _window_labels(svg, days, left, right, y_bottom, lang)
    points = _stepped_area(burn, left, right, step, y, y_bottom)
    colour = OVER if burn and burn[-1] > budget else SPENT
    el(
        svg,
        "polygon",
        {
            "class": "sb-chart-series sb-chart-s1",
            "fill": colour,
            "fill-opacity": "0.35",
            "stroke": colour,
            "stroke-width": "2",
            "points": " ".join(f"{number(px)},{number(py)}" for px, py in points),
        },
    )
    _budget_line(svg, y(budget), budget, left, right, lang)
    return serialise(svg)


def _window_labels(
    svg: ET.Element, days: int, left: float, right: float, y_bottom: float, lang: Lang
) -> None:
    """The x axis names only its two ends: the window's first day and now."""
    labels = el(svg, "g", {"class": "sb-chart-labels", "fill": "currentColor"})
    base = number(y_bottom + FONT_SIZE + 6)
    el(
        labels,
        "text",
        {"x": number(left), "y": base, "text-anchor": "start"},
        lang.gettext("%(days)s days ago") % {"days": days},
    )
    el(labels, "text", {"x": number(right), "y": base, "text-anchor": "end"}, lang.gettext("Now"))


def _stepped_area(
    burn: list[float],
    left: float,
    right: float,
    step: float,
    y: Callable[[float], float],
    y_bottom: float,
) -> list[tuple[float, float]]:
    """The burn's outline as a stepped area: flat within a day, rising at its end."""
    points: list[tuple[float, float]] = [(left, y_bottom)]
    level = 0.0
    for i, spent in enumerate(burn):
        x0, x1 = left + step * i, left + step * (i + 1)
        points += [(x0, y(level)), (x0, y(spent)), (x1, y(spent))]
        level = spent
    points.append((right, y_bottom))
    return points


def _budget_line(
    svg: ET.Element, at: float, budget: float, left: float, right: float, lang: Lang
) -> None:
    """The budget as a dashed line across the plot, labelled in words (not by colour alone)."""
    by = number(at)
    el(
        svg,
        "line",
        {
            "class": "sb-chart-budget",
            "stroke": "currentColor",
            "stroke-width": "2",
            "stroke-dasharray": "6 4",
            "x1": number(left),
            "x2": number(right),
            "y1": by,
            "y2": by,
        },
    )
    el(
        svg,
        "text",
        {
            "class": "sb-chart-legend",
            "fill": "currentColor",
            "x": number(left + 6),
            "y": number(max(at - 6, FONT_SIZE + 2)),
        },
        lang.gettext("Budget: %(budget)s") % {"budget": minutes_text(budget, lang)},
    )


def gauge(chart_id: str, title: str, desc: str, spent: float, budget: float) -> str:
    """A bar the width of the budget, filled as far as it is spent (capped at full)."""
    svg, _ = new_svg(chart_id, title, desc, "gauge")
    svg.set("viewBox", f"0 0 {GAUGE_WIDTH} {GAUGE_HEIGHT}")
    share = 1.0 if budget <= 0 and spent > 0 else (spent / budget if budget > 0 else 0.0)
    share = max(0.0, min(share, 1.0))
    el(
        svg,
        "rect",
        {
            "class": "sb-gauge-budget",
            "x": "0.5",
            "y": "0.5",
            "width": number(GAUGE_WIDTH - 1),
            "height": number(GAUGE_HEIGHT - 1),
            "fill": "none",
            "stroke": "currentColor",
        },
    )
    if share > 0:
        el(
            svg,
            "rect",
            {
                "class": "sb-gauge-spent",
                "x": "2",
                "y": "2",
                "width": number((GAUGE_WIDTH - 4) * share),
                "height": number(GAUGE_HEIGHT - 4),
                "fill": OVER if spent > budget else SPENT,
            },
        )
    return serialise(svg)
