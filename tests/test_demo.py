"""The demo corpus: rebuilt from the shared panel, dated to its precision, national reports 全国."""

import gzip
import json

import pytest

from analytics import demo


@pytest.mark.parametrize(
    ("row", "date", "precision", "given"),
    [
        (
            {"level": "national", "region": "全国", "year": 2024, "date": None,
             "text": "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上"},
            "2024-03-05", "day", {"province": "全国"},
        ),
        (
            {"level": "national", "region": "全国", "year": 1954, "date": None, "text": "各位代表：…"},
            "1954", "year", {"province": "全国"},
        ),
        (
            {"level": "national", "region": "全国", "year": 2019, "date": None, "text": "一、2018年3月5日以来"},
            "2019", "year", {"province": "全国"},
        ),  # a date of another year: not the report's
        (
            {"level": "province", "region": "浙江省", "year": 2026, "date": "2026-01-22", "text": "…"},
            "2026-01-22", "day", {"province": "浙江省"},
        ),
        (
            {"level": "city", "region": "苏州市", "year": 2003, "text": "（2003年1月10日 某某）\n\n各位代表"},
            "2003-01-10", "day", {"city": "苏州市"},
        ),
        (
            {"level": "city", "region": "苏州市", "year": 2021, "source_url": "http://www.suzhou.gov.cn/x.shtml",
             "text": "**各位代表**"},
            "2021", "year", {"city": "苏州市", "url": "http://www.suzhou.gov.cn/x.shtml"},
        ),
    ],
)
def test_demo_record(row, date, precision, given):
    build_demo = _script()
    out = build_demo.demo_record({"title": "t", **row}, "local_gwr")
    assert (out["date"], out["date_precision"]) == (date, precision)
    assert {k: out[k] for k in ("province", "city", "url") if k in out} == given
    assert out["format"] == "markdown" and out["text"] == row["text"]  # kept as found; read as Markdown


def _script():
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "scripts"))
    import build_demo

    return build_demo


def _row(level, region, year, **kw):
    return {"level": level, "region": region, "year": year, "title": f"{region}{year}", "text": "…", **kw}


def test_selection_rule():
    """Cities with reports in >= MIN_YEARS years since SINCE, every province since SINCE, every
    national report; a panel report only where the collection has none for that unit and year."""
    b = _script()
    years = range(b.SINCE, b.SINCE + b.MIN_YEARS)
    local = (
        [_row("city", "甲市", y) for y in years]
        + [_row("city", "乙市", y) for y in list(years)[:-1]]  # one year short
        + [_row("city", "甲市", b.SINCE - 1)]  # before the window
        + [_row("province", "丙省", y) for y in (b.SINCE - 1, b.SINCE)]
    )
    panel = [_row("national", "全国", 1954), _row("province", "丙省", b.SINCE), _row("province", "丁省", b.SINCE)]
    chosen = b.select(local, panel)
    assert {(r["region"], r["source"]) for r in chosen} == {
        ("甲市", "local_gwr"), ("丙省", "local_gwr"), ("全国", "gwr_panel"), ("丁省", "gwr_panel")}
    assert len(chosen) == b.MIN_YEARS + 1 + 2
    assert [int(r["year"]) for r in chosen] == sorted(int(r["year"]) for r in chosen)


def test_the_shipped_demo_is_the_panel_rebuilt(corpora, tmp_path):
    out = tmp_path / "demo.jsonl.gz"
    assert _script().build(corpora, out) == 671
    assert out.read_bytes() == demo.DEMO_FILE.read_bytes()  # the script reproduces the file byte for byte
    rows = [json.loads(line) for line in gzip.open(out, "rt", encoding="utf-8")]
    assert sum(r.get("province") == "全国" for r in rows) == 52


def test_first_run_store(demo_store):
    """The city × year panel: >= 35 prefecture-level cities in >= 8 years, every province."""
    from analytics import overview, store, trends

    with store.connect(demo_store, read_only=True) as con:
        levels = dict(con.execute("SELECT region_level, count(*) FROM documents GROUP BY 1").fetchall())
        city_years = con.execute(
            "SELECT count(*) FROM (SELECT city FROM documents WHERE region_level = 'city' AND duplicate_of IS NULL "
            "GROUP BY city HAVING count(DISTINCT year(date)) >= 8)"
        ).fetchone()[0]
        provinces = con.execute("SELECT count(DISTINCT province) FROM documents WHERE date >= '2026-01-01'").fetchone()
        precision = dict(con.execute("SELECT date_precision, count(*) FROM documents GROUP BY 1").fetchall())
        markdown = con.execute("SELECT count(*) FROM documents WHERE text LIKE '%**%'").fetchone()[0]
        frame = trends.counts(con, ["高质量发展"], level="province")
        docs = store.documents(con)
    assert levels["national"] == 52 and city_years >= 35 and provinces[0] == 31
    assert precision["year"] > 100  # year-only reports dated to the year, not to 1 January
    # Markdown read as text: ** is left only where the source's own bold is broken (across
    # paragraphs, `** **`, `:**4`), 4 of the 619 Markdown reports
    assert markdown <= 5
    assert "全国" in set(frame["region"]) and "(未定)" not in set(frame["region"])
    labels = overview.region_labels(docs)
    assert (labels[docs["region_level"] == "national"] == "全国").all()


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("# 一、回顾\n\n各位代表：**过去一年**，我们", "一、回顾\n各位代表：过去一年，我们"),
        ("**千方百计稳增长。**全省生产总值", "千方百计稳增长。全省生产总值"),  # CJK next to the closing run
        ("**——经济实力显著提升。**经济实现", "——经济实力显著提升。经济实现"),
        ("坚持[高质量发展](http://example.cn)。", "坚持高质量发展。"),
        ("1. 第一\n2. 第二", "1. 第一\n2. 第二"),  # ordered items keep their numbers
        ("- 甲\n- 乙", "甲\n乙"),
        ("|指标|增长|\n|-|-|\n|GDP|5%|", "指标 增长\nGDP 5%"),
        ("第一行\n第二行", "第一行\n第二行"),  # the source's line breaks stay
        ("![图](a.png)说明 \\*星\\* &amp; 1.5倍", "说明 *星* & 1.5倍"),
        ("a **b** c", "a b c"),
    ],
)
def test_markdown_read_as_text(markdown, text):
    from analytics.markdown_text import markdown_to_text

    assert markdown_to_text(markdown) == text


def test_md_files_and_markdown_records_are_read_as_text(tmp_path):
    from analytics.readers import FileEntry, read_file

    (tmp_path / "a.md").write_text("# 标题\n\n**项目为王**，发展为要。", encoding="utf-8")
    rows = [{"text": "**五区**建设", "format": "markdown"}, {"text": "**五区**建设"}]
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    md = read_file(FileEntry(tmp_path / "a.md", "a.md"))
    records = read_file(FileEntry(tmp_path / "b.jsonl", "b.jsonl"))
    assert [r.text for r in md.records] == ["标题\n项目为王，发展为要。"]
    assert [r.text for r in records.records] == ["五区建设", "**五区**建设"]  # only a record that says so
