"""The chart module: well-formed SVG, accessible names, every value written out."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from web.charts import Series, bar_chart, hbar_chart, line_chart

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


@pytest.mark.parametrize("stacked", [False, True])
def test_bar_chart_is_valid_accessible_and_shows_values(stacked):
    svg = bar_chart(
        "c1",
        "Utfall <per kön>",
        "Antal & andel",
        ["Arbete", "Studier"],
        [Series("Kvinnor", [3, 0]), Series("Män", [12, None])],
        stacked=stacked,
    )
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Utfall <per kön>"
    assert root.find("s:title", NS).text == "Utfall <per kön>"
    assert root.find("s:desc", NS).text == "Antal & andel"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "12" in texts and "Kvinnor" in texts and "Män" in texts and "Arbete" in texts
    # one pattern per series, so the bars differ by more than colour
    patterns = root.findall(".//s:pattern", NS)
    assert len(patterns) == 2 and len({p.get("id") for p in patterns}) == 2
    bars = [
        r
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.find("s:title", NS) is not None
    ]
    assert len(bars) == 4
    assert any(b.find("s:title", NS).text == "Studier, Män: 0" for b in bars)


def test_line_chart_marks_points_by_shape_and_skips_missing_values():
    svg = line_chart(
        "ind-health",
        "Hälsa",
        "Svar över tid",
        ["2026-01-01", "2026-04-01", "2026-07-01"],
        [Series("Deltagaren", [2, None, 4]), Series("Coachen", [3, 3, 5])],
        y_min=1,
        y_max=5,
    )
    root = parse(svg)
    paths = root.findall("s:path", NS)
    lines = [p for p in paths if p.get("fill") == "none"]
    assert len(lines) == 2 and lines[1].get("stroke-dasharray")  # the second series is dashed
    assert lines[0].get("d").count("L") == 1  # two points joined, the missing one skipped
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for value in ("2", "4", "5", "2026-04-01", "Deltagaren", "Coachen"):
        assert value in texts


def test_empty_and_single_point_charts_still_render():
    parse(bar_chart("e", "Tom", "Inga värden", [], []))
    parse(
        line_chart("one", "En", "En mätning", ["2026-01-01"], [Series("A", [3])], y_min=1, y_max=5)
    )


def test_ids_are_safe_and_unique_per_chart():
    a = parse(bar_chart("chart one/ü", "A", "a", ["x"], [Series("s", [1])]))
    assert a.get("id") == "chart-one--"
    assert a.find("s:title", NS).get("id") == "chart-one---title"


def test_horizontal_bars_wrap_long_labels_and_mark_missing_values():
    svg = hbar_chart(
        "eq",
        "Godkännandegrad",
        "Per yrkesområde",
        ["Lager och transport, enklare arbeten", "Vård"],
        [Series("Kvinnor", [50.0, None]), Series("Män", [12.5, 100])],
        unit="%",
        x_max=100,
    )
    root = parse(svg)
    assert root.get("role") == "img" and root.find("s:desc", NS).text == "Per yrkesområde"
    spans = [t.text for t in root.iter("{http://www.w3.org/2000/svg}tspan")]
    assert spans[:2] == ["Lager och transport, enklare", "arbeten"]
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "50%" in texts and "12.5%" in texts and "100%" in texts and "–" in texts
    titles = [
        r.find("s:title", NS).text
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.find("s:title", NS) is not None
    ]
    assert "Vård, Kvinnor: –" in titles
