"""The embedded DuckDB store: the one place that reads and writes it.

Tables (columns documented in ``schema.DOC_COLUMNS`` for documents):

* ``documents``          one row per document, duplicates included (``duplicate_of`` set)
* ``formulation_counts`` (doc_id, formulation, n, doc_no)
* ``doc_officials``      (doc_id, name, title, level, region, doc_no)
* ``tokens``             (doc_id, tokens VARCHAR) content tokens after stopwords, in text order,
                         joined by ``schema.TOKEN_SEP``
* ``vocab`` / ``dtm``    term ids and the sparse document–term matrix (doc_no, term_id, n), keyed by
                         ``documents.doc_no`` (the document's number in write order) and stored in
                         that order, so summing the rows of a few thousand documents reads only
                         their blocks
* ``quarantine``         inputs that did not become documents, with the reason
* ``term_stats`` / ``term_groups`` / ``term_districts`` / ``term_years`` / ``term_months`` /
  ``term_officials``  term counts summed at ingest (corpus, year × city, year × district, year,
  month, year × official for the officials in the most documents: ``officials_summed``)
* ``meta``               key/value: lexicon version, last ingest time
* ``run_inputs``         (run, doc_id) inputs seen by the ingest under way (emptied when it ends)

Every batch of documents is written in one transaction with its counts and tokens, so a
killed ingest leaves only complete documents behind.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from . import settings
from .lazy import lazy_module
from .resources import user_files_dir
from .rows import DOC_FIELDS, JSON_COLUMNS, LINE_TYPES, Rows
from .schema import DOC_COLUMNS, TOKEN_SEP

DEFAULT_STORE = settings.get_path("TIFA_STORE") or user_files_dir() / "store.duckdb"
SCHEMA_VERSION = "3"  # 2: date ranges, officials index, district term sums; 3: documents numbered, dtm by number
UPGRADABLE = ("2",)  # versions a write connection brings up to date in place (``_migrate``)
MEMORY_LIMIT = settings.get("TIFA_DUCKDB_MEMORY")
pd = lazy_module("pandas")  # not loaded by an ingest until its closing steps (its workers need the memory)

# No key indexes on the large tables: an ingest writes each doc_id once (it skips inputs stored
# or in flight, tests/test_ingest.py), and DuckDB's key indexes made every insert and every
# checkpoint of a million-document store slower. Stores made earlier keep theirs.
_DDL = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR, source_path VARCHAR, record_no INTEGER, site VARCHAR,
    channel VARCHAR, origin VARCHAR, url VARCHAR, title VARCHAR, title_derived BOOLEAN,
    display_title VARCHAR, summary VARCHAR, published_at TIMESTAMP, event_date DATE,
    date DATE, date_precision VARCHAR, date_evidence VARCHAR, authors VARCHAR[],
    n_chars INTEGER, quality DOUBLE, corrupt_spans VARCHAR, duplicate_of VARCHAR,
    text VARCHAR, encoding VARCHAR, province VARCHAR, city VARCHAR, district VARCHAR,
    zone VARCHAR, adcode VARCHAR, region_level VARCHAR, region_confidence DOUBLE,
    region_evidence VARCHAR, region_candidates VARCHAR, mentioned_regions VARCHAR,
    officials VARCHAR, content_hash VARCHAR, minhash BLOB, n_tokens INTEGER,
    ingested_at TIMESTAMP, date_earliest DATE, date_latest DATE, doc_no INTEGER
);
ALTER TABLE documents ADD COLUMN IF NOT EXISTS date_earliest DATE;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS date_latest DATE;
CREATE TABLE IF NOT EXISTS formulation_counts (doc_id VARCHAR, formulation VARCHAR, n INTEGER, doc_no INTEGER);
CREATE TABLE IF NOT EXISTS doc_officials (
    doc_id VARCHAR, name VARCHAR, title VARCHAR, level VARCHAR, region VARCHAR, doc_no INTEGER);
CREATE TABLE IF NOT EXISTS tokens (doc_id VARCHAR, tokens VARCHAR);
CREATE TABLE IF NOT EXISTS vocab (term_id INTEGER, term VARCHAR);
CREATE TABLE IF NOT EXISTS dtm (doc_no INTEGER, term_id INTEGER, n INTEGER);
CREATE TABLE IF NOT EXISTS quarantine (
    source_path VARCHAR, record_no INTEGER, reason VARCHAR, detail VARCHAR, seen_at TIMESTAMP,
    PRIMARY KEY (source_path, record_no));
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS run_inputs (run VARCHAR, doc_id VARCHAR);
"""

class StoreError(RuntimeError):
    """The store cannot be opened or written; the message is meant for the user."""


def connect(path: Path | str = DEFAULT_STORE, read_only: bool = False, retries: int = 150):
    """Open the store; an open waits (retrying every 0.1 s, 15 s by default) while a writer holds it:
    an ingest holds it for a few seconds at a time (see ingest._Writer), then lets readers in."""
    path = Path(path)
    if read_only and not path.exists():
        raise StoreError(f"no store at {path}: run `tifa ingest` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    last: Exception | None = None
    for _ in range(retries):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")  # the buffer pool must not grow with the store
            # DuckDB draws a progress bar on stdout for queries over 2 s: it would land in `tifa … > out.csv`
            con.execute("SET enable_progress_bar = false")
            if not read_only:
                con.execute(_DDL)
                _migrate(con)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
                )
            return con
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():  # not a DuckDB file, unreadable, disk full…
                raise StoreError(f"cannot open store {path}: {str(exc).splitlines()[0]}") from exc
            last = exc  # another process holds the write lock: wait and retry
            time.sleep(0.1)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
    holder = re.search(r"\(PID \d+\)", str(last))
    raise StoreError(f"store {path} is busy: another process {holder.group() + ' ' if holder else ''}is writing it; "
                     "wait until it finishes (an ingest or a recount) and try again")


def _migrate(con) -> None:
    """Bring a store made by an earlier version up to date where that needs no re-ingest:
    token sequences were lists (VARCHAR[]), they are one joined string (``schema.TOKEN_SEP``)."""
    kind = con.execute("SELECT data_type FROM duckdb_columns() WHERE table_name = 'tokens' "
                       "AND column_name = 'tokens'").fetchone()
    if kind and kind[0] == "VARCHAR[]":
        con.execute(f"ALTER TABLE tokens ALTER tokens TYPE VARCHAR USING array_to_string(tokens, '{TOKEN_SEP}')")
    _number_documents(con)


