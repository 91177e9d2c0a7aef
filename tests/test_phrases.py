"""Ad-hoc phrases: normalised as stored text is, counted exactly (title + body, corrupt spans
skipped, duplicates excluded), charted like formulations on the CLI and in the dashboard."""

import json

import pytest
from click.testing import CliRunner

from analytics import phrases, store, trends
from analytics.cli import cli
from analytics.formulations import load_lexicon
from analytics.store import Filters


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("一网通办", "一网通办"),
        ("  五个新城 ", "五个新城"),
        ("五個新城", "五个新城"),  # Traditional → Simplified, as article text
        ("萍鄉(xiāng)", "萍乡"),  # pinyin annotations go, as in article text
    ],
)
def test_normalise(typed, expected):
    assert phrases.normalise(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "一网\n通办", "长" * 51])
def test_phrases_that_cannot_be_counted(typed):
    with pytest.raises(phrases.PhraseError):
        phrases.normalise(typed)


@pytest.mark.parametrize(
    ("text", "phrase", "spans", "expected"),
    [
        ("一网通办一网通办", "一网通办", [], 2),
        ("aaaa", "aa", [], 2),  # non-overlapping, from the left
        ("推进一网通办，一网通办", "一网通办", [(2, 4)], 1),  # touches a corrupt span: not counted
        ("推进一网通办，一网通办", "一网通办", [(6, 7)], 2),  # a span between two: both count
        ("", "一网通办", [], 0),
    ],
)
def test_count_in(text, phrase, spans, expected):
    assert phrases.count_in(text, phrase, spans) == expected


@pytest.mark.parametrize(
    ("typed", "formulations", "found"),
    [
        (["一网通办"], [], ["一网通办"]),
        (["高质量发展", "一网通办"], ["高质量发展"], ["一网通办"]),  # a lexicon form is its formulation
    ],
)
def test_split_lexicon(typed, formulations, found):
    f, p, _ = phrases.split_lexicon(typed, load_lexicon())
    assert (f, p) == (formulations, found)


def test_a_phrase_counts_what_the_ingest_counts_for_a_formulation(demo_store):
    """Same text, same rule: a lexicon entry without variants, exclusions or longer entries
    around it has the same per-document counts as a phrase as it has as a formulation."""
    lexicon = load_lexicon()
    forms = [s for f in lexicon.entries for s in f.surfaces]
    simple = [
        f.canonical
        for f in lexicon.entries
        if not f.variants and not f.exclude and not any(f.canonical in s and f.canonical != s for s in forms)
    ]
    with store.connect(demo_store, read_only=True) as con:
        counted = con.execute(
            "SELECT fc.doc_id, fc.formulation, fc.n FROM formulation_counts fc JOIN documents d USING (doc_id) "
            "WHERE d.duplicate_of IS NULL AND fc.formulation IN (SELECT unnest(?))",
            [simple],
        ).fetchall()
        found = phrases.phrase_counts(con, simple)
    assert len(simple) >= 30 and len(counted) > 1000
    assert sorted(map(tuple, found.itertuples(index=False))) == sorted(counted)


def test_sql_counts_equal_the_reference_around_corrupt_spans(seed_store):
    """The one-pass SQL (spans blanked from the stored offsets) gives count_in's answer for
    phrases across, inside and beside every corrupt span of the seeds."""
    with store.connect(seed_store, read_only=True) as con:
        docs = con.execute(
            "SELECT doc_id, title, text, corrupt_spans FROM documents WHERE corrupt_spans <> '[]'"
        ).fetchall()
        cases = 0
        for doc_id, title, text, spans in docs:
            skip = [(s["start"], s["end"]) for s in json.loads(spans)]
            probes = {text[max(0, a - 2) : a + 1] for a, b in skip} | {text[b - 1 : b + 2] for a, b in skip}
            probes |= {text[a : min(b, a + 3)] for a, b in skip} | {text[b : b + 2] for a, b in skip}
            probes = {p for p in probes if len(p) >= 2 and "\n" not in p}
            found = phrases.phrase_counts(con, sorted(probes))
            got = {(d, f): n for d, f, n in found.itertuples(index=False) if d == doc_id}
            for probe in probes:
                expected = phrases.count_in(title or "", probe) + phrases.count_in(text, probe, skip)
                assert got.get((doc_id, probe), 0) == expected, probe
                cases += 1
    assert len(docs) >= 1 and cases >= 10


def test_corrupt_spans_are_skipped(seed_store):
    with store.connect(seed_store, read_only=True) as con:
        doc_id, text, spans = con.execute(
            "SELECT doc_id, text, corrupt_spans FROM documents WHERE corrupt_spans <> '[]' LIMIT 1"
        ).fetchone()
        span = json.loads(spans)[0]
        inside = text[span["start"] : span["end"]][:4]
        counts = phrases.phrase_counts(con, [inside])
    assert len(inside) >= 2
    assert doc_id not in set(counts["doc_id"]) or counts.set_index("doc_id").loc[doc_id, "n"] < text.count(inside)


def test_trend_of_phrases_and_formulations(demo_store):
    with store.connect(demo_store, read_only=True) as con:
        frame = trends.counts(con, ["高质量发展"], Filters(city=["上海市"]), phrases=["一网通办", "五个新城"])
    by = frame.groupby(["formulation", "kind"])["mentions"].sum()
    assert by[("一网通办", "phrase")] > 0 and by[("五个新城", "phrase")] > 0 and by[("高质量发展", "formulation")] > 0
    assert (frame.groupby("period")["docs"].nunique() == 1).all()  # one denominator per period for every term


