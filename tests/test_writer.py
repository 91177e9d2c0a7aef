"""The cheap writer: documents handed over as JSON lines, read back unchanged; a lean writer
process; the writer's memory limit raised for long records; old stores migrated."""

import json
import subprocess
import sys
from datetime import date, datetime

import pytest

from analytics import rows, settings, store
from analytics.discover import _sequence
from analytics.ingest import _Writer, closing_threads, ingest
from analytics.schema import TOKEN_SEP, Document, Quarantined, join_tokens, term_counts
from conftest import SEEDS

FULL = Document(
    doc_id="d1", source_path="a/b.jsonl", record_no=3, site="某县人民政府", url="http://x.gov.cn/1.html",
    title="标题", display_title="标题", summary="摘要", published_at=datetime(2024, 5, 6, 7, 8),
    event_date=date(2024, 5, 5), date=date(2024, 5, 5), date_precision="day", date_evidence="发布时间",
    date_earliest=date(2024, 5, 1), date_latest=date(2024, 5, 31), authors=["甲", "乙"], n_chars=12,
    quality=0.875, corrupt_spans=[{"start": 1, "end": 3, "text": "锟斤"}], text="正文\n第二段",
    province="江西省", city="萍乡市", district="安源区", adcode="360302", region_level="district",
    region_confidence=0.95, region_evidence=[{"signal": "host", "weight": 3}], mentioned_regions={"萍乡市": 2},
    officials=[{"name": "刘烁", "title": "市委书记", "level": "city", "region": "萍乡市"}],
    formulations={"项目为王": 2, "五区": 1}, tokens=join_tokens(["项目为王", "萍乡", "项目为王"]), n_tokens=3,
    terms="项目为王" + TOKEN_SEP + "萍乡", term_counts=[2, 1], content_hash="h", minhash=bytes(range(16)),
)
BARE = Document(doc_id="d2", source_path="c.txt", record_no=0, title="\udcff坏名", text="")


def _plain(value):
    return value.tolist() if hasattr(value, "tolist") and not isinstance(value, str) else value


@pytest.mark.parametrize("doc", [FULL, BARE], ids=["every field", "nothing but an id"])
def test_a_document_reads_back_as_it_was_written(doc, tmp_path):
    with store.connect(tmp_path / "s.duckdb") as con:
        store.write_batch(con, rows.encode([doc, Quarantined("bad.txt", 0, "empty", "nothing")]))
        back = store.documents(con).iloc[0].to_dict()
        quarantine = store.quarantine(con)
        tokens = con.execute("SELECT tokens FROM tokens").fetchone()[0]
        matrix = con.execute("SELECT v.term, d.n FROM dtm d JOIN vocab v USING (term_id) ORDER BY 1").fetchall()
        officials = con.execute("SELECT name, title, level, region FROM doc_officials").fetchall()
        minhash, n_tokens = con.execute("SELECT minhash, n_tokens FROM documents").fetchone()
    assert back["title"] == ("?坏名" if doc is BARE else doc.title)  # a lone surrogate is replaced, not dropped
    fields = ("doc_id", "record_no", "url", "published_at", "event_date", "date", "date_earliest", "date_latest",
              "authors", "quality", "corrupt_spans", "text", "region_confidence", "region_evidence",
              "mentioned_regions", "officials", "formulations", "province", "adcode", "title_derived")
    assert {f: _plain(back[f]) for f in fields} == {f: getattr(doc, f) for f in fields}
    assert tokens == doc.tokens and n_tokens == doc.n_tokens and bytes(minhash) == doc.minhash
    assert matrix == sorted(zip(doc.terms.split(TOKEN_SEP), doc.term_counts, strict=True)) if doc.terms else not matrix
    assert officials == [tuple(o.values()) for o in doc.officials]
    assert quarantine[["source_path", "reason"]].values.tolist() == [["bad.txt", "empty"]]


