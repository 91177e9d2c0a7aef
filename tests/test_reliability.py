"""Crash safety (SIGKILL mid-ingest) and concurrent reads during an ingest, with real processes."""

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from analytics import store, trends
from analytics.ingest import ingest
from analytics.store import Filters
from conftest import REPO, SEEDS
from test_parallel import snapshot

PER_FILE = 750


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory):
    """6 000 distinct documents in several files (seed paragraphs recombined): an ingest of
    several seconds, so that a kill lands mid-way even though the writer lets readers in only
    between holds of 1–3 s (with 3 000, a quiet machine sometimes finished before the poll got in)."""
    import random

    rng = random.Random(7)
    paras = [p.strip() for f in SEEDS.glob("*.txt") for p in f.read_text(encoding="utf-8").split("\n")
             if len(p.strip()) > 40]
    folder = tmp_path_factory.mktemp("big")
    for f in range(8):
        with open(folder / f"part-{f}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(PER_FILE):
                text = f"{i + PER_FILE * f}号：" + "\n".join(rng.sample(paras, 4))
                fh.write(json.dumps({"text": text, "date": f"2022-{1 + i % 12:02d}-01"}, ensure_ascii=False) + "\n")
    return folder


def _count(path, retries: int = 50) -> int:
    try:
        with store.connect(path, read_only=True, retries=retries) as con:  # a writer's hold lasts up to 3 s
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except store.StoreError:
        return -1


def _kill_mid_way(cmd: list[str], db) -> int:
    """Start the ingest, SIGKILL it once its first batch is stored and its workers run (each look
    waits at most 1 s, so the run cannot end meanwhile); check that the workers end too; return
    the documents stored."""
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    workers: list = []
    while time.time() < deadline and proc.poll() is None:
        workers = psutil.Process(proc.pid).children(recursive=True)
        if workers and _count(db, retries=10) > 0:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest ended before the kill: make the corpus larger"
    workers = psutil.Process(proc.pid).children(recursive=True) or workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert workers and not alive, f"the workers of a killed ingest must end ({len(workers)} seen, {len(alive)} alive)"
    return _count(db)


def test_sigkill_mid_ingest_leaves_only_complete_documents(big_folder, tmp_path, monkeypatch):
    monkeypatch.setenv("TIFA_BATCH_CHARS", "20000")  # batches of ~40 documents: the kill lands between two
    db = tmp_path / "crash.duckdb"
    cmd = [sys.executable, "-m", "analytics", "ingest", str(big_folder), "--store", str(db)]
    partial = _kill_mid_way(cmd, db)
    assert 0 < partial < 8 * PER_FILE, "the kill should land mid-way"
    with store.connect(db, read_only=True) as con:
        orphans = con.execute("""
            SELECT count(*) FROM documents d
            WHERE d.doc_id NOT IN (SELECT doc_id FROM tokens)
               OR (d.n_tokens > 0 AND d.doc_no NOT IN (SELECT doc_no FROM dtm))""").fetchone()[0]
        counted = con.execute("SELECT count(DISTINCT doc_id) FROM formulation_counts").fetchone()[0]
    assert orphans == 0
    assert counted <= partial
    # re-running the same command completes the rest, equal to an uninterrupted run
    assert subprocess.run(cmd, cwd=REPO, capture_output=True).returncode == 0
    clean = tmp_path / "clean.duckdb"
    ingest([big_folder], clean)
    assert snapshot(db) == snapshot(clean)


def test_queries_keep_working_during_an_ingest(big_folder, tmp_path):
    db = tmp_path / "busy.duckdb"
    ingest([SEEDS], db)  # something to read from the start
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "ingest", str(big_folder), "--store", str(db)],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ok, errors = 0, []
    while proc.poll() is None:
        try:
            with store.connect(db, read_only=True) as con:
                trends.counts(con, ["高质量发展"], Filters(), "year", "all")
            ok += 1
        except Exception as exc:  # noqa: BLE001 - any error here is the failure under test
            errors.append(repr(exc))
        time.sleep(0.05)
    assert proc.returncode == 0, proc.stderr.read()
    assert errors == []
    assert ok >= 5


def test_sigkill_mid_stream_of_one_big_file_then_rerun(big_folder, tmp_path, monkeypatch):
    """One gzipped JSONL of 6 000 records, read record by record: killed half-way, the same
    command again stores every record once, and says how many the file held."""
    import gzip

    monkeypatch.setenv("TIFA_BATCH_CHARS", "20000")
    big = tmp_path / "all.jsonl.gz"
    with gzip.open(big, "wt", encoding="utf-8") as fh:
        for part in sorted(big_folder.glob("*.jsonl")):
            fh.write(part.read_text(encoding="utf-8"))
    db = tmp_path / "stream.duckdb"
    cmd = [sys.executable, "-m", "analytics", "ingest", str(big), "--store", str(db)]
    partial = _kill_mid_way(cmd, db)
    assert 0 < partial < 8 * PER_FILE
    rerun = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"records in all.jsonl.gz: {8 * PER_FILE:,}" in rerun.stdout
    with store.connect(db, read_only=True) as con:
        rows, ids, places = con.execute(
            "SELECT count(*), count(DISTINCT doc_id), count(DISTINCT (source_path, record_no)) FROM documents"
        ).fetchone()
    assert rows == ids == places == 8 * PER_FILE