def _run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_counts_a_phrase(demo_store):
    code, out, err = _run(
        "counts", "--phrase", "一网通办", "--period", "year", "--format", "csv", "--store", str(demo_store)
    )
    rows = [line.split(",") for line in out.strip().splitlines()]
    header = rows[0]
    mentions = sum(int(r[header.index("mentions")]) for r in rows[1:])
    assert code == 0 and len(rows) > 10 and mentions > 0
    assert {r[header.index("kind")] for r in rows[1:]} == {"phrase"}


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["counts", "--phrase", "一網通辦"], 0, "Note: 一網通辦 read as 一网通办"),
        (["counts", "--phrase", "高质量发展"], 0, "counted as the formulation 高质量发展"),
        (["counts", "--phrase", "没有人写过的短语"], 0, "Warning: 没有人写过的短语: occurs in none of the"),
        (["counts", "--phrase", " "], 2, "--phrase"),
        (["kwic", "--phrase", "五个新城", "--limit", "2"], 0, ""),
        (["kwic", "五个新城", "--phrase", "五个新城"], 2, "give one TERM or one --phrase"),
        (["kwic"], 2, "give one TERM or one --phrase"),
    ],
)
def test_cli_phrase_messages(demo_store, args, code, stderr):
    got, out, err = _run(*args, "--store", str(demo_store))
    assert got == code, err
    assert stderr in err


@pytest.mark.parametrize("kind", ["trend", "heatmap", "map"])
def test_cli_charts_a_phrase(demo_store, tmp_path, kind):
    out = tmp_path / f"{kind}.vl.json"
    code, _, err = _run(
        "chart", kind, "--phrase", "一网通办", "--phrase", "五个新城", "--out", str(out), "--store", str(demo_store)
    )
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "phrase=一网通办,五个新城" in text
    if kind != "map":
        assert "一网通办（短语）" in text  # labelled as an ad-hoc phrase


def _param(at, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def _series(at) -> set[str]:
    from test_dashboard import chart_data

    return {row["formulation"] for row in chart_data(at)}


def test_dashboard_charts_typed_phrases(demo_app):
    at = demo_app(tab="trends", phrase=["一网通办", "五个新城"])
    assert _series(at) == {"一网通办（短语）", "五个新城（短语）"}
    assert _param(at, "phrase") == ["一网通办", "五个新城"]  # the link keeps them
    assert any("加入我的词表：一网通办" in b.label for b in at.button)


def test_dashboard_city_trend(demo_app):
    at = demo_app(tab="trends", city="苏州市", formulation="高质量发展")
    assert not at.error and _series(at) == {"高质量发展"}


@pytest.mark.parametrize(
    ("params", "error", "kept"),
    [
        ({"city": "火星市"}, "火星市：没有这个市", {}),
        ({"city": ["火星市", "苏州市"]}, "火星市：没有这个市", {"city": ["苏州市"]}),
        ({"since": "2023-13-01", "city": "苏州市"}, "不是有效日期", {"city": ["苏州市"]}),
        (
            {"formulation": ["高质量发展", "不存在的提法"]},
            "不存在的提法：不在提法词表中",
            {"formulation": ["高质量发展"]},
        ),
    ],
)
def test_a_wrong_filter_keeps_the_page_usable(demo_app, params, error, kept):
    """The error above the view, the wrong value out of the sidebar and the URL, the rest applied."""
    at = demo_app(tab="trends", **params)
    assert any(error in e.value for e in at.error), [e.value for e in at.error]
    assert at.get("vega_lite_chart"), "the view is still drawn"
    assert at.sidebar.get("multiselect"), "the sidebar is still there"
    for key, values in kept.items():
        assert at.session_state[key] == values
        assert _param(at, key) == values


def test_diffusion_of_a_phrase(demo_store, demo_app):
    """The first use per region of a phrase, on the CLI and in the view."""
    code, out, err = _run("diffusion", "--phrase", "一网通办", "--format", "csv", "--store", str(demo_store))
    rows = out.strip().splitlines()
    assert code == 0 and len(rows) > 10, err
    at = demo_app(tab="diffusion", phrase="一网通办", level="city")
    assert not at.error and at.get("vega_lite_chart")


def test_a_phrase_is_scanned_once_per_store_state(seed_store, tmp_path):
    """The second question about a phrase reads its cached counts; a write to the store (a new
    ingest) makes the next question count again, with the new documents."""
    import shutil

    from analytics.ingest import ingest
    from conftest import SEEDS

    path = tmp_path / "s.duckdb"
    shutil.copy(seed_store, path)
    with store.connect(path, read_only=True) as con:
        first = phrases.store_counts(con, "萍乡")
        assert phrases.store_counts(con, "萍乡") is first and len(first) > 0
        before = trends.counts(con, [], Filters(), "year", "all", phrases=["萍乡"])
    extra = tmp_path / "more"
    extra.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        (extra / f"copy-{seed.name}").write_text(seed.read_text(encoding="utf-8") + "\n萍乡新增一段。",
                                                 encoding="utf-8")
    ingest([extra], path)
    with store.connect(path, read_only=True) as con:
        again = phrases.store_counts(con, "萍乡")
        after = trends.counts(con, [], Filters(), "year", "all", phrases=["萍乡"])
    assert again is not first and len(again) > len(first)
    assert after["mentions"].sum() > before["mentions"].sum()
