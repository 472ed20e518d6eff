"""Server-side SVG charts and number formats (web/charts.py), read back as XML. Coordinates
follow from the layout constants: a 720-wide chart with 52 px on the left and 12 on the right
(656 px of plot), 12 px on top and 28 below."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from nichegraph.web.charts import (
    MISSING,
    Series,
    bump_chart,
    heat_grid,
    legend,
    line_chart,
    month_span,
    nice_ticks,
    number,
    percent,
    periods_of,
    series_from,
)
from nichegraph.web.charts import _axis_label as axis_label


def parse(markup: str) -> ET.Element:
    # the charts are inline SVG without a namespace declaration
    return ET.fromstring(markup)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, MISSING),
        (math.nan, MISSING),
        (True, "yes"),
        (False, "no"),
        (1234567, "1,234,567"),
        (1234.6, "1,235"),  # 100 and above: no decimals
        (12.345, "12.3"),
        (-12.345, "-12.3"),
        (0.0123, "0.01"),  # below 1: at least two decimals
        ("text", "text"),
    ],
)
def test_number(value: object, text: str) -> None:
    assert number(value) == text


def test_number_with_more_digits() -> None:
    assert number(0.012345, 3) == "0.012" and number(3.14159, 3) == "3.142"


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.1234, "+12.3%"), (-0.05, "-5.0%"), (0, "0.0%"), (0.0, "0.0%"), (None, MISSING), ("x", MISSING)],
)
def test_percent(value: object, text: str) -> None:
    assert percent(value) == text


@pytest.mark.parametrize(
    ("high", "ticks"),
    [
        (0, [0.0]),
        (-5, [0.0]),
        (100, [0, 25, 50, 75, 100]),  # 100 / 4 = 25: a step of 2.5 x 10
        (7, [0, 2, 4, 6, 8]),  # 1.75 -> a step of 2
        (1234, [0, 500, 1000, 1500]),  # 308.5 -> a step of 5 x 100
        (0.3, [0, 0.1, 0.2, 0.30000000000000004]),  # 0.075 -> a step of 1 x 0.1
    ],
)
def test_nice_ticks(high: float, ticks: list[float]) -> None:
    assert nice_ticks(high) == pytest.approx(ticks)


@pytest.mark.parametrize(("value", "label"), [(25, "25"), (2.5, "2.5"), (1500, "1.5k"), (2_000_000, "2M")])
def test_axis_labels(value: float, label: str) -> None:
    assert axis_label(value) == label


def test_a_line_chart_draws_points_where_the_values_are() -> None:
    series = Series("a <b>", {"2022-01": 0.0, "2022-02": 50.0, "2022-03": 100.0})
    svg = parse(line_chart("Title & more", [series], ["2022-01", "2022-02", "2022-03"], description="desc"))
    assert svg.find("title").text == "Title & more" and svg.find("desc").text == "desc"
    [line] = svg.findall("polyline")
    # ticks 0..100, so 100 is the top (y 12) and 0 the bottom (y 12 + 200); x from 52 to 708
    assert line.get("points") == "52.0,212.0 380.0,112.0 708.0,12.0"
    assert line.get("class") == "line s0" and line.find("title").text == "a <b>"
    labels = [text for text in svg.findall("text") if text.get("y") == "232"]
    assert [label.text for label in labels] == ["2022-01", "2022-02", "2022-03"]
    assert [label.get("text-anchor") for label in labels] == ["middle", "middle", "end"]


def test_a_missing_value_breaks_the_line_and_a_lone_point_is_a_dot() -> None:
    periods = ["2022-01", "2022-02", "2022-03", "2022-04", "2022-05"]
    series = Series("x", {"2022-01": 1.0, "2022-02": 2.0, "2022-03": None, "2022-04": 4.0})
    svg = parse(line_chart("t", [series], periods))
    assert len(svg.findall("polyline")) == 1  # January-February; April alone, May missing
    [dot] = svg.findall("circle")
    # April is the fourth of five periods: x = 52 + 656 * 3 / 4
    assert dot.get("cx") == "544.0"


def test_the_window_is_shaded() -> None:
    periods = [f"2022-{m:02d}" for m in range(1, 13)]
    svg = parse(line_chart("t", [Series("x", dict.fromkeys(periods, 1.0))], periods, highlight=("2022-04", "2022-06")))
    [shade] = svg.findall("rect")
    # from the fourth to the sixth of twelve periods: x 52 + 656 * 3 / 11 to 52 + 656 * 5 / 11
    assert float(shade.get("x")) == pytest.approx(52 + 656 * 3 / 11, abs=0.05)
    assert float(shade.get("width")) == pytest.approx(656 * 2 / 11, abs=0.05)
    assert shade.find("title").text == "window 2022-04:2022-06"
    outside = parse(line_chart("t", [], periods, highlight=("2030-01", "2030-02")))
    assert outside.findall("rect") == []


def test_long_spans_label_only_the_years() -> None:
    periods = month_span("2021-06", "2023-02")
    svg = parse(line_chart("t", [], periods))
    assert [text.text for text in svg.findall("text") if text.get("y") == "232"] == ["2022", "2023"]


def test_bump_chart_draws_ranks_within_the_depth() -> None:
    ranks = [Series("up", {"2021": 3, "2022": 1}), Series("out", {"2021": 11, "2022": 12})]
    svg = parse(bump_chart("Ranks", ranks, ["2021", "2022"], depth=10))
    [line] = svg.findall("polyline")
    # rank r sits at y 16 + (r - 1) * 26; the periods at x 40 and 40 + 510
    assert line.get("points") == "40.0,68.0 550.0,16.0"
    labels = [text.text for text in svg.findall("text") if text.get("class") == "label"]
    assert labels == ["up"]  # ranks below the depth are not drawn


def test_heat_grid_levels() -> None:
    values = {("a/a", "2022-01"): 4.0, ("a/a", "2022-02"): 1.0, ("b/b", "2022-01"): 0.0}
    svg = parse(heat_grid("Heat", ["a/a", "b/b"], ["2022-01", "2022-02"], values))
    # level 1 + min(4, int(5 sqrt(v / top))): the top value 5, a quarter of it 1 + int(2.5) = 3; 0 nothing
    assert [rect.get("class") for rect in svg.findall("rect")] == ["heat5", "heat3"]
    assert svg.findall("rect")[1].find("title").text == "a/a 2022-02: 1.00"


def test_legend_escapes_names() -> None:
    assert legend([Series("<x>", {})]) == (
        '<ul class="legend"><li><span class="swatch s0" aria-hidden="true"></span>&lt;x&gt;</li></ul>'
    )


def test_series_from_rows() -> None:
    rows = [{"month": "2022-01", "openrank": 3}, {"month": "2022-02", "openrank": None}, {"month": "2022-03"}]
    assert series_from(rows, "openrank", "x") == Series("x", {"2022-01": 3.0, "2022-02": None, "2022-03": None})
    assert periods_of(rows) == ["2022-01", "2022-02", "2022-03"]


def test_month_span() -> None:
    assert month_span("2022-11", "2023-02") == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert month_span(None, "2023-02") == [] and month_span("2022-01", "") == []