def _number_documents(con) -> None:
    """Schema 2 → 3: number the documents in the order they were written (``doc_no``), give the
    number to the tables keyed by document, and key the matrix by it, in that order. Rewrites the
    matrix once (a minute at a million documents); a store that has it all is left alone."""
    keyed = ("documents", "formulation_counts", "doc_officials")
    columns = {(t, c) for t, c in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN "
        "('documents', 'formulation_counts', 'doc_officials', 'dtm')").fetchall()}
    if ("dtm", "doc_id") not in columns and all((t, "doc_no") in columns for t in keyed):
        return
    con.execute("BEGIN TRANSACTION")
    for table in keyed:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS doc_no INTEGER")
    con.execute("""UPDATE documents SET doc_no = x.no FROM (
                       SELECT doc_id, (row_number() OVER (ORDER BY ingested_at, rowid) - 1)::INTEGER AS no
                       FROM documents) x
                   WHERE documents.doc_id = x.doc_id""")
    for table in keyed[1:]:
        con.execute(f"UPDATE {table} SET doc_no = d.doc_no FROM documents d WHERE {table}.doc_id = d.doc_id")
    if ("dtm", "doc_id") in columns:
        con.execute("CREATE TABLE _dtm_numbered AS SELECT d.doc_no, m.term_id, m.n FROM dtm m "
                    "JOIN documents d USING (doc_id) ORDER BY d.doc_no, m.term_id")
        con.execute("DROP TABLE dtm")
        con.execute("ALTER TABLE _dtm_numbered RENAME TO dtm")
    con.execute("COMMIT")


REQUIRED_TABLES = ("documents", "formulation_counts", "doc_officials", "tokens", "vocab", "dtm", "quarantine", "meta")


