"""Are two stores the same? Order-independent checksums of every table, table by table.

    python bench/compare_stores.py A.duckdb B.duckdb

Run-time columns (``documents.ingested_at``, ``quarantine.seen_at``) and the run bookkeeping
(``run_inputs``, the ``meta`` keys ``last_ingest`` and ``lexicon_extra``) are left out: two
ingests of the same inputs differ there and nowhere else. Exits 1 when anything differs.
"""

from __future__ import annotations

import sys

import duckdb

SKIP_COLUMNS = {"documents": "EXCLUDE (ingested_at)", "quarantine": "EXCLUDE (seen_at)"}
SKIP_TABLES = {"meta", "run_inputs"}
SKIP_META = ("last_ingest", "lexicon_extra")


def main(a: str, b: str) -> int:
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    names = {db: {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [db]).fetchall()} for db in ("a", "b")}
    same = names["a"] == names["b"]
    if not same:
        print(f"tables only in one store: {sorted(names['a'] ^ names['b'])}")
    for table in sorted((names["a"] & names["b"]) - SKIP_TABLES):
        sums = [con.execute(f"SELECT count(*), sum(hash(x)::HUGEINT) FROM "
                            f"(SELECT * {SKIP_COLUMNS.get(table, '')} FROM {db}.{table}) x").fetchone()
                for db in ("a", "b")]
        same &= sums[0] == sums[1]
        print(f"{table:20s} {'identical' if sums[0] == sums[1] else 'DIFFERENT'}  rows {sums[0][0]} / {sums[1][0]}",
              flush=True)
    meta = [con.execute(f"SELECT key, value FROM {db}.meta WHERE key NOT IN {SKIP_META} ORDER BY key").fetchall()
            for db in ("a", "b")]
    same &= meta[0] == meta[1]
    print(f"{'meta':20s} {'identical' if meta[0] == meta[1] else 'DIFFERENT'}")
    print("ALL IDENTICAL" if same else "NOT IDENTICAL")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
