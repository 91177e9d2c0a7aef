"""A store made with schema 2 (matrix keyed by doc_id, documents unnumbered) is upgraded in
place: by `tifa upgrade`, or by the next ingest into it. Its documents and sums are kept."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from analytics import store
from analytics.cli import main

MATRIX = ("SELECT d.doc_id, v.term, m.n FROM dtm m JOIN documents d USING (doc_no) JOIN vocab v USING (term_id) "
          "ORDER BY ALL")


def _as_schema_2(path) -> None:
    """Turn a current store into what schema 2 wrote: dtm (doc_id, term_id, n) in no particular
    order, no doc_no in documents, formulation_counts and doc_officials."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE old_dtm AS SELECT d.doc_id, m.term_id, m.n FROM dtm m JOIN documents d "
                    "USING (doc_no) ORDER BY hash(d.doc_id, m.term_id)")
        con.execute("DROP TABLE dtm")
        con.execute("ALTER TABLE old_dtm RENAME TO dtm")
        for table in ("documents", "formulation_counts", "doc_officials"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN doc_no")
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


@pytest.fixture
def old_store(seed_store, tmp_path):
    path = tmp_path / "v2.duckdb"
    shutil.copy(seed_store, path)
    _as_schema_2(path)
    return path


def _snapshot(path) -> dict:
    with store.connect(path, read_only=True) as con:
        return {"matrix": con.execute(MATRIX).fetchall(),
                "numbers": con.execute("SELECT doc_id, doc_no FROM documents ORDER BY doc_no").fetchall(),
                "counts": con.execute("SELECT * FROM formulation_counts ORDER BY ALL").fetchall(),
                "officials": con.execute("SELECT * FROM doc_officials ORDER BY ALL").fetchall(),
                "sums": con.execute("SELECT * FROM term_districts ORDER BY ALL").fetchall()}


def test_reading_an_old_store_says_how_to_upgrade(old_store, capsys):
    assert main(["docs", "--store", str(old_store)]) == 1
    err = capsys.readouterr().err
    assert "has schema version 2, this Tifa reads 3; upgrade it in place with `tifa upgrade --store" in err


def test_upgrade_keeps_the_documents_and_their_matrix(seed_store, old_store, capsys):
    assert store.upgradable(old_store) == "2"
    assert main(["upgrade", "--store", str(old_store)]) == 0
    assert "from schema 2 to 3" in capsys.readouterr().out
    assert store.upgradable(old_store) is None
    assert _snapshot(old_store) == _snapshot(seed_store)
    with store.connect(old_store, read_only=True) as con:
        numbers = [r[0] for r in con.execute("SELECT doc_no FROM dtm").fetchall()]
    assert numbers == sorted(numbers), "the matrix is stored in document order"
    assert main(["upgrade", "--store", str(old_store)]) == 0
    assert "is up to date (schema 3)" in capsys.readouterr().out


def test_an_ingest_into_an_old_store_upgrades_it_first(seed_store, old_store, capsys):
    from conftest import SEEDS

    assert main(["ingest", str(SEEDS), "--store", str(old_store)]) == 0
    assert "upgrading the store" in capsys.readouterr().err
    assert _snapshot(old_store) == _snapshot(seed_store)


def test_a_store_too_old_to_upgrade_is_left_alone(seed_store, tmp_path, capsys):
    path = tmp_path / "v0.duckdb"
    shutil.copy(seed_store, path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    assert store.upgradable(path) is None
    assert main(["upgrade", "--store", str(path)]) == 1
    assert "rebuild it" in capsys.readouterr().err


def test_compacting_keeps_the_rows_in_write_order(seed_store, tmp_path):
    """The ingest's last step rewrites the tables read by document number; their rows and their
    order (document numbers ascending) are kept."""
    path = tmp_path / "c.duckdb"
    shutil.copy(seed_store, path)

    def rows():
        with store.connect(path, read_only=True) as con:
            return {t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in store.KEYED_TABLES}

    before = rows()
    assert [r[0] for r in before["dtm"]] == sorted(r[0] for r in before["dtm"])
    with store.connect(path) as con:
        store.compact_keyed_tables(con)
    assert rows() == before
