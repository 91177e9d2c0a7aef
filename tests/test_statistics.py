"""Trends and keyword statistics checked against hand computations."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import keywords, store, trends
from analytics.filters import parse_filter_spec
from analytics.schema import token_list
from analytics.store import Filters


@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        # Wilson 95 %: (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.96, by hand
        (0, 10, 0.0, 0.27753),
        (5, 10, 0.23659, 0.76341),
        (1, 1, 0.20654, 1.0),
        (50, 100, 0.40383, 0.59617),
    ],
)
def test_wilson_by_hand(k, n, lo, hi):
    got = trends.wilson(k, n)
    assert got[0] == pytest.approx(lo, abs=1e-4)
    assert got[1] == pytest.approx(hi, abs=1e-4)


def test_wilson_without_trials_is_undefined():
    assert all(math.isnan(v) for v in trends.wilson(0, 0))


@given(st.integers(min_value=1, max_value=10_000), st.data())
@settings(max_examples=200, deadline=None)
def test_wilson_interval_contains_the_share(n, data):
    k = data.draw(st.integers(min_value=0, max_value=n))
    lo, hi = trends.wilson(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_counts_by_hand_on_the_seeds(seed_store):
    with store.connect(seed_store, read_only=True) as con:
        frame = trends.counts(con, ["五区", "高质量发展"], Filters(city=["萍乡市"]), period="year", level="city")
    rows = {(r.period, r.formulation): r for r in frame.itertuples()}
    # Pingxiang: 2020 (seed 004), 2021 (seed 000), 2023 (seed 001); 五区 in 000 and 001
    assert {p for p, _ in rows} == {"2020", "2021", "2023"}
    assert rows[("2021", "五区")].docs == 1 and rows[("2021", "五区")].docs_mentioning == 1
    assert rows[("2020", "五区")].share == 0.0
    assert rows[("2020", "高质量发展")].mentions == 2
    r = rows[("2023", "高质量发展")]
    assert r.per10k == pytest.approx(r.mentions * 10_000 / r.chars)
    assert (r.share_lo, r.share_hi) == pytest.approx(trends.wilson(1, 1))
    assert frame["small_sample"].all()
    assert (frame["docs_mentioning"] <= frame["docs"]).all()


def test_formulation_filter_never_shrinks_the_denominator(seed_store):
    with store.connect(seed_store, read_only=True) as con:
        plain = trends.counts(con, ["五区"], Filters(), level="all")
        filtered = trends.counts(con, ["五区"], Filters(formulation=["五区"]), level="all")
    pd.testing.assert_frame_equal(plain, filtered)


def test_diffusion_on_the_seeds(seed_store):
    with store.connect(seed_store, read_only=True) as con:
        result = trends.diffusion(con, "高质量发展", level="city")
    first = result["first"]
    assert result["leader"] == "萍乡市"
    assert list(first["region"]) == ["萍乡市", "扬州市", "上饶市"]
    assert str(first["first_date"].iloc[0])[:10] == "2020-10-18"
    assert list(result["curve"]["regions"]) == [1, 2, 3]


def test_leaders_on_the_seeds(seed_store):
    with store.connect(seed_store, read_only=True) as con:
        frame = trends.leaders(con, formulations=["强攻工业"])
    liu = frame[frame["name"] == "刘烁"].iloc[0]
    assert (liu["docs"], liu["mentions"], liu["official_docs"]) == (2, 6, 2)


def test_logodds_by_hand():
    y_a, y_b, prior = np.array([10, 0, 5]), np.array([2, 8, 5]), np.array([12, 8, 10])
    alpha0 = 30.0
    delta, z = keywords.logodds(y_a, y_b, prior, alpha0)
    # term 0 by hand: a_w = 30·12/30 = 12, n_a = 15, n_b = 15
    d0 = math.log((10 + 12) / (15 + 30 - 10 - 12)) - math.log((2 + 12) / (15 + 30 - 2 - 12))
    z0 = d0 / math.sqrt(1 / (10 + 12) + 1 / (2 + 12))
    assert delta[0] == pytest.approx(d0)
    assert z[0] == pytest.approx(z0)
    assert delta[1] < 0 < delta[0]


def test_tfidf_equals_scikit_learn():
    from sklearn.feature_extraction.text import TfidfTransformer

    docs = np.array([[3, 0, 1, 0], [0, 2, 1, 1], [1, 1, 0, 4], [0, 0, 2, 1]])
    groups = np.vstack([docs[:2].sum(axis=0), docs[2:].sum(axis=0)])
    ours = keywords.tfidf_rows(groups, keywords.idf((docs > 0).sum(axis=0), len(docs)))
    theirs = TfidfTransformer().fit(docs).transform(groups).toarray()
    np.testing.assert_allclose(ours, theirs)


def test_compare_pingxiang_against_yangzhou(seed_store):
    with store.connect(seed_store, read_only=True) as con:
        frame = keywords.compare(con, parse_filter_spec("city=萍乡市"), parse_filter_spec("city=扬州市"),
                                 top=20, min_count=2, ranking=keywords.Ranking(rank="z"))
    a_side = set(frame[frame["score"] > 0]["term"])
    b_side = set(frame[frame["score"] < 0]["term"])
    assert a_side & {"安源", "安源区"} and "萍乡" in a_side
    assert "高邮" in b_side
    for term in a_side | b_side:
        assert len(term) >= 2 and not any(ch in term for ch in "，。、“”?!（）")
    assert {"count_a", "count_b", "per10k_a", "per10k_b", "z"} <= set(frame.columns)
    row = frame[frame["term"] == "高邮"].iloc[0]
    assert row["per10k_b"] == pytest.approx(row["count_b"] * 10_000 / frame.attrs["tokens_b"])


def test_formulations_and_officials_are_single_tokens(seed_store):
    with store.connect(seed_store, read_only=True) as con:
        tokens = {t for (ts,) in con.execute("SELECT tokens FROM tokens").fetchall() for t in token_list(ts)}
    assert {"最美转型城市", "项目为王", "刘烁", "王进健"} <= tokens


def test_groups_each_against_the_others(seed_store):
    with store.connect(seed_store, read_only=True) as con:
        frame = keywords.compare_groups(con, {"萍乡": parse_filter_spec("city=萍乡市"),
                                              "扬州": parse_filter_spec("city=扬州市"),
                                              "上饶": parse_filter_spec("city=上饶市")}, min_count=2,
                                     ranking=keywords.Ranking(rank="z"))
    assert set(frame["group"]) == {"萍乡", "扬州", "上饶"}
    assert (frame["score"] > 0).all()


def test_recent_national_reports_rank_high_quality_development(corpora, tmp_path):
    import json

    from analytics.ingest import ingest

    folder = tmp_path / "gwr"
    folder.mkdir()
    with open(folder / "national.jsonl", "w", encoding="utf-8") as fh:
        for line in open(corpora / "gwr_panel.jsonl", encoding="utf-8"):
            r = json.loads(line)
            if r["level"] == "national" and (1998 <= r["year"] <= 2005 or 2018 <= r["year"] <= 2025):
                fh.write(json.dumps({"text": r["text"], "title": r["title"], "date": f"{r['year']}-03-05"},
                                    ensure_ascii=False) + "\n")
    ingest([folder], tmp_path / "g.duckdb")
    with store.connect(tmp_path / "g.duckdb", read_only=True) as con:
        frame = keywords.compare(con, parse_filter_spec("since=2018-01-01"), parse_filter_spec("until=2005-12-31"),
                                 top=30)
    recent = list(frame[frame["score"] > 0]["term"])
    assert "高质量发展" in recent[:10], recent[:10]  # ranked by Log Ratio among the significant terms


@given(
    formulations=st.lists(st.sampled_from(["五区", "高质量发展", "项目为王", "主题教育", "新发展理念", "不存在的提法"]),
                          min_size=1, max_size=4, unique=True),
    period=st.sampled_from(trends.PERIODS),
    level=st.sampled_from(trends.LEVELS),
    city=st.lists(st.sampled_from(["萍乡市", "扬州市", "上饶市"]), max_size=2, unique=True),
    inferred=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_counts_never_exceed_their_denominators(seed_store, formulations, period, level, city, inferred):
    with store.connect(seed_store, read_only=True) as con:
        frame = trends.counts(con, formulations, Filters(city=city, include_inferred=inferred), period, level)
    assert (frame["docs_mentioning"] <= frame["docs"]).all()
    assert (frame["docs_mentioning"] <= frame["mentions"]).all()
    assert ((frame["share"] >= frame["share_lo"] - 1e-12) & (frame["share"] <= frame["share_hi"] + 1e-12)).all()
    assert (frame["small_sample"] == (frame["docs"] < trends.MIN_DOCS)).all()


def _matrix_sums(con, filters: Filters) -> dict[int, int]:
    """The slow truth: the matrix rows of the documents the filters select, summed."""
    where, params = filters.where()
    frame = con.execute(f"SELECT m.term_id, sum(m.n) AS n FROM dtm m JOIN documents d USING (doc_no) "
                        f"WHERE {where} GROUP BY 1", params).df()
    return {int(t): int(n) for t, n in zip(frame["term_id"], frame["n"], strict=True)}


def _planned_sums(con, filters: Filters) -> dict[int, int]:
    got = keywords.group_counts(con, filters)
    assert got.tokens == int(got.counts.sum())
    return {int(t): int(n) for t, n in got.counts.items()}


_DAYS = st.one_of(st.none(), st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 12, 31)),
                  st.sampled_from([date(2019, 1, 1), date(2020, 12, 31), date(2023, 7, 1), date(2023, 6, 30)]))


@given(
    province=st.lists(st.sampled_from(["江西省", "江苏省", "河北省", "广东省"]), max_size=2, unique=True),
    city=st.lists(st.sampled_from(["萍乡市", "扬州市", "上饶市", "石家庄市"]), max_size=2, unique=True),
    district=st.lists(st.sampled_from(["安源区", "鼓楼区"]), max_size=1),
    since=_DAYS,
    until=_DAYS,
    inferred=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_planned_sums_equal_matrix_sums(demo_store, province, city, district, since, until, inferred):
    """Whatever the places and the period (whole years, months, or any day to any day), the sums
    read from the summed tables plus the matrix at the edges equal the matrix's own."""
    filters = Filters(province=province, city=city, district=district, since=since, until=until,
                      include_inferred=inferred)
    with store.connect(demo_store, read_only=True) as con:
        assert _planned_sums(con, filters) == _matrix_sums(con, filters)


