"""The compiled multi-pattern matcher: every occurrence, overlaps included, character offsets."""

import pickle

import pytest

from analytics.matcher import Matcher

PLACES = Matcher([("萍乡", "short"), ("萍乡市", "full"), ("乡市", "x"), ("安源区", "full")])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("萍乡市安源区", [(0, 2, "short"), (0, 3, "full"), (1, 3, "x"), (3, 6, "full")]),
        ("在萍乡", [(1, 3, "short")]),
        ("萍鄉市", []),  # Traditional script: not the pattern
        ("", []),
    ],
)
def test_every_occurrence_with_offsets(text, expected):
    assert sorted(PLACES.iter(text)) == expected


def test_a_pattern_added_twice_keeps_its_last_value_and_an_empty_matcher_finds_nothing():
    assert list(Matcher([("全市", 1), ("全市", 2)]).iter("全市")) == [(0, 2, 2)]
    assert list(Matcher([]).iter("全市")) == []


def test_pickles_as_its_patterns_and_matches_alike():
    PLACES.iter("萍乡")  # compiled
    again = pickle.loads(pickle.dumps(PLACES))
    assert again._compiled is None and len(again) == 4
    assert sorted(again.iter("萍乡市安源区")) == sorted(PLACES.iter("萍乡市安源区"))
