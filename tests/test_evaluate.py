"""The local-news scorer: right / wrong / unanswered per field, officials P/R, confusions."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics import evaluate


def _doc(no, province=None, city=None, district=None, published=None, date=None, officials=(), conf=0.9):
    return {"source_path": "x", "record_no": no, "province": province, "city": city, "district": district,
            "region_level": "city" if city else "unknown", "region_confidence": conf,
            "published_at": published, "date": date, "date_precision": "day",
            "officials": [{"name": n} for n in officials]}


TRUTHS = [
    evaluate.NewsTruth(1, "a", "江西", "九江市", None, "2024-02-19", "url", ["刘文华"], True),
    evaluate.NewsTruth(2, "b", "天津", "天津市", "宁河县", "2013", "text", [], True),
    evaluate.NewsTruth(3, "c", "江苏", "宿迁市", "宿城区", None, None, ["王某某"], False),
]
DOCS = pd.DataFrame([
    _doc(1, "江西省", "九江市", None, "2024-02-19 10:00", "2024-02-19", ["刘文华", "嘱托"]),
    _doc(2, "天津市", "天津市", "宁河区", None, "2012-05-01"),  # a county that became a district
    _doc(3, "江苏省", "徐州市", "铜山区", None, None, []),
])


@pytest.mark.parametrize(("field", "right", "wrong", "unanswered"), [
    ("province", 3, 0, 0),
    ("city", 2, 1, 0),
    ("district", 1, 1, 0),
    ("year (all dated)", 1, 1, 0),
    ("year (URL dated)", 1, 0, 0),
    ("officials", 1, 1, 1),  # right = found and read, wrong = found only, unanswered = read only
])
def test_score_news_counts(field, right, wrong, unanswered):
    table, _, _ = evaluate.score_news(TRUTHS, {"text": DOCS})
    row = table.set_index("field").loc[field]
    assert (row["right"], row["wrong"], row["unanswered"]) == (right, wrong, unanswered)


def test_score_news_confusions_and_reliability():
    _, reliability, confusions = evaluate.score_news(TRUTHS, {"text": DOCS})
    wrong_city = confusions[(confusions["field"] == "city")]
    assert wrong_city[["record_no", "expected", "got"]].values.tolist() == [[3, "宿迁市", "徐州市"]]
    assert reliability["answers"].sum() == 3


def test_prepare_news_hides_the_url_from_the_text_variant(tmp_path):
    src = tmp_path / "news.jsonl"
    src.write_text(json.dumps({"id": "a", "url": "http://www.yongshou.gov.cn/t20250725_1.html",
                               "title": "永寿县召开会议", "text": "会议强调。",
                               "province": "陕西", "city": "咸阳市", "district": "永寿县",
                               "date": "2025-07-25", "date_source": "url", "officials": []},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    truths = evaluate.prepare_news(src, tmp_path / "out")
    text_rec = json.loads((tmp_path / "out" / "news_text.jsonl").read_text(encoding="utf-8"))
    url_rec = json.loads((tmp_path / "out" / "news_url.jsonl").read_text(encoding="utf-8"))
    assert "url" not in text_rec and url_rec["url"].startswith("http://www.yongshou")
    assert truths[0].names_own_place and truths[0].district == "永寿县"


def test_names_place_label_wins_and_splits_the_rows(tmp_path):
    """A hand-read ``names_place`` replaces the string test, and city / district are also
    reported for the articles that never name their own place."""
    src = tmp_path / "news.jsonl"
    rows = [
        # names 永寿 by string, but the label says the place is not named (a company name, say)
        {"id": "a", "url": None, "title": None, "text": "永寿某某有限公司召开会议。", "province": "陕西省",
         "city": "咸阳市", "district": "永寿县", "date": None, "date_source": None, "officials": [],
         "names_place": False, "site": "www.yongshou.gov.cn"},
        {"id": "b", "url": None, "title": None, "text": "永寿县召开会议。", "province": "陕西省",
         "city": "咸阳市", "district": "永寿县", "date": None, "date_source": None, "officials": [],
         "names_place": True, "site": "www.yongshou.gov.cn"},
        # no label: the string test decides (新雨花 does not contain 雨花台)
        {"id": "c", "url": None, "title": None, "text": "建设新雨花。", "province": "江苏省",
         "city": "南京市", "district": "雨花台区", "date": None, "date_source": None, "officials": []},
    ]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    truths = evaluate.prepare_news(src, tmp_path / "out")
    assert [t.names_own_place for t in truths] == [False, True, False]
    docs = pd.DataFrame([_doc(1, "陕西省", "咸阳市", "永寿县"), _doc(2, "陕西省", "咸阳市", "永寿县"),
                         _doc(3, "江苏省", "南京市", None)])
    table, _, _ = evaluate.score_news(truths, {"text": docs})
    t = table.set_index("field")
    assert t.loc["city (names its own city/county)", "articles"] == 1
    assert (t.loc["city (does not name its place)", ["right", "wrong", "unanswered"]].tolist() == [2, 0, 0])
    assert (t.loc["district (does not name its county)", ["right", "unanswered"]].tolist() == [1, 1])
    assert t.loc["district (names its county)", "right"] == 1


def test_corpus_folds_read_each_page_once_without_its_address(tmp_path):
    rows = [{"id": f"r{i}", "url": f"http://a.example.cn/{i}.html", "title": f"第{i}篇", "text": "正文。",
             "province": "陕西", "city": "咸阳市", "district": "永寿县", "site": "a.example.cn"} for i in range(3)]
    rows.append({"id": "alone", "url": "http://b.example.cn/1.html", "title": "单篇", "text": "正文。",
                 "province": "陕西", "city": "咸阳市", "district": None, "site": "b.example.cn"})
    src = tmp_path / "news.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    truths = evaluate.prepare_news(src, tmp_path / "out")
    folds = {f: [json.loads(line) for line in open(tmp_path / "out" / f"news_{f}.jsonl", encoding="utf-8")]
             for f in evaluate.CORPUS_FOLDS}
    for t in truths:  # in its own fold the page has no address; in the other it has
        other = next(f for f in evaluate.CORPUS_FOLDS if f != t.fold)
        assert "url" not in folds[t.fold][t.record_no - 1]
        assert "url" in folds[other][t.record_no - 1]
    assert [t.site_pages for t in truths] == [3, 3, 3, 1]
    assert [t.fold for t in truths[:3]] == ["corpus_a", "corpus_b", "corpus_a"]  # a site's pages alternate
    docs = {f: pd.DataFrame([_doc(t.record_no, city=f) for t in truths]) for f in evaluate.CORPUS_FOLDS}
    picked = evaluate.corpus_variant(truths, docs).set_index("record_no")["city"].to_dict()
    assert picked == {t.record_no: t.fold for t in truths}


@pytest.mark.parametrize(
    ("name", "rows_at_least"),
    [("local_news_dev2.jsonl", 130), ("local_news_dev3.jsonl", 130), ("local_news_dev4.jsonl", 100),
     ("local_news_dev5.jsonl", 80), ("local_news_dev6.jsonl", 70)],
)
def test_gathered_sets_are_labelled_with_current_units(name, rows_at_least):
    """Every label names units of the division table, consistently (district in city in province)."""
    from pathlib import Path

    from analytics.regions import divisions

    div = divisions()
    rows = [json.loads(line) for line in open(Path(__file__).parent / "data" / name, encoding="utf-8")]
    assert len(rows) >= rows_at_least and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["url"] and r["label_evidence"] and isinstance(r["names_place"], bool)
        codes = [c for c, u in div.units.items() if u.name == (r["district"] or r["city"] or r["province"])]
        paths = [div.path(c) for c in codes]
        assert any(p[0] == r["province"] and (r["city"] in (None, p[1])) for p in paths), r["id"]
