"""Every command with the wrong inputs people type: one line on stderr, the documented exit
code (2 wrong question, 1 failed run), no traceback, nothing on stdout."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from analytics.cli import main

USAGE, FAILED = 2, 1


def run(capsys, args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("Error: ")]


# (command line with {store}, exit code, text the error line must contain)
WRONG = [
    # impossible or malformed dates
    ("docs --since 2023-13-01 --store {store}", USAGE, "since: '2023-13-01' is not a date (no month 13)"),
    ("counts --until 2023-02-30 --store {store}", USAGE, "until: '2023-02-30' is not a date (no day 30 in 2023-02)"),
    ("docs --since yesterday --store {store}", USAGE, "expected YYYY-MM-DD"),
    ("counts --since 2024-05-01 --until 2024-01-01 --store {store}", USAGE, "since 2024-05-01 is after until"),
    ("compare --a since=2023-13-01 --rest --store {store}", USAGE, "--a: since: '2023-13-01' is not a date"),
    # typos and names that exist nowhere
    ("docs --city 火星市 --store {store}", USAGE, "火星市: no such city. Cities in the store: 萍乡市 (3)"),
    ("counts --city 火星市 --store {store}", USAGE, "火星市: no such city"),
    ("docs --city 萍香市 --store {store}", USAGE, "萍香市: no such city. Did you mean 萍乡市?"),
    ("docs --city 杨州 --store {store}", USAGE, "Did you mean 扬州市?"),
    ("docs --province 江西市 --store {store}", USAGE, "Did you mean 江西省?"),
    (
        "docs --city 高邮市 --store {store}",
        USAGE,
        "高邮市: not a city but a district (county-level unit); use --district",
    ),
    ("docs --district 朝阳 --store {store}", USAGE, "朝阳: several districts go by this name: 朝阳区, 朝阳县"),
    ("docs --site 新华网 --store {store}", USAGE, "新华网: no site of this name in the store. Sites in the store:"),
    ("leaders --official 无此人 --store {store}", USAGE, "无此人: no official of this name in the store"),
    ("leaders --official 刘铄 --store {store}", USAGE, "Did you mean 刘烁?"),
    ("counts --formulation 不存在的提法 --store {store}", USAGE, "不存在的提法: not in the formulation lexicon"),
    ("counts --formulation 高质量 --store {store}", USAGE, "Did you mean 高质量发展?"),
    ("diffusion 不存在 --store {store}", USAGE, "Chart it as a phrase (--phrase 不存在"),
    ("diffusion 不存在 --store {store}", USAGE, "`tifa discover --accept 不存在`"),
    ("kwic 五区 --city 火星市 --store {store}", USAGE, "火星市: no such city"),
    ("discover --city 火星市 --store {store}", USAGE, "火星市: no such city"),
    ("chart trend --city 火星市 --out {tmp}/x.png --store {store}", USAGE, "火星市: no such city"),
    ("compare --a city=火星市 --b city=扬州市 --store {store}", USAGE, "group A (city=火星市): 火星市: no such city"),
    ("compare --a city=萍乡市 --b city=火星市 --store {store}", USAGE, "group B (city=火星市): 火星市: no such city"),
    ("compare --group city=萍乡市 --group city=火星市 --store {store}", USAGE, "group city=火星市: 火星市: no such"),
    ("chart keywords --a city=火星市 --out {tmp}/x.png --store {store}", USAGE, "火星市: no such city"),
    # known names, nothing selected: said so, distinct from a typo
    (
        "docs --city 扬州市 --since 2024-01-01 --until 2024-12-31 --store {store}",
        FAILED,
        "扬州市: 0 documents between 2024-01-01 and 2024-12-31.",
    ),
    ("docs --city 南昌市 --store {store}", FAILED, "南昌市: 0 documents in the store."),
    (
        "counts --since 2030-01-01 --store {store}",
        FAILED,
        "No documents match these filters (since=2030-01-01). The store's dated documents run from 2020-10-18",
    ),
    (
        "docs --city 萍乡市 --site 人民网 --store {store}",
        FAILED,
        "No documents match these filters (city=萍乡市; site=人民网)",
    ),
    # empty or tiny groups: no statistics on nothing
    (
        "compare --a city=扬州市,since=2024-01-01 --b city=萍乡市 --store {store}",
        FAILED,
        "group A (city=扬州市,since=2024-01-01): 扬州市: 0 documents since 2024-01-01.",
    ),
    ("compare --a city=南昌市 --rest --store {store}", FAILED, "南昌市: 0 documents in the store."),
    ("compare --a since=2019-01-01 --rest --store {store}", FAILED, "the rest of the corpus: 0 documents"),
    (
        "compare --a city=萍乡市 --b city=扬州市 --min-tokens 1000 --store {store}",
        FAILED,
        "group B (city=扬州市): 1 document with 556 tokens, fewer than the minimum 1000",
    ),
    (
        "compare --group city=萍乡市 --group city=上饶市 --min-tokens 400 --store {store}",
        FAILED,
        "group city=上饶市: 1 document with 315 tokens, fewer than the minimum 400",
    ),
    ("chart keywords --a since=2019-01-01 --out {tmp}/x.png --store {store}", FAILED, "the rest of the corpus: 0"),
    # unknown keys, options, commands, columns
    ("compare --a town=x --rest --store {store}", USAGE, "--a: unknown filter 'town'."),
    ("compare --a cty=萍乡市 --rest --store {store}", USAGE, "unknown filter 'cty'. Did you mean city? (keys:"),
    ("compare --a 萍乡市 --rest --store {store}", USAGE, "filter '萍乡市': expected key=value"),
    ("compare --a city=萍乡市 --store {store}", USAGE, "give --a with --b or --rest"),
    ("compare --a city=萍乡市 --b city=扬州市 --rest --store {store}", USAGE, "give --b or --rest, not both"),
    ("compare --group city=萍乡市 --store {store}", USAGE, "give two or more --group"),
    ("docs --cty 萍乡市 --store {store}", USAGE, "No such option '--cty'. Did you mean '--city'?"),
    ("dcos --store {store}", USAGE, "No such command 'dcos'"),
    ("docs --columns doc_id,titel --store {store}", USAGE, "--columns: no column 'titel'; did you mean 'title'?"),
    ("counts --period week --store {store}", USAGE, "Invalid value for '--period'"),
    ("docs --format xml --store {store}", USAGE, "Invalid value for '--format'"),
    ("compare --a city=萍乡市 --rest --top 0 --store {store}", USAGE, "Invalid value for '--top'"),
    ("kwic 五区 --width -3 --store {store}", USAGE, "Invalid value for '--width'"),
    ("kwic ' ' --store {store}", USAGE, "kwic: the term is empty"),
    ("chart trend --out {tmp}/x.gif --store {store}", USAGE, "--out must end in .png, .svg or .vl.json"),
    ("discover --accept 五区 --store {store}", USAGE, "'五区' is already in the lexicon (formulations.toml)"),
    # stores: missing, not a store, another version, unwritable output
    ("docs --store {tmp}/missing.duckdb", USAGE, "no store at {tmp}/missing.duckdb: check --store, or build one"),
    ("counts --store {tmp}/missing.duckdb", USAGE, "no store at"),
    ("compare --a city=萍乡市 --rest --store {tmp}/missing.duckdb", USAGE, "no store at"),
    ("discover --accept 新提法 --store {tmp}/missing.duckdb", USAGE, "no store at"),
    ("quarantine --store {tmp}/missing.duckdb", USAGE, "no store at"),
    ("docs --store {tmp}/text.duckdb", FAILED, "cannot open store"),
    ("docs --store {tmp}", FAILED, "cannot open store"),
    ("docs --store {tmp}/other.duckdb", FAILED, "is a DuckDB file but not a Tifa store"),
    ("docs --store {tmp}/old.duckdb", FAILED, "has schema version 0, this Tifa reads 3; rebuild it with `tifa ingest"),
    ("counts --store {tmp}/older.duckdb", FAILED, "was made by an older version of Tifa (no dtm table)"),
    ("ingest {seeds} --store {tmp}/old.duckdb", FAILED, "has schema version 0"),
    ("chart trend --out {tmp}/no/such/dir/x.png --store {store}", FAILED, "No such file or directory"),
    ("ingest {tmp}/no_such_folder --store {tmp}/new.duckdb", USAGE, "no such file or folder: {tmp}/no_such_folder"),
    ("lexicon --lexicon {tmp}/broken.toml", FAILED, "broken.toml"),
    ("eval --corpora {tmp}/no_corpora", USAGE, "Invalid value for '--corpora'"),
]


@pytest.fixture(scope="module")
def stores(seed_store, tmp_path_factory):
    """The seed store and broken ones beside it: not a database, another DuckDB file, an
    older schema version, a store missing a table."""
    import shutil

    tmp = tmp_path_factory.mktemp("wrong")
    (tmp / "text.duckdb").write_text("this is not a database", encoding="utf-8")
    (tmp / "broken.toml").write_text("[[formulation]]\ncanonical = 五区\n", encoding="utf-8")
    with duckdb.connect(str(tmp / "other.duckdb")) as con:
        con.execute("CREATE TABLE t (x INTEGER)")
    shutil.copy(seed_store, tmp / "old.duckdb")
    with duckdb.connect(str(tmp / "old.duckdb")) as con:
        con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    shutil.copy(seed_store, tmp / "older.duckdb")
    with duckdb.connect(str(tmp / "older.duckdb")) as con:
        con.execute("DROP TABLE dtm")
    return {"store": seed_store, "tmp": tmp}


@pytest.mark.parametrize(("line", "code", "message"), WRONG, ids=[w[0][:60] for w in WRONG])
def test_wrong_input_gets_one_clear_line(stores, capsys, line, code, message):
    import shlex

    from conftest import SEEDS

    fill = {"store": stores["store"], "tmp": stores["tmp"], "seeds": SEEDS}
    args = [a.format(**fill) for a in shlex.split(line)]
    got, out, err = run(capsys, args)
    assert "Traceback" not in err
    errors = error_lines(err)
    assert len(errors) == 1, err
    assert message.format(**fill) in errors[0]
    assert got == code, err
    assert out == ""


@pytest.mark.parametrize(
    ("line", "note"),
    [
        ("docs --city 萍乡 --format csv --store {store}", "Note: 萍乡 read as 萍乡市."),
        ("docs --province 江西 --format csv --store {store}", "Note: 江西 read as 江西省."),
        ("docs --district 高邮 --format csv --store {store}", "Note: 高邮 read as 高邮市."),
        ("compare --a city=萍乡 --b city=扬州市 --format csv --store {store}", "Note: group A (city=萍乡): 萍乡 read"),
        (
            "counts --city 扬州市 --formulation 五区 --format csv --store {store}",
            "Warning: 五区: mentioned in none of the 1 documents with city=扬州市.",
        ),
        ("diffusion 五区 --city 扬州市 --format csv --store {store}", "Warning: 五区: mentioned in none of the 1"),
        ("kwic 老树发新枝 --city 扬州市 --format csv --store {store}", "Note: 老树发新枝 does not occur"),
        ("docs --city 萍乡市 --city 南昌市 --format csv --store {store}", "Warning: 南昌市: 0 documents in the store."),
    ],
)
def test_answered_with_a_note(stores, capsys, line, note):
    import shlex

    args = [a.format(store=stores["store"]) for a in shlex.split(line)]
    code, out, err = run(capsys, args)
    assert code == 0 and note in err and "Error" not in err
    assert out  # the answer is still given


def test_short_form_gives_the_same_answer_as_the_full_name(stores, capsys):
    common = ["--format", "csv", "--columns", "doc_id", "--store", str(stores["store"])]
    _, full, _ = run(capsys, ["docs", "--city", "萍乡市", *common])
    _, short, _ = run(capsys, ["docs", "--city", "萍乡", *common])
    assert short == full and len(full.splitlines()) == 4


def test_a_store_held_by_a_writer_is_busy(stores, capsys, tmp_path):
    import shutil

    path = tmp_path / "busy.duckdb"
    shutil.copy(stores["store"], path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("holding", flush=True)
            time.sleep(60)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        code, out, err = run(capsys, ["docs", "--store", str(path)])
    finally:
        holder.kill()
        holder.wait()
    assert code == FAILED and out == "" and "Traceback" not in err
    (line,) = error_lines(err)
    assert f"store {path} is busy: another process (PID {holder.pid}) is writing it; wait until it finishes" in line


@pytest.mark.parametrize("debug", ["flag", "env", None])
def test_unexpected_errors_show_a_traceback_only_when_asked(stores, capsys, monkeypatch, debug):
    from analytics import officials_index

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(officials_index, "officials", broken)  # a bug, not a user's mistake
    args = ["leaders", "--store", str(stores["store"])]
    if debug == "flag":
        args.insert(0, "--debug")
    if debug == "env":
        monkeypatch.setenv("TIFA_DEBUG", "1")
    code, out, err = run(capsys, args)
    assert code == FAILED
    (line,) = error_lines(err)
    assert line.startswith("Error: unexpected ZeroDivisionError: division by zero (this is a bug: run again with")
    assert ("Traceback" in err) == (debug is not None)


def test_debug_is_documented_in_the_help(capsys):
    code, out, _ = run(capsys, ["--help"])
    assert code == 0 and "--debug" in out and "TIFA_DEBUG" in out


def test_python_m_exit_codes_and_no_traceback(stores):
    """The real process: stderr holds the one line and the shell sees the code."""
    for args, expected in [
        (["docs", "--since", "2023-13-01"], USAGE),
        (["docs", "--city", "南昌市"], FAILED),
        (["docs", "--city", "萍乡", "--format", "csv", "--columns", "doc_id"], 0),
    ]:
        result = subprocess.run(
            [sys.executable, "-m", "analytics", *args, "--store", str(stores["store"])], capture_output=True, text=True
        )
        assert result.returncode == expected, result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_jsonl_writes_an_empty_share_as_null(capsys):
    import json

    import pandas as pd

    from analytics.cli import _echo_frame
    from analytics.trends import add_measures

    frame = add_measures(
        pd.DataFrame({"docs": [0, 4], "chars": [0, 400], "docs_mentioning": [0, 1], "mentions": [0, 2]})
    )
    _echo_frame(frame, "jsonl")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["share"] for r in rows] == [None, 0.25]
    assert rows[0]["share_lo"] is None and rows[0]["per10k"] is None and rows[0]["value"] is None
