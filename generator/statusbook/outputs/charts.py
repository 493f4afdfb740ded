"""Static SVG charts and their data tables, built with an XML serialiser (never string templates).

Every chart is an <svg role="img"> named by its <title> and <desc> (aria-labelledby), sized by
its viewBox so that it scales to the width of its container, phones included. Text, axes and
grid lines use `currentColor`, so they follow the page's text colour in light and dark mode;
series colours have at least 3:1 contrast against both white and Material's slate background
(#1e2129), and carry CSS classes (`sb-chart-s1` ...) a stylesheet may override. Colour never
carries information alone: single-series charts need none, and a multi-series chart has a
legend in text. The same data goes into an HTML table (`data_table`): the chart's text
alternative, to show under it or instead of it.

Output is deterministic: attributes in a fixed order and numbers in fixed notation (at most
two decimals). Labels may hold any text: the serialiser escapes it, and characters XML cannot
carry at all are dropped.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

SVG_NS = "http://www.w3.org/2000/svg"

#: Series colours: blue, orange, purple, teal, magenta; each >= 3.5:1 on #ffffff and #1e2129.
PALETTE = ("#3d7dd8", "#c75c1c", "#8a63d2", "#17897a", "#cf4f8f")

Value = float | int | None
Series = Sequence[tuple[str, Sequence[Value]]]  # (name, one value per label)
Formatter = Callable[[float], str]

WIDTH = 560
HEIGHT = 300
FONT_SIZE = 14
_MARGIN_LEFT = 56
_MARGIN_RIGHT = 12
_MARGIN_TOP = 34
_MARGIN_BOTTOM = 44
_LABEL_CHARS = 16  # longer axis labels are shortened on the chart (never in the table)

# Characters XML 1.0 cannot hold, even escaped.
_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """Text safe to put in XML: characters XML cannot represent are removed (escaping is the
    serialiser's job)."""
    return _INVALID_XML.sub("", str(text))


def number(x: float) -> str:
    """Fixed notation, at most two decimals, no trailing zeros, never '-0'."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_SINGULAR = {"incidents": "incident", "minutes": "minute", "hours": "hour", "days": "day"}


def format_value(value: float, unit: str = "") -> str:
    """Default value text: the number (at most two decimals), then the unit ('1 incident')."""
    if value == 1:
        unit = _SINGULAR.get(unit, unit)
    return f"{number(value)} {unit}".strip()


def _safe_id(text: str) -> str:
    out = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return out if out and out[0].isalpha() else f"chart-{out}"


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def el(
    parent: ET.Element | None,
    tag: str,
    attrs: dict[str, str] | None = None,
    text: str | None = None,
) -> ET.Element:
    """An element (a child of `parent` unless it is None) whose text is safe in XML."""
    element = (
        ET.Element(tag, attrs or {}) if parent is None else ET.SubElement(parent, tag, attrs or {})
    )
    if text is not None:
        element.text = clean(text)
    return element


# --- scale ---------------------------------------------------------------------------------------


def nice_ticks(maximum: float, integer: bool = False, most: int = 6) -> list[float]:
    """Ticks from 0 to the first round value >= maximum, in at most `most` steps of 1, 2, 2.5
    or 5 x 10^n (whole steps when `integer`)."""
    if not maximum or maximum <= 0 or not math.isfinite(maximum):
        return [0, 1] if integer else [0.0, 1.0]
    raw = maximum / most
    magnitude = 10.0 ** math.floor(math.log10(raw))
    steps = (m * magnitude for m in (1, 2, 2.5, 5, 10))
    step = next(s for s in steps if s >= raw and (not integer or float(s).is_integer()))
    if integer:
        step = max(1, int(step))
    count = math.ceil(maximum / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


# --- charts --------------------------------------------------------------------------------------


def new_svg(chart_id: str, title: str, desc: str, kind: str) -> tuple[ET.Element, str]:
    """An empty chart named for assistive technology by its <title> and <desc>; and its id."""
    ident = _safe_id(chart_id)
    svg = el(
        None,
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "role": "img",
            "aria-labelledby": f"{ident}-title {ident}-desc",
            "class": f"sb-chart sb-chart-{kind}",
            "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "font-size": str(FONT_SIZE),
        },
    )
    el(svg, "title", {"id": f"{ident}-title"}, title)
    el(svg, "desc", {"id": f"{ident}-desc"}, desc)
    return svg, ident


def _check(labels: Sequence[str], series: Series) -> list[tuple[str, list[Value]]]:
    out = []
    for name, values in series:
        values = list(values)
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} labels")
        for v in values:
            if v is not None and (isinstance(v, bool) or not math.isfinite(v) or v < 0):
                raise ValueError(f"series {name!r}: values must be finite and >= 0, not {v!r}")
        out.append((str(name), values))
    if not out:
        raise ValueError("at least one series is needed")
    return out


def _frame(
    svg: ET.Element, labels: Sequence[str], data: list[tuple[str, list[Value]]], unit: str
) -> tuple[Callable[[float], float], float, float]:
    """Grid, y ticks, unit, x labels and legend; returns (y of a value, plot left, slot width)."""
    values = [v for _, vs in data for v in vs if v is not None]
    integer = bool(values) and all(isinstance(v, int) for v in values)
    ticks = nice_ticks(max(values, default=0), integer=integer)
    top = ticks[-1]
    left, right = _MARGIN_LEFT, WIDTH - _MARGIN_RIGHT
    y_top, y_bottom = _MARGIN_TOP, HEIGHT - _MARGIN_BOTTOM

    def y(value: float) -> float:
        return y_bottom - (y_bottom - y_top) * (value / top)

    grid = el(
        svg,
        "g",
        {
            "class": "sb-chart-grid",
            "stroke": "currentColor",
            "stroke-opacity": "0.2",
            "stroke-width": "1",
        },
    )
    axis = el(svg, "g", {"class": "sb-chart-axis", "fill": "currentColor", "text-anchor": "end"})
    tick_lines(grid, axis, ticks, y, left, right)
    el(
        svg,
        "line",
        {
            "class": "sb-chart-baseline",
            "stroke": "currentColor",
            "x1": number(left),
            "x2": number(right),
            "y1": number(y_bottom),
            "y2": number(y_bottom),
        },
    )
    if unit:
        el(
            svg,
            "text",
            {
                "class": "sb-chart-unit",
                "fill": "currentColor",
                "x": "4",
                "y": number(FONT_SIZE + 2),
            },
            unit,
        )
    slot = (right - left) / max(len(labels), 1)
    _x_labels(svg, labels, left, right, slot, y_bottom)
    if len(data) > 1:
        _legend(svg, [name for name, _ in data], unit, left)
    return y, left, slot


def _x_labels(
    svg: ET.Element,
    labels: Sequence[str],
    left: float,
    right: float,
    slot: float,
    y_bottom: float,
) -> None:
    """As many x labels as fit (about 8 characters each), evenly spaced, the first always."""
    every = max(1, math.ceil(len(labels) / max(1, int((right - left) // (FONT_SIZE * 4.6)))))
    xs = el(svg, "g", {"class": "sb-chart-labels", "fill": "currentColor", "text-anchor": "middle"})
    for i, label in enumerate(labels):
        if i % every == 0:
            el(
                xs,
                "text",
                {"x": number(left + slot * (i + 0.5)), "y": number(y_bottom + FONT_SIZE + 6)},
                _short(str(label)),
            )


def _legend(svg: ET.Element, names: Sequence[str], unit: str, left: float) -> None:
    """One swatch and name per series, in a row after the unit, which sits top left."""
    legend = el(svg, "g", {"class": "sb-chart-legend", "fill": "currentColor"})
    x = max(float(left), 4 + len(unit) * FONT_SIZE * 0.6 + 16)
    for n, name in enumerate(names):
        el(
            legend,
            "rect",
            {
                "class": f"sb-chart-swatch sb-chart-s{n % len(PALETTE) + 1}",
                "x": number(x),
                "y": "8",
                "width": "10",
                "height": "10",
                "fill": PALETTE[n % len(PALETTE)],
            },
        )
        el(legend, "text", {"x": number(x + 14), "y": "17"}, _short(name))
        x += 14 + len(_short(name)) * FONT_SIZE * 0.6 + 16


def bar_chart(
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Series,
    unit: str = "",
    *,
    chart_id: str = "chart",
    fmt: Formatter | None = None,
) -> str:
    """A bar chart: one bar per label and series (grouped when several), e.g. median time to
    resolve per quarter. A None value draws no bar. Returns the <svg> as a string.

    `chart_id` makes the ids of <title> and <desc> unique on the page; `fmt` turns a value into
    the text of its tooltip (default: `format_value` with the unit).
    """
    data = _check(labels, series)
    svg, _ = new_svg(chart_id, title, desc, "bar")
    y, left, slot = _frame(svg, labels, data, unit)
    text = fmt or (lambda v: format_value(v, unit))
    bar_width = slot * 0.8 / len(data)
    baseline = y(0)
    for n, (name, values) in enumerate(data):
        group = el(
            svg,
            "g",
            {
                "class": f"sb-chart-series sb-chart-s{n % len(PALETTE) + 1}",
                "fill": PALETTE[n % len(PALETTE)],
            },
        )
        for i, value in enumerate(values):
            if value is None:
                continue
            top = y(value)
            bar = el(
                group,
                "rect",
                {
                    "x": number(left + slot * i + slot * 0.1 + bar_width * n),
                    "y": number(top),
                    "width": number(bar_width),
                    "height": number(baseline - top),
                },
            )
            who = f"{labels[i]}, {name}" if len(data) > 1 else str(labels[i])
            el(bar, "title", None, f"{who}: {text(value)}")
    return serialise(svg)


def line_or_bar_by_month(
    title: str,
    desc: str,
    months: Sequence[str],
    series: Series,
    unit: str = "incidents",
    *,
    chart_id: str = "chart",
    kind: str = "auto",
    fmt: Formatter | None = None,
) -> str:
    """Values per month (e.g. incident counts): bars, or lines for long histories.

    kind: "bar", "line", or "auto" (bars up to 36 months, lines beyond). A line has a marker
    per value (a circle with a tooltip); a None value breaks the line.
    """
    if kind == "auto":
        kind = "bar" if len(months) <= 36 else "line"
    if kind == "bar":
        return bar_chart(title, desc, months, series, unit, chart_id=chart_id, fmt=fmt)
    if kind != "line":
        raise ValueError(f"kind must be auto, bar or line, not {kind!r}")
    data = _check(months, series)
    svg, _ = new_svg(chart_id, title, desc, "line")
    y, left, slot = _frame(svg, months, data, unit)
    text = fmt or (lambda v: format_value(v, unit))
    for n, (name, values) in enumerate(data):
        colour = PALETTE[n % len(PALETTE)]
        group = el(
            svg,
            "g",
            {
                "class": f"sb-chart-series sb-chart-s{n % len(PALETTE) + 1}",
                "fill": colour,
                "stroke": colour,
            },
        )
        run: list[str] = []
        points = []
        for i, value in enumerate([*values, None]):
            if value is None:
                if len(run) > 1:
                    el(
                        group,
                        "polyline",
                        {
                            "points": " ".join(run),
                            "fill": "none",
                            "stroke-width": "2",
                            "stroke-linejoin": "round",
                        },
                    )
                run = []
                continue
            x = number(left + slot * (i + 0.5))
            run.append(f"{x},{number(y(value))}")
            points.append((x, number(y(value)), i, value))
        for x, py, i, value in points:
            marker = el(group, "circle", {"cx": x, "cy": py, "r": "2.5", "stroke": "none"})
            who = f"{months[i]}, {name}" if len(data) > 1 else str(months[i])
            el(marker, "title", None, f"{who}: {text(value)}")
    return serialise(svg)


def serialise(element: ET.Element) -> str:
    """The SVG as markup to inline in a page (no XML declaration)."""
    return ET.tostring(element, encoding="unicode", short_empty_elements=True)


# --- table ---------------------------------------------------------------------------------------


def data_table(
    caption: str,
    labels: Sequence[str],
    series: Series,
    unit: str = "",
    *,
    label_header: str = "",
    fmt: Formatter | None = None,
    missing: str = "no data",
    table_id: str | None = None,
) -> str:
    """The data of a chart as an accessible HTML table: a caption, one column header per series,
    one row header per label, each value written out with its unit (`fmt`, default
    `format_value`), `missing` where there is none. Returns the <table> as a string."""
    data = _check(labels, series)
    text = fmt or (lambda v: format_value(v, unit))
    attrs = {"class": "sb-chart-table"}
    if table_id:
        attrs["id"] = _safe_id(table_id)
    table = el(None, "table", attrs)
    el(table, "caption", None, caption)
    head = el(el(table, "thead"), "tr")
    if label_header:
        el(head, "th", {"scope": "col"}, label_header)
    else:
        el(head, "td")  # an empty corner cell, not an empty header
    for name, _ in data:
        el(head, "th", {"scope": "col", "class": "sb-num"}, name)
    body = el(table, "tbody")
    for i, label in enumerate(labels):
        row = el(body, "tr")
        el(row, "th", {"scope": "row"}, str(label))
        for _, values in data:
            value = values[i]
            el(row, "td", {"class": "sb-num"}, missing if value is None else text(value))
    return ET.tostring(table, encoding="unicode", method="html")


def tick_lines(
    grid: ET.Element,
    axis: ET.Element,
    ticks: list[float],
    y: Callable[[float], float],
    left: float,
    right: float,
) -> None:
    """A grid line and a label at each y tick, the labels right-aligned left of the plot."""
    for tick in ticks:
        ty = number(y(tick))
        el(grid, "line", {"x1": number(left), "x2": number(right), "y1": ty, "y2": ty})
        el(
            axis,
            "text",
            {"x": number(left - 6), "y": number(y(tick) + FONT_SIZE * 0.35)},
            number(tick),
        )
