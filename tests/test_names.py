"""Name checks and suggestions (analytics/names.py) and the filter check built on them
(analytics/validate.py): tables of typed name -> what it is, and of filters -> messages."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import keywords, names, validate
from analytics.store import Filters


@pytest.fixture(scope="module")
def con(seed_store):
    with duckdb.connect(str(seed_store), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def index(con):
    return names.name_index(con)


@pytest.mark.parametrize(
    ("kind", "typed", "status", "resolved", "candidates"),
    [
        ("city", "萍乡市", "exact", "萍乡市", ()),
        ("city", "南昌市", "exact", "南昌市", ()),  # in the division table, not in the store
        ("city", "萍乡", "expanded", "萍乡市", ()),
        ("city", "上海", "expanded", "上海市", ()),  # a municipality is its own city
        ("city", "延边", "expanded", "延边朝鲜族自治州", ()),
        ("province", "江西", "expanded", "江西省", ()),
        ("province", "广西", "expanded", "广西壮族自治区", ()),
        ("district", "高邮", "expanded", "高邮市", ()),
        ("district", "浦东", "expanded", "浦东新区", ()),
        ("district", "鼓楼", "expanded", "鼓楼区", ()),  # several 鼓楼区, one name: the filter is by name
        ("district", "朝阳", "ambiguous", None, ("朝阳区", "朝阳县")),
        ("city", "高邮市", "other_level", "高邮市", ()),
        ("city", "江西省", "other_level", "江西省", ()),
        ("city", "萍鄉市", "expanded", "萍乡市", ()),  # Traditional script
        ("city", "萍鄉", "expanded", "萍乡市", ()),
        ("official", "劉爍", "expanded", "刘烁", ()),
        ("city", "萍香市", "unknown", None, ("萍乡市",)),  # homophone: ping xiang
        ("city", "萍乡县", "unknown", None, ("萍乡市",)),  # wrong suffix
        ("city", "杨州", "unknown", None, ("扬州市",)),
        ("city", "扬洲市", "unknown", None, ("扬州市",)),  # not 杭州市, 永州市, 沧州市 as well
        ("city", "火星市", "unknown", None, ()),  # nothing close: no guess
        ("province", "江西市", "unknown", None, ("江西省",)),
        ("official", "刘烁", "exact", "刘烁", ()),
        ("official", "刘铄", "unknown", None, ("刘烁",)),
        ("official", "刘烁书记", "unknown", None, ("刘烁",)),
        ("official", "无此人", "unknown", None, ()),
        ("site", "人民网", "exact", "人民网", ()),
        ("site", "人民", "unknown", None, ("人民网",)),
        ("formulation", "五区", "exact", "五区", ()),
        ("formulation", "高质量", "not_in_lexicon", None, ("高质量发展",)),
        ("formulation", "不存在的提法", "not_in_lexicon", None, ()),
    ],
)
def test_lookup(index, kind, typed, status, resolved, candidates):
    found = index.lookup(kind, typed)
    assert (found.status, found.resolved, found.candidates) == (status, resolved, candidates)


def test_a_lexicon_variant_resolves_to_its_canonical_form(con):
    from analytics.formulations import load_lexicon

    lexicon = load_lexicon()
    entry = next(f for f in lexicon.entries if f.variants)
    found = names.name_index(con, lexicon, ["formulation"]).lookup("formulation", entry.variants[0])
    assert (found.status, found.resolved) == ("variant", entry.canonical)


def test_documents_counted_per_name(index):
    assert index.lookup("city", "萍乡").documents == 3
    assert index.lookup("city", "南昌市").documents == 0
    assert index.most_used("city") == ("萍乡市", "上饶市", "扬州市")


@pytest.mark.parametrize(
    ("typed", "known", "at_least", "below"),
    [
        ("萍香市", "萍乡市", 95, None),  # same syllables
        ("萍乡县", "萍乡市", 100, None),  # same stem
        ("平乡", "萍乡市", 95, None),
        ("火星市", "萍乡市", None, names.CUTOFF),
        ("南昌", "南充市", names.LETTER_CUTOFF - 5, None),  # nanchang ~ nanchong
    ],
)
def test_similarity(typed, known, at_least, below):
    score = names.similarity(typed, known)
    assert at_least is None or score >= at_least
    assert below is None or score < below


@pytest.mark.parametrize(
    ("filters", "code", "severity", "exit_code", "zh", "en"),
    [
        (
            Filters(city=["火星市"]),
            "unknown",
            "error",
            2,
            "火星市：没有这个市。数据中的市有：萍乡市 (3)、上饶市 (1)、扬州市 (1)。",
            "火星市: no such city. Cities in the store: 萍乡市 (3), 上饶市 (1), 扬州市 (1).",
        ),
        (
            Filters(city=["萍香市"]),
            "unknown",
            "error",
            2,
            "萍香市：没有这个市。您是否要找：萍乡市？",
            "萍香市: no such city. Did you mean 萍乡市?",
        ),
        (Filters(city=["萍乡"]), "expanded", "note", 0, "萍乡 按 萍乡市 处理。", "萍乡 read as 萍乡市."),
        (
            Filters(city=["扬州市"], since=date(2024, 1, 1), until=date(2024, 12, 31)),
            "no_documents",
            "error",
            1,
            "扬州市：2024-01-01 至 2024-12-31 期间没有文档。",
            "扬州市: 0 documents between 2024-01-01 and 2024-12-31.",
        ),
        (
            Filters(city=["萍乡市", "南昌市"]),
            "no_documents",
            "warning",
            0,
            "南昌市：数据中没有文档。",
            "南昌市: 0 documents in the store.",
        ),
        (
            Filters(since=date(2030, 1, 1)),
            "empty",
            "error",
            1,
            "当前筛选（since=2030-01-01）下没有文档。数据中有日期的文档从 2020-10-18 到 2023-10-08。",
            "No documents match these filters (since=2030-01-01). The store's dated documents run from 2020-10-18 to "
            "2023-10-08.",
        ),
        (
            Filters(since=date(2024, 5, 1), until=date(2024, 1, 1)),
            "bad_range",
            "error",
            2,
            "起始日期 2024-05-01 晚于截止日期 2024-01-01。",
            "since 2024-05-01 is after until 2024-01-01.",
        ),
        (
            Filters(official=["无此人"]),
            "unknown",
            "error",
            2,
            "无此人：数据中没有这个官员。数据中的官员有：刘烁 (2)",
            "无此人: no official of this name in the store. Officials in the store: 刘烁 (2)",
        ),
        (
            Filters(formulation=["不存在的提法"]),
            "not_in_lexicon",
            "error",
            2,
            "不存在的提法：不在提法词表中。可作为短语统计（--phrase 不存在的提法，网址中 phrase=不存在的提法）",
            "不存在的提法: not in the formulation lexicon. Chart it as a phrase (--phrase 不存在的提法",
        ),
        (
            Filters(district=["朝阳"]),
            "ambiguous",
            "error",
            2,
            "朝阳：可指多个区县：朝阳区、朝阳县。请写全称。",
            "朝阳: several districts go by this name: 朝阳区, 朝阳县. Write the full name.",
        ),
    ],
)
def test_check_filters_messages(con, filters, code, severity, exit_code, zh, en):
    check = validate.check_filters(con, filters)
    (problem,) = check.problems
    assert (problem.code, problem.severity, problem.exit_code) == (code, severity, exit_code)
    assert problem.text("zh").startswith(zh) and problem.text("en").startswith(en)
    assert check.exit_code == (exit_code if severity == "error" else 0)


def test_check_resolves_the_filters_and_counts_the_documents(con):
    check = validate.check_filters(con, Filters(city=["萍乡"], province=["江西"]))
    assert check.ok and check.filters.city == ["萍乡市"] and check.filters.province == ["江西省"]
    assert check.documents == 3


def test_measured_formulations_do_not_select(con):
    check = validate.check_filters(con, Filters(city=["扬州市"], formulation=["五区"]), measured=True)
    assert check.ok and check.documents == 1
    (warning,) = check.problems
    assert warning.text("en") == "五区: mentioned in none of the 1 documents with city=扬州市."
    assert warning.text("zh") == "五区：在 city=扬州市 中的 1 篇文档均未提及。"


@pytest.mark.parametrize(
    ("params", "zh", "en"),
    [
        (
            {"since": "2023-13-01"},
            "since：'2023-13-01' 不是有效日期（没有 13 月）",
            "since: '2023-13-01' is not a date (no month 13); expected YYYY-MM-DD",
        ),
        (
            {"until": ["2023-02-30"]},
            "until：'2023-02-30' 不是有效日期（2023-02 没有 30 日）",
            "until: '2023-02-30' is not a date (no day 30 in 2023-02)",
        ),
        (
            {"since": "2023/01/01", "tab": "trends"},
            "since：'2023/01/01' 不是有效日期；格式为 YYYY-MM-DD",
            "since: '2023/01/01' is not a date; expected YYYY-MM-DD",
        ),
    ],
)
def test_check_params_turns_bad_dates_into_problems(con, params, zh, en):
    check = validate.check_params(con, params)
    assert check.filters is None and check.exit_code == 2
    assert check.lines("zh")[0].startswith(zh) and check.lines("en")[0].startswith(en)


def test_check_params_ignores_other_url_keys(con):
    check = validate.check_params(con, {"city": ["萍乡市"], "tab": "trends", "lang": "en"})
    assert check.ok and check.documents == 3


@pytest.mark.parametrize(
    ("a", "b", "min_tokens", "message"),
    [
        (Filters(city=["南昌市"]), Filters(city=["萍乡市"]), 100, "group A: 0 documents"),
        (Filters(city=["萍乡市"]), Filters(city=["南昌市"]), 100, "group B: 0 documents"),
        (
            Filters(city=["萍乡市"]),
            Filters(city=["扬州市"]),
            1000,
            "group B: 1 document with 556 tokens, fewer than the minimum 1000",
        ),
    ],
)
def test_keywords_refuse_empty_or_tiny_groups(con, a, b, min_tokens, message):
    with pytest.raises(keywords.EmptyGroupError, match=message):
        keywords.compare(con, a, b, min_tokens=min_tokens)


def test_keyword_refusal_in_chinese(con):
    with pytest.raises(keywords.EmptyGroupError) as info:
        a, b = Filters(city=["萍乡市"]), Filters(city=["扬州市"])
        keywords.compare(con, a, b, min_tokens=1000, sides=("A 组", "B 组"))
    assert info.value.text("zh") == "B 组：1 篇文档共 556 词，少于最低 1000 词，无法比较（请放宽该组）。"


def test_keywords_rest_and_groups_refuse_too(con):
    with pytest.raises(keywords.EmptyGroupError, match="the rest of the corpus: 0 documents"):
        keywords.compare_sets(con, Filters(), None)
    with pytest.raises(keywords.EmptyGroupError, match="group 南昌: 0 documents"):
        keywords.compare_groups(con, {"萍乡": Filters(city=["萍乡市"]), "南昌": Filters(city=["南昌市"])})


def test_zero_denominators_give_empty_shares_not_zero():
    from analytics.trends import add_measures

    frame = add_measures(
        pd.DataFrame({"docs": [0, 4], "chars": [0, 400], "docs_mentioning": [0, 0], "mentions": [0, 0]})
    )
    assert frame[["share", "share_lo", "share_hi", "per10k", "value"]].iloc[0].isna().all()
    assert frame["share"].iloc[1] == 0.0


@given(st.text(max_size=12))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_lookup_never_raises(index, typed):
    for kind in names.KINDS:
        found = index.lookup(kind, typed)
        assert found.status in names.STATUSES
        assert found.ok == (found.resolved is not None and found.status in ("exact", "expanded", "variant"))
