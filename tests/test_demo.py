"""The demo corpus: rebuilt from the shared panel, dated to its precision, national reports 全国."""

import gzip
import json

import pytest

from analytics import demo


@pytest.mark.parametrize(
    ("row", "date", "precision", "province"),
    [
        (
            {
                "level": "national",
                "region": "全国",
                "year": 2024,
                "date": None,
                "text": "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上",
            },
            "2024-03-05",
            "day",
            "全国",
        ),
        (
            {"level": "national", "region": "全国", "year": 1954, "date": None, "text": "各位代表：…"},
            "1954-01-01",
            "year",
            "全国",
        ),
        (
            {"level": "national", "region": "全国", "year": 2019, "date": None, "text": "一、2018年3月5日以来"},
            "2019-01-01",
            "year",
            "全国",
        ),  # a date of another year: not the report's
        (
            {"level": "province", "region": "浙江省", "year": 2026, "date": "2026-01-22", "text": "…"},
            "2026-01-22",
            "day",
            "浙江省",
        ),
    ],
)
def test_demo_record(row, date, precision, province):
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "scripts"))
    from build_demo import demo_record

    out = demo_record({"source": "s", "title": "t", **row})
    assert (out["date"], out["date_precision"], out["province"]) == (date, precision, province)


def test_the_shipped_demo_is_the_panel_rebuilt(corpora, tmp_path):
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "scripts"))
    from build_demo import build

    out = tmp_path / "demo.jsonl.gz"
    assert build(corpora / "gwr_panel.jsonl", out) == 88
    assert out.read_bytes() == demo.DEMO_FILE.read_bytes()  # the script reproduces the file byte for byte
    rows = [json.loads(line) for line in gzip.open(out, "rt", encoding="utf-8")]
    assert sum(r["province"] == "全国" for r in rows) == 52


def test_first_run_store(demo_store):
    from analytics import overview, store, trends

    with store.connect(demo_store, read_only=True) as con:
        levels = dict(con.execute("SELECT region_level, count(*) FROM documents GROUP BY 1").fetchall())
        provinces = con.execute("SELECT count(DISTINCT province) FROM documents WHERE date >= '2026-01-01'").fetchone()
        frame = trends.counts(con, ["高质量发展"], level="province")
        docs = store.documents(con)
    assert levels["national"] == 52 and provinces[0] == 31
    assert "全国" in set(frame["region"]) and "(未定)" not in set(frame["region"])
    labels = overview.region_labels(docs)
    assert (labels[docs["region_level"] == "national"] == "全国").all()
