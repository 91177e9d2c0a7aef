"""Lexicon and counting: leftmost-longest, variants, exclusions, corrupt spans; real corpora."""

import json

import pytest

from analytics.formulations import count_formulations, find_matches, load_lexicon, parse_lexicon
from analytics.resources import DataFileError


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("实现碳达峰、碳中和目标", {"碳达峰碳中和": 1}),  # the longest form wins, counted once
        ("先碳达峰，后碳中和", {"碳达峰碳中和": 2}),  # separate short variants count each
        ("以“亩均论英雄、低碳论英雄、科技论英雄、人均论英雄”为标尺", {"四个论英雄": 1}),
        ("要在“四论”考核实施上作表率", {"四个论英雄": 1}),
        ("“主阵地”“主平台”“主战场”", {"主阵地": 1, "主平台": 1, "主战场": 1}),
        ("尊重发展规律，创新发展理念，破解发展难题", {}),  # 创新发展理念 is not 新发展理念
        ("完整准确全面贯彻新发展理念", {"新发展理念": 1}),
        ("高质量发展高质量发展", {"高质量发展": 2}),
        ("提供全程“妈妈式”服务", {"妈妈式服务": 1}),
        ("没有任何提法的句子", {}),
    ],
)
def test_counting_rule(lexicon, text, expected):
    assert count_formulations(None, text, lexicon) == expected


def test_title_counts_and_summary_never(lexicon):
    assert count_formulations("推动高质量发展", "高质量发展", lexicon) == {"高质量发展": 2}


def test_corrupt_spans_are_skipped(lexicon):
    text = "打造“五区”和“项目为王”"
    start = text.index("项目为王")
    assert count_formulations(None, text, lexicon, [(start + 1, start + 3)]) == {"五区": 1}


def test_matches_never_overlap(lexicon):
    text = "碳达峰碳中和碳达峰、碳中和新发展理念"
    spans = find_matches(text, lexicon)
    for (_, e1, _), (s2, _, _) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2


def test_lexicon_has_the_seed_and_national_entries(lexicon):
    wanted = ["五区", "最美转型城市", "项目为王", "火车头", "主动力", "新业绩", "栖居地", "首位度", "四个一批",
              "四个论英雄", "四八目标", "产业转型升级攻坚年", "二产要打翻身仗", "主阵地", "主平台", "主战场",
              "专精特新", "两大一小", "政治生态修复深化年", "工业强市", "强攻工业", "招大引强", "三大高地",
              "五大战略", "四图五清单", "主题教育", "双过半", "硬过半", "走在前列", "勇挑大梁", "动力谷",
              "妈妈式服务", "高质量发展", "新发展理念", "中国式现代化", "新质生产力", "供给侧结构性改革",
              "放管服", "双循环", "乡村振兴", "共同富裕", "一带一路", "精准扶贫", "碳达峰碳中和"]
    assert not set(wanted) - set(lexicon.canonicals)
    five = lexicon.get("五区")
    assert (five.scope, five.place) == ("city", "江西省萍乡市")
    assert "四论" in lexicon.get("四个论英雄").variants


def test_lexicon_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[formulation]]\ncanonical = "五区"\nkind = slogan\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="line 3"):
        parse_lexicon(bad)


def test_user_lexicon_overrides_and_adds(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[[formulation]]\ncanonical = "老树发新枝"\nkind = "image"\n', encoding="utf-8")
    from analytics.formulations import lexicon_paths

    lx = load_lexicon(lexicon_paths((extra,)))
    assert count_formulations(None, "让“老树发新枝”", lx) == {"老树发新枝": 1}


# National formulations: the first government work report that uses each, from history (and
# checked against the panel by reading it): 供给侧结构性改革 was proposed in Nov 2015, 高质量发展
# at the 19th Congress (Oct 2017), 中国式现代化 became central at the 20th (Oct 2022), 新质生产力
# in Sep 2023. 新发展理念 first appears through its expansion (创新、协调、绿色、开放、共享) in 2016,
# and 放管服 through its full name (简政放权、放管结合、优化服务, named in May 2015) in 2016.
FIRST_YEAR = {
    "供给侧结构性改革": 2016, "高质量发展": 2018, "中国式现代化": 2023, "新质生产力": 2024,
    "新发展理念": 2016, "一带一路": 2014, "精准扶贫": 2014, "乡村振兴": 2018, "放管服": 2016,
    "双循环": 2021, "碳达峰碳中和": 2021, "脱贫攻坚": 2016, "三个代表": 2001, "科学发展观": 2004,
}


def test_first_year_in_national_reports(corpora, lexicon):
    rows = [json.loads(line) for line in open(corpora / "gwr_panel.jsonl", encoding="utf-8")]
    national = sorted((r for r in rows if r["level"] == "national"), key=lambda r: r["year"])
    first: dict[str, int] = {}
    for r in national:
        for canonical in count_formulations(r.get("title"), r["text"], lexicon):
            first.setdefault(canonical, int(r["year"]))
    assert {k: first.get(k) for k in FIRST_YEAR} == FIRST_YEAR
