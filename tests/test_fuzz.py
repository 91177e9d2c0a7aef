"""Property tests over arbitrary Unicode: text functions never raise, cleaning is idempotent,
counts are non-negative and never exceed a plain substring count.

A fast profile runs in every test run; `pytest -m slow` runs >= 10 000 examples per function.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import clean, dates, formulations, regions, segment
from analytics.resources import era_markers

PIECES = ["萍鄉(xiāng)", "要?jiǎng)恿", "(GDP)", "摘要:", "鮮花", "9月4日", "2021-9-6 13:06| 發布者: admin| 評論: 0",
          "五区", "项目为王", "碳达峰、碳中和", "扬州市委书记王进健", "鼓楼区", "“四个一批”", "\u3000", "\r\n", "\x00",
          "\ufffd", "\ue02e", "①", "乾隆", "後", "(作者:黃克奇 鄭陳浩)", "二十大", "区委常委龙泉", "高邮湖", "!钡臒"]
TEXT = st.lists(
    st.one_of(st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
              st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=30),
              st.sampled_from(PIECES),
              st.text(alphabet="āáǎàēéěèīíǐìōóǒòūúǔùü()（）?!abcxyz ", max_size=12)),
    max_size=25,
).map("".join)
LONG_LINE = st.builds(lambda s, n: s * n, st.sampled_from(["萍乡市推进五区建设，", "a(b)", "“项目为王”"]),
                      st.integers(min_value=100, max_value=3000))
ANY_TEXT = st.one_of(TEXT, LONG_LINE, st.text(max_size=200))

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))


def check_clean(text: str) -> None:
    once = clean.clean_text(text)
    assert clean.clean_text(once) == once
    cleaned = clean.clean_article(text)
    assert 0.0 <= cleaned.quality <= 1.0
    for span in cleaned.corrupt_spans:
        assert cleaned.text[span.start : span.end] == span.text


def check_dates(text: str) -> None:
    result = dates.resolve_dates(text, text[:30], None, era_markers())
    assert result.precision in dates.PRECISIONS
    assert (result.date is None) == (result.precision in ("unknown", "range"))
    if result.date:
        assert result.earliest <= result.date <= result.latest


def check_regions(text: str) -> None:
    result = regions.resolve(text[:20], text, {"site": text[:10]}, {})
    assert result.level in ("province", "city", "district", "national", "unknown", "ambiguous")
    assert all(v > 0 for v in result.mentioned.values())


def check_counts(text: str) -> None:
    lexicon = formulations.load_lexicon()
    counts = formulations.count_formulations(None, text, lexicon)
    for canonical, n in counts.items():
        entry = lexicon.get(canonical)
        assert 0 < n <= sum(text.count(s) for s in entry.surfaces)


def check_segment(text: str) -> None:
    from analytics.pipeline import Settings, context

    _, _, tk, user_words = context(Settings())
    flat = "".join(text.split())
    for token in segment.segment(text, tk):
        assert token and token in flat
    for token in segment.content_tokens(text, tk, user_words):
        assert len(token) >= 2 or token in user_words


CHECKS = [check_clean, check_dates, check_regions, check_counts, check_segment]


@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__)
def test_fast(check):
    FAST(given(ANY_TEXT)(check))()


@pytest.mark.slow
@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__)
def test_slow(check):
    SLOW(given(ANY_TEXT)(check))()
