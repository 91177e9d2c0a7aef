import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.prefilter import PatternSet, required_literals


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("高质量发展", ("高质量发展",)),
        ("(?:党的)?二十大", ("二十大",)),  # an optional prefix is not required
        ("学习(?:宣传)?贯彻(?:落实)?(?:党的)?二十大精神", ("二十大精神",)),  # the longest run
        ("二十届[一二三]中全会", ("二十届",)),  # the first of two runs of equal length
        ("十[四五]五规划", ("五规划",)),
        ("李强总理|总理李强", ("李强总理", "总理李强")),  # one per branch
        ("x(?:ab|cd)", ("ab", "cd")),
        ("(?:a|bc)d", ("a", "bc")),
        ("a|b", None),  # a character class: nothing literal is required
        ("ab|c?", None),  # a branch that can match nothing
        ("a*", None),
        ("", None),
        ("(?i)abc", None),  # case-insensitive: a literal pass would miss ABC
    ],
)
def test_required_literals(pattern, expected):
    assert required_literals(re.compile(pattern)) == expected


PATTERNS = ["(?:党的)?二十大", "二十大精神", "李强总理|总理李强", "新冠|新型冠状病毒", "十[四五]五", "a|b", "(?i)abc",
            "学习(?:宣传)?贯彻"]


@given(st.text(alphabet="党的二十大精神李强总理新冠型状病毒十四五学习宣传贯彻abcABC ", max_size=40))
def test_pattern_set_agrees_with_searching_every_pattern(text):
    compiled = [re.compile(p) for p in PATTERNS]
    expected = [i for i, p in enumerate(compiled) if p.search(text)]
    assert PatternSet(compiled).matching(text) == expected
