"""Chart export: real CJK glyphs from the bundled font, captions, CLI equals dashboard builder."""

import io

import altair as alt
import pandas as pd
import pytest

from analytics import charts


def _png_title(title: str) -> bytes:
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [1, 2]})).mark_line().encode(x="x", y="y")
    return charts.export(chart.properties(title=title), "png")


def test_bundled_font_covers_the_characters():
    from fontTools.ttLib import TTFont

    font = TTFont(charts.font_directory() / "NotoSansCJKsc-Regular.otf", fontNumber=0, lazy=True)
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "萍乡市扬州高邮提法项目为王最美转型城市")
    names = {r.toUnicode() for r in font["name"].names if r.nameID in (1, 16)}  # family, typographic family
    assert charts.FONT in names


def test_png_has_real_glyphs_not_boxes():
    # With a font lacking CJK every character renders as the same box, so two different
    # Chinese titles of equal length would give identical images.
    a, b = _png_title("萍乡市提法"), _png_title("扬州市高邮")
    assert a[:8] == b"\x89PNG\r\n\x1a\n"
    assert a != b
    from PIL import Image

    img_a, img_b = Image.open(io.BytesIO(a)).convert("L"), Image.open(io.BytesIO(b)).convert("L")
    title_band = (0, 0, img_a.width, 60)
    diff = sum(
        1
        for p, q in zip(img_a.crop(title_band).tobytes(), img_b.crop(title_band).tobytes(), strict=True)
        if abs(p - q) > 40
    )
    assert diff > 100  # many pixels differ inside the title strip


def test_svg_export_and_caption():
    data = pd.DataFrame(
        {
            "period": ["2021", "2022"],
            "region": ["萍乡市"] * 2,
            "formulation": ["五区"] * 2,
            "docs": [12, 15],
            "chars": [9000, 9000],
            "docs_mentioning": [3, 6],
            "mentions": [4, 9],
        }
    )
    from analytics.trends import add_measures

    chart = charts.trend_chart(add_measures(data), "share")
    svg = charts.export(chart, "svg", caption="筛选：city=萍乡市｜度量：提及文档占比").decode("utf-8")
    assert svg.startswith("<svg") and "萍乡市" in svg
    with pytest.raises(ValueError):
        charts.export(chart, "gif")


