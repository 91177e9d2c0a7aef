"""Latency of ad-hoc phrase queries (analytics.phrases) at 100k and 1M documents.

A phrase is counted on the stored text at query time, so its cost grows with the text scanned.
This times what the dashboard does for a typed phrase — the trend (all regions, by year), the
heatmap (by city) and the map (by city) — for a rare, a common and an absent phrase, p50 and
p95 over ``--repeat`` runs after one warm-up, in one process.

A store of N × the documents of another is made by ``--replicate N --from STORE``: its
``documents`` and ``formulation_counts`` rows are copied N times under new ids (the text, its
length distribution and the regions are the source's), which is what a phrase query reads; the
other tables are copied once. Building a 1M store by ingesting takes about 50 minutes here, the
copy about a minute.

    python bench/make_corpus.py --docs 100000 --seed 1 --out /tmp/bench/corpus-100k
    tifa ingest /tmp/bench/corpus-100k --store /tmp/bench/s100k.duckdb
    python bench/phrases.py --store /tmp/bench/s100k.duckdb
    python bench/phrases.py --replicate 10 --from /tmp/bench/s100k.duckdb --store /tmp/bench/s1m.duckdb
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import duckdb
from run import emit  # bench/run.py (python bench/phrases.py puts bench/ on the path)

PHRASES = {"rare": "一网通办", "common": "乡村振兴", "everywhere": "高质量发展", "absent": "没有人写过的短语"}
REPLICATED = ("documents", "formulation_counts")


def replicate(source: Path, target: Path, times: int) -> None:
    """``target`` with ``documents`` and ``formulation_counts`` of ``source`` repeated ``times``."""
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    listed = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()
    tables = [r[0] for r in listed]
    for table in tables:
        if table not in REPLICATED:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM src.{table}")
    suffix = "CASE WHEN k = 0 THEN '' ELSE '-' || k END"
    step = con.execute("SELECT coalesce(max(doc_no), 0) + 1 FROM src.documents").fetchone()[0]
    number = f"(doc_no + k * {step})::INTEGER AS doc_no"  # copies numbered after the source's, in copy order
    con.execute(
        f"""CREATE TABLE documents AS SELECT * REPLACE (doc_id || {suffix} AS doc_id,
            CASE WHEN duplicate_of IS NULL THEN NULL ELSE duplicate_of || {suffix} END AS duplicate_of, {number})
            FROM src.documents, range({times}) r(k) ORDER BY k, doc_no"""
    )
    con.execute(
        f"""CREATE TABLE formulation_counts AS SELECT * REPLACE (doc_id || {suffix} AS doc_id, {number})
            FROM src.formulation_counts, range({times}) r(k) ORDER BY k, doc_no"""
    )
    con.close()


def timed(fn, repeat: int) -> dict:
    fn()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - start))
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
        "max_ms": round(times[-1], 1),
    }


def bench(store: Path, repeat: int) -> dict:
    from analytics import store as store_mod
    from analytics import trends
    from analytics.store import Filters

    con = store_mod.connect(store, read_only=True)
    docs, chars = con.execute("SELECT count(*), sum(strlen(text)) FROM documents WHERE duplicate_of IS NULL").fetchone()
    out: dict = {"store": str(store), "documents": docs, "text_bytes": int(chars), "queries": {}}
    for label, phrase in PHRASES.items():
        mentioning = con.execute(
            "SELECT count(*) FROM documents WHERE duplicate_of IS NULL AND contains(text, ?)", [phrase]
        ).fetchone()[0]
        calls = {
            "trend (year, all regions)": lambda p=phrase: trends.counts(con, [], Filters(), "year", "all", phrases=[p]),
            "heatmap (year, city)": lambda p=phrase: trends.counts(con, [], Filters(), "year", "city", phrases=[p]),
            "map (city)": lambda p=phrase: trends.map_data(con, [], Filters(), "city", phrases=[p]),
        }
        for name, fn in calls.items():
            out["queries"][f"{name} · {label} {phrase} ({mentioning} docs)"] = timed(fn, repeat)
    con.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--replicate", type=int, default=0, help="build --store as N copies of --from first")
    parser.add_argument("--from", dest="source", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, help="write the JSON here too")
    args = parser.parse_args()
    if args.replicate:
        start = time.perf_counter()
        replicate(args.source, args.store, args.replicate)
        print(f"replicated {args.source} × {args.replicate} → {args.store} in {time.perf_counter() - start:.0f} s")
    result = bench(args.store, args.repeat)
    emit(result, args.out)


if __name__ == "__main__":
    main()