def check_schema(con, path: Path | str) -> None:
    """Raise StoreError (one line, saying what to do) when ``con`` is not a store this version
    of Tifa reads: not a Tifa store at all, tables or columns missing, another schema version."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    rebuild = f"rebuild it with `tifa ingest FILES --store NEW.duckdb` (or delete {path} and ingest again)"
    if "documents" not in tables:
        raise StoreError(f"{path} is a DuckDB file but not a Tifa store (it has no documents table)")
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise StoreError(f"store {path} was made by an older version of Tifa (no {', '.join(missing)} table); "
                         f"{rebuild}")
    columns = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'documents'").fetchall()}
    absent = [c for c in (*DOC_FIELDS, "n_tokens", "ingested_at") if c not in columns]
    if absent:
        raise StoreError(f"store {path} was made by an older version of Tifa (documents lack "
                         f"{', '.join(absent[:3])}{'…' if len(absent) > 3 else ''}); {rebuild}")
    version = get_meta(con, "schema_version")
    if version in UPGRADABLE:
        raise StoreError(f"store {path} has schema version {version}, this Tifa reads {SCHEMA_VERSION}; "
                         f"upgrade it in place with `tifa upgrade --store {path}` (its documents are kept)")
    if version != SCHEMA_VERSION:
        raise StoreError(f"store {path} has schema version {version or 'none'}, this Tifa reads {SCHEMA_VERSION}; "
                         f"{rebuild}")


def upgradable(path: Path | str) -> str | None:
    """The schema version of the store at ``path`` when a write connection can bring it up to
    date in place (``UPGRADABLE``), else None (no store, current, or too old)."""
    if not Path(path).exists():
        return None
    with connect(path, read_only=True) as con:
        if "meta" not in {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}:
            return None
        version = get_meta(con, "schema_version")
    return version if version in UPGRADABLE else None


def upgrade(path: Path | str) -> str | None:
    """Bring an upgradable store up to date in place (``_migrate``); returns the version it had,
    or None when there was nothing to do."""
    version = upgradable(path)
    if version:
        with connect(path) as con:  # a write connection migrates and records SCHEMA_VERSION
            _update_month_sums(con)  # the sums schema 3 added
            _update_official_sums(con)
    return version


def start_run(con) -> None:
    """Forget inputs of an ingest that was killed (one ingest writes a store at a time)."""
    _empty_run_inputs(con)


def _empty_run_inputs(con) -> None:
    # Replaced, not deleted from: deleting the million rows of a killed 1M ingest ran out of the
    # writer's 64 MB (each deleted row is recorded); dropping the table's storage costs nothing.
    con.execute("CREATE OR REPLACE TABLE run_inputs AS SELECT * FROM run_inputs LIMIT 0")  # columns as in _DDL


def refresh_signatures(con, chunk: int = 10_000) -> int:
    """Recompute stored MinHash signatures made by another scheme (``dedup.SCHEME``, kept in
    meta) from the stored clean text, so that old and new documents compare; returns how many
    were rebuilt (0 for a new store, or one already on this scheme)."""
    from .dedup import SCHEME, minhash_signature

    if get_meta(con, "minhash_scheme") == SCHEME:
        return 0
    if not con.execute("SELECT count(*) FROM documents").fetchone()[0]:  # a new store
        set_meta(con, "minhash_scheme", SCHEME)
        return 0
    import pyarrow as pa

    done, last = 0, ""
    while rows := con.execute("SELECT doc_id, text FROM documents WHERE doc_id > ? ORDER BY doc_id LIMIT ?",
                              [last, chunk]).fetchall():  # in chunks: memory does not grow with the store
        signatures = pa.array([minhash_signature(r[1] or "") for r in rows], pa.binary())
        con.register("_sig", pa.table({"doc_id": [r[0] for r in rows], "minhash": signatures}))
        con.execute("UPDATE documents SET minhash = s.minhash FROM _sig s WHERE documents.doc_id = s.doc_id")
        con.unregister("_sig")
        done, last = done + len(rows), rows[-1][0]
    set_meta(con, "minhash_scheme", SCHEME)
    return done


def seen_inputs(con, run: str, ids: list[str]) -> tuple[set[str], set[str]]:
    """Of ``ids``: those already stored as documents, and those this run has already seen."""
    stored = {r[0] for r in con.execute(
        "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?))", [ids]).fetchall()}
    in_run = {r[0] for r in con.execute(
        "SELECT doc_id FROM run_inputs WHERE run = ? AND doc_id IN (SELECT unnest(?))", [run, ids]).fetchall()}
    return stored, in_run


def add_run_inputs(con, run: str, ids: list[str]) -> None:
    if ids:
        con.execute("INSERT INTO run_inputs SELECT ?, unnest(?::VARCHAR[])", [run, ids])


def close_run(con, run: str) -> tuple[int, int]:
    """(originals, duplicates) among the documents this run saw; forgets the run (the only one:
    one ingest writes a store at a time)."""
    counts = dict(con.execute(
        "SELECT d.duplicate_of IS NULL, count(*) FROM documents d JOIN run_inputs r USING (doc_id) "
        "WHERE r.run = ? GROUP BY 1", [run]).fetchall())
    _empty_run_inputs(con)
    return counts.get(True, 0), counts.get(False, 0)


def insert_frame(con, table: str, data, columns: list[str] | None = None, verb: str = "INSERT") -> None:
    """Bulk insert an Arrow table or DataFrame (far faster than executemany in DuckDB)."""
    con.register("_batch", data)
    cols = f" ({', '.join(columns)})" if columns else ""
    con.execute(f"{verb} INTO {table}{cols} SELECT * FROM _batch")
    con.unregister("_batch")


def write_batch(con, rows: Rows, run_inputs: tuple[str, list[str]] | None = None) -> None:
    """Write a processed batch (documents with their counts, officials, tokens and matrix rows,
    and what was quarantined) atomically, with the ingest run's record of the inputs the batch
    came from. The documents arrive as JSON lines (``rows.Rows``): DuckDB reads them from a
    temporary file and every table is filled in SQL."""
    now = datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        if rows.payload:
            _write_rows(con, rows, now)
        if rows.quarantined:
            latest = {(q.source_path, q.record_no): q for q in rows.quarantined}  # the last word on an input
            paths, numbers, reasons, details = (list(c) for c in zip(
                *((q.source_path, q.record_no, q.reason, q.detail) for q in latest.values()), strict=True))
            con.execute("INSERT OR REPLACE INTO quarantine SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]), "
                        "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?::TIMESTAMP",
                        [paths, numbers, reasons, details, now])
        if run_inputs:
            add_run_inputs(con, *run_inputs)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


_LINE_COLUMNS = "{" + ", ".join(f"'{k}': '{v}'" for k, v in LINE_TYPES.items()) + "}"


def _write_rows(con, rows: Rows, now: datetime) -> None:
    """Documents, formulation counts, officials, token sequences, new vocabulary (ids in term
    order after the largest so far, so every ingest mode numbers them alike) and matrix rows
    (from the term counts the workers made: the writer never handles single tokens)."""
    import os
    import tempfile

    fd, name = tempfile.mkstemp(prefix="tifa-batch-", suffix=".jsonl")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(rows.payload)
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _rows AS
                        SELECT * FROM read_json(?, format = 'newline_delimited', columns = {_LINE_COLUMNS},
                                                maximum_object_size = {max(rows.longest + 1024, 2**20)})""", [name])
    finally:
        os.unlink(name)
    # documents are numbered in the order they are written (the order of ``rows.ids``), and the
    # matrix is keyed and stored by that number
    start = con.execute("SELECT coalesce(max(doc_no), -1) + 1 FROM documents").fetchone()[0]
    con.execute("CREATE OR REPLACE TEMP TABLE _numbers AS SELECT unnest(?::VARCHAR[]) AS doc_id, "
                "unnest(range(?, ?))::INTEGER AS doc_no", [rows.ids, start, start + len(rows.ids)])
    select = ", ".join("unhex(minhash)" if c == "minhash" else c for c in DOC_FIELDS)
    con.execute(f"INSERT INTO documents ({', '.join(DOC_FIELDS)}, n_tokens, ingested_at, date_earliest, date_latest, "
                f"doc_no) SELECT {select}, n_tokens, ?::TIMESTAMP, date_earliest, date_latest, doc_no "
                "FROM _rows JOIN _numbers USING (doc_id) ORDER BY doc_no", [now])
    con.execute("INSERT INTO formulation_counts SELECT doc_id, unnest(formulation), unnest(formulation_n), doc_no "
                "FROM _rows JOIN _numbers USING (doc_id) ORDER BY doc_no")
    con.execute("INSERT INTO doc_officials SELECT doc_id, o.name, o.title, o.level, o.region, doc_no "
                "FROM (SELECT doc_id, doc_no, unnest(official_rows) AS o FROM _rows JOIN _numbers USING (doc_id)) "
                "ORDER BY doc_no")
    con.execute("INSERT INTO tokens SELECT doc_id, tokens FROM _rows")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _terms AS
                    SELECT doc_no, unnest(string_split(terms, '{TOKEN_SEP}')) AS term, unnest(term_counts) AS n
                    FROM _rows JOIN _numbers USING (doc_id) WHERE terms <> ''""")
    start = con.execute("SELECT coalesce(max(term_id), -1) + 1 FROM vocab").fetchone()[0]
    con.execute("""INSERT INTO vocab
                   SELECT ? + row_number() OVER (ORDER BY term) - 1, term
                   FROM (SELECT DISTINCT term FROM _terms) t
                   WHERE NOT EXISTS (SELECT 1 FROM vocab v WHERE v.term = t.term)""", [start])
    con.execute("INSERT INTO dtm SELECT t.doc_no, v.term_id, t.n FROM _terms t JOIN vocab v USING (term) "
                "ORDER BY t.doc_no, v.term_id")
    for temp in ("_terms", "_rows", "_numbers"):
        con.execute(f"DROP TABLE {temp}")


CANONICAL_ORDER = "date NULLS LAST, published_at NULLS LAST, source_path, record_no, doc_id"


def update_duplicates(con) -> int:
    """Recompute duplicate_of over the whole store; returns the number of duplicates.

    Streams: documents are ranked in canonical order (earliest first) and grouped by content
    hash in DuckDB; the first of each group (its head) gets LSH band keys hashed from slices
    of its MinHash; heads sharing a band key are verified by counting agreeing values; only
    verified pairs reach Python. Every document then points to its group's original: the head,
    or the original the head near-duplicates.
    """
    from .dedup import lsh_bands, min_agreement, resolve_near

    bands, rows = lsh_bands()
    width = 8 * rows  # bytes per band: uint64 values
    con.execute(f"CREATE OR REPLACE TEMP TABLE _ranked AS SELECT doc_id, content_hash, "
                f"row_number() OVER (ORDER BY {CANONICAL_ORDER}) AS rk FROM documents")
    con.execute("CREATE OR REPLACE TEMP TABLE _heads AS SELECT content_hash, min(rk) AS rk, "
                "arg_min(doc_id, rk) AS doc_id FROM _ranked GROUP BY content_hash")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _bands AS SELECT h.rk, b, "
                f"hash(d.minhash[b * {width} + 1 : (b + 1) * {width}]) AS key "
                f"FROM _heads h JOIN documents d USING (doc_id), range({bands}) t(b)")
    result = con.execute(f"""
        WITH cand AS (SELECT DISTINCT x.rk AS a, y.rk AS b FROM _bands x JOIN _bands y
                      ON x.b = y.b AND x.key = y.key AND x.rk < y.rk)
        SELECT c.a, c.b FROM cand c
        JOIN _heads ha ON ha.rk = c.a JOIN documents da ON da.doc_id = ha.doc_id
        JOIN _heads hb ON hb.rk = c.b JOIN documents db ON db.doc_id = hb.doc_id
        WHERE list_sum([(da.minhash[8 * i + 1 : 8 * i + 8] = db.minhash[8 * i + 1 : 8 * i + 8])::INT
                        FOR i IN range(octet_length(da.minhash) // 8)]) >= {min_agreement()}
        ORDER BY c.b, c.a""")
    near = resolve_near(_stream(result))
    con.register("_near", pd.DataFrame({"rk": list(near), "original": list(near.values())}, dtype="int64"))
    con.execute("BEGIN TRANSACTION")
    con.execute("UPDATE documents SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL")
    con.execute("""
        UPDATE documents SET duplicate_of = g.original FROM (
            SELECT r.doc_id, o.doc_id AS original FROM _ranked r
            JOIN _heads h USING (content_hash)
            LEFT JOIN _near n ON n.rk = h.rk  -- a join: the correlated subquery it replaces was quadratic
            JOIN _ranked o ON o.rk = coalesce(n.original, h.rk)
            WHERE r.rk <> o.rk) g
        WHERE documents.doc_id = g.doc_id""")
    con.execute("COMMIT")
    con.unregister("_near")
    n = con.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]
    for name in ("_ranked", "_heads", "_bands"):
        con.execute(f"DROP TABLE {name}")
    return n


def _stream(result, size: int = 10_000):
    while chunk := result.fetchmany(size):
        yield from chunk


KEYED_TABLES = ("dtm", "formulation_counts", "doc_officials")


def compact_keyed_tables(con) -> None:
    """Rewrite the tables read by document number, in the order they hold (write order), into
    full row groups. An ingest appends a row group at each checkpoint, and how many it makes
    depends on timing; at a million documents, comparisons, trends and the heatmap ran up to
    1.6× slower on the appended tables than on rewritten ones (docs/performance.md, tenth session).
    Costs one pass (23 s for the 210 M matrix rows of a million documents)."""
    for table in KEYED_TABLES:
        con.execute(f"CREATE OR REPLACE TABLE _compact AS SELECT * FROM {table}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE _compact RENAME TO {table}")


def update_term_stats(con) -> None:
    """Summed once per ingest (duplicates excluded), so comparisons need not scan the matrix:

    * ``term_stats``  (term_id, n, df): whole-corpus counts and document frequencies;
    * ``term_groups`` (year, province, city, inferred, term_id, n): counts per city and year
      (``inferred`` = the year was inferred), stored in (year, province, city) order so a
      filter on years or cities reads only its blocks;
    * ``term_districts`` (year, province, city, district, inferred, term_id, n): the same per
      district, stored in district order, so district-against-district comparisons read only
      their blocks (zone maps) instead of summing the matrix;
    * ``term_years``  (year, inferred, term_id, n): the same summed over places, for periods;
    * ``term_months`` (year, month, inferred, term_id, n): per month, for parts of a year;
    * ``term_officials`` / ``officials_summed``: per year for the officials in the most documents.
    """
    con.execute(
        "CREATE OR REPLACE TABLE term_stats AS SELECT m.term_id, sum(m.n) AS n, count(*) AS df "
        "FROM dtm m JOIN documents d USING (doc_no) WHERE d.duplicate_of IS NULL GROUP BY m.term_id"
    )
    # Summed by small integer group ids (numbered in storage order) rather than by the names, so
    # the aggregations stay within the memory limit at a million documents: the matrix once per
    # (year, district), then those sums per (year, city).
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _doc_group AS SELECT doc_no, "
        "dense_rank() OVER (ORDER BY year(date), province, city, district, date_precision = 'inferred') AS gid, "
        "dense_rank() OVER (ORDER BY year(date), province, city, date_precision = 'inferred') AS cid, "
        "year(date) AS year, province, city, district, "
        "date_precision = 'inferred' AS inferred FROM documents WHERE duplicate_of IS NULL"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _group_sums AS SELECT g.gid, m.term_id, sum(m.n)::BIGINT AS n "
        "FROM dtm m JOIN _doc_group g USING (doc_no) GROUP BY g.gid, m.term_id"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE _groups AS SELECT DISTINCT gid, cid, year, province, city, district, "
                "inferred FROM _doc_group")
    con.execute(
        "CREATE OR REPLACE TABLE term_districts AS SELECT g.year, g.province, g.city, g.district, g.inferred, "
        "s.term_id, s.n FROM _group_sums s JOIN _groups g USING (gid) WHERE g.district IS NOT NULL "
        "ORDER BY g.district, g.province, g.city, g.year, g.inferred"  # a district's rows together: its blocks alone
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _city_sums AS SELECT g.cid, s.term_id, sum(s.n)::BIGINT AS n "
        "FROM _group_sums s JOIN _groups g USING (gid) GROUP BY g.cid, s.term_id"
    )
    con.execute(
        "CREATE OR REPLACE TABLE term_groups AS SELECT g.year, g.province, g.city, g.inferred, s.term_id, s.n "
        "FROM _city_sums s JOIN (SELECT DISTINCT cid, year, province, city, inferred FROM _groups) g "
        "USING (cid) ORDER BY s.cid"
    )
    for temp in ("_doc_group", "_group_sums", "_groups", "_city_sums"):
        con.execute(f"DROP TABLE {temp}")
    con.execute("CREATE OR REPLACE TABLE term_years AS SELECT year, inferred, term_id, sum(n)::BIGINT AS n "
                "FROM term_groups GROUP BY ALL ORDER BY year")
    _update_month_sums(con)
    _update_official_sums(con)


def _update_month_sums(con) -> None:
    """``term_months`` (year, month, inferred, term_id, n), in period order."""
    con.execute(
        "CREATE OR REPLACE TABLE term_months AS SELECT year(d.date) AS year, month(d.date) AS month, "
        "d.date_precision = 'inferred' AS inferred, m.term_id, sum(m.n)::BIGINT AS n "
        "FROM dtm m JOIN documents d USING (doc_no) WHERE d.duplicate_of IS NULL GROUP BY ALL ORDER BY year, month"
    )


def _update_official_sums(con, min_docs: int | None = None, most: int | None = None) -> None:
    """``officials_summed`` (name, docs): the officials named in the most documents (at least
    ``choices.OFFICIAL_SUMS_MIN``, at most ``OFFICIAL_SUMS_MAX`` of them), and ``term_officials``
    (name, year, inferred, term_id, n): their documents' term counts per year, stored in name
    order so one official's comparison reads only its blocks."""
    from .choices import OFFICIAL_SUMS_MAX, OFFICIAL_SUMS_MIN

    con.execute(
        "CREATE OR REPLACE TABLE officials_summed AS SELECT o.name, count(DISTINCT o.doc_id) AS docs "
        "FROM doc_officials o JOIN documents d USING (doc_id) WHERE d.duplicate_of IS NULL GROUP BY o.name "
        "HAVING count(DISTINCT o.doc_id) >= ? ORDER BY docs DESC, o.name LIMIT ?",
        [min_docs or OFFICIAL_SUMS_MIN, most or OFFICIAL_SUMS_MAX])
    con.execute(
        "CREATE OR REPLACE TABLE term_officials AS SELECT x.name, year(d.date) AS year, "
        "d.date_precision = 'inferred' AS inferred, m.term_id, sum(m.n)::BIGINT AS n "
        "FROM (SELECT DISTINCT o.doc_id, o.name FROM doc_officials o JOIN officials_summed USING (name)) x "
        "JOIN documents d USING (doc_id) JOIN dtm m USING (doc_no) WHERE d.duplicate_of IS NULL "
        "GROUP BY ALL ORDER BY x.name, year"
    )


def set_date_precision(con, source_paths: list[str], precision: str, evidence: str) -> int:
    """Mark the documents read from ``source_paths`` as dated to ``precision`` (e.g. ``year``:
    the source gives the year only); returns how many documents changed."""
    if not source_paths:
        return 0
    con.execute("UPDATE documents SET date_precision = ?, date_evidence = ? WHERE source_path IN (SELECT unnest(?))",
                [precision, evidence, list(source_paths)])
    return con.execute("SELECT count(*) FROM documents WHERE source_path IN (SELECT unnest(?)) "
                       "AND date_precision = ?", [list(source_paths), precision]).fetchone()[0]


def update_officials_index(con) -> None:
    """``officials_index``: one row per person across the store (see ``officials_index.py``)."""
    from .officials_index import index_sql

    con.execute(f"CREATE OR REPLACE TABLE officials_index AS {index_sql()}")


def update_corpus_dates(con) -> int:
    """Narrow the range of undated documents with corpus evidence: officials with the same title
    in dated documents (``dates.narrow_by_tenures``). Returns the documents changed.

    Only the tenures an undated document can use are read (``officials_index.tenures``, every
    person of the store, was a million rows at a million documents, none of them used), and
    the undated documents are streamed."""
    from .dates import lead_date, narrow_by_tenures
    from .officials_index import _SETTLED, PLACE

    undated = "d.duplicate_of IS NULL AND d.date_precision IN ('range', 'unknown')"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _undated_officials AS
        SELECT DISTINCT o.name, o.title, {PLACE} AS place
        FROM documents d JOIN doc_officials o ON o.doc_id = d.doc_id WHERE {undated}""")
    # officials_index.tenures over those officials only; a NULL title or place matches nothing
    # (in tenures' frame it was NaN, never equal to a document's None)
    seen = {(name, title, place): (first, last) for name, title, place, first, last in con.execute(f"""
        SELECT o.name, o.title, {PLACE} AS place, min(d.date), max(d.date)
        FROM doc_officials o JOIN documents d ON d.doc_id = o.doc_id
        JOIN _undated_officials u ON u.name = o.name AND u.title = o.title AND u.place = {PLACE}
        WHERE d.duplicate_of IS NULL AND d.date_precision IN {_SETTLED} AND d.date IS NOT NULL
          AND o.level <> 'national'  -- a national leader's decade in office dates nothing
        GROUP BY ALL""").fetchall()}
    con.execute("DROP TABLE _undated_officials")
    if not seen:
        return 0
    docs = con.execute(f"""
        SELECT d.doc_id, any_value(d.text), any_value(d.date_earliest), any_value(d.date_latest),
               any_value(d.date_evidence), list(o.name), list(o.title), list({PLACE})
        FROM documents d JOIN doc_officials o ON o.doc_id = d.doc_id
        WHERE {undated}
        GROUP BY d.doc_id""")
    today = date.today()
    changes = []
    for doc_id, text, lo, hi, evidence, names, titles, places in _stream(docs, 1_000):
        keys = sorted({k for k in zip(names, titles, places, strict=True) if k in seen})
        found = [(f"{name} ({title})", *seen[(name, title, place)]) for name, title, place in keys]
        result = narrow_by_tenures(lo, hi, found, lead_date(text or ""), today)
        if result:
            changes.append(_date_change(doc_id, evidence, result))
    _write_dates(con, changes)
    return len(changes)


_HOST_PATTERN = r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//([^/:?#@]+)"
_HOST = f"lower(regexp_extract(d.url, '{_HOST_PATTERN}', 1))"
# … as corpus_places.normal_host groups sites: without www./m./wap. (when a domain is left)
_NORMAL_HOST = f"regexp_replace({_HOST}, '^(www|m|wap)[.]([^.]+[.].+)$', '\\2')"


def url_host(url: str | None) -> str | None:
    """A page's host as the corpus pass groups sites (``corpus_places.normal_host``)."""
    from .corpus_places import normal_host

    m = re.match(_HOST_PATTERN, url or "")
    return normal_host(m.group(1)) if m else None


def _evidence_of(con, doc_ids: list[str]) -> dict[str, str]:
    """region_evidence of the given documents, by doc_id (one join, not one query each)."""
    if not doc_ids:
        return {}
    con.register("_wanted", pd.DataFrame({"doc_id": doc_ids}, dtype="string"))
    try:
        return dict(con.execute("SELECT d.doc_id, d.region_evidence FROM documents d JOIN _wanted USING (doc_id)"
                                ).fetchall())
    finally:
        con.unregister("_wanted")


CORPUS_CHUNK = 20_000  # borrowers brought into Python at a time by update_corpus_places


def update_corpus_places(con, chunk: int | None = None) -> int:
    """Place documents left without one (or with a coarse one) by what the store's other
    documents know: the same site, official or township (``corpus_places``). Returns the
    documents whose region changed.

    Memory does not grow with the store (a million documents took the ingest process to 1.25 GB
    when every query result came into Python whole): the officials' aggregate is read only for
    the names that can vote (``_official_votes``), streamed; the borrowers are kept in a
    temporary table and read ``chunk`` (``CORPUS_CHUNK``) at a time; the answers go to temporary
    tables, written by one UPDATE each at the end."""
    from .corpus_places import BEFORE, LEND_CONFIDENCE, MAX_LENDERS_LISTED, normal_host, site_units, town_units
    from .region_hosts import spells
    from .region_rules import document_rules
    from .regions import divisions

    div = divisions()
    own = f"d.region_evidence IS NULL OR d.region_evidence NOT LIKE '%\"{BEFORE}\"%'"
    lender = (f"d.duplicate_of IS NULL AND d.adcode IS NOT NULL AND d.region_level IN ('province', 'city', "
              f"'district') AND d.region_confidence >= {LEND_CONFIDENCE} AND ({own})")
    some = f"list(d.doc_id ORDER BY d.doc_id)[1:{MAX_LENDERS_LISTED}]"
    # the townships a document names (data/region_rules.toml's town suffixes)
    towns_named = ("list_filter(json_keys(d.mentioned_regions), lambda k: regexp_matches(k, "
                   f"'({'|'.join(document_rules().town_suffixes)})$'))")
    sites = site_units([(normal_host(h), code, n, n if h and spells(h, code, div) else n_url, ids)
                        for h, code, n, n_url, ids in con.execute(
        f"SELECT {_HOST}, d.adcode, count(*), count(*) FILTER (WHERE d.region_evidence LIKE '%\"signal\": \"url_%'), "
        f"{some} FROM documents d WHERE {lender} AND d.url IS NOT NULL GROUP BY ALL").fetchall()], div)
    officials = _official_votes(con, div, own, lender, some)
    towns = town_units(con.execute(
        f"SELECT t.town, t.adcode, count(*), list(t.doc_id ORDER BY t.doc_id)[1:{MAX_LENDERS_LISTED}] FROM ("
        f"SELECT unnest({towns_named}) AS town, d.adcode, d.doc_id FROM documents d "
        f"WHERE {lender} AND d.region_level = 'district') t "
        "GROUP BY ALL").fetchall(), div)
    # only the documents some evidence can reach: their host, an official or a township is known;
    # kept in DuckDB (which spills beyond its memory limit), read a chunk at a time
    con.register("_site_keys", pd.DataFrame({"host": list(sites)}, dtype="string"))
    con.register("_official_keys", pd.DataFrame({"name": [k[0] for k in officials], "level": [k[1] for k in officials]},
                                                dtype="string").drop_duplicates())
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _found AS
            SELECT d.doc_id, d.url, d.adcode, d.region_level, d.region_confidence, d.province, d.city, d.district,
                   d.region_candidates, d.region_evidence LIKE '%"{BEFORE}"%' AS settled,
                   {towns_named} AS towns
            FROM documents d WHERE d.duplicate_of IS NULL
              AND (NOT ({own}) OR (d.region_level IN ('unknown', 'ambiguous', 'province', 'city') AND (
                   {_NORMAL_HOST} IN (SELECT host FROM _site_keys)
                   OR d.doc_id IN (SELECT o.doc_id FROM doc_officials o JOIN _official_keys k
                                   ON o.name = k.name AND o.level = k.level WHERE o.region IS NULL)
                   OR list_has_any(json_keys(d.mentioned_regions), ?::VARCHAR[]))))""", [list(towns)])
    finally:
        con.unregister("_site_keys")
        con.unregister("_official_keys")
    # the borrowers' officials with no place, in the order the table holds them
    con.execute("""CREATE OR REPLACE TEMP TABLE _found_officials AS
                   SELECT o.rowid AS r, o.doc_id, o.name, o.level, o.title
                   FROM doc_officials o JOIN _found b USING (doc_id)
                   WHERE o.region IS NULL AND o.level IN ('county', 'city')""")
    con.execute("CREATE OR REPLACE TEMP TABLE _places (doc_id VARCHAR, province VARCHAR, city VARCHAR, "
                "district VARCHAR, adcode VARCHAR, level VARCHAR, confidence DOUBLE, evidence VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _unset (doc_id VARCHAR, name VARCHAR, level VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _set (doc_id VARCHAR, name VARCHAR, level VARCHAR, region VARCHAR)")
    confidence = document_rules().calibrated("corpus")
    chunk = chunk or CORPUS_CHUNK
    roles: dict[str | None, str] = {}
    last = ""  # the chunks: ranges of doc_id, ``chunk`` borrowers each
    while (edge := con.execute("SELECT max(doc_id) FROM (SELECT doc_id FROM _found WHERE doc_id > ? "
                               "ORDER BY doc_id LIMIT ?)", [last, chunk]).fetchone()[0]) is not None:
        found = con.execute("SELECT * FROM _found WHERE doc_id > ? AND doc_id <= ?", [last, edge]).fetchall()
        names: dict[str, list[tuple[str, str, str]]] = {}
        for doc_id, name, level, title in con.execute(
                "SELECT doc_id, name, level, title FROM _found_officials WHERE doc_id > ? AND doc_id <= ? ORDER BY r",
                [last, edge]).fetchall():
            names.setdefault(doc_id, []).append((name, level, _role(title, div, roles)))
        changes, officials_set, officials_unset = _corpus_answers(con, found, names, sites, officials, towns, div,
                                                                  confidence)
        for table, rows, columns in (
                ("_unset", officials_unset, ["doc_id", "name", "level"]),
                ("_set", officials_set, ["doc_id", "name", "level", "region"]),
                ("_places", changes, ["doc_id", "province", "city", "district", "adcode", "level", "confidence",
                                      "evidence"])):
            if rows:
                con.register("_rows", pd.DataFrame(rows, columns=columns))
                con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
                con.unregister("_rows")
        last = edge
    con.execute("UPDATE doc_officials SET region = NULL FROM _unset x WHERE doc_officials.doc_id = x.doc_id "
                "AND doc_officials.name = x.name AND doc_officials.level = x.level")
    con.execute("UPDATE doc_officials SET region = x.region FROM _set x WHERE doc_officials.doc_id = x.doc_id "
                "AND doc_officials.name = x.name AND doc_officials.level = x.level "
                "AND doc_officials.region IS NULL")
    con.execute("""UPDATE documents SET province = x.province, city = x.city, district = x.district,
                   adcode = x.adcode, region_level = x.level, region_confidence = x.confidence,
                   region_evidence = x.evidence FROM _places x WHERE documents.doc_id = x.doc_id""")
    changed = con.execute("SELECT count(*) FROM _places").fetchone()[0]
    for name in ("_found", "_found_officials", "_places", "_unset", "_set"):
        con.execute(f"DROP TABLE {name}")
    return changed


def _role(title: str | None, div, roles: dict[str | None, str]) -> str:
    """``corpus_places.role`` of a title, remembered in ``roles`` (a store repeats its titles)."""
    from .corpus_places import role

    if title not in roles:
        roles[title] = role(title, div)
    return roles[title]


def _official_votes(con, div, own: str, lender: str, some: str) -> dict:
    """``corpus_places.official_units`` over the lenders' officials, streamed, and read only for
    the (name, level) pairs that can give a vote: a borrower can be linked by them (an official
    with no place in a document the corpus may place; any of a document placed by it) and
    located documents show them in exactly one unit. At a million documents the whole
    aggregate was a row per document; common names (王伟) are seen in many units."""
    from .corpus_places import OFFICIAL_LEVELS, official_units

    # each unit with itself and its ancestors: where an official's title may place him
    lines = [(code, u, div.units[u].name, div.units[u].level) for code in div.units
             for u in (code, *div.ancestors(code))]
    con.execute("CREATE OR REPLACE TEMP TABLE _lines AS SELECT unnest(?::VARCHAR[]) AS code, "
                "unnest(?::VARCHAR[]) AS unit, unnest(?::VARCHAR[]) AS name, unnest(?::VARCHAR[]) AS level",
                [list(column) for column in zip(*lines, strict=True)])
    unit_level = "CASE o.level " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in OFFICIAL_LEVELS.items()) + " END"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _wanted_officials AS
        WITH wanted AS (
            SELECT DISTINCT o.name, o.level FROM doc_officials o JOIN documents d ON d.doc_id = o.doc_id
            WHERE d.duplicate_of IS NULL AND o.level IN ('county', 'city')
              AND ((o.region IS NULL AND d.region_level IN ('unknown', 'ambiguous', 'province', 'city'))
                   OR NOT ({own})))
        SELECT o.name, o.level
        FROM doc_officials o JOIN documents d ON d.doc_id = o.doc_id
        JOIN _lines l ON l.code = d.adcode AND l.name = o.region AND l.level = {unit_level}
        WHERE {lender} AND o.level IN ('county', 'city') AND o.region IS NOT NULL
          AND EXISTS (SELECT 1 FROM wanted w WHERE w.name = o.name AND w.level = o.level)
        GROUP BY ALL HAVING count(DISTINCT l.unit) = 1""")
    result = con.execute(
        f"SELECT o.name, o.level, o.title, d.adcode, o.region, count(DISTINCT d.doc_id), {some} "
        f"FROM doc_officials o JOIN documents d ON d.doc_id = o.doc_id "
        f"WHERE {lender} AND o.level IN ('county', 'city') AND o.region IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM _wanted_officials w WHERE w.name = o.name AND w.level = o.level) GROUP BY ALL")
    roles: dict[str | None, str] = {}
    rows = []
    for name, level, title, code, region, n, ids in _stream(result):
        unit = next((u for u in (code, *div.ancestors(code)) if div.units[u].name == region
                     and div.units[u].level == OFFICIAL_LEVELS[level]), None) if code in div.units else None
        if unit:  # the title's place is the document's own (a visitor's is not)
            rows.append((name, level, _role(title, div, roles), unit, n, ids))
    con.execute("DROP TABLE _wanted_officials")
    con.execute("DROP TABLE _lines")
    return official_units(rows, div)


def _corpus_answers(con, found: list[tuple], names: dict[str, list[tuple[str, str, str]]], sites: dict,
                    officials: dict, towns: dict, div, confidence: float) -> tuple[list, list, list]:
    """For some borrowers (rows of ``_found``) and their officials with no place: the changed
    places (doc_id, province, city, district, adcode, level, confidence, evidence), the officials
    given a place (doc_id, name, level, region) and those whose corpus place is taken back
    (doc_id, name, level)."""
    from .corpus_places import Borrower, evidence, restore, settle

    stored_evidence = _evidence_of(con, [r[0] for r in found if r[9]])
    settled_now: list[tuple] = []  # (doc_id, code, votes, before, its own evidence or None, officials)
    changes, officials_set, officials_unset = [], [], []
    for doc_id, url, adcode, level, conf, prov, city, dist, cands, settled, town_keys in found:
        before = {"province": prov, "city": city, "district": dist, "adcode": adcode, "level": level,
                  "confidence": conf}
        old_evidence, filled = None, []
        if settled:
            was = restore(json.loads(stored_evidence.get(doc_id) or "[]"))
            if was is None:
                continue
            before, old_evidence = was
            filled = [(*x, "")[:3] for x in before.pop("filled", [])]  # (name, level, role)
        candidates = [c["adcode"] for c in json.loads(cands or "[]") if c.get("adcode")]
        # a document settled earlier is read as it was before (its officials had no place then)
        people = list(dict.fromkeys(names.get(doc_id, []) + filled))
        borrower = Borrower(doc_id, url_host(url), before.get("adcode"), before.get("level") or "unknown",
                            candidates, people, list(town_keys or []))
        answer = settle(borrower, sites, officials, towns, div)
        officials_unset += [(doc_id, name, lvl) for name, lvl, _ in filled]
        if answer is None:
            if settled:  # the corpus no longer says so: back to what the document said itself
                changes.append((doc_id, before.get("province"), before.get("city"), before.get("district"),
                                before.get("adcode"), before.get("level"), before.get("confidence"),
                                json.dumps(old_evidence, ensure_ascii=False)))
            continue
        settled_now.append((doc_id, *answer, before, old_evidence, people))
    own_evidence = _evidence_of(con, [s[0] for s in settled_now if s[4] is None])
    for doc_id, code, votes, before, old_evidence, people in settled_now:
        province, city_name, district = div.path(code)
        fill = [p for p in people if (p[1] == "county" and district) or (p[1] == "city" and city_name)]
        if old_evidence is None:
            old_evidence = json.loads(own_evidence.get(doc_id) or "[]")
        entries = evidence(votes, {**before, "filled": [list(x) for x in fill]})
        changes.append((doc_id, province, city_name, district, code, div.units[code].level, confidence,
                        json.dumps(entries + old_evidence, ensure_ascii=False)))
        officials_set += [(doc_id, name, lvl, district if lvl == "county" else city_name) for name, lvl, _ in fill]
    return changes, officials_set, officials_unset


def _date_change(doc_id: str, evidence: str, result) -> tuple:
    """A row for ``_write_dates``: a narrowed date, its evidence after what the document had."""
    return (doc_id, result.date, result.event_date, result.precision,
            f"{evidence}; {result.evidence}" if evidence else result.evidence, result.earliest, result.latest)


def _write_dates(con, changes: list[tuple]) -> None:
    """(doc_id, date, event_date, precision, evidence, earliest, latest) rows into documents."""
    if not changes:
        return
    con.register("_dates", pd.DataFrame(changes, columns=["doc_id", "date", "event_date", "precision",
                                                          "evidence", "lo", "hi"]))
    con.execute("""UPDATE documents SET date = x.date::DATE, event_date = x.event_date::DATE,
                   date_precision = x.precision, date_evidence = x.evidence,
                   date_earliest = x.lo::DATE, date_latest = x.hi::DATE
                   FROM _dates x WHERE documents.doc_id = x.doc_id""")
    con.unregister("_dates")


def update_site_dates(con) -> int:
    """Narrow the range of undated pages with their site's dated pages numbered just below and
    above them (``site_dates``). Returns the documents changed."""
    from .dates import lead_date, narrow_by_neighbours
    from .site_dates import bracket, numbered, ordered

    undated = "d.date_precision IN ('range', 'unknown')"
    rows = con.execute(f"""
        WITH hosts AS (SELECT DISTINCT {_HOST} AS host FROM documents d
                       WHERE d.duplicate_of IS NULL AND d.url IS NOT NULL AND {undated})
        SELECT d.doc_id, d.url, d.date, d.date_precision, d.date_earliest, d.date_latest, d.date_evidence,
               CASE WHEN {undated} THEN substr(d.text, 1, 200) END
        FROM documents d JOIN hosts h ON {_HOST} = h.host
        WHERE d.duplicate_of IS NULL AND d.url IS NOT NULL""").fetchall()
    dated: dict[str, list[tuple[int, date]]] = {}
    todo = []
    for doc_id, url, when, precision, lo, hi, evidence, lead in rows:
        key = numbered(url)
        if key is None:
            continue
        if precision == "day" and when:
            dated.setdefault(key.pattern, []).append((key.number, when))
        elif precision in ("range", "unknown"):
            todo.append((doc_id, key, lo, hi, evidence, lead))
    for pages in dated.values():
        pages.sort()
    today = date.today()
    changes = []
    for doc_id, key, lo, hi, evidence, lead in todo:
        pages = dated.get(key.pattern, [])
        found = bracket(pages, key.number) if ordered(pages) else None
        if found is None:
            continue
        below, above = found.range()
        result = narrow_by_neighbours(lo, hi, below, above, found.evidence(key.pattern, key.number),
                                      lead_date(lead or ""), today)
        if result:
            changes.append(_date_change(doc_id, evidence, result))
    _write_dates(con, changes)
    return len(changes)


def set_meta(con, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def get_meta(con, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Filters:
    """The common filters of every command and of the dashboard's URL."""

    province: list[str] = field(default_factory=list)
    city: list[str] = field(default_factory=list)
    district: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    site: list[str] = field(default_factory=list)
    official: list[str] = field(default_factory=list)
    formulation: list[str] = field(default_factory=list)
    include_duplicates: bool = False
    include_inferred: bool = True  # points whose year was settled by era markers (unsettled ranges have no date)

    def where(self, alias: str = "d") -> tuple[str, list]:
        clauses: list[str] = []
        params: list = []
        for col in ("province", "city", "district", "site"):
            values = getattr(self, col)
            if values:
                clauses.append(f"{alias}.{col} IN (SELECT unnest(?))")
                params.append(list(values))
        if self.since:
            clauses.append(f"{alias}.date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"{alias}.date <= ?")
            params.append(self.until)
        if not self.include_duplicates:
            clauses.append(f"{alias}.duplicate_of IS NULL")
        if not self.include_inferred:
            clauses.append(f"{alias}.date_precision <> 'inferred'")
        if self.official:
            clauses.append(
                f"{alias}.doc_no IN (SELECT doc_no FROM doc_officials WHERE name IN (SELECT unnest(?)))"
            )
            params.append(list(self.official))
        if self.formulation:
            clauses.append(
                f"{alias}.doc_no IN (SELECT doc_no FROM formulation_counts "
                "WHERE formulation IN (SELECT unnest(?)))"
            )
            params.append(list(self.formulation))
        return (" AND ".join(clauses) or "TRUE"), params


def documents(con, filters: Filters | None = None, columns: list[str] | None = None) -> pd.DataFrame:
    """Documents matching ``filters`` with JSON columns decoded and formulations attached."""
    filters = filters or Filters(include_duplicates=True)
    where, params = filters.where()
    cols = columns or [c for c in DOC_COLUMNS if c != "formulations"]
    select = ", ".join(f"d.{c}" for c in cols)
    frame = con.execute(
        f"SELECT {select} FROM documents d WHERE {where} ORDER BY d.date NULLS LAST, d.doc_id", params
    ).df()
    frame = _plain(frame)
    for col in JSON_COLUMNS:
        if col in frame:
            frame[col] = frame[col].map(lambda v: json.loads(v) if isinstance(v, str) else v)
    if columns is None or "formulations" in (columns or []):
        counts = con.execute(
            "SELECT doc_id, formulation, n FROM formulation_counts ORDER BY doc_id, n DESC, formulation"
        ).fetchall()
        by_doc: dict[str, dict[str, int]] = {}
        for doc_id, f, n in counts:
            by_doc.setdefault(doc_id, {})[f] = n
        frame["formulations"] = frame["doc_id"].map(lambda d: by_doc.get(d, {}))
    return frame


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Python values for users: None for nulls, datetime.date for DATE columns."""
    for col in frame.columns:
        series = frame[col]
        if col in ("date", "event_date", "published_at", "date_earliest", "date_latest"):
            values = [(v.to_pydatetime() if col == "published_at" else v.date())
                      if isinstance(v, pd.Timestamp) else None for v in series]
            frame[col] = pd.Series(values, index=frame.index, dtype=object)
        elif not pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            frame[col] = series.astype(object).where(series.notna(), None)
    return frame


def quarantine(con) -> pd.DataFrame:
    return con.execute(
        "SELECT source_path, record_no, reason, detail FROM quarantine ORDER BY source_path, record_no"
    ).df()