def test_cli_chart_writes_png(seed_store, tmp_path, capsys):
    from analytics.cli import main

    out = tmp_path / "trend.png"
    assert (
        main(
            [
                "chart",
                "trend",
                "--store",
                str(seed_store),
                "--city",
                "萍乡市",
                "--formulation",
                "五区",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert (
        main(
            [
                "chart",
                "keywords",
                "--store",
                str(seed_store),
                "--a",
                "city=萍乡市",
                "--b",
                "city=扬州市",
                "--rank",
                "z",
                "--min-count",
                "2",
                "--out",
                str(tmp_path / "kw.svg"),
            ]
        )
        == 0
    )
    assert (tmp_path / "kw.svg").read_text(encoding="utf-8").startswith("<svg")


def test_map_data_coordinates_and_rings(seed_store):
    from analytics import store, trends

    with store.connect(seed_store, read_only=True) as con:
        frame = trends.map_data(con, ["五区"], level="city")
    rows = frame.set_index("region")
    assert rows.loc["萍乡市", "docs_mentioning"] == 2 and rows.loc["上饶市", "docs_mentioning"] == 0
    assert abs(rows.loc["萍乡市", "lat"] - 27.6) < 0.5 and abs(rows.loc["萍乡市", "lon"] - 113.9) < 0.5
    assert set(rows["coords"]) == {"table"}
    assert (rows["docs_mentioning"] <= rows["docs"]).all()


def test_cli_map_png(seed_store, tmp_path):
    from analytics.cli import main

    out = tmp_path / "map.png"
    assert main(["chart", "map", "--store", str(seed_store), "--formulation", "项目为王", "--out", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"


# --- the design rules of every chart (issue 14, point 2), checked on the specs -----------------


def _layers(spec: dict) -> list[dict]:
    inner = spec.get("spec", spec)  # a facet keeps its layers under "spec"
    return inner.get("layer", [inner])


def _trend_frame(periods, regions=("萍乡市",), formulations=("五区",), docs=12):
    from analytics.trends import add_measures

    rows = [
        {"period": p, "region": r, "formulation": f, "docs": docs, "chars": 9000, "docs_mentioning": 3, "mentions": 4}
        for p in periods
        for r in regions
        for f in formulations
    ]
    return add_measures(pd.DataFrame(rows))


@pytest.mark.parametrize(
    ("period", "labels", "fmt"),
    [
        ("year", ["1959", "1975", "2021"], "%Y"),
        ("quarter", ["2021-Q1", "2021-Q2", "2022-Q4"], "%Y Q%q"),
        ("month", ["2021-01", "2021-02", "2021-07"], "%Y-%m"),
    ],
)
def test_trend_x_is_temporal_and_labelled_by_precision(period, labels, fmt):
    spec = charts.trend_chart(_trend_frame(labels), "share", period=period).to_dict()
    for layer in _layers(spec):
        assert layer["encoding"]["x"]["type"] == "temporal"
        assert layer["encoding"]["x"]["axis"]["format"] == fmt


@pytest.mark.parametrize(
    ("periods", "runs"),
    [
        (["2019", "2020", "2021"], [1, 1, 1]),  # consecutive: one run
        (["1959", "1960", "1975"], [1, 1, 2]),  # a gap of years breaks the line
        (["2021-Q1", "2021-Q3"], [1, 2]),
    ],
)
def test_lines_join_only_consecutive_periods(periods, runs):
    period = "quarter" if "Q" in periods[0] else "year"
    data = charts.with_runs(_trend_frame(periods), period, "formulation")
    assert (data["run"] - data["run"].min() + 1).tolist() == runs


def test_one_line_per_series_and_facets_beyond_a_handful():
    spec = charts.trend_chart(_trend_frame(["2021", "2022"], formulations=("五区", "项目为王")), "share").to_dict()
    line = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "line")
    assert line["encoding"]["color"]["field"] == "formulation"
    assert {d["field"] for d in line["encoding"]["detail"]} == {"formulation", "run"}
    many = tuple(f"区{i}" for i in range(charts.FACET_OVER + 1))
    spec = charts.trend_chart(_trend_frame(["2021", "2022"], regions=many), "share", color="region").to_dict()
    assert spec["facet"]["field"] == "region"


@pytest.mark.parametrize(("docs", "bars"), [(12, True), (3, False)])
def test_interval_bars_only_where_the_denominator_is_large(docs, bars):
    spec = charts.trend_chart(_trend_frame(["2021", "2022"], docs=docs), "share").to_dict()
    assert any(layer["mark"]["type"] == "rule" for layer in _layers(spec)) is bars
    hollow = [layer for layer in _layers(spec) if layer["mark"].get("filled") is False]
    assert hollow and hollow[0]["transform"] == [{"filter": "datum.small_sample"}]


def test_heatmap_rows_are_readable_and_sorted():
    frame = _trend_frame(["2021"], regions=("萍乡市", "上饶市", "扬州市"), formulations=("五区", "项目为王"))
    frame.loc[frame["region"] == "扬州市", "docs"] = 40
    spec = charts.heatmap_chart(frame, "share").to_dict()
    assert spec["height"] / 3 >= 16
    y = spec["layer"][0]["encoding"]["y"]
    assert y["sort"][0] == "扬州市"  # most documents first
    tips = {t["field"] for t in spec["layer"][0]["encoding"]["tooltip"]}
    assert {"docs_mentioning", "docs", "mentions"} <= tips


def test_diffusion_has_a_year_axis():
    first = pd.DataFrame(
        {
            "region": ["萍乡市", "扬州市"],
            "first_date": ["2021-09-04", "2023-06-03"],
            "doc_id": ["a", "b"],
            "title": ["t", "u"],
            "date_precision": ["day", "inferred"],
            "docs": [2, 1],
        }
    )
    curve = pd.DataFrame({"date": ["2021-09-04", "2023-06-03"], "regions": [1, 2]})
    spec = charts.diffusion_chart(first, curve).to_dict()
    for part in spec["vconcat"]:
        assert part["encoding"]["x"]["type"] == "temporal" and part["encoding"]["x"]["axis"]["format"] == "%Y"


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        ("2018-03-05", "day", "2018-03-05"),
        ("2018-01-01", "year", "2018"),
        ("2018-03-01", "month", "2018-03"),
        ("2023-01-28", "inferred", "≈2023-01-28"),
        (None, "unknown", ""),
    ],
)
def test_dates_formatted_by_precision(value, precision, shown):
    assert charts.format_date(value, precision) == shown


def test_export_carries_title_and_caption():
    chart = charts.trend_chart(_trend_frame(["2021", "2022"]), "share")
    caption = "筛选：city=萍乡市｜度量：提及文档占比（分母：文档数）｜数据：5 篇文档，更新于 2026-12-02"
    spec = charts.spec(chart, caption, "趋势")
    assert spec["title"]["text"] == "趋势" and "分母" in "".join(spec["title"]["subtitle"])


def test_cli_chart_trend_writes_a_temporal_vega_lite_spec(seed_store, tmp_path):
    import json

    from analytics.cli import main

    out = tmp_path / "trend.vl.json"
    assert main(["chart", "trend", "--store", str(seed_store), "--out", str(out)]) == 0
    spec = json.loads(out.read_text(encoding="utf-8"))
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert all(layer["encoding"]["x"]["type"] == "temporal" for layer in _layers(spec))
    assert spec["title"]["subtitle"]


def test_leaders_chart_never_sums_documents_over_formulations():
    """A document naming an official and using two formulations counts once in each column and
    once in the row's total: the chart shows docs/official_docs per cell, not a stacked sum."""
    frame = pd.DataFrame([
        {"name": "甲", "title": "市长", "region": "x", "formulation": f, "docs": d, "mentions": d, "official_docs": 4}
        for f, d in (("高质量发展", 4), ("营商环境", 3))
    ] + [{"name": "乙", "title": "县长", "region": "y", "formulation": "高质量发展", "docs": 1, "mentions": 1,
          "official_docs": 2}])
    spec = charts.leaders_chart(frame).to_dict()
    rows = spec["datasets"][next(iter(spec["datasets"]))]
    assert {r["person"] for r in rows} == {"甲（4）", "乙（2）"}
    assert all(r["docs"] <= r["official_docs"] and 0 < r["share"] <= 1 for r in rows)
    assert {r["label"] for r in rows if r["name"] == "甲"} == {"4/4", "3/4"}
    assert spec["layer"][0]["mark"]["type"] == "rect"  # a grid, not stacked bars
