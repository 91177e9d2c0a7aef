"""Discover's recurring pairs: neighbouring content tokens that stand together in the text."""

import pytest

from analytics.discover import _adjacent_pairs


@pytest.mark.parametrize(
    ("tokens", "text", "pairs"),
    [
        (
            ["推进", "高质量", "发展", "五区", "建设"],
            "推进高质量发展的五区建设",
            ["推进高质量", "高质量发展", "五区建设"],
        ),
        (["项目", "为王", "项目", "为王"], "项目为王，项目为王", ["项目为王"]),  # first-seen order, once
        (["发展", "经济"], "发展了经济", []),  # a dropped word between them: not a pair
        (["甲", "乙"], "乙甲", []),  # not in order in the text
        ([], "任何文字", []),
    ],
)
def test_adjacent_pairs(tokens, text, pairs):
    assert _adjacent_pairs(tokens, text) == pairs
