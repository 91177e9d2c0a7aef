"""`tifa ingest` of one big record file with default settings: wall time, documents, the summed
peak RSS of the ingest and its workers (sampled every 0.2 s), and the peak per tenth of the run.

    gunzip -c ../shared/corpora/local_gwr.jsonl.gz > /tmp/gwr.jsonl
    python bench/big_file.py /tmp/gwr.jsonl ../shared/corpora/local_gwr.jsonl.gz --out result.json

A synthetic dump of a given size: the bench corpus (bench/make_corpus.py) repeated, each copy of
a record with a new id (so each is a new input, and a duplicate of the first copy):

    python bench/big_file.py --make /tmp/big.jsonl --gb 2 --from bench/out/corpus-10000/docs-0000.jsonl
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import _watch, emit  # noqa: E402 - bench/run.py: the RSS sampler, the JSON output


def ingest_one(path: Path, work: Path) -> dict:
    store = work / f"{path.name}.duckdb"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "ingest", str(path), "--store", str(store)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak, tenths = _watch(proc)
    out = proc.stdout.read()
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    documents, distinct = con.execute(
        "SELECT count(*) FILTER (WHERE duplicate_of IS NULL), count(*) FROM documents").fetchone()
    return {"file": str(path), "bytes": path.stat().st_size, "exit": proc.returncode,
            "seconds": round(time.perf_counter() - start, 1), "peak_rss_mb": round(peak / 2**20),
            "rss_by_tenth_mb": tenths, "documents": documents, "stored_with_duplicates": distinct,
            "summary": out.strip().splitlines()}


def make(out: Path, source: Path, gb: float) -> dict:
    """``source``'s records repeated until ``out`` holds ``gb`` gigabytes; copy k of a record
    gets ``"id": "copy-k-line"``."""
    import json

    lines = source.read_text(encoding="utf-8").splitlines()
    written = copies = 0
    with open(out, "w", encoding="utf-8") as fh:
        while written < gb * 1e9:
            for n, line in enumerate(lines):
                record = json.loads(line)
                record["id"] = f"copy-{copies}-{n}"
                text = json.dumps(record, ensure_ascii=False) + "\n"
                fh.write(text)
                written += len(text.encode("utf-8"))
            copies += 1
    return {"file": str(out), "bytes": out.stat().st_size, "records": copies * len(lines), "copies": copies}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--make", type=Path, help="write a synthetic dump here (with --from and --gb) and stop")
    parser.add_argument("--from", dest="source", type=Path)
    parser.add_argument("--gb", type=float, default=2.0)
    args = parser.parse_args()
    if args.make:
        emit([make(args.make, args.source, args.gb)], args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        results = [ingest_one(f, Path(tmp)) for f in args.files]
    emit(results, args.out)


if __name__ == "__main__":
    main()
