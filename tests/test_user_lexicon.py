"""The user lexicon: entries validated before they are written, written by a TOML library,
and a broken file reported (path and line) and skipped instead of breaking every command."""

from __future__ import annotations

import pytest

from analytics import formulations as lex
from analytics.cli import main


@pytest.fixture
def user_lexicon(tmp_path, monkeypatch):
    path = tmp_path / "user" / "user_lexicon.toml"
    monkeypatch.setenv("TIFA_USER_LEXICON", str(path))
    lex.load_lexicon.cache_clear()
    yield path
    lex.load_lexicon.cache_clear()


@pytest.mark.parametrize(
    "term",
    ["坏\n词", "坏\r词", "坏\t词", "坏\x00词", "坏\u2028词", " 前后空格", "词", "长" * 41, "零宽\u200b空格"],
)
def test_invalid_terms_are_refused(user_lexicon, term):
    with pytest.raises(ValueError):
        lex.append_user_entry(lex.Formulation(term))
    assert not user_lexicon.exists()


@pytest.mark.parametrize("term", ["老树发新枝", '带"引号"的词', "反斜杠\\词", "4+2", "“三个一批”", "A B 两个词"])
def test_valid_terms_round_trip(user_lexicon, term):
    lex.append_user_entry(lex.Formulation(term, kind="image", meaning='含"引号"与\\'))
    lex.append_user_entry(lex.Formulation("第二个词"))
    entries = lex.parse_lexicon(user_lexicon)
    assert [(e.canonical, e.kind) for e in entries] == [(term, "image"), ("第二个词", "slogan")]
    assert entries[0].meaning == '含"引号"与\\'


def test_user_comments_are_kept(user_lexicon):
    user_lexicon.parent.mkdir(parents=True)
    user_lexicon.write_text('# mine\n[[formulation]]\ncanonical = "甲乙丙"\n', encoding="utf-8")
    lex.append_user_entry(lex.Formulation("丁戊己"))
    text = user_lexicon.read_text(encoding="utf-8")
    assert text.startswith("# mine\n") and [e.canonical for e in lex.parse_lexicon(user_lexicon)] == [
        "甲乙丙",
        "丁戊己",
    ]


def test_a_broken_user_lexicon_is_reported_and_skipped(user_lexicon, seed_store, tmp_path, capsys, caplog):
    import shutil

    store = shutil.copy(seed_store, tmp_path / "store.duckdb")  # its own store, not data/store.duckdb
    user_lexicon.parent.mkdir(parents=True)
    user_lexicon.write_text('[[formulation]]\ncanonical = "坏\n词"\n', encoding="utf-8")
    assert main(["lexicon", "--format", "csv"]) == 0  # every command keeps working
    out = capsys.readouterr().out
    assert "高质量发展" in out
    assert str(user_lexicon) in caplog.text and "line 2" in caplog.text
    assert main(["discover", "--accept", "新的提法", "--store", str(store)]) == 1  # never appended to a broken file
    assert "line 2" in capsys.readouterr().err


def test_the_newline_entry_costs_only_itself(user_lexicon, tmp_path, capsys):
    from conftest import SEEDS

    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(SEEDS), "--store", str(db)]) == 0
    assert main(["discover", "--accept", "老树\n发新枝", "--store", str(db)]) == 2  # a usage error
    assert "line breaks" in capsys.readouterr().err
    assert main(["discover", "--accept", "老树发新枝", "--kind", "image", "--store", str(db)]) == 0
    assert main(["docs", "--formulation", "老树发新枝", "--store", str(db), "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2  # the "added" line and one document
