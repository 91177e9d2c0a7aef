"""Keyness: Log Ratio among terms significant after correction, fragments out, names optional."""

import numpy as np
import pytest

from analytics import keywords


@pytest.mark.parametrize(
    ("y_a", "y_b", "n_a", "n_b", "expected"),
    [
        (10, 10, 1000, 1000, 0.0),
        (20, 10, 1000, 1000, 1.0),  # twice as frequent: one binary order of magnitude
        (10, 0, 1000, 1000, np.log2(10 / 0.5)),  # a zero count counts as 0.5
        (10, 10, 1000, 2000, 1.0),  # relative, not raw, frequencies
    ],
)
def test_log_ratio(y_a, y_b, n_a, n_b, expected):
    assert keywords.log_ratio(np.array([y_a]), np.array([y_b]), n_a, n_b)[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("correction", "z", "expected"),
    [
        ("bonferroni", [1.96, 0.0], [min(1.0, 0.05 * 2), 1.0]),
        ("bh", [3.29, 1.96, 0.0], [0.0015, 0.075, 1.0]),
    ],
)
def test_adjusted_p(correction, z, expected):
    assert keywords.adjusted_p(np.array(z), correction) == pytest.approx(expected, abs=2e-3)


@pytest.mark.parametrize(
    ("term", "fragment"),
    [
        ("上", True),  # a single character
        ("2023", True),
        ("十四五规划2", True),  # has a digit
        ("上作", True),  # two characters, in no dictionary: an HMM piece
        ("创新", False),  # in jieba's dictionary
        ("五区", False),  # a user word (lexicon form)
        ("高质量发展", False),  # longer words are kept
    ],
)
def test_fragments(term, fragment):
    dictionary, _ = keywords.jieba_dictionary()
    assert keywords.is_fragment(term, dictionary, frozenset({"五区"})) is fragment


@pytest.mark.parametrize("hide_names", [False, True])
def test_term_mask_is_the_fragment_rule_over_arrays(demo_store, hide_names):
    """term_mask (vectorised) keeps exactly the terms is_fragment keeps, the store's officials
    counting as known words, over the demo store's whole vocabulary and some made-up terms."""
    from analytics import store

    with store.connect(demo_store, read_only=True) as con:
        terms = [r[0] for r in con.execute("SELECT term FROM vocab ORDER BY term_id").fetchall()]
        terms += ["上", "２０", "十四五规划²", "上作", "五区", "李强"]
        officials = frozenset(r[0] for r in con.execute("SELECT DISTINCT name FROM doc_officials").fetchall())
        got = keywords.term_mask(con, terms, hide_names)
    dictionary, dict_names = keywords.jieba_dictionary()
    user_words, places = keywords._known_words()
    known, names = user_words | officials, dict_names | places | officials
    want = np.array([not keywords.is_fragment(t, dictionary, known) and not (hide_names and t in names)
                     for t in terms])
    assert len(terms) > 10_000 and 0 < got.sum() < len(terms)
    assert (got == want).all(), [t for t, g, w in zip(terms, got, want, strict=True) if g != w][:10]


@pytest.mark.parametrize("kwargs", [{"rank": "size"}, {"correction": "holm"}, {"alpha": 0}])
def test_ranking_checks_its_options(kwargs):
    with pytest.raises(ValueError):
        keywords.Ranking(**kwargs)


def test_high_quality_development_in_the_top_ten_since_2018(demo_store):
    """On the demo (national, provincial and city reports), 2018– against –2005."""
    from analytics import store
    from analytics.filters import parse_filter_spec

    with store.connect(demo_store, read_only=True) as con:
        a, b = parse_filter_spec("since=2018-01-01"), parse_filter_spec("until=2005-12-31")
        effect = keywords.compare(con, a, b, top=10)
        by_z = keywords.compare(con, a, b, top=10, ranking=keywords.Ranking(rank="z"))
        hidden = keywords.compare(con, a, b, top=30, ranking=keywords.Ranking(hide_names=True))
    top = effect[effect["log_ratio"] > 0]["term"].tolist()
    assert "高质量发展" in top
    assert (effect["q"] < keywords.DEFAULT_ALPHA).all()
    assert {"log_ratio", "z"} <= set(by_z.columns)
    assert by_z[by_z["z"] > 0]["z"].is_monotonic_decreasing
    assert "习近平" not in set(hidden["term"]) and "上海市" not in set(hidden["term"])
    assert not any(len(t) < 2 or any(c.isdigit() for c in t) for t in effect["term"])


def test_an_empty_comparison_says_why(seed_store):
    """No term significant on the seeds: exit 0, and one line with the group sizes and what to try."""
    from click.testing import CliRunner

    from analytics.cli import cli

    result = CliRunner().invoke(cli, ["compare", "--a", "city=萍乡", "--b", "city=扬州市", "--store", str(seed_store)])
    assert result.exit_code == 0
    assert "No term is significant" in result.stderr and "A: 3 documents" in result.stderr
    assert "B: 1 documents" in result.stderr and "--rank z" in result.stderr


def test_discover_labels_national_documents(demo_store):
    from analytics import discover, store
    from analytics.formulations import load_lexicon

    with store.connect(demo_store, read_only=True) as con:
        frame = discover.discover(con, load_lexicon(), limit=300)
    assert "全国" in set(frame["first_region"]) and "(未定)" not in set(frame["first_region"])
