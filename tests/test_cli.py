"""The CLI in-process: main([...]) with the real store."""

import json

import pytest

from analytics.cli import cli, main


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ingest_summary_and_exit_code(tmp_path, capsys):
    from conftest import SEEDS

    code, out, _ = run(capsys, "ingest", str(SEEDS), "--store", str(tmp_path / "s.duckdb"))
    assert code == 0
    assert out.splitlines()[0] == "files 5 · documents 5 · duplicates 0 · quarantined 0"


def test_ingest_of_nothing_readable_fails_with_a_reason(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    code, out, err = run(capsys, "ingest", str(tmp_path / "in"), "--store", str(tmp_path / "s.duckdb"))
    assert code == 1
    assert "nothing could be read" in err
    assert "quarantined empty: 1" in out


def test_store_that_cannot_be_opened(tmp_path, capsys):
    bad = tmp_path / "not_a_db.duckdb"
    bad.write_text("this is not a database", encoding="utf-8")
    from conftest import SEEDS

    code, _, err = run(capsys, "ingest", str(SEEDS), "--store", str(bad))
    assert code == 1
    assert err.startswith("Error: cannot open store")
    assert len(err.strip().splitlines()) == 1


def test_broken_lexicon_names_the_line(tmp_path, capsys):
    from conftest import SEEDS

    lex = tmp_path / "mine.toml"
    lex.write_text("[[formulation]]\ncanonical = 五区\n", encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(SEEDS), "--store", str(tmp_path / "s.duckdb"), "--lexicon", str(lex))
    assert code == 1 and "line 2" in err


def test_docs_jsonl_has_the_documented_columns(seed_store, capsys):
    code, out, _ = run(capsys, "docs", "--store", str(seed_store), "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 5
    from analytics.schema import DOC_COLUMNS

    assert set(DOC_COLUMNS) <= set(rows[0])
    by_title = {r["title"]: r for r in rows}
    doc = by_title["扬州市委书记王进健赴高邮市调研"]
    assert doc["date"] == "2023-06-03" and doc["date_precision"] == "inferred"
    assert doc["district"] == "高邮市" and doc["formulations"]["项目为王"] == 1
    assert by_title[None]["title_derived"] is True


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["docs", "--city", "萍乡市", "--format", "csv"], 4),  # header + 3 documents
        (["docs", "--district", "高邮市", "--format", "csv"], 2),
        (["docs", "--since", "2023-01-01", "--format", "csv"], 4),
        (["docs", "--formulation", "五区", "--format", "csv"], 3),
        (["docs", "--official", "刘烁", "--format", "csv"], 3),
        (["docs", "--site", "人民网", "--format", "csv"], 2),
    ],
)
def test_filters(seed_store, capsys, args, expected):
    import csv
    import io

    code, out, _ = run(capsys, *args, "--store", str(seed_store))
    assert code == 0
    assert len(list(csv.reader(io.StringIO(out)))) == expected


def test_counts_csv(seed_store, capsys):
    code, out, _ = run(capsys, "counts", "--store", str(seed_store), "--formulation", "五区", "--level", "city",
                       "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert code == 0
    assert {"period", "region", "docs", "chars", "docs_mentioning", "share", "share_lo", "share_hi",
            "per10k", "small_sample"} <= set(header)


def test_kwic_sorted_by_date(seed_store, capsys):
    code, out, _ = run(capsys, "kwic", "高质量发展", "--store", str(seed_store), "--format", "jsonl", "--width", "5")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert all(r["match"] == "高质量发展" and len(r["left"]) <= 5 for r in rows)


def test_compare_columns_and_sides(seed_store, capsys):
    code, out, _ = run(capsys, "compare", "--a", "city=萍乡市", "--b", "city=扬州市", "--top", "5",
                       "--min-count", "2", "--rank", "z", "--store", str(seed_store), "--format", "csv")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "term,score,log_ratio,z,q,count_a,count_b,per10k_a,per10k_b"
    assert len(lines) == 11


def test_compare_needs_groups(seed_store, capsys):
    code, _, err = run(capsys, "compare", "--a", "city=萍乡市", "--store", str(seed_store))
    assert code != 0 and "--rest" in err


def test_bad_filter_spec(seed_store, capsys):
    code, _, err = run(capsys, "compare", "--a", "town=x", "--rest", "--store", str(seed_store))
    assert code == 2 and "unknown filter 'town'" in err


def test_diffusion_discover_leaders(seed_store, capsys):
    code, out, _ = run(capsys, "diffusion", "高质量发展", "--store", str(seed_store))
    assert code == 0 and "first: 萍乡市" in out
    code, out, _ = run(capsys, "discover", "--store", str(seed_store), "--format", "jsonl", "--source", "quoted")
    cands = {json.loads(line)["candidate"] for line in out.splitlines()}
    assert code == 0 and {"老树发新枝", "强引擎"} <= cands and "五区" not in cands
    code, out, _ = run(capsys, "discover", "--store", str(seed_store), "--format", "jsonl", "--source", "numbered")
    assert "三大专项行动" in {json.loads(line)["candidate"] for line in out.splitlines()}
    code, out, _ = run(capsys, "leaders", "--store", str(seed_store), "--formulation", "主题教育", "--format", "csv")
    assert code == 0 and "何党生" in out


def test_accepting_a_candidate_recounts(tmp_path, capsys, monkeypatch):
    from analytics import formulations
    from conftest import SEEDS

    db = tmp_path / "s.duckdb"
    run(capsys, "ingest", str(SEEDS), "--store", str(db))
    monkeypatch.setenv("TIFA_USER_LEXICON", str(tmp_path / "user_lexicon.toml"))
    code, out, _ = run(capsys, "discover", "--accept", "老树发新枝", "--kind", "image", "--store", str(db))
    assert code == 0 and "recounted 5" in out
    assert (tmp_path / "user_lexicon.toml").exists()
    code, out, _ = run(capsys, "docs", "--formulation", "老树发新枝", "--store", str(db), "--format", "jsonl")
    assert len(out.splitlines()) == 1
    monkeypatch.delenv("TIFA_USER_LEXICON")
    formulations.load_lexicon.cache_clear()


def test_python_m_entry_point(seed_store):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "analytics", "docs", "--store", str(seed_store), "--format",
                             "csv", "--columns", "doc_id"], capture_output=True, text=True, check=True)
    assert len(result.stdout.splitlines()) == 6


def test_every_command_is_documented_in_the_readme():
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"tifa {name}" in readme, f"`tifa {name}` is not in the README"


def test_exit_codes_are_documented_in_the_readme():
    from analytics.cli import RUN_FAILED, USAGE_ERROR
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Wrong questions, errors and exit codes", 1)[1].split("\n### ", 1)[0]
    for code in (0, RUN_FAILED, USAGE_ERROR):
        assert f"\n| {code} |" in section
    assert "--debug" in section and "TIFA_DEBUG=1" in section and "--min-tokens" in section


def test_store_connections_draw_no_progress_bar(seed_store):
    """DuckDB draws a progress bar on stdout for a query over 2 s (a phrase at a million
    documents): it would land in `tifa counts … --format csv > out.csv`."""
    from analytics import store

    with store.connect(seed_store, read_only=True) as con:
        assert con.execute("SELECT current_setting('enable_progress_bar')").fetchall()[0][0] is False
