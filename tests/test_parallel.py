"""Serial, local-process and Dask ingests produce the same store."""

import pytest

from analytics import store
from analytics.ingest import ingest
from conftest import CORPORA, SEEDS

TABLES = {
    "documents": "SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY doc_id",
    "formulation_counts": "SELECT * FROM formulation_counts ORDER BY ALL",
    "doc_officials": "SELECT * FROM doc_officials ORDER BY ALL",
    "tokens": "SELECT * FROM tokens ORDER BY doc_id",
    "dtm": "SELECT d.doc_id, v.term, m.n FROM dtm m JOIN vocab v USING (term_id) JOIN documents d USING (doc_no) "
           "ORDER BY ALL",
    "quarantine": "SELECT * EXCLUDE (seen_at) FROM quarantine ORDER BY ALL",
}


def snapshot(path):
    with store.connect(path, read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}


@pytest.fixture(scope="module", autouse=True)
def small_batches():
    """Write batches of ~20 000 characters: the inputs below make several, so the pool and the
    cluster really share them (one batch would be processed in the calling process)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIFA_BATCH_CHARS", "20000")
        yield


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The seeds plus, where available, 120 Shanghai documents: several batches."""
    import json
    import shutil

    folder = tmp_path_factory.mktemp("inputs")
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, folder / p.name)
    if (CORPORA / "shanghai_docs.jsonl").exists():
        lines = open(CORPORA / "shanghai_docs.jsonl", encoding="utf-8").read().splitlines()[:120]
        (folder / "shanghai.jsonl").write_text(
            "\n".join(json.dumps({"text": json.loads(x)["text"], "title": json.loads(x)["title"]},
                                 ensure_ascii=False) for x in lines) + "\n{broken\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def serial(inputs, tmp_path_factory):
    path = tmp_path_factory.mktemp("serial") / "s.duckdb"
    ingest([inputs], path, workers=1)
    return snapshot(path)


def test_local_processes_equal_serial(inputs, serial, tmp_path):
    ingest([inputs], tmp_path / "p.duckdb", workers=2)
    assert snapshot(tmp_path / "p.duckdb") == serial


def test_dask_local_cluster_equals_serial(inputs, serial, tmp_path):
    pytest.importorskip("distributed")
    ingest([inputs], tmp_path / "d.duckdb", dask="local:2")
    assert snapshot(tmp_path / "d.duckdb") == serial