@pytest.mark.parametrize(("spec", "tables"), [
    ("city=萍乡市", ["term_groups"]),
    ("city=萍乡市,since=2019-01-01,until=2020-12-31", ["term_groups"]),
    ("city=萍乡市,since=2019-03-01", ["term_groups", "matrix"]),  # March to December 2019 from the matrix
    ("city=萍乡市,since=2019-03-01,until=2019-10-31", ["matrix"]),  # no whole year within
    ("district=安源区,since=2019-01-01", ["term_districts"]),
    ("since=2019-01-01", ["term_months"]),
    ("since=2019-07-01,until=2019-12-31", ["term_months"]),  # half a year: whole months
    ("since=2019-06-15,until=2019-12-20", ["term_months", "matrix", "matrix"]),  # and two partial months
    ("since=2019-06-15,until=2019-06-20", ["matrix"]),
    ("site=萍乡城事网", ["matrix"]),
    ("include_duplicates=1", ["matrix"]),
    ("official=甲,official=乙", ["matrix"]),  # several officials: their documents overlap
])
def test_where_sums_come_from(seed_store, spec, tables):
    with store.connect(seed_store, read_only=True) as con:
        parts = keywords.sum_sources(con, parse_filter_spec(spec))
    got = [t if t.startswith("term_") else "matrix" for t, _, _ in parts]
    assert got == tables