@pytest.mark.parametrize(
    ("tokens", "terms", "counts"),
    [([], "", []), (["a"], "a", [1]), (["甲", "乙", "甲", "丙", "甲"], TOKEN_SEP.join("甲乙丙"), [3, 1, 1])],
)
def test_term_counts_are_the_documents_row_of_the_matrix(tokens, terms, counts):
    assert term_counts(tokens) == (terms, counts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("512MB", 512 * 10**6), ("64 MB", 64 * 10**6), ("1.5GiB", 3 * 2**29), ("100", 100), ("2KiB", 2048)],
)
def test_sizes_read_as_duckdb_writes_them(text, expected):
    assert settings.parse_bytes(text) == expected


def test_a_size_that_is_not_one_says_so():
    with pytest.raises(ValueError, match="not a size"):
        settings.parse_bytes("lots")


def test_the_ingest_command_and_the_workers_start_without_the_analysis_stack():
    """The writer process must not load pandas while workers run (its memory goes to them),
    and a spawned worker imports only the pipeline."""
    for module in ("analytics.cli", "analytics.pipeline"):
        loaded = subprocess.run(
            [sys.executable, "-c", f"import sys, {module}; print(sorted({{'pandas', 'pyarrow', 'sklearn', "
                                   f"'scipy', 'altair'}} & set(sys.modules)))"],
            capture_output=True, text=True, check=True).stdout.strip()
        assert loaded == "[]", (module, loaded)


def test_a_long_record_raises_the_writers_memory_for_its_batch(tmp_path, monkeypatch):
    """DuckDB's JSON reader needs several times a line's size: a writer kept at 16 MB (which
    no line reads in) still stores a record of 300 000 characters."""
    monkeypatch.setenv("TIFA_WRITER_MEMORY", "16MB")
    long_text = "萍乡市推进项目为王，建设最美转型城市。" * 16_000
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(json.dumps({"title": f"第{i}篇", "text": long_text + str(i)}, ensure_ascii=False)
                              for i in range(2)) + "\n", encoding="utf-8")
    summary = ingest([path], tmp_path / "s.duckdb", workers=1)
    assert (summary.documents, summary.quarantined) == (2, 0)
    assert rows.READ_MEMORY_BASE + rows.READ_MEMORY_PER_BYTE * 900_000 > settings.parse_bytes("16MB")


def test_a_store_with_token_lists_is_migrated_by_a_write_and_read_before(tmp_path):
    path = tmp_path / "old.duckdb"
    ingest([SEEDS], path, workers=1)
    with store.connect(path) as con:  # as an earlier version wrote it
        before = dict(con.execute("SELECT doc_id, tokens FROM tokens").fetchall())
        con.execute(f"ALTER TABLE tokens ALTER tokens TYPE VARCHAR[] USING string_split(tokens, '{TOKEN_SEP}')")
    with store.connect(path, read_only=True) as con:  # read as it is
        lists = dict(con.execute("SELECT doc_id, tokens FROM tokens").fetchall())
    assert {k: _sequence(v) for k, v in lists.items()} == {k: _sequence(v) for k, v in before.items()}
    store.connect(path).close()  # any write connection migrates
    with store.connect(path, read_only=True) as con:
        assert dict(con.execute("SELECT doc_id, tokens FROM tokens").fetchall()) == before


def test_the_writer_appends_row_groups_instead_of_rewriting_the_last_one(tmp_path):
    """Each checkpoint of the ingest's writer stores its batches as new row groups: DuckDB's
    vacuum would merge them into the last one, rewriting it (and holding 2 048 of its texts in
    memory) at every checkpoint."""
    path = tmp_path / "s.duckdb"
    writer = _Writer(path)
    try:
        for batch in range(3):
            with writer.use() as con:
                con.execute("INSERT INTO meta SELECT 'k' || ? || '-' || range, 'v' FROM range(10)", [batch])
            writer._close()  # a checkpoint, as when readers get their turn
    finally:
        writer.close()
    with store.connect(path, read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('meta')").fetchone()[0] >= 3


@pytest.mark.parametrize(("memory", "cpus", "threads"), [
    ("256MB", 2, 1),  # the default: at a million documents two threads fail in 256 MB, one passes
    ("512MB", 2, 2),
    ("4GB", 2, 2),  # never more than the cores
    ("100MB", 4, 1),  # always one
    ("1GB", 8, 4),
])
def test_the_closing_steps_get_one_thread_per_share_of_memory(memory, cpus, threads):
    assert closing_threads(settings.parse_bytes(memory), cpus) == threads
