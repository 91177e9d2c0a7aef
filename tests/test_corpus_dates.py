"""Corpus dates at the end of an ingest (``store.update_corpus_dates``): an undated document
naming an official borrows a range from the dated documents that show the same person (name,
title, place) holding that title. Made-up articles."""

from __future__ import annotations

import json
from datetime import date

from analytics import store
from analytics.ingest import ingest

ARTICLES = [
    {"title": "肥西县召开县委常委会", "published_at": "2021-03-01",
     "text": "2021年3月1日，肥西县委书记王立新主持召开县委常委会。会议研究了肥西县春耕工作。"},
    {"title": "肥西县部署安全生产", "published_at": "2021-09-08",
     "text": "2021年9月8日，肥西县委书记王立新主持召开安全生产工作会议，要求全县各镇抓好落实。"},
    # undated: the same person with the same title
    {"title": "肥西县调研项目建设", "text": "11月20日，肥西县委书记王立新深入项目一线调研，要求全县抓好项目建设。"},
    # undated: another title (县委书记, not 肥西县委书记) was never seen dated
    {"title": "调研秋收工作", "text": "10月9日，县委书记王立新到镇里检查秋收秋种工作，要求抓好落实。"},
    # a person with no place at all (no region, no city or province): a name alone dates nothing
    {"title": "召开党委会议", "published_at": "2021-03-01", "text": "2021年3月1日，县委书记张建军主持召开会议。"},
    {"title": "召开安全会议", "published_at": "2021-09-08",
     "text": "2021年9月8日，县委书记张建军主持召开安全生产工作会议。"},
    {"title": "调研项目", "text": "11月20日，县委书记张建军深入项目一线调研，要求抓好项目建设。"},
]


def test_undated_documents_borrow_a_range_from_the_same_person(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    ingest([path], db, workers=1)
    with store.connect(db, read_only=True) as con:
        got = {t: (p, lo, hi, ev) for t, p, lo, hi, ev in con.execute(
            "SELECT title, date_precision, date_earliest, date_latest, date_evidence FROM documents").fetchall()}
    # a year of slack on either side of what the store has seen
    precision, lo, hi, evidence = got["肥西县调研项目建设"]
    assert (precision, lo, hi) == ("range", date(2020, 3, 1), date(2022, 9, 8))
    assert evidence.endswith("corpus: 王立新 (肥西县委书记) seen with this title 2021-03-01 – 2021-09-08")
    assert got["调研秋收工作"][:3] == ("unknown", None, None)
    assert got["调研项目"][:3] == ("unknown", None, None)
    assert got["肥西县召开县委常委会"][:3] == ("day", date(2021, 3, 1), date(2021, 3, 1))