@pytest.mark.parametrize(("since", "until", "unit", "inner", "edges"), [
    (None, None, "month", (None, None), []),
    (date(2023, 1, 1), date(2023, 6, 30), "month", (date(2023, 1, 1), date(2023, 6, 30)), []),
    (date(2023, 1, 15), None, "month", (date(2023, 2, 1), None), [(date(2023, 1, 15), date(2023, 1, 31))]),
    (None, date(2024, 2, 28), "month", (None, date(2024, 1, 31)), [(date(2024, 2, 1), date(2024, 2, 28))]),
    (None, date(2024, 2, 29), "month", (None, date(2024, 2, 29)), []),  # a leap year's February, whole
    (date(2023, 12, 2), date(2024, 1, 30), "month", None, [(date(2023, 12, 2), date(2024, 1, 30))]),
    (date(2022, 3, 1), date(2024, 12, 31), "year", (date(2023, 1, 1), date(2024, 12, 31)),
     [(date(2022, 3, 1), date(2022, 12, 31))]),
    (date(2022, 3, 1), date(2022, 12, 31), "year", None, [(date(2022, 3, 1), date(2022, 12, 31))]),
])
def test_split_period(since, until, unit, inner, edges):
    assert keywords.split_period(since, until, unit) == (inner, edges)


