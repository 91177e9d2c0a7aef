"""`tifa ingest` of one big record file with default settings: wall time, documents, the summed
peak RSS of the ingest and its workers (sampled every 0.2 s), and the peak per tenth of the run.

    gunzip -c ../shared/corpora/local_gwr.jsonl.gz > /tmp/gwr.jsonl
    python bench/big_file.py /tmp/gwr.jsonl ../shared/corpora/local_gwr.jsonl.gz --out result.json
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [ingest_one(f, Path(tmp)) for f in args.files]
    emit(results, args.out)


if __name__ == "__main__":
    main()
