"""Static SVG charts and their tables: well-formed, accessible, escape-safe, deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from statusbook.outputs import charts

NS = {"svg": charts.SVG_NS}
NASTY = 'a < b & "c" ]]> d'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[list[ET.Element]]:
    """The bars of each series, in series order."""
    return [
        g.findall("svg:rect", NS)
        for g in root.findall("svg:g", NS)
        if "sb-chart-series" in g.get("class", "")
    ]


def text_alternative(root: ET.Element) -> tuple[str, str]:
    """The title and desc that aria-labelledby points at."""
    ids = root.get("aria-labelledby").split()
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    return by_id[ids[0]].text, by_id[ids[1]].text


QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3"]


@pytest.mark.parametrize(
    ("series", "expected_bars"),
    [
        ([("Median", [1.5, 2.0, 0.25])], [3]),
        ([("Median", [1.5, None, 0.25])], [2]),  # no value, no bar
        ([("Median", [1.5, 2.0, 0.25]), ("90th percentile", [3, 4, None])], [3, 2]),
        ([("Median", [None, None, None])], [0]),
    ],
    ids=["simple", "gap", "grouped", "empty"],
)
def test_bar_chart_has_one_bar_per_value(series, expected_bars):
    root = parse(charts.bar_chart("Time to resolve", "Median per quarter", QUARTERS, series, "h"))
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    assert [len(b) for b in bars(root)] == expected_bars


def test_bar_chart_text_alternative_and_scaling():
    svg = charts.bar_chart(
        "Time to resolve",
        "Median hours per quarter.",
        QUARTERS,
        [("Median", [1, 2, 3])],
        "h",
        chart_id="ttr",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "ttr-title ttr-desc"
    assert text_alternative(root) == ("Time to resolve", "Median hours per quarter.")
    # The first children are the title and desc; sized by viewBox only, so it scales.
    assert [child.tag.split("}")[1] for child in root[:2]] == ["title", "desc"]
    assert root.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    assert root.get("width") is None and root.get("height") is None


def test_bar_heights_are_proportional_and_tooltips_name_the_value():
    root = parse(charts.bar_chart("T", "D", ["x", "y", "z"], [("Count", [0, 5, 10])], "incidents"))
    (series,) = bars(root)
    heights = [float(b.get("height")) for b in series]
    assert heights[0] == 0 and heights[2] == pytest.approx(2 * heights[1], abs=0.02)
    assert [b.find("svg:title", NS).text for b in series] == [
        "x: 0 incidents",
        "y: 5 incidents",
        "z: 10 incidents",
    ]


def test_grouped_tooltips_name_the_series_and_a_legend_names_each():
    root = parse(charts.bar_chart("T", "D", ["Q1"], [("Median", [1.0]), ("P90", [2.5])], "h"))
    assert [b[0].find("svg:title", NS).text for b in bars(root)] == [
        "Q1, Median: 1 h",
        "Q1, P90: 2.5 h",
    ]
    legend = root.find("svg:g[@class='sb-chart-legend']", NS)
    assert [el.text for el in legend.findall("svg:text", NS)] == ["Median", "P90"]


@pytest.mark.parametrize(
    "nasty", [NASTY, "<script>alert(1)</script>", "&amp; &#x3C;", "x\x00y\x1bz\ufffe"]
)
def test_any_label_text_is_escaped(nasty):
    svg = charts.bar_chart(
        nasty, nasty, [nasty, "ok"], [(nasty, [1, 2]), ("b", [3, 4])], nasty, chart_id=nasty
    )
    root = parse(svg)  # well-formed whatever the text
    expected = charts.clean(nasty)
    assert text_alternative(root) == (expected, expected)
    assert "<script>" not in svg
    titles = [b.find("svg:title", NS).text for series in bars(root) for b in series]
    assert titles[0].startswith(f"{expected}, {expected}: ")
    # ids are reduced to a safe alphabet
    assert re.fullmatch(
        r"[A-Za-z][A-Za-z0-9_-]*-title [A-Za-z][A-Za-z0-9_-]*-desc", root.get("aria-labelledby")
    )


def test_control_characters_are_dropped_not_serialised():
    assert charts.clean("x\x00y\x1bz\ufffe\t\n") == "xyz\t\n"


def test_long_axis_labels_are_shortened_on_the_chart_only():
    label = "A very long group label indeed"
    root = parse(charts.bar_chart("T", "D", [label], [("s", [1])]))
    shown = root.find("svg:g[@class='sb-chart-labels']/svg:text", NS).text
    assert shown == label[:15] + "…"
    assert bars(root)[0][0].find("svg:title", NS).text.startswith(label)
    table = ET.fromstring(charts.data_table("c", [label], [("s", [1])]))
    assert table.find("tbody/tr/th").text == label


def test_dark_mode_text_uses_current_color_and_series_colours_contrast_on_both_backgrounds():
    root = parse(charts.bar_chart("T", "D", QUARTERS, [(f"s{n}", [1, 2, 3]) for n in range(6)]))
    parents = {child: parent for parent in root.iter() for child in parent}
    for text in root.iter(f"{{{charts.SVG_NS}}}text"):
        node = text
        while node is not None and node.get("fill") is None:
            node = parents.get(node)
        assert node is not None and node.get("fill") == "currentColor"
    for line in root.iter(f"{{{charts.SVG_NS}}}line"):
        node = line
        while node.get("stroke") is None:
            node = parents[node]
        assert node.get("stroke") == "currentColor"
    fills = {
        g.get("fill") for g in root.findall("svg:g", NS) if "sb-chart-series" in g.get("class", "")
    }
    assert fills == set(charts.PALETTE)
    for colour in charts.PALETTE:
        assert contrast(colour, "#ffffff") >= 3.0, colour
        assert contrast(colour, "#1e2129") >= 3.0, colour


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_output_is_deterministic_with_fixed_number_format():
    args = ("T", "D", QUARTERS, [("a", [1 / 3, 2 / 3, 1.0]), ("b", [0.1, 0.2, 0.3])], "h")
    first = charts.bar_chart(*args)
    assert first == charts.bar_chart(*args)
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', first)
    assert numbers and all(re.fullmatch(r"\d+(\.\d{1,2})?", n) for n in numbers)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (1.0, "1"), (2.5, "2.5"), (1 / 3, "0.33"), (-0.001, "0"), (1234.567, "1234.57")],
)
def test_number(value, text):
    assert charts.number(value) == text


@pytest.mark.parametrize(
    ("maximum", "integer", "ticks"),
    [
        (0, True, [0, 1]),
        (3, True, [0, 1, 2, 3]),
        (10, True, [0, 2, 4, 6, 8, 10]),
        (14, True, [0, 5, 10, 15]),  # whole steps: 2.5 is skipped
        (14, False, [0, 2.5, 5, 7.5, 10, 12.5, 15]),
        (7, False, [0, 2, 4, 6, 8]),
        (0.9, False, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (118, True, [0, 20, 40, 60, 80, 100, 120]),
        (1300, False, [0, 250, 500, 750, 1000, 1250, 1500]),
    ],
)
def test_nice_ticks(maximum, integer, ticks):
    assert charts.nice_ticks(maximum, integer) == ticks


@pytest.mark.parametrize(
    ("months", "kind", "drawn"),
    [
        (12, "auto", "bar"),
        (36, "auto", "bar"),
        (37, "auto", "line"),
        (12, "line", "line"),
        (60, "bar", "bar"),
    ],
)
def test_month_chart_kind(months, kind, drawn):
    labels = [f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in range(months)]
    root = parse(
        charts.line_or_bar_by_month(
            "Incidents", "Per month", labels, [("All", list(range(months)))], kind=kind
        )
    )
    assert f"sb-chart-{drawn}" in root.get("class")
    assert text_alternative(root) == ("Incidents", "Per month")
    if drawn == "bar":
        assert [len(b) for b in bars(root)] == [months]
    else:
        (series,) = [
            g for g in root.findall("svg:g", NS) if "sb-chart-series" in g.get("class", "")
        ]
        assert len(series.findall("svg:circle", NS)) == months


def test_line_breaks_where_a_value_is_missing():
    root = parse(
        charts.line_or_bar_by_month(
            "T", "D", ["m1", "m2", "m3", "m4", "m5"], [("All", [1, 2, None, 3, 4])], kind="line"
        )
    )
    (series,) = [g for g in root.findall("svg:g", NS) if "sb-chart-series" in g.get("class", "")]
    assert len(series.findall("svg:polyline", NS)) == 2
    assert len(series.findall("svg:circle", NS)) == 4
    assert series.find("svg:circle/svg:title", NS).text == "m1: 1 incident"


@pytest.mark.parametrize(
    ("labels", "series"),
    [
        (["a", "b"], [("s", [1])]),
        (["a"], [("s", [-1])]),
        (["a"], [("s", [float("nan")])]),
        (["a"], []),
    ],
    ids=["length", "negative", "nan", "no-series"],
)
def test_bad_data_is_an_error(labels, series):
    with pytest.raises(ValueError):
        charts.bar_chart("T", "D", labels, series)


# --- the table ---------------------------------------------------------------------------------


def test_table_has_caption_headers_and_every_value():
    html = charts.data_table(
        "Median time to resolve per quarter",
        QUARTERS,
        [("Median", [1.5, None, 3]), ("90th percentile", [2, 4, 6])],
        "h",
        label_header="Quarter",
    )
    table = ET.fromstring(html)
    assert table.find("caption").text == "Median time to resolve per quarter"
    head = table.findall("thead/tr/th")
    assert [(th.get("scope"), th.text) for th in head] == [
        ("col", "Quarter"),
        ("col", "Median"),
        ("col", "90th percentile"),
    ]
    rows = table.findall("tbody/tr")
    assert [(r.find("th").get("scope"), r.find("th").text) for r in rows] == [
        ("row", q) for q in QUARTERS
    ]
    assert [[td.text for td in r.findall("td")] for r in rows] == [
        ["1.5 h", "2 h"],
        ["no data", "4 h"],
        ["3 h", "6 h"],
    ]


def test_table_formatter_and_empty_corner():
    table = ET.fromstring(
        charts.data_table("c", ["x"], [("s", [90])], fmt=lambda v: f"{v:g} minutes")
    )
    assert table.find("thead/tr")[0].tag == "td"  # no empty header cell
    assert table.find("tbody/tr/td").text == "90 minutes"


def test_table_escapes_any_text():
    html = charts.data_table(NASTY, [NASTY], [(NASTY, [1])], label_header=NASTY, table_id=NASTY)
    table = ET.fromstring(html)
    assert table.find("caption").text == NASTY
    assert table.find("thead/tr/th").text == NASTY
    assert table.find("tbody/tr/th").text == NASTY
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", table.get("id"))