def test_official_sums_equal_matrix_sums(demo_store, tmp_path):
    """An official with stored sums (here every official: the threshold lowered) is summed from
    term_officials, alone and with whole years; the sums equal the matrix's."""
    import shutil

    path = tmp_path / "officials.duckdb"
    shutil.copy(demo_store, path)
    with store.connect(path) as con:
        store._update_official_sums(con, min_docs=1, most=1000)
    with store.connect(path, read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT name FROM officials_summed ORDER BY docs DESC LIMIT 8").fetchall()]
        assert len(names) >= 5
        for name in names:
            for since, until in ((None, None), (date(2020, 1, 1), None), (date(2019, 1, 1), date(2022, 12, 31)),
                                 (date(2021, 4, 1), None)):
                filters = Filters(official=[name], since=since, until=until)
                planned = [t for t, _, _ in keywords.sum_sources(con, filters)]
                assert planned[0] == "term_officials"
                assert _planned_sums(con, filters) == _matrix_sums(con, filters), (name, since, until)


@pytest.mark.parametrize("method", keywords.METHODS)
@pytest.mark.parametrize("spec", ["city=萍乡市", "province=江苏省", "since=2023-01-01"])
def test_against_the_rest_by_subtraction_equals_by_documents(seed_store, spec, method):
    """A against the rest: corpus sums minus A's sums give what summing the other documents gives."""
    a = parse_filter_spec(spec)
    with store.connect(seed_store, read_only=True) as con:
        fast = keywords.compare_sets(con, a, None, method=method, top=None, min_count=1)
        where, params = a.where()
        rest = [r[0] for r in con.execute(f"SELECT doc_id FROM documents WHERE duplicate_of IS NULL AND doc_id NOT IN "
                                          f"(SELECT d.doc_id FROM documents d WHERE {where})", params).fetchall()]
        slow = keywords._compare_ids(con, a, rest, method, None, 1, min_tokens=keywords.MIN_TOKENS,
                                     sides=("group A", "the rest of the corpus"))
    assert len(fast) > 10
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False)
    assert (fast.attrs["docs_b"], fast.attrs["tokens_b"]) == (slow.attrs["docs_b"], slow.attrs["tokens_b"])
