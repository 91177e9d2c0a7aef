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
    diff = sum(1 for p, q in zip(img_a.crop(title_band).tobytes(), img_b.crop(title_band).tobytes(),
                                 strict=True) if abs(p - q) > 40)
    assert diff > 100  # many pixels differ inside the title strip


def test_svg_export_and_caption():
    data = pd.DataFrame({"period": ["2021", "2022"], "region": ["萍乡市"] * 2, "formulation": ["五区"] * 2,
                         "docs": [12, 15], "chars": [9000, 9000], "docs_mentioning": [3, 6], "mentions": [4, 9]})
    from analytics.trends import add_measures

    chart = charts.trend_chart(add_measures(data), "share")
    svg = charts.export(chart, "svg", caption="筛选：city=萍乡市｜度量：提及文档占比").decode("utf-8")
    assert svg.startswith("<svg") and "萍乡市" in svg
    with pytest.raises(ValueError):
        charts.export(chart, "gif")


def test_cli_chart_writes_png(seed_store, tmp_path, capsys):
    from analytics.cli import main

    out = tmp_path / "trend.png"
    assert main(["chart", "trend", "--store", str(seed_store), "--city", "萍乡市", "--formulation", "五区",
                 "--out", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert main(["chart", "keywords", "--store", str(seed_store), "--a", "city=萍乡市", "--b", "city=扬州市",
                 "--out", str(tmp_path / "kw.svg")]) == 0
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
